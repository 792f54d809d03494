//! The visible signature: a form XObject with the signer, title and time in Liberation
//! Serif (embedded whole as a CIDFontType2 with Identity-H, so any Vietnamese text shows).

use std::collections::BTreeMap;

use lopdf::{dictionary, Document, Object, ObjectId, Stream, StringFormat};
use unicode_normalization::UnicodeNormalization;

use crate::{Result, SignError};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");

/// Text must be NFC or the marks land wrong (one glyph per character).
fn nfc(s: &str) -> String {
    s.nfc().collect()
}

struct Face<'a> {
    face: ttf_parser::Face<'a>,
    bytes: &'static [u8],
    name: &'static str,
    used: BTreeMap<u16, char>,
}

impl Face<'_> {
    fn new(bytes: &'static [u8], name: &'static str) -> Result<Face<'static>> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| SignError::Crypto(format!("phông chữ: {e}")))?;
        Ok(Face { face, bytes, name, used: BTreeMap::new() })
    }

    fn upem(&self) -> f32 {
        self.face.units_per_em() as f32
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.face.glyph_index(c).and_then(|g| self.face.glyph_hor_advance(g)).unwrap_or(0) as f32)
            .sum::<f32>()
            * size
            / self.upem()
    }

    /// The text as 2-byte glyph ids (hex string for Tj); records the glyphs used.
    fn encode(&mut self, text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            let g = self.face.glyph_index(c).map(|g| g.0).unwrap_or(0);
            self.used.insert(g, c);
            out.push_str(&format!("{g:04X}"));
        }
        out
    }

    /// Adds the font objects to `doc`; returns the Type0 font's id.
    fn embed(&self, doc: &mut Document) -> Result<ObjectId> {
        let mut file = Stream::new(dictionary! { "Length1" => self.bytes.len() as i64 }, self.bytes.to_vec());
        let _ = file.compress();
        let file_id = doc.add_object(file);
        let upem = self.upem();
        let scale = |v: i16| (v as f32 * 1000.0 / upem).round() as i64;
        let bb = self.face.global_bounding_box();
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => Object::Name(self.name.as_bytes().to_vec()),
            "Flags" => 34,
            "FontBBox" => vec![scale(bb.x_min).into(), scale(bb.y_min).into(), scale(bb.x_max).into(), scale(bb.y_max).into()],
            "ItalicAngle" => 0,
            "Ascent" => scale(self.face.ascender()),
            "Descent" => scale(self.face.descender()),
            "CapHeight" => scale(self.face.capital_height().unwrap_or(self.face.ascender())),
            "StemV" => 80,
            "FontFile2" => file_id,
        });
        let mut widths = Vec::new();
        for g in self.used.keys() {
            let w = self.face.glyph_hor_advance(ttf_parser::GlyphId(*g)).unwrap_or(0) as f32 * 1000.0 / upem;
            widths.push(Object::Integer(*g as i64));
            widths.push(Object::Array(vec![Object::Integer(w.round() as i64)]));
        }
        let cid = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => Object::Name(self.name.as_bytes().to_vec()),
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor,
            "CIDToGIDMap" => "Identity",
            "W" => widths,
        });
        // ToUnicode, so the appearance text can be copied and searched.
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.used.iter().collect();
        for chunk in entries.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (g, c) in chunk {
                let mut units = [0u16; 2];
                let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
                cmap.push_str(&format!("<{g:04X}> <{hex}>\n"));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
        Ok(doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => Object::Name(self.name.as_bytes().to_vec()),
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Reference(cid)],
            "ToUnicode" => to_unicode,
        }))
    }
}

/// Lines of the appearance: (bold?, text).
pub fn lines(signer: &str, title: &str, organisation: &str, time: &str) -> Vec<(bool, String)> {
    let mut out = vec![(true, nfc(&format!("Ký bởi: {signer}")))];
    if !title.trim().is_empty() {
        out.push((false, nfc(&format!("Chức vụ: {}", title.trim()))));
    }
    if !organisation.trim().is_empty() {
        out.push((false, nfc(&format!("Cơ quan: {}", organisation.trim()))));
    }
    out.push((false, nfc(&format!("Thời gian ký: {time}"))));
    out
}

/// Builds the form XObject of size `w` × `h` showing `lines`; returns its id.
pub fn form(doc: &mut Document, w: f32, h: f32, lines: &[(bool, String)]) -> Result<ObjectId> {
    let mut regular = Face::new(FONT, "LiberationSerif")?;
    let mut bold = Face::new(FONT_BOLD, "LiberationSerif-Bold")?;
    let pad = 4.0;
    // The largest size (at most 11 pt) at which every line fits.
    let mut size: f32 = 11.0;
    let widest = |s: f32, r: &Face, b: &Face| {
        lines.iter().map(|(is_b, t)| if *is_b { b.width(t, s) } else { r.width(t, s) }).fold(0.0, f32::max)
    };
    while size > 5.0
        && (widest(size, &regular, &bold) > w - 2.0 * pad || lines.len() as f32 * size * 1.2 > h - 2.0 * pad)
    {
        size -= 0.5;
    }
    let lead = size * 1.2;
    let block = lines.len() as f32 * lead;
    let mut y = (h + block) / 2.0 - size;
    let mut ops = String::new();
    // A thin blue frame and blue text, as signed documents usually show.
    ops.push_str(&format!("q 0 0.2 0.6 RG 0.6 w 0.3 0.3 {:.2} {:.2} re S Q\n", w - 0.6, h - 0.6));
    ops.push_str("q BT 0 0.2 0.6 rg\n");
    for (is_bold, text) in lines {
        let (face, name) = if *is_bold { (&mut bold, "F2") } else { (&mut regular, "F1") };
        let tw = face.width(text, size);
        let x = ((w - tw) / 2.0).max(pad);
        let hex = face.encode(text);
        ops.push_str(&format!("/{name} {size:.1} Tf 1 0 0 1 {x:.2} {y:.2} Tm <{hex}> Tj\n"));
        y -= lead;
    }
    ops.push_str("ET Q\n");
    let f1 = regular.embed(doc)?;
    let f2 = bold.embed(doc)?;
    let mut stream = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
        },
        ops.into_bytes(),
    );
    let _ = stream.compress();
    Ok(doc.add_object(stream))
}

/// A PDF text string: UTF-16BE with a byte-order mark, so Vietnamese reads right.
pub fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}
