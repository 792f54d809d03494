//! Ops set aside: received from elsewhere, not applicable on any replica (see `record.rs` and
//! `Store::apply_stream`). Kept whole, with the device that made them and the reason, so the
//! Đồng bộ screen can say what was not taken and from whom while sync goes on.

use kehoach_model::SetAsideOp;
use rusqlite::{params, Transaction};

use crate::apply::{apply_one, Outcome};
use crate::error::{CoreError, Result};
use crate::op::{Kind, Op};
use crate::store::{get_meta, load_clock, set_meta, store_clock, Store};

/// The program version that last tried the ops set aside (a meta key).
const TRIED_BY: &str = "set_aside.tried_by";

/// Keeps `op` aside for `reason`, inside the applying transaction; an op already set aside
/// keeps its first time. `refused`: the caller's check refused it (its author unproven, a
/// revoked device's later work), which this crate cannot check again by itself, so it is never
/// tried again here; the others (a field this version does not know…) are, after an upgrade.
pub(crate) fn keep(tx: &Transaction, op: &Op, reason: &str, refused: bool) -> Result<()> {
    let whole = serde_json::to_string(op).map_err(|e| crate::CoreError::BadOp(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO set_aside(op_id, device, kind, entity, field, op, reason, at, refused)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(op_id) DO NOTHING",
    )?
    .execute(params![
        op.id.to_string(),
        op.device.to_string(),
        op.kind.as_str(),
        op.entity.to_string(),
        op.field,
        whole,
        reason,
        chrono::Utc::now().to_rfc3339(),
        refused,
    ])?;
    Ok(())
}

/// Every op set aside on this PC, newest first, with the sender's name when known.
pub fn list(store: &Store) -> Result<Vec<SetAsideOp>> {
    let names = crate::pc_users::pc_users(store)?;
    let mut stmt = store
        .conn
        .prepare_cached("SELECT op_id, device, kind, field, reason, at FROM set_aside ORDER BY at DESC, op_id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (op_id, device, kind, field, reason, at) = row?;
        let sender = uuid::Uuid::parse_str(&device).ok().and_then(|d| names.get(&d)).map(|u| u.label());
        let kind = Kind::parse(&kind).map(|k| k.label_vi().to_string()).unwrap_or(kind);
        out.push(SetAsideOp { op_id, device, sender, kind, field, reason, at });
    }
    Ok(out)
}

/// How many ops are set aside (the Đồng bộ screen's heading).
pub fn count(store: &Store) -> Result<i64> {
    Ok(store.conn.query_row("SELECT count(*) FROM set_aside", [], |r| r.get(0))?)
}

/// Tries the ops set aside again once this PC runs another version of kehoach: one that knows
/// a field an older version did not (a newer PC's op set aside by this one before its update)
/// applies them now. Those applied leave the list; the others stay, with their reason as this
/// version gives it. Nothing to do, and no write, on the usual start. Ops a check refused (who
/// made them is not proven) are not among them: applying them here would bypass that check.
pub(crate) fn retry_after_upgrade(store: &mut Store) -> Result<()> {
    let version = env!("CARGO_PKG_VERSION");
    if get_meta(&store.conn, TRIED_BY)?.as_deref() == Some(version) || count(store)? == 0 {
        return Ok(());
    }
    let ops = kept(store, false)?;
    apply_again(store, ops.iter(), Some(version))?;
    Ok(())
}

/// Tries again the ops a check refused, with `check` as the caller runs it now — it has learnt
/// since, say, the admission of the device that made them, which came by another path after its
/// ops. Those it takes now are applied and leave the list; the others stay as they were (one
/// whose author is proven now but that no replica can apply stays, for that reason).
/// Returns how many were applied.
pub fn retry_refused(store: &mut Store, mut check: impl FnMut(&Op) -> std::result::Result<(), String>) -> Result<u64> {
    let ops = kept(store, true)?;
    let taken: Vec<&Op> = ops.iter().filter(|op| check(op).is_ok()).collect();
    if taken.is_empty() {
        return Ok(0);
    }
    apply_again(store, taken.into_iter(), None)
}

/// The ops kept aside, refused by a check or not, oldest first.
fn kept(store: &Store, refused: bool) -> Result<Vec<Op>> {
    let mut stmt = store.conn.prepare("SELECT op FROM set_aside WHERE refused = ?1 ORDER BY at, op_id")?;
    let ops: Vec<String> = stmt.query_map([refused], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ops.iter().filter_map(|o| serde_json::from_str(o).ok()).collect())
}

/// Applies `ops` (kept aside) in one transaction: those applied leave the list, the others
/// stay with the reason this version gives, as ops no replica can apply. With `tried_by`, notes
/// that version as the last to try. Returns how many were applied.
fn apply_again<'a>(store: &mut Store, ops: impl Iterator<Item = &'a Op>, tried_by: Option<&str>) -> Result<u64> {
    store.write(|tx, memory| {
        let mut clock = load_clock(tx)?;
        let mut applied = 0;
        for op in ops {
            let id = op.id.to_string();
            match apply_one(tx, op, memory)? {
                Outcome::Unfit(why) => {
                    tx.execute("UPDATE set_aside SET reason = ?1, refused = 0 WHERE op_id = ?2", params![why, id])?;
                }
                _ => {
                    tx.execute("DELETE FROM set_aside WHERE op_id = ?1", [id])?;
                    clock = clock.max(op.hlc);
                    applied += 1;
                }
            }
        }
        store_clock(tx, clock)?;
        if let Some(version) = tried_by {
            set_meta(tx, TRIED_BY, version)?;
        }
        Ok::<_, CoreError>(applied)
    })
}
