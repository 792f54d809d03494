//! The dashboard (Tổng quan): progress per utility group, overdue tasks, tasks due this month,
//! the next report day, targets with their latest figure; and the task screen's detail.

use chrono::NaiveDate;
use kehoach_model::{Dashboard, GroupProgress, TaskDetail, TaskStatus};
use uuid::Uuid;

use super::groups::{empty_progress, group, task_group, Classifier};
use super::schedule::{checkins, due_this_month, next_report_deadline, overdue_tasks};
use super::{as_of_date, iso};
use crate::error::Result;
use crate::store::Store;

/// How many tasks the dashboard lists under "overdue" and "due this month" (the counts in
/// `overview` are complete).
pub const DASHBOARD_LIST_LIMIT: u32 = 50;

/// Progress per group (the five utility groups, then cross-cutting), on `as_of`.
pub fn group_progress(store: &Store, as_of: Option<&str>) -> Result<Vec<GroupProgress>> {
    let day = iso(as_of_date(as_of)?);
    let mut out = empty_progress();
    let mut stmt = store.conn.prepare_cached(r#"SELECT section, text, "group", status, deadline FROM tasks"#)?;
    let mut rows = stmt.query([])?;
    let mut classifier = Classifier::default();
    while let Some(r) = rows.next()? {
        let section: Option<String> = r.get(0)?;
        let text: String = r.get(1)?;
        let over: Option<String> = r.get(2)?;
        let status = TaskStatus::parse(&r.get::<_, String>(3)?).unwrap_or_default();
        let deadline: Option<String> = r.get(4)?;
        let key = classifier.task_group(over.as_deref(), section.as_deref(), &text);
        let Some(g) = out.iter_mut().find(|g| g.key == key) else { continue };
        g.total += 1;
        match status {
            TaskStatus::Done => g.done += 1,
            TaskStatus::InProgress => g.in_progress += 1,
            TaskStatus::NotStarted => g.not_started += 1,
            TaskStatus::CannotDo => g.cannot_do += 1,
        }
        let open = matches!(status, TaskStatus::NotStarted | TaskStatus::InProgress);
        let late = open && deadline.is_some_and(|d| d < day);
        match (status, late) {
            (_, true) => g.overdue += 1,
            (TaskStatus::InProgress, false) => g.in_progress_on_time += 1,
            (TaskStatus::NotStarted, false) => g.not_yet_due += 1,
            _ => {}
        }
    }
    for g in &mut out {
        let doable = g.total - g.cannot_do;
        g.percent = if doable == 0 { 0.0 } else { (g.done as f64 / doable as f64 * 1000.0).round() / 10.0 };
    }
    Ok(out)
}

/// Everything the dashboard shows, judged on `as_of` (today when absent).
pub fn dashboard(store: &Store, as_of: Option<&str>) -> Result<Dashboard> {
    let day: NaiveDate = as_of_date(as_of)?;
    let d = iso(day);
    let targets = super::targets::targets(store, None)?;
    Ok(Dashboard {
        overview: crate::queries::overview(store, Some(&d))?,
        groups: group_progress(store, Some(&d))?,
        overdue: overdue_tasks(store, Some(&d), Some(DASHBOARD_LIST_LIMIT))?,
        due_this_month: due_this_month(store, Some(&d), Some(DASHBOARD_LIST_LIMIT))?,
        next_report: next_report_deadline(store, Some(&d))?,
        targets,
        as_of: d,
    })
}

/// A task with its group, notes, evidence and (for recurring work) check-ins.
pub fn task_detail(store: &Store, id: Uuid, as_of: Option<&str>) -> Result<TaskDetail> {
    let day = iso(as_of_date(as_of)?);
    let mut task = super::live_task(store, id)?;
    // `queries::task` judges "overdue" on today; the detail is judged on the day asked.
    let dl = task.deadline.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    task.overdue = crate::due::is_overdue(
        dl,
        matches!(task.status, TaskStatus::Done | TaskStatus::CannotDo),
        as_of_date(Some(&day))?,
    );
    let over: Option<String> =
        store.conn.query_row(r#"SELECT "group" FROM tasks WHERE id = ?1"#, [id.to_string()], |r| r.get(0))?;
    let over = over.filter(|k| group(k).is_some());
    Ok(TaskDetail {
        group: task_group(over.as_deref(), task.section.as_deref(), &task.text).to_string(),
        group_override: over.is_some(),
        notes: super::notes::notes(store, id)?,
        evidence: super::evidence::task_evidence(store, id)?,
        checkins: checkins(store, &task, Some(&day))?,
        history: super::history::task_history(store, id)?,
        task,
    })
}
