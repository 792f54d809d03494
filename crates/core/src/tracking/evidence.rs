//! Evidence of work done: a document's number and date, and optionally a file, copied into
//! `<data dir>/attachments/<sha256>` (content-addressed: the same file twice is kept once, and
//! a synced record names the file the same way on every PC).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use kehoach_model::{Evidence, NewEvidence};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{iso, live_task, non_empty, parse_uuid};
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

impl Store {
    /// The directory of the SQLite file (where attachments live); `None` for an in-memory store.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.path()?.parent().map(Path::to_path_buf)
    }

    /// Where an attached file with this SHA-256 is kept.
    pub fn attachment_path(&self, sha256: &str) -> Option<PathBuf> {
        self.data_dir().map(|d| d.join("attachments").join(sha256))
    }

    /// The values of the fields that name an attached file ([`ATTACHMENT_FIELDS`]) on the
    /// records that stand now (not deleted), as (kind, field, value). Cheap: the evidence
    /// projection, and the reports projection with one keyed lookup each in `fields`.
    pub fn attachment_values(&self) -> Result<Vec<(Kind, &'static str, Value)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached("SELECT sha256 FROM evidence WHERE sha256 IS NOT NULL")?;
        for v in stmt.query_map([], |r| r.get::<_, String>(0))? {
            out.push((Kind::Evidence, EVIDENCE_SHA256, Value::String(v?)));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.field, f.value FROM reports r JOIN field_values f ON f.entity = r.id
             AND f.field IN (?1, ?2)",
        )?;
        let rows = stmt.query_map([REPORT_SIGNED_PDF, REPORT_SCAN_FILE], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (field, v) = row?;
            let field = if field == REPORT_SIGNED_PDF { REPORT_SIGNED_PDF } else { REPORT_SCAN_FILE };
            out.push((Kind::Report, field, serde_json::from_str(&v).unwrap_or(Value::Null)));
        }
        Ok(out)
    }
}

/// An evidence record's attached file: its SHA-256, the file's name under `attachments/`.
const EVIDENCE_SHA256: &str = crate::record::evidence::SHA256;
/// A report's signed PDF, `attachments/<sha256>.pdf`.
const REPORT_SIGNED_PDF: &str = crate::record::report::SIGNED_PDF;
/// The scan of a report signed by hand, `attachments/<sha256>.<ext>`.
const REPORT_SCAN_FILE: &str = crate::record::report::SCAN_FILE;

/// The fields whose value names an attached file, by kind.
pub const ATTACHMENT_FIELDS: [(Kind, &str); 3] =
    [(Kind::Evidence, EVIDENCE_SHA256), (Kind::Report, REPORT_SIGNED_PDF), (Kind::Report, REPORT_SCAN_FILE)];

/// Copies `src` into the attachments directory while hashing it; returns (sha256, size).
pub(crate) fn store_file(dir: &Path, src: &Path) -> Result<(String, u64)> {
    let io = |e: std::io::Error| CoreError::invalid(format!("không đọc được tệp {}: {e}", src.display()));
    let mut input = std::fs::File::open(src).map_err(io)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::invalid(format!("không tạo được thư mục {}: {e}", dir.display())))?;
    let tmp = dir.join(format!(".tmp-{}", Uuid::now_v7()));
    let write = |e: std::io::Error| CoreError::invalid(format!("không ghi được tệp đính kèm: {e}"));
    let mut out = std::fs::File::create(&tmp).map_err(write)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    let copied = (|| -> Result<()> {
        loop {
            let n = input.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(write)?;
            size += n as u64;
        }
        out.sync_all().map_err(write)
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let sha = hex::encode(h.finalize());
    let dest = dir.join(&sha);
    if dest.exists() {
        let _ = std::fs::remove_file(&tmp);
    } else {
        std::fs::rename(&tmp, &dest).map_err(write)?;
    }
    Ok((sha, size))
}

/// Records evidence for a task. The number and the date are required; a file, when given, is
/// copied into the data directory before the record is committed (an orphan copy left by a
/// failed commit is harmless: it is named by its content).
pub fn add_evidence(store: &mut Store, e: &NewEvidence) -> Result<Evidence> {
    live_task(store, e.task_id)?;
    let number = non_empty(Some(&e.number)).ok_or_else(|| CoreError::invalid("chưa nhập số văn bản làm minh chứng"))?;
    let date = crate::dates::check_iso_date("Ngày văn bản", &e.date)?;
    let file = match non_empty(e.file.as_deref()) {
        None => None,
        Some(f) => {
            let path = PathBuf::from(&f);
            if !path.is_file() {
                return Err(CoreError::invalid(format!("không tìm thấy tệp đính kèm: {f}")));
            }
            let dir = store
                .data_dir()
                .ok_or_else(|| CoreError::invalid("cơ sở dữ liệu trong bộ nhớ không có thư mục để lưu tệp đính kèm"))?
                .join("attachments");
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(f.clone());
            let (sha, size) = store_file(&dir, &path)?;
            Some((name, sha, size))
        }
    };
    let id = Uuid::now_v7();
    let c = |f: &str, v: Value| Change::new(Kind::Evidence, id, f, v);
    let mut changes = vec![
        c(field::evidence::TASK_ID, e.task_id.to_string().into()),
        c(field::evidence::NUMBER, number.into()),
        c(field::evidence::DATE, iso(date).into()),
        c(field::evidence::TEXT, non_empty(e.text.as_deref()).map(Value::from).unwrap_or(Value::Null)),
    ];
    if let Some((name, sha, size)) = file {
        changes.push(c(field::evidence::FILE_NAME, name.into()));
        changes.push(c(field::evidence::SHA256, sha.into()));
        changes.push(c(field::evidence::SIZE, (size as i64).into()));
    }
    store.commit(changes)?;
    evidence_by_id(store, id)
}

const COLS: &str = "id, task_id, checklist_item_id, number, date, file_name, sha256, size, text";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Evidence> {
    let id = |s: Option<String>| s.as_deref().and_then(parse_uuid);
    Ok(Evidence {
        id: parse_uuid(&r.get::<_, String>(0)?).unwrap_or_default(),
        task_id: id(r.get(1)?),
        checklist_item_id: id(r.get(2)?),
        number: r.get(3)?,
        date: r.get(4)?,
        file_name: r.get(5)?,
        sha256: r.get(6)?,
        size: r.get(7)?,
        text: r.get(8)?,
    })
}

pub fn evidence_by_id(store: &Store, id: Uuid) -> Result<Evidence> {
    store
        .conn
        .query_row(&format!("SELECT {COLS} FROM evidence WHERE id = ?1"), [id.to_string()], row)
        .map_err(|_| CoreError::NotFound { what: "minh chứng", id: id.to_string() })
}

/// A task's evidence, by document date.
pub fn task_evidence(store: &Store, task_id: Uuid) -> Result<Vec<Evidence>> {
    let mut stmt =
        store.conn.prepare_cached(&format!("SELECT {COLS} FROM evidence WHERE task_id = ?1 ORDER BY date, id"))?;
    let rows = stmt.query_map([task_id.to_string()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
