//! Calls into the Tauri shell. `tauri-sys` targets Tauri 1, so we bind Tauri 2's global
//! `window.__TAURI__` (enabled by `withGlobalTauri`) directly.
//!
//! Every call goes through [`call`] with a request of `kehoach_model::contract`: the command's
//! name, its arguments and its answer come from that one declaration the shell compiles too.

use kehoach_model::contract::{self as cmd, Command, CommandError, ErrorKind, REQUEST_ARG};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> JsValue;
}

/// The one argument every command takes.
#[derive(Serialize)]
struct Args<'a, C> {
    req: &'a C,
}

/// Invokes the shell's command for `req`; the error is the shell's, with its kind and its
/// Vietnamese message.
pub async fn call<C: Command>(req: &C) -> Result<C::Answer, CommandError> {
    debug_assert_eq!(REQUEST_ARG, "req");
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let js_args = Args { req }.serialize(&ser).map_err(|e| CommandError::internal(e.to_string()))?;
    match tauri_invoke(C::NAME, js_args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v)
            .map_err(|e| CommandError::internal(format!("Dữ liệu trả về không đọc được: {e}"))),
        // The shell's commands fail with a `CommandError`; Tauri itself (a command it cannot
        // find, arguments it cannot read) fails with a plain string.
        Err(e) => Err(serde_wasm_bindgen::from_value::<CommandError>(e.clone()).unwrap_or_else(|_| {
            CommandError::new(ErrorKind::Internal, e.as_string().unwrap_or_else(|| format!("{e:?}")))
        })),
    }
}

/// Calls `f` whenever the shell emits `event` (e.g. "changed" after any write).
pub fn listen(event: &'static str, f: impl Fn() + 'static) {
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |_| f());
    wasm_bindgen_futures::spawn_local(async move {
        tauri_listen(event, &cb).await;
        // The listener lives as long as the window.
        cb.forget();
    });
}

/// The native save dialog (the shell reads and writes the file, so a USB stick's mount point
/// or drive letter just works); `None` when the officer cancels.
pub async fn pick_save(title: &str, file_name: &str) -> Result<Option<String>, CommandError> {
    call(&cmd::PickSavePath { title: title.into(), file_name: file_name.into() }).await
}

/// The native open dialog; `None` when the officer cancels.
pub async fn pick_open(title: &str) -> Result<Option<String>, CommandError> {
    call(&cmd::PickOpenPath { title: title.into() }).await
}
