//! Projection: rebuilds an entity's current row (and what is derived from it: deadline,
//! unit links, search index) from its winning field values. Rows are never written any
//! other way, so they always equal what the op log says.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use serde_json::Value;
use uuid::Uuid;

use crate::due::deadline;
use crate::error::{CoreError, Result};
use crate::fold::fold;
use crate::op::{Kind, DELETED};

pub(crate) fn project_entity(
    tx: &Transaction,
    columns: &HashMap<Kind, Vec<String>>,
    kind: Kind,
    id: Uuid,
) -> Result<()> {
    let id_s = id.to_string();
    let fields = load_fields(tx, &id_s)?;
    let table = kind.table();
    let deleted = fields.get(DELETED).and_then(Value::as_bool).unwrap_or(false);
    if matches!(kind, Kind::Task | Kind::Note | Kind::ChecklistItem) {
        unindex(tx, &id_s)?;
    }
    if deleted {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?.execute([&id_s])?;
        return Ok(());
    }
    let cols: Vec<&String> = columns[&kind].iter().filter(|c| fields.contains_key(c.as_str())).collect();
    let mut values: Vec<SqlValue> = vec![SqlValue::Text(id_s.clone())];
    values.extend(cols.iter().map(|c| to_sql(&fields[c.as_str()])));
    let sql = if cols.is_empty() {
        format!("INSERT INTO {table}(id) VALUES (?1) ON CONFLICT(id) DO NOTHING")
    } else {
        // Quoted: a field may be an SQL keyword ("group").
        let names: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (2..=cols.len() + 1).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = names.iter().map(|c| format!("{c} = excluded.{c}")).collect();
        format!(
            "INSERT INTO {table}(id, {}) VALUES (?1, {}) ON CONFLICT(id) DO UPDATE SET {}",
            names.join(", "),
            marks.join(", "),
            sets.join(", ")
        )
    };
    tx.prepare_cached(&sql)?
        .execute(params_from_iter(values.iter()))
        .map_err(|e| CoreError::BadOp(format!("không ghi được {}: {e}", kind.as_str())))?;

    match kind {
        Kind::Task => project_task(tx, &id_s, &fields)?,
        Kind::Note | Kind::ChecklistItem => {
            let text = fields.get("text").and_then(Value::as_str).unwrap_or("");
            index_text(tx, &id_s, kind, &[text])?;
        }
        _ => {}
    }
    Ok(())
}

fn project_task(tx: &Transaction, id: &str, fields: &HashMap<String, Value>) -> Result<()> {
    let due = fields
        .get("due")
        .and_then(|v| serde_json::from_value::<kehoach_model::Due>(v.clone()).ok())
        .unwrap_or_default();
    let dl = deadline(&due).map(|d| d.format("%Y-%m-%d").to_string());
    tx.prepare_cached("UPDATE tasks SET deadline = ?1 WHERE id = ?2")?.execute(params![dl, id])?;
    tx.prepare_cached("DELETE FROM task_units WHERE task_id = ?1")?.execute([id])?;
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
    let mut stmt = tx.prepare_cached("SELECT field, value FROM fields WHERE entity = ?1")?;
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
