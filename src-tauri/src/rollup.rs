//! Tổng hợp các xã, for the level above (a district or province PC): a read-only copy of each
//! commune's data (`kehoach_sync::district`), fed by the hub when one is set and by the
//! bundles communes send on a USB stick; the roll-up and the year's grid from those copies;
//! the district's decisions (accept, return, reopen) sent back through the hub or in a file;
//! the view printed to PDF or written to XLSX.
//!
//! Everything here runs on the sync side's connection: fetching from the hub is network work
//! and must not hold the lock the screens use.

use std::path::PathBuf;

use kehoach_core::{reports, Store};
use kehoach_model::contract::{self as cmd, CheckLine, CheckState, CommandError, SignatureCheck};
use kehoach_model::RollupStatus;
use kehoach_report::{RollupCommune, RollupGridRow, RollupPrint, RollupReport};
use kehoach_sync::district;
use kehoach_sync::hub_auth::wire::Rollup;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

use crate::error::fail;
use crate::sync::SyncSide;
use crate::{changed, poisoned, read_file, write_file, Ans, Res};

/// Runs `f` on the sync side's store, off the UI thread.
pub(crate) async fn on_side<T: Send + 'static>(
    side: &State<'_, SyncSide>,
    f: impl FnOnce(&Store) -> Res<T> + Send + 'static,
) -> Res<T> {
    let store = side.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let s = store.lock().map_err(poisoned)?;
        f(&s)
    })
    .await
    .map_err(fail)?
}

pub(crate) fn hub_url(s: &Store) -> Res<Option<String>> {
    Ok(kehoach_sync::hub_url(s).map_err(fail)?.filter(|u| !u.trim().is_empty()))
}

/// The communes the hub lists for this PC's unit, their copies brought up to date (and the
/// district's decisions not yet there pushed). The same steps as `kehoach rollup --hub`.
fn refresh_from_hub(s: &Store, url: &str, period: &str) -> Result<Vec<Uuid>, kehoach_sync::SyncError> {
    district::refresh_from_hub(s, &kehoach_sync::HubClient::for_store(s, url)?, period)
}

/// The roll-up of `period` from the copies, titled with the unit's name (see
/// `district::unit_name`).
fn rollup_of(s: &Store, p: &kehoach_model::ReportPeriod, expected: Option<&[Uuid]>) -> Res<Rollup> {
    district::rollup(s, p, expected).map_err(fail)
}

/// The roll-up of `period` and its year's grid; with a hub, fetched from it first (a hub that
/// does not answer leaves the copies as they are, and the screen says so).
#[tauri::command]
pub async fn rollup(side: State<'_, SyncSide>, req: cmd::Rollup) -> Ans<cmd::Rollup> {
    on_side(&side, move |s| {
        let p = reports::parse_period(&req.period).map_err(fail)?;
        let (mut expected, mut hub_error) = (None, None);
        let url = hub_url(s)?;
        if let Some(url) = &url {
            match refresh_from_hub(s, url, &p.code()) {
                Ok(c) => expected = Some(c),
                Err(e) => hub_error = Some(e.to_string()),
            }
        }
        let rollup = rollup_of(s, &p, expected.as_deref())?;
        let grid = district::year_grid(s, p.year, expected.as_deref()).map_err(fail)?;
        Ok(cmd::RollupView { rollup, grid, hub: url.is_some(), hub_error })
    })
    .await
}

/// "Nhập tệp của xã…": a bundle a commune sent on a USB stick, into this PC's copy of it.
#[tauri::command]
pub async fn rollup_import(side: State<'_, SyncSide>, req: cmd::RollupImport) -> Ans<cmd::RollupImport> {
    let bytes = read_file(std::path::Path::new(&req.path))?;
    let accept = req.accept_device;
    on_side(&side, move |s| district::import_commune_bundle(s, &bytes, accept).map_err(fail)).await
}

