//! The reporting regime: every rule of the plan's chain ("các đơn vị báo cáo về Công an huyện
//! trước ngày 18; Công an huyện báo cáo UBND huyện trước ngày 20 hằng tháng") → day of month,
//! who reports, to whom.

use std::sync::LazyLock;

use kehoach_model::ReportingRule;
use regex::Regex;

use crate::markers::{split_marker, Marker};
use crate::normalize::Line;

/// A day of the month a report is due: "ngày 12 hàng tháng", "trước ngày 18", "chậm nhất
/// ngày 13". A date ("ngày 20/3", "ngày 20 tháng 3") is not one: the caller checks what follows.
static RE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:trước|chậm nhất(?:\s+là)?|vào|đến|trong)\s+)?ngày\s+(\d{1,2})(?:\s+(?:hàng|hằng)\s+tháng)?")
        .unwrap()
});
static RE_MONTHLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:hàng|hằng|mỗi)\s+tháng|định kỳ|hàng kỳ|hằng kỳ").unwrap());
static RE_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:báo cáo|gửi)[^;]*?\s(?:về|đến|lên|cho)\s+(\p{Lu}.+?)(?:\s+(?:trước|chậm nhất|để|theo|trong|vào|định kỳ|và)\b|[;.,]|$)")
        .unwrap()
});
/// "Công an huyện báo cáo UBND huyện trước ngày 20": the recipient named right after the verb.
static RE_TO_DIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:báo cáo|tham mưu)\s+(?:đồng chí\s+)?(\p{Lu}[^,;()]*?(?:\([^)]*\))?)(?:\s+(?:trước|chậm nhất|để|theo|trong|vào|định kỳ|và|kết quả|tình hình|báo cáo)\b|[;.,]|$)")
        .unwrap()
});
static RE_WHO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\(\d+\)\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s*|[a-zđ]\)\s*)?(?:-\s*)?(?:(?i:định kỳ)[^,]*,\s*)?(?:ngày\s+\d{1,2}\s+(?:hàng|hằng)\s+tháng,\s*)?(?:Giao\s+)?(\p{Lu}[^;()]{2,120}?|(?:các|mỗi|cơ quan|đơn vị)\s[^;()]{2,120}?)\s*(?:\([^)]*\)\s*)?(?:phải\s+|có trách nhiệm\s+|chủ động\s+)?(?:tổng hợp|báo cáo|gửi)").unwrap()
});
/// "2. Văn phòng Sở", "1.2. Các phòng, ban, ngành … có trách nhiệm:": whose duties follow.
static RE_DUTY_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.{3,160}?)(?:,?\s+(?:có trách nhiệm|có nhiệm vụ|thực hiện|trên cơ sở|căn cứ)[^:]*)?:?$").unwrap()
});

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// The unit whose duties a line belongs to, from a short numbered heading above it.
fn duty_holder(line: &str) -> Option<String> {
    let (m, rest) = split_marker(line)?;
    if !matches!(m, Marker::Num(..) | Marker::Letter(_)) {
        return None;
    }
    let rest = rest.trim();
    if rest.split_whitespace().count() > 40 || !(rest.ends_with(':') || rest.split_whitespace().count() <= 8) {
        return None;
    }
    let c = RE_DUTY_HEAD.captures(rest)?;
    let name = c[1].trim().trim_end_matches([':', '.']).trim();
    // "Chế độ báo cáo", "Nhiệm vụ cụ thể" are headings, not units.
    let l = lower(name);
    if ["chế độ", "nhiệm vụ", "tổ chức", "kinh phí", "báo cáo", "trách nhiệm", "mục tiêu", "mục đích", "yêu cầu"]
        .iter()
        .any(|w| l.starts_with(w))
    {
        return None;
    }
    Some(name.to_string())
}

/// Days of the month named in `clause` with their byte spans; dates are skipped.
fn days_in(clause: &str) -> Vec<(usize, usize, u32)> {
    let mut out = Vec::new();
    for c in RE_DAY.captures_iter(clause) {
        let m = c.get(0).unwrap();
        let after = clause[m.end()..].trim_start();
        // "ngày 20/03/2023", "ngày 20 tháng 3": a date, not a day of every month.
        let monthly_suffix = m.as_str().to_lowercase().contains("tháng");
        if !monthly_suffix
            && (after.starts_with(['/', '-', '.']) && after[1..].starts_with(|c: char| c.is_ascii_digit())
                || after.starts_with("tháng"))
        {
            continue;
        }
        let Ok(day) = c[1].parse::<u32>() else { continue };
        if (1..=31).contains(&day) {
            out.push((m.start(), m.end(), day));
        }
    }
    out
}

/// Splits a clause naming several days into one piece per day: the cut goes before the subject
/// of the last "báo cáo" between two days ("… tham mưu đồng chí Chủ tịch UBND xã báo cáo …").
fn pieces(clause: &str, days: &[(usize, usize, u32)]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &(_, end, day)) in days.iter().enumerate() {
        let stop = match days.get(i + 1) {
            None => clause.len(),
            Some(&(next_start, _, _)) => {
                let between = &clause[end..next_start];
                match between.rfind("báo cáo") {
                    // The next day stands after its own verb: cut before that verb's subject.
                    Some(b) if clause[next_start..].len() < clause.len() && b > 0 => {
                        let before = &between[..b];
                        let subj = ["đồng chí ", ", ", " và ", "; "]
                            .iter()
                            .filter_map(|w| before.rfind(w).map(|p| p + w.len()))
                            .max()
                            .unwrap_or(0);
                        end + subj
                    }
                    _ => next_start,
                }
            }
        };
        let stop = stop.max(end);
        out.push((clause[start..stop].trim().trim_end_matches([',', ';', '.']).trim().to_string(), day));
        start = stop;
    }
    out
}

