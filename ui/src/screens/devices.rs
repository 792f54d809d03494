//! "Các máy của xã" on the Đồng bộ screen (issue 14, point 5): every device of the commune —
//! who works on it, its fingerprint, how it was let in, since when, when it was last seen,
//! whether it was revoked — and "Thu hồi máy này" for a lost or stolen PC, asked once more in
//! words that say what revoking does.

use kehoach_model::contract::{self as cmd, DeviceList};
use kehoach_model::CommuneDevice;
use uuid::Uuid;
use yew::prelude::*;

use super::use_action;
use crate::hooks::use_data_version;
use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Bumped by the Đồng bộ screen after anything that may have brought new devices (an
    /// import, a sync, a join) besides the data's version.
    pub reload: u32,
}

/// An instant as stored (RFC 3339) as the day it falls on here: "07/04/2023".
fn local_date(ts: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(ts));
    if d.get_time().is_nan() {
        return ts.to_string();
    }
    format!("{:02}/{:02}/{}", d.get_date(), d.get_month() + 1, d.get_full_year())
}

/// The last characters of a device id, to tell devices apart at a glance: ids begin with the
/// time they were made, so devices set up the same week share their first characters.
fn short(id: &Uuid) -> String {
    let s = id.to_string();
    format!("…{}", &s[s.len() - 8..])
}

#[function_component(CommuneDevices)]
pub fn commune_devices(p: &Props) -> Html {
    let version = use_data_version();
    let list = use_state(|| None::<DeviceList>);
    // Lines of devices learnt by the background sync, kept on screen once fetched.
    let learnt = use_state(Vec::<String>::new);
    let pending = use_state(|| None::<CommuneDevice>);
    let action = use_action();
    let reload = use_state(|| 0u32);
    {
        let (list, learnt, error) = (list.clone(), learnt.clone(), action.error.clone());
        use_effect_with((version, p.reload, *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::CommuneDevices {}).await {
                    Ok(l) => {
                        if !l.learnt.is_empty() {
                            let mut all = (*learnt).clone();
                            all.extend(l.learnt.iter().cloned());
                            learnt.set(all);
                        }
                        list.set(Some(l));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let ask = |d: &CommuneDevice| {
        let (pending, d) = (pending.clone(), d.clone());
        Callback::from(move |_| pending.set(Some(d.clone())))
    };
    let cancel = {
        let pending = pending.clone();
        Callback::from(move |_| pending.set(None))
    };
    let revoke = {
        let (pending, action, reload) = (pending.clone(), action.clone(), reload.clone());
        Callback::from(move |_| {
            let Some(d) = (*pending).clone() else { return };
            pending.set(None);
            let reload = reload.clone();
            let step = async move {
                let r = ipc::call(&cmd::RevokeDevice { device: d.device.to_string() }).await?;
                let at = r.device.revoked.as_ref().map(|v| crate::fmt::local_time(&v.at)).unwrap_or_default();
                let who = d.officer.clone().unwrap_or_else(|| format!("máy {}", short(&d.device)));
                Ok(Some(format!(
                    "Đã thu hồi máy của {who} (mã {}) từ {at}. Hãy đồng bộ ngay để các máy khác của xã nhận lời thu hồi.",
                    short(&d.device)
                )))
            };
            action.run(step, move || reload.set(*reload + 1));
        })
    };

    let Some(l) = (*list).clone() else {
        return html! { <>{ action.outcome("devices-notice") }</> };
    };
    let active = l.devices.iter().filter(|d| d.revoked.is_none()).count();
    let rows = l.devices.iter().map(|d| {
        let who = d.officer.clone().unwrap_or_else(|| "(chưa đặt tên người dùng)".into());
        let state = match &d.revoked {
            Some(r) => html! {
                <>
                    <span class="tag late" style="white-space:nowrap">{ "Đã thu hồi" }</span>
                    <div class="muted">{ format!("từ {}, do {}", crate::fmt::local_time(&r.at), r.by_name) }</div>
                </>
            },
            None => html! { <span class="tag" style="white-space:nowrap">{ "Đang hoạt động" }</span> },
        };
        let button = if d.this_pc {
            html! { <span class="muted">{ "Máy này" }</span> }
        } else if d.revoked.is_none() {
            html! { <button class="danger revoke-device" onclick={ask(d)} disabled={*action.busy}>{ "Thu hồi máy này" }</button> }
        } else {
            html! {}
        };
        html! {
            <tr class={classes!("device-row", d.revoked.is_some().then_some("revoked"))} data-device={d.device.to_string()}>
                <td>{ who }</td>
                <td style="white-space:nowrap"><code title={d.device.to_string()}>{ short(&d.device) }</code></td>
                <td><code>{ &d.fingerprint }</code></td>
                <td>{ &d.how_vi }</td>
                <td>{ d.since.as_deref().map(local_date).unwrap_or_else(|| "—".into()) }</td>
                <td>{ d.last_seen.as_deref().map(crate::fmt::local_time).unwrap_or_else(|| "chưa thấy".into()) }</td>
                <td>{ state }</td>
                <td style="white-space:nowrap">{ button }</td>
            </tr>
        }
    });
    html! {
        <div class="card" id="commune-devices">
            <h2 style="margin-top:0">{ format!("Các máy của xã ({} máy, {active} đang hoạt động)", l.devices.len()) }</h2>
            <p class="muted">{ "Mỗi máy được vào xã bằng lời mời hoặc do cán bộ chấp nhận sau khi đối chiếu dấu vân tay. Máy bị mất hoặc không còn dùng: hãy thu hồi." }</p>
            if !learnt.is_empty() {
                <div class="notice" id="devices-learnt">
                    <strong>{ "Máy mới biết qua đồng bộ tự động:" }</strong>
                    { for learnt.iter().map(|l| html! { <div>{ l }</div> }) }
                </div>
            }
            { action.outcome("devices-notice") }
            if let Some(d) = &*pending {
                <div class="confirm" id="revoke-confirm" role="alertdialog">
                    <span>{ format!(
                        "Thu hồi máy của {} (mã {}, dấu vân tay {})? Máy này sẽ không gửi được dữ liệu cho xã nữa; các thay đổi nó tạo sau thời điểm thu hồi bị từ chối trên mọi máy. Không hoàn tác được: muốn dùng lại máy đó phải mời lại như một máy mới.",
                        d.officer.clone().unwrap_or_else(|| "người chưa đặt tên".into()),
                        short(&d.device),
                        d.fingerprint
                    ) }</span>
                    <button class="danger" type="button" id="revoke-yes" onclick={revoke}>{ "Thu hồi" }</button>
                    <button class="secondary" type="button" id="revoke-no" onclick={cancel}>{ "Thôi" }</button>
                </div>
            }
            if l.devices.is_empty() {
                <p class="muted">{ "Máy này chưa thuộc xã nào." }</p>
            } else {
                <table id="device-list">
                    <thead><tr>
                        <th>{ "Người dùng" }</th><th>{ "Mã máy" }</th><th>{ "Dấu vân tay" }</th><th>{ "Vào xã" }</th>
                        <th>{ "Từ ngày" }</th><th>{ "Lần cuối thấy" }</th><th>{ "Tình trạng" }</th><th></th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
        </div>
    }
}
