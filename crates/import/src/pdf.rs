//! PDF with a text layer to the text the parser reads: one line per printed line, in reading
//! order, with a tab where the text jumps to a tab stop (the cells of a table typed with tabs),
//! and a printed line that runs to the right margin joined to the next one (the paragraph was
//! wrapped there). What is left of broken lines is repaired as for text ([`crate::normalize`]).
//!
//! Built on `lopdf` (already used to sign reports), with its decompression limits: a small
//! file cannot unpack into unbounded memory.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object};

use crate::normalize::{RE_FIELD_START, RE_ITEM_START};

/// The most one page's content (or one font's ToUnicode map) may unpack to.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;
/// The most pages read: a plan has tens of pages.
pub const MAX_PAGES: usize = 2000;

#[derive(Debug)]
pub enum PdfError {
    /// No text on any page: a scan.
    Scanned,
    Encrypted,
    TooLarge(String),
    Corrupt(String),
}

/// A shown string at its place on the page.
#[derive(Debug, Clone)]
struct Run {
    x: f64,
    end: f64,
    y: f64,
    size: f64,
    text: String,
}

struct Font<'a> {
    encoding: Encoding<'a>,
    /// Two-byte codes (Type0 fonts with Identity-H).
    two_byte: bool,
    first_char: u32,
    widths: Vec<f64>,
    cid_widths: BTreeMap<u32, f64>,
    default_width: f64,
}

impl Font<'_> {
    fn width(&self, code: u32) -> f64 {
        if self.two_byte {
            return self.cid_widths.get(&code).copied().unwrap_or(self.default_width);
        }
        code.checked_sub(self.first_char)
            .and_then(|i| self.widths.get(i as usize).copied())
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }

    /// The string's advance in text-space units per point of font size (thousandths / 1000).
    fn advance(&self, bytes: &[u8]) -> f64 {
        let total: f64 = if self.two_byte {
            bytes.chunks(2).map(|c| self.width(u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))).sum()
        } else {
            bytes.iter().map(|b| self.width(u32::from(*b))).sum()
        };
        total / 1000.0
    }
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Result<Font<'a>, PdfError> {
    let encoding = dict.get_font_encoding_with_limit(doc, MAX_PAGE_BYTES).map_err(limit_or_corrupt)?;
    let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let mut f = Font {
        encoding,
        two_byte: subtype == b"Type0",
        first_char: 0,
        widths: Vec::new(),
        cid_widths: BTreeMap::new(),
        default_width: 500.0,
    };
    if f.two_byte {
        let desc = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = desc {
            f.default_width = d.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
            if let Some(w) = d.get(b"W").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok()) {
                // [c [w1 w2 …]] or [c_first c_last w]; bounded by the array's own length.
                let mut i = 0;
                while i < w.len() {
                    let Some(c) = num(deref(doc, &w[i])) else { break };
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(ws)) => {
                            for (k, x) in ws.iter().enumerate() {
                                if let Some(x) = num(deref(doc, x)) {
                                    f.cid_widths.insert(c as u32 + k as u32, x);
                                }
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let (Some(last), Some(x)) = (num(o), w.get(i + 2).map(|o| num(deref(doc, o)))) else {
                                break;
                            };
                            let (c, last) = (c as u32, (last as u32).min(c as u32 + 65_536));
                            for code in c..=last {
                                f.cid_widths.insert(code, x.unwrap_or(f.default_width));
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
    } else {
        f.first_char = dict.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
        if let Some(w) = dict.get(b"Widths").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok()) {
            f.widths = w.iter().map(|o| num(deref(doc, o)).unwrap_or(0.0)).collect();
        }
    }
    Ok(f)
}

fn limit_or_corrupt(e: lopdf::Error) -> PdfError {
    let s = e.to_string();
    if s.to_lowercase().contains("limit") {
        PdfError::TooLarge(s)
    } else {
        PdfError::Corrupt(s)
    }
}

/// The affine matrix [a b c d e f] of PDF.
type Matrix = [f64; 6];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn page_runs(doc: &Document, page_id: lopdf::ObjectId) -> Result<Vec<Run>, PdfError> {
    let mut fonts: BTreeMap<Vec<u8>, Font> = BTreeMap::new();
    for (name, dict) in doc.get_page_fonts(page_id).map_err(limit_or_corrupt)? {
        fonts.insert(name, font(doc, dict)?);
    }
    let content = doc.get_page_content_with_limit(page_id, MAX_PAGE_BYTES).map_err(limit_or_corrupt)?;
    let content = Content::decode(&content).map_err(|e| PdfError::Corrupt(e.to_string()))?;

    let mut runs = Vec::new();
    let mut ctm = IDENTITY;
    let mut stack: Vec<Matrix> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let (mut size, mut leading, mut char_sp, mut word_sp, mut hscale) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 1.0f64);
    let mut current: Option<&Font> = None;
    for op in &content.operations {
        let n = |i: usize| op.operands.get(i).and_then(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" => ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                current = op.operands.first().and_then(|o| o.as_name().ok()).and_then(|name| fonts.get(name));
                size = n(1);
            }
            "TL" => leading = n(0),
            "Tc" => char_sp = n(0),
            "Tw" => word_sp = n(0),
            "Tz" => hscale = n(0) / 100.0,
            "Td" | "TD" => {
                if op.operator == "TD" {
                    leading = -n(1);
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if matches!(op.operator.as_str(), "'" | "\"") {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                    tm = tlm;
                }
                let Some(f) = current else { continue };
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => op
                        .operands
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map(|a| a.iter().collect())
                        .unwrap_or_default(),
                    "\"" => op.operands.get(2).into_iter().collect(),
                    _ => op.operands.first().into_iter().collect(),
                };
                let start = mul(&tm, &ctm);
                let mut text = String::new();
                for it in items {
                    match it {
                        Object::String(bytes, _) => {
                            if let Ok(s) = Document::decode_text(&f.encoding, bytes) {
                                text.push_str(&s);
                            }
                            let spaces = bytes.iter().filter(|b| **b == b' ').count() as f64;
                            let glyphs = if f.two_byte { bytes.len() / 2 } else { bytes.len() } as f64;
                            let tx = (f.advance(bytes) * size + char_sp * glyphs + word_sp * spaces) * hscale;
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                        }
                        other => {
                            // A kerning adjustment; a large one stands for a space.
                            let adj = num(other).unwrap_or(0.0);
                            if adj < -200.0 && !text.ends_with(' ') {
                                text.push(' ');
                            }
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, -adj / 1000.0 * size * hscale, 0.0], &tm);
                        }
                    }
                }
                let end = mul(&tm, &ctm);
                let scale = (start[2] * start[2] + start[3] * start[3]).sqrt().max(1e-6);
                if !text.trim().is_empty() {
                    runs.push(Run { x: start[4], end: end[4], y: start[5], size: size * scale, text });
                }
            }
            _ => {}
        }
    }
    Ok(runs)
}

