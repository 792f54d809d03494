//! The roll-up for the level above, printed: a district (or province) that oversees its
//! communes sees, for one reporting period, which communes have sent their report, the tasks
//! and overdue tasks of each, and their target figures summed — on A4 pages with the same
//! font, margins and tables as the reports.
//!
//! [`RollupPrint`] is plain data, so this crate does not depend on the sync crate: the app
//! maps the roll-up (`kehoach_model::Rollup`) into it, with [`RollupReport::from_wire`] for the
//! report status; the summed targets are the roll-up's own [`RollupTarget`] (`TargetSum`).
//!
//! With the states of issue 12 ([`RollupCommune::status`]) the page leads with completeness and
//! timeliness ("Đã gửi 2/3 xã (66,7%); đúng hạn 1/3 xã (33,3%)"), the communes' table has a
//! strip in each state's colour ([`RollupStatus::colour`], the same as on the screen), the
//! time sent and the reason of a return, and a communes × months grid of the year follows.
//! [`render_rollup_xlsx`] writes the same tables for Excel.

use chrono::{DateTime, FixedOffset, NaiveDate};
// The status labels and the figures are shared with the app's screen and the CLI.
use kehoach_model::ReportPeriod;
pub use kehoach_model::{format_number_vi, RollupReport, RollupStatus, RollupTotals};
use serde::{Deserialize, Serialize};

use crate::fonts::{Metrics, Style};
use crate::layout as l;
use crate::pdf::{save_pdf, start_pdf, Composer};
use crate::text::upper;
use crate::{Align, Column, ColumnWidth, RenderError, Table};

/// The title printed when [`RollupPrint::title`] is empty.
pub const ROLLUP_TITLE: &str = "Tình hình thực hiện kế hoạch Đề án 06 của các xã";

/// What the overview prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupPrint {
    /// The title, printed in capitals; empty for [`ROLLUP_TITLE`].
    #[serde(default)]
    pub title: String,
    /// The overseeing unit, e.g. "UBND huyện Ia Pa".
    pub unit: String,
    /// The period code, as reports store it: "2024-05", "2024-Q2", "2024-H1", "2024".
    pub period: String,
    /// The day the figures are as of (the period's last day), ISO: "2024-05-31".
    pub as_of: String,
    /// How many communes have a report for the period.
    pub reported: u32,
    pub communes: Vec<RollupCommune>,
    /// Target figures of all the communes, summed per target text and unit.
    #[serde(default)]
    pub targets: Vec<RollupTarget>,
    /// Completeness and timeliness; without them the page says only how many reported.
    #[serde(default)]
    pub totals: Option<RollupTotals>,
    /// The communes × months grid of [`RollupPrint::grid_year`]; empty: not printed.
    #[serde(default)]
    pub grid: Vec<RollupGridRow>,
    #[serde(default)]
    pub grid_year: Option<i32>,
}

/// One commune's line of the year's grid: twelve states, January first; `None` for a month
/// not over yet with nothing sent (left blank: not missing, just not due).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupGridRow {
    pub name: String,
    pub months: Vec<Option<RollupStatus>>,
}

/// One commune's line of the first table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupCommune {
    pub name: String,
    pub tasks: u32,
    pub done: u32,
    /// Not done and past their deadline on the period's last day.
    pub overdue: u32,
    pub report: RollupReport,
    /// The state of issue 12 (on time, late, accepted, returned…); `None` for a commune that
    /// never synced, or a roll-up made without states (then `report` is printed).
    #[serde(default)]
    pub status: Option<RollupStatus>,
    #[serde(default)]
    pub late_days: Option<i64>,
    /// When the current version was issued (RFC 3339).
    #[serde(default)]
    pub issued_at: Option<String>,
    /// Why the level above returned it.
    #[serde(default)]
    pub reason: Option<String>,
}

impl RollupCommune {
    /// The state as printed: "đã gửi muộn 3 ngày", "trả lại: <reason>"; the old report status
    /// without a state.
    pub fn state_label(&self) -> String {
        match self.status {
            None => self.report.label_vi().to_string(),
            Some(s) => {
                let mut t = s.label_vi(self.late_days);
                if let Some(r) = self.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    t += &format!(": {}", r.trim());
                }
                t
            }
        }
    }

    /// "12/06/2024 09:30" as the sending PC wrote it; empty when not sent.
    pub fn sent_label(&self) -> String {
        self.issued_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|d| d.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_default()
    }

    /// The colour of its state; a commune that never synced is grey as "chưa có".
    pub fn colour(&self) -> &'static str {
        self.status.unwrap_or(RollupStatus::None).colour()
    }
}

