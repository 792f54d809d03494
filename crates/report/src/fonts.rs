//! The embedded fonts and their metrics.
//!
//! Liberation Serif has Times New Roman's metrics (what Decree 30 names) and covers
//! Vietnamese in all four faces; it is licensed under the SIL OFL 1.1
//! (assets/fonts/LICENSE-LiberationSerif-OFL.txt).

use std::collections::HashMap;

use crate::RenderError;

pub(crate) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");
pub(crate) static ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf");
pub(crate) static BOLD_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub(crate) const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => REGULAR,
            Style::Bold => BOLD,
            Style::Italic => ITALIC,
            Style::BoldItalic => BOLD_ITALIC,
        }
    }
}

/// Advance widths, in the same unit printpdf writes to the PDF's /W array: thousandths of
/// an em, truncated to an integer. Measuring with exactly those numbers makes our line
/// widths (and so justification) agree with what the viewer computes.
pub(crate) struct Metrics {
    faces: Vec<ttf_parser::Face<'static>>,
    cache: std::cell::RefCell<HashMap<(Style, char), u32>>,
}

impl Metrics {
    pub(crate) fn load() -> Result<Self, RenderError> {
        let faces = Style::ALL
            .iter()
            .map(|s| {
                ttf_parser::Face::parse(s.bytes(), 0)
                    .map_err(|e| RenderError::Pdf(format!("không đọc được phông chữ: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { faces, cache: Default::default() })
    }

    /// Width of one character in thousandths of an em; a character the face lacks is an
    /// error, since printpdf would silently draw glyph 0 (an empty box) instead.
    pub(crate) fn char_units(&self, style: Style, c: char, context: &str) -> Result<u32, RenderError> {
        if let Some(w) = self.cache.borrow().get(&(style, c)) {
            return Ok(*w);
        }
        let face = &self.faces[style.index()];
        let gid = face.glyph_index(c).filter(|g| g.0 != 0).ok_or_else(|| RenderError::missing_glyph(c, context))?;
        let adv = face.glyph_hor_advance(gid).unwrap_or(0) as f32;
        let units = (adv * 1000.0 / face.units_per_em() as f32) as u32;
        self.cache.borrow_mut().insert((style, c), units);
        Ok(units)
    }

    /// Width of `text` in points at `size`.
    pub(crate) fn width(&self, style: Style, size: f32, text: &str) -> Result<f32, RenderError> {
        let mut units = 0u32;
        for c in text.chars() {
            units += self.char_units(style, c, text)?;
        }
        Ok(units as f32 * size / 1000.0)
    }
}
