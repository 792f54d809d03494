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

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

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

/// The attachment a single op refers to: an evidence record's `sha256`, a report's
/// `signed_pdf` (`attachments/<sha256>.pdf`). Values not of that exact form refer to nothing.
fn referenced_name(op: &Op) -> Option<String> {
    let Value::String(v) = &op.value else { return None };
    let name = match (op.kind, op.field.as_str()) {
        (Kind::Evidence, "sha256") => v.as_str(),
        (Kind::Report, "signed_pdf") => v.strip_prefix(DIR)?.strip_prefix('/')?,
        _ => return None,
    };
    name_sha(name).map(|_| name.to_string())
}

/// The attachment names the ops refer to, each once.
pub(crate) fn referenced<'a>(ops: impl IntoIterator<Item = &'a Op>) -> BTreeSet<String> {
    ops.into_iter().filter_map(referenced_name).collect()
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
    let names = referenced(ops);
    let mut out = Outgoing::default();
    let Some(dir) = store.data_dir().map(|d| d.join(DIR)) else {
        out.missing = names.len() as u64;
        return out;
    };
    for name in names {
        let path = dir.join(&name);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && m.len() > MAX_FILE => {
                out.too_large += 1;
                continue;
            }
            Ok(m) if m.is_file() => {}
            _ => {
                out.missing += 1;
                continue;
            }
        }
        // A damaged local copy would make the receiver refuse the whole bundle (its content no
        // longer matches its name), so it is left out like a missing one.
        match std::fs::read(&path) {
            Ok(bytes) if Some(sha256_hex(&bytes).as_str()) == name_sha(&name) => {
                out.bytes += bytes.len() as u64;
                out.files.push((format!("{DIR}/{name}"), bytes));
            }
            _ => out.missing += 1,
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
    use super::*;

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
