//! Dates as officers type them and as the data keeps them (`YYYY-MM-DD`): checked once here
//! for the actions that write them and the queries and tracking that read "as of" a day.

use chrono::NaiveDate;

use crate::error::{CoreError, Result};

/// Today on this PC's clock, in its local time zone (a commune office's day).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date the officer typed (`YYYY-MM-DD`), or a message naming `label` and what is wrong.
pub fn check_iso_date(label: &str, s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        // A date of the right shape that does not exist (31 February) is named the way the
        // officer typed it in the app, day first; anything else gets the expected form.
        let parts: Vec<&str> = s.split('-').collect();
        let why = match parts.as_slice() {
            [y, m, d]
                if y.len() == 4 && [y, m, d].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                format!("{d}/{m}/{y} — không có ngày này")
            }
            _ => format!("{s:?} (cần dạng YYYY-MM-DD, ví dụ 2023-04-07)"),
        };
        CoreError::invalid(format!("{label} không hợp lệ: {why}"))
    })
}

/// A date typed by a user (or today when absent), checked.
pub(crate) fn date_or_today(label: &str, d: Option<&str>) -> Result<NaiveDate> {
    match d.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => check_iso_date(label, d),
        None => Ok(today()),
    }
}

/// The day a query looks from: the one asked for, checked, or today.
pub(crate) fn as_of_date(as_of: Option<&str>) -> Result<NaiveDate> {
    date_or_today("Ngày xét", as_of)
}

/// A date as the data keeps it.
pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
