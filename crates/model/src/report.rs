//! Periodic reports as data: the period a report covers, the reporting schedule, and a
//! report draft (header, parts, appendix rows, recipients, signature) that the officer edits
//! and the report crate renders to PDF, DOCX and XLSX.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::TaskStatus;

/// How long a reporting period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    /// Six months: the interim review (sơ kết).
    Half,
    /// The year: the final review (tổng kết).
    Year,
}

/// The period a report covers: a month, a quarter, a half-year or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub kind: PeriodKind,
    pub year: i32,
    /// Month 1–12, quarter 1–4, half 1–2; 0 for a year.
    pub index: u32,
}

fn roman(n: u32) -> &'static str {
    ["", "I", "II", "III", "IV"].get(n as usize).copied().unwrap_or("?")
}

impl ReportPeriod {
    pub fn month(year: i32, month: u32) -> Self {
        ReportPeriod { kind: PeriodKind::Month, year, index: month }
    }
    pub fn quarter(year: i32, quarter: u32) -> Self {
        ReportPeriod { kind: PeriodKind::Quarter, year, index: quarter }
    }
    pub fn half(year: i32, half: u32) -> Self {
        ReportPeriod { kind: PeriodKind::Half, year, index: half }
    }
    pub fn year(year: i32) -> Self {
        ReportPeriod { kind: PeriodKind::Year, year, index: 0 }
    }

    /// The code used on the command line and in storage: "2023-03", "2023-Q1", "2023-H1", "2023".
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.year, self.index),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.year, self.index),
            PeriodKind::Half => format!("{:04}-H{}", self.year, self.index),
            PeriodKind::Year => format!("{:04}", self.year),
        }
    }

    /// As a report names it: "tháng 3 năm 2023", "quý I năm 2023", "6 tháng đầu năm 2023",
    /// "năm 2023".
    pub fn label_vi(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("tháng {} năm {}", self.index, self.year),
            PeriodKind::Quarter => format!("quý {} năm {}", roman(self.index), self.year),
            PeriodKind::Half if self.index == 1 => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::Half => format!("6 tháng cuối năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        }
    }

    /// The period of the same kind that follows.
    pub fn next(&self) -> ReportPeriod {
        let per_year = match self.kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Half => 2,
            PeriodKind::Year => return ReportPeriod::year(self.year + 1),
        };
        if self.index >= per_year {
            ReportPeriod { kind: self.kind, year: self.year + 1, index: 1 }
        } else {
            ReportPeriod { kind: self.kind, year: self.year, index: self.index + 1 }
        }
    }

    /// First and last month (1–12) of the period.
    pub fn months(&self) -> (u32, u32) {
        match self.kind {
            PeriodKind::Month => (self.index, self.index),
            PeriodKind::Quarter => (self.index * 3 - 2, self.index * 3),
            PeriodKind::Half => (self.index * 6 - 5, self.index * 6),
            PeriodKind::Year => (1, 12),
        }
    }
}

/// Where a report of the schedule stands on the day asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleState {
    /// Due on or after the day asked about, not issued yet.
    Upcoming,
    /// Past its due day and not issued.
    Late,
    /// Issued.
    Done,
    /// Returned by the level above: to be revised and issued again.
    Returned,
}

/// What a monthly report covers, set per plan: the calendar month, or the cut-off of Decree
/// 09/2019/NĐ-CP on the government's reporting regime (from the 15th of the previous month to
/// the 14th of the month reported), which several provinces use. Quarters, halves and years
/// follow the same cut-off (quarter I: 15 December to 14 March).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodCutoff {
    #[default]
    Calendar,
    Decree09,
}

impl PeriodCutoff {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodCutoff::Calendar => "calendar",
            PeriodCutoff::Decree09 => "decree09",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "calendar" | "thang" | "" => Some(PeriodCutoff::Calendar),
            "decree09" | "nd09" | "09" => Some(PeriodCutoff::Decree09),
            _ => None,
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            PeriodCutoff::Calendar => "Theo tháng dương lịch",
            PeriodCutoff::Decree09 => "Từ ngày 15 tháng trước đến ngày 14 (Nghị định 09/2019/NĐ-CP)",
        }
    }
}

/// One report a plan's reporting regime asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleEntry {
    pub plan_id: Uuid,
    pub plan_title: String,
    pub period: ReportPeriod,
    /// "2023-03"
    pub period_code: String,
    /// "tháng 3 năm 2023"
    pub period_label: String,
    /// The last day to send it, ISO.
    pub due: String,
    /// Whom it goes to, as the plan says.
    pub to: Option<String>,
    pub state: ScheduleState,
    /// Days from the day asked about to `due` (negative when late).
    pub days_left: i64,
    /// The report already drafted for this plan and period, if any.
    pub report_id: Option<Uuid>,
}

