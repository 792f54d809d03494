//! Deleting from a panel: the "xóa" button asks in the panel's confirmation bar, "Xóa hẳn"
//! deletes.

use kehoach_model::contract::{self as cmd, CommandError};
use uuid::Uuid;
use yew::prelude::*;

use crate::ipc;
use crate::screens::ConfirmBar;

/// Which kind of record a panel's "xóa" button deletes.
#[derive(Clone, Copy, PartialEq)]
pub enum Deletion {
    Task,
    Note,
    Evidence,
    Checklist,
    Target,
}

impl Deletion {
    /// Deletes the record `id` of this kind.
    async fn run(self, id: Uuid) -> Result<(), CommandError> {
        match self {
            Deletion::Task => ipc::call(&cmd::DeleteTask { id }).await,
            Deletion::Note => ipc::call(&cmd::DeleteNote { id }).await,
            Deletion::Evidence => ipc::call(&cmd::DeleteEvidence { id }).await,
            Deletion::Checklist => ipc::call(&cmd::DeleteChecklist { id }).await,
            Deletion::Target => ipc::call(&cmd::DeleteTarget { id }).await,
        }
    }
}

/// What a panel's confirmation bar is about to delete: the kind of record, the record, and the
/// question to ask.
#[derive(Clone, PartialEq)]
pub struct Doomed {
    command: Deletion,
    id: Uuid,
    question: String,
}

pub type Pending = Option<Doomed>;

/// A "xóa" button's click: asks the question in the panel's confirmation bar.
pub fn ask(pending: &UseStateHandle<Pending>, command: Deletion, id: Uuid, question: String) -> Callback<MouseEvent> {
    let pending = pending.clone();
    Callback::from(move |_| pending.set(Some(Doomed { command, id, question: question.clone() })))
}

/// The "Xóa hẳn" answer of a panel's confirmation bar: runs the pending command; then
/// `on_deleted` gets the command that ran.
pub fn confirm_delete(
    pending: &UseStateHandle<Pending>,
    error: &UseStateHandle<Option<String>>,
    on_deleted: Callback<Deletion>,
) -> Callback<()> {
    let (pending, error) = (pending.clone(), error.clone());
    Callback::from(move |()| {
        let Some(Doomed { command, id, .. }) = (*pending).clone() else { return };
        let (pending, error, on_deleted) = (pending.clone(), error.clone(), on_deleted.clone());
        wasm_bindgen_futures::spawn_local(async move {
            pending.set(None);
            match command.run(id).await {
                Ok(()) => {
                    error.set(None);
                    on_deleted.emit(command);
                }
                Err(e) => error.set(Some(e.into())),
            }
        });
    })
}

/// The confirmation bar of a panel, when something is pending.
pub fn pending_bar(pending: &UseStateHandle<Pending>, on_yes: Callback<()>) -> Html {
    let Some(Doomed { question, .. }) = (**pending).clone() else { return html! {} };
    let no = {
        let pending = pending.clone();
        Callback::from(move |()| pending.set(None))
    };
    html! { <ConfirmBar message={question} on_yes={on_yes} on_no={no} /> }
}
