//! Plan-document import: reads a Đề án 06 implementation plan (.txt, .md, .docx) into the
//! plan-import JSON shape of `PLAN_SCHEMA.md` ([`kehoach_model::ImportedPlan`]).
//!
//! The pipeline: normalise the text and repair broken lines ([`normalize`]), split the document
//! into its parts ([`parts`]), read the header, the tasks written as text ([`tasks`]) and as
//! tables ([`tables`]), the reporting regime and the targets.

pub mod derive;
mod docx;
mod fields;
mod header;
mod legacy;
mod levels;
mod markers;
mod normalize;
mod parts;
mod pdf;
mod reporting;
mod tables;
mod targets;
mod tasks;
mod timeframe;

use std::path::Path;
use std::sync::LazyLock;

use kehoach_model::{ImportedPlan, ImportedTarget};
use regex::Regex;

pub use kehoach_model::{Due, DueKind};
pub use levels::{levels_in, read_time};
pub use timeframe::parse_due;

use parts::PartKind;

/// Why a document could not be imported. Messages are for the commune officer, in Vietnamese.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("Không đọc được tệp {path}: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Định dạng tệp không được hỗ trợ: {0} (chỉ nhận .txt, .md, .docx, .pdf, .doc)")]
    UnsupportedFormat(String),
    #[error("Tệp PDF là ảnh quét, không có chữ để đọc; hãy dùng tệp Word (.docx) hoặc PDF có lớp chữ của kế hoạch")]
    ScannedPdf,
    #[error("Tệp PDF có mật khẩu bảo vệ; hãy dùng bản không đặt mật khẩu hoặc tệp Word (.docx)")]
    EncryptedPdf,
    #[error("Tệp PDF bị hỏng hoặc không đọc được: {0}")]
    CorruptPdf(String),
    #[error("Tệp Word 97–2003 (.doc) cần LibreOffice để đọc, mà máy này chưa cài; hãy mở tệp bằng Word và lưu lại dạng .docx")]
    DocNeedsLibreOffice,
    #[error("Không chuyển được tệp .doc sang .docx bằng LibreOffice: {0}; hãy mở tệp bằng Word và lưu lại dạng .docx")]
    DocConversion(String),
    #[error("Văn bản dùng bảng mã cũ {0}, không phải Unicode; hãy chuyển sang Unicode (Unikey: Công cụ chuyển mã, hoặc lưu lại trong Word với phông Unicode như Times New Roman) rồi nhập lại")]
    LegacyEncoding(&'static str),
    #[error("Tệp quá lớn để là một kế hoạch: {0}")]
    TooLarge(String),
    #[error("Tệp {0} không phải văn bản mã hóa UTF-8 hợp lệ; hãy lưu lại tệp với bảng mã UTF-8")]
    InvalidUtf8(String),
    #[error("Tệp Word (.docx) bị hỏng hoặc không đúng định dạng: {0}")]
    CorruptDocx(String),
    #[error("Không tìm thấy nhiệm vụ nào trong tài liệu")]
    NoTasks,
}

static RE_APPENDIX_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^phụ\s+lục\s+([IVX]+|\d+)\b").unwrap());

/// Parses a plan written as plain text or Markdown.
pub fn parse_text(text: &str) -> ImportedPlan {
    let lines = normalize::logical_lines(text);
    let parts = parts::split_parts(&lines);
    let preamble = &lines[parts[0].start..parts[0].end];
    let doc = header::parse_header(preamble, &lines);
    let year = header::plan_year(&doc);

    let has_task_part = parts.iter().any(|p| p.kind == PartKind::Tasks);
    let appendix_of = |i: usize| -> Option<(String, String)> {
        let p = parts.iter().rev().find(|p| p.start <= i + 1 && i < p.end.max(p.start))?;
        (p.kind == PartKind::Appendix)
            .then(|| (appendix_label(&p.title).unwrap_or_else(|| p.title.clone()), p.title.clone()))
    };
    let table_out = tables::parse_tables(&lines, year, &appendix_of);
    let mut tasks = text_tasks(&lines, &parts, has_task_part, year, false);
    if tasks.is_empty() && table_out.tasks.is_empty() {
        // Nothing names a unit or a time: fall back to the items of the task part.
        tasks = text_tasks(&lines, &parts, has_task_part, year, true);
    }
    // An assignment sheet that is not labelled "Phụ lục" is not an appendix.
    tasks.extend(table_out.tasks.into_iter().map(|mut t| {
        if t.appendix.as_deref().is_some_and(|a| !a.to_lowercase().starts_with("phụ lục")) {
            t.appendix = None;
        }
        t
    }));

    // A time that names one date per level keeps each level's; `due` stays the time's first
    // date until the importing unit's level is known (`due_for_level`).
    for t in &mut tasks {
        if let Some(time) = &t.time_text {
            t.due_by_level = levels::levels_in(time, year);
        }
    }

    let reporting = reporting::parse_reporting(&lines);
    let targets = collect_targets(&lines, &parts, &tasks);

    ImportedPlan { doc, reporting, tasks, checklists: table_out.checklists, targets, parent: None }
}

