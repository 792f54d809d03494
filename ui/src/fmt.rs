//! Dates as officers write them: 07/04/2023, "ngày 07 tháng 4 năm 2023".

/// "2023-04-07" → "07/04/2023"; anything else is shown as it is.
pub fn date_vn(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

pub fn opt_date_vn(iso: &Option<String>) -> String {
    iso.as_deref().map(date_vn).unwrap_or_else(|| "—".into())
}

pub fn percent(part: u32, whole: u32) -> u32 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// "07/04/2023" (or "7/4/2023") → "2023-04-07"; anything else is kept as typed so the
/// renderer can name it as an invalid date.
pub fn iso_from_vn(s: &str) -> String {
    let p: Vec<&str> = s.trim().split('/').collect();
    match p.as_slice() {
        [d, m, y] if y.len() == 4 => match (d.parse::<u32>(), m.parse::<u32>()) {
            (Ok(d), Ok(m)) => format!("{y}-{m:02}-{d:02}"),
            _ => s.trim().to_string(),
        },
        _ => s.trim().to_string(),
    }
}

/// An instant as stored (RFC 3339, UTC: "2026-11-24T12:40:05Z") in the PC's own time zone:
/// "19:40 ngày 24/11/2026". Anything else is shown as it is.
pub fn local_time(ts: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(ts));
    if d.get_time().is_nan() {
        return ts.to_string();
    }
    format!(
        "{:02}:{:02} ngày {:02}/{:02}/{}",
        d.get_hours(),
        d.get_minutes(),
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year()
    )
}

/// Today as YYYY-MM-DD in the PC's time zone (for file names).
pub fn today_iso() -> String {
    let d = js_sys::Date::new_0();
    format!("{}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// A period code as a report names it: "2023-04" → "tháng 4 năm 2023", "2023-Q2" → "quý II năm
/// 2023", "2023-H1" → "6 tháng đầu năm 2023", "2023" → "năm 2023"; anything else as it is.
pub fn period_vi(code: &str) -> String {
    let roman = ["I", "II", "III", "IV"];
    match code.split_once('-') {
        None if code.len() == 4 => format!("năm {code}"),
        Some((y, rest)) => match rest.as_bytes() {
            [b'Q' | b'q', n] if (b'1'..=b'4').contains(n) => format!("quý {} năm {y}", roman[(n - b'1') as usize]),
            [b'H' | b'h', b'1'] => format!("6 tháng đầu năm {y}"),
            [b'H' | b'h', b'2'] => format!("6 tháng cuối năm {y}"),
            _ => match rest.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => format!("tháng {m} năm {y}"),
                _ => code.to_string(),
            },
        },
        None => code.to_string(),
    }
}

/// A parsed timeframe in words: "quý 2/2023", "từ 01/10/2023", "thường xuyên".
pub fn describe_due(d: &kehoach_model::Due) -> String {
    use kehoach_model::DueKind::*;
    let base = match &d.kind {
        Date { date } => format!("trước ngày {}", date_vn(date)),
        Month { year, month } => format!("tháng {month}/{year}"),
        Quarter { year, quarter } => format!("quý {quarter}/{year}"),
        Half { year, half } => format!("6 tháng {} năm {year}", if *half == 1 { "đầu" } else { "cuối" }),
        Year { year } => format!("năm {year}"),
        From { date } => format!("từ {}", date_vn(date)),
        Range { from, to } => format!("từ {} đến {}", date_vn(from), date_vn(to)),
        Recurring => "thường xuyên".into(),
        OnRequest => "theo yêu cầu".into(),
        AfterEvent { event } => format!("sau khi: {event}"),
        None => "chưa rõ thời hạn".into(),
    };
    if d.recurring_after {
        format!("{base}, sau đó duy trì thường xuyên")
    } else {
        base
    }
}

/// Each level's date of a time written per level: "cấp huyện: từ 01/07/2023; cấp xã: từ
/// 01/10/2023".
pub fn describe_levels(levels: &[kehoach_model::LevelDue]) -> String {
    levels.iter().map(|l| format!("cấp {}: {}", l.level, describe_due(&l.due))).collect::<Vec<_>>().join("; ")
}