/// Accepts, returns (with a reason) or reopens a commune's report for `period`; with a hub the
/// decision is sent at once, else "Ghi quyết định ra tệp…" carries it.
#[tauri::command]
pub async fn rollup_decide(
    side: State<'_, SyncSide>,
    handle: AppHandle,
    req: cmd::RollupDecide,
) -> Ans<cmd::RollupDecide> {
    let cmd::RollupDecide { commune, period, decision, reason } = req;
    let r = on_side(&side, move |s| {
        let p = reports::parse_period(&period).map_err(fail)?;
        let now = chrono::Local::now().fixed_offset();
        let d = district::decide(s, commune, &p, decision, &reason, now).map_err(fail)?;
        let mut msg = format!("{} báo cáo {} (phiên bản {}).", decision.label_vi(), p.label_vi(), d.version);
        match hub_url(s)? {
            Some(url) => {
                let sent = kehoach_sync::HubClient::for_store(s, &url)
                    .and_then(|c| district::sync_from_hub(s, &c, &[commune]).map(|_| ()));
                msg += &match sent {
                    Ok(()) => " Đã gửi lên máy chủ, xã sẽ nhận khi đồng bộ.".to_string(),
                    Err(e) => format!(" Chưa gửi được lên máy chủ ({e}): ghi quyết định ra tệp để gửi cho xã."),
                };
            }
            None => msg += " Ghi quyết định ra tệp để gửi cho xã (USB).",
        }
        Ok(msg)
    })
    .await;
    changed(&handle);
    r
}

/// "Ghi quyết định ra tệp…": the district's decisions on `commune`'s reports, in a bundle the
/// commune imports on its Đồng bộ screen.
#[tauri::command]
pub async fn rollup_decision_file(
    side: State<'_, SyncSide>,
    req: cmd::RollupDecisionFile,
) -> Ans<cmd::RollupDecisionFile> {
    let commune = req.commune;
    let bytes = on_side(&side, move |s| district::decision_bundle(s, commune).map_err(fail)).await?;
    let path = PathBuf::from(req.path);
    write_file(&path, &bytes.0)?;
    Ok(path.display().to_string())
}

/// kehoach-sign's outcome of one check, as the contract carries it.
fn check_state(s: kehoach_sign::CheckState) -> CheckState {
    match s {
        kehoach_sign::CheckState::Ok => CheckState::Ok,
        kehoach_sign::CheckState::Failed => CheckState::Failed,
        kehoach_sign::CheckState::Unknown => CheckState::Unknown,
    }
}

/// Every signature of a PDF checked against `anchors`, as the screens show them (the commune's
/// own signed report and a commune's report on the district's PC alike).
pub(crate) fn signature_checks(pdf: &[u8], anchors: &kehoach_sign::TrustAnchors) -> Res<Vec<SignatureCheck>> {
    Ok(kehoach_sign::verify_pdf_trusting(pdf, anchors, chrono::Utc::now())
        .map_err(fail)?
        .into_iter()
        .map(|s| SignatureCheck {
            time: s.timestamp.as_ref().filter(|t| t.is_valid()).map(|t| t.time.clone()).or(s.signing_time.clone()),
            intact: s.integrity == kehoach_sign::Integrity::Intact,
            checks: [("Chuỗi chứng thư", s.trust), ("Hiệu lực khi ký", s.validity), ("Thu hồi", s.revocation)]
                .into_iter()
                .map(|(label, c)| CheckLine { label: label.into(), state: check_state(c.state), message: c.message })
                .collect(),
            signer: s.signer,
            level: s.level,
            problem: s.problem,
        })
        .collect())
}

