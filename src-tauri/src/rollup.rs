//! The roll-up for the level above (a district or province PC enrolled at the hub as the
//! parent unit): the communes it oversees, read-only, from the hub; printable as a PDF.

use kehoach_report::{RollupCommune, RollupPrint, RollupReport, RollupTarget};
use kehoach_sync::hub_auth::wire::Rollup;
use tauri::State;

use crate::sync::SyncSide;
use crate::Res;

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
    crate::write_file(&path, &pdf)?;
    Ok(path.display().to_string())
}

async fn fetch(side: &State<'_, SyncSide>, period: String) -> Res<Rollup> {
    let store = side.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let s = store.lock().map_err(|_| "Lỗi nội bộ: kho dữ liệu bị khóa".to_string())?;
        let url = kehoach_sync::hub_url(&s)
            .map_err(|e| e.to_string())?
            .ok_or("Chưa nhập địa chỉ máy chủ đồng bộ (màn hình Đồng bộ)")?;
        kehoach_sync::HubClient::for_store(&s, &url).and_then(|c| c.rollup(&s, &period)).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}
