//! `manifest.json`: what a bundle or an invitation is, who sent it, what it covers, and the
//! SHA-256 of every payload file. The sender signs the manifest's exact bytes, so the signature
//! covers the payload through these hashes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::trust::TrustedDevice;

pub const FORMAT: &str = "kehoach-sync";
pub const FORMAT_VERSION: u32 = 1;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const SIGNATURE_FILE: &str = "signature";
pub const OPS_FILE: &str = "ops.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerKind {
    Bundle,
    Invitation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub kind: ContainerKind,
    /// Unique per file: replay protection keys on it.
    pub id: Uuid,
    pub created_at: String,
    pub commune: Uuid,
    pub sender: Sender,
    pub covers: Covers,
    /// Every payload file with its hash; nothing else may be in the container.
    pub files: Vec<FileEntry>,
    /// The highest seq of each device's log the sender holds without gaps: lets the receiver
    /// send it only what it lacks next time.
    #[serde(default)]
    pub acks: BTreeMap<Uuid, i64>,
    /// Devices the sender trusts; a receiver that trusts the sender trusts them too, so every
    /// PC of the commune learns a newly joined one without a prompt.
    #[serde(default)]
    pub devices: Vec<TrustedDevice>,
    /// Proof that the sender holds a one-time invitation secret (a newly joined device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<Enrolment>,
    /// Only in an invitation: its id and one-time secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<Invite>,
    /// Set by the level above (e.g. "UBND huyện Ia Pa") on a bundle of its decisions on the
    /// commune's reports: the receiver takes nothing else from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    pub device: Uuid,
    /// Ed25519 public key, hex.
    pub public_key: String,
    pub age_recipient: String,
}

/// The slice of the sender's op log in this file: seqs in (from_seq, to_seq].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Covers {
    pub from_seq: i64,
    pub to_seq: i64,
    pub ops: u64,
    pub by_kind: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    pub invite: Uuid,
    /// HMAC-SHA256 under the invitation secret of the sender's identity, hex.
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub id: Uuid,
    /// 32 random bytes, hex.
    pub secret: String,
    /// The inviter's signed ticket (issue 14, point 5): with the one-time key derived from
    /// `secret`, the joining device signs its own admission, which every PC can check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<crate::admission::Ticket>,
}
