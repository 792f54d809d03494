//! Checklists: the built-in Đề án 06 catalogue (assets/catalogue/de-an-06.json), attachable to
//! any plan, and a plan's own lists (imported appendices, or made by hand). Items are ticked
//! with a date and, optionally, evidence.

use std::sync::OnceLock;

use kehoach_model::{Catalogue, Checklist, ChecklistItem};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::{date_or_today, derived_id, iso, non_empty, parse_uuid};
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind, DELETED};
use crate::record as field;
use crate::store::Store;

const CATALOGUE_JSON: &str = include_str!("../../../../assets/catalogue/de-an-06.json");

#[derive(Deserialize)]
struct CatalogueFile {
    catalogues: Vec<Catalogue>,
}

/// The built-in catalogues: `services` (the 25 essential online public services with their
/// online level), `working_group` (setting up the commune's working group), `seven_ways`
/// (the seven ways of using citizen data instead of the household book).
pub fn catalogues() -> &'static [Catalogue] {
    static CAT: OnceLock<Vec<Catalogue>> = OnceLock::new();
    CAT.get_or_init(|| serde_json::from_str::<CatalogueFile>(CATALOGUE_JSON).map(|f| f.catalogues).unwrap_or_default())
}

pub fn catalogue(key: &str) -> Result<&'static Catalogue> {
    catalogues().iter().find(|c| c.key == key).ok_or_else(|| {
        let keys: Vec<&str> = catalogues().iter().map(|c| c.key.as_str()).collect();
        CoreError::invalid(format!("không có danh mục mẫu \"{key}\" (có: {})", keys.join(", ")))
    })
}

/// Attaches a built-in catalogue to a plan as a checklist of its own. Ids derive from the
/// plan and the catalogue, so attaching on two PCs at once gives one list, not two; for the
/// same reason a catalogue deleted and attached again is the same records brought back, which
/// is why `deleted` is written as false.
pub fn attach_catalogue(store: &mut Store, plan_id: Uuid, key: &str) -> Result<Checklist> {
    crate::queries::plan(store, plan_id)?;
    let cat = catalogue(key)?;
    let pid = plan_id.to_string();
    let cid = derived_id(&["catalogue", &pid, key]);
    if checklist_exists(store, cid)? {
        return Err(CoreError::invalid(format!("kế hoạch đã có danh mục \"{}\"", cat.title)));
    }
    let mut changes = vec![
        Change::new(Kind::Checklist, cid, field::checklist::PLAN_ID, pid.clone()),
        Change::new(Kind::Checklist, cid, field::checklist::TITLE, cat.title.clone()),
        Change::new(Kind::Checklist, cid, field::checklist::SOURCE, format!("catalogue:{key}")),
        Change::new(Kind::Checklist, cid, DELETED, false),
    ];
    for (i, it) in cat.items.iter().enumerate() {
        let iid = derived_id(&["catalogue", &pid, key, &it.reference]);
        changes.extend(item_changes(
            iid,
            cid,
            Some(&it.reference),
            &it.text,
            it.level.as_deref(),
            it.lead.as_deref(),
            i,
        ));
        changes.push(Change::new(Kind::ChecklistItem, iid, DELETED, false));
    }
    store.commit(changes)?;
    checklist(store, cid)
}

fn item_changes(
    iid: Uuid,
    cid: Uuid,
    reference: Option<&str>,
    text: &str,
    level: Option<&str>,
    lead: Option<&str>,
    i: usize,
) -> Vec<Change> {
    let o = |s: Option<&str>| non_empty(s).map(Value::from).unwrap_or(Value::Null);
    let c = |f: &str, v: Value| Change::new(Kind::ChecklistItem, iid, f, v);
    vec![
        c(field::checklist_item::CHECKLIST_ID, cid.to_string().into()),
        c(field::checklist_item::REF, o(reference)),
        c(field::checklist_item::TEXT, text.into()),
        c(field::checklist_item::LEVEL, o(level)),
        c(field::checklist_item::LEAD, o(lead)),
        c(field::checklist_item::DONE, false.into()),
        c(field::checklist_item::POS, (i as i64 + 1).into()),
    ]
}