/// Where a report stands. The commune writes `draft` and `issued`; the level above decides
/// `accepted` or `returned` on an issued version (a [`ReportReview`]), and that decision is what
/// shows while the version it was made on is the current one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    #[default]
    Draft,
    /// Signed (digitally or by hand) and sent: frozen. Saving it again makes a new draft version.
    Issued,
    /// The level above accepted the issued version: locked until it reopens it.
    Accepted,
    /// The level above sent the issued version back with a reason: the commune revises it and
    /// issues the next version.
    Returned,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] =
        [ReportStatus::Draft, ReportStatus::Issued, ReportStatus::Accepted, ReportStatus::Returned];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Issued => "issued",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Dự thảo",
            ReportStatus::Issued => "Đã ban hành",
            ReportStatus::Accepted => "Cấp trên đã chấp nhận",
            ReportStatus::Returned => "Cấp trên trả lại",
        }
    }
    /// Issued at least in its current version (accepted and returned versions were issued).
    pub fn is_issued(self) -> bool {
        !matches!(self, ReportStatus::Draft)
    }
}

/// How an issued version was signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueMethod {
    /// Signed digitally in kehoach (the signed PDF is kept with the report).
    #[default]
    Digital,
    /// Printed, signed by hand and sent ("Đã ký tay và gửi"), optionally with a scan.
    Hand,
}

impl IssueMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueMethod::Digital => "digital",
            IssueMethod::Hand => "hand",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [IssueMethod::Digital, IssueMethod::Hand].into_iter().find(|m| m.as_str() == s)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            IssueMethod::Digital => "Ký số",
            IssueMethod::Hand => "Đã ký tay và gửi",
        }
    }
}

/// When and how a report was issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueRecord {
    /// The version issued last.
    pub version: u32,
    /// When that version was issued (RFC 3339 with the PC's offset).
    pub issued_at: String,
    /// When the report was first issued: what "on time" is judged by, so a report sent on time
    /// and returned for a correction does not count as late.
    pub first_issued_at: String,
    pub method: IssueMethod,
    /// The scan of the paper signed by hand, relative to the data directory
    /// (`attachments/<sha256>.pdf` or `attachments/<sha256>` for an image), if one was given.
    #[serde(default)]
    pub scan: Option<String>,
}

/// The level above's decision on an issued version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Accepted,
    Returned,
    /// An accepted version opened again: the commune may make a new version.
    Reopened,
}

impl ReviewDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewDecision::Accepted => "accepted",
            ReviewDecision::Returned => "returned",
            ReviewDecision::Reopened => "reopened",
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            ReviewDecision::Accepted => "Chấp nhận",
            ReviewDecision::Returned => "Trả lại",
            ReviewDecision::Reopened => "Mở lại",
        }
    }
}

/// A decision of the level above, written by its device as one op (the report's `review`
/// field) and carried back to the commune by the hub or a USB bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportReview {
    pub decision: ReviewDecision,
    /// The version decided on.
    pub version: u32,
    /// Why it was returned (required then), or a remark.
    #[serde(default)]
    pub reason: String,
    /// The deciding unit, e.g. "UBND huyện Ia Pa".
    #[serde(default)]
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

/// The header of the report (Decree 30 items 1–4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// e.g. "UBND huyện Ia Pa"; may be empty.
    pub parent_body: String,
    /// e.g. "Ủy ban nhân dân\nxã Chư Răng" ('\n' breaks the line).
    pub issuing_body: String,
    /// Number and symbol, e.g. "24/BC-UBND"; "/BC-UBND" leaves the number blank for the clerk.
    pub number: String,
    /// Place name of the date line, e.g. "Chư Răng".
    pub place: String,
    /// Date of the report, ISO `YYYY-MM-DD`.
    pub date: String,
}

/// The signature block (Decree 30 item 7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportSignature {
    /// "TM. Ủy ban nhân dân", "KT. Chủ tịch", "Q. Chủ tịch", or empty.
    pub authority: String,
    /// e.g. "Chủ tịch", "Phó Chủ tịch".
    pub title: String,
    /// The signer's full name.
    pub name: String,
}

/// A subsection of a part (e.g. one group of Part II).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    /// e.g. "1. Cung cấp dịch vụ công trực tuyến".
    pub heading: String,
    /// Running text; '\n' starts a new paragraph.
    pub text: String,
}

/// One of the parts I–V of the report body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportPart {
    /// "i", "ii", "iii", "iv", "v" for the usual parts; free for parts the officer adds.
    pub key: String,
    /// e.g. "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI".
    pub heading: String,
    /// Text before the sections; '\n' starts a new paragraph.
    pub text: String,
    #[serde(default)]
    pub sections: Vec<ReportSection>,
}

/// One row of the appendix table of tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppendixRow {
    /// The task's number in the plan ("1.1").
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    /// Lead units, joined.
    pub lead: String,
    /// The timeframe as written in the plan.
    pub time_text: String,
    pub status: TaskStatus,
    /// What the result column shows: "Hoàn thành", "Đang thực hiện", "Chậm tiến độ", …
    pub result: String,
    /// The task's id, when the row comes from a task.
    #[serde(default)]
    pub task_id: Option<Uuid>,
}

