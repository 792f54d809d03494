//! Enrolment: an enrolled PC writes an invitation (commune id, its own keys, a one-time
//! secret, the current data with its attachment files); a fresh install joins with it. The
//! joiner then proves it holds the secret in every bundle it sends, and the inviter trusts it
//! on first sight — so the two trust each other with no prompt, and the secret works for one
//! device only, and only within a week of the invitation (`enrolment::INVITE_VALID_DAYS`).

use kehoach_core::Store;
use uuid::Uuid;

use crate::attachments;
use crate::bundle::{apply_ops_file, payload, sender};
use crate::container;
use crate::enrolment;
use crate::error::{Result, SyncError};
use crate::identity::{commune, fingerprint, found_commune, Device};
use crate::manifest::{ContainerKind, Covers, Invite, Manifest, FORMAT, FORMAT_VERSION, OPS_FILE};
use crate::settings;
use crate::trust::{self, TrustedDevice};
/// The contract's types (kehoach-model), which the app shows as they are.
pub use kehoach_model::contract::JoinReport;

/// Writes an invitation carrying the whole current data, with the attachment files it refers
/// to that this PC has (as a bundle does). Founds the commune on the first PC.
pub fn create_invitation(store: &Store) -> Result<Vec<u8>> {
    create_invitation_with(store, None)
}

/// The shortest passphrase an invitation may be protected with (as for backups).
pub const MIN_INVITE_PASSPHRASE: usize = crate::backup::MIN_PASSPHRASE;

/// An invitation, encrypted with age's scrypt passphrase when one is given (issue 14, point 5):
/// the file then holds the commune's whole data and the one-time key to enter it only for
/// whoever also knows the passphrase, told apart from the file (by phone, on paper), so a
/// stick lost on the way gives nobody the commune.
pub fn create_invitation_with(store: &Store, passphrase: Option<&str>) -> Result<Vec<u8>> {
    if passphrase.is_some_and(|p| p.chars().count() < MIN_INVITE_PASSPHRASE) {
        return Err(SyncError::InvitePassphraseTooShort(MIN_INVITE_PASSPHRASE));
    }
    let plain = invitation(store)?;
    let Some(pass) = passphrase else { return Ok(plain) };
    let enc = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(pass.to_string()));
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut w = enc.wrap_output(&mut out).map_err(|e| SyncError::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut w, &plain)?;
    w.finish()?;
    Ok(out)
}

/// Whether `bytes` is an invitation protected by a passphrase (the app then asks for it).
pub fn invitation_needs_passphrase(bytes: &[u8]) -> bool {
    container::is_encrypted(bytes) && age::Decryptor::new_buffered(bytes).is_ok_and(|d| d.is_scrypt())
}

/// The plain invitation inside a passphrase-protected one; a plain invitation as it is.
fn open_protected<'a>(bytes: &'a [u8], passphrase: Option<&str>) -> Result<std::borrow::Cow<'a, [u8]>> {
    if !container::is_encrypted(bytes) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let dec = age::Decryptor::new_buffered(bytes).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    if !dec.is_scrypt() {
        // Encrypted to a device's key: that is a bundle, never an invitation.
        return Err(SyncError::WrongKind { expected: "tệp lời mời tham gia xã" });
    }
    let pass = passphrase.filter(|p| !p.is_empty()).ok_or(SyncError::InviteNeedsPassphrase)?;
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(pass.to_string()));
    let mut plain = dec.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => SyncError::InviteWrongPassphrase,
        other => SyncError::Corrupt(other.to_string()),
    })?;
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut plain, &mut out)
        .map_err(|e| SyncError::Corrupt(format!("phần mã hóa của lời mời không toàn vẹn: {e}")))?;
    Ok(std::borrow::Cow::Owned(out))
}

fn invitation(store: &Store) -> Result<Vec<u8>> {
    let commune = found_commune(store)?;
    let device = Device::load_or_create(store)?;
    crate::authorship::sign_own(store, &device)?;
    let mut secret = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut secret);
    let (id, secret) = (Uuid::now_v7(), hex::encode(secret));
    let ticket = crate::admission::ticket(&device, commune, id, &secret, enrolment::INVITE_VALID_DAYS);
    let invite = Invite { id, secret, ticket: Some(ticket) };
    let ops = store.ops_since(0)?;
    let mut jsonl = Vec::new();
    let mut by_kind = std::collections::BTreeMap::new();
    for (_, op) in &ops {
        *by_kind.entry(op.kind.as_str().to_string()).or_insert(0) += 1;
        serde_json::to_writer(&mut jsonl, op).expect("op serialises");
        jsonl.push(b'\n');
    }
    let outgoing = attachments::collect(store, ops.iter().map(|(_, op)| op));
    let (files, payload) = payload(&jsonl, &outgoing);
    let manifest = Manifest {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        kind: ContainerKind::Invitation,
        id: Uuid::now_v7(),
        created_at: trust::now(),
        commune,
        sender: sender(&device),
        covers: Covers { from_seq: 0, to_seq: ops.last().map(|o| o.0).unwrap_or(0), ops: ops.len() as u64, by_kind },
        files,
        acks: Default::default(),
        // Devices are learnt from the signed admissions among the ops, not from this list.
        devices: Vec::new(),
        enrolment: None,
        invite: Some(invite.clone()),
        parent_unit: None,
    };
    let bytes = container::pack(&device, &manifest, &payload)?;
    enrolment::remember_issued(store, invite.id, invite.secret)?;
    Ok(bytes)
}

