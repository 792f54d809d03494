//! Task tracking (issue 4): progress notes, evidence, checklists, targets, units, the
//! dashboard and search, as the core returns them to the UI and the CLI.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::{Overview, Task, TaskStatus, Unit};

/// A dated progress note on a task, with its author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: Uuid,
    pub task_id: Uuid,
    /// ISO date the note speaks of.
    pub date: Option<String>,
    pub author: Option<String>,
    pub text: String,
}

/// Input of "add a progress note".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewNote {
    pub task_id: Uuid,
    pub text: String,
    #[serde(default)]
    pub author: Option<String>,
    /// ISO date; today when absent.
    #[serde(default)]
    pub date: Option<String>,
}

/// Proof that work was done: a document's number and date, optionally a file kept in the data
/// directory under its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: Uuid,
    pub task_id: Option<Uuid>,
    #[serde(default)]
    pub checklist_item_id: Option<Uuid>,
    /// Number and symbol of the document, e.g. "15/QĐ-UBND".
    pub number: Option<String>,
    /// ISO date of the document.
    pub date: Option<String>,
    /// The attached file's original name.
    pub file_name: Option<String>,
    /// Hex SHA-256 of the attached file; it lives at `<data dir>/attachments/<sha256>`.
    pub sha256: Option<String>,
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default)]
    pub text: Option<String>,
}

/// Input of "add evidence to a task".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewEvidence {
    pub task_id: Uuid,
    pub number: String,
    /// ISO date of the document.
    pub date: String,
    /// A file on this PC to copy into the data directory.
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// One reporting period of a recurring task: was progress reported in it?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// `YYYY-MM`.
    pub period: String,
    /// ISO date the check-in is due (the plan's report day, or the month's last day).
    pub due: String,
    /// A progress note dated inside the period exists.
    pub done: bool,
}

/// A task with everything recorded about it, for the task screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub task: Task,
    /// The utility group the task is filed under (a key of `GROUPS`), and whether a person
    /// chose it (`group_override`) or the keyword table did.
    pub group: String,
    #[serde(default)]
    pub group_override: bool,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Check-ins of a recurring task, oldest first (empty for one-off tasks).
    #[serde(default)]
    pub checkins: Vec<CheckIn>,
    /// Every change of the task, oldest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// One change of a task, as the op log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When (RFC 3339, UTC), by the clock of the PC that made it.
    pub at: String,
    /// The PC that made it, whether that is this PC, and who works on it (when named).
    pub device: Uuid,
    pub this_pc: bool,
    #[serde(default)]
    pub by: Option<String>,
    /// The field changed ("status") and its Vietnamese name ("Trạng thái").
    pub field: String,
    pub label: String,
    /// The new value as the officer reads it ("Hoàn thành", unit names, "—" for none).
    pub value: String,
    /// Whether this value stands now (false once replaced, or when it lost a concurrent edit).
    pub current: bool,
}

/// A list of things to tick: a catalogue attached to a plan, or a plan's own appendix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    pub id: Uuid,
    pub plan_id: Option<Uuid>,
    pub title: String,
    /// "catalogue:services", "catalogue:working_group", "catalogue:seven_ways", "import", "manual".
    pub source: Option<String>,
    #[serde(default)]
    pub items: Vec<ChecklistItem>,
    #[serde(default)]
    pub done_count: u32,
    #[serde(default)]
    pub item_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: Uuid,
    pub checklist_id: Uuid,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    /// Online level of a public service ("3", "4", "toàn trình", "một phần").
    pub level: Option<String>,
    pub lead: Option<String>,
    pub time_text: Option<String>,
    pub done: bool,
    pub done_date: Option<String>,
    pub evidence: Option<String>,
    #[serde(default)]
    pub pos: i64,
}

/// A built-in catalogue (assets/catalogue/de-an-06.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// `services`, `working_group`, `seven_ways`.
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub items: Vec<CatalogueItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueItem {
    #[serde(rename = "ref")]
    pub reference: String,
    pub text: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub lead: Option<String>,
}

/// A stored monthly period as officers read it: "2023-05" → "tháng 5/2023"; anything else as
/// it is.
pub fn month_label_vi(period: &str) -> String {
    match period.split_once('-') {
        Some((y, m)) if y.len() == 4 && m.len() == 2 => match m.parse::<u32>() {
            Ok(m) => format!("tháng {m}/{y}"),
            Err(_) => period.to_string(),
        },
        _ => period.to_string(),
    }
}

