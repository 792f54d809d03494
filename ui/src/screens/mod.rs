pub mod backup;
pub mod devices;
pub mod import;
pub mod join;
pub mod overview;
pub mod plans;
pub mod reports;
pub mod rollup;
pub mod settings;
pub mod signatures;
pub mod sync;
pub mod tracking;
pub mod update;
pub mod upstream;

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

/// What an edit form sends for one field: the trimmed new text when it differs from the
/// stored one, else nothing (a field left as it was is not rewritten).
pub fn changed_text(new: &str, old: &str) -> Option<String> {
    let new = new.trim();
    (new != old).then(|| new.to_string())
}

/// A labelled text field, as one column of a form row; the label names the input by its id.
pub fn text_field(
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    value: &UseStateHandle<String>,
) -> Html {
    let placeholder = (!placeholder.is_empty()).then_some(placeholder);
    field(
        id,
        label,
        html! { <input id={id} placeholder={placeholder} value={(**value).clone()} oninput={bind(value)} /> },
    )
}

/// [`text_field`] for a secret (a passphrase): not shown, and not offered again by the webview.
pub fn password_field(id: &'static str, label: &'static str, value: &UseStateHandle<String>) -> Html {
    field(
        id,
        label,
        html! { <input id={id} type="password" autocomplete="off" value={(**value).clone()} oninput={bind(value)} /> },
    )
}

fn field(id: &'static str, label: &'static str, input: Html) -> Html {
    html! { <div><label for={id}>{ label }</label>{ input }</div> }
}

/// Some(text) when the field is not blank.
pub fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// What will be deleted, as a question.
    pub message: AttrValue,
    pub on_yes: Callback<()>,
    pub on_no: Callback<()>,
}

/// A deletion asks once more in the page, beside what it deletes: a native dialog would hide
/// the record being deleted, and a second click on the same spot must not delete twice.
#[function_component(ConfirmBar)]
pub fn confirm_bar(p: &ConfirmProps) -> Html {
    let yes = p.on_yes.reform(|_: MouseEvent| ());
    let no = p.on_no.reform(|_: MouseEvent| ());
    html! {
        <div class="confirm" id="confirm-delete" role="alertdialog">
            <span>{ p.message.clone() }</span>
            <button class="danger" type="button" id="confirm-yes" onclick={yes}>{ "Xóa hẳn" }</button>
            <button class="secondary" type="button" id="confirm-no" onclick={no}>{ "Thôi" }</button>
        </div>
    }
}

/// One async step at a time behind a screen's buttons (a file dialog, then a shell command):
/// `busy` disables the buttons while it runs, and its outcome replaces the last one shown.
#[derive(Clone, PartialEq)]
pub struct Action {
    pub busy: UseStateHandle<bool>,
    pub notice: UseStateHandle<Option<String>>,
    pub error: UseStateHandle<Option<String>>,
}

#[hook]
pub fn use_action() -> Action {
    Action { busy: use_state(|| false), notice: use_state(|| None), error: use_state(|| None) }
}

impl Action {
    /// Runs `step`. `Ok(Some(message))`: the message is shown and `then` runs; `Ok(None)` (the
    /// officer cancelled a dialog): nothing changes; `Err`: the error is shown instead.
    pub fn run(
        &self,
        step: impl std::future::Future<Output = Result<Option<String>, String>> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        let this = self.clone();
        this.busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = step.await;
            this.busy.set(false);
            match outcome {
                Ok(Some(message)) => {
                    this.error.set(None);
                    this.notice.set(Some(message));
                    then();
                }
                Ok(None) => {}
                Err(e) => {
                    this.notice.set(None);
                    this.error.set(Some(e));
                }
            }
        });
    }

    /// The error, or the message (in an element with id `notice_id`).
    pub fn outcome(&self, notice_id: &'static str) -> Html {
        html! {
            <>
                { error_box(&self.error) }
                if let Some(n) = &*self.notice { <div class="notice" id={notice_id}>{ n }</div> }
            </>
        }
    }
}
