//! PDF rendering with printpdf's low-level operations: we place every line ourselves.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
pub(crate) use printpdf::Rgb;
use printpdf::{
    Color, FontId, Line as PdfLine, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, TextItem, TextMatrix, WindingOrder,
};

use crate::fonts::{Metrics, Style};
use crate::layout::{self as l, mm};
use crate::text::{normalize, upper, wrap, Line};
use crate::{date_line, Align, Appendix, Block, ColumnWidth, Document, RenderError, Table};

/// Renders `doc` as an A4 PDF in the Decree 30 layout. `created` becomes the PDF's creation
/// (and modification) date.
///
/// Fails, and writes nothing, when a character is missing from the embedded font, the date
/// is impossible, or a table does not fit the page.
pub fn render_pdf(doc: &Document, created: DateTime<FixedOffset>) -> Result<Vec<u8>, RenderError> {
    let metrics = Metrics::load()?;
    let (pdf, font_ids) = start_pdf(&format!("{} {}", upper(&doc.doc_type), doc.title))?;

    let mut c = Composer::new(&metrics, font_ids);
    c.new_page()?;
    c.header(doc)?;
    c.title(doc)?;
    // The signature must not stand alone on a page: the last paragraph goes with it.
    let closing = c.measure_closing(doc)?;
    c.blocks(&doc.blocks, closing.height + l::CLOSING_GAP)?;
    let sig_top = c.closing(closing)?;
    let sig_page = c.pages.len();
    for appendix in &doc.appendices {
        c.appendix(appendix)?;
    }

    // Marks a kehoach report for the signer, with the signature space (1-based page, then x y w h
    // in PDF points from the bottom left) where the visible signature goes.
    let keywords = vec![
        "kehoach-report".into(),
        format!(
            "kehoach-signature-box={sig_page} {:.1} {:.1} {:.1} {:.1}",
            l::MARGIN_LEFT + l::CLOSING_LEFT_WIDTH,
            l::PAGE_HEIGHT - sig_top - l::SIGNATURE_SPACE,
            l::CONTENT_WIDTH - l::CLOSING_LEFT_WIDTH,
            l::SIGNATURE_SPACE
        ),
    ];
    save_pdf(pdf, c.pages, created, keywords)
}

/// A new PDF titled `title` (NFC), with the four faces of the font added; the font ids are in
/// the order of [`Style::ALL`].
pub(crate) fn start_pdf(title: &str) -> Result<(PdfDocument, Vec<FontId>), RenderError> {
    let mut pdf = PdfDocument::new(&normalize(title));
    let mut font_ids = Vec::new();
    for style in Style::ALL {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(style.bytes(), 0, &mut warnings)
            .ok_or_else(|| RenderError::Pdf(format!("không nạp được phông chữ {style:?}")))?;
        font_ids.push(pdf.add_font(&parsed));
    }
    Ok((pdf, font_ids))
}

/// Puts the laid-out pages (A4) into `pdf` and writes it, dated `created`, with `keywords`
/// as its /Keywords.
pub(crate) fn save_pdf(
    mut pdf: PdfDocument,
    pages: Vec<Vec<Op>>,
    created: DateTime<FixedOffset>,
    keywords: Vec<String>,
) -> Result<Vec<u8>, RenderError> {
    let pages = pages.into_iter().map(|ops| PdfPage::new(Mm(l::PAGE_WIDTH_MM), Mm(l::PAGE_HEIGHT_MM), ops)).collect();
    // printpdf writes dates as UTC ("+00'00'"), so hand it the UTC instant.
    let utc = created.with_timezone(&Utc);
    let stamp = printpdf::DateTime::new_in_offset(
        printpdf::Date { year: utc.year(), month: utc.month() as u8, day: utc.day() as u8 },
        printpdf::Time {
            hour: utc.hour() as u8,
            minute: utc.minute() as u8,
            second: utc.second() as u8,
            millisecond: 0,
        },
        printpdf::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    );
    let info = &mut pdf.metadata.info;
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;
    info.creator = "kehoach".into();
    info.producer = "kehoach (printpdf)".into();
    info.keywords = keywords;
    pdf.with_pages(pages);
    let mut warnings = Vec::new();
    let bytes = pdf.save(&PdfSaveOptions::default(), &mut warnings);
    // printpdf reports problems (text outside a text section, a font it could not embed)
    // as warnings next to a file it still writes; a report that may print wrong is refused.
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(RenderError::Pdf(w.msg.clone()));
    }
    Ok(bytes)
}

