//! Dated progress notes on tasks, and status changes that carry a note.

use kehoach_model::{NewNote, Note, Task, TaskStatus};
use serde_json::Value;
use uuid::Uuid;

use super::{date_or_today, iso, live_task, non_empty};
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
pub use crate::queries::last_notes;
use crate::queries::note_row;
use crate::record as field;
use crate::store::Store;

/// Checks a note and turns it into the changes that create it.
fn note_changes(store: &Store, n: &NewNote, id: Uuid) -> Result<Vec<Change>> {
    live_task(store, n.task_id)?;
    let text = non_empty(Some(&n.text)).ok_or_else(|| CoreError::invalid("nội dung ghi chú tiến độ để trống"))?;
    let date = date_or_today("Ngày ghi chú", n.date.as_deref())?;
    let c = |f: &str, v: Value| Change::new(Kind::Note, id, f, v);
    Ok(vec![
        c(field::note::TASK_ID, n.task_id.to_string().into()),
        c(field::note::DATE, iso(date).into()),
        c(field::note::AUTHOR, non_empty(n.author.as_deref()).map(Value::from).unwrap_or(Value::Null)),
        c(field::note::TEXT, text.into()),
    ])
}

pub fn add_note(store: &mut Store, n: &NewNote) -> Result<Note> {
    let id = Uuid::now_v7();
    let changes = note_changes(store, n, id)?;
    store.commit(changes)?;
    note(store, id)
}

pub fn note(store: &Store, id: Uuid) -> Result<Note> {
    store
        .conn
        .query_row("SELECT id, task_id, date, author, text FROM notes WHERE id = ?1", [id.to_string()], note_row)
        .map_err(|_| CoreError::NotFound { what: "ghi chú", id: id.to_string() })
}

/// A task's notes, newest first.
pub fn notes(store: &Store, task_id: Uuid) -> Result<Vec<Note>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, task_id, date, author, text FROM notes WHERE task_id = ?1 ORDER BY date DESC, id DESC",
    )?;
    let rows = stmt.query_map([task_id.to_string()], note_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets a task's status (a reason is required for "không thực hiện được"), and, when given,
/// adds a progress note — both in one commit, so the note never lands without the status.
/// "Quá hạn" is not a status: it is derived from the deadline on the day asked.
pub fn set_task_status_with_note(
    store: &mut Store,
    id: Uuid,
    status: TaskStatus,
    reason: Option<&str>,
    note: Option<&NewNote>,
) -> Result<Task> {
    live_task(store, id)?;
    let reason = non_empty(reason);
    if status == TaskStatus::CannotDo && reason.is_none() {
        return Err(CoreError::invalid("cần ghi lý do khi nhiệm vụ không thực hiện được"));
    }
    let mut changes = vec![
        Change::new(Kind::Task, id, field::task::STATUS, status.as_str()),
        Change::new(Kind::Task, id, field::task::STATUS_REASON, reason.map(Value::from).unwrap_or(Value::Null)),
    ];
    if let Some(n) = note {
        if n.task_id != id {
            return Err(CoreError::invalid("ghi chú thuộc nhiệm vụ khác"));
        }
        changes.extend(note_changes(store, n, Uuid::now_v7())?);
    }
    store.commit(changes)?;
    crate::queries::task(store, id)
}
