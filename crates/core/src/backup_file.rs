//! The SQLite side of a backup file: a consistent snapshot of the data file (`VACUUM INTO`)
//! with two more tables, `backup_info` (what it is, when it was made: key → text) and
//! `backup_files` (attachment files by name). What goes into those tables, the keys of the
//! device and the encryption are the sync layer's (`kehoach_sync::backup`); every read and
//! write of the file's SQL is here, so no other crate runs SQL on a copy of the PC's data.
//!
//! A copy is written by [`BackupWriter`] and read back by [`open_checked`], which refuses a
//! file that is not whole, not ours, carries foreign schema objects or a stamp far in the
//! future, and leaves it a plain kehoach database, ready for [`Store::open`] or
//! [`Store::replace_with`].

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::error::CoreError;
use crate::hlc::Hlc;
use crate::op::{MAX_CLOCK_DRIFT_MS, SETTINGS_ID};
use crate::schema::{self, SCHEMA_VERSION};
use crate::store::{set_meta, Store};

/// Why a copy is refused; the sync layer words each for the officer.
#[derive(Debug)]
pub enum BackupFileError {
    /// Not an SQLite file at all.
    NotSqlite,
    /// SQLite, but without kehoach's tables.
    NotKehoach,
    /// Ours, but damaged or tampered with; the reason.
    Damaged(String),
    /// Written by a newer kehoach.
    TooNew,
    Core(CoreError),
}

impl From<CoreError> for BackupFileError {
    fn from(e: CoreError) -> Self {
        BackupFileError::Core(e)
    }
}

impl From<rusqlite::Error> for BackupFileError {
    fn from(e: rusqlite::Error) -> Self {
        BackupFileError::Core(CoreError::from(e))
    }
}

type Result<T> = std::result::Result<T, BackupFileError>;

/// The backup's own tables, besides the data file's.
const OWN_TABLES: [&str; 2] = ["backup_info", "backup_files"];

/// A backup copy being written: a snapshot of a store, taking the backup's own tables.
pub struct BackupWriter {
    conn: Connection,
}

impl BackupWriter {
    /// Snapshots `store` into `path` (which must not exist yet) and makes the backup's tables.
    /// Values removed or replaced later (the device's keys) are overwritten on disk
    /// (`secure_delete`), not left in free pages of the copy.
    pub fn create(store: &Store, path: &Path) -> Result<BackupWriter> {
        store.snapshot_into(path)?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(
            "CREATE TABLE backup_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
             CREATE TABLE backup_files (name TEXT PRIMARY KEY, content BLOB NOT NULL) STRICT;",
        )?;
        Ok(BackupWriter { conn })
    }

    /// Sets local setting `key` of the copy (see [`Store::set_local_setting`]).
    pub fn set_local_setting(&self, key: &str, value: &str) -> Result<()> {
        Ok(set_meta(&self.conn, &format!("local.{key}"), value)?)
    }

    /// Removes local setting `key` from the copy.
    pub fn remove_local_setting(&self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [format!("local.{key}")])?;
        Ok(())
    }

    /// One line of `backup_info`.
    pub fn put_info(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute("INSERT INTO backup_info(key, value) VALUES (?1, ?2)", params![key, value])?;
        Ok(())
    }

    /// One attachment file.
    pub fn put_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.conn.execute("INSERT INTO backup_files(name, content) VALUES (?1, ?2)", params![name, bytes])?;
        Ok(())
    }

    /// Checks the copy whole and closes it; the file is then complete (not yet flushed to disk).
    pub fn finish(self) -> Result<()> {
        check_integrity(&self.conn)?;
        self.conn.close().map_err(|(_, e)| BackupFileError::from(e))
    }
}

/// A copy that passed every check of [`open_checked`], its own tables taken out of it.
#[derive(Debug)]
pub struct CheckedCopy {
    /// `backup_info`, when the file has that table (a copy of a data file taken by hand has not).
    pub info: Option<BTreeMap<String, String>>,
    /// `backup_files`: (name, content), not checked against their names.
    pub files: Vec<(String, Vec<u8>)>,
    /// Ops in its log.
    pub ops: i64,
    /// The commune named in its settings.
    pub commune: Option<String>,
}