/// A quantified target (chỉ tiêu) with its recorded figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: Uuid,
    pub plan_id: Option<Uuid>,
    pub text: String,
    /// The goal: a count, a percentage, 1 (yes) for a yes/no indicator.
    pub value: Option<f64>,
    /// "%" or a counted thing ("tài khoản", "hồ sơ"); none for yes/no.
    pub unit: Option<String>,
    /// How its figures are entered and added up; for a target stored without one (imported,
    /// or made before kinds existed) inferred from the unit (see `IndicatorKind::infer`).
    #[serde(default)]
    pub kind: crate::IndicatorKind,
    /// The catalogue code of a standard indicator (assets/catalogue/indicators.json).
    #[serde(default)]
    pub code: Option<String>,
    /// For a catalogue percentage: what its numerator and denominator count.
    #[serde(default)]
    pub numerator_label: Option<String>,
    #[serde(default)]
    pub denominator_label: Option<String>,
    /// The period the target is for ("2023", "2023-12", "quý IV/2023"), as written.
    pub period: Option<String>,
    /// Figures per reporting period, oldest first.
    #[serde(default)]
    pub values: Vec<TargetValue>,
    /// The figure of the latest period.
    #[serde(default)]
    pub latest: Option<TargetValue>,
    /// latest / value × 100, when both exist (may pass 100).
    #[serde(default)]
    pub progress: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetValue {
    pub id: Uuid,
    pub target_id: Uuid,
    /// `YYYY-MM`.
    pub period: String,
    /// The figure: a count, a percentage (numerator / denominator × 100 when they were
    /// recorded), 1 or 0 for yes/no.
    pub value: f64,
    /// A percentage's base, when recorded with one.
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
}

/// Input of "add a target".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTarget {
    pub plan_id: Uuid,
    pub text: String,
    /// The goal (1 for a yes/no indicator).
    pub value: f64,
    /// "%" for a percentage (filled in when left empty), what is counted for a count; may be
    /// empty for yes/no.
    pub unit: String,
    #[serde(default)]
    pub period: Option<String>,
    /// None: inferred from the unit, as for an imported target.
    #[serde(default)]
    pub kind: Option<crate::IndicatorKind>,
}

/// A unit with how many tasks name it, for the unit directory screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEntry {
    #[serde(flatten)]
    pub unit: Unit,
    #[serde(default)]
    pub task_count: u32,
}

/// Progress of one utility group on the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupProgress {
    /// A key of the group table: `dich_vu_cong`, `kinh_te_xa_hoi`, `cong_dan_so`,
    /// `du_lieu_dan_cu`, `chi_dao_dieu_hanh`, `chung` (cross-cutting).
    pub key: String,
    pub label: String,
    pub total: u32,
    pub done: u32,
    pub in_progress: u32,
    pub not_started: u32,
    pub cannot_do: u32,
    pub overdue: u32,
    /// In progress and not past its deadline: with `done`, `overdue`, `not_yet_due` and
    /// `cannot_do` these split `total` into parts that do not overlap (the dashboard's bars).
    #[serde(default)]
    pub in_progress_on_time: u32,
    /// Not started and not past its deadline (or without one).
    #[serde(default)]
    pub not_yet_due: u32,
    /// done / (total − cannot_do) × 100, 0 when there is nothing to do.
    pub percent: f64,
}

/// The next report a plan asks for ("trước ngày 12 hàng tháng").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDeadline {
    pub plan_id: Uuid,
    pub plan_title: String,
    /// ISO date.
    pub date: String,
    pub day_of_month: u32,
    pub to: Option<String>,
    pub text: String,
    /// Days from the as-of date.
    pub days_left: i64,
}

/// Everything the dashboard (Tổng quan) shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub as_of: String,
    pub overview: Overview,
    pub groups: Vec<GroupProgress>,
    pub overdue: Vec<Task>,
    pub due_this_month: Vec<Task>,
    pub next_report: Option<ReportDeadline>,
    pub targets: Vec<Target>,
}

/// A piece of a highlighted snippet: `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    #[serde(default)]
    pub hit: bool,
}

/// A search result: a task, a progress note or a checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// `task`, `note` or `checklist_item`.
    pub kind: String,
    pub id: Uuid,
    /// The task the hit is (or belongs to), for notes and tasks.
    pub task_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    /// The record's whole text, as stored.
    pub text: String,
    /// Around the first match, with matches wrapped in `<b>` … `</b>` (the text is not
    /// otherwise escaped: render `fragments` to be safe).
    pub snippet: String,
    pub fragments: Vec<Fragment>,
    #[serde(default)]
    pub status: Option<TaskStatus>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_read_the_vietnamese_way() {
        assert_eq!(super::month_label_vi("2023-05"), "tháng 5/2023");
        assert_eq!(super::month_label_vi("2024-12"), "tháng 12/2024");
        assert_eq!(super::month_label_vi("quý IV/2023"), "quý IV/2023");
    }
}

impl HistoryEntry {
    /// Who made the change: the PC's user when named, else "máy này" or the start of the PC's
    /// id (as the Đồng bộ screen shows it).
    pub fn who(&self) -> String {
        match (&self.by, self.this_pc) {
            (Some(by), _) => by.clone(),
            (None, true) => "máy này".into(),
            (None, false) => format!("máy {}", &self.device.to_string()[..8]),
        }
    }
}

/// The officer who works on a PC, as named on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PcUser {
    pub name: String,
    /// The desk or unit: "Công an xã", "Văn phòng – Thống kê".
    #[serde(default)]
    pub unit: Option<String>,
}

impl PcUser {
    /// "Nguyễn Văn Hùng (Công an xã)", or the name alone.
    pub fn label(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.name),
            None => self.name.clone(),
        }
    }
}