fn text_tasks(
    lines: &[normalize::Line],
    parts: &[parts::Part],
    has_task_part: bool,
    year: Option<i32>,
    fallback: bool,
) -> Vec<kehoach_model::ImportedTask> {
    let mut tasks = Vec::new();
    for p in parts {
        let wanted = match p.kind {
            PartKind::Tasks | PartKind::Appendix => true,
            // A plan without a recognisable task part: any item with a unit or a time counts.
            PartKind::Preamble | PartKind::Other => !has_task_part,
            _ => false,
        };
        if !wanted {
            continue;
        }
        let mut found = tasks::parse_task_part(&lines[p.start..p.end], year, fallback && p.kind != PartKind::Preamble);
        if p.kind == PartKind::Appendix {
            let label = appendix_label(&p.title);
            for t in &mut found {
                t.appendix = label.clone();
            }
        }
        tasks.extend(found);
    }
    tasks
}

fn appendix_label(title: &str) -> Option<String> {
    RE_APPENDIX_LABEL.captures(title.trim()).map(|c| format!("Phụ lục {}", c[1].to_uppercase()))
}

fn collect_targets(
    lines: &[normalize::Line],
    parts: &[parts::Part],
    tasks: &[kehoach_model::ImportedTask],
) -> Vec<ImportedTarget> {
    let mut out: Vec<ImportedTarget> = Vec::new();
    for p in parts.iter().filter(|p| p.kind == PartKind::Objectives) {
        let mut period: Option<String> = None;
        for l in lines[p.start..p.end].iter().filter(|l| !l.is_table()) {
            let body = markers::split_marker(&l.text).map(|(_, rest)| rest).unwrap_or_else(|| l.text.clone());
            if let Some(pp) = targets::period_heading(&body) {
                period = Some(pp);
                continue;
            }
            if matches!(markers::split_marker(&l.text), Some((markers::Marker::Num(..), _))) {
                period = None;
            }
            out.extend(targets::targets_in(&l.text, period.as_deref()));
        }
    }
    for t in tasks {
        out.extend(targets::targets_in(&t.text, t.time_text.as_deref()));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.text.clone()));
    out
}

/// A time that names one date per level ("cấp huyện từ ngày 01/7/2023; cấp xã từ ngày
/// 01/10/2023") gives the importing unit the date of its own level: a commune takes cấp xã's.
/// `level` is the settings' level ("commune", "ward", "township", "district", "province");
/// a time naming one date for all is left as read.
pub fn due_for_level(plan: &mut ImportedPlan, level: Option<&str>) {
    let year = header::plan_year(&plan.doc);
    for t in &mut plan.tasks {
        match &t.time_text {
            Some(time) if !t.due_by_level.is_empty() => t.due = read_time(time, year, level).due,
            _ => {}
        }
    }
}

/// The most text read from any document: real plans are tens of kilobytes; past this the
/// import is refused rather than left to take the PC's memory and time.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

fn checked_text(text: &str) -> Result<(), ImportError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ImportError::TooLarge(format!(
            "{} MB chữ (tối đa {} MB)",
            text.len() / (1024 * 1024),
            MAX_TEXT_BYTES / (1024 * 1024)
        )));
    }
    if let Some(enc) = legacy::detect_text(text) {
        return Err(ImportError::LegacyEncoding(enc));
    }
    Ok(())
}

/// Parses a Word document. Fails only when the file is not a readable .docx.
pub fn parse_docx(bytes: &[u8]) -> Result<ImportedPlan, ImportError> {
    let text = docx::docx_to_text(bytes).map_err(|e| ImportError::CorruptDocx(e.0))?;
    checked_text(&text)?;
    Ok(parse_text(&text))
}

