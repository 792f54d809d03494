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
use kehoach_model::{ReviewDecision, RollupStatus};
use kehoach_report::{RollupCommune, RollupGridRow, RollupPrint, RollupReport, RollupTarget};
use kehoach_sync::district::{self, YearGrid};
use kehoach_sync::hub_auth::wire::Rollup;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

use crate::sync::SyncSide;
use crate::{changed, write_file, Res};

/// What the screen shows for a period: the roll-up, the communes × months grid of its year,
/// and why the hub could not be reached (the copies on this PC are shown then).
#[derive(Serialize)]
pub struct RollupView {
    rollup: Rollup,
    grid: YearGrid,
    hub: bool,
    hub_error: Option<String>,
}

/// Runs `f` on the sync side's store, off the UI thread.
pub(crate) async fn on_side<T: Send + 'static>(
    side: &State<'_, SyncSide>,
    f: impl FnOnce(&Store) -> Res<T> + Send + 'static,
) -> Res<T> {
    let store = side.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let s = store.lock().map_err(|_| "Lỗi nội bộ: kho dữ liệu bị khóa".to_string())?;
        f(&s)
    })
    .await
    .map_err(|e| e.to_string())?
}

pub(crate) fn hub_url(s: &Store) -> Res<Option<String>> {
    Ok(kehoach_sync::hub_url(s).map_err(|e| e.to_string())?.filter(|u| !u.trim().is_empty()))
}

/// The communes the hub lists for this PC's unit, their copies brought up to date (and the
/// district's decisions not yet there pushed). The same steps as `kehoach rollup --hub`.
fn refresh_from_hub(s: &Store, url: &str, period: &str) -> Result<Vec<Uuid>, kehoach_sync::SyncError> {
    district::refresh_from_hub(s, &kehoach_sync::HubClient::for_store(s, url)?, period)
}

/// The roll-up of `period` from the copies, titled with the unit's name (see
/// `district::unit_name`).
fn rollup_of(s: &Store, p: &kehoach_model::ReportPeriod, expected: Option<&[Uuid]>) -> Res<Rollup> {
    district::rollup(s, p, expected).map_err(|e| e.to_string())
}

/// The roll-up of `period` and its year's grid; with a hub, fetched from it first (a hub that
/// does not answer leaves the copies as they are, and the screen says so).
#[tauri::command]
pub async fn rollup(side: State<'_, SyncSide>, period: String) -> Res<RollupView> {
    on_side(&side, move |s| {
        let p = reports::parse_period(&period).map_err(|e| e.to_string())?;
        let (mut expected, mut hub_error) = (None, None);
        let url = hub_url(s)?;
        if let Some(url) = &url {
            match refresh_from_hub(s, url, &p.code()) {
                Ok(c) => expected = Some(c),
                Err(e) => hub_error = Some(e.to_string()),
            }
        }
        let rollup = rollup_of(s, &p, expected.as_deref())?;
        let grid = district::year_grid(s, p.year, expected.as_deref()).map_err(|e| e.to_string())?;
        Ok(RollupView { rollup, grid, hub: url.is_some(), hub_error })
    })
    .await
}

/// "Nhập tệp của xã…": a bundle a commune sent on a USB stick, into this PC's copy of it.
#[tauri::command]
pub async fn rollup_import(
    side: State<'_, SyncSide>,
    path: String,
    accept_device: bool,
) -> Res<district::CommuneImport> {
    let bytes = std::fs::read(&path).map_err(|e| format!("Không đọc được tệp {path}: {e}"))?;
    on_side(&side, move |s| district::import_commune_bundle(s, &bytes, accept_device).map_err(|e| e.to_string())).await
}

