//! The appendix tables as an XLSX workbook: one sheet, each table under its title and
//! "(Kèm theo …)" line, bordered cells with wrapped text, the header row repeated on every
//! printed page, A4 fitted to the page width.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::layout as l;
use crate::text::{normalize, upper};
use crate::{Align, Block, ColumnWidth, Document, RenderError};

const FONT: &str = "Times New Roman";

fn err(e: XlsxError) -> RenderError {
    RenderError::Xlsx(e.to_string())
}

/// The appendix tables of the document as a .xlsx file (bytes).
pub fn render_xlsx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    crate::glyphs::check_glyphs(doc)?;
    let tables: Vec<(&crate::Appendix, &crate::Table)> = doc
        .appendices
        .iter()
        .flat_map(|a| a.blocks.iter().filter_map(move |b| if let Block::Table(t) = b { Some((a, t)) } else { None }))
        .collect();
    if tables.is_empty() {
        return Err(RenderError::InvalidTable("báo cáo không có bảng phụ lục để xuất ra Excel".into()));
    }
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phụ lục").map_err(err)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0); // one page wide, as many tall as needed
    ws.set_margins(l::MARGIN_LEFT as f64 / 72.0 * 0.6, l::MARGIN_RIGHT as f64 / 72.0, 0.8, 0.8, 0.3, 0.3);

    let base = Format::new().set_font_name(FONT).set_font_size(12);
    let title = base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap();
    let note = base.clone().set_italic().set_align(FormatAlign::Center).set_text_wrap();
    let head = base
        .clone()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = |a: Align| {
        let f = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
        match a {
            Align::Left => f.set_align(FormatAlign::Left),
            Align::Center => f.set_align(FormatAlign::Center),
            Align::Right => f.set_align(FormatAlign::Right),
        }
    };

    let mut row: u32 = 0;
    let mut widths_set = false;
    let mut chars: Vec<f32> = Vec::new();
    for (a, t) in tables {
        let last_col = (t.columns.len().max(1) - 1) as u16;
        if !widths_set {
            // Column widths in characters (about 2 mm each), the same proportions as the PDF.
            let fixed: f32 =
                t.columns.iter().filter_map(|c| if let ColumnWidth::Mm(v) = c.width { Some(v) } else { None }).sum();
            let weights: f32 = t
                .columns
                .iter()
                .filter_map(|c| if let ColumnWidth::Weight(w) = c.width { Some(w) } else { None })
                .sum();
            let rest = (l::CONTENT_WIDTH / l::PT_PER_MM - fixed).max(0.0);
            for (i, c) in t.columns.iter().enumerate() {
                let mm = match c.width {
                    ColumnWidth::Mm(v) => v,
                    ColumnWidth::Weight(w) if weights > 0.0 => rest * w / weights,
                    ColumnWidth::Weight(_) => 20.0,
                };
                let w = (mm / 2.0).max(4.0);
                chars.push(w);
                ws.set_column_width(i as u16, w as f64).map_err(err)?;
            }
            widths_set = true;
        }
        ws.merge_range(row, 0, row, last_col, &normalize(&a.label), &title).map_err(err)?;
        row += 1;
        ws.merge_range(row, 0, row, last_col, &upper(&a.title), &title).map_err(err)?;
        ws.set_row_height(row, 36).map_err(err)?;
        row += 1;
        if !a.note.trim().is_empty() {
            ws.merge_range(row, 0, row, last_col, &normalize(&a.note), &note).map_err(err)?;
            ws.set_row_height(row, 32).map_err(err)?;
            row += 1;
        }
        row += 1;
        for (i, c) in t.columns.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, normalize(&c.title), &head).map_err(err)?;
        }
        ws.set_repeat_rows(row, row).map_err(err)?;
        ws.set_row_height(row, 34).map_err(err)?;
        row += 1;
        for r in &t.rows {
            let mut lines = 1.0f32;
            for (i, c) in t.columns.iter().enumerate() {
                let text = r.get(i).map(|s| normalize(s)).unwrap_or_default();
                // Spreadsheet programs do not grow a row for wrapped text on their own when
                // they open a generated file: its height is estimated from the text's length.
                let per_line = chars.get(i).copied().unwrap_or(20.0) * 1.6;
                lines = lines.max((text.chars().count() as f32 / per_line).ceil());
                ws.write_string_with_format(row, i as u16, text, &cell(c.align)).map_err(err)?;
            }
            ws.set_row_height(row, (lines * 15.5 + 3.0) as f64).map_err(err)?;
            row += 1;
        }
        row += 1;
    }
    wb.save_to_buffer().map_err(err)
}
