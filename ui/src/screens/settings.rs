use kehoach_model::{PcUser, Settings};
use serde::Serialize;
use yew::prelude::*;

use super::{error_box, non_blank, text_field, use_action};
use crate::ipc;
use crate::ipc::NoArgs;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub initial: Settings,
    pub on_saved: Callback<Settings>,
}

#[derive(Serialize)]
struct Args {
    settings: Settings,
}

/// The commune's settings: the first-run setup and the "Cài đặt" screen.
#[function_component(SettingsForm)]
pub fn settings_form(p: &Props) -> Html {
    let init = |f: &Option<String>| f.clone().unwrap_or_default();
    let commune = use_state(|| init(&p.initial.commune));
    let parent = use_state(|| init(&p.initial.parent));
    let place = use_state(|| init(&p.initial.place));
    let signer = use_state(|| init(&p.initial.signer));
    let title = use_state(|| p.initial.signer_title.clone().unwrap_or_else(|| "CHỦ TỊCH".into()));
    let error = use_state(|| None::<String>);
    let saved = use_state(|| false);

    let onsubmit = {
        let (commune, parent, place, signer, title) =
            (commune.clone(), parent.clone(), place.clone(), signer.clone(), title.clone());
        let (error, saved, on_saved) = (error.clone(), saved.clone(), p.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let settings = Settings {
                commune: non_blank(&commune),
                parent: non_blank(&parent),
                place: non_blank(&place),
                signer: non_blank(&signer),
                signer_title: non_blank(&title),
                level: None,
            };
            let (error, saved, on_saved) = (error.clone(), saved.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Settings>("save_settings", &Args { settings }).await {
                    Ok(s) => {
                        error.set(None);
                        saved.set(true);
                        on_saved.emit(s);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    html! {
        <form {onsubmit} id="settings-form">
            { text_field("set-commune", "Tên xã/phường (cơ quan ban hành)", "UBND xã Chư Răng", &commune) }
            { text_field("set-parent", "Cơ quan cấp trên", "UBND huyện Ia Pa", &parent) }
            { text_field("set-place", "Địa danh (dòng ngày tháng)", "Chư Răng", &place) }
            <div class="row">
                { text_field("set-signer", "Họ tên Chủ tịch (người ký)", "", &signer) }
                { text_field("set-title", "Chức vụ người ký", "", &title) }
            </div>
            { error_box(&error) }
            if *saved && error.is_none() { <div class="notice">{ "Đã lưu thiết lập." }</div> }
            <div class="actions"><button class="primary" id="settings-save" type="submit">{ "Lưu" }</button></div>
        </form>
    }
}

#[derive(Serialize)]
struct UserArg {
    user: PcUser,
}

/// "Người dùng máy này": the officer and desk of this PC, shown beside their changes in the
/// history of tasks on every PC of the commune, and written as the author of their notes.
#[function_component(PcUserForm)]
pub fn pc_user_form() -> Html {
    let name = use_state(String::new);
    let unit = use_state(String::new);
    let error = use_state(|| None::<String>);
    let saved = use_state(|| false);
    {
        let (name, unit) = (name.clone(), unit.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(u)) = ipc::call::<_, Option<PcUser>>("pc_user", &NoArgs {}).await {
                    name.set(u.name);
                    unit.set(u.unit.unwrap_or_default());
                }
            });
        });
    }
    let onsubmit = {
        let (name, unit, error, saved) = (name.clone(), unit.clone(), error.clone(), saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = PcUser { name: (*name).clone(), unit: non_blank(&unit) };
            let (error, saved) = (error.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, PcUser>("set_pc_user", &UserArg { user }).await {
                    Ok(_) => {
                        error.set(None);
                        saved.set(true);
                    }
                    Err(e) => {
                        saved.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    html! {
        <form {onsubmit} class="card" id="pc-user-form">
            <h2 style="margin-top:0">{ "Người dùng máy này" }</h2>
            <p class="muted">{ "Tên người và bộ phận dùng máy này hiện bên cạnh các thay đổi của họ trong lịch sử nhiệm vụ, trên mọi máy của xã, và được ghi làm người ghi tiến độ." }</p>
            <div class="row">
                { text_field("pc-user-name", "Họ tên", "Nguyễn Văn Hùng", &name) }
                { text_field("pc-user-unit", "Bộ phận", "Công an xã", &unit) }
            </div>
            { error_box(&error) }
            if *saved && error.is_none() { <div class="notice" id="pc-user-saved">{ "Đã lưu." }</div> }
            <div class="actions"><button class="secondary" id="pc-user-save" type="submit">{ "Lưu" }</button></div>
        </form>
    }
}

/// The version of kehoach on this PC, at the end of "Cài đặt": what the officer reads out to the
/// district's IT staff on the phone, and what tells an old installation from a new one. The UI
/// is built into the program with the same workspace version, so it is the program's version.
/// Below it, an update from a file (a USB stick, or the installer downloaded from the province
/// hub): checked first ("Có phiên bản mới …" or why it is refused), installed only when the
/// officer then agrees.
#[function_component(VersionInfo)]
pub fn version_info() -> Html {
    let action = use_action();
    // The installer checked and found newer: (path, version).
    let offer = use_state(|| None::<(String, String)>);
    let check = {
        let (action, offer) = (action.clone(), offer.clone());
        Callback::from(move |_| {
            let offer = offer.clone();
            offer.set(None);
            let step = async move {
                let Some(path) = ipc::pick_open("Chọn bộ cài phiên bản mới").await? else { return Ok(None) };
                let u: serde_json::Value = ipc::call("check_update_file", &ipc::PathArg { path: path.clone() }).await?;
                let version = u["version"].as_str().unwrap_or("").to_string();
                offer.set(Some((path, version.clone())));
                Ok(Some(format!("Có phiên bản mới: kehoach {version}. Bộ cài có chữ ký hợp lệ của kehoach.")))
            };
            action.run(step, || ())
        })
    };
    let install = {
        let (action, offer) = (action.clone(), offer.clone());
        Callback::from(move |_| {
            let Some((path, _)) = (*offer).clone() else { return };
            let step = async move {
                ipc::call::<_, ()>("install_update", &ipc::PathArg { path }).await?;
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
            { action.outcome("update-notice") }
            <div class="actions">
                <button class="secondary" id="update-check" onclick={check} disabled={*action.busy}>{ "Cập nhật từ tệp…" }</button>
                if let Some((_, version)) = &*offer {
                    <button class="primary" id="update-install" onclick={install} disabled={*action.busy}>{ format!("Cài phiên bản {version}") }</button>
                }
            </div>
        </div>
    }
}
