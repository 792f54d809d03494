//! Report periods: "2023-03", "2023-Q1", "2023-H1", "2023" and their calendar bounds.

use chrono::Datelike;
use chrono::NaiveDate;
use kehoach_model::{PeriodCutoff, ReportPeriod};

use crate::error::{CoreError, Result};

const HELP: &str =
    "dùng YYYY-MM (tháng), YYYY-Qn (quý), YYYY-Hn (6 tháng) hoặc YYYY (năm), ví dụ 2023-03, 2023-Q1, 2023-H1, 2023";

/// Reads a period as the CLI and the UI write it: "2023-03", "2023-Q1", "2023-H2", "2023".
pub fn parse_period(s: &str) -> Result<ReportPeriod> {
    let t = s.trim();
    let bad = |why: &str| CoreError::invalid(format!("kỳ báo cáo không hợp lệ: {t:?} ({why}; {HELP})"));
    let year_of = |y: &str| -> Result<i32> {
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("năm phải có 4 chữ số"));
        }
        let y: i32 = y.parse().map_err(|_| bad("năm không đọc được"))?;
        if !(2000..=2100).contains(&y) {
            return Err(bad("năm phải trong khoảng 2000–2100"));
        }
        Ok(y)
    };
    if t.is_empty() {
        return Err(bad("chưa nhập kỳ"));
    }
    let Some((y, rest)) = t.split_once('-') else {
        return Ok(ReportPeriod::year(year_of(t)?));
    };
    let year = year_of(y)?;
    let rest = rest.to_ascii_uppercase();
    let num = |digits: &str, max: u32, what: &str| -> Result<u32> {
        match digits.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) && !digits.is_empty() && digits.len() <= 2 => Ok(n),
            _ => Err(bad(&format!("{what} phải từ 1 đến {max}"))),
        }
    };
    if let Some(q) = rest.strip_prefix('Q') {
        return Ok(ReportPeriod::quarter(year, num(q, 4, "quý")?));
    }
    if let Some(h) = rest.strip_prefix('H') {
        return Ok(ReportPeriod::half(year, num(h, 2, "nửa năm")?));
    }
    if rest.len() != 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("tháng phải có 2 chữ số"));
    }
    Ok(ReportPeriod::month(year, num(&rest, 12, "tháng")?))
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).expect("valid month")
}

/// First and last day of the period.
pub fn period_bounds(p: &ReportPeriod) -> (NaiveDate, NaiveDate) {
    let (first, last) = p.months();
    (NaiveDate::from_ymd_opt(p.year, first.clamp(1, 12), 1).expect("valid month"), last_day(p.year, last.clamp(1, 12)))
}

/// The day a report on `p` is due when the plan says "before day `day` of each month": that
/// day of the month after the period (the March report before 12 April). A day the month
/// lacks (31 in April) becomes its last day.
pub fn period_due(p: &ReportPeriod, day: u32) -> NaiveDate {
    let (_, end) = period_bounds(p);
    let next = end.succ_opt().expect("date in range");
    let last = last_day(chrono::Datelike::year(&next), chrono::Datelike::month(&next));
    next.with_day_clamped(day, last)
}

/// First and last day of the period under a plan's cut-off: the calendar, or Decree
/// 09/2019/NĐ-CP's 15th of the month before the first month to the 14th of the last month
/// (March: 15 February – 14 March; quarter I: 15 December – 14 March).
pub fn period_bounds_in(p: &ReportPeriod, cutoff: PeriodCutoff) -> (NaiveDate, NaiveDate) {
    let (start, end) = period_bounds(p);
    match cutoff {
        PeriodCutoff::Calendar => (start, end),
        PeriodCutoff::Decree09 => {
            let before = start.pred_opt().expect("date in range");
            let from = before.with_day(15).expect("every month has a 15th");
            (from, end.with_day(14).expect("every month has a 14th"))
        }
    }
}

