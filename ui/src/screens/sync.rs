use serde::Deserialize;
use yew::prelude::*;

use super::error_box;
use crate::ipc::{self, NoArgs};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: u32,
}

#[derive(Deserialize, Clone, PartialEq)]
struct SyncStatus {
    device_id: String,
    ops: i64,
    conflicts: usize,
}

/// Đồng bộ: this machine's identity and what its change log holds.
#[function_component(SyncScreen)]
pub fn sync_screen(p: &Props) -> Html {
    let status = use_state(|| None::<SyncStatus>);
    let error = use_state(|| None::<String>);
    {
        let (status, error) = (status.clone(), error.clone());
        use_effect_with(p.version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, SyncStatus>("sync_status", &NoArgs {}).await {
                    Ok(s) => status.set(Some(s)),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    html! {
        <>
            <h1>{ "Đồng bộ" }</h1>
            { error_box(&error) }
            if let Some(s) = &*status {
                <div class="card">
                    <p>{ "Mã máy này: " }<code id="device-id">{ &s.device_id }</code></p>
                    <p>{ "Số thay đổi đã ghi trong nhật ký đồng bộ: " }<strong id="op-count">{ s.ops }</strong></p>
                    <p>{ "Xung đột chờ xử lý: " }<strong>{ s.conflicts }</strong></p>
                    <p class="muted">{ "Mọi thay đổi trên máy này đều được ghi vào nhật ký để đồng bộ với các máy khác của xã." }</p>
                </div>
            }
        </>
    }
}
