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
    if whole == 0 {
        0
    } else {
        (part * 100 + whole / 2) / whole
    }
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