/// "66,7%" of a ratio 0–1.
pub fn percent_vi(ratio: f64) -> String {
    format!("{}%", format_number_vi(ratio * 100.0))
}

/// "Đã gửi báo cáo: 2/3 xã (66,7%); đúng hạn: 1/3 xã (33,3%)" — the line a district head reads
/// first, the same on the screen, on paper and in Excel.
pub fn totals_line(t: &RollupTotals) -> String {
    format!(
        "Đã gửi báo cáo: {}/{} xã ({}); đúng hạn: {}/{} xã ({})",
        t.received,
        t.expected,
        percent_vi(t.completeness),
        t.on_time,
        t.expected,
        percent_vi(t.timeliness)
    )
}

/// The short code of a state in the year's grid (see `RollupStatus::grid_code`).
pub fn grid_code(s: RollupStatus) -> &'static str {
    s.grid_code()
}

/// The legend of the grid's codes and colours.
pub const GRID_LEGEND: &str =
    "ĐH: đúng hạn; M: muộn; CN: đã chấp nhận; TL: trả lại; DT: dự thảo (chưa gửi); –: chưa có báo cáo";

/// "#43a047" → RGB 0–1.
fn rgb(hex: &str) -> crate::pdf::Rgb {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0;
    crate::pdf::Rgb::new(c(0), c(2), c(4), None)
}

/// One line of the second table: a target summed over the communes that have it — the roll-up's
/// own type, printed as the screen shows it.
pub use kehoach_model::TargetSum as RollupTarget;

/// The period as a report names it ("tháng 5 năm 2024", "quý II năm 2024", "6 tháng đầu năm
/// 2024", "năm 2024"), from its code ("2024-05", "2024-Q2", "2024-H1", "2024").
pub fn period_label_vi(code: &str) -> Result<String, RenderError> {
    let bad = || RenderError::InvalidPeriod(code.to_string());
    let t = code.trim();
    let year = |y: &str| -> Result<i32, RenderError> {
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        y.parse().map_err(|_| bad())
    };
    let index = |s: &str, max: u32| -> Result<u32, RenderError> {
        match s.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(bad()),
        }
    };
    let period = match t.split_once('-') {
        None => ReportPeriod::year(year(t)?),
        Some((y, rest)) => {
            let y = year(y)?;
            let rest = rest.to_ascii_uppercase();
            if let Some(q) = rest.strip_prefix('Q') {
                ReportPeriod::quarter(y, index(q, 4)?)
            } else if let Some(h) = rest.strip_prefix('H') {
                ReportPeriod::half(y, index(h, 2)?)
            } else if rest.len() == 2 {
                ReportPeriod::month(y, index(&rest, 12)?)
            } else {
                return Err(bad());
            }
        }
    };
    Ok(period.label_vi())
}

/// "31/05/2024".
fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Whether the roll-up carries the states of issue 12 (else it is printed as before them).
fn with_states(r: &RollupPrint) -> bool {
    r.totals.is_some() || r.communes.iter().any(|c| c.status.is_some())
}

/// The tables of the print: communes (with the "Cộng" row last, and each row's colour strip),
/// targets, and the year's grid (with each month's colour).
pub(crate) struct Tables {
    pub communes: Table,
    pub commune_fills: Vec<Vec<Option<&'static str>>>,
    pub targets: Table,
    pub grid: Option<Table>,
    pub grid_fills: Vec<Vec<Option<&'static str>>>,
}

