//! Day-to-day tracking: dashboard, search, a task's notes and evidence, checklists, targets and
//! the unit directory.

use uuid::Uuid;

use super::commands;

commands! {
    Dashboard = "dashboard" { as_of: Option<String> } -> crate::Dashboard;
    Search = "search" { query: String } -> Vec<crate::SearchHit>;
    TaskDetail = "task_detail" { id: Uuid } -> crate::TaskDetail;
    AddNote = "add_note" { note: crate::NewNote } -> crate::Note;
    AddEvidence = "add_evidence" { evidence: crate::NewEvidence } -> crate::Evidence;
    DeleteNote = "delete_note" { id: Uuid } -> ();
    DeleteEvidence = "delete_evidence" { id: Uuid } -> ();
    DeleteChecklist = "delete_checklist" { id: Uuid } -> ();
    DeleteTarget = "delete_target" { id: Uuid } -> ();
    Checklists = "checklists" { plan_id: Option<Uuid> } -> Vec<crate::Checklist>;
    AttachCatalogue = "attach_catalogue" { plan_id: Uuid, key: String } -> crate::Checklist;
    TickItem = "tick_item" { id: Uuid, done: bool, date: Option<String>, evidence: Option<String> } -> crate::ChecklistItem;
    Targets = "targets" { plan_id: Option<Uuid> } -> Vec<crate::Target>;
    /// A target added by hand; the goal typed as written ("1.500", "87,5"), blank for a yes/no.
    AddTarget = "add_target" {
        plan_id: Uuid,
        text: String,
        value: String,
        unit: String,
        kind: Option<crate::IndicatorKind>,
    } -> crate::Target;
    /// A month's figure as the officer typed it, by the target's kind.
    RecordTargetValue = "record_target_value" { id: Uuid, period: String, figure: crate::TypedFigure } -> crate::Target;
    /// The standard Đề án 06 indicators attached to a plan; the ones it lacked come back.
    AttachIndicators = "attach_indicators" { plan_id: Uuid } -> Vec<crate::Target>;
    /// A target's goal set or corrected, typed as written.
    SetTargetGoal = "set_target_goal" { id: Uuid, value: String } -> crate::Target;
    UnitDirectory = "unit_directory" {} -> Vec<crate::UnitEntry>;
    AddUnitAlias = "add_unit_alias" { unit: String, alias: String } -> crate::Unit;
    /// Two entries that are one unit: tasks of `from` move to `into`.
    MergeUnits = "merge_units" { from: String, into: String } -> crate::Unit;
}
