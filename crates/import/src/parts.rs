//! The parts of a plan ("I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN", appendices):
//! only the task part holds tasks, only the objectives hold targets.

use crate::markers::{split_marker, Marker};
use crate::normalize::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// Before the first part: header, title, basis.
    Preamble,
    Objectives,
    Tasks,
    Organisation,
    /// From "Nơi nhận:" on: distribution list and signature.
    Closing,
    /// "PHỤ LỤC …" or an assignment sheet attached after the signature.
    Appendix,
    Other,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub kind: PartKind,
    pub title: String,
    /// Line range [start, end) in the document's lines, heading excluded.
    pub start: usize,
    pub end: usize,
}

pub fn classify_heading(title: &str) -> PartKind {
    let t = title.to_lowercase();
    if t.contains("tổ chức thực hiện") {
        PartKind::Organisation
    } else if t.contains("nhiệm vụ")
        || t.contains("giải pháp")
        || t.contains("nội dung")
        || t.contains("phân công")
        || t.contains("nghiệm vụ")
    {
        PartKind::Tasks
    } else if t.contains("mục tiêu")
        || t.contains("mục đích")
        || t.contains("yêu cầu")
        || t.contains("quan điểm")
        || t.contains("chỉ tiêu")
    {
        PartKind::Objectives
    } else {
        PartKind::Other
    }
}

fn is_upper_heading(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

/// Splits the document into parts.
pub fn split_parts(lines: &[Line]) -> Vec<Part> {
    let mut heads: Vec<(usize, PartKind, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_table() {
            continue;
        }
        // A heading is short: a long line is lowercased by its opening only.
        let low: String = l.text.chars().take(320).collect::<String>().to_lowercase();
        if low.starts_with("nơi nhận") {
            heads.push((i, PartKind::Closing, l.text.clone()));
            continue;
        }
        if (low.starts_with("phụ lục") || (low.contains("phân công nhiệm vụ") && is_upper_heading(&l.text)))
            && l.text.chars().count() < 300
            && heads.last().is_some_and(|h| {
                matches!(h.1, PartKind::Closing | PartKind::Appendix | PartKind::Organisation | PartKind::Other)
            })
        {
            heads.push((i, PartKind::Appendix, l.text.clone()));
            continue;
        }
        if let Some((Marker::Roman(_), rest)) = split_marker(&l.text) {
            if rest.chars().count() < 200 && (is_upper_heading(&rest) || l.emphasized || rest.chars().count() < 80) {
                heads.push((i, classify_heading(&rest), rest));
            }
        }
    }
    let mut parts = Vec::new();
    let first = heads.first().map(|h| h.0).unwrap_or(lines.len());
    parts.push(Part { kind: PartKind::Preamble, title: String::new(), start: 0, end: first });
    for (k, (i, kind, title)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map(|h| h.0).unwrap_or(lines.len());
        parts.push(Part { kind: *kind, title: title.clone(), start: i + 1, end });
    }
    parts
}
