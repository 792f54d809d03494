use kehoach_model::Settings;
use serde::Serialize;
use yew::prelude::*;

use super::{bind, error_box, non_blank};
use crate::ipc;

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
