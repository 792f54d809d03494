//! Attachment files in bundles and invitations: a container carries the files of the records
//! it carries. Evidence files live at `<data dir>/attachments/<sha256>`, signed report PDFs at
//! `<data dir>/attachments/<sha256>.pdf`; both are named by their content, so the same name
//! means the same bytes on every PC.
//!
//! In the container they are payload files `attachments/<name>`, listed in the manifest with
//! their size and SHA-256 like `ops.jsonl`, so the sender's signature over the manifest covers
//! them. Each one is also subject to the container's per-file limit (`container::MAX_FILE`):
//! the reader refuses a larger entry, so the writer leaves such a file out (and counts it)
//! rather than produce a bundle nobody can import.
//!
//! Through the hub they travel beside the ops, one request per file (see `hub_client`): a PC
//! uploads the files the ops it pushes refer to, and downloads those its live records refer to
//! that it lacks, checked against their names and written by `write_incoming` like a bundle's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use kehoach_core::record::{evidence, report};
use kehoach_core::{Kind, Op, Store};
use serde_json::Value;
use uuid::Uuid;

use crate::container::{sha256_hex, MAX_FILE};
use crate::error::{Result, SyncError};

/// The directory under the data directory, and the prefix of the payload paths.
pub(crate) const DIR: &str = "attachments";

/// The SHA-256 a content-addressed attachment name claims: 64 lowercase hex digits, optionally
/// followed by `.pdf`. Anything else — other characters, path separators, `..`, upper case (two
/// spellings of one file on a case-insensitive disk) — is not an attachment name.
pub(crate) fn name_sha(name: &str) -> Option<&str> {
    let sha = name.strip_suffix(".pdf").unwrap_or(name);
    (sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then_some(sha)
}

/// Whether `bytes` are the content attachment `name` claims (the name is one, and its SHA-256
/// is theirs).
pub(crate) fn content_matches(name: &str, bytes: &[u8]) -> bool {
    name_sha(name).is_some_and(|sha| sha == sha256_hex(bytes))
}

/// The attachment a field value refers to: an evidence record's `sha256`, a report's
/// `signed_pdf` (`attachments/<sha256>.pdf`). Values not of that exact form refer to nothing.
fn named_by(kind: Kind, field: &str, value: &Value) -> Option<String> {
    let Value::String(v) = value else { return None };
    let name = match (kind, field) {
        (Kind::Evidence, evidence::SHA256) => v.as_str(),
        // A signed PDF, or the scan of a report signed by hand.
        (Kind::Report, report::SIGNED_PDF | report::SCAN_FILE) => v.strip_prefix(DIR)?.strip_prefix('/')?,
        _ => return None,
    };
    name_sha(name).map(|_| name.to_string())
}

/// The attachment a single op refers to.
fn referenced_name(op: &Op) -> Option<String> {
    named_by(op.kind, &op.field, &op.value)
}

/// The attachment names the ops refer to, each once.
pub(crate) fn referenced<'a>(ops: impl IntoIterator<Item = &'a Op>) -> BTreeSet<String> {
    ops.into_iter().filter_map(referenced_name).collect()
}

/// The attachments this PC's live records — evidence and reports, as they stand now, not
/// deleted — refer to, in name order, split by whether its attachments directory has them.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct LiveAttachments {
    /// What a sync offers the hub when this set has changed (a file that came later, by USB
    /// or found again).
    pub held: Vec<String>,
    /// What a sync looks for on the hub, every time, so a file that was not there yet is
    /// found by a later sync.
    pub missing: Vec<String>,
}

/// [`LiveAttachments`] of this PC. Cheap: the evidence projection, the reports projection
/// with one keyed lookup each in `fields`, and one `stat` per name. Empty for a store without
/// a data directory (in memory).
pub(crate) fn live_attachments(store: &Store) -> Result<LiveAttachments> {
    let Some(dir) = store.data_dir().map(|d| d.join(DIR)) else { return Ok(LiveAttachments::default()) };
    let names: BTreeSet<String> =
        store.attachment_values()?.into_iter().filter_map(|(kind, field, v)| named_by(kind, field, &v)).collect();
    let (held, missing) = names.into_iter().partition(|n| dir.join(n).is_file());
    Ok(LiveAttachments { held, missing })
}

