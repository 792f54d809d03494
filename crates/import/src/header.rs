//! The document header: issuer, number, date and place, title, signer, and the documents it
//! implements ("Thực hiện Kế hoạch số …").

use std::sync::LazyLock;

use kehoach_model::DocHeader;
use regex::Regex;

use crate::normalize::Line;

static RE_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^số\s*:\s*(\S*)").unwrap());
static RE_DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.{0,80}?),?\s*ngày\s+(\d{1,2})\s*(?:tháng\s+|/\s*)(\d{1,2})\s*(?:năm\s+|/\s*)(\d{4})").unwrap()
});
static RE_BASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Công văn|Văn bản|Thông báo|Hướng dẫn|Nghị định|Thông tư)\s+số\s+\d*/?[\p{L}\d./-]+,?\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\s+(?:của\s+)?.+?)(?:\s+(?:về|về việc|V/v|triển khai|thực hiện|phê duyệt|ban hành)\b|[,;(]|\.$|$)",
    )
    .unwrap()
});
static RE_INTRO_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[,;)]\s*)([^,;()]{3,100}?)\s+(?:xây dựng|ban hành|triển khai)\s+(?:Kế hoạch|kế hoạch)").unwrap()
});
static RE_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{L}]*(?:\s+\p{Lu}[\p{L}]*){1,4}$").unwrap());
static RE_YEAR_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"năm\s+(\d{4})\s*$").unwrap());
static RE_ANY_DATE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*(\d{4})").unwrap());

const ADMIN_WORDS: [&str; 8] = ["thị trấn", "thị xã", "thành phố", "phường", "huyện", "tỉnh", "quận", "xã"];

