//! A task's history, read from the op log: every change of what an officer sees of it (its
//! text, status and reason, timeframe, units, output, group), when and on which PC. The log
//! keeps every edit of every PC, so the chairman can see who marked a task done and when —
//! and the value that lost a concurrent edit is there too, marked as not standing.

use std::collections::HashMap;

use kehoach_model::{HistoryEntry, TaskStatus};
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::hlc::Hlc;
use crate::queries::unit_names;
use crate::store::Store;

/// The task fields shown, with their Vietnamese names. The others (plan, section, position,
/// the parsed due date behind the timeframe text) are bookkeeping.
const SHOWN: [(&str, &str); 11] = [
    ("text", "Nội dung"),
    ("status", "Trạng thái"),
    ("status_reason", "Lý do"),
    ("time_text", "Thời hạn"),
    ("lead", "Chủ trì"),
    ("coord", "Phối hợp"),
    ("monitor", "Theo dõi, đôn đốc"),
    ("product", "Sản phẩm"),
    ("budget", "Kinh phí"),
    ("group", "Nhóm tiện ích"),
    ("deleted", "Xóa"),
];

const NONE: &str = "—";

/// The task's changes, oldest first.
pub fn task_history(store: &Store, id: Uuid) -> Result<Vec<HistoryEntry>> {
    let units = unit_names(store)?;
    let users = crate::pc_users::pc_users(store)?;
    let mut stmt = store.conn.prepare_cached(
        "SELECT o.field, o.value, o.hlc, o.device, f.seq = o.seq
         FROM ops o LEFT JOIN fields f ON f.entity = o.entity AND f.field = o.field
         WHERE o.entity = ?1 ORDER BY o.hlc, o.seq",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<bool>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    // What each field showed last: a write that shows the same again (a status change clears
    // the reason each time, even when there was none) is no change to the officer.
    // The entry standing for it is the last one listed.
    let mut last: HashMap<String, (String, Option<usize>)> = HashMap::new();
    for row in rows {
        let (field, value, hlc, device, current) = row?;
        let Some((_, label)) = SHOWN.iter().find(|(f, _)| *f == field) else { continue };
        let value: Value = serde_json::from_str(&value).unwrap_or(Value::Null);
        let text = shown(&field, &value, &units);
        let current = current.unwrap_or(false);
        let (before, listed) = last.get(&field).cloned().unwrap_or((NONE.to_string(), None));
        if before == text {
            if let (true, Some(i)) = (current, listed) {
                let e: &mut HistoryEntry = &mut out[i];
                e.current = true;
            }
            continue;
        }
        last.insert(field.clone(), (text.clone(), Some(out.len())));
        let ms = Hlc::from_i64(hlc).millis() as i64;
        let device_id = Uuid::parse_str(&device).unwrap_or_default();
        out.push(HistoryEntry {
            at: chrono::DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339()).unwrap_or_default(),
            by: users.get(&device_id).map(|u| u.label()),
            device: device_id,
            this_pc: device_id == store.device_id(),
            field: field.clone(),
            label: label.to_string(),
            value: text,
            current,
        });
    }
    Ok(out)
}

/// A field's value as the officer reads it.
fn shown(field: &str, v: &Value, units: &HashMap<String, String>) -> String {
    match (field, v) {
        (_, Value::Null) => NONE.into(),
        ("status", Value::String(s)) => TaskStatus::parse(s).map_or_else(|| s.clone(), |st| st.label_vi().to_string()),
        ("group", Value::String(k)) => super::groups::group(k).map_or_else(|| k.clone(), |g| g.label.to_string()),
        ("deleted", Value::Bool(true)) => "đã xóa".into(),
        ("deleted", Value::Bool(false)) => "khôi phục".into(),
        (_, Value::Array(ids)) if ids.is_empty() => NONE.into(),
        (_, Value::Array(ids)) => ids
            .iter()
            .map(|i| {
                let id = i.as_str().unwrap_or_default();
                units.get(id).cloned().unwrap_or_else(|| id.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, Value::String(s)) if s.is_empty() => NONE.into(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}
