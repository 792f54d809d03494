//! The roll-up for the level above (a district or province PC enrolled at the hub as the
//! parent unit): the communes it oversees, read-only, from the hub; printable as a PDF.

use kehoach_sync::hub_auth::wire::Rollup;
use serde::Serialize;
use tauri::State;

use crate::sync::SyncSide;
use crate::Res;

#[derive(Serialize)]
pub struct DeviceKey {
    device_id: String,
    public_key: String,
    hub_url: Option<String>,
}

/// What the hub's administrator needs to enrol this PC as a parent unit
/// (`kehoach-hub enrol-parent --device … --public-key …`).
#[tauri::command]
pub fn device_key(side: State<SyncSide>) -> Res<DeviceKey> {
    let s = side.store.lock().map_err(|_| "Lỗi nội bộ: kho dữ liệu bị khóa".to_string())?;
    let me = kehoach_sync::Device::load_or_create(&s).map_err(|e| e.to_string())?;
    Ok(DeviceKey {
        device_id: s.device_id().to_string(),
        public_key: me.public_key_hex(),
        hub_url: kehoach_sync::hub_url(&s).map_err(|e| e.to_string())?,
    })
}

/// Fetches the roll-up of `period` from the hub (network: off the UI's store lock).
#[tauri::command]
pub async fn rollup(side: State<'_, SyncSide>, period: String) -> Res<Rollup> {
    let store = side.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let s = store.lock().map_err(|_| "Lỗi nội bộ: kho dữ liệu bị khóa".to_string())?;
        let url = kehoach_sync::hub_url(&s)
            .map_err(|e| e.to_string())?
            .ok_or("Chưa nhập địa chỉ máy chủ đồng bộ (màn hình Đồng bộ)")?;
        kehoach_sync::HubClient::new(&url).rollup(&s, &period).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}
