//! `apply_one`: the single function through which every change of data passes.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::op::{Kind, Op};
use crate::project::project_entity;

/// What a batch of ops did, for the summary shown after a sync: the contract's type, which the
/// app shows as it is.
pub use kehoach_model::contract::Applied;

/// What `apply_one` did with one op.
pub(crate) enum Outcome {
    /// The database had it already.
    Duplicate,
    /// New; `conflicts` losing values now stand beside its field's winner.
    New { conflicts: u64 },
    /// Not applied, and nothing of it written: no replica can apply it, for this reason.
    Unfit(String),
}

/// Counts one op's outcome into `applied`.
pub(crate) fn count(applied: &mut Applied, kind: Kind, outcome: Outcome) {
    match outcome {
        Outcome::Duplicate => applied.duplicates += 1,
        Outcome::Unfit(_) => applied.set_aside += 1,
        Outcome::New { conflicts } => {
            applied.applied += 1;
            applied.conflicts += conflicts;
            *applied.by_kind.entry(kind.as_str().to_string()).or_default() += 1;
        }
    }
}

/// What one transaction has learnt so far, so each op does not ask the database again.
///
/// - The records whose winning fields changed, each projected once at the end of the
///   transaction from its final field values: a task arriving as seven field ops is rebuilt
///   once rather than seven times.
/// - The kind of every record met (seven ops of a task look its kind up once).
/// - For records created in this transaction, their winning fields in memory: nothing of them
///   is in the database from before, so their winners need no lookup and their projection
///   needs neither the fields read back nor old rows and search entries removed.
/// - The next arrival number (`seq`), read once.
///
/// Imports of 100,000 ops spent most of their time on these repeated lookups and rebuilds.
#[derive(Default)]
pub(crate) struct TxMemory {
    order: Vec<(Kind, Uuid)>,
    noted: HashSet<Uuid>,
    records: HashMap<Uuid, Record>,
    next_seq: Option<i64>,
}

struct Record {
    kind: Kind,
    /// `Some` for a record created in this transaction.
    fresh: Option<Fresh>,
}

/// A record created in this transaction: every op of it is in memory.
#[derive(Default)]
struct Fresh {
    /// Its winning fields so far.
    fields: HashMap<String, Winner>,
    /// Its ops applied so far: the only ones of it the op log can hold.
    ops: HashSet<Uuid>,
}

/// The winning op of one field (the `field_values` view of the database).
pub(crate) struct Winner {
    hlc: i64,
    device: Uuid,
    op_id: Uuid,
    pub(crate) value: Value,
}

impl TxMemory {
    fn note(&mut self, kind: Kind, id: Uuid) {
        if self.noted.insert(id) {
            self.order.push((kind, id));
        }
    }

    fn next_seq(&mut self, tx: &Transaction) -> Result<i64> {
        let seq = match self.next_seq {
            Some(s) => s,
            // `seq_floor` is set when a backup is restored: this device may have numbered ops
            // past the backup's last one before it was lost, and other PCs' cursors of its log
            // are past them too; numbering on from the floor keeps its new ops new to them.
            None => tx.query_row(
                "SELECT max(coalesce((SELECT max(seq) FROM ops), 0),
                            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq_floor'), 0)) + 1",
                [],
                |r| r.get(0),
            )?,
        };
        self.next_seq = Some(seq + 1);
        Ok(seq)
    }

    /// The record's kind, its entry made on first sight: read from the database, and the
    /// `entities` row written when it is new (as `op`'s kind).
    fn record(&mut self, tx: &Transaction, op: &Op, entity: &str) -> Result<Kind> {
        if let Some(r) = self.records.get(&op.entity) {
            return Ok(r.kind);
        }
        let existing: Option<String> = tx
            .prepare_cached("SELECT kind FROM entities WHERE id = ?1")?
            .query_row([entity], |r| r.get(0))
            .optional()?;
        let record = match existing {
            Some(k) => Record { kind: Kind::parse(&k)?, fresh: None },
            None => {
                tx.prepare_cached("INSERT INTO entities(id, kind) VALUES (?1, ?2)")?
                    .execute(params![entity, op.kind.as_str()])?;
                Record { kind: op.kind, fresh: Some(Fresh::default()) }
            }
        };
        let kind = record.kind;
        self.records.insert(op.entity, record);
        Ok(kind)
    }

    /// Projects every record whose winners changed, in the order first changed (a plan
    /// before its tasks).
    pub(crate) fn project(mut self, tx: &Transaction, columns: &HashMap<Kind, Vec<String>>) -> Result<()> {
        for (kind, id) in std::mem::take(&mut self.order) {
            let fresh = self.records.remove(&id).and_then(|r| r.fresh);
            let fresh = fresh.map(|f| f.fields.into_iter().map(|(k, w)| (k, w.value)).collect());
            project_entity(tx, columns, kind, id, fresh)?;
        }
        Ok(())
    }
}

