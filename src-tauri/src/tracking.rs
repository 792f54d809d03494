//! Day-to-day tracking commands: dashboard, search, task detail with notes and evidence,
//! checklists and targets. Each maps onto `kehoach_core::tracking`.

use kehoach_core::tracking::{checklists, dashboard, evidence, notes, search, targets};
use kehoach_model::contract as cmd;
use kehoach_model::{IndicatorKind, TypedFigure};
use tauri::{AppHandle, State};

use crate::{with, with_change, Ans, App};

#[tauri::command]
pub fn dashboard(app: State<App>, req: cmd::Dashboard) -> Ans<cmd::Dashboard> {
    with(&app, |s| dashboard::dashboard(s, req.as_of.as_deref()))
}

#[tauri::command]
pub fn search(app: State<App>, req: cmd::Search) -> Ans<cmd::Search> {
    with(&app, |s| search::search(s, &req.query, 50))
}

#[tauri::command]
pub fn task_detail(app: State<App>, req: cmd::TaskDetail) -> Ans<cmd::TaskDetail> {
    with(&app, |s| dashboard::task_detail(s, req.id, None))
}

#[tauri::command]
pub fn add_note(app: State<App>, handle: AppHandle, req: cmd::AddNote) -> Ans<cmd::AddNote> {
    with_change(&app, &handle, |s| notes::add_note(s, &req.note))
}

#[tauri::command]
pub fn add_evidence(app: State<App>, handle: AppHandle, req: cmd::AddEvidence) -> Ans<cmd::AddEvidence> {
    with_change(&app, &handle, |s| evidence::add_evidence(s, &req.evidence))
}

#[tauri::command]
pub fn delete_note(app: State<App>, handle: AppHandle, req: cmd::DeleteNote) -> Ans<cmd::DeleteNote> {
    with_change(&app, &handle, |s| kehoach_core::delete_note(s, req.id))
}

#[tauri::command]
pub fn delete_evidence(app: State<App>, handle: AppHandle, req: cmd::DeleteEvidence) -> Ans<cmd::DeleteEvidence> {
    with_change(&app, &handle, |s| kehoach_core::delete_evidence(s, req.id))
}

#[tauri::command]
pub fn delete_checklist(app: State<App>, handle: AppHandle, req: cmd::DeleteChecklist) -> Ans<cmd::DeleteChecklist> {
    with_change(&app, &handle, |s| kehoach_core::delete_checklist(s, req.id))
}

#[tauri::command]
pub fn delete_target(app: State<App>, handle: AppHandle, req: cmd::DeleteTarget) -> Ans<cmd::DeleteTarget> {
    with_change(&app, &handle, |s| kehoach_core::delete_target(s, req.id))
}

#[tauri::command]
pub fn checklists(app: State<App>, req: cmd::Checklists) -> Ans<cmd::Checklists> {
    with(&app, |s| checklists::checklists(s, req.plan_id))
}

#[tauri::command]
pub fn attach_catalogue(app: State<App>, handle: AppHandle, req: cmd::AttachCatalogue) -> Ans<cmd::AttachCatalogue> {
    with_change(&app, &handle, |s| checklists::attach_catalogue(s, req.plan_id, &req.key))
}

#[tauri::command]
pub fn tick_item(app: State<App>, handle: AppHandle, req: cmd::TickItem) -> Ans<cmd::TickItem> {
    let cmd::TickItem { id, done, date, evidence } = req;
    with_change(&app, &handle, |s| checklists::tick_item(s, id, done, date.as_deref(), evidence.as_deref()))
}

#[tauri::command]
pub fn targets(app: State<App>, req: cmd::Targets) -> Ans<cmd::Targets> {
    with(&app, |s| targets::targets(s, req.plan_id))
}

/// A target added by hand, of a kind (none: read from the unit, as for an imported one); its
/// goal is typed as written ("1.500", "87,5"), and may be left blank for a yes/no (the goal is
/// "yes").
#[tauri::command]
pub fn add_target(app: State<App>, handle: AppHandle, req: cmd::AddTarget) -> Ans<cmd::AddTarget> {
    let cmd::AddTarget { plan_id, text, value, unit, kind } = req;
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
    req: cmd::RecordTargetValue,
) -> Ans<cmd::RecordTargetValue> {
    let cmd::RecordTargetValue { id, period, figure } = req;
    with_change(&app, &handle, |s| {
        let TypedFigure { value, numerator, denominator, yes } = figure;
        let figure = targets::typed_figure(value.as_deref(), numerator.as_deref(), denominator.as_deref(), yes)?;
        targets::record_target_figure(s, id, &period, figure)
    })
}

/// A target's goal set or corrected, typed as written ("1.500", "87,5").
#[tauri::command]
pub fn set_target_goal(app: State<App>, handle: AppHandle, req: cmd::SetTargetGoal) -> Ans<cmd::SetTargetGoal> {
    with_change(&app, &handle, |s| {
        let goal = targets::parse_number(&req.value)?;
        targets::set_target_goal(s, req.id, goal)
    })
}

/// The standard Đề án 06 indicators attached to a plan; the ones it lacked come back.
#[tauri::command]
pub fn attach_indicators(app: State<App>, handle: AppHandle, req: cmd::AttachIndicators) -> Ans<cmd::AttachIndicators> {
    with_change(&app, &handle, |s| {
        targets::catalogue::attach_indicators(s, req.plan_id, targets::catalogue::INDICATORS)
    })
}

#[tauri::command]
pub fn unit_directory(app: State<App>, req: cmd::UnitDirectory) -> Ans<cmd::UnitDirectory> {
    let cmd::UnitDirectory {} = req;
    with(&app, |s| kehoach_core::tracking::units::unit_directory(s))
}

#[tauri::command]
pub fn add_unit_alias(app: State<App>, handle: AppHandle, req: cmd::AddUnitAlias) -> Ans<cmd::AddUnitAlias> {
    with_change(&app, &handle, |s| kehoach_core::tracking::units::add_unit_alias(s, &req.unit, &req.alias))
}

/// Two entries that are one unit ("CA xã" and "Công an xã"): tasks of `from` move to `into`.
#[tauri::command]
pub fn merge_units(app: State<App>, handle: AppHandle, req: cmd::MergeUnits) -> Ans<cmd::MergeUnits> {
    with_change(&app, &handle, |s| kehoach_core::tracking::units::merge_units(s, &req.from, &req.into))
}
