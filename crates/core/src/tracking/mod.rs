//! Task tracking (issue 4): the due-date engine's queries, progress notes, evidence,
//! checklists, targets, the unit directory, utility groups, the dashboard and search.
//!
//! Every write goes through `Store::commit` (one commit per user action); every function
//! checks its input first, so bad input gets a Vietnamese message and changes nothing.

pub mod checklists;
pub mod dashboard;
pub mod evidence;
pub mod groups;
pub mod history;
pub mod notes;
pub mod schedule;
pub mod search;
pub mod targets;
pub mod units;

pub(crate) use evidence::store_file;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::fold::clean;
use crate::queries::today;
use crate::store::Store;

/// A stable id derived from names, so that two PCs doing the same thing (attaching the same
/// catalogue to the same plan, recording a target's figure for the same month) write the same
/// records and their ops merge instead of duplicating.
pub(crate) fn derived_id(parts: &[&str]) -> Uuid {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

/// A date typed by a user (or today when absent), checked.
pub(crate) fn date_or_today(label: &str, d: Option<&str>) -> Result<NaiveDate> {
    match d.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => crate::actions::check_iso_date(label, d),
        None => Ok(today()),
    }
}

pub(crate) fn as_of_date(as_of: Option<&str>) -> Result<NaiveDate> {
    date_or_today("Ngày xét", as_of)
}

pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(clean).filter(|s| !s.is_empty())
}

/// Whether a record of this kind was deleted (its tombstone is the winning `deleted` value).
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
pub(crate) fn live_task(store: &Store, id: Uuid) -> Result<kehoach_model::Task> {
    if is_deleted(store, id)? {
        return Err(CoreError::invalid(format!("nhiệm vụ {id} đã bị xóa, không thể cập nhật")));
    }
    crate::queries::task(store, id)
}

pub(crate) fn parse_uuid(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s).ok()
}
