//! The Vietnamese timeframe parser: "Trong quý I/2023", "Từ tháng 6 năm 2022", "Thường xuyên", …
//! into a structured [`Due`].

use std::sync::LazyLock;

use kehoach_model::{Due, DueKind};
use regex::Regex;

use crate::normalize::nfc;

/// Roman or arabic quarter numeral, lowercased ("i", "ii", "iii", "iv", "1".."4").
const Q: &str = r"(?:iv|iii|ii|i|[1-4])";
/// Year suffix: "/2023", " năm 2023", "-2023".
const YEAR: &str = r"(?:\s*(?:/|-|năm)\s*(\d{4}))?";

static RE_DATE_DMY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\b").unwrap());
static RE_DATE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?").unwrap());
static RE_RANGE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"từ\s+(?:đầu\s+)?tháng\s+(\d{{1,2}}){YEAR}\s*(?:đến|tới|-|–)\s*(?:hết\s+|cuối\s+)?tháng\s+(\d{{1,2}}){YEAR}"
    ))
    .unwrap()
});
static RE_RANGE_QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"từ\s+quý\s+({Q}){YEAR}\s*(?:đến|tới|-|–)\s*(?:hết\s+)?quý\s+({Q}){YEAR}\b")).unwrap()
});
static RE_RANGE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:từ\s+năm|giai\s+đoạn)\s+(\d{4})\s*(?:đến(?:\s+năm)?|-|–)\s*(\d{4})").unwrap());
static RE_FROM_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:từ|bắt\s+đầu)\s+(?:đầu\s+)?tháng\s+(\d{{1,2}}){YEAR}")).unwrap());
static RE_FROM_QUARTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:từ|bắt\s+đầu)\s+quý\s+({Q}){YEAR}\b")).unwrap());
static RE_FROM_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:từ|bắt\s+đầu)\s+(?:đầu\s+)?năm\s+(\d{4})").unwrap());
static RE_HALF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:0?6|sáu)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?|nửa\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?").unwrap()
});
static RE_QUARTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"quý\s+({Q}(?:\s*(?:,|và|-|–)\s*(?:quý\s+)?{Q}\b)*)\b{YEAR}")).unwrap());
static RE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"tháng\s+(\d{{1,2}}(?:\s*(?:,|và|-|–)\s*(?:tháng\s+)?\d{{1,2}}\b)*){YEAR}")).unwrap()
});
static RE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"năm\s+(\d{4})|^\s*(\d{4})\s*$").unwrap());
static RE_NUM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"iv|iii|ii|i|\d+").unwrap());

/// Parses a written timeframe. `default_year` fills a missing year (the plan's own year).
pub fn parse_due(text: &str, default_year: Option<i32>) -> Due {
    let original = nfc(text);
    let low = collapse(&original.to_lowercase());
    if low.is_empty() {
        return Due::default();
    }
    if let Some((kind, end)) = find_deadline(&low, default_year) {
        let rest = &low[end..];
        let recurring_after =
            matches!(
                kind,
                DueKind::Date { .. }
                    | DueKind::Month { .. }
                    | DueKind::Quarter { .. }
                    | DueKind::Half { .. }
                    | DueKind::Year { .. }
            ) && (rest.contains("thường xuyên") || rest.contains("duy trì") || rest.contains("năm tiếp theo"));
        return Due { kind, recurring_after };
    }
    // Ongoing work is checked before events: "Thực hiện thường xuyên sau khi …" is ongoing.
    if is_recurring(&low) {
        return Due::new(DueKind::Recurring);
    }
    if let Some(pos) = event_start(&low) {
        let event = tail_from(&original, &low, pos);
        return Due::new(DueKind::AfterEvent { event });
    }
    if is_on_request(&low) {
        return Due::new(DueKind::OnRequest);
    }
    Due::default()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_recurring(low: &str) -> bool {
    ["thường xuyên", "liên tục", "hàng tháng", "hằng tháng", "hàng năm", "hằng năm", "định kỳ", "hàng quý", "hằng quý"]
        .iter()
        .any(|w| low.contains(w))
}

fn is_on_request(low: &str) -> bool {
    ["yêu cầu", "đề nghị", "khi cần", "khi có chỉ đạo", "theo chỉ đạo", "phát sinh"].iter().any(|w| low.contains(w))
}

fn event_start(low: &str) -> Option<usize> {
    ["ngay sau khi", "sau khi", "theo tiến độ", "theo lộ trình", "khi được", "sau thời điểm"]
        .iter()
        .filter_map(|w| low.find(w))
        .min()
}

/// The original-case text from the char position matching byte `pos` of the lowercased text.
fn tail_from(original: &str, low: &str, pos: usize) -> String {
    let nchars = low[..pos].chars().count();
    let orig = collapse(original);
    let tail: String = orig.chars().skip(nchars).collect();
    let mut chars = tail.chars();
    let tail = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => tail,
    };
    tail.trim().to_string()
}