/// The appendix (Phụ lục) with the table of tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportAppendix {
    /// e.g. "Tình hình thực hiện nhiệm vụ tháng 3 năm 2023".
    pub title: String,
    /// e.g. "(Kèm theo Báo cáo số 24/BC-UBND ngày 07/4/2023 của UBND xã Chư Răng)".
    pub note: String,
    pub rows: Vec<AppendixRow>,
}

/// Everything the officer edits: the whole document as data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportContent {
    pub header: ReportHeader,
    /// "BÁO CÁO".
    pub doc_type: String,
    /// The summary under the document type.
    pub title: String,
    /// The opening paragraph ("Thực hiện Kế hoạch số …").
    pub intro: String,
    pub parts: Vec<ReportPart>,
    /// The closing sentence ("Trên đây là báo cáo …./.").
    pub closing: String,
    pub appendix: ReportAppendix,
    /// Nơi nhận, one recipient per entry.
    pub recipients: Vec<String>,
    pub signature: ReportSignature,
}

impl ReportContent {
    /// What the header and closing still lack, in Vietnamese ("họ tên người ký", "địa danh").
    /// A report with anything missing is not rendered.
    pub fn missing(&self) -> Vec<String> {
        let blank = |s: &str| s.trim().is_empty();
        let mut out = Vec::new();
        if blank(&self.header.issuing_body) {
            out.push("tên cơ quan ban hành".to_string());
        }
        if blank(&self.header.number) || !self.header.number.contains('/') {
            out.push("số, ký hiệu".to_string());
        }
        if blank(&self.header.place) {
            out.push("địa danh".to_string());
        }
        if blank(&self.header.date) {
            out.push("ngày báo cáo".to_string());
        }
        if blank(&self.doc_type) || blank(&self.title) {
            out.push("tên loại và trích yếu".to_string());
        }
        if blank(&self.signature.title) {
            out.push("chức vụ người ký".to_string());
        }
        if blank(&self.signature.name) {
            out.push("họ tên người ký".to_string());
        }
        out
    }
}

/// A saved report: its identity, where it stands, and its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub period: ReportPeriod,
    /// 1 for the first save; every save adds one.
    pub version: u32,
    pub status: ReportStatus,
    /// When this version was saved (RFC 3339); empty for a draft not saved yet.
    #[serde(default)]
    pub saved_at: String,
    pub content: ReportContent,
    /// `content.missing()`, for the UI: what must be filled before rendering.
    #[serde(default)]
    pub missing: Vec<String>,
    /// The last digital signature recorded on this report, if any.
    #[serde(default)]
    pub signed: Option<SignedCopy>,
    /// When and how it was issued, if it was.
    #[serde(default)]
    pub issued: Option<IssueRecord>,
    /// The level above's last decision, if any (on this or an earlier version).
    #[serde(default)]
    pub review: Option<ReportReview>,
    /// The last day to send it (ISO), from the plan's reporting rule for the commune.
    #[serde(default)]
    pub due: Option<String>,
    /// Days past `due` when it was first issued (0 when on time); `None` before it is issued.
    #[serde(default)]
    pub late_days: Option<i64>,
    /// Accepted by the level above: no new version can be made until it reopens it.
    #[serde(default)]
    pub locked: bool,
}

impl ReportDraft {
    /// The current version is the one that was signed: it is frozen. Saving an edit makes a
    /// new version (the signed one stays in the versions and its PDF in the data directory),
    /// and that new version has to be signed again.
    pub fn is_frozen(&self) -> bool {
        self.signed.as_ref().is_some_and(|s| s.version == self.version)
    }
}

/// A signed copy of a report: which version was signed, by whom, and the signed PDF kept in
/// the data directory (a synced attachment) with its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedCopy {
    pub version: u32,
    pub sha256: String,
    pub signed_by: String,
    /// RFC 3339.
    pub signed_at: String,
    /// Relative to the data directory: `attachments/<sha256>.pdf`.
    pub pdf: String,
}

/// A report in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub period: ReportPeriod,
    pub number: String,
    pub title: String,
    pub version: u32,
    pub status: ReportStatus,
    pub saved_at: String,
    /// When the current issue was made (RFC 3339); empty when not issued.
    #[serde(default)]
    pub issued_at: String,
    /// Days late at the first issue; `None` before it is issued.
    #[serde(default)]
    pub late_days: Option<i64>,
    /// The reason given by the level above when it returned the report.
    #[serde(default)]
    pub review_reason: Option<String>,
    #[serde(default)]
    pub due: Option<String>,
}

/// An earlier (or the current) saved version of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportVersion {
    pub version: u32,
    pub saved_at: String,
    /// The device that saved it.
    pub device: Uuid,
    pub content: ReportContent,
}
