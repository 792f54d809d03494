//! `apply_one`: the single function through which every change of data passes.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::op::{Kind, Op};
use crate::project::project_entity;

/// What a batch of ops did, for the summary shown after a sync.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// Ops new to this database.
    pub applied: u64,
    /// Ops it already had (a re-sent bundle).
    pub duplicates: u64,
    /// New ops per kind of record.
    pub by_kind: BTreeMap<String, u64>,
    /// Fields that now have a losing concurrent value.
    pub conflicts: u64,
}

impl Applied {
    pub(crate) fn add(&mut self, o: &Applied) {
        self.applied += o.applied;
        self.duplicates += o.duplicates;
        self.conflicts += o.conflicts;
        for (k, v) in &o.by_kind {
            *self.by_kind.entry(k.clone()).or_default() += v;
        }
    }
}

/// The records whose winning fields changed in one transaction. Each is projected once, at
/// the end of the transaction, from its final field values: a task arriving as seven field ops
/// is rebuilt once rather than seven times (imports of 100,000 ops spent most of their time
/// rebuilding rows and search entries).
#[derive(Default)]
pub(crate) struct Touched {
    order: Vec<(Kind, Uuid)>,
    seen: HashSet<Uuid>,
}

impl Touched {
    fn note(&mut self, kind: Kind, id: Uuid) {
        if self.seen.insert(id) {
            self.order.push((kind, id));
        }
    }

    /// Projects every touched record, in the order first touched (a plan before its tasks).
    pub(crate) fn project(self, tx: &Transaction, columns: &HashMap<Kind, Vec<String>>) -> Result<()> {
        for (kind, id) in self.order {
            project_entity(tx, columns, kind, id)?;
        }
        Ok(())
    }
}

/// Applies one op inside the caller's transaction: op log, field winner, conflicts; the record
/// is noted in `touched` for projection before the transaction commits.
///
/// Idempotent (keyed by op id) and order-independent: the winner of a field is the op with
/// the greatest (stamp, device, op id), and the conflicts of a field are recomputed from the
/// whole op log of that field, so any arrival order gives the same state.
pub(crate) fn apply_one(tx: &Transaction, op: &Op, touched: &mut Touched) -> Result<Applied> {
    op.validate()?;
    let id = op.id.to_string();
    let entity = op.entity.to_string();
    let seen: bool = tx
        .prepare_cached("SELECT 1 FROM ops WHERE id = ?1")?
        .query_row([&id], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if seen {
        return Ok(Applied { duplicates: 1, ..Default::default() });
    }
    let existing_kind: Option<String> =
        tx.prepare_cached("SELECT kind FROM entities WHERE id = ?1")?.query_row([&entity], |r| r.get(0)).optional()?;
    match existing_kind {
        Some(k) if k != op.kind.as_str() => {
            return Err(CoreError::BadOp(format!("bản ghi {entity} là loại {k}, không phải {}", op.kind.as_str())))
        }
        Some(_) => {}
        None => {
            tx.prepare_cached("INSERT INTO entities(id, kind) VALUES (?1, ?2)")?
                .execute(params![entity, op.kind.as_str()])?;
        }
    }
    let value = serde_json::to_string(&op.value).map_err(|e| CoreError::BadOp(e.to_string()))?;
    let device = op.device.to_string();
    tx.prepare_cached(
        "INSERT INTO ops(id, entity, field, value, hlc, device, prev, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce(max(seq), 0) + 1 FROM ops))",
    )?
    .execute(params![id, entity, op.field, value, op.hlc.as_i64(), device, op.prev.as_i64()])?;

    let current: Option<(i64, String, String)> = tx
        .prepare_cached("SELECT hlc, device, op_id FROM fields WHERE entity = ?1 AND field = ?2")?
        .query_row(params![entity, op.field], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let wins = match &current {
        None => true,
        Some((hlc, dev, op_id)) => {
            (op.hlc.as_i64(), device.as_str(), id.as_str()) > (*hlc, dev.as_str(), op_id.as_str())
        }
    };
    if wins {
        tx.prepare_cached(
            "INSERT INTO fields(entity, field, value, hlc, device, op_id, prev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(entity, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc,
                device = excluded.device, op_id = excluded.op_id, prev = excluded.prev",
        )?
        .execute(params![entity, op.field, value, op.hlc.as_i64(), device, id, op.prev.as_i64()])?;
    }
    // The first op of a field has no rival: nothing to recompute.
    let conflicts = if current.is_none() { 0 } else { recompute_conflicts(tx, &entity, &op.field)? };
    if wins {
        touched.note(op.kind, op.entity);
    }
    let mut by_kind = BTreeMap::new();
    by_kind.insert(op.kind.as_str().to_string(), 1);
    Ok(Applied { applied: 1, duplicates: 0, by_kind, conflicts })
}

/// A losing op is a conflict when the winner was made without seeing it (the winner's `prev`
/// is older than the loser's stamp) and the values differ. Derived from the op log only.
fn recompute_conflicts(tx: &Transaction, entity: &str, field: &str) -> Result<u64> {
    tx.prepare_cached("DELETE FROM conflicts WHERE entity = ?1 AND field = ?2")?.execute(params![entity, field])?;
    let n = tx
        .prepare_cached(
            "INSERT INTO conflicts(entity, field, op_id, value, device)
         SELECT o.entity, o.field, o.id, o.value, o.device
         FROM ops o JOIN fields f ON f.entity = o.entity AND f.field = o.field
         WHERE o.entity = ?1 AND o.field = ?2 AND o.id <> f.op_id AND o.hlc > f.prev AND o.value <> f.value",
        )?
        .execute(params![entity, field])?;
    Ok(n as u64)
}
