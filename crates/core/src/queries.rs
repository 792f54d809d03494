//! Read-only queries over the projection tables.

use std::collections::HashMap;

use chrono::NaiveDate;
use kehoach_model::{Conflict, Note, Overview, Plan, PlanDetail, Settings, Task, TaskFilter, TaskStatus, Unit};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, OptionalExtension, Row};
use serde_json::Value;
use uuid::Uuid;

use crate::due::{is_overdue, month_bounds};
use crate::error::{CoreError, Result};
use crate::fold::fold;
use crate::op::SETTINGS_ID;
use crate::store::Store;

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn json_or<T: serde::de::DeserializeOwned + Default>(s: Option<String>) -> T {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Today on this PC's clock (see [`crate::dates::today`]).
pub use crate::dates::today;

pub fn settings(store: &Store) -> Result<Settings> {
    Ok(store
        .conn
        .query_row(
            "SELECT commune, parent, place, signer, signer_title, level FROM org WHERE id = ?1",
            [SETTINGS_ID.to_string()],
            |r| {
                Ok(Settings {
                    commune: r.get(0)?,
                    parent: r.get(1)?,
                    place: r.get(2)?,
                    signer: r.get(3)?,
                    signer_title: r.get(4)?,
                    level: r.get(5)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

const PLAN_COLS: &str = "p.id, p.title, p.number, p.date, p.issuer, p.signer, p.basis, p.reporting,
    (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id),
    (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.status = 'done'),
    (SELECT f.value FROM field_values f WHERE f.entity = p.id AND f.field = 'period_cutoff'), p.parent";

fn plan_row(r: &Row) -> rusqlite::Result<Plan> {
    Ok(Plan {
        id: uuid(&r.get::<_, String>(0)?),
        title: r.get(1)?,
        number: r.get(2)?,
        date: r.get(3)?,
        issuer: r.get(4)?,
        signer: r.get(5)?,
        basis: json_or(r.get(6)?),
        reporting: json_or(r.get(7)?),
        task_count: r.get(8)?,
        done_count: r.get(9)?,
        // Kept as a field value only (no column): a JSON string.
        period_cutoff: r
            .get::<_, Option<String>>(10)?
            .and_then(|v| serde_json::from_str::<String>(&v).ok())
            .and_then(|v| kehoach_model::PeriodCutoff::parse(&v))
            .unwrap_or_default(),
        parent: r.get::<_, Option<String>>(11)?.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

pub fn plan(store: &Store, id: Uuid) -> Result<Plan> {
    store
        .conn
        .query_row(&format!("SELECT {PLAN_COLS} FROM plans p WHERE p.id = ?1"), [id.to_string()], plan_row)
        .optional()?
        .ok_or(CoreError::NotFound { what: "kế hoạch", id: id.to_string() })
}

/// The year a plan was issued: what a timeframe without one ("Trong quý II") falls in.
pub fn plan_year(store: &Store, id: Uuid) -> Result<Option<i32>> {
    Ok(plan(store, id)?.date.and_then(|d| d.get(..4).and_then(|y| y.parse().ok())))
}

pub fn list_plans(store: &Store) -> Result<Vec<Plan>> {
    let mut stmt =
        store.conn.prepare_cached(&format!("SELECT {PLAN_COLS} FROM plans p ORDER BY p.created_at DESC, p.id DESC"))?;
    let rows = stmt.query_map([], plan_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn plan_detail(store: &Store, id: Uuid) -> Result<PlanDetail> {
    let plan = plan(store, id)?;
    let tasks = list_tasks(store, &TaskFilter { plan_id: Some(id), ..Default::default() })?;
    let last_notes = last_notes(store, id)?;
    Ok(PlanDetail { plan, tasks, last_notes })
}

pub fn units(store: &Store) -> Result<Vec<Unit>> {
    let mut stmt =
        store.conn.prepare_cached("SELECT id, name, aliases FROM units WHERE merged_into IS NULL ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Unit { id: uuid(&r.get::<_, String>(0)?), name: r.get(1)?, aliases: json_or(r.get(2)?) })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A unit whose name or alias matches, ignoring case and diacritics.
pub fn find_unit(store: &Store, name: &str) -> Result<Option<Uuid>> {
    let key = fold(name.trim());
    Ok(units(store)?
        .into_iter()
        .find(|u| fold(&u.name) == key || u.aliases.iter().any(|a| fold(a) == key))
        .map(|u| u.id))
}

pub(crate) fn unit_names(store: &Store) -> Result<HashMap<String, String>> {
    let mut stmt = store.conn.prepare_cached("SELECT id, name FROM units")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn task(store: &Store, id: Uuid) -> Result<Task> {
    let names = unit_names(store)?;
    store
        .conn
        .query_row(&format!("SELECT {TASK_COLS} FROM tasks t WHERE t.id = ?1"), [id.to_string()], |r| {
            task_row(r, &names, today())
        })
        .optional()?
        .ok_or(CoreError::NotFound { what: "nhiệm vụ", id: id.to_string() })
}

pub(crate) const TASK_COLS: &str = "t.id, t.plan_id, t.ref, t.section, t.text, t.lead, t.coord, t.monitor, t.time_text,
    t.due, t.product, t.status, t.status_reason, t.deadline, t.budget, t.due_by_level, t.parent_task, t.parent_ref";

pub(crate) fn task_row(r: &Row, names: &HashMap<String, String>, as_of: NaiveDate) -> rusqlite::Result<Task> {
    let units = |s: Option<String>| -> Vec<String> {
        json_or::<Vec<String>>(s).into_iter().map(|id| names.get(&id).cloned().unwrap_or(id)).collect()
    };
    let status = TaskStatus::parse(&r.get::<_, String>(11)?).unwrap_or_default();
    let deadline: Option<String> = r.get(13)?;
    let dl = deadline.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    Ok(Task {
        id: uuid(&r.get::<_, String>(0)?),
        plan_id: uuid(&r.get::<_, String>(1)?),
        reference: r.get(2)?,
        section: r.get(3)?,
        text: r.get(4)?,
        lead: units(r.get(5)?),
        coord: units(r.get(6)?),
        monitor: units(r.get(7)?),
        time_text: r.get(8)?,
        due: json_or(r.get(9)?),
        product: r.get(10)?,
        budget: r.get(14)?,
        due_by_level: json_or(r.get(15)?),
        status,
        status_reason: r.get(12)?,
        overdue: is_overdue(dl, matches!(status, TaskStatus::Done | TaskStatus::CannotDo), as_of),
        deadline,
        parent_task: r.get::<_, Option<String>>(16)?.and_then(|s| Uuid::parse_str(&s).ok()),
        parent_ref: r.get(17)?,
    })
}

/// Builds an FTS5 query from words typed by a user: each word folded and quoted, as a prefix.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> =
        fold(q).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("\"{w}\"*")).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

pub fn list_tasks(store: &Store, f: &TaskFilter) -> Result<Vec<Task>> {
    let as_of = match &f.as_of {
        Some(d) => crate::dates::check_iso_date("Ngày xét", d)?,
        None => today(),
    };
    let mut sql = format!("SELECT {TASK_COLS} FROM tasks t WHERE 1=1");
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(p) = f.plan_id {
        args.push(SqlValue::Text(p.to_string()));
        sql += &format!(" AND t.plan_id = ?{}", args.len());
    }
    if let Some(s) = f.status {
        args.push(SqlValue::Text(s.as_str().into()));
        sql += &format!(" AND t.status = ?{}", args.len());
    }
    if let Some(u) = &f.unit {
        let id = find_unit(store, u)?.ok_or_else(|| CoreError::invalid(format!("không có đơn vị tên \"{u}\"")))?;
        args.push(SqlValue::Text(id.to_string()));
        // Units merged into this one count as it: ops from a PC that has not seen the merge
        // yet may still name the old unit.
        sql += &format!(
            " AND t.id IN (SELECT task_id FROM task_units WHERE unit_id IN
                (SELECT id FROM units WHERE id = ?{0} OR merged_into = ?{0}))",
            args.len()
        );
    }
    if f.overdue_only {
        args.push(SqlValue::Text(as_of.format("%Y-%m-%d").to_string()));
        sql += &format!(" AND t.deadline < ?{} AND t.status NOT IN ('done', 'cannot_do')", args.len());
    }
    if let Some(q) = f.search.as_deref().filter(|q| !q.trim().is_empty()) {
        match fts_query(q) {
            Some(m) => {
                args.push(SqlValue::Text(m));
                sql += &format!(
                    " AND t.id IN (SELECT entity FROM search_fts WHERE search_fts MATCH ?{} AND kind = 'task')",
                    args.len()
                );
            }
            None => return Ok(Vec::new()),
        }
    }
    sql += " ORDER BY t.plan_id, t.pos, t.id";
    let names = unit_names(store)?;
    let mut stmt = store.conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| task_row(r, &names, as_of))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn overview(store: &Store, as_of: Option<&str>) -> Result<Overview> {
    let as_of = match as_of {
        Some(d) => crate::dates::check_iso_date("Ngày xét", d)?,
        None => today(),
    };
    let day = as_of.format("%Y-%m-%d").to_string();
    let (first, last) = month_bounds(as_of);
    let c = &store.conn;
    let count =
        |sql: &str, p: &[&str]| -> Result<u32> { Ok(c.query_row(sql, params_from_iter(p.iter()), |r| r.get(0))?) };
    Ok(Overview {
        plans: count("SELECT count(*) FROM plans", &[])?,
        tasks: count("SELECT count(*) FROM tasks", &[])?,
        done: count("SELECT count(*) FROM tasks WHERE status = 'done'", &[])?,
        in_progress: count("SELECT count(*) FROM tasks WHERE status = 'in_progress'", &[])?,
        overdue: count(
            "SELECT count(*) FROM tasks WHERE deadline < ?1 AND status NOT IN ('done', 'cannot_do')",
            &[&day],
        )?,
        due_this_month: count(
            "SELECT count(*) FROM tasks WHERE deadline BETWEEN ?1 AND ?2 AND status NOT IN ('done', 'cannot_do')",
            &[&first.format("%Y-%m-%d").to_string(), &last.format("%Y-%m-%d").to_string()],
        )?,
        as_of: day,
    })
}

pub fn conflicts(store: &Store) -> Result<Vec<Conflict>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT c.entity, e.kind, c.field, f.value, c.value, c.device
         FROM conflicts c JOIN entities e ON e.id = c.entity
         JOIN field_values f ON f.entity = c.entity AND f.field = c.field
         ORDER BY c.entity, c.field, c.op_id",
    )?;
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
        let (entity, kind, field, kept, lost, device) = row?;
        out.push(Conflict {
            entity: uuid(&entity),
            kind,
            field,
            kept: serde_json::from_str(&kept).unwrap_or(Value::Null),
            lost: serde_json::from_str(&lost).unwrap_or(Value::Null),
            lost_device: uuid(&device),
        });
    }
    Ok(out)
}

/// The newest note of each task of a plan that has one (the plan screen's "last note"
/// column), in one query rather than one per row.
pub fn last_notes(store: &Store, plan_id: Uuid) -> Result<Vec<Note>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT n.id, n.task_id, n.date, n.author, n.text FROM notes n
         WHERE n.task_id IN (SELECT id FROM tasks WHERE plan_id = ?1)
           AND n.id = (SELECT m.id FROM notes m WHERE m.task_id = n.task_id ORDER BY m.date DESC, m.id DESC LIMIT 1)",
    )?;
    let rows = stmt.query_map([plan_id.to_string()], note_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn note_row(r: &rusqlite::Row) -> rusqlite::Result<Note> {
    Ok(Note {
        id: uuid(&r.get::<_, String>(0)?),
        task_id: uuid(&r.get::<_, String>(1)?),
        date: r.get(2)?,
        author: r.get(3)?,
        text: r.get(4)?,
    })
}

/// Whether a record was deleted (its tombstone is the winning `deleted` value).
pub(crate) fn is_deleted(store: &Store, id: Uuid) -> Result<bool> {
    Ok(store
        .conn
        .query_row("SELECT value FROM field_values WHERE entity = ?1 AND field = 'deleted'", [id.to_string()], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .is_some_and(|v| v == "true"))
}

/// A live task, or a message saying why not (deleted / unknown).
pub(crate) fn live_task(store: &Store, id: Uuid) -> Result<Task> {
    if is_deleted(store, id)? {
        return Err(CoreError::invalid(format!("nhiệm vụ {id} đã bị xóa, không thể cập nhật")));
    }
    task(store, id)
}
