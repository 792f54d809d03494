//! The roll-up for the level above (a district or province PC enrolled at the hub as the
//! parent unit): the communes it oversees, read-only, from the hub; printable as a PDF.

use kehoach_report::{RollupCommune, RollupPrint, RollupReport, RollupTarget};
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
    fetch(&side, period).await
}

/// Prints the roll-up of `period` (fetched afresh, so the paper says what the hub says now)
/// to a PDF at `path`, in the same A4 layout and font as the reports.
#[tauri::command]
pub async fn rollup_pdf(side: State<'_, SyncSide>, period: String, path: String) -> Res<String> {
    let r = fetch(&side, period).await?;
    let print = RollupPrint {
        title: String::new(),
        unit: r.unit,
        period: r.period,
        as_of: r.as_of,
        reported: r.reported,
        communes: r
            .communes
            .into_iter()
            .map(|c| RollupCommune {
                report: RollupReport::from_wire(c.report_status.as_deref(), c.ops),
                name: c.name,
                tasks: c.tasks,
                done: c.done,
                overdue: c.overdue,
            })
            .collect(),
        targets: r
            .targets
            .into_iter()
            .map(|t| RollupTarget {
                text: t.text,
                unit: t.unit,
                target: t.target,
                actual: t.actual,
                communes: t.communes,
            })
            .collect(),
    };
    let pdf =
        kehoach_report::render_rollup_pdf(&print, chrono::Local::now().fixed_offset()).map_err(|e| e.to_string())?;
    let path = std::path::PathBuf::from(path);
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, &pdf).map_err(|e| format!("Không ghi được tệp {}: {e}", path.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("Không ghi được tệp {}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

async fn fetch(side: &State<'_, SyncSide>, period: String) -> Res<Rollup> {
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
