//! The review of an imported plan: its rows and every edit the officer makes to them, as one
//! reducer. What is saved is built here from the rows, so it is exactly what the screen shows.

use std::rc::Rc;

use kehoach_model::{DeriveProposal, ImportedPlan, ImportedTask, TimeReading};
use yew::Reducible;

/// One row of the review: a task as read (or as corrected), or marked "không phải nhiệm vụ".
#[derive(Clone, PartialEq)]
pub struct Row {
    /// Stable across inserts and deletes, for the list's keys and the actions.
    pub key: u64,
    pub task: ImportedTask,
    /// Left out of the saved plan, still shown (and undone with one click).
    pub not_task: bool,
    /// A row derived from the level above's task: that task's number and units as written
    /// ("Nhiệm vụ 2.3 của cấp trên — Chủ trì: UBND các xã, thị trấn"), shown beside the
    /// commune's wording.
    pub upstream: Option<String>,
}

/// A text field of a row; units are typed separated by ";".
#[derive(Clone, Copy, PartialEq)]
pub enum Field {
    Ref,
    Section,
    Text,
    Lead,
    Coord,
    Monitor,
    Product,
    Budget,
}

pub enum Action {
    Load(ImportedPlan),
    /// The derive step: the commune's plan proposed from the level above's, each proposed task
    /// a row (those only perhaps concerning the commune marked "không phải nhiệm vụ").
    LoadDerived(DeriveProposal),
    Clear,
    Edit {
        key: u64,
        field: Field,
        value: String,
    },
    /// The time as typed, shown at once; its reading follows.
    TimeTyped {
        key: u64,
        text: String,
    },
    /// The reading of `text`, applied only if the row still holds that text (a slower reply to
    /// an older keystroke is dropped).
    TimeRead {
        key: u64,
        text: String,
        reading: TimeReading,
    },
    Delete(u64),
    UndoDelete,
    MergeNext(u64),
    /// Split at `caret`, a UTF-16 offset into `text` (the text field's value and selection).
    Split {
        key: u64,
        text: String,
        caret: u32,
    },
    ToggleNotTask(u64),
    /// A new empty row after the given one (at the end when none), in its section.
    AddAfter(Option<u64>),
}

#[derive(Clone, PartialEq, Default)]
pub struct Review {
    /// The plan as read, its tasks taken out into `rows`.
    pub plan: Option<ImportedPlan>,
    pub rows: Vec<Row>,
    /// The last row deleted, with its place, for "Hoàn tác".
    pub deleted: Option<(usize, Row)>,
    /// Why the last edit could not be made (a split with the caret at an end).
    pub notice: Option<String>,
    next_key: u64,
}

