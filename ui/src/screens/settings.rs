use kehoach_model::contract as cmd;
use kehoach_model::{PcUser, Settings};
use yew::prelude::*;

use super::{error_box, non_blank, text_field};
use crate::hooks::use_command;
use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub initial: Settings,
    pub on_saved: Callback<Settings>,
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
    let run = use_command();
    let error = run.error.clone();
    let saved = use_state(|| false);

    let onsubmit = {
        let (commune, parent, place, signer, title) =
            (commune.clone(), parent.clone(), place.clone(), signer.clone(), title.clone());
        let (run, saved, on_saved) = (run.clone(), saved.clone(), p.on_saved.clone());
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
            let (saved, on_saved) = (saved.clone(), on_saved.clone());
            run.run(cmd::SaveSettings { settings }, move |s| {
                saved.set(true);
                on_saved.emit(s);
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

/// "Người dùng máy này": the officer and desk of this PC, shown beside their changes in the
/// history of tasks on every PC of the commune, and written as the author of their notes.
#[function_component(PcUserForm)]
pub fn pc_user_form() -> Html {
    let name = use_state(String::new);
    let unit = use_state(String::new);
    let run = use_command();
    let error = run.error.clone();
    let saved = use_state(|| false);
    {
        let (name, unit) = (name.clone(), unit.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(u)) = ipc::call(&cmd::PcUser {}).await {
                    name.set(u.name);
                    unit.set(u.unit.unwrap_or_default());
                }
            });
        });
    }
    let onsubmit = {
        let (name, unit, run, saved) = (name.clone(), unit.clone(), run.clone(), saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = PcUser { name: (*name).clone(), unit: non_blank(&unit) };
            // A refused save leaves no "Đã lưu." of an earlier one.
            saved.set(false);
            let saved = saved.clone();
            run.run(cmd::SetPcUser { user }, move |_| saved.set(true));
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