fn checklist_exists(store: &Store, id: Uuid) -> Result<bool> {
    Ok(store
        .conn
        .query_row("SELECT 1 FROM checklists WHERE id = ?1", [id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A plan's own checklist, made by hand: a title and its items' texts.
pub fn add_checklist(store: &mut Store, plan_id: Uuid, title: &str, items: &[String]) -> Result<Checklist> {
    crate::queries::plan(store, plan_id)?;
    let title = non_empty(Some(title)).ok_or_else(|| CoreError::invalid("tên danh mục để trống"))?;
    let items: Vec<String> = items.iter().filter_map(|t| non_empty(Some(t))).collect();
    if items.is_empty() {
        return Err(CoreError::invalid("danh mục chưa có mục nào"));
    }
    let cid = Uuid::now_v7();
    let mut changes = vec![
        Change::new(Kind::Checklist, cid, field::checklist::PLAN_ID, plan_id.to_string()),
        Change::new(Kind::Checklist, cid, field::checklist::TITLE, title),
        Change::new(Kind::Checklist, cid, field::checklist::SOURCE, "manual"),
    ];
    for (i, t) in items.iter().enumerate() {
        changes.extend(item_changes(Uuid::now_v7(), cid, Some(&(i + 1).to_string()), t, None, None, i));
    }
    store.commit(changes)?;
    checklist(store, cid)
}

/// Ticks (or, with `done = false`, unticks) an item, with the day it was done (today by
/// default) and optional evidence (a document number, a note).
pub fn tick_item(
    store: &mut Store,
    item_id: Uuid,
    done: bool,
    date: Option<&str>,
    evidence: Option<&str>,
) -> Result<ChecklistItem> {
    if crate::queries::is_deleted(store, item_id)? {
        return Err(CoreError::invalid(format!("mục {item_id} đã bị xóa")));
    }
    item(store, item_id)?;
    let c = |f: &str, v: Value| Change::new(Kind::ChecklistItem, item_id, f, v);
    let mut changes = vec![c(field::checklist_item::DONE, done.into())];
    if done {
        let day = date_or_today("Ngày hoàn thành", date)?;
        changes.push(c(field::checklist_item::DONE_DATE, iso(day).into()));
        if let Some(e) = non_empty(evidence) {
            changes.push(c(field::checklist_item::EVIDENCE, e.into()));
        }
    } else {
        if date.is_some_and(|d| !d.trim().is_empty()) || evidence.is_some_and(|e| !e.trim().is_empty()) {
            return Err(CoreError::invalid("bỏ đánh dấu không kèm ngày hay minh chứng"));
        }
        changes.push(c(field::checklist_item::DONE_DATE, Value::Null));
    }
    store.commit(changes)?;
    item(store, item_id)
}

const ITEM_COLS: &str = "id, checklist_id, ref, text, level, lead, time_text, done, done_date, evidence, pos";

fn item_row(r: &rusqlite::Row) -> rusqlite::Result<ChecklistItem> {
    Ok(ChecklistItem {
        id: parse_uuid(&r.get::<_, String>(0)?).unwrap_or_default(),
        checklist_id: parse_uuid(&r.get::<_, String>(1)?).unwrap_or_default(),
        reference: r.get(2)?,
        text: r.get(3)?,
        level: r.get(4)?,
        lead: r.get(5)?,
        time_text: r.get(6)?,
        done: r.get::<_, i64>(7)? != 0,
        done_date: r.get(8)?,
        evidence: r.get(9)?,
        pos: r.get(10)?,
    })
}

pub fn item(store: &Store, id: Uuid) -> Result<ChecklistItem> {
    store
        .conn
        .query_row(&format!("SELECT {ITEM_COLS} FROM checklist_items WHERE id = ?1"), [id.to_string()], item_row)
        .optional()?
        .ok_or(CoreError::NotFound { what: "mục danh mục", id: id.to_string() })
}

fn items(store: &Store, checklist_id: &str) -> Result<Vec<ChecklistItem>> {
    let mut stmt = store
        .conn
        .prepare_cached(&format!("SELECT {ITEM_COLS} FROM checklist_items WHERE checklist_id = ?1 ORDER BY pos, id"))?;
    let rows = stmt.query_map([checklist_id], item_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn with_items(
    store: &Store,
    id: String,
    plan_id: Option<String>,
    title: String,
    source: Option<String>,
) -> Result<Checklist> {
    let items = items(store, &id)?;
    Ok(Checklist {
        id: parse_uuid(&id).unwrap_or_default(),
        plan_id: plan_id.as_deref().and_then(parse_uuid),
        title,
        source,
        done_count: items.iter().filter(|i| i.done).count() as u32,
        item_count: items.len() as u32,
        items,
    })
}

pub fn checklist(store: &Store, id: Uuid) -> Result<Checklist> {
    let (id, plan, title, source) = store
        .conn
        .query_row("SELECT id, plan_id, title, source FROM checklists WHERE id = ?1", [id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?
        .ok_or(CoreError::NotFound { what: "danh mục", id: id.to_string() })?;
    with_items(store, id, plan, title, source)
}

/// Checklists with their items: of one plan, or all.
pub fn checklists(store: &Store, plan_id: Option<Uuid>) -> Result<Vec<Checklist>> {
    if let Some(p) = plan_id {
        crate::queries::plan(store, p)?;
    }
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, plan_id, title, source FROM checklists WHERE ?1 IS NULL OR plan_id = ?1 ORDER BY plan_id, title, id",
    )?;
    let rows: Vec<(String, Option<String>, String, Option<String>)> = stmt
        .query_map([plan_id.map(|p| p.to_string())], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|(id, p, t, s)| with_items(store, id, p, t, s)).collect()
}
