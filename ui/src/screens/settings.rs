use kehoach_model::{PcUser, Settings};
use serde::Serialize;
use yew::prelude::*;

use super::{bind, error_box, non_blank};
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
            <label for="set-commune">{ "Tên xã/phường (cơ quan ban hành)" }</label>
            <input id="set-commune" placeholder="UBND xã Chư Răng" value={(*commune).clone()} oninput={bind(&commune)} />
            <label for="set-parent">{ "Cơ quan cấp trên" }</label>
            <input id="set-parent" placeholder="UBND huyện Ia Pa" value={(*parent).clone()} oninput={bind(&parent)} />
            <label for="set-place">{ "Địa danh (dòng ngày tháng)" }</label>
            <input id="set-place" placeholder="Chư Răng" value={(*place).clone()} oninput={bind(&place)} />
            <div class="row">
                <div>
                    <label for="set-signer">{ "Họ tên Chủ tịch (người ký)" }</label>
                    <input id="set-signer" value={(*signer).clone()} oninput={bind(&signer)} />
                </div>
                <div>
                    <label for="set-title">{ "Chức vụ người ký" }</label>
                    <input id="set-title" value={(*title).clone()} oninput={bind(&title)} />
                </div>
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
                <div>
                    <label for="pc-user-name">{ "Họ tên" }</label>
                    <input id="pc-user-name" placeholder="Nguyễn Văn Hùng" value={(*name).clone()} oninput={bind(&name)} />
                </div>
                <div>
                    <label for="pc-user-unit">{ "Bộ phận" }</label>
                    <input id="pc-user-unit" placeholder="Công an xã" value={(*unit).clone()} oninput={bind(&unit)} />
                </div>
            </div>
            { error_box(&error) }
            if *saved && error.is_none() { <div class="notice" id="pc-user-saved">{ "Đã lưu." }</div> }
            <div class="actions"><button class="secondary" id="pc-user-save" type="submit">{ "Lưu" }</button></div>
        </form>
    }
}