/// Accepts, returns (with a reason) or reopens a commune's report for `period`; with a hub the
/// decision is sent at once, else "Ghi quyết định ra tệp…" carries it.
#[tauri::command]
pub async fn rollup_decide(
    side: State<'_, SyncSide>,
    handle: AppHandle,
    commune: Uuid,
    period: String,
    decision: ReviewDecision,
    reason: String,
) -> Res<String> {
    let r = on_side(&side, move |s| {
        let p = reports::parse_period(&period).map_err(|e| e.to_string())?;
        let now = chrono::Local::now().fixed_offset();
        let d = district::decide(s, commune, &p, decision, &reason, now).map_err(|e| e.to_string())?;
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
pub async fn rollup_decision_file(side: State<'_, SyncSide>, commune: Uuid, path: String) -> Res<String> {
    let bytes = on_side(&side, move |s| district::decision_bundle(s, commune).map_err(|e| e.to_string())).await?;
    let path = PathBuf::from(path);
    write_file(&path, &bytes.0)?;
    Ok(path.display().to_string())
}

/// One signature of a commune's signed report, checked here.
#[derive(Serialize)]
pub struct SignatureCheck {
    signer: String,
    /// RFC 3339: the timestamp's time when there is a valid one, else the claimed time.
    time: Option<String>,
    level: String,
    intact: bool,
    /// Why it is not intact, in Vietnamese.
    problem: String,
    /// The lines `kehoach report verify` prints besides integrity: the chain to a trusted
    /// root, the certificate's validity when it signed, revocation.
    checks: Vec<CheckLine>,
}

/// One line of a signature's check: its label, "ok", "failed" or "unknown", and what was found.
#[derive(Serialize)]
pub struct CheckLine {
    label: String,
    state: kehoach_sign::CheckState,
    message: String,
}

/// Every signature of a PDF checked against `anchors`, as the screens show them (the commune's
/// own signed report and a commune's report on the district's PC alike).
pub(crate) fn signature_checks(pdf: &[u8], anchors: &kehoach_sign::TrustAnchors) -> Res<Vec<SignatureCheck>> {
    Ok(kehoach_sign::verify_pdf_trusting(pdf, anchors, chrono::Utc::now())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|s| SignatureCheck {
            time: s.timestamp.as_ref().filter(|t| t.is_valid()).map(|t| t.time.clone()).or(s.signing_time.clone()),
            intact: s.integrity == kehoach_sign::Integrity::Intact,
            checks: [("Chuỗi chứng thư", s.trust), ("Hiệu lực khi ký", s.validity), ("Thu hồi", s.revocation)]
                .into_iter()
                .map(|(label, c)| CheckLine { label: label.into(), state: c.state, message: c.message })
                .collect(),
            signer: s.signer,
            level: s.level,
            problem: s.problem,
        })
        .collect())
}

/// A commune's report document as opened: what it is, its signatures, and whether the
/// system viewer could be started.
#[derive(Serialize)]
pub struct DocumentCheck {
    /// "pdf", "png" or "jpeg".
    kind: String,
    signatures: Vec<SignatureCheck>,
    open_error: Option<String>,
}

/// Opens a commune's signed report (or the scan of its paper) in the system viewer, and
/// checks its digital signatures in place. `document` is the copy's `attachments/…` name.
#[tauri::command]
pub async fn rollup_open_document(
    side: State<'_, SyncSide>,
    handle: AppHandle,
    document: String,
) -> Res<DocumentCheck> {
    // The name comes from a commune's data: only a file of the copies' attachment store named
    // by its SHA-256 is read, and only when its content is that hash.
    let (bytes, anchors) = on_side(&side, move |s| {
        let sha = document.strip_prefix("attachments/").map(|n| n.strip_suffix(".pdf").unwrap_or(n)).unwrap_or("");
        let named = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        let dir = s.data_dir().map(|d| d.join(district::DIR)).filter(|_| named).ok_or("Tệp không hợp lệ")?;
        let bytes = std::fs::read(dir.join(&document)).map_err(|_| {
            "Máy này chưa có tệp báo cáo của xã (xã chưa gửi kèm tệp, hoặc chưa đồng bộ xong tệp đính kèm).".to_string()
        })?;
        if kehoach_sign::sha256_hex(&bytes) != sha {
            return Err(
                "Tệp báo cáo của xã trên máy này đã bị thay đổi (không khớp mã băm): hãy nhập lại tệp của xã.".into()
            );
        }
        // The roots this PC trusts: the system's and those installed with `kehoach report trust add`.
        let anchors = kehoach_sign::TrustAnchors::for_store(s).map_err(|e| e.to_string())?;
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
        .and_then(|path| handle.opener().open_path(path.display().to_string(), None::<&str>).map_err(|e| e.to_string()))
        .err()
        .map(|e| format!("Không mở được trình xem: {e}"));
    Ok(DocumentCheck { kind: kind.into(), signatures, open_error })
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
    let p = reports::parse_period(period).map_err(|e| e.to_string())?;
    let r = rollup_of(s, &p, None)?;
    let grid = district::year_grid(s, p.year, None).map_err(|e| e.to_string())?;
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
pub async fn rollup_export(side: State<'_, SyncSide>, period: String, format: String, path: String) -> Res<String> {
    let print = on_side(&side, move |s| print_of(s, &period)).await?;
    let bytes = match format.as_str() {
        "pdf" => kehoach_report::render_rollup_pdf(&print, chrono::Local::now().fixed_offset()),
        "xlsx" => kehoach_report::render_rollup_xlsx(&print),
        other => return Err(format!("Định dạng không hỗ trợ: {other}")),
    }
    .map_err(|e| e.to_string())?;
    let path = PathBuf::from(path);
    write_file(&path, &bytes)?;
    Ok(path.display().to_string())
}