/// Parses a PDF by its text layer; a scan (no text) is refused with a message saying so.
pub fn parse_pdf(bytes: &[u8]) -> Result<ImportedPlan, ImportError> {
    let text = pdf_text(bytes)?;
    checked_text(&text)?;
    Ok(parse_text(&text))
}

/// The text a PDF's text layer gives the parser (printed lines, tab cells, wrapped lines
/// joined).
pub fn pdf_text(bytes: &[u8]) -> Result<String, ImportError> {
    pdf::pdf_to_text(bytes).map_err(|e| match e {
        pdf::PdfError::Scanned => ImportError::ScannedPdf,
        pdf::PdfError::Encrypted => ImportError::EncryptedPdf,
        pdf::PdfError::TooLarge(s) => ImportError::TooLarge(s),
        pdf::PdfError::Corrupt(s) => ImportError::CorruptPdf(s),
    })
}

/// A legacy Word 97–2003 file, converted to .docx by LibreOffice when it is installed.
fn parse_doc(path: &Path) -> Result<ImportedPlan, ImportError> {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
        .ok_or(ImportError::DocNeedsLibreOffice)?;
    let dir = std::env::temp_dir().join(format!("kehoach-doc-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).map_err(|e| ImportError::DocConversion(e.to_string()))?;
    let result = (|| {
        // Its own profile: a LibreOffice the officer has open does not block the conversion.
        let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
        let mut child = std::process::Command::new(soffice)
            .arg(profile)
            .args(["--headless", "--convert-to", "docx", "--outdir"])
            .arg(&dir)
            .arg(path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| ImportError::DocConversion(e.to_string()))?;
        let started = std::time::Instant::now();
        loop {
            match child.try_wait().map_err(|e| ImportError::DocConversion(e.to_string()))? {
                Some(_) => break,
                None if started.elapsed() > std::time::Duration::from_secs(120) => {
                    let _ = child.kill();
                    return Err(ImportError::DocConversion("quá 2 phút".into()));
                }
                None => std::thread::sleep(std::time::Duration::from_millis(100)),
            }
        }
        let stem = path.file_stem().map(|s| s.to_owned()).unwrap_or_default();
        let out = dir.join(stem).with_extension("docx");
        let bytes =
            std::fs::read(&out).map_err(|_| ImportError::DocConversion("LibreOffice không tạo ra tệp .docx".into()))?;
        parse_docx(&bytes)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// Reads a plan from a file, choosing the reader by extension (.txt, .md, .docx, .pdf, .doc).
/// A document in which no task is found is an error: importing it would create an empty plan.
pub fn read_file(path: &Path) -> Result<ImportedPlan, ImportError> {
    let shown = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_lowercase()).unwrap_or_default();
    if !matches!(ext.as_str(), "txt" | "md" | "docx" | "pdf" | "doc") {
        let what = if ext.is_empty() { shown.clone() } else { format!(".{ext}") };
        return Err(ImportError::UnsupportedFormat(what));
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Unreadable { path: shown.clone(), source })?;
    let plan = match ext.as_str() {
        "docx" => parse_docx(&bytes)?,
        "pdf" => parse_pdf(&bytes)?,
        "doc" => parse_doc(path)?,
        _ => {
            if bytes.len() > MAX_TEXT_BYTES {
                return Err(ImportError::TooLarge(format!(
                    "{} MB (tối đa {} MB)",
                    bytes.len() / (1024 * 1024),
                    MAX_TEXT_BYTES / (1024 * 1024)
                )));
            }
            let Some(text) = decode_text(&bytes) else {
                // Not UTF-8: a file typed with a legacy Vietnamese font is named as such.
                return Err(match legacy::detect_bytes(&bytes) {
                    Some(enc) => ImportError::LegacyEncoding(enc),
                    None => ImportError::InvalidUtf8(shown),
                });
            };
            checked_text(&text)?;
            parse_text(&text)
        }
    };
    if plan.tasks.is_empty() {
        return Err(ImportError::NoTasks);
    }
    Ok(plan)
}

/// UTF-8 (with or without BOM), or UTF-16 with a BOM as Windows Notepad saves it.
fn decode_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).ok();
    }
    let utf16 = |rest: &[u8], le: bool| -> Option<String> {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).ok()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    String::from_utf8(bytes.to_vec()).ok()
}
