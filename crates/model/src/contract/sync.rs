//! Sync with the hub and by file, invitations, conflicts, and the native file dialogs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::commands;

commands! {
    SyncStatus = "sync_status" {} -> SyncOverview;
    SetHubUrl = "set_hub_url" { url: String } -> ();
    /// Installs the CA certificate (PEM) at `path` for an https hub; `None`: the system's trust store.
    SetHubCa = "set_hub_ca" { path: Option<String> } -> ();
    /// "Đồng bộ ngay": the lines to show ("Đã đồng bộ xong", "Máy mới: …").
    SyncNow = "sync_now" {} -> String;
    /// The native save dialog; `None` when the officer cancels.
    PickSavePath = "pick_save_path" { title: String, file_name: String } -> Option<String>;
    /// The native open dialog; `None` when the officer cancels.
    PickOpenPath = "pick_open_path" { title: String } -> Option<String>;
    SyncExport = "sync_export" { path: String } -> ExportSummary;
    SyncImport = "sync_import" { path: String, accept_device: bool } -> ImportReport;
    /// Writes an invitation, protected by `passphrase` when one was typed.
    SyncInvite = "sync_invite" { path: String, passphrase: Option<String> } -> ();
    SyncJoin = "sync_join" { path: String, passphrase: Option<String> } -> JoinReport;
    InvitationNeedsPassphrase = "invitation_needs_passphrase" { path: String } -> bool;
    /// The officer picks which value of a conflicting edit stays.
    ResolveConflict = "resolve_conflict" { entity: Uuid, field: String, value: serde_json::Value } -> ();
    /// Makes (or gives) the commune's id, for a first PC that syncs only through the hub.
    FoundCommune = "found_commune" {} -> String;
}

/// The Đồng bộ screen's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncOverview {
    pub device_id: String,
    pub fingerprint: Option<String>,
    /// For the hub's administrator, who enrols this PC with it.
    pub public_key: Option<String>,
    pub commune_id: Option<String>,
    pub ops: i64,
    pub conflicts: Vec<crate::Conflict>,
    pub state: SyncState,
    /// A province CA is installed for an https hub (else the system's trust store is used).
    pub hub_ca: bool,
    pub trusted_devices: usize,
    /// Ops received that could not be applied, with their sender (issue 14, point 3).
    pub set_aside: Vec<crate::SetAsideOp>,
}

/// The background sync's state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub hub_url: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_ok: Option<String>,
    pub last_attempt: Option<String>,
    /// The message of the last failed attempt, cleared by a success.
    pub last_error: Option<String>,
}

/// What applying received ops did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// Ops new to this database.
    pub applied: u64,
    /// Ops it already had (a re-sent bundle).
    pub duplicates: u64,
    /// New ops per kind of record.
    pub by_kind: BTreeMap<String, u64>,
    /// Fields that now have a losing concurrent value.
    pub conflicts: u64,
    /// Ops no replica can apply, set aside with their sender and the reason.
    #[serde(default)]
    pub set_aside: u64,
}

impl Applied {
    /// Adds another batch's counts (a sync applies page after page).
    pub fn add(&mut self, other: Applied) {
        self.applied += other.applied;
        self.duplicates += other.duplicates;
        self.conflicts += other.conflicts;
        self.set_aside += other.set_aside;
        for (k, v) in other.by_kind {
            *self.by_kind.entry(k).or_default() += v;
        }
    }
}

/// What a sync file written for a USB stick holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportSummary {
    pub bundle: Uuid,
    pub commune: Uuid,
    pub from_seq: i64,
    pub to_seq: i64,
    pub ops: u64,
    pub by_kind: BTreeMap<String, u64>,
    pub encrypted_to: usize,
    /// Attachment files carried, and their total size in bytes.
    pub attachments: u64,
    pub attachment_bytes: u64,
    /// Files the ops refer to that this PC does not have: the records are sent without them.
    pub attachments_missing: u64,
    /// Files left out because they exceed the bundle's per-file limit.
    pub attachments_too_large: u64,
}

/// What importing a sync file did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub bundle: Uuid,
    pub sender: Uuid,
    pub applied: Applied,
    /// Devices trusted from now on because of this file.
    pub newly_trusted: Vec<Uuid>,
    /// Attachment files newly written on this PC.
    pub attachments: u64,
    /// Devices admitted to the commune by this file, one line each ("Máy mới: …").
    pub new_devices: Vec<String>,
}

/// What joining a commune with an invitation did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinReport {
    pub commune: Uuid,
    pub inviter: Uuid,
    pub inviter_fingerprint: String,
    pub applied: Applied,
    pub attachments: u64,
    /// The commune's devices this PC learnt from the invitation.
    pub new_devices: Vec<String>,
}