/// One printed line: its runs left to right.
struct PrintedLine {
    y: f64,
    runs: Vec<Run>,
}

fn lines_of(mut runs: Vec<Run>) -> Vec<PrintedLine> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<PrintedLine> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(l) if (l.y - r.y).abs() <= r.size.max(1.0) * 0.3 => l.runs.push(r),
            _ => out.push(PrintedLine { y: r.y, runs: vec![r] }),
        }
    }
    for l in &mut out {
        l.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    out
}

/// The default tab stop of Word and LibreOffice (1.25 cm) in points: text typed with tabs
/// lands on its multiples, so a gap tells how many tabs — how many cells — it stands for.
const TAB_STOP: f64 = 72.0 / 2.54 * 1.25;

/// Tabs from a run ending at `end` to one starting at `x`, both measured from the left margin.
fn tabs_between(end: f64, x: f64) -> usize {
    let k = ((x + 0.5) / TAB_STOP).floor();
    let j = (end / TAB_STOP).floor();
    (k - j).max(1.0) as usize
}

/// A line's text: runs apart by more than a couple of spaces are cells (tabs between them).
fn line_text(l: &PrintedLine, left: f64) -> String {
    let mut s = String::new();
    let mut prev_end: Option<f64> = None;
    for r in &l.runs {
        if let Some(e) = prev_end {
            let gap = r.x - e;
            // A run that starts on a tab stop after a gap was put there by a tab, even when
            // the jump was short.
            let off = (r.x - left) / TAB_STOP;
            let on_stop = (off - off.round()).abs() * TAB_STOP < 0.6;
            if gap > r.size * 1.2 || (gap > r.size * 0.15 && on_stop) {
                s.push_str(&"\t".repeat(tabs_between(e - left, r.x - left).min(16)));
            } else if gap > r.size * 0.15 && !s.ends_with(' ') && !r.text.starts_with(' ') {
                s.push(' ');
            }
        }
        s.push_str(&r.text);
        prev_end = Some(r.end);
    }
    s
}

