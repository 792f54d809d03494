//! The document as DOCX, in the Decree 30 layout as far as Word allows: A4 and the same
//! margins, Times New Roman, the two-column header as a borderless table, rules drawn as
//! paragraph borders cut to the text's width, the body justified with a first-line indent,
//! "Nơi nhận" and the signature block side by side, page numbers in the top margin from page 2.
//! The numbers are those of [`crate::layout`].

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Header as DocxHeader, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType,
    Table as DocxTable, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::fonts::{Metrics, Style};
use crate::layout as l;
use crate::text::{normalize, upper};
use crate::{Align, Block, ColumnWidth, Document, RenderError, MOTTO, NATIONAL_NAME};

const FONT: &str = "Times New Roman";

/// Points to twentieths of a point (Word's "dxa").
fn tw(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Font size in half-points.
fn hp(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

fn run(text: &str, size: f32) -> Run {
    Run::new().add_text(normalize(text)).size(hp(size))
}

/// A paragraph of `text` with '\n' as line breaks inside it.
fn lines_para(text: &str, size: f32, bold: bool, italic: bool) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(line.trim(), size);
        if i > 0 {
            r = Run::new().add_break(BreakType::TextWrapping).add_text(normalize(line.trim())).size(hp(size));
        }
        if bold {
            r = r.bold();
        }
        if italic {
            r = r.italic();
        }
        p = p.add_run(r);
    }
    p
}

fn single(p: Paragraph) -> Paragraph {
    p.line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(0))
}

fn centred(p: Paragraph) -> Paragraph {
    single(p).align(AlignmentType::Center)
}

/// A rule `width` points long, centred in a column `col` points wide, just under the
/// paragraph before it: the bottom border of an empty paragraph one point high, indented so
/// the border has that length.
fn rule(width: f32, col: f32, after: f32) -> Paragraph {
    let side = tw(((col - width) / 2.0).max(0.0));
    Paragraph::new()
        .size(2)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new().line_rule(LineSpacingType::Exact).line(tw(1.0)).before(0).after(tw(after) as u32),
        )
        .set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .val(BorderType::Single)
                    .size(6)
                    .space(1)
                    .color("000000"),
            ),
        )
}

fn cell(width: f32) -> TableCell {
    TableCell::new().width(tw(width) as usize, WidthType::Dxa)
}

fn header_table(doc: &Document, m: &Metrics) -> Result<DocxTable, RenderError> {
    let h = &doc.header;
    let lw = l::HEADER_LEFT_WIDTH;
    let rw = l::CONTENT_WIDTH - lw;
    let mut left = cell(lw);
    if !h.parent_body.trim().is_empty() {
        left = left.add_paragraph(centred(lines_para(&upper(&h.parent_body), l::PARENT_BODY_SIZE, false, false)));
    }
    let body = upper(&h.issuing_body);
    let widest = body
        .split('\n')
        .map(|s| m.width(Style::Bold, l::ISSUING_BODY_SIZE, s.trim()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .fold(0.0, f32::max);
    left = left.add_paragraph(centred(lines_para(&body, l::ISSUING_BODY_SIZE, true, false))).add_paragraph(rule(
        widest.min(lw) * l::ISSUING_BODY_RULE_FRACTION,
        lw,
        0.0,
    ));
    let motto_w = m.width(Style::Bold, l::MOTTO_SIZE, MOTTO)?;
    let right = cell(rw)
        .add_paragraph(centred(lines_para(NATIONAL_NAME, l::NATIONAL_NAME_SIZE, true, false)))
        .add_paragraph(centred(lines_para(MOTTO, l::MOTTO_SIZE, true, false)))
        .add_paragraph(rule(motto_w, rw, 0.0));
    let num_cell = cell(lw).add_paragraph(
        centred(lines_para(&crate::number_line(&h.number), l::NUMBER_SIZE, false, false))
            .line_spacing(LineSpacing::new().before(tw(l::HEADER_TO_NUMBER_GAP) as u32)),
    );
    let date_cell = cell(rw).add_paragraph(
        centred(lines_para(&crate::date_line(&h.place, h.date)?, l::DATE_SIZE, false, true))
            .line_spacing(LineSpacing::new().before(tw(l::HEADER_TO_NUMBER_GAP) as u32)),
    );
    Ok(DocxTable::without_borders(vec![TableRow::new(vec![left, right]), TableRow::new(vec![num_cell, date_cell])])
        .layout(TableLayoutType::Fixed)
        .set_grid(vec![tw(lw) as usize, tw(rw) as usize])
        .width(tw(l::CONTENT_WIDTH) as usize, WidthType::Dxa)
        .indent(0))
}

fn body_para(text: &str, bold: bool) -> Paragraph {
    let mut r = run(text.trim(), l::BODY_SIZE);
    if bold {
        r = r.bold();
    }
    Paragraph::new()
        .add_run(r)
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(tw(l::FIRST_LINE_INDENT))), None, None)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::AtLeast)
                .line(tw(l::BODY_SIZE * l::BODY_LINE_SPACING))
                .before(0)
                .after(tw(l::PARAGRAPH_SPACING) as u32),
        )
}

