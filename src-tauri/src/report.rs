//! Report commands: schedule, drafts, saving, and rendering to a file the officer chose or to
//! a temporary file opened in the system's PDF viewer (Tauri has no print API: printing is
//! done from the viewer).

use std::path::PathBuf;

use kehoach_core::reports;
use kehoach_model::contract::{self as cmd, CommandError, ErrorKind, KeySource};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

use crate::error::fail;
use crate::{changed, with, with_change, write_file, Ans, App, Res};

#[tauri::command]
pub fn report_schedule(app: State<App>, req: cmd::ReportSchedule) -> Ans<cmd::ReportSchedule> {
    with(&app, |s| reports::report_schedule(s, req.as_of.as_deref()))
}

#[tauri::command]
pub fn list_reports(app: State<App>, req: cmd::ListReports) -> Ans<cmd::ListReports> {
    with(&app, |s| reports::list_reports(s, req.plan_id))
}

/// Composes (and saves) the draft of a plan's report for a period ("2023-03", "2023-Q1", "2023").
#[tauri::command]
pub fn draft_report(app: State<App>, handle: AppHandle, req: cmd::DraftReport) -> Ans<cmd::DraftReport> {
    with_change(&app, &handle, |s| {
        let p = reports::parse_period(&req.period)?;
        reports::draft_report(s, req.plan_id, &p, None)
    })
}

#[tauri::command]
pub fn get_report(app: State<App>, req: cmd::GetReport) -> Ans<cmd::GetReport> {
    with(&app, |s| reports::report(s, req.id))
}

#[tauri::command]
pub fn save_report(app: State<App>, handle: AppHandle, req: cmd::SaveReport) -> Ans<cmd::SaveReport> {
    with_change(&app, &handle, |s| reports::save_report(s, req.id, &req.content))
}

/// "Đã ký tay và gửi": the report was printed, signed by hand and sent. The number and the
/// date (ISO) go into the report; the scan of the paper (PDF, PNG, JPEG), if chosen, is copied
/// into the data directory; the current version becomes issued.
#[tauri::command]
pub fn issue_by_hand(app: State<App>, handle: AppHandle, req: cmd::IssueByHand) -> Ans<cmd::IssueByHand> {
    let cmd::IssueByHand { id, number, date, scan } = req;
    let form = reports::HandIssue { number, date, scan };
    with_change(&app, &handle, |s| reports::issue_by_hand(s, id, &form, chrono::Local::now().fixed_offset()))
}

/// Renders the saved report. Nothing is written when a setting is missing or a character is
/// not in the font; the file appears whole or not at all.
fn render(app: &State<App>, id: Uuid, format: &str) -> Res<Vec<u8>> {
    let draft = with(app, |s| reports::report(s, id))?;
    if !draft.missing.is_empty() {
        return Err(CommandError::invalid(format!("Chưa thể in báo cáo. Còn thiếu: {}", draft.missing.join(", "))));
    }
    let c = &draft.content;
    let r = match format {
        "pdf" => kehoach_report::render_report_pdf(c, chrono::Local::now().fixed_offset()),
        "docx" => kehoach_report::render_report_docx(c),
        "xlsx" => kehoach_report::render_report_xlsx(c),
        other => return Err(CommandError::invalid(format!("Định dạng không hỗ trợ: {other}"))),
    };
    r.map_err(fail)
}

#[tauri::command]
pub async fn export_report(app: State<'_, App>, req: cmd::ExportReport) -> Ans<cmd::ExportReport> {
    let bytes = render(&app, req.id, &req.format)?;
    let path = PathBuf::from(req.path);
    write_file(&path, &bytes)?;
    Ok(path.display().to_string())
}

/// The pages of the report as images for the in-app preview (PNG data URLs), rendered from
/// the very PDF that "Lưu PDF" and "Xem / In" produce. Slow reports show the progress bar.
#[tauri::command]
pub async fn preview_report(app: State<'_, App>, req: cmd::PreviewReport) -> Ans<cmd::PreviewReport> {
    use base64::Engine;
    let pdf = render(&app, req.id, "pdf")?;
    let width = req.width.unwrap_or(900).clamp(kehoach_preview::MIN_WIDTH_PX, 2400);
    let pages = tauri::async_runtime::spawn_blocking(move || kehoach_preview::render_pages(&pdf, width))
        .await
        .map_err(fail)?
        .map_err(fail)?;
    Ok(pages
        .iter()
        .map(|p| format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(&p.png)))
        .collect())
}

/// "Xem / In": the PDF in the system viewer.
#[tauri::command]
pub async fn open_report_pdf(
    app: State<'_, App>,
    handle: AppHandle,
    req: cmd::OpenReportPdf,
) -> Ans<cmd::OpenReportPdf> {
    let bytes = render(&app, req.id, "pdf")?;
    let path = private_copy("bao-cao.pdf", &bytes)?;
    handle
        .opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| CommandError::io(format!("Không mở được trình xem PDF: {e}")))?;
    Ok(path.display().to_string())
}

/// The report's signed PDF. The record came from another PC: only the attachment store's file
/// of the recorded hash is read, never a path the record spells out (an absolute or UNC path
/// would open or run anything) — see `kehoach_sign::signed_pdf_bytes`.
fn signed_bytes(app: &State<'_, App>, id: Uuid) -> Res<Vec<u8>> {
    with(app, |s| {
        let d = reports::report(s, id)?;
        Ok::<_, kehoach_core::CoreError>(d.signed.and_then(|c| kehoach_sign::signed_pdf_bytes(s, &c.sha256)))
    })?
    .ok_or_else(|| CommandError::not_found("Không tìm thấy bản đã ký trên máy này (chưa đồng bộ tệp đính kèm?)"))
}

