//! Text preparation and line breaking.
//!
//! printpdf's low-level API places strings; it does not break lines. Vietnamese separates
//! syllables with spaces, so breaking at spaces is enough; a token longer than the line
//! (a URL, a long code) is cut between characters.

use unicode_normalization::UnicodeNormalization;

use crate::fonts::{Metrics, Style};
use crate::RenderError;

/// One laid-out line: its words and its natural width (words plus one space between each).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub words: Vec<String>,
    pub width: f32,
}

/// NFC, because decomposed input (e.g. typed with some Windows keyboards or pasted from a
/// web page) puts the combining marks of Vietnamese in the wrong place when drawn glyph by
/// glyph; and tabs or control whitespace become plain spaces.
pub(crate) fn normalize(text: &str) -> String {
    text.nfc().map(|c| if c == '\t' || c == '\r' || c == '\u{000B}' || c == '\u{000C}' { ' ' } else { c }).collect()
}

/// Capitals as the decree requires for bodies, document types and titles of signers;
/// callers may store names in normal case.
pub(crate) fn upper(text: &str) -> String {
    normalize(text).to_uppercase().nfc().collect()
}

fn split_words(text: &str) -> impl Iterator<Item = &str> {
    // Only ordinary spaces separate words: a no-break space keeps its two sides together.
    text.split([' ', '\n']).filter(|w| !w.is_empty())
}

/// Breaks `text` into lines no wider than `first_width` (first line) and `rest_width`
/// (following lines). Explicit line breaks ('\n') are honoured.
pub(crate) fn wrap(
    m: &Metrics,
    style: Style,
    size: f32,
    text: &str,
    first_width: f32,
    rest_width: f32,
) -> Result<Vec<Line>, RenderError> {
    let text = normalize(text);
    // Check every character against the whole text first, so an error names the passage.
    for c in text.chars().filter(|c| *c != '\n') {
        m.char_units(style, c, &text)?;
    }
    let space = m.width(style, size, " ")?;
    let mut lines: Vec<Line> = Vec::new();
    for hard_line in text.split('\n') {
        let mut cur = Line { words: Vec::new(), width: 0.0 };
        for word in split_words(hard_line) {
            let ww = m.width(style, size, word)?;
            let limit = if lines.is_empty() { first_width } else { rest_width };
            if !cur.words.is_empty() && cur.width + space + ww <= limit + 0.01 {
                cur.width += space + ww;
                cur.words.push(word.to_string());
                continue;
            }
            if !cur.words.is_empty() {
                lines.push(std::mem::replace(&mut cur, Line { words: Vec::new(), width: 0.0 }));
            }
            let limit = if lines.is_empty() { first_width } else { rest_width };
            if ww <= limit + 0.01 {
                cur = Line { words: vec![word.to_string()], width: ww };
            } else {
                // Too long for any line: cut it between characters.
                let mut piece = String::new();
                let mut pw = 0.0;
                for c in word.chars() {
                    let cw = m.width(style, size, c.encode_utf8(&mut [0; 4]))?;
                    let limit = if lines.is_empty() { first_width } else { rest_width };
                    if !piece.is_empty() && pw + cw > limit + 0.01 {
                        lines.push(Line { words: vec![std::mem::take(&mut piece)], width: pw });
                        pw = 0.0;
                    }
                    piece.push(c);
                    pw += cw;
                }
                cur = Line { words: vec![piece], width: pw };
            }
        }
        if !cur.words.is_empty() {
            lines.push(cur);
        }
    }
    Ok(lines)
}
