//! What the shell's roll-up commands answer, as this screen reads it. The shell sends
//! `kehoach_sync`'s types (`hub_auth::wire::Rollup`, `district::YearGrid`, …), which do not
//! build for wasm32; the states inside them are `kehoach_model`'s, shared.

use kehoach_model::{CommuneReportState, RollupTotals};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Clone, PartialEq)]
pub struct CommuneRow {
    pub commune: Uuid,
    pub name: String,
    pub tasks: u32,
    pub done: u32,
    pub overdue: u32,
    /// How many ops of the commune this PC holds (0: nothing arrived yet).
    pub ops: u64,
    pub state: CommuneReportState,
    /// Why this commune's data could not be read (the others are still summed).
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct TargetSum {
    pub text: String,
    pub unit: String,
    pub target: f64,
    pub actual: f64,
    pub communes: u32,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct Rollup {
    pub unit: String,
    pub period: String,
    pub as_of: String,
    pub communes: Vec<CommuneRow>,
    pub targets: Vec<TargetSum>,
    pub totals: RollupTotals,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct GridRow {
    pub commune: Uuid,
    pub name: String,
    pub months: Vec<CommuneReportState>,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct YearGrid {
    pub year: i32,
    pub communes: Vec<GridRow>,
}

/// The shell's `RollupView`.
#[derive(Deserialize, Clone, PartialEq)]
pub struct RollupView {
    pub rollup: Rollup,
    pub grid: YearGrid,
    /// A hub is set: decisions go to it at once.
    pub hub: bool,
    pub hub_error: Option<String>,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct Applied {
    pub applied: u64,
}

/// What importing a commune's bundle did.
#[derive(Deserialize, Clone, PartialEq)]
pub struct CommuneImport {
    pub commune: Uuid,
    pub name: String,
    pub new_commune: bool,
    pub applied: Applied,
    pub attachments: u64,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct SignatureCheck {
    pub signer: String,
    pub time: Option<String>,
    pub level: String,
    pub intact: bool,
    pub problem: String,
}

/// A commune's report document as opened, with its signatures checked.
#[derive(Deserialize, Clone, PartialEq)]
pub struct DocumentCheck {
    pub kind: String,
    pub signatures: Vec<SignatureCheck>,
    pub open_error: Option<String>,
}

/// What the Đồng bộ screen's status gives this screen: what the hub's administrator needs.
#[derive(Deserialize, Clone, PartialEq)]
pub struct DeviceKey {
    pub device_id: String,
    pub public_key: Option<String>,
    pub state: HubState,
}

#[derive(Deserialize, Clone, PartialEq)]
pub struct HubState {
    pub hub_url: Option<String>,
}
