//! A report draft (`kehoach_model::ReportContent`, composed by the core and edited by the
//! officer) as a [`Document`], and the three renderings of it. Nothing is rendered while
//! the header or the signature lacks something: the error lists what is missing.

use chrono::{DateTime, FixedOffset};
use kehoach_model::ReportContent;

use crate::{Align, Appendix, Block, Column, ColumnWidth, DocDate, Document, Header, RenderError, Signature, Table};

/// The columns of the appendix table of tasks.
pub fn task_columns() -> Vec<Column> {
    vec![
        Column { title: "STT".into(), width: ColumnWidth::Mm(12.0), align: Align::Center },
        Column { title: "Nhiệm vụ".into(), width: ColumnWidth::Weight(3.0), align: Align::Left },
        Column { title: "Đơn vị chủ trì".into(), width: ColumnWidth::Weight(1.3), align: Align::Left },
        Column { title: "Thời gian hoàn thành".into(), width: ColumnWidth::Weight(1.2), align: Align::Center },
        Column { title: "Kết quả".into(), width: ColumnWidth::Weight(1.3), align: Align::Left },
    ]
}

fn parse_date(s: &str) -> Result<DocDate, RenderError> {
    let bad = || RenderError::InvalidDate { year: 0, month: 0, day: 0 };
    let mut it = s.trim().splitn(3, '-');
    let (y, m, d) = (it.next().ok_or_else(bad)?, it.next().ok_or_else(bad)?, it.next().ok_or_else(bad)?);
    let date = DocDate {
        year: y.parse().map_err(|_| bad())?,
        month: m.parse().map_err(|_| bad())?,
        day: d.parse().map_err(|_| bad())?,
    };
    crate::date_line("", date)?; // checks the day exists
    Ok(date)
}

/// "07/4/2023", as dates are written in running text.
fn short_date(d: DocDate) -> String {
    let m = if d.month <= 2 { format!("{:02}", d.month) } else { d.month.to_string() };
    format!("{:02}/{}/{}", d.day, m, d.year)
}

/// The report as a document. Refuses (`RenderError::Incomplete`) a report whose header or
/// signature lacks something, so no half-filled document is ever produced.
pub fn report_document(c: &ReportContent) -> Result<Document, RenderError> {
    let missing = c.missing();
    if !missing.is_empty() {
        return Err(RenderError::Incomplete(missing));
    }
    let date = parse_date(&c.header.date)?;
    let mut blocks = Vec::new();
    let para = |blocks: &mut Vec<Block>, t: &str| {
        if !t.trim().is_empty() {
            blocks.push(Block::Paragraph(t.trim().to_string()));
        }
    };
    para(&mut blocks, &c.intro);
    for part in &c.parts {
        if !part.heading.trim().is_empty() {
            blocks.push(Block::Heading(part.heading.trim().to_string()));
        }
        para(&mut blocks, &part.text);
        for s in &part.sections {
            if !s.heading.trim().is_empty() {
                blocks.push(Block::Heading(s.heading.trim().to_string()));
            }
            para(&mut blocks, &s.text);
        }
    }
    para(&mut blocks, &c.closing);

    let issuer_one_line = c.header.issuing_body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut appendices = Vec::new();
    if !c.appendix.rows.is_empty() {
        let rows = c
            .appendix
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    r.reference.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| (i + 1).to_string()),
                    r.text.clone(),
                    r.lead.clone(),
                    r.time_text.clone(),
                    r.result.clone(),
                ]
            })
            .collect();
        let note = if c.appendix.note.trim().is_empty() {
            format!(
                "(Kèm theo Báo cáo số {} ngày {} của {})",
                crate::number_line(&c.header.number).trim_start_matches("Số: "),
                short_date(date),
                issuer_one_line
            )
        } else {
            c.appendix.note.clone()
        };
        appendices.push(Appendix {
            label: "Phụ lục".into(),
            title: c.appendix.title.clone(),
            note,
            blocks: vec![Block::Table(Table { columns: task_columns(), rows })],
        });
    }
    Ok(Document {
        header: Header {
            parent_body: c.header.parent_body.clone(),
            issuing_body: c.header.issuing_body.clone(),
            number: c.header.number.clone(),
            place: c.header.place.clone(),
            date,
        },
        doc_type: c.doc_type.clone(),
        title: c.title.clone(),
        blocks,
        recipients: c.recipients.iter().filter(|r| !r.trim().is_empty()).cloned().collect(),
        signature: Signature {
            authority: c.signature.authority.clone(),
            title: c.signature.title.clone(),
            name: c.signature.name.clone(),
        },
        appendices,
    })
}

/// The report as PDF.
pub fn render_report_pdf(c: &ReportContent, created: DateTime<FixedOffset>) -> Result<Vec<u8>, RenderError> {
    crate::render_pdf(&report_document(c)?, created)
}

/// The report as DOCX.
pub fn render_report_docx(c: &ReportContent) -> Result<Vec<u8>, RenderError> {
    crate::docx::render_docx(&report_document(c)?)
}

/// The report's appendix table as XLSX.
pub fn render_report_xlsx(c: &ReportContent) -> Result<Vec<u8>, RenderError> {
    crate::xlsx::render_xlsx(&report_document(c)?)
}