/// Extracts the document's text in reading order.
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    // Object and cross-reference streams are unpacked while loading: bound them too.
    let options = lopdf::LoadOptions { max_decompressed_size: Some(MAX_PAGE_BYTES), ..Default::default() };
    let doc = Document::load_mem_with_options(bytes, options).map_err(limit_or_corrupt)?;
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooLarge(format!("{} trang", pages.len())));
    }
    let mut out = String::new();
    let mut any_text = false;
    for (_, page_id) in pages {
        let lines = lines_of(page_runs(&doc, page_id)?);
        // The right margin: where the longest lines end.
        let right = lines.iter().map(|l| l.runs.last().map_or(0.0, |r| r.end)).fold(0.0f64, f64::max);
        let left = lines.iter().filter_map(|l| l.runs.first().map(|r| r.x)).fold(f64::INFINITY, f64::min);
        let width = (right - left).max(1.0);
        let mut row_open = out.trim_end_matches('\n').rsplit('\n').next().is_some_and(|last| last.contains('\t'));
        let last_line = lines.len().saturating_sub(1);
        let mut prev_end: Option<f64> = None;
        for (i, l) in lines.iter().enumerate() {
            let text = line_text(l, left);
            if text.trim().is_empty() {
                continue;
            }
            // A page number at the top or bottom of the page is not text of the plan.
            let t = text.trim();
            if (i == 0 || i == last_line) && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            // A row of cells cut by the page break goes on at the top of the next page,
            // mid-sentence.
            if row_open && out.ends_with("\n\n") && t.starts_with(char::is_lowercase) {
                while out.ends_with('\n') {
                    out.pop();
                }
                out.push(' ');
            }
            any_text = true;
            let x = l.runs.first().map_or(left, |r| r.x);
            let size = l.runs.last().map_or(10.0, |r| r.size);
            let stops = tabs_between(0.0, x - left);
            let indented = x > left + size * 1.2;
            // A line at the first tab stop under a row of cells is that row going on: the tab
            // after the line above had no room left there. Deeper indents are new rows whose
            // first cells are empty.
            // That happens only when the text after the tab had no room on the line above.
            let no_room = prev_end.is_some_and(|e| {
                let first = l.runs.first().map_or(0.0, |r| {
                    let chars = r.text.chars().count().max(1) as f64;
                    let word = r.text.split_whitespace().next().map_or(0, |w| w.chars().count()) as f64;
                    (r.end - r.x) * word / chars
                });
                let next_stop = left + ((e - left) / TAB_STOP).floor() * TAB_STOP + TAB_STOP;
                // Or the line above ran well into the right part of the page: a tab there
                // wraps, while a short row (a group heading) leaves room for it.
                next_stop + first > right + 0.5 || e - left >= width * 0.75
            });
            if row_open && indented && no_room && out.ends_with('\n') {
                out.pop();
                out.push_str(&"\t".repeat(stops.min(16)));
                out.push_str(text.trim());
            } else {
                // Leading empty cells of a row: a line inside a table, or one with cells.
                if indented && (text.contains('\t') || row_open) {
                    out.push_str(&"\t".repeat(stops.min(16)));
                }
                out.push_str(text.trim());
            }
            // The logical line written so far (wrapped lines joined) is a row of cells.
            row_open = out[out.rfind('\n').map_or(0, |p| p + 1)..].contains('\t');
            let end = l.runs.last().map_or(0.0, |r| r.end);
            prev_end = Some(end);
            let next = lines.get(i + 1);
            // The next line's first word did not fit after this one: the paragraph wrapped.
            let word_did_not_fit = next.and_then(|n| n.runs.first()).is_some_and(|r| {
                let chars = r.text.chars().count().max(1) as f64;
                let word = r.text.split_whitespace().next().map_or(0, |w| w.chars().count()) as f64;
                let word_w = (r.end - r.x) * word / chars;
                (r.x - left).abs() < 1.0 && end + size * 0.2 + word_w > right - 0.5
            });
            // A line that runs to the margin was wrapped there: its paragraph goes on below
            // (unless the next line is far below — a new block).
            // Wrapped text goes on at the left margin; an indented line is something else.
            let next_at_margin = next.and_then(|n| n.runs.first()).is_some_and(|r| r.x <= left + size * 1.2);
            let wrapped =
                next_at_margin && (word_did_not_fit || (end >= right - size * 3.0 && (end - left) >= width * 0.8));
            // A next line opening an item or a label starts anew even after a full line.
            let next_close = next.is_some_and(|n| {
                let t = line_text(n, left);
                let t = t.trim_start();
                (l.y - n.y) <= size * 1.8 && !RE_ITEM_START.is_match(t) && !RE_FIELD_START.is_match(t)
            });
            if wrapped && next_close {
                // A line broken after the hyphen of "2022-2025" joins without a space.
                let hyphen = (out.ends_with('-') || out.ends_with('–')) && !out.ends_with(" -") && !out.ends_with(" –");
                if !hyphen {
                    out.push(' ');
                }
            } else {
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if !any_text {
        return Err(PdfError::Scanned);
    }
    Ok(out)
}
