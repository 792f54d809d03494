//! Day-to-day tracking commands: dashboard, search, task detail with notes and evidence,
//! checklists and targets. Each maps onto `kehoach_core::tracking`.

use kehoach_core::tracking::{checklists, dashboard, evidence, notes, search, targets};
use kehoach_model::{
    Checklist, ChecklistItem, Dashboard, Evidence, IndicatorKind, NewEvidence, NewNote, Note, SearchHit, Target,
    TaskDetail, TypedFigure,
};
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::{with, with_change, App, Res};

#[tauri::command]
pub fn dashboard(app: State<App>, as_of: Option<String>) -> Res<Dashboard> {
    with(&app, |s| dashboard::dashboard(s, as_of.as_deref()))
}

#[tauri::command]
pub fn search(app: State<App>, query: String) -> Res<Vec<SearchHit>> {
    with(&app, |s| search::search(s, &query, 50))
}

#[tauri::command]
pub fn task_detail(app: State<App>, id: Uuid) -> Res<TaskDetail> {
    with(&app, |s| dashboard::task_detail(s, id, None))
}

#[tauri::command]
pub fn add_note(app: State<App>, handle: AppHandle, note: NewNote) -> Res<Note> {
    with_change(&app, &handle, |s| notes::add_note(s, &note))
}

#[tauri::command]
pub fn add_evidence(app: State<App>, handle: AppHandle, evidence: NewEvidence) -> Res<Evidence> {
    with_change(&app, &handle, |s| evidence::add_evidence(s, &evidence))
}

#[tauri::command]
pub fn delete_note(app: State<App>, handle: AppHandle, id: Uuid) -> Res<()> {
    with_change(&app, &handle, |s| kehoach_core::delete_note(s, id))
}

#[tauri::command]
pub fn delete_evidence(app: State<App>, handle: AppHandle, id: Uuid) -> Res<()> {
    with_change(&app, &handle, |s| kehoach_core::delete_evidence(s, id))
}

#[tauri::command]
pub fn delete_checklist(app: State<App>, handle: AppHandle, id: Uuid) -> Res<()> {
    with_change(&app, &handle, |s| kehoach_core::delete_checklist(s, id))
}

#[tauri::command]
pub fn delete_target(app: State<App>, handle: AppHandle, id: Uuid) -> Res<()> {
    with_change(&app, &handle, |s| kehoach_core::delete_target(s, id))
}

#[tauri::command]
pub fn checklists(app: State<App>, plan_id: Option<Uuid>) -> Res<Vec<Checklist>> {
    with(&app, |s| checklists::checklists(s, plan_id))
}

#[tauri::command]
pub fn attach_catalogue(app: State<App>, handle: AppHandle, plan_id: Uuid, key: String) -> Res<Checklist> {
    with_change(&app, &handle, |s| checklists::attach_catalogue(s, plan_id, &key))
}

#[tauri::command]
pub fn tick_item(
    app: State<App>,
    handle: AppHandle,
    id: Uuid,
    done: bool,
    date: Option<String>,
    evidence: Option<String>,
) -> Res<ChecklistItem> {
    with_change(&app, &handle, |s| checklists::tick_item(s, id, done, date.as_deref(), evidence.as_deref()))
}

#[tauri::command]
pub fn targets(app: State<App>, plan_id: Option<Uuid>) -> Res<Vec<Target>> {
    with(&app, |s| targets::targets(s, plan_id))
}

/// A target added by hand, of a kind (none: read from the unit, as for an imported one); its
/// goal is typed as written ("1.500", "87,5"), and may be left blank for a yes/no (the goal is
/// "yes").
#[tauri::command]
pub fn add_target(
    app: State<App>,
    handle: AppHandle,
    plan_id: Uuid,
    text: String,
    value: String,
    unit: String,
    kind: Option<IndicatorKind>,
) -> Res<Target> {
    with_change(&app, &handle, |s| {
        let value = match (value.trim(), kind) {
            ("", Some(IndicatorKind::YesNo)) => 1.0,
            ("", _) => return Err(kehoach_core::CoreError::invalid("chưa nhập giá trị chỉ tiêu")),
            (v, _) => targets::parse_number(v)?,
        };
        targets::add_target(s, &kehoach_model::NewTarget { plan_id, text, value, unit, period: None, kind })
    })
}

/// A month's figure as the officer typed it, by the target's kind: a number, a numerator and
/// a denominator ("1.234", "1.500"), or yes/no; the core reads and checks it.
#[tauri::command]
pub fn record_target_value(
    app: State<App>,
    handle: AppHandle,
    id: Uuid,
    period: String,
    figure: TypedFigure,
) -> Res<Target> {
    with_change(&app, &handle, |s| {
        let TypedFigure { value, numerator, denominator, yes } = figure;
        let figure = targets::typed_figure(value.as_deref(), numerator.as_deref(), denominator.as_deref(), yes)?;
        targets::record_target_figure(s, id, &period, figure)
    })
}

/// A target's goal set or corrected, typed as written ("1.500", "87,5").
#[tauri::command]
pub fn set_target_goal(app: State<App>, handle: AppHandle, id: Uuid, value: String) -> Res<Target> {
    with_change(&app, &handle, |s| {
        let goal = targets::parse_number(&value)?;
        targets::set_target_goal(s, id, goal)
    })
}

/// The standard Đề án 06 indicators attached to a plan; the ones it lacked come back.
#[tauri::command]
pub fn attach_indicators(app: State<App>, handle: AppHandle, plan_id: Uuid) -> Res<Vec<Target>> {
    with_change(&app, &handle, |s| targets::catalogue::attach_indicators(s, plan_id, targets::catalogue::INDICATORS))
}

#[tauri::command]
pub fn unit_directory(app: State<App>) -> Res<Vec<kehoach_model::UnitEntry>> {
    with(&app, |s| kehoach_core::tracking::units::unit_directory(s))
}

#[tauri::command]
pub fn add_unit_alias(app: State<App>, handle: AppHandle, unit: String, alias: String) -> Res<kehoach_model::Unit> {
    with_change(&app, &handle, |s| kehoach_core::tracking::units::add_unit_alias(s, &unit, &alias))
}

/// Two entries that are one unit ("CA xã" and "Công an xã"): tasks of `from` move to `into`.
#[tauri::command]
pub fn merge_units(app: State<App>, handle: AppHandle, from: String, into: String) -> Res<kehoach_model::Unit> {
    with_change(&app, &handle, |s| kehoach_core::tracking::units::merge_units(s, &from, &into))
}