/// Reads the header from the preamble lines (before part I) and the whole document (signer).
pub fn parse_header(preamble: &[Line], all: &[Line]) -> DocHeader {
    let mut h = DocHeader::default();
    let texts: Vec<&str> = preamble.iter().filter(|l| !l.is_table()).map(|l| l.text.as_str()).collect();

    let mut number_idx = None;
    let mut motto_idx = None;
    for (i, t) in texts.iter().enumerate() {
        if let Some(c) = RE_NUMBER.captures(t) {
            if number_idx.is_none() {
                number_idx = Some(i);
                let n = c[1].trim_end_matches(['.', ',']);
                if !n.is_empty() && !n.starts_with('/') {
                    h.number = Some(n.to_string());
                }
            }
        }
        let low = t.to_lowercase();
        if motto_idx.is_none() && (low.starts_with("cộng hòa xã hội") || low.starts_with("cộng hoà xã hội"))
        {
            motto_idx = Some(i);
        }
        if h.date.is_none() && i < 25 {
            if let Some(c) = RE_DATE_LINE.captures(t) {
                let (d, m): (u32, u32) = (c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
                let prefix_ok = !c[1].chars().any(|ch| ch.is_ascii_digit()) && t.chars().count() < 90;
                if prefix_ok && (1..=31).contains(&d) && (1..=12).contains(&m) {
                    h.date = Some(format!("{}-{:02}-{:02}", &c[4], m, d));
                    let place = c[1].rsplit("phúc").next().unwrap_or("").trim().trim_matches([',', '-']).trim();
                    if !place.is_empty() && place.split_whitespace().count() <= 6 {
                        h.place = Some(place.to_string());
                    }
                }
            }
        }
    }

    // Issuer: the body lines above "Số:" / the motto.
    let stop = [number_idx, motto_idx].into_iter().flatten().min().unwrap_or(0).min(8);
    let body_lines: Vec<&str> = texts[..stop]
        .iter()
        .copied()
        .filter(|t| t.chars().any(|c| c.is_alphabetic()) && !t.to_lowercase().contains("độc lập"))
        .collect();
    if let Some(last) = body_lines.last() {
        let generic = |s: &str| {
            let l = s.to_lowercase();
            ADMIN_WORDS.iter().all(|w| !l.split_whitespace().any(|x| x == *w))
        };
        let issuer = if body_lines.len() >= 2
            && generic(body_lines[body_lines.len() - 2])
            && !generic(last)
            && starts_admin(last)
        {
            format!("{} {}", body_lines[body_lines.len() - 2], last)
        } else {
            last.to_string()
        };
        h.issuer = Some(tidy_body_name(&issuer));
    }

    // Title: the lines after "KẾ HOẠCH".
    if let Some(k) = texts.iter().position(|t| {
        let l = t.trim().to_lowercase();
        l == "kế hoạch" || l == "kế hoạch:"
    }) {
        let mut title = Vec::new();
        for t in texts.iter().skip(k + 1) {
            let l = t.to_lowercase();
            if l.starts_with("thực hiện") || l.starts_with("căn cứ") || l.starts_with("(kèm") || title.len() >= 3
            {
                break;
            }
            title.push(t.trim().to_string());
        }
        if !title.is_empty() {
            h.title = Some(title.join(" "));
        }
    }

    // Basis: "Thực hiện / Căn cứ Kế hoạch số … ngày … của …".
    for t in &texts {
        let l = t.to_lowercase();
        if !(l.starts_with("thực hiện") || l.starts_with("căn cứ")) {
            continue;
        }
        for c in RE_BASIS.captures_iter(t) {
            let b = c[1].trim().trim_end_matches(['.', ',']).to_string();
            if !h.basis.contains(&b) {
                h.basis.push(b);
            }
        }
    }

    if h.issuer.is_none() {
        for t in &texts {
            if let Some(c) = RE_INTRO_ISSUER.captures(t) {
                let name = c[1].trim();
                let l = name.to_lowercase();
                if ["ủy ban", "uỷ ban", "ubnd", "sở ", "công an", "ban ", "phòng ", "hđnd", "hội đồng"]
                    .iter()
                    .any(|w| l.starts_with(w))
                {
                    h.issuer = Some(tidy_body_name(name));
                    break;
                }
            }
        }
    }

    h.signer = find_signer(all);
    h
}

fn starts_admin(s: &str) -> bool {
    let l = s.to_lowercase();
    ADMIN_WORDS.iter().any(|w| l.starts_with(w))
}

/// "ỦY BAN NHÂN DÂN XÃ CHƯ RĂNG" → "UBND xã Chư Răng"; other names keep their wording.
fn tidy_body_name(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let low = s.to_lowercase();
    let (body, rest) = if let Some(r) = ["ủy ban nhân dân", "uỷ ban nhân dân"].iter().find_map(|p| low.strip_prefix(p))
    {
        ("UBND".to_string(), s[s.len() - r.len()..].trim().to_string())
    } else if let Some(r) = low.strip_prefix("ubnd") {
        ("UBND".to_string(), s[s.len() - r.len()..].trim().to_string())
    } else {
        (String::new(), s.clone())
    };
    let all_upper = !rest.chars().any(|c| c.is_lowercase());
    let rest = if all_upper && !rest.is_empty() { title_case_place(&rest, body.is_empty()) } else { rest };
    [body, rest].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ")
}

/// "XÃ CHƯ RĂNG" → "xã Chư Răng"; a leading body word keeps its capital ("SỞ …" → "Sở …").
fn title_case_place(s: &str, capitalise_first: bool) -> String {
    let low = s.to_lowercase();
    for w in ADMIN_WORDS {
        if let Some(name) = low.strip_prefix(w) {
            if name.starts_with(' ') {
                return format!("{w}{}", cap_words(name));
            }
        }
    }
    let mut out = low.clone();
    if capitalise_first {
        let mut ch = out.chars();
        if let Some(f) = ch.next() {
            out = f.to_uppercase().collect::<String>() + ch.as_str();
        }
    }
    out
}

fn cap_words(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut ch = w.chars();
            match ch.next() {
                Some(f) => f.to_uppercase().collect::<String>() + ch.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The signer: a personal name within three lines after a signing title (CHỦ TỊCH, GIÁM ĐỐC …).
fn find_signer(all: &[Line]) -> Option<String> {
    let titles = ["CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG", "BÍ THƯ", "TM.", "KT.", "Q.", "TL.", "TUQ."];
    for (i, l) in all.iter().enumerate() {
        let t = l.text.trim();
        if l.is_table() || t.chars().any(|c| c.is_lowercase()) || !titles.iter().any(|w| t.contains(w)) {
            continue;
        }
        for next in all.iter().skip(i + 1).take(4) {
            let n = next.text.trim();
            if titles.iter().any(|w| n.contains(w)) && !n.chars().any(|c| c.is_lowercase()) {
                continue;
            }
            if RE_NAME.is_match(n) && n.chars().any(|c| c.is_lowercase()) {
                return Some(n.to_string());
            }
        }
    }
    None
}

/// The plan's own year, for timeframes written without one.
pub fn plan_year(h: &DocHeader) -> Option<i32> {
    if let Some(d) = &h.date {
        if let Ok(y) = d[..4].parse() {
            return Some(y);
        }
    }
    if let Some(t) = &h.title {
        if let Some(c) = RE_YEAR_IN_TITLE.captures(t) {
            return c[1].parse().ok();
        }
    }
    h.basis.iter().find_map(|b| RE_ANY_DATE_YEAR.captures(b).and_then(|c| c[1].parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_names() {
        assert_eq!(tidy_body_name("ỦY BAN NHÂN DÂN XÃ CHƯ RĂNG"), "UBND xã Chư Răng");
        assert_eq!(tidy_body_name("Ủy ban nhân dân xã Lâm Hợp"), "UBND xã Lâm Hợp");
        assert_eq!(tidy_body_name("SỞ LAO ĐỘNG"), "Sở lao động");
    }
}
