//! Word .docx to the text the parser reads: one line per paragraph (tabs kept), list numbering
//! written out ("1.1.", "a)", "-"), each table row as one tab-separated line.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Why a .docx could not be read (mapped to `ImportError::CorruptDocx`).
#[derive(Debug)]
pub struct DocxError(pub String);

/// The most a part of the .docx may hold once unpacked. The text of a real plan is well under
/// a megabyte of XML; a part larger than this is a damaged file or a zip bomb, and reading it
/// would take the memory of the PC.
pub const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;
/// The deepest table nesting read: plans put at most a table in a cell; each level costs a pass
/// over the text inside it.
pub const MAX_TABLE_DEPTH: usize = 8;

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, DocxError> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError(e.to_string())),
    };
    let too_big = || {
        DocxError(format!(
            "phần {name} quá lớn khi giải nén (hơn {} MB) — tệp hỏng hoặc không phải văn bản kế hoạch",
            MAX_PART_BYTES / (1024 * 1024)
        ))
    };
    // The size in the zip's directory can lie: read through a cap either way.
    if f.size() > MAX_PART_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    f.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes).map_err(|e| DocxError(e.to_string()))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map(Some).map_err(|_| DocxError(format!("phần {name} không phải UTF-8")))
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    fmt: String,
    text: String,
}

#[derive(Default)]
struct Numbering {
    /// abstractNumId → levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// numId → running counters per level.
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut cur_abs: Option<String> = None;
        let mut cur_lvl: Option<usize> = None;
        let mut cur_num: Option<String> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    b"abstractNum" => {
                        let id = attr(&e, b"abstractNumId").unwrap_or_default();
                        n.abstracts.entry(id.clone()).or_insert_with(|| vec![Level::default(); 9]);
                        cur_abs = Some(id);
                    }
                    b"lvl" => cur_lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).filter(|&l: &usize| l < 9),
                    b"start" | b"numFmt" | b"lvlText" => {
                        if let (Some(a), Some(l)) = (&cur_abs, cur_lvl) {
                            let v = attr(&e, b"val").unwrap_or_default();
                            let lvl = &mut n.abstracts.get_mut(a).unwrap()[l];
                            match e.local_name().as_ref() {
                                b"start" => lvl.start = v.parse().unwrap_or(1),
                                b"numFmt" => lvl.fmt = v,
                                _ => lvl.text = v,
                            }
                        }
                    }
                    b"num" => cur_num = attr(&e, b"numId"),
                    b"abstractNumId" => {
                        if let (Some(num), Some(v)) = (&cur_num, attr(&e, b"val")) {
                            n.nums.insert(num.clone(), v);
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    b"abstractNum" => cur_abs = None,
                    b"lvl" => cur_lvl = None,
                    b"num" => cur_num = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        n
    }

    /// The label of the next item of list `num_id` at level `ilvl`.
    fn label(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        let levels = self.abstracts.get(self.nums.get(num_id)?)?.clone();
        let ilvl = ilvl.min(8);
        let counters = self.counters.entry(num_id.to_string()).or_insert_with(|| {
            let mut c = [0u32; 9];
            for (i, l) in levels.iter().enumerate() {
                c[i] = l.start.max(1) - 1;
            }
            c
        });
        counters[ilvl] += 1;
        for (deeper, l) in levels.iter().enumerate().skip(ilvl + 1) {
            counters[deeper] = l.start.max(1) - 1;
        }
        let lvl = &levels[ilvl];
        if lvl.fmt == "bullet" {
            return Some("-".to_string());
        }
        if lvl.fmt == "none" {
            return None;
        }
        let mut text = lvl.text.clone();
        for (i, l) in levels.iter().enumerate().take(ilvl + 1) {
            let v = counters[i].max(1);
            text = text.replace(&format!("%{}", i + 1), &format_num(v, &l.fmt));
        }
        Some(text)
    }
}

fn format_num(v: u32, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letter(v).to_lowercase(),
        "upperLetter" => letter(v),
        "lowerRoman" => roman(v).to_lowercase(),
        "upperRoman" => roman(v),
        _ => v.to_string(),
    }
}

fn letter(v: u32) -> String {
    let c = (b'A' + ((v - 1) % 26) as u8) as char;
    c.to_string().repeat(((v - 1) / 26 + 1) as usize)
}

fn roman(mut v: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (n, r) in table {
        while v >= n {
            s.push_str(r);
            v -= n;
        }
    }
    s
}

