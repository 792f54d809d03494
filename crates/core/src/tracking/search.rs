//! Diacritic-insensitive search over tasks, progress notes and checklist items: "cong an"
//! finds "Công an", "dang ky khai sinh" finds "Đăng ký khai sinh".
//!
//! FTS5 finds and ranks the records (on the folded column the projection keeps); the snippet
//! is highlighted here on the original text, by folding it one character at a time and
//! keeping where each folded character came from — so the marks land on "Đăng", not on
//! "dang".

use kehoach_model::{Fragment, SearchHit, TaskStatus};
use rusqlite::OptionalExtension;

use super::parse_uuid;
use crate::error::Result;
use crate::fold::fold;
use crate::store::Store;

/// The words of a query, folded.
fn terms(q: &str) -> Vec<String> {
    fold(q).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Each word quoted, as a prefix ("dang ky" finds "đăng ký" and "đăng kí…" as typed so far).
fn fts_query(terms: &[String]) -> String {
    terms.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
}

/// The text split into plain and matching pieces: a word matches when its folded form starts
/// with one of the query's words (the FTS prefix rule).
pub fn highlight(text: &str, query: &str) -> Vec<Fragment> {
    highlight_terms(text, &terms(query))
}

fn highlight_terms(text: &str, terms: &[String]) -> Vec<Fragment> {
    let chars: Vec<char> = text.chars().collect();
    // Folded characters, each with the index of the original character it came from.
    let mut folded: Vec<(char, usize)> = Vec::with_capacity(chars.len());
    let mut buf = [0u8; 4];
    for (i, c) in chars.iter().enumerate() {
        for f in fold(c.encode_utf8(&mut buf)).chars() {
            folded.push((f, i));
        }
    }
    let mut hit = vec![false; chars.len()];
    let mut k = 0;
    while k < folded.len() {
        if !folded[k].0.is_alphanumeric() {
            k += 1;
            continue;
        }
        let start = k;
        while k < folded.len() && folded[k].0.is_alphanumeric() {
            k += 1;
        }
        let word: String = folded[start..k].iter().map(|(c, _)| *c).collect();
        if terms.iter().any(|t| word.starts_with(t.as_str())) {
            for &(_, i) in &folded[start..k] {
                hit[i] = true;
            }
        }
    }
    let mut out: Vec<Fragment> = Vec::new();
    for (c, h) in chars.iter().zip(hit) {
        match out.last_mut() {
            Some(f) if f.hit == h => f.text.push(*c),
            _ => out.push(Fragment { text: c.to_string(), hit: h }),
        }
    }
    out
}

/// Cuts long text to a window around the first match (about `width` characters, on spaces).
fn window(frags: Vec<Fragment>, width: usize) -> Vec<Fragment> {
    let total: usize = frags.iter().map(|f| f.text.chars().count()).sum();
    if total <= width {
        return frags;
    }
    let chars: Vec<(char, bool)> = frags.iter().flat_map(|f| f.text.chars().map(move |c| (c, f.hit))).collect();
    let first = chars.iter().position(|(_, h)| *h).unwrap_or(0);
    let mut start = first.saturating_sub(width / 3);
    while start > 0 && !chars[start - 1].0.is_whitespace() {
        start -= 1;
    }
    let mut end = (start + width).min(chars.len());
    while end < chars.len() && !chars[end].0.is_whitespace() {
        end += 1;
    }
    let mut out: Vec<Fragment> = Vec::new();
    if start > 0 {
        out.push(Fragment { text: "…".into(), hit: false });
    }
    for &(c, h) in &chars[start..end] {
        match out.last_mut() {
            Some(f) if f.hit == h => f.text.push(c),
            _ => out.push(Fragment { text: c.to_string(), hit: h }),
        }
    }
    if end < chars.len() {
        match out.last_mut() {
            Some(f) if !f.hit => f.text.push('…'),
            _ => out.push(Fragment { text: "…".into(), hit: false }),
        }
    }
    out
}

fn marked(frags: &[Fragment]) -> String {
    frags.iter().map(|f| if f.hit { format!("<b>{}</b>", f.text) } else { f.text.clone() }).collect()
}

const SNIPPET_WIDTH: usize = 160;

/// Searches tasks, notes and checklist items; best matches first, at most `limit`.
/// Notes of deleted tasks are left out.
pub fn search(store: &Store, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let terms = terms(query);
    if terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut stmt = store
        .conn
        .prepare_cached("SELECT entity, kind FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rank LIMIT ?2")?;
    // A few more than asked: some may belong to deleted tasks.
    let found: Vec<(String, String)> = stmt
        .query_map(rusqlite::params![fts_query(&terms), limit as i64 * 2 + 10], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (entity, kind) in found {
        if out.len() >= limit as usize {
            break;
        }
        if let Some(hit) = load_hit(store, &entity, &kind, &terms)? {
            out.push(hit);
        }
    }
    Ok(out)
}

/// The record behind an index entry: (text to show, text that was indexed, task, plan, status).
fn load_hit(store: &Store, entity: &str, kind: &str, terms: &[String]) -> Result<Option<SearchHit>> {
    type Loaded = (String, String, Option<String>, Option<String>, Option<String>);
    let row: Option<Loaded> = match kind {
        "task" => store
            .conn
            .prepare_cached(
                "SELECT text, concat_ws(' ', nullif(ref, ''), nullif(text, ''), nullif(section, ''),
                        nullif(time_text, ''), nullif(product, '')), id, plan_id, status
                 FROM tasks WHERE id = ?1",
            )?
            .query_row([entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?,
        "note" => store
            .conn
            .prepare_cached(
                "SELECT n.text, n.text, n.task_id, t.plan_id, NULL FROM notes n JOIN tasks t ON t.id = n.task_id
                 WHERE n.id = ?1",
            )?
            .query_row([entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?,
        "checklist_item" => store
            .conn
            .prepare_cached(
                "SELECT i.text, i.text, NULL, c.plan_id, NULL FROM checklist_items i
                 LEFT JOIN checklists c ON c.id = i.checklist_id WHERE i.id = ?1",
            )?
            .query_row([entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?,
        _ => None,
    };
    let Some((text, indexed, task, plan, status)) = row else { return Ok(None) };
    // Show the record's own text when the match is in it, else the whole indexed text (the
    // match may be in a task's section or product).
    let mut frags = highlight_terms(&text, terms);
    if !frags.iter().any(|f| f.hit) {
        frags = highlight_terms(&indexed, terms);
    }
    let frags = window(frags, SNIPPET_WIDTH);
    Ok(Some(SearchHit {
        kind: kind.to_string(),
        id: parse_uuid(entity).unwrap_or_default(),
        task_id: task.as_deref().and_then(parse_uuid),
        plan_id: plan.as_deref().and_then(parse_uuid),
        text,
        snippet: marked(&frags),
        fragments: frags,
        status: status.as_deref().and_then(TaskStatus::parse),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_the_original_text() {
        let f = highlight("Đăng ký khai sinh cho trẻ", "dang ky khai");
        assert_eq!(marked(&f), "<b>Đăng</b> <b>ký</b> <b>khai</b> sinh cho trẻ");
        let f = highlight("Công an xã Chư Răng", "cong an");
        assert_eq!(marked(&f), "<b>Công</b> <b>an</b> xã Chư Răng");
    }
}
