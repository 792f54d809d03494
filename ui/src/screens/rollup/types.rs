//! What the shell's roll-up commands answer, as this screen reads it. The roll-up and the year
//! grid are `kehoach_model`'s types, shared with the shell; what only the shell's commands
//! wrap around them is declared here.

use serde::Deserialize;
use uuid::Uuid;

/// The roll-up's own types are declared once, in the model; the screen's name for a commune's
/// line is kept.
pub use kehoach_model::{CommuneRollup as CommuneRow, Rollup, YearGrid};

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

pub use crate::screens::signatures::SignatureCheck;

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