/// Horizontal placement of a line inside a box.
#[derive(Clone, Copy, PartialEq)]
enum HAlign {
    Left,
    Center,
    Right,
    /// Justified, except the last line of a paragraph (left).
    Justify,
}

impl From<Align> for HAlign {
    fn from(a: Align) -> Self {
        match a {
            Align::Left => HAlign::Left,
            Align::Center => HAlign::Center,
            Align::Right => HAlign::Right,
        }
    }
}

/// Lays content out top to bottom; `y` is the cursor measured from the top edge, in points.
pub(crate) struct Composer<'a> {
    m: &'a Metrics,
    fonts: Vec<FontId>,
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) y: f32,
    /// Page number within the main document or the current appendix.
    section_page: u32,
}

impl<'a> Composer<'a> {
    /// Nothing laid out yet: call [`Composer::new_page`] first. `fonts` as from [`start_pdf`].
    pub(crate) fn new(m: &'a Metrics, fonts: Vec<FontId>) -> Self {
        Composer { m, fonts, pages: Vec::new(), y: 0.0, section_page: 0 }
    }

    fn bottom(&self) -> f32 {
        l::PAGE_HEIGHT - l::MARGIN_BOTTOM
    }

    fn remaining(&self) -> f32 {
        self.bottom() - self.y
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page is open")
    }

    pub(crate) fn new_page(&mut self) -> Result<(), RenderError> {
        self.pages.push(Vec::new());
        self.section_page += 1;
        self.y = l::MARGIN_TOP;
        if self.section_page >= 2 {
            // Decree 30: numbered from the second page, centred in the top margin.
            let n = self.section_page.to_string();
            let w = self.m.width(Style::Regular, l::PAGE_NUMBER_SIZE, &n)?;
            let x = l::MARGIN_LEFT + (l::CONTENT_WIDTH - w) / 2.0;
            self.show(Style::Regular, l::PAGE_NUMBER_SIZE, x, l::PAGE_NUMBER_BASELINE, vec![TextItem::Text(n)]);
        }
        Ok(())
    }