fn table(t: &crate::Table) -> Result<DocxTable, RenderError> {
    let fixed: f32 =
        t.columns.iter().filter_map(|c| if let ColumnWidth::Mm(v) = c.width { Some(l::mm(v)) } else { None }).sum();
    let weights: f32 =
        t.columns.iter().filter_map(|c| if let ColumnWidth::Weight(w) = c.width { Some(w) } else { None }).sum();
    let rest = (l::CONTENT_WIDTH - fixed).max(0.0);
    let widths: Vec<f32> = t
        .columns
        .iter()
        .map(|c| match c.width {
            ColumnWidth::Mm(v) => l::mm(v),
            ColumnWidth::Weight(w) if weights > 0.0 => rest * w / weights,
            ColumnWidth::Weight(_) => 0.0,
        })
        .collect();
    if t.columns.is_empty() {
        return Err(RenderError::InvalidTable("bảng không có cột nào".into()));
    }
    let align = |a: Align| match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    };
    let cell_para = |text: &str, a: AlignmentType, bold: bool| {
        let mut p = single(lines_para(text, l::TABLE_SIZE, bold, false)).align(a);
        p = p.line_spacing(LineSpacing::new().before(tw(l::CELL_PADDING_Y) as u32).after(tw(l::CELL_PADDING_Y) as u32));
        p
    };
    let mut rows = vec![TableRow::new(
        t.columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                cell(*w).vertical_align(VAlignType::Center).add_paragraph(cell_para(
                    &c.title,
                    AlignmentType::Center,
                    true,
                ))
            })
            .collect(),
    )
    .cant_split()];
    for r in &t.rows {
        rows.push(TableRow::new(
            t.columns
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    cell(*w).add_paragraph(cell_para(r.get(i).map(String::as_str).unwrap_or(""), align(c.align), false))
                })
                .collect(),
        ));
    }
    Ok(DocxTable::new(rows)
        .layout(TableLayoutType::Fixed)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(tw(l::CONTENT_WIDTH) as usize, WidthType::Dxa)
        .indent(0))
}

fn blocks(mut d: Docx, bs: &[Block]) -> Result<Docx, RenderError> {
    for b in bs {
        d = match b {
            Block::Heading(t) => d.add_paragraph(body_para(t, true).keep_next(true)),
            Block::Paragraph(t) => {
                for p in t.split('\n').filter(|p| !p.trim().is_empty()) {
                    d = d.add_paragraph(body_para(p, false));
                }
                d
            }
            Block::Table(t) => d.add_table(table(t)?).add_paragraph(single(Paragraph::new())),
        };
    }
    Ok(d)
}

