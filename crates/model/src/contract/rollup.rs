//! Tổng hợp các xã on a district (or province) PC.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{commands, Applied, SignatureCheck};

commands! {
    /// The roll-up of `period` and its year's grid; with a hub, fetched from it first.
    Rollup = "rollup" { period: String } -> RollupView;
    /// "Nhập tệp của xã…": a bundle a commune sent, into this PC's copy of it.
    RollupImport = "rollup_import" { path: String, accept_device: bool } -> CommuneImport;
    /// Accepts, returns (with a reason) or reopens a commune's report; answers what was done.
    RollupDecide = "rollup_decide" { commune: Uuid, period: String, decision: crate::ReviewDecision, reason: String } -> String;
    /// "Ghi quyết định ra tệp…": the decisions on `commune`'s reports, written to `path`.
    RollupDecisionFile = "rollup_decision_file" { commune: Uuid, path: String } -> String;
    /// Opens a commune's report document (`attachments/…`) and checks its signatures.
    RollupOpenDocument = "rollup_open_document" { document: String } -> DocumentCheck;
    /// "Lưu PDF để in…" / "Lưu Excel…": the view of `period` as "pdf" or "xlsx" at `path`.
    RollupExport = "rollup_export" { period: String, format: String, path: String } -> String;
}

/// What the screen shows for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupView {
    pub rollup: crate::Rollup,
    pub grid: crate::YearGrid,
    /// A hub is set: decisions go to it at once.
    pub hub: bool,
    /// Why the hub could not be reached (the copies on this PC are shown then).
    pub hub_error: Option<String>,
}

/// What importing a commune's bundle on the district PC did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneImport {
    pub commune: Uuid,
    pub name: String,
    /// The first bundle of this commune: its copy was made now.
    pub new_commune: bool,
    pub applied: Applied,
    pub attachments: u64,
}

/// A commune's report document as opened, with its signatures checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentCheck {
    /// "pdf", "png" or "jpeg".
    pub kind: String,
    pub signatures: Vec<SignatureCheck>,
    /// Why the system viewer could not be started.
    pub open_error: Option<String>,
}
