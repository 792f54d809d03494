//! Plans and their tasks, and reading a plan document.

use uuid::Uuid;

use super::commands;
use crate::TaskStatus;

commands! {
    ListPlans = "list_plans" {} -> Vec<crate::Plan>;
    CreatePlan = "create_plan" { plan: crate::NewPlan } -> crate::Plan;
    PlanDetail = "plan_detail" { id: Uuid } -> crate::PlanDetail;
    /// A task added by hand; its timeframe text is read as the unit's level reads it.
    AddTask = "add_task" { task: crate::NewTask } -> crate::Task;
    /// Corrects a task; a new timeframe is read as when adding one.
    EditTask = "edit_task" { id: Uuid, edit: crate::TaskEdit } -> crate::Task;
    DeleteTask = "delete_task" { id: Uuid } -> ();
    EditPlan = "edit_plan" { id: Uuid, edit: crate::PlanEdit } -> crate::Plan;
    DeletePlan = "delete_plan" { id: Uuid } -> ();
    SetTaskStatus = "set_task_status" { id: Uuid, status: TaskStatus, reason: Option<String> } -> crate::Task;
    /// The plan screen's ticked rows: one status for all of them, in one commit.
    SetTasksStatus = "set_tasks_status" { ids: Vec<Uuid>, status: TaskStatus, reason: Option<String> } -> Vec<crate::Task>;
    ListTasks = "list_tasks" { filter: crate::TaskFilter } -> Vec<crate::Task>;
    Overview = "overview" { as_of: Option<String> } -> crate::Overview;
    /// The native open dialog for a plan document; `None` when the officer cancels.
    PickPlanFile = "pick_plan_file" {} -> Option<String>;
    /// Reads a plan document for the review screen; stores nothing.
    ReadPlanFile = "read_plan_file" { path: String } -> crate::ImportedPlan;
    /// Stores a reviewed plan in one commit.
    SaveImportedPlan = "save_imported_plan" { plan: crate::ImportedPlan } -> crate::Plan;
    /// Re-reads a timeframe corrected on the review screen, as this unit reads it.
    ParseDue = "parse_due" { text: String, year: Option<i32> } -> crate::TimeReading;
}
