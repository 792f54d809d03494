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
