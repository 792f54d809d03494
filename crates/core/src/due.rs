//! The due-date engine: every kind of `due` becomes a concrete last day (or none, for work
//! that is ongoing, on request or waits for an event).

use chrono::{Datelike, NaiveDate};
use kehoach_model::{Due, DueKind};

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

fn iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The deadline of a task: the last day its timeframe allows.
pub fn deadline(due: &Due) -> Option<NaiveDate> {
    match &due.kind {
        DueKind::Date { date } => iso(date),
        DueKind::Month { year, month } if (1..=12).contains(month) => last_day_of_month(*year, *month),
        DueKind::Quarter { year, quarter } if (1..=4).contains(quarter) => last_day_of_month(*year, quarter * 3),
        DueKind::Half { year, half } if (1..=2).contains(half) => last_day_of_month(*year, half * 6),
        DueKind::Year { year } => NaiveDate::from_ymd_opt(*year, 12, 31),
        DueKind::Range { to, .. } => iso(to),
        _ => None,
    }
}

/// Whether a task with this deadline and status is late on `as_of`.
pub fn is_overdue(deadline: Option<NaiveDate>, done: bool, as_of: NaiveDate) -> bool {
    !done && deadline.is_some_and(|d| d < as_of)
}

/// First and last day of the month containing `d`.
pub fn month_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).unwrap_or(d);
    (first, last_day_of_month(d.year(), d.month()).unwrap_or(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        iso(s).unwrap()
    }

    #[test]
    fn deadlines_are_the_last_day_of_the_period() {
        let q = Due::new(DueKind::Quarter { year: 2023, quarter: 1 });
        assert_eq!(deadline(&q), Some(d("2023-03-31")));
        let m = Due::new(DueKind::Month { year: 2024, month: 2 });
        assert_eq!(deadline(&m), Some(d("2024-02-29")));
        let h = Due::new(DueKind::Half { year: 2022, half: 1 });
        assert_eq!(deadline(&h), Some(d("2022-06-30")));
        let y = Due::new(DueKind::Year { year: 2022 });
        assert_eq!(deadline(&y), Some(d("2022-12-31")));
        let r = Due::new(DueKind::Range { from: "2022-03-01".into(), to: "2022-06-30".into() });
        assert_eq!(deadline(&r), Some(d("2022-06-30")));
        assert_eq!(deadline(&Due::new(DueKind::Recurring)), None);
        assert_eq!(deadline(&Due::new(DueKind::Month { year: 2024, month: 13 })), None);
    }

    #[test]
    fn overdue_only_when_not_done_and_past() {
        let dl = Some(d("2023-03-31"));
        assert!(is_overdue(dl, false, d("2023-04-01")));
        assert!(!is_overdue(dl, false, d("2023-03-31")));
        assert!(!is_overdue(dl, true, d("2023-04-01")));
        assert!(!is_overdue(None, false, d("2023-04-01")));
    }
}
