//! The program's version and its updates: "Thông tin phiên bản" at the end of "Cài đặt", and the
//! "Có phiên bản mới" line on "Tổng quan" when the province hub offered a newer kehoach at the
//! last sync. An update comes from the hub or from a file on a USB stick; either way the shell
//! checks it (signed by the pinned release key, whole, for this platform, newer) and installs it
//! only when the officer agrees.

use kehoach_model::contract::{self as cmd, HubOffer, VerifiedUpdate as Checked};
use yew::prelude::*;

use super::use_action;
use crate::ipc;

/// The hub's offer, read when the component opens (`None` while loading or when there is none).
#[hook]
fn use_hub_offer() -> UseStateHandle<Option<HubOffer>> {
    let offer = use_state(|| None::<HubOffer>);
    {
        let offer = offer.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(o) = ipc::call(&cmd::UpdateOffer {}).await {
                    offer.set(o);
                }
            });
        });
    }
    offer
}

#[derive(Properties, PartialEq)]
pub struct ReminderProps {
    /// Opens "Cài đặt", where the update is downloaded and installed.
    pub on_open: Callback<()>,
}

/// On "Tổng quan": a newer kehoach waits on the province hub.
#[function_component(UpdateReminder)]
pub fn update_reminder(p: &ReminderProps) -> Html {
    let offer = use_hub_offer();
    let Some(o) = &*offer else { return html! {} };
    let on_open = p.on_open.clone();
    html! {
        <div class="reminder" id="update-reminder">
            <span>{ format!("Có phiên bản mới: kehoach {} trên máy chủ đồng bộ của tỉnh.", o.version) }</span>
            <button class="secondary" id="update-reminder-go" onclick={Callback::from(move |_| on_open.emit(()))}>{ "Xem và cài đặt…" }</button>
        </div>
    }
}

/// The version of kehoach on this PC, at the end of "Cài đặt": what the officer reads out to the
/// district's IT staff on the phone, and what tells an old installation from a new one. The UI
/// is built into the program with the same workspace version, so it is the program's version.
/// Below it, the update the hub offers (downloaded on the officer's word) and an update from a
/// file; each is checked first ("Có phiên bản mới …" or why it is refused) and installed only
/// when the officer then agrees.
#[function_component(VersionInfo)]
pub fn version_info() -> Html {
    let action = use_action();
    let hub_offer = use_hub_offer();
    // The installer checked and found newer, ready to install.
    let ready = use_state(|| None::<Checked>);
    let check_file = {
        let (action, ready) = (action.clone(), ready.clone());
        Callback::from(move |_| {
            let ready = ready.clone();
            ready.set(None);
            let step = async move {
                let Some(path) = ipc::pick_open("Chọn bộ cài phiên bản mới").await? else { return Ok(None) };
                let u = ipc::call(&cmd::CheckUpdateFile { path }).await?;
                let msg = format!("Có phiên bản mới: kehoach {}. Bộ cài có chữ ký hợp lệ của kehoach.", u.version);
                ready.set(Some(u));
                Ok(Some(msg))
            };
            action.run(step, || ())
        })
    };
    let download = {
        let (action, ready) = (action.clone(), ready.clone());
        Callback::from(move |_| {
            let ready = ready.clone();
            let step = async move {
                let u = ipc::call(&cmd::DownloadUpdate {}).await?;
                let msg = format!(
                    "Đã tải về kehoach {} từ máy chủ đồng bộ. Bộ cài có chữ ký hợp lệ của kehoach và không bị thay đổi.",
                    u.version
                );
                ready.set(Some(u));
                Ok(Some(msg))
            };
            action.run(step, || ())
        })
    };
    let install = {
        let (action, ready) = (action.clone(), ready.clone());
        Callback::from(move |_| {
            let Some(u) = (*ready).clone() else { return };
            let step = async move {
                ipc::call(&cmd::InstallUpdate { path: u.installer }).await?;
                Ok(Some("Đang mở bộ cài. Làm theo hướng dẫn của bộ cài; dữ liệu được giữ nguyên.".to_string()))
            };
            action.run(step, || ())
        })
    };
    html! {
        <div class="card" id="version-info">
            <h2 style="margin-top:0">{ "Thông tin phiên bản" }</h2>
            <p id="app-version">{ format!("kehoach {} — Kế hoạch Đề án 06", env!("CARGO_PKG_VERSION")) }</p>
            <p class="muted">{ "Lệnh kiểm tra trong cửa sổ lệnh: kehoach --version. Phiên bản mới (từ USB hoặc tải từ máy chủ của tỉnh) được kiểm tra chữ ký trước khi cài; bộ cài bị sửa đổi hoặc cũ hơn sẽ bị từ chối." }</p>
            if let (Some(o), None) = (&*hub_offer, &*ready) {
                <div class="notice" id="update-offer">
                    { format!("Có phiên bản mới trên máy chủ đồng bộ: kehoach {} ({}).", o.version, kehoach_model::format_size_vi(o.size)) }
                </div>
            }
            { action.outcome("update-notice") }
            <div class="actions">
                if hub_offer.is_some() && ready.is_none() {
                    <button class="primary" id="update-download" onclick={download} disabled={*action.busy}>{ "Tải về từ máy chủ" }</button>
                }
                <button class="secondary" id="update-check" onclick={check_file} disabled={*action.busy}>{ "Cập nhật từ tệp…" }</button>
                if let Some(u) = &*ready {
                    <button class="primary" id="update-install" onclick={install} disabled={*action.busy}>{ format!("Cài phiên bản {}", u.version) }</button>
                }
            </div>
        </div>
    }
}