/// An attachment as this PC holds it, for sending on (in a bundle, to the hub).
pub(crate) enum Local {
    /// The file, its content matching its name.
    File(Vec<u8>),
    /// Over the limit asked for.
    TooLarge,
    /// Absent, unreadable, or damaged (its content no longer matches its name).
    Missing,
}

/// Reads attachment `name` from this PC's attachments directory if it is there, whole and at
/// most `limit` bytes.
pub(crate) fn read_local(store: &Store, name: &str, limit: u64) -> Local {
    let Some(path) = store.data_dir().map(|d| d.join(DIR).join(name)) else { return Local::Missing };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() && m.len() > limit => return Local::TooLarge,
        Ok(m) if m.is_file() => {}
        _ => return Local::Missing,
    }
    match std::fs::read(&path) {
        Ok(bytes) if content_matches(name, &bytes) => Local::File(bytes),
        _ => Local::Missing,
    }
}

/// Whether attachment `name` is in this PC's attachments directory (as a file; its content is
/// not read).
pub(crate) fn present(store: &Store, name: &str) -> bool {
    store.data_dir().is_some_and(|d| d.join(DIR).join(name).is_file())
}

/// The files to put in a container, and what could not be.
#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    /// (payload path `attachments/<name>`, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub bytes: u64,
    /// Referenced but absent here (or unreadable, or no longer matching its name): the records
    /// travel without them.
    pub missing: u64,
    /// Larger than the container's per-file limit.
    pub too_large: u64,
}

/// Reads the files the ops refer to from this PC's attachments directory. A store without a
/// data directory (in memory) has none of them.
pub(crate) fn collect<'a>(store: &Store, ops: impl IntoIterator<Item = &'a Op>) -> Outgoing {
    let mut out = Outgoing::default();
    for name in referenced(ops) {
        // A damaged local copy would make the receiver refuse the whole bundle (its content no
        // longer matches its name), so it is left out like a missing one.
        match read_local(store, &name, MAX_FILE) {
            Local::File(bytes) => {
                out.bytes += bytes.len() as u64;
                out.files.push((format!("{DIR}/{name}"), bytes));
            }
            Local::TooLarge => out.too_large += 1,
            Local::Missing => out.missing += 1,
        }
    }
    out
}

/// Takes the attachments out of a verified container's payload (what is left after `ops.jsonl`
/// has been removed), checking each name and that the content is what the name says. The
/// container reader has already checked every file against the signed manifest; this refuses
/// a name that could point anywhere but into the attachments directory (zip-slip) and any
/// payload file this format does not know. Reads only.
pub(crate) fn take_incoming(rest: BTreeMap<String, Vec<u8>>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::with_capacity(rest.len());
    for (path, bytes) in rest {
        let name = path.strip_prefix(DIR).and_then(|p| p.strip_prefix('/'));
        let Some((name, sha)) = name.and_then(|n| name_sha(n).map(|s| (n, s))) else {
            return Err(SyncError::Tampered(format!("tên tệp đính kèm không hợp lệ: {path}")));
        };
        if sha256_hex(&bytes) != sha {
            return Err(SyncError::Tampered(format!("nội dung tệp đính kèm không khớp với tên: {path}")));
        }
        out.push((name.to_string(), bytes));
    }
    Ok(out)
}

/// Puts received attachments into this PC's attachments directory; returns how many were
/// newly written. Each goes to a temporary file in that directory, is flushed to disk, then
/// renamed into place, so a file under its final name is always complete. A file already
/// there with the right content is left alone.
///
/// Callers write the files *before* applying the ops, in the ops' one transaction: if that
/// transaction then fails, the files written are orphans that do no harm (named by content,
/// referenced by nothing, and reused as they are if the same file arrives again), and a
/// temporary file left by a crash is never read. So the records never name a file that was
/// not written, and the data is all-or-nothing as far as the file system allows.
///
/// A store without a data directory (in memory, as on the hub) keeps no files: nothing is
/// written.
pub(crate) fn write_incoming(store: &Store, files: &[(String, Vec<u8>)]) -> Result<u64> {
    let Some(dir) = store.data_dir().map(|d| d.join(DIR)) else { return Ok(0) };
    if files.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(&dir)?;
    let mut written = 0;
    for (name, bytes) in files {
        debug_assert!(name_sha(name).is_some(), "checked by take_incoming");
        let dest = dir.join(name);
        if std::fs::read(&dest).is_ok_and(|have| have == *bytes) {
            continue;
        }
        let tmp = dir.join(format!(".tmp-{}", Uuid::now_v7()));
        let put = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            drop(f);
            // Replaces a damaged copy under the same name, if there was one.
            std::fs::rename(&tmp, &dest)
        })();
        if let Err(e) = put {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        written += 1;
    }
    if written > 0 {
        sync_dir(&dir);
    }
    Ok(written)
}