pub(crate) fn tables(r: &RollupPrint) -> Tables {
    let n = |v: u32| format_number_vi(v as f64);
    let states = with_states(r);
    let mut fills = Vec::new();
    let mut rows: Vec<Vec<String>> = r
        .communes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if states {
                // Done out of all in one column, to leave the names and the states room; the
                // strip is a column of its own, left of the state, filled with its colour.
                fills.push(vec![None, None, None, None, Some(c.colour())]);
                let done = format!("{}/{}", n(c.done), n(c.tasks));
                vec![
                    (i + 1).to_string(),
                    c.name.clone(),
                    done,
                    n(c.overdue),
                    String::new(),
                    c.state_label(),
                    c.sent_label(),
                ]
            } else {
                let mut row = vec![(i + 1).to_string(), c.name.clone(), n(c.tasks), n(c.done), n(c.overdue)];
                row.push(c.report.label_vi().to_string());
                row
            }
        })
        .collect();
    let (tasks, done, overdue) = r
        .communes
        .iter()
        .fold((0u64, 0u64, 0u64), |(t, d, o), c| (t + c.tasks as u64, d + c.done as u64, o + c.overdue as u64));
    let received = match &r.totals {
        Some(t) => format!("{}/{}", t.received, t.expected),
        None => format!("{}/{}", r.reported, r.communes.len()),
    };
    let (tasks, done, overdue) =
        (format_number_vi(tasks as f64), format_number_vi(done as f64), format_number_vi(overdue as f64));
    let total = if states {
        vec![String::new(), "Cộng".into(), format!("{done}/{tasks}"), overdue, String::new(), received]
    } else {
        vec![String::new(), "Cộng".into(), tasks, done, overdue, received]
    };
    rows.push(total);
    let col = |title: &str, width, align| Column { title: title.into(), width, align };
    let columns = if states {
        vec![
            col("STT", ColumnWidth::Mm(12.0), Align::Center),
            col("Xã", ColumnWidth::Weight(1.0), Align::Left),
            col("Nhiệm vụ hoàn thành", ColumnWidth::Mm(24.0), Align::Center),
            col("Quá hạn", ColumnWidth::Mm(16.0), Align::Center),
            col("", ColumnWidth::Mm(7.5), Align::Center),
            col("Báo cáo kỳ", ColumnWidth::Weight(1.1), Align::Left),
            col("Gửi lúc", ColumnWidth::Mm(24.0), Align::Center),
        ]
    } else {
        vec![
            col("STT", ColumnWidth::Mm(12.0), Align::Center),
            col("Xã", ColumnWidth::Weight(1.0), Align::Left),
            col("Nhiệm vụ", ColumnWidth::Mm(21.0), Align::Center),
            col("Hoàn thành", ColumnWidth::Mm(25.0), Align::Center),
            col("Quá hạn", ColumnWidth::Mm(20.0), Align::Center),
            col("Báo cáo kỳ", ColumnWidth::Mm(29.0), Align::Center),
        ]
    };
    let communes = Table { columns, rows };
    let targets = Table {
        columns: vec![
            col("STT", ColumnWidth::Mm(12.0), Align::Center),
            col("Chỉ tiêu", ColumnWidth::Weight(1.0), Align::Left),
            col("Đơn vị tính", ColumnWidth::Mm(25.0), Align::Center),
            col("Chỉ tiêu (cộng)", ColumnWidth::Mm(25.0), Align::Right),
            col("Thực hiện (cộng)", ColumnWidth::Mm(25.0), Align::Right),
            col("Số xã", ColumnWidth::Mm(16.0), Align::Center),
        ],
        rows: r
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                vec![
                    (i + 1).to_string(),
                    t.text.clone(),
                    t.unit.clone(),
                    format_number_vi(t.target),
                    format_number_vi(t.actual),
                    n(t.communes),
                ]
            })
            .collect(),
    };
    let (grid, grid_fills) = if r.grid.is_empty() {
        (None, Vec::new())
    } else {
        let mut columns = vec![col("Xã / tháng", ColumnWidth::Weight(1.0), Align::Left)];
        // Month numbers only: "T10" in bold does not fit the cell.
        columns.extend((1..=12).map(|m| col(&m.to_string(), ColumnWidth::Mm(9.6), Align::Center)));
        let rows = r
            .grid
            .iter()
            .map(|g| {
                std::iter::once(g.name.clone())
                    .chain(g.months.iter().map(|m| m.map(grid_code).unwrap_or("").to_string()))
                    .collect()
            })
            .collect();
        let fills = r
            .grid
            .iter()
            .map(|g| std::iter::once(None).chain(g.months.iter().map(|m| m.map(RollupStatus::colour))).collect())
            .collect();
        (Some(Table { columns, rows }), fills)
    };
    Tables { communes, commune_fills: fills, targets, grid, grid_fills }
}