fn units(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|u| !u.is_empty()).map(String::from).collect()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The byte offset of a UTF-16 offset (a text field's selection) in `s`.
fn byte_offset(s: &str, utf16: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in s.char_indices() {
        if seen >= utf16 {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    s.len()
}

impl Review {
    fn key(&mut self) -> u64 {
        self.next_key += 1;
        self.next_key
    }

    fn at(&self, key: u64) -> Option<usize> {
        self.rows.iter().position(|r| r.key == key)
    }

    fn row(&mut self, key: u64) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.key == key)
    }

    /// The rows that go into the plan, in order.
    pub fn tasks(&self) -> Vec<ImportedTask> {
        self.rows.iter().filter(|r| !r.not_task).map(|r| r.task.clone()).collect()
    }

    /// The plan to save, or why not (in Vietnamese, naming the row).
    pub fn to_save(&self) -> Result<ImportedPlan, String> {
        let Some(plan) = &self.plan else { return Err("Chưa đọc tệp kế hoạch nào".into()) };
        if let Some(i) = self.rows.iter().position(|r| !r.not_task && r.task.text.trim().is_empty()) {
            return Err(format!(
                "Dòng {}: chưa có nội dung nhiệm vụ (nhập nội dung, xóa dòng hoặc đánh dấu \"không phải nhiệm vụ\")",
                i + 1
            ));
        }
        let tasks = self.tasks();
        if tasks.is_empty() {
            return Err("Không còn nhiệm vụ nào để lưu".into());
        }
        Ok(ImportedPlan { tasks, ..plan.clone() })
    }

    fn edit(&mut self, key: u64, field: Field, value: String) {
        let Some(r) = self.row(key) else { return };
        let t = &mut r.task;
        match field {
            Field::Ref => t.reference = opt(&value),
            Field::Section => t.section = opt(&value),
            Field::Text => t.text = value.trim().to_string(),
            Field::Lead => t.lead = units(&value),
            Field::Coord => t.coord = units(&value),
            Field::Monitor => t.monitor = units(&value),
            Field::Product => t.product = opt(&value),
            Field::Budget => t.budget = opt(&value),
        }
    }

    fn split(&mut self, key: u64, text: String, caret: u32) {
        let Some(i) = self.at(key) else { return };
        let mut task = self.rows[i].task.clone();
        task.text = text;
        match task.split_at(byte_offset(&task.text, caret)) {
            Some((a, b)) => {
                self.rows[i].task = a;
                let key = self.key();
                self.rows.insert(i + 1, Row { key, task: b, not_task: false, upstream: self.rows[i].upstream.clone() });
            }
            None => {
                self.notice = Some(
                    "Để tách, bấm vào nội dung đúng chỗ cần tách (giữa hai phần, không ở đầu hay cuối) rồi bấm \"Tách tại con trỏ\"".into(),
                )
            }
        }
    }
}

impl Reducible for Review {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        s.notice = None;
        match action {
            Action::Load(mut plan) => {
                let tasks = std::mem::take(&mut plan.tasks);
                s = Review::default();
                for task in tasks {
                    let key = s.key();
                    s.rows.push(Row { key, task, not_task: false, upstream: None });
                }
                s.plan = Some(plan);
            }
            Action::LoadDerived(p) => {
                s = Review::default();
                for t in &p.tasks {
                    let key = s.key();
                    let head = match &t.task.parent_ref {
                        Some(r) => format!("Nhiệm vụ {r} của cấp trên"),
                        None => "Nhiệm vụ của cấp trên".to_string(),
                    };
                    let upstream = Some(format!("{head} — {}", t.parent_units));
                    s.rows.push(Row { key, task: t.task.clone(), not_task: !t.selected, upstream });
                }
                s.plan = Some(ImportedPlan { tasks: Vec::new(), ..p.to_plan() });
            }
            Action::Clear => s = Review::default(),
            Action::Edit { key, field, value } => s.edit(key, field, value),
            Action::TimeTyped { key, text } => {
                if let Some(r) = s.row(key) {
                    r.task.time_text = Some(text).filter(|t| !t.trim().is_empty());
                }
            }
            Action::TimeRead { key, text, reading } => {
                if let Some(r) = s.row(key).filter(|r| r.task.time_text.as_deref().unwrap_or("") == text) {
                    r.task.due = reading.due;
                    r.task.due_by_level = reading.due_by_level;
                }
            }
            Action::Delete(key) => {
                if let Some(i) = s.at(key) {
                    s.deleted = Some((i, s.rows.remove(i)));
                }
            }
            Action::UndoDelete => {
                if let Some((i, row)) = s.deleted.take() {
                    s.rows.insert(i.min(s.rows.len()), row);
                }
            }
            Action::MergeNext(key) => {
                if let Some(i) = s.at(key).filter(|i| i + 1 < s.rows.len()) {
                    let next = s.rows.remove(i + 1);
                    s.rows[i].task = s.rows[i].task.merged_with(&next.task);
                }
            }
            Action::Split { key, text, caret } => s.split(key, text, caret),
            Action::ToggleNotTask(key) => {
                if let Some(r) = s.row(key) {
                    r.not_task = !r.not_task;
                }
            }
            Action::AddAfter(after) => {
                let i = after.and_then(|k| s.at(k)).map_or(s.rows.len(), |i| i + 1);
                let section = i.checked_sub(1).and_then(|p| s.rows[p].task.section.clone());
                let key = s.key();
                s.rows.insert(
                    i,
                    Row { key, task: ImportedTask { section, ..Default::default() }, not_task: false, upstream: None },
                );
            }
        }
        Rc::new(s)
    }
}
