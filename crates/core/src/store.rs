use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::apply::{apply_one, Applied, TxMemory};
use crate::error::{CoreError, Result};
use crate::hlc::Hlc;
use crate::op::{Change, Kind, Op};
use crate::schema;

/// The Tauri app identifier; the CLI finds the app's data file through it.
pub const APP_IDENTIFIER: &str = "vn.kehoach.app";
const DB_FILE: &str = "kehoach.sqlite3";

/// Where the desktop app keeps its data: the platform's app-data directory
/// (`~/.local/share/vn.kehoach.app` on Linux, `%APPDATA%\vn.kehoach.app` on Windows) —
/// the same place Tauri's `app_data_dir()` resolves to.
pub fn default_db_path() -> Result<PathBuf> {
    let base = dirs::data_dir().ok_or_else(|| CoreError::Open {
        path: "(app data)".into(),
        reason: "không xác định được thư mục dữ liệu của hệ điều hành".into(),
    })?;
    Ok(base.join(APP_IDENTIFIER).join(DB_FILE))
}

/// An open kehoach database.
pub struct Store {
    pub(crate) conn: Connection,
    device: Uuid,
    /// Columns of each projection table, read once from the schema.
    pub(crate) columns: HashMap<Kind, Vec<String>>,
}

impl Store {
    /// Opens (creating if needed) the database file, migrates it and makes sure this device
    /// has its id.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| CoreError::Open { path: path.display().to_string(), reason: e.to_string() })?;
            }
        }
        Store::open_as(path, None)
    }

    /// Opens a data file (its directory must exist) that acts as device `device`: a district PC's read-only copy of a
    /// commune's data, where the district's own decisions are written under its device id.
    /// A new file takes the id; a file made for another device is refused.
    pub fn open_as(path: &Path, device: Option<Uuid>) -> Result<Store> {
        // Readable by this account only: the citizens' records and the device's keys.
        crate::private_file::create_private(path)
            .map_err(|e| CoreError::Open { path: path.display().to_string(), reason: e.to_string() })?;
        // Best effort for a file made before (or copied in by hand): one this account cannot
        // change the mode of still opens.
        let _ = crate::private_file::make_private(path);
        let conn = Connection::open(path)
            .map_err(|e| CoreError::Open { path: path.display().to_string(), reason: e.to_string() })?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap_or(0);
        if version > schema::SCHEMA_VERSION {
            return Err(CoreError::TooNew { path: path.display().to_string() });
        }
        Store::init(conn, device).map_err(|e| match e {
            CoreError::Db(err) => CoreError::Open { path: path.display().to_string(), reason: open_reason(&err) },
            other => other,
        })
    }

    /// An in-memory database, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, preset: Option<Uuid>) -> Result<Store> {
        // WAL lets the UI read while a sync writes; NORMAL sync is safe with WAL (a power cut
        // loses at most the last transaction, never corrupts).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrations().to_latest(&mut conn)?;
        conn.set_prepared_statement_cache_capacity(256);
        let device = match get_meta(&conn, "device_id")? {
            Some(d) => {
                let d = Uuid::parse_str(&d).map_err(|e| CoreError::invalid(e.to_string()))?;
                if preset.is_some_and(|p| p != d) {
                    return Err(CoreError::invalid(format!("tệp dữ liệu này thuộc thiết bị khác ({d})")));
                }
                d
            }
            None => {
                let d = preset.unwrap_or_else(Uuid::now_v7);
                set_meta(&conn, "device_id", &d.to_string())?;
                d
            }
        };
        let mut columns = HashMap::new();
        for kind in Kind::ALL {
            let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{}')", kind.table()))?;
            let cols: Vec<String> =
                stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<std::result::Result<_, _>>()?;
            columns.insert(kind, cols.into_iter().filter(|c| c != "id").collect());
        }
        let mut store = Store { conn, device, columns };
        // A failed retry leaves the ops aside as they were; it must not keep the data from opening.
        if let Err(e) = crate::set_aside::retry_after_upgrade(&mut store) {
            eprintln!("kehoach: trying the ops set aside again: {e}");
        }
        Ok(store)
    }

    pub fn device_id(&self) -> Uuid {
        self.device
    }

    /// The data file, for a store on disk.
    pub fn path(&self) -> Option<PathBuf> {
        self.conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
    }

    /// Stamps local changes as ops and applies them, all in one transaction.
    pub fn commit(&mut self, changes: Vec<Change>) -> Result<Vec<Op>> {
        let device = self.device;
        self.write(|tx, memory| {
            let mut last = load_clock(tx)?;
            let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
            let mut ops = Vec::with_capacity(changes.len());
            for ch in changes {
                // A field its kind does not have is a mistake of this program, not of the data:
                // said plainly, where a received op would be set aside as coming from a newer
                // version (`record::check_op`).
                if crate::record::field(ch.kind, &ch.field).is_none() {
                    return Err(CoreError::invalid(format!(
                        "{} không có trường “{}”; thay đổi không được ghi",
                        ch.kind.label_vi(),
                        ch.field
                    )));
                }
                last = Hlc::next(last, now);
                let prev: i64 = tx
                    .prepare_cached("SELECT hlc FROM fields WHERE entity = ?1 AND field = ?2")?
                    .query_row(params![ch.entity.to_string(), ch.field], |r| r.get(0))
                    .optional()?
                    .unwrap_or(0);
                let op = Op {
                    id: Uuid::now_v7(),
                    entity: ch.entity,
                    kind: ch.kind,
                    field: ch.field,
                    value: ch.value,
                    hlc: last,
                    device,
                    prev: Hlc::from_i64(prev),
                    sig: None,
                };
                // A local edit no other PC could apply is refused here, before it spreads.
                if let crate::apply::Outcome::Unfit(why) = apply_one(tx, &op, memory)? {
                    return Err(CoreError::invalid(why));
                }
                ops.push(op);
            }
            store_clock(tx, last)?;
            Ok(ops)
        })
    }

    /// Applies ops from another device (a bundle, the hub), all or nothing. Ops already
    /// present are skipped, so a re-sent bundle changes nothing. An op no replica can apply (a
    /// field its kind lacks, a value of the wrong type, a required field emptied, a record's
    /// kind changed) is set aside — kept with its sender and the reason, listed by
    /// [`crate::set_aside::list`] — and the others are applied: one such op from a broken or
    /// hostile device must not stop this PC's sync for good (issue 14, point 3). A stamp
    /// beyond the clock bound still refuses the whole batch.
    pub fn apply_ops(&mut self, ops: &[Op]) -> Result<Applied> {
        self.apply_stream(ops.iter().map(Ok::<_, CoreError>))
    }

    /// [`Store::apply_ops`] with a check of each op this database does not hold yet: an op
    /// `check` refuses is set aside with its reason, like an unfit one. How the sync layer
    /// makes every received op prove its author (issue 14, point 4) while the core holds no
    /// key. Ops already held are not checked again (they were when they first came, or are
    /// this PC's own).
    pub fn apply_ops_checked(
        &mut self,
        ops: &[Op],
        check: impl FnMut(&Op) -> std::result::Result<(), String>,
    ) -> Result<Applied> {
        self.apply_stream_checked(ops.iter().map(Ok::<_, CoreError>), check)
    }

    /// [`Store::apply_ops`] for ops that are still being read (a bundle parsed on another
    /// thread while this one writes). The first `Err` stops it and nothing is kept.
    pub fn apply_stream<O, E>(
        &mut self,
        ops: impl IntoIterator<Item = std::result::Result<O, E>>,
    ) -> std::result::Result<Applied, E>
    where
        O: std::borrow::Borrow<Op>,
        E: From<CoreError>,
    {
        self.apply_stream_checked(ops, |_| Ok(()))
    }

    /// [`Store::apply_stream`] with [`Store::apply_ops_checked`]'s check.
    pub fn apply_stream_checked<O, E>(
        &mut self,
        ops: impl IntoIterator<Item = std::result::Result<O, E>>,
        mut check: impl FnMut(&Op) -> std::result::Result<(), String>,
    ) -> std::result::Result<Applied, E>
    where
        O: std::borrow::Borrow<Op>,
        E: From<CoreError>,
    {
        let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
        self.write(|tx, memory| {
            let mut clock = load_clock(tx)?;
            let mut total = Applied::default();
            for op in ops {
                let op = op?;
                let op = op.borrow();
                op.check_clock(now)?;
                let refused = if held(tx, op)? { None } else { check(op).err() };
                let by_check = refused.is_some();
                let outcome = match refused {
                    Some(why) => crate::apply::Outcome::Unfit(why),
                    None => apply_one(tx, op, memory)?,
                };
                if let crate::apply::Outcome::Unfit(why) = &outcome {
                    crate::set_aside::keep(tx, op, why, by_check)?;
                } else {
                    clock = clock.max(op.hlc);
                }
                crate::apply::count(&mut total, op.kind, outcome);
            }
            store_clock(tx, clock)?;
            Ok(total)
        })
    }

    /// The one transaction every change of data runs in: ops applied by `f`, then the records
    /// whose winners changed projected, then commit — or nothing at all.
    ///
    /// SQLite's foreign-key checks are off while it runs. The write path keeps those references
    /// itself (a record's `entities` row before its ops, an op before the field it wins), and
    /// the per-row checks cost an eighth of a large import. The one cascade the schema declares
    /// (a task's unit links) is done by `project.rs`. Tests run `PRAGMA foreign_key_check`
    /// after random histories. Outside this transaction the checks are on again, so no other
    /// write can break the references unnoticed.
    pub(crate) fn write<T, E: From<CoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction, &mut TxMemory) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        // The pragma is ignored inside a transaction, so it is switched around it.
        self.conn.pragma_update(None, "foreign_keys", "OFF").map_err(CoreError::from)?;
        let result = (|| {
            let tx = self.conn.transaction().map_err(CoreError::from)?;
            let mut memory = TxMemory::default();
            let out = f(&tx, &mut memory)?;
            memory.project(&tx, &self.columns)?;
            tx.commit().map_err(CoreError::from)?;
            Ok(out)
        })();
        self.conn.pragma_update(None, "foreign_keys", "ON").map_err(CoreError::from)?;
        result
    }

    /// Every op in local arrival order, after `since_seq` (0 = all).
    pub fn ops_since(&self, since_seq: i64) -> Result<Vec<(i64, Op)>> {
        self.ops_where("o.seq > ?1", since_seq.to_string())
    }

    /// This device's own ops that carry no signature yet, in log order: what the sync layer
    /// signs before anything leaves the PC.
    pub fn unsigned_own_ops(&self) -> Result<Vec<Op>> {
        Ok(self
            .ops_where("o.device = ?1 AND o.sig IS NULL", self.device.to_string())?
            .into_iter()
            .map(|(_, op)| op)
            .collect())
    }

    /// Keeps the signatures the sync layer made for this device's own ops (`(op id, sig)`).
    /// Only an unsigned op of this device takes one: a signature is metadata of the op log,
    /// never data, so this is not an edit and makes no op.
    pub fn set_own_signatures(&self, sigs: &[(Uuid, String)]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut stmt =
                tx.prepare_cached("UPDATE ops SET sig = ?1 WHERE id = ?2 AND device = ?3 AND sig IS NULL")?;
            for (id, sig) in sigs {
                stmt.execute(params![sig, id.to_string(), self.device.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The held ops matching `filter` (SQL over the op log `o`, one parameter), by seq.
    fn ops_where(&self, filter: &str, param: String) -> Result<Vec<(i64, Op)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.seq, o.id, o.entity, e.kind, o.field, o.value, o.hlc, o.device, o.prev, o.sig
             FROM ops o JOIN entities e ON e.id = o.entity WHERE {filter} ORDER BY o.seq"
        ))?;
        let rows = stmt.query_map([param], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, entity, kind, field, value, hlc, device, prev, sig) = row?;
            let bad = |e: String| CoreError::BadOp(e);
            out.push((
                seq,
                Op {
                    id: Uuid::parse_str(&id).map_err(|e| bad(e.to_string()))?,
                    entity: Uuid::parse_str(&entity).map_err(|e| bad(e.to_string()))?,
                    kind: Kind::parse(&kind)?,
                    field,
                    value: serde_json::from_str(&value).map_err(|e| bad(e.to_string()))?,
                    hlc: Hlc::from_i64(hlc),
                    device: Uuid::parse_str(&device).map_err(|e| bad(e.to_string()))?,
                    prev: Hlc::from_i64(prev),
                    sig,
                },
            ));
        }
        Ok(out)
    }

    /// Local, per-device settings that are not synced data (keys, sync cursors, hub address).
    pub fn local_setting(&self, key: &str) -> Result<Option<String>> {
        get_meta(&self.conn, &format!("local.{key}"))
    }

    pub fn set_local_setting(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, &format!("local.{key}"), value)
    }

    pub fn remove_local_setting(&self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [format!("local.{key}")])?;
        Ok(())
    }

    /// Makes this data the data of a new device, with a new id. For a restore whose keys
    /// cannot be used here (left out of the backup, or sealed to another Windows account): the
    /// commune's other PCs know the device that made it by its key, so this PC cannot go on as
    /// that device; its ops stay in the log under their author.
    pub fn become_new_device(&mut self) -> Result<Uuid> {
        let d = Uuid::now_v7();
        set_meta(&self.conn, "device_id", &d.to_string())?;
        self.device = d;
        Ok(d)
    }

    /// Writes a consistent copy of the whole database — one read snapshot, taken while the
    /// app goes on working — to `dest`, which must not exist yet.
    pub fn snapshot_into(&self, dest: &Path) -> Result<()> {
        // `VACUUM INTO` fills an empty file as it finds it: a private one.
        crate::private_file::create_private(dest)
            .map_err(|e| CoreError::Open { path: dest.display().to_string(), reason: e.to_string() })?;
        self.conn.execute("VACUUM INTO ?1", [dest.to_string_lossy()])?;
        Ok(())
    }

    /// Replaces everything in this database with the database at `src` (a backup restored on
    /// a PC that holds nothing yet) and goes on as that database: its device id, keys, log and
    /// settings. `src` must be a kehoach database no newer than this build; it is migrated if
    /// older. Other connections to this file must be opened again afterwards, since they
    /// remember the old device id.
    ///
    /// The device may have numbered ops past the backup's last one before its data was lost,
    /// and other PCs remember how far they hold its log; its numbering therefore continues from
    /// the current time in microseconds, far past anything it can have reached (a 100,000-op
    /// import takes most of a second), so its new ops are never mistaken for ones already held.
    pub fn replace_with(&mut self, src: &Path) -> Result<()> {
        let source = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        rusqlite::backup::Backup::new(&source, &mut self.conn)?.run_to_completion(
            1024,
            std::time::Duration::ZERO,
            None,
        )?;
        drop(source);
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        *self = Store::init(conn, None)?;
        let floor = chrono::Utc::now().timestamp_micros().max(0);
        let held: i64 = self.conn.query_row("SELECT coalesce(max(seq), 0) FROM ops", [], |r| r.get(0))?;
        set_meta(&self.conn, "seq_floor", &floor.max(held).to_string())
    }

    pub fn op_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM ops", [], |r| r.get(0))?)
    }

    /// What is wrong with the database file: SQLite's integrity check and its foreign-key
    /// check, one line per problem; empty when it is sound. For a PC that lost power, and for
    /// the laws the write path keeps (it runs with the foreign-key checks off).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = crate::backup_file::integrity_problems(&self.conn)?;
        let mut stmt = self.conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "{} row {} refers to a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            problems.push(row?);
        }
        Ok(problems)
    }

    /// Every schema object (type, name, SQL) of this database, sorted: equal to
    /// [`crate::schema_objects`] of [`crate::SCHEMA_VERSION`] for a database holding nothing
    /// but ours.
    pub fn schema_objects(&self) -> Result<Vec<(String, String, String)>> {
        schema::objects(&self.conn)
    }

    /// The newest op stamp of each device whose ops this PC holds (its own included).
    pub fn newest_stamp_by_device(&self) -> Result<Vec<(Uuid, Hlc)>> {
        let mut stmt = self.conn.prepare("SELECT device, MAX(hlc) FROM ops GROUP BY device")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (device, hlc) = row?;
            if let Ok(id) = Uuid::parse_str(&device) {
                out.push((id, Hlc::from_i64(hlc)));
            }
        }
        Ok(out)
    }
}

