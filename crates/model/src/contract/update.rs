//! Updates from a file or from the hub's offer.

use serde::{Deserialize, Serialize};

use super::commands;

commands! {
    /// Checks an update file; refused with the reason.
    CheckUpdateFile = "check_update_file" { path: String } -> VerifiedUpdate;
    /// Installs a checked update, after the officer agreed (checked again).
    InstallUpdate = "install_update" { path: String } -> ();
    /// The update the hub offered at the last sync, if still newer and signed.
    UpdateOffer = "update_offer" {} -> Option<HubOffer>;
    /// Downloads the offered update and checks it whole.
    DownloadUpdate = "download_update" {} -> VerifiedUpdate;
}

/// An update that passed every check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiedUpdate {
    pub version: String,
    /// The installer's path.
    pub installer: String,
    pub size: u64,
}

/// A newer kehoach the province hub offered at the last sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubOffer {
    pub version: String,
    pub size: u64,
}
