//! Ops set aside: received from elsewhere, not applicable on any replica (see `record.rs` and
//! `Store::apply_stream`). Kept whole, with the device that made them and the reason, so the
//! Đồng bộ screen can say what was not taken and from whom while sync goes on.

use kehoach_model::SetAsideOp;
use rusqlite::{params, Transaction};

use crate::error::Result;
use crate::op::{Kind, Op};
use crate::store::Store;

/// Keeps `op` aside for `reason`, inside the applying transaction; an op already set aside
/// keeps its first time.
pub(crate) fn keep(tx: &Transaction, op: &Op, reason: &str) -> Result<()> {
    let whole = serde_json::to_string(op).map_err(|e| crate::CoreError::BadOp(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO set_aside(op_id, device, kind, entity, field, op, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(op_id) DO NOTHING",
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
        let sender = uuid::Uuid::parse_str(&device).ok().and_then(|d| names.get(&d)).map(|u| match &u.unit {
            Some(unit) => format!("{} ({unit})", u.name),
            None => u.name.clone(),
        });
        let kind = Kind::parse(&kind).map(|k| k.label_vi().to_string()).unwrap_or(kind);
        out.push(SetAsideOp { op_id, device, sender, kind, field, reason, at });
    }
    Ok(out)
}

/// How many ops are set aside (the Đồng bộ screen's heading).
pub fn count(store: &Store) -> Result<i64> {
    Ok(store.conn.query_row("SELECT count(*) FROM set_aside", [], |r| r.get(0))?)
}
