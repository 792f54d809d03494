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
// Shared with the actions and the queries, which do not depend on tracking.
pub(crate) use crate::dates::{as_of_date, date_or_today, iso};
pub(crate) use crate::queries::live_task;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::fold::clean;

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

pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(clean).filter(|s| !s.is_empty())
}

pub(crate) fn parse_uuid(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s).ok()
}