/// Makes this install a device of the inviter's commune: adopts the commune, trusts the
/// inviter (and the devices it trusts), and applies the data, all checked first. Attachment
/// files are written before the ops are applied, as in `import_bundle`.
pub fn join(store: &mut Store, bytes: &[u8]) -> Result<JoinReport> {
    join_with(store, bytes, None)
}

/// [`join`] with the passphrase of a protected invitation: a missing or wrong one is refused
/// before anything is read or written. A passphrase given for an unprotected invitation is
/// not needed and not checked.
pub fn join_with(store: &mut Store, bytes: &[u8], passphrase: Option<&str>) -> Result<JoinReport> {
    let plain = open_protected(bytes, passphrase)?;
    join_plain(store, &plain)
}

fn join_plain(store: &mut Store, bytes: &[u8]) -> Result<JoinReport> {
    if container::is_encrypted(bytes) {
        return Err(SyncError::WrongKind { expected: "tệp lời mời (lời mời không được mã hóa)" });
    }
    let mut opened = container::open(bytes, None)?;
    let m = opened.manifest;
    if m.kind != ContainerKind::Invitation || m.invite.is_none() {
        return Err(SyncError::WrongKind { expected: "tệp lời mời tham gia xã" });
    }
    if let Some(ours) = commune(store)? {
        if ours != m.commune {
            return Err(SyncError::AlreadyEnrolled { ours, theirs: m.commune });
        }
    }
    if m.sender.device == store.device_id() {
        return Err(SyncError::OwnBundle);
    }
    enrolment::check_fresh(&m.created_at)?;
    let ops_file = opened.files.remove(OPS_FILE).unwrap_or_default();
    let incoming = attachments::take_incoming(std::mem::take(&mut opened.files))?;
    let attachments = attachments::write_incoming(store, &incoming)?;
    // The inviter is trusted on the officer's act of joining with its file, and vouches for
    // the history it hands over: ops from before signatures are taken here (and only here);
    // signed ones must be their authors', whom the admissions among them make known.
    let mut keys = crate::authorship::Keys::of(store)?;
    keys.trust(m.sender.device, &m.sender.public_key, false);
    keys.legacy_unsigned = true;
    keys.prelearn(&crate::bundle::statements_in(&ops_file));
    let applied = apply_ops_file(store, &ops_file, m.covers.ops, &mut keys)?;
    let invite = m.invite.clone().expect("checked above");
    store.set_local_setting(settings::COMMUNE, &m.commune.to_string())?;
    let device = Device::load_or_create(store)?;
    let inviter = TrustedDevice {
        id: m.sender.device,
        public_key: m.sender.public_key.clone(),
        age_recipient: m.sender.age_recipient.clone(),
        via: "invitation".into(),
        added_at: trust::now(),
    };
    trust::add_trusted(store, &[inviter])?;
    // This PC's own admission, signed with the invitation's one-time key: any PC that knows
    // the inviter can check it. (An invitation from an older kehoach has no ticket; the
    // inviter then admits this PC when it first gets a bundle from it.)
    if let Some(t) = &invite.ticket {
        let a = crate::admission::join_admission(&device, t, &invite.secret);
        store.commit(vec![kehoach_core::Change::new(
            kehoach_core::Kind::User,
            device.id,
            crate::admission::ADMISSION,
            serde_json::to_value(&a).expect("admission serialises"),
        )])?;
    }
    enrolment::remember_joined(store, invite.id, invite.secret, m.sender.device)?;
    // The invitation holds the inviter's whole log up to to_seq.
    store.set_local_setting(&settings::received_key(m.sender.device), &m.covers.to_seq.to_string())?;
    let new_devices = crate::admission::describe(store, &keys.learnt);
    Ok(JoinReport {
        new_devices,
        commune: m.commune,
        inviter: m.sender.device,
        inviter_fingerprint: fingerprint(&m.sender.public_key),
        applied,
        attachments,
    })
}

/// Trusts the device that sent a bundle after the user has checked its fingerprint. The
/// bundle's integrity and commune are verified first; its data is not applied here.
pub fn accept_device(store: &Store, bytes: &[u8]) -> Result<TrustedDevice> {
    let m = crate::bundle::inspect_bundle(store, bytes)?;
    let ours = commune(store)?.ok_or(SyncError::NotEnrolled)?;
    if m.commune != ours {
        return Err(SyncError::OtherCommune { found: m.commune, ours });
    }
    if m.sender.device == store.device_id() {
        return Err(SyncError::OwnBundle);
    }
    if let Some(t) = trust::trusted_device(store, m.sender.device)? {
        if !t.public_key.eq_ignore_ascii_case(&m.sender.public_key) {
            return Err(SyncError::Forged { device: m.sender.device });
        }
        return Ok(t);
    }
    let td = TrustedDevice {
        id: m.sender.device,
        public_key: m.sender.public_key,
        age_recipient: m.sender.age_recipient,
        via: "accepted".into(),
        added_at: trust::now(),
    };
    trust::add_trusted(store, std::slice::from_ref(&td))?;
    Ok(td)
}
