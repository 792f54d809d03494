//! The numbering and bullets that open a line: "II.", "1.1.", "a)", "(3)", "-", "+".

use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// "I.", "II." — parts of the document.
    Roman(String),
    /// "1.", "1.1.", "4.13." — the count of components is the depth.
    Num(String, usize),
    /// "a)", "đ)".
    Letter(String),
    /// "(1)", "(a)".
    Paren(String),
    /// "-", "–", "•", "*" …
    Dash,
    /// "+" — the bullet one level below "-".
    Plus,
}

// Each pattern reads the marker only; the rest of the line is sliced off after it, so a line of
// any length costs the same (a capture of the whole rest made every call linear in the line).
static RE_ROMAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([IVX]{1,5})\s*[.)]\s*").unwrap());
static RE_NUM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s*|\s+)").unwrap());
static RE_LETTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([a-zđ])\)\s*").unwrap());
static RE_PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\((\d{1,2}|[a-zđ])\)\s*").unwrap());
static RE_BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([-–+•*·●○▪■►➢✓])\s*").unwrap());

/// The marker's captures and the text after it, which must start with a non-space character.
fn after<'a>(re: &Regex, line: &'a str) -> Option<(regex::Captures<'a>, &'a str)> {
    // Markers are short: look at the line's opening only.
    let mut cut = line.len().min(24);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let c = re.captures(&line[..cut])?;
    let rest = &line[c.get(0)?.end()..];
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((c, rest))
}

/// Splits a line into its opening marker and the rest.
pub fn split_marker(line: &str) -> Option<(Marker, String)> {
    let line = line.trim();
    let first = line.chars().next()?;
    // Most lines open with a word: no marker can start with a letter other than I, V, X or a
    // lowercase a–z/đ, a digit, "(" or a bullet.
    if first.is_alphabetic() && !matches!(first, 'I' | 'V' | 'X') && !(first.is_ascii_lowercase() || first == 'đ') {
        return None;
    }
    if let Some((c, rest)) = after(&RE_ROMAN, line) {
        return Some((Marker::Roman(c[1].to_string()), rest.to_string()));
    }
    if let Some((c, rest)) = after(&RE_NUM, line) {
        let num = c[1].to_string();
        let has_dot_or_paren = line[num.len()..].starts_with(['.', ')']);
        // "2025, tầm nhìn" and "06 nhiệm vụ" are text, not numbering: require "1." / "1)" / "1.1".
        if has_dot_or_paren || num.contains('.') {
            // "20/03/2023" never reaches here; "1.5 triệu" would: require text after it.
            let depth = num.split('.').count();
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return Some((Marker::Num(num, depth), rest.to_string()));
            }
        }
    }
    if let Some((c, rest)) = after(&RE_LETTER, line) {
        return Some((Marker::Letter(c[1].to_string()), rest.to_string()));
    }
    if let Some((c, rest)) = after(&RE_PAREN, line) {
        return Some((Marker::Paren(c[1].to_string()), rest.to_string()));
    }
    if let Some((c, rest)) = after(&RE_BULLET, line) {
        let m = if &c[1] == "+" { Marker::Plus } else { Marker::Dash };
        // "**GIÁM ĐỐC**" was cleaned before; a bare "-" between numbers is not a bullet.
        return Some((m, rest.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(split_marker("4.13. Tiếp tục").unwrap().0, Marker::Num("4.13".into(), 2));
        assert_eq!(split_marker("2.1 Phối hợp").unwrap().0, Marker::Num("2.1".into(), 2));
        assert_eq!(split_marker("II. NỘI DUNG").unwrap().0, Marker::Roman("II".into()));
        assert_eq!(split_marker("a) Năm 2022:").unwrap().0, Marker::Letter("a".into()));
        assert_eq!(split_marker("(9) Định kỳ").unwrap().0, Marker::Paren("9".into()));
        assert_eq!(split_marker("+ Tuyên truyền").unwrap().0, Marker::Plus);
        assert!(split_marker("2025, tầm nhìn").is_none());
        assert!(split_marker("Đơn vị thực hiện: Công an xã.").is_none());
    }
}
