//! The commune's settings, who works on this PC, and the rescue of a data file that did not open.

use serde::{Deserialize, Serialize};

use super::commands;

commands! {
    GetSettings = "get_settings" {} -> crate::Settings;
    SaveSettings = "save_settings" { settings: crate::Settings } -> crate::Settings;
    /// Who works on this PC (shown in the history of tasks on every PC of the commune).
    PcUser = "pc_user" {} -> Option<crate::PcUser>;
    SetPcUser = "set_pc_user" { user: crate::PcUser } -> crate::PcUser;
    StartupProblem = "startup_problem" {} -> Option<DataFileProblem>;
    /// Sets the unusable data file aside and opens a new one: restored from `backup` when
    /// given, else empty. Answers where the old file was put.
    Rescue = "rescue" { backup: Option<String>, passphrase: Option<String> } -> String;
}

/// Why the data file could not be opened when the app started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFileProblem {
    pub path: String,
    /// The reason, in Vietnamese.
    pub message: String,
    /// Whether setting the file aside and going on is offered (not for a newer version's file,
    /// nor for one open in another window).
    pub can_set_aside: bool,
    /// The app's daily backups beside the data file, newest first.
    pub auto_backups: Vec<AutoBackup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoBackup {
    pub path: String,
    /// YYYY-MM-DD.
    pub date: String,
}
