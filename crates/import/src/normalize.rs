//! Text normalisation: Unicode NFC, stray markup (Markdown, HTML bold, Word bookmarks) and the
//! repair of lines that PDF-to-text conversion broke in the middle of a sentence.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// One logical line of the document after repair.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Set for a tab-separated table row; `cells` then holds its cleaned cells.
    pub cells: Option<Vec<String>>,
    /// A Markdown heading or a line wholly in bold: never glued to its neighbours.
    pub emphasized: bool,
}

impl Line {
    pub fn is_table(&self) -> bool {
        self.cells.is_some()
    }
}

pub fn nfc(s: &str) -> String {
    // Text saved by Word or LibreOffice is NFC already: the quick check spares composing
    // every character again.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

static RE_BOOKMARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[bookmark:[^\]]*\]").unwrap());
static RE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?(?:b|i|u|em|strong|span|p|br|sup|sub|font)\b[^>]*>").unwrap());
static RE_MD_ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([-*_.#()\[\]+!>`])").unwrap());
/// Starts of a new item: numbering, bullets, roman parts.
pub static RE_ITEM_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[IVX]{1,6}\.\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}(?:\.\d{1,2})+\s|[a-zđ]\)\s|\(\d{1,2}\)\s|\([a-zđ]\)\s|[-–+•*·●○▪■►➢✓]\s?)",
    )
    .unwrap()
});
/// "Đơn vị thực hiện:", "Thời gian hoàn thành:", … at the start of a line.
pub static RE_FIELD_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:đơn vị|cơ quan|thời gian|thời hạn|sản phẩm|tiến độ|kết quả đầu ra|nơi nhận)[^:\n]{0,40}:)")
        .unwrap()
});

/// Removes Markdown/HTML emphasis and Word bookmarks from one line (or one cell).
pub fn clean(s: &str) -> String {
    // Most lines carry no markup at all: spare them the pattern passes.
    if !s.contains(['[', '<', '*', '_', '\\', '#', '(', ':', '\u{a0}']) {
        return s.trim().to_string();
    }
    let s = RE_BOOKMARK.replace_all(s, "");
    let s = RE_TAG.replace_all(&s, "");
    let s = s.replace("**", "").replace("__", "");
    let s = RE_MD_ESCAPE.replace_all(&s, "$1");
    let mut t = s.trim();
    t = t.trim_start_matches('#').trim_start();
    // A lone '*' or '_' wrapping the line is italics, not a bullet ("* " with a space is a bullet).
    if t.starts_with('*') && !t.starts_with("* ") {
        t = &t[1..];
    }
    let t = t.trim_end_matches(['*', '_']);
    let t = t.replace("(*", "(").replace("*)", ")").replace(":*", ":");
    t.replace('\u{a0}', " ").trim().to_string()
}

fn is_emphasized(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with('#')
        || (t.starts_with("**") && t.ends_with("**") && t.len() > 4)
        || (t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("<b>"))
            && t.get(t.len().saturating_sub(4)..).is_some_and(|p| p.eq_ignore_ascii_case("</b>")))
}

