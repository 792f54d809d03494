//! Deleting what an officer entered by mistake: a plan, a task, a progress note, a piece of
//! evidence, a checklist, a target. A deletion is a tombstone op per record (`deleted = true`), so it syncs like any
//! edit; what hangs under a record goes with it in the same commit — a task's notes and
//! evidence, a plan's sections, tasks, checklists and targets — so nothing is left behind to
//! turn up in search or in a report.
//!
//! Files of deleted evidence stay in the attachments directory: they are named by content and
//! another record, here or on another PC, may refer to the same file.

use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::queries::live_task;
use crate::store::Store;
use crate::tracking::{checklists, evidence, notes, targets};

/// The ids of the records of `table` whose `column` is `parent`.
fn children(store: &Store, table: &str, column: &str, parent: Uuid) -> Result<Vec<Uuid>> {
    let mut stmt = store.conn.prepare_cached(&format!("SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id"))?;
    let ids = stmt.query_map([parent.to_string()], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in ids {
        let id = id?;
        out.push(Uuid::parse_str(&id).map_err(|e| CoreError::BadOp(format!("{table}: {id}: {e}")))?);
    }
    Ok(out)
}

pub(crate) fn task_tombstones(store: &Store, id: Uuid, out: &mut Vec<Change>) -> Result<()> {
    out.push(Change::delete(Kind::Task, id));
    for n in children(store, "notes", "task_id", id)? {
        out.push(Change::delete(Kind::Note, n));
    }
    for e in children(store, "evidence", "task_id", id)? {
        out.push(Change::delete(Kind::Evidence, e));
    }
    Ok(())
}

/// Deletes a task with its notes and evidence.
pub fn delete_task(store: &mut Store, id: Uuid) -> Result<()> {
    live_task(store, id)?;
    let mut changes = Vec::new();
    task_tombstones(store, id, &mut changes)?;
    store.commit(changes)?;
    Ok(())
}

/// Deletes a plan with everything under it. A plan that has reports is kept: a report is
/// an official document (a signed one cannot be deleted at all), and it names its plan.
pub fn delete_plan(store: &mut Store, id: Uuid) -> Result<()> {
    let plan = crate::queries::plan(store, id)?;
    let reports = children(store, "reports", "plan_id", id)?.len();
    if reports > 0 {
        return Err(CoreError::invalid(format!(
            "kế hoạch “{}” đã có {reports} báo cáo nên không xóa được; xóa các báo cáo chưa ký trước",
            plan.title
        )));
    }
    let mut changes = vec![Change::delete(Kind::Plan, id)];
    for s in children(store, "sections", "plan_id", id)? {
        changes.push(Change::delete(Kind::Section, s));
    }
    for t in children(store, "tasks", "plan_id", id)? {
        task_tombstones(store, t, &mut changes)?;
    }
    for c in children(store, "checklists", "plan_id", id)? {
        checklist_tombstones(store, c, &mut changes)?;
    }
    for t in children(store, "targets", "plan_id", id)? {
        target_tombstones(store, t, &mut changes)?;
    }
    store.commit(changes)?;
    Ok(())
}

fn checklist_tombstones(store: &Store, id: Uuid, out: &mut Vec<Change>) -> Result<()> {
    out.push(Change::delete(Kind::Checklist, id));
    for item in children(store, "checklist_items", "checklist_id", id)? {
        out.push(Change::delete(Kind::ChecklistItem, item));
        for e in children(store, "evidence", "checklist_item_id", item)? {
            out.push(Change::delete(Kind::Evidence, e));
        }
    }
    Ok(())
}

fn target_tombstones(store: &Store, id: Uuid, out: &mut Vec<Change>) -> Result<()> {
    out.push(Change::delete(Kind::Target, id));
    for v in children(store, "target_values", "target_id", id)? {
        out.push(Change::delete(Kind::TargetValue, v));
    }
    Ok(())
}

/// Deletes a checklist (an attached catalogue, an imported appendix) with its items.
pub fn delete_checklist(store: &mut Store, id: Uuid) -> Result<()> {
    checklists::checklist(store, id)?;
    let mut changes = Vec::new();
    checklist_tombstones(store, id, &mut changes)?;
    store.commit(changes)?;
    Ok(())
}

/// Deletes a target with the figures recorded for it.
pub fn delete_target(store: &mut Store, id: Uuid) -> Result<()> {
    targets::target(store, id)?;
    let mut changes = Vec::new();
    target_tombstones(store, id, &mut changes)?;
    store.commit(changes)?;
    Ok(())
}

/// Deletes one progress note.
pub fn delete_note(store: &mut Store, id: Uuid) -> Result<()> {
    notes::note(store, id)?;
    store.commit(vec![Change::delete(Kind::Note, id)])?;
    Ok(())
}

/// Deletes one piece of evidence (its file stays: see the module's note).
pub fn delete_evidence(store: &mut Store, id: Uuid) -> Result<()> {
    evidence::evidence_by_id(store, id)?;
    store.commit(vec![Change::delete(Kind::Evidence, id)])?;
    Ok(())
}