/// Checks the copy at `path` (SQLite's integrity check, no stamp past the clock bound, no
/// schema object our migrations do not make, a version this build reads), takes out the
/// backup's own tables and leaves it a plain kehoach database. A refused file may be left
/// half-read: it is a temporary copy, removed by the caller.
pub fn open_checked(path: &Path) -> Result<CheckedCopy> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|_| BackupFileError::NotSqlite)?;
    // The first read of a file that is not SQLite fails here ("file is not a database").
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|_| BackupFileError::NotSqlite)?;
    // Past that point it is SQLite: a read that fails is damage.
    let not = |e: rusqlite::Error| BackupFileError::Damaged(e.to_string());
    let has = |t: &str| tables.iter().any(|n| n == t);
    if !has("meta") || !has("ops") || !has("entities") {
        return Err(BackupFileError::NotKehoach);
    }
    check_integrity(&conn)?;
    check_stamps(&conn)?;
    check_schema(&conn)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(not)?;
    if version > SCHEMA_VERSION {
        return Err(BackupFileError::TooNew);
    }
    let info = if has("backup_info") {
        let mut stmt = conn.prepare("SELECT key, value FROM backup_info").map_err(not)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(not)?;
        Some(rows.collect::<rusqlite::Result<BTreeMap<_, _>>>().map_err(not)?)
    } else {
        None
    };
    let mut files = Vec::new();
    if has("backup_files") {
        let mut stmt = conn.prepare("SELECT name, content FROM backup_files").map_err(not)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))).map_err(not)?;
        for row in rows {
            files.push(row.map_err(not)?);
        }
    }
    conn.execute_batch("DROP TABLE IF EXISTS backup_files; DROP TABLE IF EXISTS backup_info;").map_err(not)?;
    let ops = conn.query_row("SELECT count(*) FROM ops", [], |r| r.get(0)).map_err(not)?;
    let commune = conn
        .query_row("SELECT commune FROM org WHERE id = ?1", [SETTINGS_ID.to_string()], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()
        .ok()
        .flatten()
        .flatten();
    Ok(CheckedCopy { info, files, ops, commune })
}

/// SQLite's integrity check of `conn`: its lines when it finds anything.
pub(crate) fn integrity_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let rows: Vec<String> =
        conn.prepare("PRAGMA integrity_check")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(if rows == ["ok"] { Vec::new() } else { rows })
}

fn check_integrity(conn: &Connection) -> Result<()> {
    let problems = integrity_problems(conn).map_err(|e| BackupFileError::Damaged(e.to_string()))?;
    if !problems.is_empty() {
        return Err(BackupFileError::Damaged(problems.join("; ")));
    }
    Ok(())
}

/// Refuses a file holding schema objects our migrations do not make (a trigger planted to rewrite
/// later changes, a view redefined, an extra table): restored whole, they would become the PC's.
/// The backup's own two tables are expected; everything else must be exactly what a database of
/// its version holds.
fn check_schema(conn: &Connection) -> Result<()> {
    let version: i64 =
        conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| BackupFileError::Damaged(e.to_string()))?;
    let ours = schema::schema_objects(version)?;
    let theirs = schema::objects(conn)?;
    for object in &theirs {
        let expected = ours.contains(object)
            || (object.0 == "table" && OWN_TABLES.contains(&object.1.as_str()))
            || (object.0 == "index" && object.1.starts_with("sqlite_autoindex_backup_"));
        if !expected {
            return Err(BackupFileError::Damaged(format!(
                "tệp có thành phần không phải của kehoach ({} {}): không khôi phục",
                object.0, object.1
            )));
        }
    }
    Ok(())
}

/// Refuses a backup holding a stamp far in the future (or past i64::MAX, read back negative):
/// merged, its op would be refused anyway (`Op::validate_incoming`); restored whole, it would
/// become this PC's clock and win every later edit of its field.
fn check_stamps(conn: &Connection) -> Result<()> {
    let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let limit = Hlc::from_millis(now.saturating_add(MAX_CLOCK_DRIFT_MS)).as_i64();
    let (min, max): (Option<i64>, Option<i64>) = conn
        .query_row("SELECT min(hlc), max(hlc) FROM ops", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| BackupFileError::Damaged(e.to_string()))?;
    if min.is_some_and(|m| m < 0) || max.is_some_and(|m| m > limit) {
        return Err(BackupFileError::Damaged(
            "có thao tác mang thời điểm vượt quá giờ của máy này hơn một ngày (đồng hồ của máy đã sao lưu sai?)".into(),
        ));
    }
    Ok(())
}
