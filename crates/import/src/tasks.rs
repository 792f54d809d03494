//! Tasks written as text: numbered items with "Đơn vị …"/"Thời gian …" lines, bullets whose
//! closing sentence is the timeframe, "X chủ trì, phối hợp Y …" sentences.
//!
//! The lines of a task part become a tree of blocks (by numbering and bullet kind); fields attach
//! to the block they follow; then each subtree decides whether it is one task, a heading over
//! tasks, or no task at all.

use std::sync::LazyLock;

use kehoach_model::{Due, DueKind, ImportedTask};
use regex::Regex;

use crate::fields::{parse_field_line, split_lead_coord, take_inline_labels, take_paren_fields, Fields};
use crate::markers::{split_marker, Marker};
use crate::normalize::Line;
use crate::timeframe::parse_due;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Num(usize),
    Letter,
    Paren,
    Dash,
    Plus,
    Para,
}

#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    reference: Option<String>,
    text: String,
    fields: Fields,
    /// A field line followed this block's text: later plain text is a new block.
    closed: bool,
    parent: Option<usize>,
    children: Vec<usize>,
}

static RE_TIME_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:thực hiện|hoàn thành|triển khai|tổ chức|phấn đấu hoàn thành|phấn đấu|duy trì)\s+(?:thường xuyên|liên tục|trong|từ|theo|khi|sau|hàng|hằng|định kỳ|ngay|trước|đến|xong|chậm nhất|vào|quý|tháng|năm|đúng)|bắt đầu|trong (?:quý|tháng|năm|\d)|từ (?:quý|tháng|năm|ngày)|thường xuyên|định kỳ|theo (?:tiến độ|yêu cầu|đề nghị|lộ trình)|khi có|sau khi|chậm nhất|trước ngày|quý |tháng \d|năm \d)",
    )
    .unwrap()
});
static RE_SENTENCE_BREAK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.;]\s+\p{Lu}").unwrap());

fn is_objective_heading(text: &str) -> bool {
    let t = text.trim().trim_end_matches([':', '.']).to_lowercase();
    [
        "yêu cầu",
        "mục tiêu",
        "mục đích",
        "mục đích, yêu cầu",
        "mục đích yêu cầu",
        "quan điểm",
        "mục tiêu chung",
        "mục tiêu cụ thể",
    ]
    .contains(&t.as_str())
}

fn looks_like_heading(text: &str) -> bool {
    let t = text.trim();
    !t.ends_with(['.', ';', ':', ',']) && t.chars().count() <= 200
}

/// Builds the block tree of one part.
fn build_blocks(lines: &[Line]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let new_block =
        |blocks: &mut Vec<Block>, stack: &mut Vec<usize>, kind: Kind, reference: Option<String>, text: String| {
            let parent = stack.last().copied();
            let idx = blocks.len();
            blocks.push(Block {
                kind,
                reference,
                text,
                fields: Fields::default(),
                closed: false,
                parent,
                children: vec![],
            });
            if let Some(p) = parent {
                blocks[p].children.push(idx);
            }
            stack.push(idx);
        };
    for line in lines {
        if line.is_table() {
            continue;
        }
        let text = line.text.trim();
        if let Some(fs) = parse_field_line(text) {
            if stack.is_empty() {
                new_block(&mut blocks, &mut stack, Kind::Para, None, String::new());
            }
            let top = *stack.last().unwrap();
            for (k, v) in fs {
                blocks[top].fields.add(k, &v);
            }
            blocks[top].closed = true;
            continue;
        }
        let marker = split_marker(text);
        let (kind, reference, body) = match marker {
            Some((Marker::Roman(_), _)) => continue,
            Some((Marker::Num(n, d), rest)) => (Kind::Num(d), Some(n), rest),
            Some((Marker::Letter(l), rest)) => (Kind::Letter, Some(l), rest),
            Some((Marker::Paren(p), rest)) => (Kind::Paren, Some(p), rest),
            Some((Marker::Dash, rest)) => (Kind::Dash, None, rest),
            Some((Marker::Plus, rest)) => (Kind::Plus, None, rest),
            None => {
                // Plain paragraph: continues the open block, or starts a new one after fields
                // or under a heading.
                match stack.last().copied() {
                    None => new_block(&mut blocks, &mut stack, Kind::Para, None, text.to_string()),
                    Some(top) if blocks[top].closed => {
                        stack.pop();
                        pop_to_kind(&blocks, &mut stack, Kind::Para);
                        new_block(&mut blocks, &mut stack, Kind::Para, None, text.to_string());
                    }
                    Some(top)
                        if blocks[top].children.is_empty()
                            && blocks[top].kind != Kind::Para
                            && looks_like_heading(&blocks[top].text)
                            && text.chars().next().is_some_and(|c| c.is_uppercase()) =>
                    {
                        new_block(&mut blocks, &mut stack, Kind::Para, None, text.to_string());
                    }
                    Some(top) => {
                        // In place, not by copying: text grows line by line.
                        let b = &mut blocks[top];
                        if !b.text.is_empty() {
                            b.text.push(' ');
                        }
                        b.text.push_str(text);
                    }
                }
                continue;
            }
        };
        place(&blocks, &mut stack, kind);
        new_block(&mut blocks, &mut stack, kind, reference, body);
    }
    blocks
}

