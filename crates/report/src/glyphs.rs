//! The check every rendering makes before it starts: each character of the document is one
//! its font has. The PDF finds a missing glyph as it lays text out; DOCX and XLSX leave the
//! fonts to Word and Excel, so they run this first. Apart from `compose` (which builds
//! documents) and the renderers (which call it), so neither depends on the other.

use crate::fonts::{Metrics, Style};
use crate::text::normalize;
use crate::{Block, Document, RenderError};

/// Every text of the document, for checks that look at all of it.
fn all_texts(doc: &Document) -> Vec<&str> {
    let h = &doc.header;
    let mut out = vec![
        h.parent_body.as_str(),
        h.issuing_body.as_str(),
        h.number.as_str(),
        h.place.as_str(),
        doc.doc_type.as_str(),
        doc.title.as_str(),
        doc.signature.authority.as_str(),
        doc.signature.title.as_str(),
        doc.signature.name.as_str(),
    ];
    fn blocks<'a>(out: &mut Vec<&'a str>, bs: &'a [Block]) {
        for b in bs {
            match b {
                Block::Heading(t) | Block::Paragraph(t) => out.push(t),
                Block::Table(t) => {
                    out.extend(t.columns.iter().map(|c| c.title.as_str()));
                    out.extend(t.rows.iter().flatten().map(String::as_str));
                }
            }
        }
    }
    blocks(&mut out, &doc.blocks);
    out.extend(doc.recipients.iter().map(String::as_str));
    for a in &doc.appendices {
        out.extend([a.label.as_str(), a.title.as_str(), a.note.as_str()]);
        blocks(&mut out, &a.blocks);
    }
    out
}

/// The same check the PDF makes, for the DOCX and XLSX: a character the document's font
/// (Times New Roman; Liberation Serif has its coverage) lacks is an error naming it, rather
/// than a box in Word.
pub(crate) fn check_glyphs(doc: &Document) -> Result<(), RenderError> {
    let m = Metrics::load()?;
    for t in all_texts(doc) {
        let t = normalize(t);
        for c in t.chars().filter(|c| !matches!(c, '\n' | '\u{a0}')) {
            m.char_units(Style::Regular, c, &t)?;
        }
    }
    Ok(())
}