fn closing_table(doc: &Document) -> DocxTable {
    let lw = l::CLOSING_LEFT_WIDTH;
    let rw = l::CONTENT_WIDTH - lw;
    let mut left = cell(lw);
    let n = doc.recipients.len();
    if n > 0 {
        left = left.add_paragraph(single(lines_para("Nơi nhận:", l::RECIPIENTS_LABEL_SIZE, true, true)));
        for (i, r) in doc.recipients.iter().enumerate() {
            let mut r = normalize(r.trim());
            if !r.ends_with([';', '.', ',', ':']) {
                r.push(if i + 1 == n { '.' } else { ';' });
            }
            left = left.add_paragraph(single(lines_para(&format!("- {r}"), l::RECIPIENTS_SIZE, false, false)));
        }
    } else {
        left = left.add_paragraph(Paragraph::new());
    }
    let s = &doc.signature;
    let mut right = cell(rw);
    for t in [&s.authority, &s.title] {
        if !t.trim().is_empty() {
            right = right
                .add_paragraph(centred(lines_para(&upper(t), l::SIGNATURE_TITLE_SIZE, true, false)).keep_next(true));
        }
    }
    right = right.add_paragraph(
        centred(lines_para(&s.name, l::SIGNER_NAME_SIZE, true, false))
            .line_spacing(LineSpacing::new().before(tw(l::SIGNATURE_SPACE) as u32)),
    );
    DocxTable::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
        .layout(TableLayoutType::Fixed)
        .set_grid(vec![tw(lw) as usize, tw(rw) as usize])
        .width(tw(l::CONTENT_WIDTH) as usize, WidthType::Dxa)
        .indent(0)
}

/// The document as a .docx file (bytes). Refuses a character the font lacks, like the PDF.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    crate::glyphs::check_glyphs(doc)?;
    let m = Metrics::load()?;
    let page_no = DocxHeader::new()
        .add_paragraph(centred(Paragraph::new().add_page_num(PageNum::new()).size(hp(l::PAGE_NUMBER_SIZE))));
    let to_tw = |v: f32| tw(v);
    let mut d = Docx::new()
        .page_size(tw(l::PAGE_WIDTH) as u32, tw(l::PAGE_HEIGHT) as u32)
        .page_margin(
            PageMargin::new()
                .top(to_tw(l::MARGIN_TOP))
                .bottom(to_tw(l::MARGIN_BOTTOM))
                .left(to_tw(l::MARGIN_LEFT))
                .right(to_tw(l::MARGIN_RIGHT))
                .header(to_tw(l::PAGE_NUMBER_BASELINE - l::PAGE_NUMBER_SIZE))
                .footer(to_tw(l::mm(10.0))),
        )
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(hp(l::BODY_SIZE))
        .header(page_no)
        .first_header(DocxHeader::new());

    d = d.add_table(header_table(doc, &m)?);
    // Document type and summary (item 5), the short rule under the summary.
    d = d.add_paragraph(
        centred(lines_para(&upper(&doc.doc_type), l::DOC_TYPE_SIZE, true, false))
            .line_spacing(LineSpacing::new().before(tw(l::NUMBER_TO_TYPE_GAP) as u32)),
    );
    let title_w = m.width(Style::Bold, l::TITLE_SIZE, &normalize(&doc.title))?.min(l::TITLE_MAX_WIDTH);
    let side = tw((l::CONTENT_WIDTH - l::TITLE_MAX_WIDTH) / 2.0);
    d = d.add_paragraph(centred(lines_para(&doc.title, l::TITLE_SIZE, true, false)).indent(
        Some(side),
        None,
        Some(side),
        None,
    ));
    d = d.add_paragraph(rule(title_w * l::TITLE_RULE_FRACTION, l::CONTENT_WIDTH, l::TITLE_TO_BODY_GAP));
    d = blocks(d, &doc.blocks)?;
    d = d.add_table(closing_table(doc));
    for a in &doc.appendices {
        d = d.add_paragraph(centred(lines_para(&a.label, l::APPENDIX_LABEL_SIZE, true, false)).page_break_before(true));
        d = d.add_paragraph(centred(lines_para(&upper(&a.title), l::APPENDIX_TITLE_SIZE, true, false)));
        if !a.note.trim().is_empty() {
            d = d.add_paragraph(centred(lines_para(&a.note, l::APPENDIX_NOTE_SIZE, false, true)));
        }
        d = d.add_paragraph(single(Paragraph::new()).size(hp(6.0)));
        d = blocks(d, &a.blocks)?;
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut buf).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
