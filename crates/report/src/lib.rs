//! Reports of kehoach as documents in the layout of Decree 30/2020/NĐ-CP.
//!
//! The [`Document`] model knows nothing of the database: the core composes it from plans
//! and tasks, and this crate renders it. [`render_pdf`] writes an A4 PDF with the embedded
//! Liberation Serif fonts (subset); every layout number is in [`layout`]. [`compose`] turns a
//! report draft (`kehoach_model::ReportContent`) into a [`Document`]; [`render_docx`] and
//! [`render_xlsx`] export the same document for Word and its appendix table for Excel.
//! [`rollup`] prints the overview of the communes for the level above.

pub mod compose;
pub mod docx;
pub mod layout;
pub mod rollup;
mod rollup_xlsx;
pub mod xlsx;

mod fonts;
mod glyphs;
mod pdf;
mod text;

use serde::{Deserialize, Serialize};

pub use compose::{render_report_docx, render_report_pdf, render_report_xlsx, report_document};
pub use docx::render_docx;
pub use pdf::render_pdf;
pub use rollup::{
    format_number_vi, grid_code, percent_vi, period_label_vi, render_rollup_pdf, totals_line, RollupCommune,
    RollupGridRow, RollupPrint, RollupReport, RollupStatus, RollupTarget, RollupTotals, GRID_LEGEND,
};
pub use rollup_xlsx::render_rollup_xlsx;
pub use xlsx::render_xlsx;

/// The national name, fixed by the decree (Appendix I, Section II, item 1).
pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// The motto, fixed by the decree (Appendix I, Section II, item 1).
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// A whole administrative document (a report, a plan, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub header: Header,
    /// The document type, e.g. "BÁO CÁO" (written in capitals whatever the case given).
    pub doc_type: String,
    /// The summary (trích yếu), e.g. "Kết quả thực hiện Đề án 06 tháng 3 năm 2023".
    pub title: String,
    pub blocks: Vec<Block>,
    /// The distribution list (Nơi nhận), one recipient per entry, e.g. "UBND huyện Ia Pa".
    /// A dash is put in front; ";" (or "." on the last) is added when the entry has no
    /// closing punctuation.
    pub recipients: Vec<String>,
    pub signature: Signature,
    /// Appendices, each starting on a new page after the signature, numbered on their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appendices: Vec<Appendix>,
}

/// The header: issuing body at left, place and date under the national motto at right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The body directly above the issuer (e.g. "UBND huyện Ia Pa"); empty when none.
    /// '\n' forces a line break.
    #[serde(default)]
    pub parent_body: String,
    /// The issuing body, e.g. "Ủy ban nhân dân xã Chư Răng"; '\n' forces a line break.
    pub issuing_body: String,
    /// Number and symbol, e.g. "24/BC-UBND" (a leading "Số:" is accepted and not repeated).
    pub number: String,
    /// Place name of the date line, e.g. "Chư Răng".
    pub place: String,
    pub date: DocDate,
}

/// A calendar date of issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// Signing authority, e.g. "TM. Ủy ban nhân dân", "KT. Chủ tịch"; empty when the head
    /// signs in their own name.
    #[serde(default)]
    pub authority: String,
    /// The signer's title, e.g. "Chủ tịch", "Phó Chủ tịch".
    pub title: String,
    /// The signer's full name, e.g. "Nguyễn Văn A".
    pub name: String,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// A part or section heading, e.g. "I. CÔNG TÁC CHỈ ĐẠO" or "1. Nhóm tiện ích ...".
    Heading(String),
    /// A paragraph of running text; '\n' starts a new paragraph.
    Paragraph(String),
    Table(Table),
}

/// A table with bordered cells; the header row is repeated on every page it runs onto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Rows of cell texts; a row may have fewer cells than columns (the rest stay empty).
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub title: String,
    pub width: ColumnWidth,
    #[serde(default)]
    pub align: Align,
}

/// A column is either a fixed width, or a share of what the fixed columns leave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnWidth {
    Mm(f32),
    Weight(f32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// An appendix (Phụ lục) printed after the signature, from a new page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appendix {
    /// The label line, e.g. "Phụ lục" or "Phụ lục I".
    pub label: String,
    /// The appendix title, written in capitals.
    pub title: String,
    /// The attachment note, e.g. "(Kèm theo Báo cáo số 24/BC-UBND ngày 07/4/2023 của UBND
    /// xã Chư Răng)"; empty for none.
    #[serde(default)]
    pub note: String,
    pub blocks: Vec<Block>,
}

/// Why a document could not be rendered. Messages are for the officer, in Vietnamese.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    #[error("Phông chữ không có ký tự '{ch}' (U+{code:04X}) trong đoạn: «{context}»")]
    MissingGlyph { ch: char, code: u32, context: String },
    #[error("Ngày ban hành không hợp lệ: ngày {day} tháng {month} năm {year}")]
    InvalidDate { year: i32, month: u8, day: u8 },
    #[error("Bảng không hợp lệ: {0}")]
    InvalidTable(String),
    #[error("Không tạo được tệp PDF: {0}")]
    Pdf(String),
    /// The header or the signature lacks something; nothing is rendered.
    #[error("Chưa có: {}", .0.join(", "))]
    Incomplete(Vec<String>),
    #[error("Không tạo được tệp DOCX: {0}")]
    Docx(String),
    #[error("Không tạo được tệp XLSX: {0}")]
    Xlsx(String),
    #[error("Kỳ báo cáo không hợp lệ: «{0}» (dùng YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY)")]
    InvalidPeriod(String),
    #[error("Ngày không hợp lệ: «{0}» (dùng YYYY-MM-DD)")]
    InvalidDay(String),
}

impl RenderError {
    pub(crate) fn missing_glyph(ch: char, context: &str) -> Self {
        const MAX: usize = 60;
        let mut snippet: String = context.chars().take(MAX).collect();
        if context.chars().count() > MAX {
            snippet.push('…');
        }
        RenderError::MissingGlyph { ch, code: ch as u32, context: snippet }
    }
}

/// The date line under the motto, as the decree writes it: "Chư Răng, ngày 07 tháng 4 năm
/// 2023" — days below 10 and the months 1 and 2 take a leading zero (Appendix I, Section II,
/// item 4).
pub fn date_line(place: &str, date: DocDate) -> Result<String, RenderError> {
    let days_in_month = match date.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    if date.day == 0 || date.day > days_in_month || !(1..=9999).contains(&date.year) {
        return Err(RenderError::InvalidDate { year: date.year, month: date.month, day: date.day });
    }
    let month = if date.month <= 2 { format!("{:02}", date.month) } else { date.month.to_string() };
    Ok(format!("{}, ngày {:02} tháng {} năm {}", place.trim(), date.day, month, date.year))
}

/// The "Số:" line. A number and symbol that starts with '/' ("/BC-UBND") has its number left
/// blank for the clerk to write in when the report is registered: a gap is kept before it.
pub fn number_line(number: &str) -> String {
    let n = number.trim();
    let n = n.strip_prefix("Số:").map(str::trim).unwrap_or(n);
    if n.starts_with('/') {
        format!("Số: {}{n}", "\u{a0}".repeat(8))
    } else {
        format!("Số: {n}")
    }
}