/// Opens a commune's signed report (or the scan of its paper) in the system viewer, and
/// checks its digital signatures in place. `document` is the copy's `attachments/…` name.
#[tauri::command]
pub async fn rollup_open_document(
    side: State<'_, SyncSide>,
    handle: AppHandle,
    req: cmd::RollupOpenDocument,
) -> Ans<cmd::RollupOpenDocument> {
    let document = req.document;
    // The name comes from a commune's data: only a file of the copies' attachment store named
    // by its SHA-256 is read, and only when its content is that hash.
    let (bytes, anchors) = on_side(&side, move |s| {
        let sha = document.strip_prefix("attachments/").map(|n| n.strip_suffix(".pdf").unwrap_or(n)).unwrap_or("");
        let named = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        let dir = s
            .data_dir()
            .map(|d| d.join(district::DIR))
            .filter(|_| named)
            .ok_or_else(|| CommandError::invalid("Tệp không hợp lệ"))?;
        let bytes = std::fs::read(dir.join(&document)).map_err(|_| {
            CommandError::not_found(
                "Máy này chưa có tệp báo cáo của xã (xã chưa gửi kèm tệp, hoặc chưa đồng bộ xong tệp đính kèm).",
            )
        })?;
        if kehoach_sign::sha256_hex(&bytes) != sha {
            return Err(CommandError::refused(
                "Tệp báo cáo của xã trên máy này đã bị thay đổi (không khớp mã băm): hãy nhập lại tệp của xã.",
            ));
        }
        // The roots this PC trusts: the system's and those installed with `kehoach report trust add`.
        let anchors = kehoach_sign::TrustAnchors::for_store(s).map_err(fail)?;
        Ok((bytes, anchors))
    })
    .await?;
    let kind = if bytes.starts_with(b"%PDF-") {
        "pdf"
    } else if bytes.starts_with(b"\x89PNG") {
        "png"
    } else {
        "jpeg"
    };
    let signatures = if kind == "pdf" { signature_checks(&bytes, &anchors)? } else { Vec::new() };
    // The viewer's copy goes into a directory made for it alone (see `report::private_copy`).
    let name = format!("bao-cao-cua-xa.{}", if kind == "jpeg" { "jpg" } else { kind });
    let open_error = crate::report::private_copy(&name, &bytes)
        .and_then(|path| {
            handle
                .opener()
                .open_path(path.display().to_string(), None::<&str>)
                .map_err(|e| CommandError::io(e.to_string()))
        })
        .err()
        .map(|e| format!("Không mở được trình xem: {e}"));
    Ok(cmd::DocumentCheck { kind: kind.into(), signatures, open_error })
}

/// A month not over yet on this PC's calendar: with nothing sent it is not missing, just not due
/// (left blank on paper, as on the screen).
fn not_over(year: i32, month: u32) -> bool {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    (year, month) >= (today.year(), today.month())
}

/// The roll-up of `period` as printed: from the copies on this PC (the screen has just fetched
/// from the hub), with the year's grid.
fn print_of(s: &Store, period: &str) -> Res<RollupPrint> {
    let p = reports::parse_period(period).map_err(fail)?;
    let r = rollup_of(s, &p, None)?;
    let grid = district::year_grid(s, p.year, None).map_err(fail)?;
    Ok(RollupPrint {
        title: String::new(),
        unit: r.unit,
        period: r.period,
        as_of: r.as_of,
        reported: r.reported,
        totals: Some(r.totals),
        communes: r
            .communes
            .into_iter()
            .map(|c| RollupCommune {
                report: RollupReport::from_wire(c.report_status.as_deref(), c.ops),
                status: Some(c.state.status).filter(|_| c.ops > 0),
                late_days: c.state.late_days,
                issued_at: c.state.issued_at,
                reason: c.state.review_reason.or(c.error.map(|e| format!("không đọc được dữ liệu ({e})"))),
                name: c.name,
                tasks: c.tasks,
                done: c.done,
                overdue: c.overdue,
            })
            .collect(),
        targets: r.targets,
        grid: grid
            .communes
            .into_iter()
            .map(|g| RollupGridRow {
                name: g.name,
                months: g
                    .months
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        Some(m.status).filter(|s| *s != RollupStatus::None || !not_over(grid.year, i as u32 + 1))
                    })
                    .collect(),
            })
            .collect(),
        grid_year: Some(grid.year),
    })
}

/// "Lưu PDF để in…" / "Lưu Excel…": the view of `period` written to `path`.
#[tauri::command]
pub async fn rollup_export(side: State<'_, SyncSide>, req: cmd::RollupExport) -> Ans<cmd::RollupExport> {
    let cmd::RollupExport { period, format, path } = req;
    let print = on_side(&side, move |s| print_of(s, &period)).await?;
    let bytes = match format.as_str() {
        "pdf" => kehoach_report::render_rollup_pdf(&print, chrono::Local::now().fixed_offset()),
        "xlsx" => kehoach_report::render_rollup_xlsx(&print),
        other => return Err(CommandError::invalid(format!("Định dạng không hỗ trợ: {other}"))),
    }
    .map_err(fail)?;
    let path = PathBuf::from(path);
    write_file(&path, &bytes)?;
    Ok(path.display().to_string())
}
