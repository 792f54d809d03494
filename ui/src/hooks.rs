//! What every screen needs from the app, as hooks: the data's version (one context the app
//! provides, instead of a `version` prop passed down every screen), reading from the core when
//! it changes, and running a command with "busy" and its error shown.

use kehoach_model::contract::Command;
use yew::prelude::*;

use crate::ipc;

/// The data's version as the screens see it: one more after every write (ours or the sync
/// worker's). Provided once, by the app; a screen re-reads when it moves.
#[derive(Clone, PartialEq)]
pub struct DataVersion {
    pub version: u32,
    /// Tells every screen the data changed (after a write of ours).
    pub bump: Callback<()>,
}

/// The data's version (0 outside the app, e.g. on the first-run screen).
#[hook]
pub fn use_data_version() -> u32 {
    use_context::<DataVersion>().map_or(0, |d| d.version)
}

/// A callback that tells every screen the data changed.
#[hook]
pub fn use_bump() -> Callback<()> {
    use_context::<DataVersion>().map(|d| d.bump).unwrap_or_default()
}

/// The answer of a read, and why it failed.
pub struct Query<T> {
    /// `None` until the first answer.
    pub data: UseStateHandle<Option<T>>,
    pub error: UseStateHandle<Option<String>>,
}

/// Asks the core `make(deps)` when the component opens, and again whenever `deps` or the
/// data's version change.
#[hook]
pub fn use_query<C, D, F>(deps: D, make: F) -> Query<C::Answer>
where
    C: Command + 'static,
    C::Answer: 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(&D) -> C + 'static,
{
    use_query_when(deps, move |d| Some(make(d)))
}

/// As [`use_query`], for a read that only makes sense for some `deps` (e.g. the selected
/// plan's detail when one is selected): `make` gives `None` to ask nothing.
#[hook]
pub fn use_query_when<C, D, F>(deps: D, make: F) -> Query<C::Answer>
where
    C: Command + 'static,
    C::Answer: 'static,
    D: PartialEq + Clone + 'static,
    F: Fn(&D) -> Option<C> + 'static,
{
    let version = use_data_version();
    let data = use_state(|| None::<C::Answer>);
    let error = use_state(|| None::<String>);
    {
        let (data, error) = (data.clone(), error.clone());
        use_effect_with((deps, version), move |(deps, _)| {
            if let Some(req) = make(deps) {
                wasm_bindgen_futures::spawn_local(async move {
                    match ipc::call(&req).await {
                        Ok(a) => {
                            error.set(None);
                            data.set(Some(a));
                        }
                        Err(e) => error.set(Some(e.into())),
                    }
                });
            }
        });
    }
    Query { data, error }
}

/// Runs commands that change data: `busy` while one runs, its error shown, and every screen
/// told to re-read afterwards.
#[derive(Clone, PartialEq)]
pub struct Runner {
    pub busy: UseStateHandle<bool>,
    pub error: UseStateHandle<Option<String>>,
    bump: Callback<()>,
}

#[hook]
pub fn use_command() -> Runner {
    Runner { busy: use_state(|| false), error: use_state(|| None), bump: use_bump() }
}

impl Runner {
    /// Sends `req`; on success `then` gets the answer and the screens re-read.
    pub fn run<C: Command + 'static>(&self, req: C, then: impl FnOnce(C::Answer) + 'static) {
        let this = self.clone();
        this.busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = ipc::call(&req).await;
            this.busy.set(false);
            match outcome {
                Ok(a) => {
                    this.error.set(None);
                    then(a);
                    this.bump.emit(());
                }
                Err(e) => this.error.set(Some(e.into())),
            }
        });
    }

    /// Sends `req`, which changes nothing the screens show (opening a report, checking a
    /// connection): busy and its error as in [`Runner::run`], but no re-read.
    pub fn ask<C: Command + 'static>(&self, req: C, then: impl FnOnce(C::Answer) + 'static) {
        let this = self.clone();
        this.busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = ipc::call(&req).await;
            this.busy.set(false);
            match outcome {
                Ok(a) => {
                    this.error.set(None);
                    then(a);
                }
                Err(e) => this.error.set(Some(e.into())),
            }
        });
    }
}
