//! The due-date engine's queries. `due::deadline` turns every `due` kind into its last day
//! (stored as `tasks.deadline` by the projection); here: overdue and due-soon lists, the
//! check-ins of recurring tasks, and the next report day of the plans' reporting rules.

use chrono::{Datelike, Duration, NaiveDate};
use kehoach_model::{CheckIn, Due, DueKind, ReportDeadline, ReportingRule, Task};
use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::{as_of_date, iso, parse_uuid};
use crate::due::{deadline, month_bounds};
use crate::error::Result;
use crate::queries::{task_row, unit_names, TASK_COLS};
use crate::store::Store;

/// Statuses that close a task: it can no longer be late.
pub(crate) const OPEN: &str = "t.status NOT IN ('done', 'cannot_do')";

/// Open tasks whose deadline lies in `[from, to]`, soonest first.
fn open_tasks_between(
    store: &Store,
    from: Option<NaiveDate>,
    to: NaiveDate,
    as_of: NaiveDate,
    limit: Option<u32>,
) -> Result<Vec<Task>> {
    let mut args = vec![SqlValue::Text(iso(to))];
    let mut sql = format!("SELECT {TASK_COLS} FROM tasks t WHERE t.deadline <= ?1 AND {OPEN}");
    if let Some(f) = from {
        args.push(SqlValue::Text(iso(f)));
        sql += " AND t.deadline >= ?2";
    }
    sql += " ORDER BY t.deadline, t.plan_id, t.pos";
    if let Some(l) = limit {
        sql += &format!(" LIMIT {l}");
    }
    let names = unit_names(store)?;
    let mut stmt = store.conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| task_row(r, &names, as_of))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tasks overdue on `as_of` (deadline passed, not done nor impossible), oldest deadline first.
pub fn overdue_tasks(store: &Store, as_of: Option<&str>, limit: Option<u32>) -> Result<Vec<Task>> {
    let day = as_of_date(as_of)?;
    let yesterday = day.pred_opt().unwrap_or(day);
    open_tasks_between(store, None, yesterday, day, limit)
}

/// Open tasks whose deadline falls in the month of `as_of` (late ones of that month included).
pub fn due_this_month(store: &Store, as_of: Option<&str>, limit: Option<u32>) -> Result<Vec<Task>> {
    let day = as_of_date(as_of)?;
    let (first, last) = month_bounds(day);
    open_tasks_between(store, Some(first), last, day, limit)
}

/// Open tasks due from `as_of` to `as_of + days` inclusive.
pub fn due_within(store: &Store, as_of: Option<&str>, days: u32) -> Result<Vec<Task>> {
    let day = as_of_date(as_of)?;
    open_tasks_between(store, Some(day), day + Duration::days(days as i64), day, None)
}

/// Work that goes on and is reported every period: "Thường xuyên", "Từ tháng 6 năm 2022", and
/// "… và duy trì thường xuyên" once its deadline has passed.
pub fn is_recurring(due: &Due) -> bool {
    due.recurring_after || matches!(due.kind, DueKind::Recurring | DueKind::From { .. })
}

fn last_of_month(y: i32, m: u32) -> NaiveDate {
    month_bounds(NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()).1
}

/// The `day` of the month of `(y, m)`, kept inside the month (the 31st of February = the 28th/29th).
pub fn day_in_month(y: i32, m: u32, day: u32) -> NaiveDate {
    let last = last_of_month(y, m);
    NaiveDate::from_ymd_opt(y, m, day.clamp(1, last.day())).unwrap_or(last)
}

/// The first report day on or after `as_of` for a rule "trước ngày D hàng tháng".
pub fn next_report_day(as_of: NaiveDate, day_of_month: u32) -> NaiveDate {
    let this = day_in_month(as_of.year(), as_of.month(), day_of_month);
    if this >= as_of {
        return this;
    }
    let (y, m) = if as_of.month() == 12 { (as_of.year() + 1, 1) } else { (as_of.year(), as_of.month() + 1) };
    day_in_month(y, m, day_of_month)
}

/// The soonest report any plan asks for, on or after `as_of`.
pub fn next_report_deadline(store: &Store, as_of: Option<&str>) -> Result<Option<ReportDeadline>> {
    let day = as_of_date(as_of)?;
    let mut stmt = store.conn.prepare_cached("SELECT id, title, reporting FROM plans WHERE reporting <> '[]'")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut best: Option<ReportDeadline> = None;
    for row in rows {
        let (id, title, reporting) = row?;
        let rules: Vec<ReportingRule> = serde_json::from_str(&reporting).unwrap_or_default();
        for rule in rules {
            let Some(dom) = rule.day_of_month.filter(|d| (1..=31).contains(d)) else { continue };
            let date = next_report_day(day, dom);
            if best.as_ref().is_none_or(|b| iso(date) < b.date) {
                best = Some(ReportDeadline {
                    plan_id: parse_uuid(&id).unwrap_or_default(),
                    plan_title: title.clone(),
                    date: iso(date),
                    day_of_month: dom,
                    to: rule.to.clone(),
                    text: rule.text.clone(),
                    days_left: (date - day).num_days(),
                });
            }
        }
    }
    Ok(best)
}

/// The check-ins of a recurring task up to the month of `as_of`: one per month (the reporting
/// period of monthly reports), due on the plan's report day (or the month's last day), done
/// when a progress note is dated inside the month. At most the last 24 months.
pub fn checkins(store: &Store, task: &Task, as_of: Option<&str>) -> Result<Vec<CheckIn>> {
    let day = as_of_date(as_of)?;
    if !is_recurring(&task.due) {
        return Ok(Vec::new());
    }
    let (plan_date, reporting): (Option<String>, String) = store
        .conn
        .query_row("SELECT date, reporting FROM plans WHERE id = ?1", [task.plan_id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap_or((None, "[]".into()));
    let report_day = serde_json::from_str::<Vec<ReportingRule>>(&reporting)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.day_of_month)
        .find(|d| (1..=31).contains(d));
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    // Where the reporting starts: the "from" date, the day after a "… và duy trì" deadline,
    // else the plan's date.
    let start = match &task.due.kind {
        DueKind::From { date } => parse(date),
        _ if task.due.recurring_after => deadline(&task.due).and_then(|d| d.succ_opt()),
        _ => None,
    }
    .or_else(|| plan_date.as_deref().and_then(parse))
    .unwrap_or(day);
    let floor = day - Duration::days(730);
    let start = start.max(floor);
    if start > day {
        return Ok(Vec::new());
    }
    let mut stmt = store
        .conn
        .prepare_cached("SELECT DISTINCT substr(date, 1, 7) FROM notes WHERE task_id = ?1 AND date IS NOT NULL")?;
    let months: Vec<String> =
        stmt.query_map([task.id.to_string()], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    let (mut y, mut m) = (start.year(), start.month());
    while (y, m) <= (day.year(), day.month()) {
        let period = format!("{y:04}-{m:02}");
        let due = match report_day {
            Some(d) => day_in_month(y, m, d),
            None => last_of_month(y, m),
        };
        out.push(CheckIn { done: months.contains(&period), period, due: iso(due) });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    Ok(out)
}
