//! The reporting regime: "báo cáo định kỳ … trước ngày 12 hàng tháng" → day of month, who, to.

use std::sync::LazyLock;

use kehoach_model::ReportingRule;
use regex::Regex;

use crate::normalize::Line;

static RE_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)ngày\s+(\d{1,2})\s+(?:hàng|hằng)\s+tháng").unwrap());
static RE_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:báo cáo|gửi)[^;]*?\s(?:về|đến|lên|cho)\s+(\p{Lu}.+?)(?:\s+(?:trước|chậm nhất|để|theo|trong|vào|định kỳ)\b|[;.]|$)")
        .unwrap()
});
static RE_WHO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\(\d+\)\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s*|[a-zđ]\)\s*)?(?:-\s*)?(?:Định kỳ[^,]*,\s*)?(?:ngày\s+\d{1,2}\s+(?:hàng|hằng)\s+tháng,\s*)?(?:Giao\s+)?(\p{Lu}[^,;()]{2,80}?)\s*(?:\([^)]*\)\s*)?(?:phải\s+|có trách nhiệm\s+)?(?:tổng hợp|báo cáo|gửi)").unwrap()
});

pub fn parse_reporting(lines: &[Line]) -> Vec<ReportingRule> {
    let mut out: Vec<ReportingRule> = Vec::new();
    for l in lines.iter().filter(|l| !l.is_table()) {
        if !RE_DAY.is_match(&l.text) {
            continue;
        }
        for clause in l.text.split(';') {
            let clause = clause.trim();
            if !clause.to_lowercase().contains("báo cáo") {
                continue;
            }
            for c in RE_DAY.captures_iter(clause) {
                let Ok(day) = c[1].parse::<u32>() else { continue };
                if !(1..=31).contains(&day) {
                    continue;
                }
                let body = crate::markers::split_marker(clause).map(|(_, rest)| rest).unwrap_or_else(|| clause.to_string());
                let text = body.trim_end_matches(['.', ';']).to_string();
                let to = RE_TO.captures(clause).map(|m| m[1].trim().to_string());
                let who = RE_WHO
                    .captures(clause)
                    .map(|m| m[1].trim().to_string())
                    .filter(|w| !w.to_lowercase().starts_with("báo cáo") && !w.to_lowercase().starts_with("định kỳ"));
                if out.iter().any(|r| r.day_of_month == Some(day) && r.text == text) {
                    continue;
                }
                out.push(ReportingRule { day_of_month: Some(day), who, to, text });
            }
        }
    }
    out
}