/// Pops the stack to where a new block of `kind` belongs.
fn place(blocks: &[Block], stack: &mut Vec<usize>, kind: Kind) {
    match kind {
        Kind::Num(d) => {
            while let Some(&top) = stack.last() {
                match blocks[top].kind {
                    Kind::Num(e) if e < d => break,
                    _ => {
                        stack.pop();
                    }
                }
            }
        }
        _ => pop_to_kind(blocks, stack, kind),
    }
}

/// A kind already open in the stack means a sibling: close up to and including it.
fn pop_to_kind(blocks: &[Block], stack: &mut Vec<usize>, kind: Kind) {
    if let Some(pos) = stack.iter().rposition(|&i| blocks[i].kind == kind) {
        stack.truncate(pos);
    } else if kind != Kind::Para {
        // A closed paragraph block cannot hold bullets that follow its fields.
        while let Some(&top) = stack.last() {
            if blocks[top].kind == Kind::Para && blocks[top].closed {
                stack.pop();
            } else {
                break;
            }
        }
    }
}

/// Reads fields written inside the text: labelled parentheses, a closing time sentence,
/// and "X chủ trì, phối hợp Y" openings.
fn inline_fields(b: &mut Block) {
    if let Some((head, labelled)) = take_inline_labels(&b.text) {
        // Labels written after the task's sentence come before any on their own lines:
        // they are the task's own.
        let mut f = Fields::default();
        for (k, v) in labelled {
            f.add(k, &v);
        }
        f.merge(&b.fields);
        b.fields = f;
        b.text = head;
    }
    let (text, paren) = take_paren_fields(&b.text);
    if !paren.is_empty() {
        b.text = text;
        let mut f = paren;
        f.merge(&b.fields);
        b.fields = f;
    }
    if b.fields.time.is_none() {
        if let Some((head, time)) = split_time_sentence(&b.text) {
            b.text = head;
            b.fields.time = Some(time);
        }
    }
    if b.fields.lead.is_empty() && b.fields.coord.is_empty() {
        if let Some((lead, coord)) = split_lead_coord(&b.text) {
            let mut f = Fields::default();
            f.add(crate::fields::FieldKind::Lead, &lead);
            if let Some(c) = coord {
                f.add(crate::fields::FieldKind::Coord, &c);
            }
            b.fields.lead = f.lead;
            b.fields.coord = f.coord;
        }
    }
}

/// "… Hoàn thành trong quý I/2022." → ("…", "Hoàn thành trong quý I/2022").
pub fn split_time_sentence(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let brk = RE_SENTENCE_BREAK.find_iter(t).last()?;
    // The break match ends after the first letter of the tail sentence.
    let tail_start = brk.end() - t[..brk.end()].chars().next_back()?.len_utf8();
    let tail = t[tail_start..].trim().trim_end_matches(['.', ';']).trim();
    let head = t[..tail_start].trim();
    if tail.split_whitespace().count() > 30 || head.is_empty() {
        return None;
    }
    let low = tail.to_lowercase();
    if !RE_TIME_OPENER.is_match(&low) {
        return None;
    }
    if matches!(parse_due(tail, Some(2000)).kind, DueKind::None) {
        return None;
    }
    Some((head.to_string(), tail.to_string()))
}

struct Ctx<'a> {
    blocks: &'a [Block],
    default_year: Option<i32>,
    out: Vec<ImportedTask>,
}

