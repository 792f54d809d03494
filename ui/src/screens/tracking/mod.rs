//! Panels of the plan screen for day-to-day tracking: a task's notes and evidence, the plan's
//! checklists and targets, and the commune's unit directory (on "Cài đặt"). One file per panel;
//! deleting with a confirmation bar is shared in `delete`.

mod checklists;
mod delete;
mod target_row;
mod targets;
mod task;
mod units;

use uuid::Uuid;
use yew::prelude::*;

pub use checklists::ChecklistPanel;
pub use targets::TargetPanel;
pub use task::TaskPanel;
pub use units::UnitDirectory;

#[derive(Properties, PartialEq)]
/// A panel of one plan.
pub struct ChecklistProps {
    pub plan_id: Uuid,
}
