//! Reports: the schedule, drafts, saving, rendering, signing and checking signatures.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands;

commands! {
    ReportSchedule = "report_schedule" { as_of: Option<String> } -> Vec<crate::ScheduleEntry>;
    ListReports = "list_reports" { plan_id: Option<Uuid> } -> Vec<crate::ReportSummary>;
    /// Composes (and saves) the draft of a plan's report for a period ("2023-03", "2023-Q1", "2023").
    DraftReport = "draft_report" { plan_id: Uuid, period: String } -> crate::ReportDraft;
    GetReport = "get_report" { id: Uuid } -> crate::ReportDraft;
    SaveReport = "save_report" { id: Uuid, content: crate::ReportContent } -> crate::ReportDraft;
    /// "Đã ký tay và gửi": number, date (ISO) and the scan of the paper, if chosen.
    IssueByHand = "issue_by_hand" { id: Uuid, number: Option<String>, date: Option<String>, scan: Option<String> } -> crate::ReportDraft;
    /// The saved report written as "pdf", "docx" or "xlsx" to `path`; answers the path.
    ExportReport = "export_report" { id: Uuid, format: String, path: String } -> String;
    /// "Xem / In": the PDF in the system viewer; answers the temporary file's path.
    OpenReportPdf = "open_report_pdf" { id: Uuid } -> String;
    /// The pages as PNG data URLs for the in-app preview.
    PreviewReport = "preview_report" { id: Uuid, width: Option<u32> } -> Vec<String>;
    /// Signs the saved report and writes the signed PDF to `path`; answers what was done.
    SignReport = "sign_report" { id: Uuid, key: KeySource, path: String, tsa_url: Option<String> } -> String;
    /// The time-stamping service last used for signing on this PC, empty when none.
    TsaUrl = "tsa_url" {} -> String;
    OpenSignedPdf = "open_signed_pdf" { id: Uuid } -> String;
    /// "Kiểm tra chữ ký": the signed PDF's signatures checked.
    CheckSignedPdf = "check_signed_pdf" { id: Uuid } -> Vec<SignatureCheck>;
}

/// Where the signing key is: a .p12 file and its password, or a token's PKCS#11 module ("auto"
/// finds the installed ones) and its PIN.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeySource {
    pub p12: Option<String>,
    pub password: Option<String>,
    pub module: Option<String>,
    pub pin: Option<String>,
}

/// One signature of a signed PDF, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub signer: String,
    /// RFC 3339: the timestamp's time when there is a valid one, else the claimed time.
    pub time: Option<String>,
    pub level: String,
    pub intact: bool,
    /// Why it is not intact, in Vietnamese.
    pub problem: String,
    /// The chain to a trusted root, the certificate's validity when it signed, revocation.
    pub checks: Vec<CheckLine>,
}

/// One line of a signature's check: its label, its outcome, and what was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckLine {
    pub label: String,
    pub state: CheckState,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    Ok,
    Failed,
    /// Could not be checked (said so, never counted as passed).
    Unknown,
}
