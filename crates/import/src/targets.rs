//! Quantified targets: "100% công dân …", "50% mẫu đơn …", "trên 1,5 triệu tài khoản VNeID".

use std::sync::LazyLock;

use kehoach_model::ImportedTarget;
use regex::Regex;

static RE_PERCENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{1,3}(?:[.,]\d+)?)\s*%").unwrap());
static RE_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+(?:[.,]\d+)?)\s*(triệu|nghìn|ngàn)\s+(tài khoản|người|hồ sơ|thẻ|công dân|giao dịch|lượt)").unwrap()
});
static RE_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-zđ]\)\s*)?((?:Năm|Giai đoạn|Đến năm|Trong năm|Đến hết năm)\s[^:]{0,30}?)\s*:").unwrap()
});
static RE_SENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.;]\s+").unwrap());

/// A sub-heading that dates the targets under it ("a) Năm 2022:", "Giai đoạn 2023 – 2025:").
pub fn period_heading(line: &str) -> Option<String> {
    RE_PERIOD.captures(line.trim()).map(|c| c[1].trim().to_string())
}

fn number(s: &str) -> Option<f64> {
    s.replace(',', ".").parse().ok()
}

/// Targets in one piece of text (a bullet or a task), each clause at most once.
pub fn targets_in(text: &str, period: Option<&str>) -> Vec<ImportedTarget> {
    let mut out = Vec::new();
    let text = text.trim().trim_start_matches(['-', '+', '•', ' ']);
    for clause in RE_SENT.split(text) {
        let clause = clause.trim().trim_end_matches(['.', ';']);
        let (value, unit) = if let Some(c) = RE_PERCENT.captures(clause) {
            (number(&c[1]), Some("%".to_string()))
        } else if let Some(c) = RE_COUNT.captures(clause) {
            let scale = if &c[2] == "triệu" { 1_000_000.0 } else { 1_000.0 };
            (number(&c[1]).map(|v| v * scale), Some(c[3].to_string()))
        } else {
            continue;
        };
        if clause.split_whitespace().count() < 3 {
            continue;
        }
        out.push(ImportedTarget { text: clause.to_string(), value, unit, period: period.map(str::to_string) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_targets() {
        let t = targets_in("- 50% mẫu đơn, tờ khai được chuẩn hóa.", Some("Giai đoạn 2023 – 2025"));
        assert_eq!(t[0].value, Some(50.0));
        let t = targets_in("Phấn đấu trên 1,5 triệu tài khoản VNeID được kích hoạt.", None);
        assert_eq!(t[0].value, Some(1_500_000.0));
        assert_eq!(period_heading("a) Năm 2022:").as_deref(), Some("Năm 2022"));
    }
}