    /// Draws one text run with its baseline at `baseline` (from the top edge).
    fn show(&mut self, style: Style, size: f32, x: f32, baseline: f32, items: Vec<TextItem>) {
        let font = PdfFontHandle::External(self.fonts[style.index()].clone());
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont { font, size: Pt(size) });
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x), Pt(l::PAGE_HEIGHT - baseline)) });
        ops.push(Op::ShowText { items });
        ops.push(Op::EndTextSection);
    }

    /// Draws `line` inside the box [x, x + width] with its baseline at `baseline`.
    #[allow(clippy::too_many_arguments)]
    fn draw_line(
        &mut self,
        line: &Line,
        style: Style,
        size: f32,
        x: f32,
        width: f32,
        align: HAlign,
        last: bool,
        baseline: f32,
    ) {
        let n = line.words.len();
        if n == 0 {
            return;
        }
        if align == HAlign::Justify && !last && n > 1 && line.width < width {
            // Stretch each space by a TJ offset: the Tw operator has no effect on the
            // two-byte (Identity-H) strings of an embedded font.
            let extra = (width - line.width) / (n - 1) as f32;
            let offset = -extra * 1000.0 / size;
            let mut items = Vec::with_capacity(2 * n);
            for (i, w) in line.words.iter().enumerate() {
                if i + 1 < n {
                    items.push(TextItem::Text(format!("{w} ")));
                    items.push(TextItem::Offset(offset));
                } else {
                    items.push(TextItem::Text(w.clone()));
                }
            }
            self.show(style, size, x, baseline, items);
            return;
        }
        let dx = match align {
            HAlign::Left | HAlign::Justify => 0.0,
            HAlign::Center => (width - line.width) / 2.0,
            HAlign::Right => width - line.width,
        };
        self.show(style, size, x + dx, baseline, vec![TextItem::Text(line.words.join(" "))]);
    }

    /// A rectangle filled with `colour` (top-left corner given from the page's top edge); the
    /// fill colour goes back to black for the text drawn after it.
    pub(crate) fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, colour: Rgb) {
        let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(l::PAGE_HEIGHT - y) }, bezier: false };
        let ring = PolygonRing { points: vec![p(x, top), p(x + w, top), p(x + w, top + h), p(x, top + h)] };
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: Color::Rgb(colour) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon { rings: vec![ring], mode: PaintMode::Fill, winding_order: WindingOrder::NonZero },
        });
        ops.push(Op::SetFillColor { col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)) });
    }

    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine { line: segment(x1, y, x2, y) });
    }

    fn vline(&mut self, x: f32, y1: f32, y2: f32, thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine { line: segment(x, y1, x, y2) });
    }

    /// Centred lines in a column at a given top; returns the new top and the widest line.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn centred_lines(
        &mut self,
        text: &str,
        style: Style,
        size: f32,
        spacing: f32,
        x: f32,
        width: f32,
        top: f32,
    ) -> Result<(f32, f32), RenderError> {
        let lh = size * spacing;
        let mut y = top;
        let mut widest: f32 = 0.0;
        for line in wrap(self.m, style, size, text, width, width)? {
            widest = widest.max(line.width);
            self.draw_line(&line, style, size, x, width, HAlign::Center, true, y + l::baseline_in_box(size, lh));
            y += lh;
        }
        Ok((y, widest))
    }

    /// The two-column header: issuing body and number at left; national name, motto and
    /// date at right (Appendix I, Section II, items 1–4).
    fn header(&mut self, doc: &Document) -> Result<(), RenderError> {
        let h = &doc.header;
        let lx = l::MARGIN_LEFT;
        let lw = l::HEADER_LEFT_WIDTH;
        let rx = lx + lw;
        let rw = l::CONTENT_WIDTH - lw;
        let top = self.y;
        let sp = l::SINGLE_SPACING;

        // Left: parent body, issuing body, short rule.
        let mut yl = top;
        if !h.parent_body.trim().is_empty() {
            yl = self.centred_lines(&upper(&h.parent_body), Style::Regular, l::PARENT_BODY_SIZE, sp, lx, lw, yl)?.0;
        }
        let (y, widest) =
            self.centred_lines(&upper(&h.issuing_body), Style::Bold, l::ISSUING_BODY_SIZE, sp, lx, lw, yl)?;
        let rule = widest * l::ISSUING_BODY_RULE_FRACTION;
        let ry = y + l::RULE_GAP;
        self.hline(lx + (lw - rule) / 2.0, lx + (lw + rule) / 2.0, ry, l::RULE_THICKNESS);
        let yl = ry;

        // Right: national name, motto, a rule as long as the motto.
        let (y, _) = self.centred_lines(crate::NATIONAL_NAME, Style::Bold, l::NATIONAL_NAME_SIZE, sp, rx, rw, top)?;
        let (y, motto_w) = self.centred_lines(crate::MOTTO, Style::Bold, l::MOTTO_SIZE, sp, rx, rw, y)?;
        let ry = y + l::RULE_GAP;
        self.hline(rx + (rw - motto_w) / 2.0, rx + (rw + motto_w) / 2.0, ry, l::RULE_THICKNESS);
        let yr = ry;

        // Number (left) and place/date (right) share one line.
        let line_top = yl.max(yr) + l::HEADER_TO_NUMBER_GAP;
        let number = normalize(h.number.trim());
        let number = number.strip_prefix("Số:").map(str::trim).unwrap_or(&number);
        let number = crate::number_line(number);
        let lh = l::DATE_SIZE.max(l::NUMBER_SIZE) * sp;
        let baseline = line_top + l::baseline_in_box(l::DATE_SIZE.max(l::NUMBER_SIZE), lh);
        let mut y_after = line_top + lh;
        for (i, line) in wrap(self.m, Style::Regular, l::NUMBER_SIZE, &number, lw, lw)?.iter().enumerate() {
            let b = baseline + i as f32 * l::NUMBER_SIZE * sp;
            self.draw_line(line, Style::Regular, l::NUMBER_SIZE, lx, lw, HAlign::Center, true, b);
            y_after = y_after.max(b + l::DESCENT * l::NUMBER_SIZE);
        }
        let date = date_line(&normalize(&h.place), h.date)?;
        for (i, line) in wrap(self.m, Style::Italic, l::DATE_SIZE, &date, rw, rw)?.iter().enumerate() {
            let b = baseline + i as f32 * l::DATE_SIZE * sp;
            self.draw_line(line, Style::Italic, l::DATE_SIZE, rx, rw, HAlign::Center, true, b);
            y_after = y_after.max(b + l::DESCENT * l::DATE_SIZE);
        }
        self.y = y_after;
        Ok(())
    }

    /// Document type and summary, centred, with a short rule under the summary (item 5).
    fn title(&mut self, doc: &Document) -> Result<(), RenderError> {
        let sp = l::SINGLE_SPACING;
        let top = self.y + l::NUMBER_TO_TYPE_GAP;
        let (y, _) = self.centred_lines(
            &upper(&doc.doc_type),
            Style::Bold,
            l::DOC_TYPE_SIZE,
            sp,
            l::MARGIN_LEFT,
            l::CONTENT_WIDTH,
            top,
        )?;
        let x = l::MARGIN_LEFT + (l::CONTENT_WIDTH - l::TITLE_MAX_WIDTH) / 2.0;
        let (y, widest) = self.centred_lines(&doc.title, Style::Bold, l::TITLE_SIZE, sp, x, l::TITLE_MAX_WIDTH, y)?;
        let mut y = y;
        if widest > 0.0 {
            let rule = widest * l::TITLE_RULE_FRACTION;
            let ry = y + l::RULE_GAP;
            let cx = l::MARGIN_LEFT + l::CONTENT_WIDTH / 2.0;
            self.hline(cx - rule / 2.0, cx + rule / 2.0, ry, l::RULE_THICKNESS);
            y = ry;
        }
        self.y = y + l::TITLE_TO_BODY_GAP;
        Ok(())
    }

    /// Lays out the blocks; `keep_after` is the height of what must follow the last block on
    /// the same page (the signature), or 0.
    fn blocks(&mut self, blocks: &[Block], keep_after: f32) -> Result<(), RenderError> {
        let n = blocks.len();
        for (i, block) in blocks.iter().enumerate() {
            let keep = if i + 1 == n {
                keep_after
            } else if matches!((block, &blocks[i + 1]), (Block::Heading(_), Block::Heading(_))) {
                // A part heading directly followed by a section heading: keep both with the
                // start of the section's text.
                (1.0 + l::HEADING_KEEP_LINES) * l::BODY_SIZE * l::BODY_LINE_SPACING
            } else {
                0.0
            };
            match block {
                Block::Heading(t) => self.paragraph(t, Style::Bold, l::HEADING_SIZE, true, keep)?,
                Block::Paragraph(t) => self.paragraph(t, Style::Regular, l::BODY_SIZE, false, keep)?,
                Block::Table(t) => self.table(t)?,
            }
        }
        Ok(())
    }

    /// A justified paragraph with a first-line indent; '\n' separates paragraphs.
    pub(crate) fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        size: f32,
        heading: bool,
        keep_after: f32,
    ) -> Result<(), RenderError> {
        let lh = size * l::BODY_LINE_SPACING;
        let width = l::CONTENT_WIDTH;
        let paras: Vec<&str> = text.split('\n').collect();
        let last_para = paras.len() - 1;
        for (pi, para) in paras.into_iter().enumerate() {
            let lines = wrap(self.m, style, size, para, width - l::FIRST_LINE_INDENT, width)?;
            if lines.is_empty() {
                continue;
            }
            // Keep a heading with the start of what follows, and do not leave a single line
            // of a paragraph alone at the foot of a page.
            let mut keep = if heading {
                (lines.len() as f32 + l::HEADING_KEEP_LINES) * lh
            } else {
                lines.len().min(2) as f32 * lh
            };
            let with_next = lines.len() as f32 * lh + l::PARAGRAPH_SPACING + keep_after;
            if pi == last_para && keep_after > 0.0 && with_next <= self.bottom() - l::MARGIN_TOP {
                keep = with_next;
            }
            if self.remaining() < keep && self.y > l::MARGIN_TOP + 0.1 {
                self.new_page()?;
            }
            let last = lines.len() - 1;
            for (i, line) in lines.iter().enumerate() {
                if self.remaining() < lh - 0.01 {
                    self.new_page()?;
                }
                let (x, w) = if i == 0 {
                    (l::MARGIN_LEFT + l::FIRST_LINE_INDENT, width - l::FIRST_LINE_INDENT)
                } else {
                    (l::MARGIN_LEFT, width)
                };
                let baseline = self.y + l::baseline_in_box(size, lh);
                self.draw_line(line, style, size, x, w, HAlign::Justify, i == last, baseline);
                self.y += lh;
            }
            self.y += l::PARAGRAPH_SPACING;
        }
        Ok(())
    }

    fn column_widths(&self, t: &Table) -> Result<Vec<f32>, RenderError> {
        if t.columns.is_empty() {
            return Err(RenderError::InvalidTable("bảng không có cột nào".into()));
        }
        let fixed: f32 = t
            .columns
            .iter()
            .map(|c| match c.width {
                ColumnWidth::Mm(v) => mm(v.max(0.0)),
                ColumnWidth::Weight(_) => 0.0,
            })
            .sum();
        let weights: f32 = t
            .columns
            .iter()
            .map(|c| match c.width {
                ColumnWidth::Weight(w) => w.max(0.0),
                ColumnWidth::Mm(_) => 0.0,
            })
            .sum();
        let free = l::CONTENT_WIDTH - fixed;
        if free < -0.5 {
            return Err(RenderError::InvalidTable(format!(
                "tổng độ rộng các cột ({:.0} mm) vượt quá chiều rộng trang ({:.0} mm)",
                fixed / l::PT_PER_MM,
                l::CONTENT_WIDTH / l::PT_PER_MM
            )));
        }
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| match c.width {
                ColumnWidth::Mm(v) => mm(v.max(0.0)),
                ColumnWidth::Weight(w) if weights > 0.0 => free * w.max(0.0) / weights,
                ColumnWidth::Weight(_) => 0.0,
            })
            .collect();
        if widths.iter().any(|w| *w < 2.0 * l::CELL_PADDING_X + l::TABLE_SIZE) {
            return Err(RenderError::InvalidTable("có cột quá hẹp để viết chữ".into()));
        }
        Ok(widths)
    }

    fn wrap_cells(&self, cells: &[&str], widths: &[f32], style: Style) -> Result<Vec<Vec<Line>>, RenderError> {
        cells
            .iter()
            .zip(widths)
            .map(|(text, w)| {
                let inner = w - 2.0 * l::CELL_PADDING_X;
                wrap(self.m, style, l::TABLE_SIZE, text, inner, inner)
            })
            .collect()
    }

    /// A bordered table; rows that do not fit move on (or, if taller than a page, split
    /// between lines), and the header row is repeated at the top of each new page.
    fn table(&mut self, t: &Table) -> Result<(), RenderError> {
        self.table_with_bold_tail(t, 0)
    }

    /// [`Composer::table`], with the last `bold_rows` rows in bold (a total row).
    pub(crate) fn table_with_bold_tail(&mut self, t: &Table, bold_rows: usize) -> Result<(), RenderError> {
        self.table_filled(t, bold_rows, &[])
    }

    /// [`Composer::table_with_bold_tail`], with cells filled in a colour: `fills[row][column]`
    /// (RGB, 0–1), missing entries left white. The roll-up colours each commune's state so a
    /// district head reads the table at a glance.
    pub(crate) fn table_filled(
        &mut self,
        t: &Table,
        bold_rows: usize,
        fills: &[Vec<Option<Rgb>>],
    ) -> Result<(), RenderError> {
        let widths = self.column_widths(t)?;
        let lh = l::TABLE_SIZE * l::TABLE_LINE_SPACING;
        let pad = l::CELL_PADDING_Y;
        let titles: Vec<&str> = t.columns.iter().map(|c| c.title.as_str()).collect();
        let head = self.wrap_cells(&titles, &widths, Style::Bold)?;
        let head_lines = head.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let head_h = head_lines as f32 * lh + 2.0 * pad;
        let aligns: Vec<HAlign> = t.columns.iter().map(|c| c.align.into()).collect();

        let mut rows = Vec::with_capacity(t.rows.len());
        for (i, row) in t.rows.iter().enumerate() {
            if row.len() > t.columns.len() {
                return Err(RenderError::InvalidTable(format!(
                    "hàng {} có {} ô nhưng bảng chỉ có {} cột",
                    i + 1,
                    row.len(),
                    t.columns.len()
                )));
            }
            let cells: Vec<&str> = (0..t.columns.len()).map(|c| row.get(c).map(String::as_str).unwrap_or("")).collect();
            let style = if i + bold_rows >= t.rows.len() { Style::Bold } else { Style::Regular };
            let fill = fills.get(i).map(Vec::as_slice).unwrap_or(&[]);
            rows.push((self.wrap_cells(&cells, &widths, style)?, style, fill));
        }

        self.y += l::TABLE_SPACING_BEFORE;
        let first_h = rows
            .first()
            .map(|(r, _, _)| r.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * lh + 2.0 * pad)
            .unwrap_or(0.0);
        let page_body = self.bottom() - l::MARGIN_TOP;
        // The header row must not stand alone: keep it with the first row, or with two
        // lines of a first row that is taller than a page anyway (it will be split).
        let first_needed = if first_h <= page_body - head_h { first_h } else { 2.0 * lh + 2.0 * pad };
        if self.remaining() < head_h + first_needed && self.y > l::MARGIN_TOP + 0.1 {
            self.new_page()?;
        }
        self.table_row(&head, &widths, &[], &[], Style::Bold, 0, head_lines, head_lines, true);

        for (cells, style, fill) in &rows {
            let (style, fill) = (*style, *fill);
            let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let h = n as f32 * lh + 2.0 * pad;
            if h <= self.remaining() + 0.01 {
                self.table_row(cells, &widths, &aligns, fill, style, 0, n, n, false);
                continue;
            }
            if h <= page_body - head_h {
                self.new_page()?;
                self.table_row(&head, &widths, &[], &[], Style::Bold, 0, head_lines, head_lines, true);
                self.table_row(cells, &widths, &aligns, fill, style, 0, n, n, false);
                continue;
            }
            // Taller than a page: split between lines of text.
            let mut start = 0;
            while start < n {
                let fit = ((self.remaining() - 2.0 * pad) / lh).floor().max(0.0) as usize;
                if fit == 0 {
                    self.new_page()?;
                    self.table_row(&head, &widths, &[], &[], Style::Bold, 0, head_lines, head_lines, true);
                    continue;
                }
                let end = (start + fit).min(n);
                self.table_row(cells, &widths, &aligns, fill, style, start, end, end - start, false);
                start = end;
            }
        }
        self.y += l::PARAGRAPH_SPACING;
        Ok(())
    }

    /// Draws lines [from, to) of each cell as one bordered row fragment `slots` lines high.
    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Line>],
        widths: &[f32],
        aligns: &[HAlign],
        fills: &[Option<Rgb>],
        style: Style,
        from: usize,
        to: usize,
        slots: usize,
        header: bool,
    ) {
        let lh = l::TABLE_SIZE * l::TABLE_LINE_SPACING;
        let pad = l::CELL_PADDING_Y;
        let top = self.y;
        let h = slots as f32 * lh + 2.0 * pad;
        // Fills first, so the text and the borders are drawn over them.
        let mut fx = l::MARGIN_LEFT;
        for (i, w) in widths.iter().enumerate() {
            if let Some(Some(c)) = fills.get(i) {
                self.fill_rect(fx, top, *w, h, c.clone());
            }
            fx += w;
        }
        let mut x = l::MARGIN_LEFT;
        for (i, (lines, w)) in cells.iter().zip(widths).enumerate() {
            let align = if header { HAlign::Center } else { aligns.get(i).copied().unwrap_or(HAlign::Left) };
            // Header cells are centred vertically; body cells start at the top.
            let shown = lines.len().min(to).saturating_sub(from);
            let mut ly = top + pad;
            if header {
                ly += (slots - shown) as f32 * lh / 2.0;
            }
            for line in lines.iter().skip(from).take(to - from) {
                let baseline = ly + l::baseline_in_box(l::TABLE_SIZE, lh);
                self.draw_line(
                    line,
                    style,
                    l::TABLE_SIZE,
                    x + l::CELL_PADDING_X,
                    w - 2.0 * l::CELL_PADDING_X,
                    align,
                    true,
                    baseline,
                );
                ly += lh;
            }
            x += w;
        }
        let right = l::MARGIN_LEFT + widths.iter().sum::<f32>();
        self.hline(l::MARGIN_LEFT, right, top, l::TABLE_BORDER);
        self.hline(l::MARGIN_LEFT, right, top + h, l::TABLE_BORDER);
        let mut x = l::MARGIN_LEFT;
        self.vline(x, top, top + h, l::TABLE_BORDER);
        for w in widths {
            x += w;
            self.vline(x, top, top + h, l::TABLE_BORDER);
        }
        self.y = top + h;
    }

    /// Lays out "Nơi nhận" and the signature block without drawing them, so the body can
    /// keep its last paragraph on the same page.
    fn measure_closing(&self, doc: &Document) -> Result<Closing, RenderError> {
        let sp = l::SINGLE_SPACING;
        let lw = l::CLOSING_LEFT_WIDTH;
        let rw = l::CONTENT_WIDTH - lw;
        let s = &doc.signature;
        let mut right: Vec<(Vec<Line>, Style, f32)> = Vec::new();
        for t in [&s.authority, &s.title] {
            if !t.trim().is_empty() {
                right.push((
                    wrap(self.m, Style::Bold, l::SIGNATURE_TITLE_SIZE, &upper(t), rw, rw)?,
                    Style::Bold,
                    l::SIGNATURE_TITLE_SIZE,
                ));
            }
        }
        let name = wrap(self.m, Style::Bold, l::SIGNER_NAME_SIZE, &s.name, rw, rw)?;
        let right_h = right.iter().map(|(ls, _, size)| ls.len() as f32 * size * sp).sum::<f32>()
            + l::SIGNATURE_SPACE
            + name.len() as f32 * l::SIGNER_NAME_SIZE * sp;

        let n = doc.recipients.len();
        let label = wrap(self.m, Style::BoldItalic, l::RECIPIENTS_LABEL_SIZE, "Nơi nhận:", lw, lw)?;
        let mut items = Vec::new();
        let dash_w = self.m.width(Style::Regular, l::RECIPIENTS_SIZE, "- ")?;
        for (i, r) in doc.recipients.iter().enumerate() {
            let mut r = normalize(r.trim());
            if !r.ends_with([';', '.', ',', ':']) {
                r.push(if i + 1 == n { '.' } else { ';' });
            }
            items.push(wrap(self.m, Style::Regular, l::RECIPIENTS_SIZE, &format!("- {r}"), lw, lw - dash_w)?);
        }
        let left_h = if n == 0 {
            0.0
        } else {
            label.len() as f32 * l::RECIPIENTS_LABEL_SIZE * sp
                + items.iter().map(Vec::len).sum::<usize>() as f32 * l::RECIPIENTS_SIZE * sp
        };
        Ok(Closing { right, name, label, items, dash_w, height: left_h.max(right_h) })
    }

    /// "Nơi nhận" at bottom left and the signature block at bottom right (items 7 and 9),
    /// kept together on one page.
    /// Returns the top of the space left for the signature (from the top edge, in points).
    fn closing(&mut self, c: Closing) -> Result<f32, RenderError> {
        let sp = l::SINGLE_SPACING;
        let lx = l::MARGIN_LEFT;
        let lw = l::CLOSING_LEFT_WIDTH;
        let rx = lx + lw;
        let rw = l::CONTENT_WIDTH - lw;
        let Closing { right, name, label, items, dash_w, height } = c;
        let n = items.len();

        self.y += l::CLOSING_GAP;
        if self.remaining() < height {
            self.new_page()?;
        }
        let top = self.y;

        let mut y = top;
        for (lines, style, size) in &right {
            let lh = size * sp;
            for line in lines {
                self.draw_line(line, *style, *size, rx, rw, HAlign::Center, true, y + l::baseline_in_box(*size, lh));
                y += lh;
            }
        }
        let space_top = y;
        y += l::SIGNATURE_SPACE;
        let lh = l::SIGNER_NAME_SIZE * sp;
        for line in &name {
            self.draw_line(
                line,
                Style::Bold,
                l::SIGNER_NAME_SIZE,
                rx,
                rw,
                HAlign::Center,
                true,
                y + l::baseline_in_box(l::SIGNER_NAME_SIZE, lh),
            );
            y += lh;
        }
        let right_end = y;

        let mut y = top;
        if n > 0 {
            let lh = l::RECIPIENTS_LABEL_SIZE * sp;
            for line in &label {
                self.draw_line(
                    line,
                    Style::BoldItalic,
                    l::RECIPIENTS_LABEL_SIZE,
                    lx,
                    lw,
                    HAlign::Left,
                    true,
                    y + l::baseline_in_box(l::RECIPIENTS_LABEL_SIZE, lh),
                );
                y += lh;
            }
            let lh = l::RECIPIENTS_SIZE * sp;
            for lines in &items {
                for (i, line) in lines.iter().enumerate() {
                    // Continuation lines hang under the text, not under the dash.
                    let x = if i == 0 { lx } else { lx + dash_w };
                    self.draw_line(
                        line,
                        Style::Regular,
                        l::RECIPIENTS_SIZE,
                        x,
                        lw,
                        HAlign::Left,
                        true,
                        y + l::baseline_in_box(l::RECIPIENTS_SIZE, lh),
                    );
                    y += lh;
                }
            }
        }
        self.y = right_end.max(y);
        Ok(space_top)
    }

    /// An appendix: a new page, numbered on its own, with label, title and note centred.
    fn appendix(&mut self, a: &Appendix) -> Result<(), RenderError> {
        self.section_page = 0;
        self.new_page()?;
        let sp = l::SINGLE_SPACING;
        let (x, w) = (l::MARGIN_LEFT, l::CONTENT_WIDTH);
        let mut y = self.y;
        if !a.label.trim().is_empty() {
            y = self.centred_lines(&a.label, Style::Bold, l::APPENDIX_LABEL_SIZE, sp, x, w, y)?.0;
        }
        y = self.centred_lines(&upper(&a.title), Style::Bold, l::APPENDIX_TITLE_SIZE, sp, x, w, y)?.0;
        if !a.note.trim().is_empty() {
            y = self.centred_lines(&a.note, Style::Italic, l::APPENDIX_NOTE_SIZE, sp, x, w, y)?.0;
        }
        self.y = y + l::APPENDIX_TO_BODY_GAP;
        self.blocks(&a.blocks, 0.0)
    }
}

/// The measured closing block: signature lines (text, face, size), the signer's name,
/// the "Nơi nhận:" label and its items, and the block's height.
struct Closing {
    right: Vec<(Vec<Line>, Style, f32)>,
    name: Vec<Line>,
    label: Vec<Line>,
    items: Vec<Vec<Line>>,
    dash_w: f32,
    height: f32,
}

/// A straight segment between two points given from the top-left of the page.
fn segment(x1: f32, y1: f32, x2: f32, y2: f32) -> PdfLine {
    let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(l::PAGE_HEIGHT - y) }, bezier: false };
    PdfLine { points: vec![p(x1, y1), p(x2, y2)], is_closed: false }
}
