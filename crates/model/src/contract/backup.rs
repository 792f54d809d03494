//! Backups on a USB stick, and restoring from one.

use serde::{Deserialize, Serialize};

use super::commands;
use super::Applied;

commands! {
    BackupCreate = "backup_create" { path: String, passphrase: Option<String> } -> BackupSummary;
    /// The last backup this PC made, shown beside the button.
    BackupLast = "backup_last" {} -> Option<BackupSummary>;
    BackupRestore = "backup_restore" { path: String, passphrase: Option<String> } -> RestoreReport;
}

/// What a backup holds, as reported after writing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupSummary {
    pub path: String,
    /// Protected by a passphrase.
    #[serde(default)]
    pub encrypted: bool,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Size of the file written.
    pub bytes: u64,
    /// Ops in its log.
    pub ops: i64,
    /// Attachment files carried.
    pub files: u64,
    pub commune: Option<String>,
}

/// How a backup was restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreMode {
    /// This PC held nothing: it is now the PC the backup was made on.
    Whole,
    /// This PC held data of the same commune: the backup's ops were added to it.
    Merged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreReport {
    pub mode: RestoreMode,
    /// The commune named in the backup's settings.
    pub commune: Option<String>,
    /// When the backup was made (RFC 3339), if it says.
    pub created_at: Option<String>,
    pub ops: i64,
    pub applied: Applied,
    /// Attachment files written on this PC.
    pub files: u64,
    /// The backup's keys cannot be used here (a backup without a passphrase leaves plain keys
    /// out; keys sealed to another Windows account do not open): the data came back, but this
    /// PC is now a new device of the commune, which another PC has to invite or accept again.
    #[serde(default)]
    pub new_device: bool,
}