/// "Kiểm tra chữ ký": the signed PDF's signatures checked as `kehoach report verify` does —
/// integrity, the chain to a root this PC trusts (the system's and those installed with
/// `kehoach report trust add`), the validity when it signed; revocation is not looked up here
/// (a PC without a network would wait on the download) and says so.
#[tauri::command]
pub async fn check_signed_pdf(app: State<'_, App>, req: cmd::CheckSignedPdf) -> Ans<cmd::CheckSignedPdf> {
    let bytes = signed_bytes(&app, req.id)?;
    let anchors = with(&app, |s| kehoach_sign::TrustAnchors::for_store(s))?;
    crate::rollup::signature_checks(&bytes, &anchors)
}

/// "Mở bản đã ký": the signed PDF kept in the data directory, in the system viewer.
#[tauri::command]
pub async fn open_signed_pdf(
    app: State<'_, App>,
    handle: AppHandle,
    req: cmd::OpenSignedPdf,
) -> Ans<cmd::OpenSignedPdf> {
    let bytes = signed_bytes(&app, req.id)?;
    let path = private_copy("ban-da-ky.pdf", &bytes)?;
    handle
        .opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| CommandError::io(format!("Không mở được trình xem PDF: {e}")))?;
    Ok(path.display().to_string())
}

/// A copy of `bytes` for the system viewer, in a directory made for it alone: created, never
/// reused, so a name planted in the shared temporary directory (a link to another file) is
/// never written through.
pub(crate) fn private_copy(name: &str, bytes: &[u8]) -> Res<std::path::PathBuf> {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("kehoach-{}", Uuid::now_v7()));
    std::fs::create_dir(&dir)
        .map_err(|e| CommandError::io(format!("Không tạo được thư mục tạm {}: {e}", dir.display())))?;
    let path = dir.join(name);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| CommandError::io(format!("Không ghi được tệp {}: {e}", path.display())))?;
    Ok(path)
}

/// The key `k` names, opened. The PIN is tried once: tokens lock after a few misses.
fn open_signer(k: &KeySource) -> Res<Box<dyn kehoach_sign::Signer>> {
    if let Some(p12) = k.p12.as_deref().filter(|p| !p.is_empty()) {
        let bytes = crate::read_file(std::path::Path::new(p12))?;
        let s = kehoach_sign::P12Signer::open(&bytes, k.password.as_deref().unwrap_or("")).map_err(fail)?;
        return Ok(Box::new(s));
    }
    let module = k.module.as_deref().filter(|m| !m.is_empty()).unwrap_or("auto");
    let path = if module == "auto" {
        kehoach_sign::pkcs11::discover_modules()
            .into_iter()
            .map(|m| m.path)
            .find(|p| kehoach_sign::pkcs11::list_tokens(p).map(|t| !t.is_empty()).unwrap_or(false))
            .ok_or_else(|| {
                CommandError::new(
                    ErrorKind::Unreachable,
                    "Không tìm thấy USB token nào. Hãy cắm token hoặc nhập đường dẫn thư viện PKCS#11.",
                )
            })?
    } else {
        PathBuf::from(module)
    };
    let choice = kehoach_sign::pkcs11::TokenChoice::default();
    let s = kehoach_sign::Pkcs11Signer::open(&path, k.pin.as_deref().unwrap_or(""), &choice).map_err(fail)?;
    Ok(Box::new(s))
}

/// The time-stamping service last used for signing on this PC (a local setting: each
/// office has its own CA contract), empty when none.
#[tauri::command]
pub fn tsa_url(app: State<App>, req: cmd::TsaUrl) -> Ans<cmd::TsaUrl> {
    let cmd::TsaUrl {} = req;
    with(&app, |s| s.local_setting(TSA_KEY)).map(Option::unwrap_or_default)
}

const TSA_KEY: &str = "sign.tsa_url";

/// Signs the saved report and writes the signed PDF where the officer chose; a copy is kept
/// in the data directory and its hash recorded on the report. With a time-stamping service
/// the signature is PAdES B-T when the service answers, B-B (and the message says so) when
/// there is no connection.
#[tauri::command]
pub async fn sign_report(app: State<'_, App>, handle: AppHandle, req: cmd::SignReport) -> Ans<cmd::SignReport> {
    let cmd::SignReport { id, key, path, tsa_url } = req;
    let signer = open_signer(&key)?;
    let tsa_url = tsa_url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let opts = kehoach_sign::SignOptions { tsa_url: tsa_url.clone(), ..Default::default() };
    let r = with(&app, |s| {
        s.set_local_setting(TSA_KEY, tsa_url.as_deref().unwrap_or("")).map_err(fail)?;
        kehoach_sign::sign_report(s, id, signer.as_ref(), &opts, chrono::Local::now().fixed_offset()).map_err(fail)
    })?;
    let path = PathBuf::from(path);
    std::fs::write(&path, &r.pdf)
        .map_err(|e| CommandError::io(format!("Không ghi được tệp {}: {e}", path.display())))?;
    changed(&handle);
    let mut msg = format!("Đã ký số bởi {} ({}) — lưu tại {}.", r.signer, r.level, path.display());
    if !r.note.is_empty() {
        msg += &format!(" {}", r.note);
    }
    Ok(msg)
}
