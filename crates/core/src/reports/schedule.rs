//! The reporting schedule: which reports each plan's regime asks for, which are late and
//! which come next.
//!
//! A plan's regime is read from its reporting rules (imported from "báo cáo định kỳ hàng
//! tháng … trước ngày 12 hàng tháng"): monthly when the rule gives a day of the month or says
//! "hàng tháng"/"hằng tháng"; quarterly ("quý"), six-monthly ("6 tháng", "sơ kết") and annual
//! ("hàng năm", "tổng kết") from the rule's words. A report on a period is due on the rule's
//! day (15 when it gives none) of the month after the period: the March report before
//! 12 April. Periods run from the plan's date to the end of its last deadline's year.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kehoach_model::{PeriodKind, ReportPeriod, ReportStatus, ScheduleEntry, ScheduleState};
use uuid::Uuid;

use super::lifecycle::DEFAULT_DUE_DAY;
use super::period::{period_bounds_in, period_due_in};
use crate::error::Result;
use crate::fold::fold;
use crate::queries;
use crate::store::Store;

pub(crate) struct Regime {
    pub kind: PeriodKind,
    pub day: u32,
    pub to: Option<String>,
}

/// For each kind of period, the rule that gives the commune's due day: plans chain their
/// rules (units report to the police before the 18th, the police to the People's Committee
/// before the 20th, which reports up before the 22nd), and the commune's deadline is the rule in
/// which the commune itself reports — the first rule when none names it. "Báo cáo … theo quy
/// định" names no period: "quy" (rule) is not "quý" (quarter).
pub(crate) fn regimes(rules: &[kehoach_model::ReportingRule]) -> Vec<Regime> {
    // How surely a rule's reporter is the commune: 2 its People's Committee ("UBND xã",
    // "Chủ tịch UBND xã", "UBND các xã, thị trấn"), 1 a commune body ("Công an xã"), 0 other.
    fn commune_rank(who: Option<&str>) -> u8 {
        let Some(who) = who else { return 0 };
        let w = who.to_lowercase().replace("uỷ", "ủy");
        let words: Vec<&str> = w.split(|c: char| !c.is_alphanumeric()).filter(|x| !x.is_empty()).collect();
        // "xã hội" is society, not a commune.
        let commune = words.iter().enumerate().any(|(i, x)| *x == "xã" && words.get(i + 1) != Some(&"hội"))
            || words.contains(&"phường")
            || w.contains("thị trấn");
        let committee = w.contains("ubnd") || w.contains("ủy ban nhân dân");
        match (commune, committee) {
            (true, true) => 2,
            (true, false) => 1,
            _ => 0,
        }
    }
    let mut out: Vec<(Regime, u8)> = Vec::new();
    let mut add = |kind, day: Option<u32>, r: &kehoach_model::ReportingRule| {
        let regime = Regime { kind, day: day.unwrap_or(DEFAULT_DUE_DAY).clamp(1, 31), to: r.to.clone() };
        let rank = commune_rank(r.who.as_deref());
        match out.iter_mut().find(|(g, _)| g.kind == kind) {
            Some(slot) if rank > slot.1 => *slot = (regime, rank),
            Some(_) => {}
            None => out.push((regime, rank)),
        }
    };
    for r in rules {
        let t = fold(&r.text);
        let low = r.text.to_lowercase();
        if r.day_of_month.is_some() || t.contains("hang thang") {
            add(PeriodKind::Month, r.day_of_month, r);
        }
        if t.contains("hang quy") || low.contains("quý ") && t.contains("bao cao") {
            add(PeriodKind::Quarter, r.day_of_month, r);
        }
        if t.contains("6 thang") || t.contains("sau thang") || t.contains("so ket") {
            add(PeriodKind::Half, r.day_of_month, r);
        }
        if t.contains("hang nam") || t.contains("tong ket") {
            add(PeriodKind::Year, r.day_of_month, r);
        }
    }
    out.into_iter().map(|(r, _)| r).collect()
}