fn roman(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn last_day(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn iso(year: i32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

fn year_of(c: Option<regex::Match>, default_year: Option<i32>) -> Option<i32> {
    c.and_then(|m| m.as_str().parse().ok()).or(default_year)
}

fn valid_month(m: u32) -> bool {
    (1..=12).contains(&m)
}

/// Blanks a matched span so that later, broader patterns do not read it again.
fn mask(s: &mut String, start: usize, end: usize) {
    s.replace_range(start..end, &" ".repeat(end - start));
}

/// Finds the main date expression: starts and ranges win, then the latest deadline.
/// Returns the kind and the byte offset where the expression ends.
fn find_deadline(low: &str, dy: Option<i32>) -> Option<(DueKind, usize)> {
    let mut s = low.to_string();

    // Ranges.
    if let Some(c) = RE_RANGE_MONTH.captures(&s) {
        let (m1, m2): (u32, u32) = (c[1].parse().ok()?, c[3].parse().ok()?);
        let y2 = year_of(c.get(4), dy);
        let y1 = year_of(c.get(2), y2);
        if let (Some(y1), Some(y2)) = (y1, y2) {
            if valid_month(m1) && valid_month(m2) {
                let to = iso(y2, m2, last_day(y2, m2));
                return Some((DueKind::Range { from: iso(y1, m1, 1), to }, c.get(0)?.end()));
            }
        }
    }
    if let Some(c) = RE_RANGE_QUARTER.captures(&s) {
        let (q1, q2) = (roman(&c[1])?, roman(&c[3])?);
        let y2 = year_of(c.get(4), dy);
        let y1 = year_of(c.get(2), y2);
        if let (Some(y1), Some(y2)) = (y1, y2) {
            let m2 = q2 * 3;
            let to = iso(y2, m2, last_day(y2, m2));
            return Some((DueKind::Range { from: iso(y1, q1 * 3 - 2, 1), to }, c.get(0)?.end()));
        }
    }
    if let Some(c) = RE_RANGE_YEAR.captures(&s) {
        let (y1, y2): (i32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if y2 > y1 {
            return Some((DueKind::Range { from: iso(y1, 1, 1), to: iso(y2, 12, 31) }, c.get(0)?.end()));
        }
    }

    // Starts: "từ ngày 01/6/2023", "Từ tháng 6 năm 2022", "bắt đầu từ quý II".
    let mut starts: Vec<(usize, usize, String)> = Vec::new();
    for c in RE_DATE_WORDS.captures_iter(&s).chain(RE_DATE_DMY.captures_iter(&s)) {
        let m = c.get(0)?;
        if !preceded_by_from(&s, m.start()) {
            continue;
        }
        if let Some(d) = date_from(&c, dy) {
            starts.push((m.start(), m.end(), d));
        }
    }
    for c in RE_FROM_MONTH.captures_iter(&s) {
        let m: u32 = c[1].parse().ok()?;
        if let (true, Some(y)) = (valid_month(m), year_of(c.get(2), dy)) {
            let w = c.get(0)?;
            starts.push((w.start(), w.end(), iso(y, m, 1)));
        }
    }
    for c in RE_FROM_QUARTER.captures_iter(&s) {
        if let (Some(q), Some(y)) = (roman(&c[1]), year_of(c.get(2), dy)) {
            let w = c.get(0)?;
            starts.push((w.start(), w.end(), iso(y, q * 3 - 2, 1)));
        }
    }
    for c in RE_FROM_YEAR.captures_iter(&s) {
        let y: i32 = c[1].parse().ok()?;
        let w = c.get(0)?;
        starts.push((w.start(), w.end(), iso(y, 1, 1)));
    }
    if let Some((_, end, date)) = starts.into_iter().min_by_key(|t| t.0) {
        return Some((DueKind::From { date }, end));
    }

    // Deadlines, most specific first; each found span is masked.
    let mut found: Vec<(String, usize, DueKind)> = Vec::new();
    let push = |kind: DueKind, end: usize, found: &mut Vec<(String, usize, DueKind)>| {
        if let Some(e) = end_of(&kind) {
            found.push((e, end, kind));
        }
    };
    let spans: Vec<_> = RE_DATE_WORDS
        .captures_iter(&s)
        .chain(RE_DATE_DMY.captures_iter(&s))
        .filter_map(|c| {
            let m = c.get(0)?;
            let d = date_from(&c, dy)?;
            Some((m.start(), m.end(), d))
        })
        .collect();
    for (a, b, d) in spans {
        if s[a..b].trim().is_empty() {
            continue;
        }
        mask(&mut s, a, b);
        push(DueKind::Date { date: d }, b, &mut found);
    }
    let spans: Vec<_> = RE_HALF
        .captures_iter(&s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let which = c.get(1).or(c.get(3)).map(|x| x.as_str()).unwrap_or("đầu");
            let half = if which == "cuối" { 2 } else { 1 };
            let y = year_of(c.get(2).or(c.get(4)), dy)?;
            Some((m.start(), m.end(), DueKind::Half { year: y, half }))
        })
        .collect();
    for (a, b, k) in spans {
        mask(&mut s, a, b);
        push(k, b, &mut found);
    }
    let spans: Vec<_> = RE_QUARTER
        .captures_iter(&s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let q = RE_NUM.find_iter(&c[1]).filter_map(|n| roman(n.as_str())).max()?;
            let y = year_of(c.get(2), dy)?;
            Some((m.start(), m.end(), DueKind::Quarter { year: y, quarter: q }))
        })
        .collect();
    for (a, b, k) in spans {
        mask(&mut s, a, b);
        push(k, b, &mut found);
    }
    let spans: Vec<_> = RE_MONTH
        .captures_iter(&s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let month = RE_NUM
                .find_iter(&c[1])
                .filter_map(|n| n.as_str().parse::<u32>().ok())
                .filter(|&n| valid_month(n))
                .max()?;
            let y = year_of(c.get(2), dy)?;
            Some((m.start(), m.end(), DueKind::Month { year: y, month }))
        })
        .collect();
    for (a, b, k) in spans {
        mask(&mut s, a, b);
        push(k, b, &mut found);
    }
    let spans: Vec<_> = RE_YEAR
        .captures_iter(&s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let y: i32 = c.get(1).or(c.get(2))?.as_str().parse().ok()?;
            Some((m.start(), m.end(), DueKind::Year { year: y }))
        })
        .collect();
    for (a, b, k) in spans {
        mask(&mut s, a, b);
        push(k, b, &mut found);
    }
    found.into_iter().max_by(|a, b| a.0.cmp(&b.0)).map(|(_, end, k)| (k, end))
}