/// Paragraph styles that carry list numbering (styleId → (numId, ilvl)).
fn style_numbering(xml: &str) -> HashMap<String, (String, usize)> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut style: Option<String> = None;
    let mut num: Option<String> = None;
    let mut lvl = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => {
                    style = attr(&e, b"styleId");
                    num = None;
                    lvl = 0;
                }
                b"numId" => num = attr(&e, b"val"),
                b"ilvl" => lvl = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take()) {
                    if n != "0" {
                        out.insert(s, (n, lvl));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[derive(Default)]
struct Cell {
    paras: Vec<String>,
    span: usize,
    merged_continue: bool,
}

#[derive(Default)]
struct Table {
    row: Vec<Cell>,
    cell: Option<Cell>,
}

/// Extracts the document's text in reading order.
pub fn docx_to_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError(e.to_string()))?;
    let doc = read_part(&mut zip, "word/document.xml")?.ok_or_else(|| DocxError("thiếu word/document.xml".into()))?;
    let mut numbering = read_part(&mut zip, "word/numbering.xml")?.map(|x| Numbering::parse(&x)).unwrap_or_default();
    let styles = read_part(&mut zip, "word/styles.xml")?.map(|x| style_numbering(&x)).unwrap_or_default();

    let mut reader = Reader::from_str(&doc);
    let mut out: Vec<String> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut para: Option<String> = None;
    let mut num: (Option<String>, usize, Option<String>) = (None, 0, None); // numId, ilvl, style
    let mut in_text = false;
    let mut skip_depth = 0usize; // inside deleted text or field instructions
    let mut saw_body = false;
    loop {
        let ev = reader.read_event().map_err(|e| DocxError(e.to_string()))?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth > 0 || matches!(name, b"del" | b"instrText" | b"delText") {
                    skip_depth += 1;
                    continue;
                }
                match name {
                    b"body" => saw_body = true,
                    b"p" => {
                        para = Some(String::new());
                        num = (None, 0, None);
                    }
                    b"t" => in_text = true,
                    b"tbl" => {
                        if tables.len() >= MAX_TABLE_DEPTH {
                            return Err(DocxError(format!(
                                "bảng lồng trong bảng quá sâu (hơn {MAX_TABLE_DEPTH} tầng) — tệp không đọc được như một kế hoạch"
                            )));
                        }
                        tables.push(Table::default())
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some(Cell { span: 1, ..Cell::default() });
                        }
                    }
                    b"vMerge" => mark_vmerge(&mut tables, &e),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    b"tab" => {
                        // A tab stop inside a run (not a tab-stop definition in pPr/tabs).
                        if let Some(p) = para.as_mut() {
                            p.push('\t');
                        }
                    }
                    b"br" | b"cr" => {
                        if let Some(p) = para.as_mut() {
                            p.push('\n');
                        }
                    }
                    b"noBreakHyphen" => {
                        if let Some(p) = para.as_mut() {
                            p.push('-');
                        }
                    }
                    b"numId" => num.0 = attr(&e, b"val"),
                    b"ilvl" => num.1 = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                    b"pStyle" => num.2 = attr(&e, b"val"),
                    b"gridSpan" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.span = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                        }
                    }
                    b"vMerge" => mark_vmerge(&mut tables, &e),
                    b"p" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.paras.push(String::new());
                        } else {
                            out.push(String::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 => {
                if let Some(p) = para.as_mut() {
                    p.push_str(&t.unescape().map_err(|e| DocxError(e.to_string()))?);
                }
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"p" => {
                        let Some(text) = para.take() else { continue };
                        let numbering_of = match (&num.0, &num.2) {
                            (Some(id), _) if id != "0" => Some((id.clone(), num.1)),
                            (None, Some(style)) => styles.get(style).cloned(),
                            _ => None,
                        };
                        let label = numbering_of.and_then(|(id, lvl)| numbering.label(&id, lvl));
                        let text = match label {
                            Some(l) if !text.trim().is_empty() => format!("{l} {}", text.trim_start()),
                            _ => text,
                        };
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.paras.push(text.replace(['\t', '\n'], " "));
                        } else {
                            out.extend(text.split('\n').map(str::to_string));
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(c) = t.cell.take() {
                                t.row.push(c);
                            }
                        }
                    }
                    b"tr" => {
                        let Some(t) = tables.last_mut() else { continue };
                        let mut cells: Vec<String> = Vec::new();
                        for c in t.row.drain(..) {
                            let text = if c.merged_continue {
                                String::new()
                            } else {
                                c.paras.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
                            };
                            cells.push(text);
                            cells.extend(std::iter::repeat_n(String::new(), c.span - 1));
                        }
                        let line = cells.join("\t");
                        if tables.len() > 1 {
                            // A table inside a cell: its rows become text of the outer cell.
                            let outer = tables.len() - 2;
                            if let Some(c) = tables[outer].cell.as_mut() {
                                c.paras.push(line.replace('\t', " "));
                            }
                        } else {
                            // A row with a single cell is a framed paragraph, not a table row.
                            out.push(if cells.len() == 1 { cells[0].clone() } else { ensure_tab(line) });
                        }
                    }
                    b"tbl" => {
                        tables.pop();
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_body {
        return Err(DocxError("word/document.xml không có phần thân".into()));
    }
    Ok(out.join("\n"))
}

/// Keeps a row with empty cells recognisable as a table row.
fn ensure_tab(line: String) -> String {
    if line.trim_matches('\t').contains('\t') {
        line
    } else {
        format!("{line}\t")
    }
}

fn mark_vmerge(tables: &mut [Table], e: &BytesStart) {
    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
        let v = attr(e, b"val").unwrap_or_default();
        c.merged_continue = v != "restart";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(roman(4), "IV");
        assert_eq!(letter(2).to_lowercase(), "b");
        assert_eq!(format_num(3, "upperRoman"), "III");
    }
}