impl Ctx<'_> {
    fn fielded(&self, i: usize) -> bool {
        let b = &self.blocks[i];
        !b.fields.is_empty() || b.children.iter().any(|&c| self.fielded(c))
    }

    fn fielded_nodes(&self, i: usize) -> usize {
        let b = &self.blocks[i];
        usize::from(!b.fields.is_empty()) + b.children.iter().map(|&c| self.fielded_nodes(c)).sum::<usize>()
    }

    fn descendants_text(&self, i: usize, out: &mut Vec<String>) {
        for &c in &self.blocks[i].children {
            let t = self.blocks[c].text.trim();
            if !t.is_empty() {
                out.push(t.to_string());
            }
            self.descendants_text(c, out);
        }
    }

    fn fields_in_subtree(&self, i: usize) -> Fields {
        let mut f = self.blocks[i].fields.clone();
        for &c in &self.blocks[i].children {
            f.merge(&self.fields_in_subtree(c));
        }
        f
    }

    fn top_of(&self, mut i: usize) -> usize {
        while let Some(p) = self.blocks[i].parent {
            i = p;
        }
        i
    }

    /// The nearest numbered reference, not counting the part's top-level sections.
    fn reference(&self, i: usize) -> Option<String> {
        let mut cur = Some(i);
        while let Some(c) = cur {
            let b = &self.blocks[c];
            if b.parent.is_none() && c != i {
                return None;
            }
            if b.reference.is_some() {
                return b.reference.clone();
            }
            cur = b.parent;
        }
        None
    }

    fn section(&self, i: usize) -> Option<String> {
        let top = self.top_of(i);
        (top != i).then(|| self.blocks[top].text.trim().trim_end_matches(':').to_string()).filter(|s| !s.is_empty())
    }

    fn emit(&mut self, i: usize, text: String, fields: Fields, section: Option<String>, reference: Option<String>) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() < 8 {
            return;
        }
        let due = match &fields.time {
            Some(t) => parse_due(t, self.default_year),
            None => fallback_due(&text),
        };
        let _ = i;
        self.out.push(ImportedTask {
            reference,
            section,
            text,
            lead: fields.lead,
            coord: fields.coord,
            monitor: fields.monitor,
            time_text: fields.time,
            due,
            product: fields.product,
            budget: fields.budget,
            appendix: None,
            due_by_level: Vec::new(),
            parent_task: None,
            parent_ref: None,
        });
    }

    fn collect(&mut self, i: usize, inherited: &Fields, force: bool) {
        let b = self.blocks[i].clone();
        if is_objective_heading(&b.text) {
            return;
        }
        let mut own = b.fields.clone();
        own.inherit(inherited);
        if b.children.is_empty() {
            if !b.fields.is_empty() || force {
                self.emit(i, b.text.clone(), own, self.section(i), self.reference(i));
            }
            return;
        }
        let fc = b.children.iter().filter(|&&c| self.fielded(c)).count();
        let last = *b.children.last().unwrap();
        let umbrella = !b.fields.is_empty() && b.text.trim_end().ends_with(':');
        if umbrella || fc >= 2 || (fc == 1 && !self.fielded(last)) {
            for &c in &b.children {
                self.collect(c, &own, true);
            }
            return;
        }
        if fc == 0 {
            if !b.fields.is_empty() || force {
                let mut parts = vec![b.text.clone()];
                self.descendants_text(i, &mut parts);
                self.emit(i, parts.join(" "), own, self.section(i), self.reference(i));
            }
            return;
        }
        // One fielded child, the last one: the item and its sub-items are one task
        // ("4.13 … Trong đó: - …"), unless that child heads several tasks itself.
        if self.fielded_nodes(i) - usize::from(!b.fields.is_empty()) > 1 {
            for &c in &b.children {
                self.collect(c, &own, true);
            }
            return;
        }
        let mut fields = self.fields_in_subtree(i);
        fields.inherit(inherited);
        let top_level = b.parent.is_none();
        let mut parts = if top_level { vec![] } else { vec![b.text.clone()] };
        self.descendants_text(i, &mut parts);
        let (section, reference) = if top_level {
            let single_ref = (b.children.len() == 1).then(|| self.blocks[b.children[0]].reference.clone()).flatten();
            (Some(b.text.trim().trim_end_matches(':').to_string()), single_ref)
        } else {
            (self.section(i), self.reference(i))
        };
        self.emit(i, parts.join(" "), fields, section, reference);
    }
}

/// A task with no timeframe that says "thường xuyên" near its start is ongoing work.
fn fallback_due(text: &str) -> Due {
    let head: String = text.split_whitespace().take(6).collect::<Vec<_>>().join(" ").to_lowercase();
    if head.contains("thường xuyên") {
        Due::new(DueKind::Recurring)
    } else {
        Due::default()
    }
}

/// The tasks written in one task part.
/// With `fallback`, a part where no item names a unit or a time yields its items as tasks.
pub fn parse_task_part(lines: &[Line], default_year: Option<i32>, fallback: bool) -> Vec<ImportedTask> {
    let mut blocks = build_blocks(lines);
    for b in &mut blocks {
        inline_fields(b);
    }
    let tops: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].parent.is_none()).collect();
    let mut ctx = Ctx { blocks: &blocks, default_year, out: Vec::new() };
    for &t in &tops {
        ctx.collect(t, &Fields::default(), false);
    }
    if ctx.out.is_empty() && fallback {
        // No unit or time anywhere: the items under the sections are the tasks.
        for &t in &tops {
            if is_objective_heading(&blocks[t].text) {
                continue;
            }
            if blocks[t].children.is_empty() {
                ctx.collect(t, &Fields::default(), true);
            } else {
                for &c in &blocks[t].children.clone() {
                    ctx.collect(c, &Fields::default(), true);
                }
            }
        }
    }
    ctx.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_time_sentence() {
        let (h, t) = split_time_sentence("Triển khai hoạt động định danh. Hoàn thành trong Quý I/2023.").unwrap();
        assert_eq!(h, "Triển khai hoạt động định danh.");
        assert_eq!(t, "Hoàn thành trong Quý I/2023");
        assert!(split_time_sentence("Thực hiện số hóa hồ sơ. Đảm bảo 100% công dân được cấp.").is_none());
    }
}
