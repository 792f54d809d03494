//! Calls into the Tauri shell. `tauri-sys` targets Tauri 1, so we bind Tauri 2's global
//! `window.__TAURI__` (enabled by `withGlobalTauri`) directly.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> JsValue;
}

/// Invokes a shell command with named arguments; the error is the shell's Vietnamese message.
pub async fn call<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, String> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let js_args = args.serialize(&ser).map_err(|e| e.to_string())?;
    match tauri_invoke(cmd, js_args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v).map_err(|e| format!("Dữ liệu trả về không đọc được: {e}")),
        Err(e) => Err(e.as_string().unwrap_or_else(|| format!("{e:?}"))),
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

/// No arguments.
#[derive(Serialize)]
pub struct NoArgs {}

/// A file the officer chose, for the shell to read or write.
#[derive(Serialize)]
pub struct PathArg {
    pub path: String,
}

/// The native save dialog (the shell reads and writes the file, so a USB stick's mount point
/// or drive letter just works); `None` when the officer cancels.
pub async fn pick_save(title: &str, file_name: &str) -> Result<Option<String>, String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args<'a> {
        title: &'a str,
        file_name: &'a str,
    }
    call("pick_save_path", &Args { title, file_name }).await
}

/// The native open dialog; `None` when the officer cancels.
pub async fn pick_open(title: &str) -> Result<Option<String>, String> {
    #[derive(Serialize)]
    struct Args<'a> {
        title: &'a str,
    }
    call("pick_open_path", &Args { title }).await
}
