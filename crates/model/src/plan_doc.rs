//! The plan a document import produces: the JSON of `PLAN_SCHEMA.md`
//! (`kehoach plan import FILE --dry-run --json`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportedPlan {
    pub doc: DocHeader,
    #[serde(default)]
    pub reporting: Vec<ReportingRule>,
    #[serde(default)]
    pub tasks: Vec<ImportedTask>,
    #[serde(default)]
    pub checklists: Vec<ImportedChecklist>,
    #[serde(default)]
    pub targets: Vec<ImportedTarget>,
    /// The level above's plan this one implements, when it was derived from it (issue 17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<crate::ParentLink>,
}

/// The document's header: who issued it, its number and date, what it implements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocHeader {
    pub issuer: Option<String>,
    /// Number and symbol, e.g. "24/KH-UBND".
    pub number: Option<String>,
    /// Date of issue, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Place name of the date line.
    pub place: Option<String>,
    pub title: Option<String>,
    pub signer: Option<String>,
    #[serde(default)]
    pub basis: Vec<String>,
}

/// "báo cáo định kỳ hàng tháng … trước ngày 12 hàng tháng".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportingRule {
    pub day_of_month: Option<u32>,
    pub who: Option<String>,
    pub to: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportedTask {
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub section: Option<String>,
    pub text: String,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub coord: Vec<String>,
    #[serde(default)]
    pub monitor: Vec<String>,
    pub time_text: Option<String>,
    #[serde(default)]
    pub due: Due,
    pub product: Option<String>,
    pub appendix: Option<String>,
    /// A time that names one date per level ("cấp huyện từ ngày 01/7/2023; cấp xã từ ngày
    /// 01/10/2023"): each level's date, in the order written. `due` is the importing unit's.
    #[serde(default)]
    pub due_by_level: Vec<LevelDue>,
    /// "Kinh phí: …" — the money a task is paid from, as written.
    #[serde(default)]
    pub budget: Option<String>,
    /// The level above's task this one implements (a derived plan): its id when the parent
    /// came as a publication or is held here, and its number always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_task: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_ref: Option<String>,
}

impl ImportedTask {
    /// This task with `next` joined on, as the review screen's "Gộp với dòng dưới" makes it: the
    /// texts one after the other, the units of both (each once), and this task's number, section,
    /// time, product and budget — the next one's where this one has none.
    pub fn merged_with(&self, next: &ImportedTask) -> ImportedTask {
        fn units(a: &[String], b: &[String]) -> Vec<String> {
            let mut out = a.to_vec();
            out.extend(b.iter().filter(|u| !a.contains(u)).cloned());
            out
        }
        let mut t = self.clone();
        t.text = match (self.text.trim(), next.text.trim()) {
            (a, "") => a.to_string(),
            ("", b) => b.to_string(),
            (a, b) => format!("{a} {b}"),
        };
        t.lead = units(&self.lead, &next.lead);
        t.coord = units(&self.coord, &next.coord);
        t.monitor = units(&self.monitor, &next.monitor);
        if self.time_text.as_deref().is_none_or(|s| s.trim().is_empty()) {
            t.time_text = next.time_text.clone();
            t.due = next.due.clone();
            t.due_by_level = next.due_by_level.clone();
        }
        t.reference = self.reference.clone().or_else(|| next.reference.clone());
        t.section = self.section.clone().or_else(|| next.section.clone());
        t.product = self.product.clone().or_else(|| next.product.clone());
        t.budget = self.budget.clone().or_else(|| next.budget.clone());
        t.appendix = self.appendix.clone().or_else(|| next.appendix.clone());
        t
    }

    /// Splits the text at byte offset `at` (the caret of the review screen's "Tách tại con
    /// trỏ"): the text before stays here, the text after makes a new task with the same
    /// section, units, time, product and budget, and no number of its own. None when `at` is
    /// not inside the text or leaves either part empty.
    pub fn split_at(&self, at: usize) -> Option<(ImportedTask, ImportedTask)> {
        if !self.text.is_char_boundary(at) {
            return None;
        }
        let (a, b) = self.text.split_at(at);
        let (a, b) = (a.trim(), b.trim());
        if a.is_empty() || b.is_empty() {
            return None;
        }
        let first = ImportedTask { text: a.to_string(), ..self.clone() };
        let second = ImportedTask { text: b.to_string(), reference: None, ..self.clone() };
        Some((first, second))
    }
}

/// One level's deadline in a time written per level: level "xã" for "cấp xã từ ngày 01/10/2023".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelDue {
    /// The level as the plan names it after "cấp": "xã", "phường", "thị trấn", "huyện", "tỉnh"…
    pub level: String,
    pub due: Due,
}

/// A timeframe as read for one unit: its own deadline and, when the time names one per
/// level, every level's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeReading {
    pub due: Due,
    #[serde(default)]
    pub due_by_level: Vec<LevelDue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportedChecklist {
    pub title: String,
    #[serde(default)]
    pub items: Vec<ImportedChecklistItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportedChecklistItem {
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    pub level: Option<String>,
    pub lead: Option<String>,
    pub time_text: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportedTarget {
    pub text: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub period: Option<String>,
}

/// A task's timeframe in structured form (see the `due` table of PLAN_SCHEMA.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    #[serde(flatten)]
    pub kind: DueKind,
    /// "… và duy trì thường xuyên": the deadline stands, then the task goes on every period.
    #[serde(default, skip_serializing_if = "is_false")]
    pub recurring_after: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueKind {
    /// A fixed date, ISO `YYYY-MM-DD`.
    Date {
        date: String,
    },
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    Half {
        year: i32,
        half: u32,
    },
    Year {
        year: i32,
    },
    /// Starts on `date` (first day of the month named) and goes on.
    From {
        date: String,
    },
    /// From the first day of the first month to the last day of the last.
    Range {
        from: String,
        to: String,
    },
    Recurring,
    OnRequest,
    AfterEvent {
        event: String,
    },
    #[default]
    None,
}

impl Due {
    pub fn new(kind: DueKind) -> Self {
        Due { kind, recurring_after: false }
    }
}

/// A stored task in the shape a plan document gives it: what a derive proposes from a plan
/// held on this PC, and what a published plan carries.
impl From<&crate::Task> for ImportedTask {
    fn from(t: &crate::Task) -> ImportedTask {
        ImportedTask {
            reference: t.reference.clone(),
            section: t.section.clone(),
            text: t.text.clone(),
            lead: t.lead.clone(),
            coord: t.coord.clone(),
            monitor: t.monitor.clone(),
            time_text: t.time_text.clone(),
            due: t.due.clone(),
            product: t.product.clone(),
            appendix: None,
            due_by_level: t.due_by_level.clone(),
            budget: t.budget.clone(),
            parent_task: None,
            parent_ref: None,
        }
    }
}
