//! Enrolment by invitation: the invitations this PC issued and whether each was used, what a
//! PC that joined keeps to prove it, and that proof (an HMAC with the invitation's one-time
//! secret over the joiner's keys). `invite` issues and joins; `bundle` carries the proof in a
//! joined PC's first bundles and checks it on the inviter's side. Apart from both, so the
//! bundle does not depend on the invitation that uses it.

use hmac::{Hmac, Mac};
use kehoach_core::Store;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::{Result, SyncError};
use crate::identity::Device;
use crate::manifest::{Enrolment, Manifest};
use crate::settings;
use crate::trust;

/// How long an invitation lets a new PC in (issue 14, point 5): a file left on a stick or in a
/// mailbox stops being a key to the commune after a week.
pub const INVITE_VALID_DAYS: i64 = 7;

/// Refuses an invitation made (`created_at`, RFC 3339) more than [`INVITE_VALID_DAYS`] ago.
pub(crate) fn check_fresh(created_at: &str) -> Result<()> {
    let made = chrono::DateTime::parse_from_rfc3339(created_at).ok();
    let fresh =
        made.is_some_and(|m| chrono::Utc::now().signed_duration_since(m) <= chrono::Duration::days(INVITE_VALID_DAYS));
    if fresh {
        return Ok(());
    }
    let made = made
        .map(|m| m.with_timezone(&chrono::Local).format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_else(|| created_at.to_string());
    Err(SyncError::InviteExpired { made, days: INVITE_VALID_DAYS })
}

/// An invitation this PC issued (local setting `INVITES`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PendingInvite {
    id: Uuid,
    secret: String,
    created_at: String,
    used_by: Option<Uuid>,
}

/// What a joined device keeps to prove its enrolment.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Joined {
    invite: Uuid,
    secret: String,
    inviter: Uuid,
}

/// Remembers an invitation this PC just issued, unused.
pub(crate) fn remember_issued(store: &Store, id: Uuid, secret: String) -> Result<()> {
    let mut pending: Vec<PendingInvite> = settings::get_json(store, settings::INVITES)?.unwrap_or_default();
    pending.push(PendingInvite { id, secret, created_at: trust::now(), used_by: None });
    settings::set_json(store, settings::INVITES, &pending)
}

/// Remembers, on a PC that just joined, the invitation it joined with (to prove it in its bundles).
pub(crate) fn remember_joined(store: &Store, invite: Uuid, secret: String, inviter: Uuid) -> Result<()> {
    settings::set_json(store, settings::ENROLMENT, &Joined { invite, secret, inviter })
}

fn proof(secret_hex: &str, invite: Uuid, device: Uuid, public_key: &str, age_recipient: &str) -> Option<String> {
    let key = hex::decode(secret_hex).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(
        format!("kehoach-join-v1\n{invite}\n{device}\n{}\n{age_recipient}", public_key.to_lowercase()).as_bytes(),
    );
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// The proof a joined device puts in its bundles.
pub(crate) fn enrolment_proof(store: &Store, device: &Device) -> Result<Option<Enrolment>> {
    let Some(j) = settings::get_json::<Joined>(store, settings::ENROLMENT)? else {
        return Ok(None);
    };
    Ok(proof(&j.secret, j.invite, device.id, &device.public_key_hex(), &device.age_recipient())
        .map(|p| Enrolment { invite: j.invite, proof: p }))
}

/// The invitation an unknown sender proves it holds, if the proof is right and the invitation
/// has not been used by another device.
pub(crate) fn check_enrolment(store: &Store, m: &Manifest) -> Result<Option<Uuid>> {
    let Some(e) = &m.enrolment else { return Ok(None) };
    let pending: Vec<PendingInvite> = settings::get_json(store, settings::INVITES)?.unwrap_or_default();
    let Some(inv) = pending.iter().find(|p| p.id == e.invite) else { return Ok(None) };
    let expected = proof(&inv.secret, inv.id, m.sender.device, &m.sender.public_key, &m.sender.age_recipient);
    if expected.as_deref() != Some(e.proof.to_lowercase().as_str()) {
        return Ok(None);
    }
    match inv.used_by {
        Some(d) if d != m.sender.device => Err(SyncError::InviteUsed),
        Some(_) => Ok(Some(inv.id)),
        // Its first use: only while the invitation is fresh.
        None => check_fresh(&inv.created_at).map(|()| Some(inv.id)),
    }
}

/// Marks the invitation as used by `device`: no other device may enrol with it afterwards.
pub(crate) fn mark_used(store: &Store, invite: Uuid, device: Uuid) -> Result<()> {
    let mut pending: Vec<PendingInvite> = settings::get_json(store, settings::INVITES)?.unwrap_or_default();
    for p in pending.iter_mut().filter(|p| p.id == invite) {
        p.used_by = Some(device);
    }
    settings::set_json(store, settings::INVITES, &pending)
}