/// Splits the text into repaired logical lines. Blank lines carry no meaning here: PDF exports
/// put one between every printed line.
pub fn logical_lines(text: &str) -> Vec<Line> {
    let text = nfc(text)
        .replace("\r\n", "\n")
        .replace(['\r', '\u{c}', '\u{b}'], "\n")
        .replace(['\u{200b}', '\u{feff}', '\u{ad}'], "");
    let mut raw_lines: Vec<(Line, usize)> = Vec::new();
    for raw in text.lines() {
        let body = raw.trim_start_matches([' ', '\t']);
        // Leading tabs alone are indentation; a tab after text, or a cell run closed by tabs,
        // makes a table row ("\tcá nhân …\t\t" is a row cut by a page break).
        let stripped = raw.trim_matches(' ');
        let trailing_tabs = stripped.len() - stripped.trim_end_matches('\t').len();
        let inner = body.trim_end_matches([' ', '\t']).contains('\t');
        let is_table = !body.trim().is_empty()
            && (inner || trailing_tabs >= 2 || (trailing_tabs >= 1 && stripped.starts_with('\t')));
        if is_table {
            // Keep leading tabs: they are empty cells (a row without a number).
            let row = raw.trim_start_matches(' ').trim_end_matches([' ', '\t']);
            let cells: Vec<String> = row.split('\t').map(clean).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let joined = cells.join("\t");
            raw_lines.push((Line { text: joined, cells: Some(cells), emphasized: false }, 0));
            continue;
        }
        let cleaned = clean(body);
        if cleaned.is_empty() {
            continue;
        }
        let width = cleaned.chars().count();
        raw_lines.push((Line { text: cleaned, cells: None, emphasized: is_emphasized(body) }, width));
    }
    let wrap = wrap_width(&raw_lines);
    let mut out: Vec<Line> = Vec::new();
    let mut last_width = 0usize;
    for (line, width) in raw_lines {
        if let Some(prev) = out.last_mut() {
            if should_join(prev, last_width, &line, wrap) {
                let sep = if prev.text.ends_with(['-', '–']) && !prev.text.ends_with(" -") && !prev.text.ends_with(" –")
                {
                    ""
                } else {
                    " "
                };
                // In place: a paragraph of thousands of wrapped lines must not be copied once per line.
                let keep = prev.text.trim_end().len();
                prev.text.truncate(keep);
                prev.text.push_str(sep);
                prev.text.push_str(line.text.trim_start());
                last_width = width;
                continue;
            }
        }
        last_width = width;
        out.push(line);
    }
    for l in &mut out {
        if l.cells.is_none() {
            l.text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    out
}

/// The printed line width of a PDF export, or None when lines are whole paragraphs.
fn wrap_width(lines: &[(Line, usize)]) -> Option<usize> {
    let mut widths: Vec<usize> = lines.iter().filter(|(l, _)| !l.is_table()).map(|(_, w)| *w).collect();
    if widths.len() < 20 {
        return None;
    }
    widths.sort_unstable();
    let p90 = widths[widths.len() * 9 / 10];
    // Wrapped text has many lines near one width; paragraph text has long, ragged lines.
    let near = widths.iter().filter(|&&w| w * 100 >= p90 * 75 && w <= p90 + 5).count();
    (p90 <= 140 && near * 100 >= widths.len() * 35).then_some(p90)
}

fn should_join(prev: &Line, prev_width: usize, next: &Line, wrap: Option<usize>) -> bool {
    if prev.is_table() || next.is_table() || prev.emphasized || next.emphasized {
        return false;
    }
    let b = next.text.as_str();
    if RE_ITEM_START.is_match(b) || RE_FIELD_START.is_match(b) {
        return false;
    }
    let a = prev.text.trim_end();
    let Some(first) = b.chars().next() else { return false };
    if first.is_lowercase() {
        return true;
    }
    if a.ends_with(['.', ';', ':', '!', '?']) {
        return false;
    }
    if a.ends_with(['-', '–', ',', '/', '(']) {
        return true;
    }
    let Some(w) = wrap else { return false };
    let full = prev_width * 100 >= w * 75;
    let last_word_lower =
        a.split_whitespace().next_back().and_then(|t| t.chars().next()).is_some_and(|c| c.is_lowercase());
    full && (last_word_lower || first.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_markup() {
        assert_eq!(clean("### **Triển khai**"), "Triển khai");
        assert_eq!(clean("*b) Giai đoạn 2023 – 2025:*"), "b) Giai đoạn 2023 – 2025:");
        assert_eq!(clean("<b>3</b>"), "3");
        assert_eq!(clean("[bookmark: muc_1]I. MỤC TIÊU"), "I. MỤC TIÊU");
    }

    #[test]
    fn repairs_broken_sentences() {
        let t = "1.1. Tham mưu, đề xuất Ban Thường vụ chỉ đạo đẩy mạnh triển \n\nkhai Đề án 06.\n\nĐơn vị thực hiện: Công an xã.\n";
        let lines = logical_lines(t);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "1.1. Tham mưu, đề xuất Ban Thường vụ chỉ đạo đẩy mạnh triển khai Đề án 06.");
    }

    #[test]
    fn nfc_normalises_decomposed_text() {
        let decomposed = "Thu\u{309}y";
        assert_eq!(nfc(decomposed), "Thủy");
    }
}