fn pdf_fills(f: &[Vec<Option<&'static str>>]) -> Vec<Vec<Option<crate::pdf::Rgb>>> {
    f.iter().map(|row| row.iter().map(|c| c.map(rgb)).collect()).collect()
}

/// Prints the roll-up as an A4 PDF: the title, the unit, the period and the day the figures
/// are as of; how many communes have reported; a table of the communes (tasks, done, overdue,
/// report of the period) with a "Cộng" row; and a table of the targets summed. Page numbers
/// from page 2, as in the reports. `now` is the PDF's creation date and the printing date on
/// the page.
///
/// Fails on a period code or an `as_of` day that cannot be read, or a character the font
/// lacks.
pub fn render_rollup_pdf(r: &RollupPrint, now: DateTime<FixedOffset>) -> Result<Vec<u8>, RenderError> {
    let period = period_label_vi(&r.period)?;
    let as_of =
        NaiveDate::parse_from_str(r.as_of.trim(), "%Y-%m-%d").map_err(|_| RenderError::InvalidDay(r.as_of.clone()))?;
    let title = if r.title.trim().is_empty() { ROLLUP_TITLE } else { r.title.as_str() };

    let metrics = Metrics::load()?;
    let (pdf, fonts) = start_pdf(&format!("{} – {} – {}", upper(title), r.unit.trim(), period))?;
    let mut c = Composer::new(&metrics, fonts);
    c.new_page()?;

    // Title block, centred: title (bold capitals), unit (bold), period and day (italic), rule.
    let sp = l::SINGLE_SPACING;
    let (x, w) = (l::MARGIN_LEFT, l::CONTENT_WIDTH);
    let mut y = c.y;
    y = c.centred_lines(&upper(title), Style::Bold, l::TITLE_SIZE, sp, x, w, y)?.0;
    if !r.unit.trim().is_empty() {
        y = c.centred_lines(r.unit.trim(), Style::Bold, l::TITLE_SIZE, sp, x, w, y)?.0;
    }
    y = c.centred_lines(&format!("Kỳ báo cáo: {period}"), Style::Italic, l::BODY_SIZE, sp, x, w, y)?.0;
    let (y, widest) =
        c.centred_lines(&format!("Tính đến ngày {}", dmy(as_of)), Style::Italic, l::BODY_SIZE, sp, x, w, y)?;
    let rule = widest * l::TITLE_RULE_FRACTION;
    let ry = y + l::RULE_GAP;
    let cx = x + w / 2.0;
    c.hline(cx - rule / 2.0, cx + rule / 2.0, ry, l::RULE_THICKNESS);
    c.y = ry + l::TITLE_TO_BODY_GAP;

    let n = r.communes.len();
    // With the states, the rates lead the page in bold: what a district head reads first.
    let (line, style) = match &r.totals {
        Some(t) => (format!("{}.", totals_line(t)), Style::Bold),
        None => (format!("Đã có báo cáo: {}/{n} xã.", r.reported), Style::Regular),
    };
    c.paragraph(&line, style, l::BODY_SIZE, false, 0.0)?;

    // A heading stays with the table's header row and first row (up to two lines each).
    let row = 2.0 * l::TABLE_SIZE * l::TABLE_LINE_SPACING + 2.0 * l::CELL_PADDING_Y;
    let table_start = l::TABLE_SPACING_BEFORE + 2.0 * row;
    let t = tables(r);
    c.paragraph(
        "1. Tình hình thực hiện nhiệm vụ và báo cáo của các xã",
        Style::Bold,
        l::HEADING_SIZE,
        true,
        table_start,
    )?;
    c.table_filled(&t.communes, 1, &pdf_fills(&t.commune_fills))?;
    if t.targets.rows.is_empty() {
        c.paragraph("2. Chỉ tiêu: các xã chưa có chỉ tiêu nào trong kỳ.", Style::Bold, l::HEADING_SIZE, true, 0.0)?;
    } else {
        c.paragraph("2. Chỉ tiêu của các xã (cộng)", Style::Bold, l::HEADING_SIZE, true, table_start)?;
        c.table_with_bold_tail(&t.targets, 0)?;
    }
    if let Some(grid) = &t.grid {
        let year = r.grid_year.map(|y| format!(" năm {y}")).unwrap_or_default();
        c.paragraph(
            &format!("3. Báo cáo hằng tháng của các xã{year}"),
            Style::Bold,
            l::HEADING_SIZE,
            true,
            table_start,
        )?;
        c.table_filled(grid, 0, &pdf_fills(&t.grid_fills))?;
        c.paragraph(GRID_LEGEND, Style::Italic, l::RECIPIENTS_LABEL_SIZE, false, 0.0)?;
    }
    let printed = format!("Ngày in: {}", dmy(now.date_naive()));
    c.paragraph(&printed, Style::Italic, l::RECIPIENTS_LABEL_SIZE, false, 0.0)?;

    save_pdf(pdf, c.pages, now, vec!["kehoach-rollup".into(), format!("kehoach-period={}", r.period.trim())])
}
