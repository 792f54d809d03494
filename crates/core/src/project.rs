//! Projection: rebuilds an entity's current row (and what is derived from it: deadline,
//! unit links, search index) from its winning field values. Rows are never written any
//! other way, so they always equal what the op log says.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::due::deadline;
use crate::error::{CoreError, Result};
use crate::fold::fold;
use crate::op::{Kind, DELETED};

/// `fresh` carries the winning fields of a record created in the same transaction (see
/// `apply::TxMemory`): it has no row, unit links or search entry yet, so none is removed and its
/// fields are not read back.
pub(crate) fn project_entity(
    tx: &Transaction,
    columns: &HashMap<Kind, Vec<String>>,
    kind: Kind,
    id: Uuid,
    fresh: Option<HashMap<String, Value>>,
) -> Result<()> {
    let id_s = id.to_string();
    let is_new = fresh.is_some();
    let fields = match fresh {
        Some(f) => f,
        None => load_fields(tx, &id_s)?,
    };
    let table = kind.table();
    let deleted = fields.get(DELETED).and_then(Value::as_bool).unwrap_or(false);
    if !is_new && matches!(kind, Kind::Task | Kind::Note | Kind::ChecklistItem) {
        unindex(tx, &id_s)?;
    }
    if deleted {
        if !is_new {
            if kind == Kind::Task {
                // Declared ON DELETE CASCADE, but foreign keys are off while the write path
                // runs (see `Store::write`).
                unlink_units(tx, &id_s)?;
            }
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?.execute([&id_s])?;
        }
        return Ok(());
    }
    // A task's deadline is derived from `due`, never taken from a field of that name.
    let derived: Option<(&str, SqlValue)> = match kind {
        Kind::Task => Some(("deadline", task_deadline(&fields).map_or(SqlValue::Null, SqlValue::Text))),
        _ => None,
    };
    let mut names: Vec<&str> = Vec::new();
    let mut values: Vec<SqlValue> = vec![SqlValue::Text(id_s.clone())];
    for c in &columns[&kind] {
        if let Some((name, v)) = derived.as_ref().filter(|(name, _)| name == c) {
            names.push(name);
            values.push(v.clone());
        } else if let Some(v) = fields.get(c.as_str()) {
            names.push(c);
            values.push(to_sql(v));
        }
    }
    let sql = if names.is_empty() {
        format!("INSERT INTO {table}(id) VALUES (?1) ON CONFLICT(id) DO NOTHING")
    } else {
        // Quoted: a field may be an SQL keyword ("group").
        let quoted: Vec<String> = names.iter().map(|c| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (2..=names.len() + 1).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = quoted.iter().map(|c| format!("{c} = excluded.{c}")).collect();
        format!(
            "INSERT INTO {table}(id, {}) VALUES (?1, {}) ON CONFLICT(id) DO UPDATE SET {}",
            quoted.join(", "),
            marks.join(", "),
            sets.join(", ")
        )
    };
    tx.prepare_cached(&sql)?
        .execute(params_from_iter(values.iter()))
        .map_err(|e| CoreError::BadOp(format!("không ghi được {}: {e}", kind.as_str())))?;

    match kind {
        Kind::Task => project_task(tx, &id_s, &fields, is_new)?,
        Kind::Note | Kind::ChecklistItem => {
            let text = fields.get("text").and_then(Value::as_str).unwrap_or("");
            index_text(tx, &id_s, kind, &[text])?;
        }
        _ => {}
    }
    Ok(())
}

fn task_deadline(fields: &HashMap<String, Value>) -> Option<String> {
    let due = fields.get("due").and_then(|v| kehoach_model::Due::deserialize(v).ok()).unwrap_or_default();
    deadline(&due).map(|d| d.format("%Y-%m-%d").to_string())
}

/// Removes a task's unit links (rebuilt from its lead/coord/monitor fields).
fn unlink_units(tx: &Transaction, task_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM task_units WHERE task_id = ?1")?.execute([task_id])?;
    Ok(())
}

fn project_task(tx: &Transaction, id: &str, fields: &HashMap<String, Value>, is_new: bool) -> Result<()> {
    if !is_new {
        unlink_units(tx, id)?;
    }
    for role in ["lead", "coord", "monitor"] {
        let Some(Value::Array(units)) = fields.get(role) else { continue };
        for u in units.iter().filter_map(Value::as_str) {
            tx.prepare_cached("INSERT OR IGNORE INTO task_units(task_id, unit_id, role) VALUES (?1, ?2, ?3)")?
                .execute(params![id, u, role])?;
        }
    }
    let s = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or("");
    index_text(tx, id, Kind::Task, &[s("ref"), s("text"), s("section"), s("time_text"), s("product")])
}

/// Removes a record's full-text entry, found by rowid through `search_rows`.
fn unindex(tx: &Transaction, id: &str) -> Result<()> {
    let row: Option<i64> = tx
        .prepare_cached("SELECT fts_rowid FROM search_rows WHERE entity = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = row {
        tx.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([rowid])?;
        tx.prepare_cached("DELETE FROM search_rows WHERE entity = ?1")?.execute([id])?;
    }
    Ok(())
}

fn index_text(tx: &Transaction, id: &str, kind: Kind, parts: &[&str]) -> Result<()> {
    let text = parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ");
    tx.prepare_cached("INSERT INTO search_fts(entity, kind, folded) VALUES (?1, ?2, ?3)")?.execute(params![
        id,
        kind.as_str(),
        fold(&text)
    ])?;
    tx.prepare_cached("INSERT INTO search_rows(entity, fts_rowid) VALUES (?1, ?2)")?
        .execute(params![id, tx.last_insert_rowid()])?;
    Ok(())
}

fn load_fields(tx: &Transaction, id: &str) -> Result<HashMap<String, Value>> {
    let mut stmt = tx.prepare_cached("SELECT field, value FROM field_values WHERE entity = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (f, v) = row?;
        out.insert(f, serde_json::from_str(&v).map_err(|e| CoreError::BadOp(e.to_string()))?);
    }
    Ok(out)
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}
