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

/// A line's text: runs apart by more than a couple of spaces are cells (a tab between them).
fn line_text(l: &PrintedLine) -> String {
    let mut s = String::new();
    let mut prev_end: Option<f64> = None;
    for r in &l.runs {
        if let Some(e) = prev_end {
            let gap = r.x - e;
            if gap > r.size * 1.2 {
                s.push('\t');
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
    let doc = Document::load_mem(bytes).map_err(|e| PdfError::Corrupt(e.to_string()))?;
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
        for (i, l) in lines.iter().enumerate() {
            let text = line_text(l);
            if text.trim().is_empty() {
                continue;
            }
            any_text = true;
            out.push_str(text.trim_end());
            let end = l.runs.last().map_or(0.0, |r| r.end);
            let size = l.runs.last().map_or(10.0, |r| r.size);
            // A line that runs to the margin was wrapped there: its paragraph goes on below
            // (unless the next line is far below — a new block).
            let wrapped = end >= right - size * 3.0 && (end - left) >= width * 0.8;
            // A next line opening an item or a label starts anew even after a full line.
            let next_close = lines.get(i + 1).is_some_and(|n| {
                let t = line_text(n);
                let t = t.trim_start();
                (l.y - n.y) <= size * 1.8 && !RE_ITEM_START.is_match(t) && !RE_FIELD_START.is_match(t)
            });
            if wrapped && next_close {
                out.push(' ');
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