/// The day a report on `p` is due under a plan's cut-off: the first day numbered `day` after
/// the period ends (a day the month lacks becomes its last day). For calendar months that is
/// `day` of the next month, as [`period_due`]; under Decree 09 a day after the 14th falls in
/// the reported month itself (the March report "before the 20th" is due 20 March).
pub fn period_due_in(p: &ReportPeriod, day: u32, cutoff: PeriodCutoff) -> NaiveDate {
    let (_, end) = period_bounds_in(p, cutoff);
    let next = end.succ_opt().expect("date in range");
    let in_month = |d: NaiveDate| d.with_day_clamped(day, last_day(d.year(), d.month()));
    let first = in_month(next);
    if first >= next {
        return first;
    }
    let following = last_day(next.year(), next.month()).succ_opt().expect("date in range");
    in_month(following)
}

trait ClampDay {
    fn with_day_clamped(self, day: u32, last: NaiveDate) -> NaiveDate;
}

impl ClampDay for NaiveDate {
    fn with_day_clamped(self, day: u32, last: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let d = day.clamp(1, last.day());
        self.with_day(d).unwrap_or(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print() {
        for (s, code, label) in [
            ("2023-03", "2023-03", "tháng 3 năm 2023"),
            ("2023-q1", "2023-Q1", "quý I năm 2023"),
            ("2023-Q4", "2023-Q4", "quý IV năm 2023"),
            ("2023-H1", "2023-H1", "6 tháng đầu năm 2023"),
            (" 2024 ", "2024", "năm 2024"),
        ] {
            let p = parse_period(s).unwrap();
            assert_eq!(p.code(), code);
            assert_eq!(p.label_vi(), label);
        }
        for bad in
            ["", "23-03", "2023-13", "2023-00", "2023-3", "2023-Q5", "2023-Q", "2023-H3", "abcd", "2023/03", "1999"]
        {
            let e = parse_period(bad).unwrap_err().to_string();
            assert!(e.contains("kỳ báo cáo không hợp lệ") && e.contains("YYYY-Qn"), "{bad}: {e}");
        }
    }

    #[test]
    fn bounds_and_due_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(period_bounds(&parse_period("2024-02").unwrap()), (d("2024-02-01"), d("2024-02-29")));
        assert_eq!(period_bounds(&parse_period("2023-Q2").unwrap()), (d("2023-04-01"), d("2023-06-30")));
        assert_eq!(period_bounds(&parse_period("2023-H2").unwrap()), (d("2023-07-01"), d("2023-12-31")));
        assert_eq!(period_bounds(&parse_period("2023").unwrap()), (d("2023-01-01"), d("2023-12-31")));
        assert_eq!(period_due(&parse_period("2023-03").unwrap(), 12), d("2023-04-12"));
        assert_eq!(period_due(&parse_period("2023-03").unwrap(), 31), d("2023-04-30"));
        assert_eq!(period_due(&parse_period("2023-12").unwrap(), 15), d("2024-01-15"));
        assert_eq!(period_due(&parse_period("2023-Q1").unwrap(), 15), d("2023-04-15"));
    }

    #[test]
    fn decree_09_cut_off() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let nd = PeriodCutoff::Decree09;
        let b = |p: &str| period_bounds_in(&parse_period(p).unwrap(), nd);
        assert_eq!(b("2023-03"), (d("2023-02-15"), d("2023-03-14")));
        assert_eq!(b("2023-01"), (d("2022-12-15"), d("2023-01-14")));
        assert_eq!(b("2023-Q1"), (d("2022-12-15"), d("2023-03-14")));
        assert_eq!(b("2023"), (d("2022-12-15"), d("2023-12-14")));
        let due = |p: &str, day| period_due_in(&parse_period(p).unwrap(), day, nd);
        assert_eq!(due("2023-03", 20), d("2023-03-20"));
        assert_eq!(due("2023-03", 15), d("2023-03-15"));
        assert_eq!(due("2023-03", 12), d("2023-04-12"));
        assert_eq!(due("2023-12", 5), d("2024-01-05"));
        // The calendar cut-off gives what period_due always gave.
        for (p, day) in [("2023-03", 12), ("2023-02", 31), ("2023-12", 15), ("2023-Q1", 15), ("2024-02", 30)] {
            let per = parse_period(p).unwrap();
            assert_eq!(period_due_in(&per, day, PeriodCutoff::Calendar), period_due(&per, day), "{p} {day}");
        }
    }
}