fn preceded_by_from(s: &str, start: usize) -> bool {
    let before = s[..start].trim_end();
    let before = before.strip_suffix("ngày").unwrap_or(before).trim_end();
    before.ends_with("từ") || before.ends_with("bắt đầu") || before.ends_with("kể từ")
}

fn date_from(c: &regex::Captures, dy: Option<i32>) -> Option<String> {
    let d: u32 = c[1].parse().ok()?;
    let m: u32 = c[2].parse().ok()?;
    let y = year_of(c.get(3), dy)?;
    if !valid_month(m) || d == 0 || d > last_day(y, m) {
        return None;
    }
    Some(iso(y, m, d))
}

/// The last day a deadline allows, for picking the latest of several.
fn end_of(k: &DueKind) -> Option<String> {
    Some(match k {
        DueKind::Date { date } => date.clone(),
        DueKind::Month { year, month } => iso(*year, *month, last_day(*year, *month)),
        DueKind::Quarter { year, quarter } => {
            let m = quarter * 3;
            iso(*year, m, last_day(*year, m))
        }
        DueKind::Half { year, half } => {
            if *half == 1 {
                iso(*year, 6, 30)
            } else {
                iso(*year, 12, 31)
            }
        }
        DueKind::Year { year } => iso(*year, 12, 31),
        _ => return None,
    })
}