/// Applies one op inside the caller's transaction: op log, field winner, conflicts; the record
/// is noted in `memory` for projection before the transaction commits.
///
/// Idempotent (keyed by op id) and order-independent: the winner of a field is the op with
/// the greatest (stamp, device, op id), and the conflicts of a field are recomputed from the
/// whole op log of that field, so any arrival order gives the same state.
///
/// An op no replica can apply — its record's shape (`Op::check_record`) or a change of its
/// record's kind — is `Outcome::Unfit`, and nothing of it is written.
pub(crate) fn apply_one(tx: &Transaction, op: &Op, memory: &mut TxMemory) -> Result<Outcome> {
    op.check_stamps()?;
    if let Err(why) = op.check_record() {
        return Ok(Outcome::Unfit(why));
    }
    let id = op.id.to_string();
    let entity = op.entity.to_string();
    let kind = memory.record(tx, op, &entity)?;
    if kind != op.kind {
        return Ok(Outcome::Unfit(format!(
            "bản ghi {entity} là {}, thao tác lại ghi nó như {}",
            kind.label_vi(),
            op.kind.label_vi()
        )));
    }
    let seen = match &mut memory.records.get_mut(&op.entity).expect("recorded above").fresh {
        // A record new in this transaction has no ops in the log but those applied here.
        Some(fresh) => !fresh.ops.insert(op.id),
        None => tx
            .prepare_cached("SELECT 1 FROM ops WHERE id = ?1")?
            .query_row([&id], |_| Ok(true))
            .optional()?
            .unwrap_or(false),
    };
    if seen {
        return Ok(Outcome::Duplicate);
    }
    let seq = memory.next_seq(tx)?;
    let value = serde_json::to_string(&op.value).map_err(|e| CoreError::BadOp(e.to_string()))?;
    let device = op.device.to_string();
    let record = memory.records.get_mut(&op.entity).expect("looked up above");
    tx.prepare_cached(
        "INSERT INTO ops(id, entity, field, value, hlc, device, prev, seq, sig)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, entity, op.field, value, op.hlc.as_i64(), device, op.prev.as_i64(), seq, op.sig])?;

    // Ids compare as their text does (lowercase hex, dashes in fixed places), so the order is
    // the same on every replica whichever form it reads.
    let current: Option<(i64, Uuid, Uuid)> = match &record.fresh {
        Some(fresh) => fresh.fields.get(&op.field).map(|w| (w.hlc, w.device, w.op_id)),
        None => {
            let row: Option<(i64, String, String)> = tx
                .prepare_cached("SELECT hlc, device, op_id FROM field_values WHERE entity = ?1 AND field = ?2")?
                .query_row(params![entity, op.field], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            match row {
                None => None,
                Some((hlc, device, op_id)) => Some((hlc, parse_id(&device)?, parse_id(&op_id)?)),
            }
        }
    };
    let wins = current.is_none_or(|c| (op.hlc.as_i64(), op.device, op.id) > c);
    if wins {
        // A field met for the first time has no row to update.
        let sql = if current.is_none() {
            "INSERT INTO fields(entity, field, seq, hlc, prev) VALUES (?1, ?2, ?3, ?4, ?5)"
        } else {
            "INSERT INTO fields(entity, field, seq, hlc, prev) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(entity, field) DO UPDATE SET seq = excluded.seq, hlc = excluded.hlc, prev = excluded.prev"
        };
        tx.prepare_cached(sql)?.execute(params![entity, op.field, seq, op.hlc.as_i64(), op.prev.as_i64()])?;
        if let Some(fresh) = &mut record.fresh {
            let w = Winner { hlc: op.hlc.as_i64(), device: op.device, op_id: op.id, value: op.value.clone() };
            fresh.fields.insert(op.field.clone(), w);
        }
        memory.note(op.kind, op.entity);
    }
    // The first op of a field has no rival: nothing to recompute.
    let conflicts = if current.is_none() { 0 } else { recompute_conflicts(tx, &entity, &op.field)? };
    Ok(Outcome::New { conflicts })
}

fn parse_id(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| CoreError::BadOp(format!("mã không hợp lệ trong dữ liệu: {s}: {e}")))
}

/// A losing op is a conflict when the winner was made without seeing it (the winner's `prev`
/// is older than the loser's stamp) and the values differ. Derived from the op log only.
fn recompute_conflicts(tx: &Transaction, entity: &str, field: &str) -> Result<u64> {
    tx.prepare_cached("DELETE FROM conflicts WHERE entity = ?1 AND field = ?2")?.execute(params![entity, field])?;
    let n = tx
        .prepare_cached(
            "INSERT INTO conflicts(entity, field, op_id, value, device)
         SELECT o.entity, o.field, o.id, o.value, o.device
         FROM ops o JOIN field_values f ON f.entity = o.entity AND f.field = o.field
         WHERE o.entity = ?1 AND o.field = ?2 AND o.id <> f.op_id AND o.hlc > f.prev AND o.value <> f.value",
        )?
        .execute(params![entity, field])?;
    Ok(n as u64)
}
