//! The records an officer works with, as the core returns them to the UI and the CLI.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::plan_doc::{Due, LevelDue, ReportingRule};

/// The commune (or higher unit) this install belongs to: what the header and the
/// signature block of every report are made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// e.g. "UBND xã Chư Răng".
    pub commune: Option<String>,
    /// e.g. "UBND huyện Ia Pa" or, since 2025, the province.
    pub parent: Option<String>,
    /// Place name in the date line: "Chư Răng, ngày 07 tháng 4 năm 2023".
    pub place: Option<String>,
    /// Chairman's full name.
    pub signer: Option<String>,
    /// e.g. "CHỦ TỊCH".
    pub signer_title: Option<String>,
    /// commune / ward / township / district / province.
    pub level: Option<String>,
}

impl Settings {
    /// The first-run setup is done once the fields every report needs are filled.
    pub fn is_complete(&self) -> bool {
        [&self.commune, &self.parent, &self.place, &self.signer]
            .iter()
            .all(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// A department or body of the commune: "Công an xã", "Văn phòng – Thống kê", …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: Uuid,
    pub title: String,
    /// Number and symbol, e.g. "24/KH-UBND".
    pub number: Option<String>,
    /// ISO date of issue.
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub reporting: Vec<ReportingRule>,
    /// What a monthly report of this plan covers.
    #[serde(default)]
    pub period_cutoff: crate::report::PeriodCutoff,
    /// Number of live tasks (filled by list queries).
    #[serde(default)]
    pub task_count: u32,
    #[serde(default)]
    pub done_count: u32,
    /// The level above's plan this one implements (derived, issue 17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<crate::ParentLink>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[default]
    NotStarted,
    InProgress,
    Done,
    /// "không thực hiện được", always with a reason.
    CannotDo,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] =
        [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done, TaskStatus::CannotDo];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::CannotDo => "cannot_do",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The Vietnamese label shown in the UI and in reports.
    pub fn label_vi(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Chưa thực hiện",
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::Done => "Hoàn thành",
            TaskStatus::CannotDo => "Không thực hiện được",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: Uuid,
    pub plan_id: Uuid,
    /// The number printed in the plan: "1.1", "4.13", "a".
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
    /// "Kinh phí: …" as written.
    #[serde(default)]
    pub budget: Option<String>,
    /// Each level's date when the timeframe names one per level; `due` is this unit's.
    #[serde(default)]
    pub due_by_level: Vec<LevelDue>,
    pub status: TaskStatus,
    pub status_reason: Option<String>,
    /// The concrete deadline derived from `due`, ISO date.
    pub deadline: Option<String>,
    /// Derived against a given day, never stored.
    #[serde(default)]
    pub overdue: bool,
    /// The level above's task this one implements: its id when known, its number always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_task: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_ref: Option<String>,
}

/// Input of "add a task" in the UI and `kehoach task add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    pub plan_id: Uuid,
    pub text: String,
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    /// The timeframe as written ("Trong quý I/2023").
    #[serde(default)]
    pub due_text: Option<String>,
    /// The timeframe read from `due_text` by the import crate's parser, when there is one.
    #[serde(default)]
    pub due: Option<Due>,
    /// Each level's date, read from `due_text` with `due`.
    #[serde(default)]
    pub due_by_level: Vec<LevelDue>,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub coord: Vec<String>,
    #[serde(default)]
    pub monitor: Vec<String>,
    #[serde(default)]
    pub product: Option<String>,
}

/// Input of "edit a task" in the app and `kehoach task edit`: each field given replaces the
/// task's; an absent one stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskEdit {
    #[serde(default)]
    pub text: Option<String>,
    /// The timeframe as written; an empty text clears the deadline.
    #[serde(default)]
    pub due_text: Option<String>,
    /// The timeframe read from `due_text` by the import crate's parser.
    #[serde(default)]
    pub due: Option<Due>,
    /// Each level's date read from `due_text` (written with it; empty when it names none).
    #[serde(default)]
    pub due_by_level: Vec<LevelDue>,
    /// Lead units by name or alias (unknown names become new units, as when adding a task).
    #[serde(default)]
    pub lead: Option<Vec<String>>,
}

/// Input of "create a plan".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewPlan {
    pub title: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
}

/// Input of "correct a plan's header": each field given replaces the plan's (an empty number,
/// date or issuer clears it); an absent one stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanEdit {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    /// Date of issue, YYYY-MM-DD.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    /// What a monthly report covers.
    #[serde(default)]
    pub period_cutoff: Option<crate::report::PeriodCutoff>,
}

/// A plan with its tasks, for the plan screen and `kehoach plan show`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDetail {
    pub plan: Plan,
    pub tasks: Vec<Task>,
    /// The newest progress note of each task that has one (the table's "last note").
    #[serde(default)]
    pub last_notes: Vec<crate::Note>,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFilter {
    pub plan_id: Option<Uuid>,
    pub status: Option<TaskStatus>,
    /// A unit name or alias.
    pub unit: Option<String>,
    pub overdue_only: bool,
    /// Diacritic-insensitive full-text query.
    pub search: Option<String>,
    /// The day "overdue" is judged on, ISO; today when absent.
    pub as_of: Option<String>,
}

/// Figures for the dashboard (Tổng quan).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub plans: u32,
    pub tasks: u32,
    pub done: u32,
    pub in_progress: u32,
    pub overdue: u32,
    pub due_this_month: u32,
    pub as_of: String,
}

/// A value of a concurrent edit that lost, kept so nobody's edit vanishes silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub entity: Uuid,
    pub kind: String,
    pub field: String,
    pub kept: serde_json::Value,
    pub lost: serde_json::Value,
    pub lost_device: Uuid,
}