fn first_period(kind: PeriodKind, d: NaiveDate) -> ReportPeriod {
    let (y, m) = (d.year(), d.month());
    match kind {
        PeriodKind::Month => ReportPeriod::month(y, m),
        PeriodKind::Quarter => ReportPeriod::quarter(y, m.div_ceil(3)),
        PeriodKind::Half => ReportPeriod::half(y, if m <= 6 { 1 } else { 2 }),
        PeriodKind::Year => ReportPeriod::year(y),
    }
}

/// Late and upcoming reports of every plan on `as_of` (ISO; today when absent): every period
/// past its due day without an issued report, then the next one due of each plan and kind.
/// Sorted by due day.
pub fn report_schedule(store: &Store, as_of: Option<&str>) -> Result<Vec<ScheduleEntry>> {
    let as_of = match as_of {
        Some(d) => crate::dates::check_iso_date("Ngày xét", d)?,
        None => queries::today(),
    };
    // Reports by (plan, period): (id, status), an issued (or accepted) one before the others.
    let mut existing: HashMap<(Uuid, String), (Uuid, ReportStatus)> = HashMap::new();
    for r in super::list_reports(store, None)? {
        let done = |s: ReportStatus| matches!(s, ReportStatus::Issued | ReportStatus::Accepted);
        let e = existing.entry((r.plan_id, r.period.code())).or_insert((r.id, r.status));
        if done(r.status) && !done(e.1) {
            *e = (r.id, r.status);
        }
    }
    let mut out = Vec::new();
    for plan in queries::list_plans(store)? {
        let regimes = regimes(&plan.reporting);
        if regimes.is_empty() {
            continue;
        }
        let (start, end) = plan_span(store, &plan)?;
        for reg in regimes {
            let mut p = first_period(reg.kind, start);
            loop {
                let (p_start, _) = period_bounds_in(&p, plan.period_cutoff);
                if p_start > end {
                    break;
                }
                let due = period_due_in(&p, reg.day, plan.period_cutoff);
                let found = existing.get(&(plan.id, p.code())).copied();
                let status = found.map(|(_, s)| s).unwrap_or_default();
                let issued = matches!(status, ReportStatus::Issued | ReportStatus::Accepted);
                let state = if issued {
                    ScheduleState::Done
                } else if status == ReportStatus::Returned {
                    ScheduleState::Returned
                } else if due < as_of {
                    ScheduleState::Late
                } else {
                    ScheduleState::Upcoming
                };
                if state != ScheduleState::Done {
                    out.push(ScheduleEntry {
                        plan_id: plan.id,
                        plan_title: plan.title.clone(),
                        period: p,
                        period_code: p.code(),
                        period_label: p.label_vi(),
                        due: due.format("%Y-%m-%d").to_string(),
                        to: reg.to.clone(),
                        state,
                        days_left: (due - as_of).num_days(),
                        report_id: found.map(|(id, _)| id),
                    });
                }
                if due >= as_of && !issued {
                    break; // the next one due: later periods are not asked for yet
                }
                p = p.next();
            }
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.plan_title.cmp(&b.plan_title)).then(a.period.cmp(&b.period)));
    Ok(out)
}

/// From the plan's date (or its creation) to the end of the year of its last deadline (at
/// least the end of the plan's own year).
fn plan_span(store: &Store, plan: &kehoach_model::Plan) -> Result<(NaiveDate, NaiveDate)> {
    let created: Option<String> = store.conn.query_row(
        "SELECT coalesce(date, substr(created_at, 1, 10)) FROM plans WHERE id = ?1",
        [plan.id.to_string()],
        |r| r.get(0),
    )?;
    let start =
        created.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or_else(queries::today);
    let last: Option<String> =
        store
            .conn
            .query_row("SELECT max(deadline) FROM tasks WHERE plan_id = ?1", [plan.id.to_string()], |r| r.get(0))?;
    let last = last.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or(start);
    let year = last.year().max(start.year());
    Ok((start, NaiveDate::from_ymd_opt(year, 12, 31).expect("valid date")))
}
