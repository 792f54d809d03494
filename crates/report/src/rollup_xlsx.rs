//! The roll-up for the level above as an XLSX workbook: the same tables as the printed page
//! (communes with their states in their colours, targets, the year's grid), in the layout of
//! the report appendix's workbook (`xlsx.rs`): Times New Roman, bordered wrapped cells, A4
//! fitted to the page width.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::rollup::{period_label_vi, tables, totals_line, RollupPrint, GRID_LEGEND, ROLLUP_TITLE};
use crate::text::{normalize, upper};
use crate::{Align, ColumnWidth, RenderError, Table};

const FONT: &str = "Times New Roman";

fn err(e: XlsxError) -> RenderError {
    RenderError::Xlsx(e.to_string())
}

/// "#43a047" as the spreadsheet's colour.
fn colour(hex: &str) -> Color {
    Color::RGB(u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xffffff))
}

struct Formats {
    title: Format,
    line: Format,
    head: Format,
    base: Format,
}

/// Writes `t` from `row` on, in columns `widths` characters wide, each cell filled as `fills`
/// says; returns the row after it.
fn write_table(
    ws: &mut Worksheet,
    f: &Formats,
    mut row: u32,
    t: &Table,
    widths: &[f64],
    fills: &[Vec<Option<&'static str>>],
    bold_rows: usize,
) -> Result<u32, RenderError> {
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, normalize(&c.title), &f.head).map_err(err)?;
    }
    ws.set_row_height(row, 34).map_err(err)?;
    row += 1;
    for (r, cells) in t.rows.iter().enumerate() {
        // Spreadsheet programs do not grow a row for wrapped text on their own when they open
        // a generated file: its height is estimated from the text's length (as in xlsx.rs).
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(text, w)| (text.chars().count() as f64 / (w * 1.6)).ceil().max(1.0))
            .fold(1.0, f64::max);
        ws.set_row_height(row, lines * 15.5 + 3.0).map_err(err)?;
        let bold = r + bold_rows >= t.rows.len();
        for (i, c) in t.columns.iter().enumerate() {
            let mut fmt = f.base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
            fmt = match c.align {
                Align::Left => fmt.set_align(FormatAlign::Left),
                Align::Center => fmt.set_align(FormatAlign::Center),
                Align::Right => fmt.set_align(FormatAlign::Right),
            };
            if bold {
                fmt = fmt.set_bold();
            }
            if let Some(Some(hex)) = fills.get(r).and_then(|f| f.get(i)) {
                fmt = fmt.set_background_color(colour(hex));
            }
            let text = cells.get(i).map(|s| normalize(s)).unwrap_or_default();
            ws.write_string_with_format(row, i as u16, text, &fmt).map_err(err)?;
        }
        row += 1;
    }
    Ok(row + 1)
}

/// Column widths in characters (about 2 mm each), as the PDF's proportions.
fn widths(t: &Table, total_mm: f32) -> Vec<f64> {
    let fixed: f32 =
        t.columns.iter().filter_map(|c| if let ColumnWidth::Mm(v) = c.width { Some(v) } else { None }).sum();
    let weights: f32 =
        t.columns.iter().filter_map(|c| if let ColumnWidth::Weight(w) = c.width { Some(w) } else { None }).sum();
    let rest = (total_mm - fixed).max(0.0);
    t.columns
        .iter()
        .map(|c| match c.width {
            ColumnWidth::Mm(v) => v,
            ColumnWidth::Weight(w) if weights > 0.0 => rest * w / weights,
            ColumnWidth::Weight(_) => 20.0,
        })
        .map(|mm| (mm / 2.0).max(2.0) as f64)
        .collect()
}

/// The roll-up as a .xlsx file (bytes): a sheet "Tổng hợp" with the title, the unit, the
/// period, completeness and timeliness and the communes' table; a sheet "Chỉ tiêu" with the
/// targets and a sheet "Cả năm" with the communes × months grid, when there are any.
pub fn render_rollup_xlsx(r: &RollupPrint) -> Result<Vec<u8>, RenderError> {
    let period = period_label_vi(&r.period)?;
    let title = if r.title.trim().is_empty() { ROLLUP_TITLE } else { r.title.as_str() };
    let t = tables(r);
    let base = Format::new().set_font_name(FONT).set_font_size(12);
    let f = Formats {
        title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
        line: base.clone().set_bold(),
        head: base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        base,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp").map_err(err)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    let commune_widths = widths(&t.communes, 165.0);
    for (i, w) in commune_widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(err)?;
    }
    let last = (t.communes.columns.len() - 1) as u16;
    let mut row = 0;
    for (text, fmt) in [(upper(title), &f.title), (normalize(r.unit.trim()), &f.title)] {
        ws.merge_range(row, 0, row, last, &text, fmt).map_err(err)?;
        row += 1;
    }
    let italic = f.base.clone().set_italic().set_align(FormatAlign::Center);
    ws.merge_range(row, 0, row, last, &format!("Kỳ báo cáo: {period}"), &italic).map_err(err)?;
    row += 2;
    let line = match &r.totals {
        Some(tot) => totals_line(tot),
        None => format!("Đã có báo cáo: {}/{} xã", r.reported, r.communes.len()),
    };
    ws.write_string_with_format(row, 0, &line, &f.line).map_err(err)?;
    row += 2;
    write_table(ws, &f, row, &t.communes, &commune_widths, &t.commune_fills, 1)?;
    // The targets on a sheet of their own: their columns are not the communes' columns.
    if !t.targets.rows.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("Chỉ tiêu").map_err(err)?;
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        let w = widths(&t.targets, 165.0);
        for (i, w) in w.iter().enumerate() {
            ws.set_column_width(i as u16, *w).map_err(err)?;
        }
        let last = (t.targets.columns.len() - 1) as u16;
        ws.merge_range(0, 0, 0, last, "CHỈ TIÊU CỦA CÁC XÃ (CỘNG)", &f.title).map_err(err)?;
        write_table(ws, &f, 2, &t.targets, &w, &[], 0)?;
    }
    if let Some(grid) = &t.grid {
        let ws = wb.add_worksheet();
        ws.set_name("Cả năm").map_err(err)?;
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        let mut w = vec![30.0];
        w.extend([6.0; 12]);
        for (i, w) in w.iter().enumerate() {
            ws.set_column_width(i as u16, *w).map_err(err)?;
        }
        let year = r.grid_year.map(|y| format!(" năm {y}")).unwrap_or_default();
        ws.merge_range(0, 0, 0, 12, &format!("BÁO CÁO HẰNG THÁNG CỦA CÁC XÃ{}", upper(&year)), &f.title)
            .map_err(err)?;
        let next = write_table(ws, &f, 2, grid, &w, &t.grid_fills, 0)?;
        ws.write_string_with_format(next, 0, GRID_LEGEND, &f.base.clone().set_italic()).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
