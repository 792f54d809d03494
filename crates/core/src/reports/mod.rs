//! Periodic reports (issue 5): periods, the reporting schedule of each plan, and report
//! drafts composed from the database, edited by the officer and saved through
//! [`Store::commit`](crate::Store::commit) as `report` records.
//!
//! A report's `parts` field holds `{"version": n, "content": ReportContent}`; every save
//! writes it again with `n + 1`. The versions are read back from the op log of that field
//! ([`report_versions`]), which every PC keeps whole and in the same order, so no separate
//! table (or kind of record) has to be kept in step with it.

mod draft;
mod lifecycle;
mod period;
mod reminders;
mod schedule;

pub use draft::{compose_report, delete_report, draft_report, list_reports, report, report_versions, save_report};
pub use lifecycle::{
    issue_by_hand, issue_changes, months_of, period_report_state, report_due, review_report, HandIssue, REVIEW_FIELD,
};
pub use period::{parse_period, period_bounds, period_bounds_in, period_due, period_due_in};
pub use reminders::{due_reminders, mark_reminded, Reminder};
pub use schedule::report_schedule;
