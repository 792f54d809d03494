//! The sync screen's first card: this PC, its commune, and how recent its last sync is.

use kehoach_model::contract::{self as cmd, SyncOverview};
use yew::prelude::*;

use super::steps::Steps;
use crate::ipc;

/// "2026-11-24T08:05:00+00:00" → "08:05 ngày 24/11/2026" (UTC as stored; good enough to see
/// whether sync is recent).
fn when(ts: &Option<String>) -> String {
    let Some(t) = ts else { return "chưa lần nào".into() };
    crate::fmt::local_time(t)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub status: SyncOverview,
    pub steps: Steps,
}

#[function_component(StatusCard)]
pub fn status_card(p: &Props) -> Html {
    let s = &p.status;
    let found = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move {
                let id: String = ipc::call(&cmd::FoundCommune {}).await?;
                Ok(Some(format!("Đã lập mã xã {id}. Các máy khác của xã tham gia bằng lời mời từ máy này.")))
            });
        })
    };
    let busy = p.steps.busy();
    html! {
        <div class="card">
            <p>{ "Máy này: " }<code id="device-id">{ &s.device_id }</code>
                { s.fingerprint.as_ref().map(|f| format!(" — dấu vân tay khóa {f}")).unwrap_or_default() }</p>
            if let Some(c) = &s.commune_id {
                <p id="commune-id">{ format!("Đã tham gia xã (mã {c}); {} máy khác được tin cậy.", s.trusted_devices) }</p>
            } else {
                <p>{ "Máy này chưa tham gia xã nào: tạo lời mời trên máy đầu tiên, hoặc tham gia bằng lời mời." }</p>
                <p class="muted">{ "Máy đầu tiên của xã chỉ đồng bộ qua máy chủ, chưa cần mời máy nào? Lập mã xã tại đây. Các máy khác của xã không lập mã riêng mà tham gia bằng lời mời." }</p>
                <div class="actions"><button class="secondary" id="found-commune" onclick={found} disabled={busy}>{ "Đây là máy đầu tiên của xã: lập mã xã" }</button></div>
            }
            if let Some(k) = &s.public_key {
                <details><summary>{ "Thông tin để đăng ký với máy chủ đồng bộ" }</summary>
                    <p class="muted">{ "Gửi cho người quản trị máy chủ: mã xã, mã máy và khóa công khai." }</p>
                    <p>{ "Khóa công khai: " }<code id="public-key">{ k }</code></p>
                </details>
            }
            <p>{ "Số thay đổi trong nhật ký đồng bộ: " }<strong id="op-count">{ s.ops }</strong></p>
            <p>{ "Lần đồng bộ thành công gần nhất: " }{ when(&s.state.last_ok) }</p>
            if let Some(e) = &s.state.last_error { <p class="muted">{ format!("Lần thử gần nhất ({}) không thành công: {e}", when(&s.state.last_attempt)) }</p> }
        </div>
    }
}
