pub mod import;
pub mod overview;
pub mod plans;
pub mod reports;
pub mod rollup;
pub mod settings;
pub mod sync;
pub mod tracking;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Keeps a text field's value in a state handle.
pub fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        let Some(t) = e.target() else { return };
        if let Some(i) = t.dyn_ref::<HtmlInputElement>() {
            state.set(i.value());
        } else if let Some(a) = t.dyn_ref::<HtmlTextAreaElement>() {
            state.set(a.value());
        }
    })
}

/// The value of a `<select>` from its change event.
pub fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

pub fn error_box(e: &Option<String>) -> Html {
    match e {
        Some(msg) => html! { <div class="error" role="alert">{ msg }</div> },
        None => html! {},
    }
}

/// Some(text) when the field is not blank.
pub fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