/// Finishes what a crash between signing a report and renaming its PDF into place left in the
/// attachments directory: a hidden `.<sha256>.pdf.part` (see `kehoach_sign::sign_report`) is
/// moved to its name when a report of this PC names it and its content is whole; otherwise (the
/// commit never happened) it is removed once stale. Returns how many files it touched.
pub(crate) fn finish_pending(store: &Store, stale: impl Fn(&Path) -> bool) -> usize {
    let Some(dir) = store.data_dir().map(|d| d.join(DIR)) else { return 0 };
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut pending = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_prefix('.').and_then(|n| n.strip_suffix(".part")) else { continue };
        if name.ends_with(".pdf") && name_sha(name).is_some() {
            pending.push((name.to_string(), e.path()));
        }
    }
    if pending.is_empty() {
        return 0;
    }
    let missing = live_attachments(store).map(|l| l.missing).unwrap_or_default();
    let mut touched = 0;
    for (name, path) in pending {
        let whole = std::fs::read(&path).is_ok_and(|b| content_matches(&name, &b));
        let done = if whole && missing.contains(&name) {
            std::fs::rename(&path, dir.join(&name)).is_ok()
        } else {
            stale(&path) && std::fs::remove_file(&path).is_ok()
        };
        touched += usize::from(done);
    }
    sync_dir(&dir);
    touched
}

/// Makes the renames durable before the ops are committed (Unix; on Windows a directory cannot
/// be opened as a file, and NTFS journals the rename).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use kehoach_core::Change;
    use serde_json::json;

    use super::*;
    use kehoach_core::record as field;

    #[test]
    fn a_sync_asks_for_the_files_of_live_records_that_are_not_here() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("kehoach.sqlite3")).unwrap();
        let (here, lost, gone, pdf) =
            ("1".repeat(64), "2".repeat(64), "3".repeat(64), format!("{}.pdf", "4".repeat(64)));
        let (e1, e2, e3, r1, r2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        store
            .commit(vec![
                Change::new(Kind::Evidence, e1, field::evidence::SHA256, json!(here)),
                Change::new(Kind::Evidence, e2, field::evidence::SHA256, json!(lost)),
                Change::new(Kind::Evidence, e3, field::evidence::SHA256, json!(gone)),
                Change::new(Kind::Evidence, Uuid::now_v7(), field::evidence::SHA256, json!("../../kehoach.sqlite3")),
                Change::new(Kind::Evidence, Uuid::now_v7(), field::evidence::NUMBER, json!("12/BC-UBND")),
                Change::new(Kind::Report, r1, field::report::SIGNED_PDF, json!(format!("attachments/{pdf}"))),
                Change::new(Kind::Report, r2, field::report::SIGNED_PDF, json!(format!("/tmp/{pdf}"))),
                Change::new(Kind::Report, Uuid::now_v7(), field::report::TITLE, json!("Báo cáo chưa ký")),
            ])
            .unwrap();
        store.commit(vec![Change::delete(Kind::Evidence, e3)]).unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(dir.path().join(DIR).join(&here), b"x").unwrap();
        assert_eq!(live_attachments(&store).unwrap().missing, vec![lost, pdf]);
        assert_eq!(live_attachments(&Store::open_in_memory().unwrap()).unwrap(), LiveAttachments::default());
    }

    #[test]
    fn only_content_addressed_names_are_attachment_names() {
        let sha = "a".repeat(64);
        assert_eq!(name_sha(&sha), Some(sha.as_str()));
        assert_eq!(name_sha(&format!("{sha}.pdf")), Some(sha.as_str()));
        for bad in [
            String::new(),
            "../etc/passwd".into(),
            format!("../{}", &sha[3..]),
            format!("{}/{}", &sha[..31], &sha[32..]),
            format!("{}\\{}", &sha[..31], &sha[32..]),
            "A".repeat(64),
            "a".repeat(63),
            "a".repeat(65),
            format!("{sha}.exe"),
            format!("{sha}.pdf.pdf"),
            format!("/{sha}"),
            "..".into(),
        ] {
            assert_eq!(name_sha(&bad), None, "{bad:?}");
        }
    }
}
