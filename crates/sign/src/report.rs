//! Signing a saved kehoach report: render it, sign it, keep the signed PDF in the data
//! directory and record its hash on the report through the one write path. The CLI and the
//! desktop app both call this, so a report signed either way is frozen the same way.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use kehoach_core::record::report as field;
use kehoach_core::{reports, Change, Kind, Store};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{Appearance, Placement, SignError, Signer};

#[derive(Debug, thiserror::Error)]
pub enum SignReportError {
    #[error(transparent)]
    Core(#[from] kehoach_core::CoreError),
    #[error(transparent)]
    Render(#[from] kehoach_report::RenderError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("Không ghi được tệp {path}: {reason}")]
    Io { path: String, reason: String },
}

/// What the visible signature says beyond the report's own signature block.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// The signer's title; default: the report's signature block title.
    pub title: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    pub placement: Placement,
    /// An RFC 3161 time-stamping service (`http://…`) for a PAdES B-T signature; `None`
    /// signs B-B. An unreachable service still signs (B-B, said in [`SignedReport::note`]);
    /// a wrong answer refuses.
    pub tsa_url: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SignedReport {
    #[serde(skip)]
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub signer: String,
    /// The copy kept under `<data dir>/attachments/`.
    pub attachment: PathBuf,
    /// "PAdES B-T" (timestamped) or "PAdES B-B".
    pub level: String,
    /// For the officer: the timestamp's source and time, or why there is none.
    pub note: String,
    pub timestamp: Option<crate::TimestampInfo>,
}

/// The SHA-256 of a signed PDF in lowercase hex: what is recorded on the report, and its name
/// in the attachments directory.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn data_dir(store: &Store) -> PathBuf {
    store.data_dir().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| PathBuf::from("."))
}

/// The hidden name a signed PDF is written under until the report that names it is committed.
fn pending_name(sha256: &str) -> String {
    format!(".{sha256}.pdf.part")
}

/// Writes a new file, refusing to follow or reuse whatever already has its name (a symlink
/// planted there, a leftover of a crash — removed first, as it is ours), flushed to the disk.
fn write_exclusively(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::symlink_metadata(path) {
        Ok(_) => std::fs::remove_file(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The signed PDF whose SHA-256 a report records, when this PC holds it: read only from the
/// attachment store, by that hash, and only when its content is that hash (issue 14, point 7).
/// The record came from another PC: the path it spells out (`signed_pdf`) is never followed —
/// an absolute or UNC path, or `..`, would read or open any file — and a value that is not a
/// hash names no file at all.
pub fn signed_pdf_bytes(store: &Store, sha256: &str) -> Option<Vec<u8>> {
    let is_hash = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !is_hash {
        return None;
    }
    let bytes = std::fs::read(store.data_dir()?.join("attachments").join(format!("{sha256}.pdf"))).ok()?;
    (sha256_hex(&bytes) == sha256).then_some(bytes)
}

/// The signed PDF of the current version, read back from the attachment store and checked
/// against the hash recorded when it was signed.
fn signed_copy(store: &Store, sha256: &str) -> Result<Vec<u8>, SignReportError> {
    signed_pdf_bytes(store, sha256).ok_or_else(|| SignReportError::Io {
        path: data_dir(store).join("attachments").join(format!("{sha256}.pdf")).display().to_string(),
        reason: "bản đã ký của phiên bản này chưa có trên máy này hoặc đã bị thay đổi (hãy đồng bộ để nhận tệp, \
                 hoặc ký trên máy đã ký lần trước)"
            .into(),
    })
}

/// Renders report `id` (or, when its current version is signed already, takes that signed
/// PDF), signs it and records the signature. Nothing is written when any step
/// is refused (missing settings, an invalid certificate, a wrong PIN, a time-stamping service
/// that answers wrongly).
pub fn sign_report(
    store: &mut Store,
    id: Uuid,
    signer: &dyn Signer,
    opts: &SignOptions,
    now: DateTime<FixedOffset>,
) -> Result<SignedReport, SignReportError> {
    let d = reports::report(store, id)?;
    // Signing issues the version it signs; a second signature on a version already issued
    // (the Chairman after the officer) keeps its first issue time. Checked before anything is
    // rendered or written: an accepted (locked) report is refused here.
    let already_issued = d.status.is_issued() && d.issued.as_ref().is_some_and(|i| i.version == d.version);
    let issue = if already_issued {
        Vec::new()
    } else {
        reports::issue_changes(&d, kehoach_model::IssueMethod::Digital, None, now)?
    };
    let pdf = match &d.signed {
        // The current version is signed already (the officer signed, now the Chairman signs):
        // sign that very file again, so the first signature stays valid beside the second.
        Some(copy) if d.is_frozen() => signed_copy(store, &copy.sha256)?,
        // Not signed, or edited since: the new version is rendered and signed afresh.
        _ => kehoach_report::render_report_pdf(&d.content, now)?,
    };
    let appearance = Appearance {
        signer: String::new(),
        title: opts.title.clone().unwrap_or_else(|| d.content.signature.title.clone()),
        organisation: d.content.header.issuing_body.replace('\n', " "),
        reason: opts.reason.clone().unwrap_or_else(|| "Ký duyệt báo cáo".into()),
        location: opts.location.clone().unwrap_or_else(|| d.content.header.place.clone()),
        placement: opts.placement,
    };
    let crate::SignedPdf { pdf: signed, level, note, timestamp } =
        crate::sign_pdf_with(&pdf, signer, &appearance, now, opts.tsa_url.as_deref())?;
    let sha256 = sha256_hex(&signed);
    let signer_name = crate::summarize(&signer.certificates()[0]).common_name;
    let dir = data_dir(store).join("attachments");
    let io = |p: &Path, e: std::io::Error| SignReportError::Io { path: p.display().to_string(), reason: e.to_string() };
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    // The signed file reaches its final name only after the commit that records it: a refused
    // commit (or a crash before it) leaves no signed PDF that no report names. It is written
    // whole to a hidden part file first, so the rename after the commit cannot fail on space;
    // a crash between the two is finished at the next start (`kehoach_sync::clean_leftovers`).
    let path = dir.join(format!("{sha256}.pdf"));
    let part = dir.join(pending_name(&sha256));
    write_exclusively(&part, &signed).map_err(|e| io(&part, e))?;
    let mut changes = vec![
        Change::new(Kind::Report, id, field::SIGNED_SHA256, sha256.clone()),
        Change::new(Kind::Report, id, field::SIGNED_VERSION, d.version as i64),
        Change::new(Kind::Report, id, field::SIGNED_BY, signer_name.clone()),
        Change::new(Kind::Report, id, field::SIGNED_AT, now.to_rfc3339()),
        Change::new(Kind::Report, id, field::SIGNED_PDF, format!("attachments/{sha256}.pdf")),
    ];
    changes.extend(issue);
    if let Err(e) = store.commit(changes) {
        let _ = std::fs::remove_file(&part);
        return Err(e.into());
    }
    std::fs::rename(&part, &path).map_err(|e| io(&path, e))?;
    #[cfg(unix)]
    let _ = std::fs::File::open(&dir).and_then(|d| d.sync_all());
    Ok(SignedReport { pdf: signed, sha256, signer: signer_name, attachment: path, level, note, timestamp })
}