fn tidy_piece(p: &str) -> String {
    let mut t = p.trim();
    for tail in [" và tham mưu đồng chí", " và tham mưu", " và"] {
        if let Some(s) = t.strip_suffix(tail) {
            t = s.trim_end();
        }
    }
    t.trim_end_matches([',', ';', '.']).to_string()
}

pub fn parse_reporting(lines: &[Line]) -> Vec<ReportingRule> {
    let mut out: Vec<ReportingRule> = Vec::new();
    let mut holder: Option<String> = None;
    for l in lines.iter().filter(|l| !l.is_table()) {
        // Cheap tests first: most lines are neither a numbered heading nor a reporting rule.
        let numbered =
            l.text.starts_with(|c: char| c.is_ascii_digit() || c.is_ascii_lowercase() || "đIVX(".contains(c));
        if numbered {
            if let Some(h) = duty_holder(&l.text) {
                holder = Some(h);
            } else if matches!(split_marker(&l.text), Some((Marker::Roman(_), _))) {
                holder = None;
            }
        }
        if !l.text.contains("áo cáo") {
            continue;
        }
        let low = lower(&l.text);
        if !low.contains("báo cáo") || !RE_MONTHLY.is_match(&l.text) {
            continue;
        }
        let body = split_marker(&l.text).map(|(_, rest)| rest).unwrap_or_else(|| l.text.clone());
        // "Chế độ báo cáo: …" — a short heading before the rule is not its reporter.
        let body = match body.split_once(':') {
            Some((head, rest)) if head.split_whitespace().count() <= 4 && !head.chars().any(|c| c.is_ascii_digit()) => {
                rest.trim().to_string()
            }
            _ => body,
        };
        for clause in body.split(';') {
            let clause = clause.trim();
            if !lower(clause).contains("báo cáo") {
                continue;
            }
            let days = days_in(clause);
            if days.is_empty() {
                continue;
            }
            for (piece, day) in pieces(clause, &days) {
                let text = tidy_piece(&piece);
                let to = RE_TO
                    .captures(&piece)
                    .or_else(|| RE_TO_DIRECT.captures(&piece))
                    .map(|m| m[1].trim().trim_end_matches([',', '.']).to_string());
                let who = RE_WHO
                    .captures(&piece)
                    .map(|m| m[1].trim().to_string())
                    .filter(|w| {
                        let w = lower(w);
                        !w.starts_with("báo cáo") && !w.starts_with("định kỳ") && !w.starts_with("ngày")
                    })
                    .map(|w| capitalise(&w))
                    .or_else(|| holder.clone())
                    // A unit does not report to itself: then the reporter is someone else.
                    .filter(|w| to.as_deref().is_none_or(|t| lower(t) != lower(w)));
                if out.iter().any(|r| r.day_of_month == Some(day) && r.text == text) {
                    continue;
                }
                out.push(ReportingRule { day_of_month: Some(day), who, to, text });
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut ch = s.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().collect::<String>() + ch.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::logical_lines;

    #[test]
    fn chained_days_each_with_reporter_and_recipient() {
        let lines = logical_lines("3. Chế độ báo cáo: Định kỳ hằng tháng, các cơ quan, đơn vị và UBND các xã, thị trấn báo cáo kết quả thực hiện về Công an huyện trước ngày 18 để tổng hợp; Công an huyện báo cáo UBND huyện trước ngày 20 hằng tháng.\n");
        let r = parse_reporting(&lines);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].day_of_month, Some(18));
        assert_eq!(r[0].to.as_deref(), Some("Công an huyện"));
        assert_eq!(r[0].who.as_deref(), Some("Các cơ quan, đơn vị và UBND các xã, thị trấn"));
        assert_eq!(r[1].day_of_month, Some(20));
        assert_eq!(r[1].who.as_deref(), Some("Công an huyện"));
        assert_eq!(r[1].to.as_deref(), Some("UBND huyện"));
    }

    #[test]
    fn a_date_is_not_a_day_of_the_month() {
        let lines = logical_lines(
            "Định kỳ hằng tháng báo cáo theo Kế hoạch ngày 20/3/2023 và Công văn ngày 12 tháng 4 năm 2023.\n",
        );
        assert!(parse_reporting(&lines).is_empty());
    }

    #[test]
    fn the_reporter_is_the_unit_whose_duties_these_are() {
        let lines = logical_lines("2. Văn phòng Sở\n- Định kỳ ngày 15 hằng tháng báo cáo kết quả về UBND tỉnh.\n");
        let r = parse_reporting(&lines);
        assert_eq!(r[0].who.as_deref(), Some("Văn phòng Sở"));
        assert_eq!(r[0].to.as_deref(), Some("UBND tỉnh"));
    }
}
