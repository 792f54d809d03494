//! How a district or province PC asks the hub's administrator to see its communes.

use yew::prelude::*;

use super::types::DeviceKey;

/// This PC's device id and public key, for the hub's administrator.
pub fn enrol_card(k: &DeviceKey) -> Html {
    html! {
        <details class="card" id="rollup-enrol">
            <summary>{ "Đăng ký máy này với máy chủ để xem các xã" }</summary>
            <p class="muted">{ "Gửi mã thiết bị và khóa công khai dưới đây cho người quản trị máy chủ đồng bộ; người quản trị cấp quyền xem (chỉ đọc) các xã thuộc đơn vị. Không có máy chủ: nhập tệp các xã gửi bằng USB." }</p>
            <p>{ "Mã thiết bị: " }<code id="rollup-device">{ &k.device_id }</code></p>
            <p>{ "Khóa công khai: " }<code id="rollup-key">{ k.public_key.clone().unwrap_or_default() }</code></p>
            <p>{ "Máy chủ: " }{ k.state.hub_url.clone().unwrap_or_else(|| "chưa nhập (màn hình Đồng bộ)".into()) }</p>
        </details>
    }
}