/// Why a data file could not be opened, in the officer's words where SQLite has a code for it.
fn open_reason(err: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    match err.sqlite_error_code() {
        Some(NotADatabase) => "tệp không phải dữ liệu của kehoach, hoặc đã bị hỏng".into(),
        Some(DatabaseCorrupt) => "tệp dữ liệu bị hỏng".into(),
        Some(ReadOnly) | Some(PermissionDenied) => "không có quyền ghi vào tệp".into(),
        Some(DiskFull) => "ổ đĩa đã đầy".into(),
        Some(DatabaseBusy) | Some(DatabaseLocked) => "tệp đang bị một chương trình khác khóa".into(),
        _ => err.to_string(),
    }
}

pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn load_clock(tx: &Transaction) -> Result<Hlc> {
    Ok(get_meta(tx, "clock")?.and_then(|s| s.parse::<u64>().ok()).map(Hlc).unwrap_or_default())
}

pub(crate) fn store_clock(tx: &Transaction, clock: Hlc) -> Result<()> {
    set_meta(tx, "clock", &clock.0.to_string())
}

/// Whether the op log holds `op` already (applied earlier, or earlier in this transaction).
fn held(tx: &Transaction, op: &Op) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM ops WHERE id = ?1")?
        .query_row([op.id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference the write path failed to keep (an op of a record the database does not
    /// hold) is named by `integrity_problems`; a sound database has none.
    #[test]
    fn integrity_problems_name_a_broken_reference() {
        let mut s = Store::open_in_memory().unwrap();
        s.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), crate::record::plan::TITLE, "Kế hoạch")]).unwrap();
        assert_eq!(s.integrity_problems().unwrap(), Vec::<String>::new());
        s.conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        s.conn
            .execute(
                "INSERT INTO ops(id, entity, field, value, hlc, device, prev, seq)
                 VALUES ('o1', 'no-such-record', 'title', '\"x\"', 1, 'd', 0, 99)",
                [],
            )
            .unwrap();
        assert_eq!(s.integrity_problems().unwrap(), ["ops row 2 refers to a missing entities"]);
    }
}
