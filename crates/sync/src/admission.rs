//! Which devices belong to the commune (issue 14, point 5), as statements every PC can check.
//!
//! A device is admitted only by a statement signed by the device that let it in, kept on the
//! admitted device's `user` record (field `admission`) so it travels with the data by every
//! path:
//! - **invitation**: the inviter signs a ticket in the invitation (its id, a one-time key
//!   derived from the invitation's secret, the commune, when it expires); the new PC signs its
//!   own identity with that one-time key when it joins. Any PC that knows the inviter checks
//!   both, and that no other device used the same ticket.
//! - **accepted**: an officer checked a new device's fingerprint and accepted it on this PC;
//!   this PC signs that.
//! - **parent:<unit>**: the level above's device, taken on the officer's choice of its file.
//! - **vouched**: a device this PC trusted before statements existed (an older kehoach), signed
//!   once by this PC so the commune's newer PCs learn it; shown as such in the device list.
//!
//! Nobody else is trusted because another PC says so: a bundle's list of devices is no longer
//! read. A device is revoked (field `revoked`) by a statement signed by any active device of
//! the commune; its ops stamped after the revocation are refused everywhere, and neither a
//! revocation nor an admitted key can be undone or replaced by a later op.

use std::collections::HashMap;

use ed25519_dalek::SigningKey;
use kehoach_core::{Change, Kind, Op, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::authorship::{parse_key, verify, Keys};
use crate::error::{Result, SyncError};
use crate::identity::{commune, Device};
use crate::trust::{self, TrustedDevice};

pub const ADMISSION: &str = kehoach_core::record::user::ADMISSION;
pub const REVOKED: &str = kehoach_core::record::user::REVOKED;

/// A device let into the commune, signed by the device that let it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Admission {
    pub device: Uuid,
    pub public_key: String,
    pub age_recipient: String,
    pub commune: Uuid,
    /// "invitation", "accepted", "vouched" or "parent:<unit>".
    pub how: String,
    /// The device that let it in.
    pub by: Uuid,
    /// RFC 3339.
    pub at: String,
    /// Only for "invitation": the inviter's signed ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<Ticket>,
    /// By `by`'s key over [`Admission::message`]; for an invitation by the ticket's one-time key.
    pub sig: String,
}

/// What an inviter signs into an invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub invite: Uuid,
    /// The one-time Ed25519 key (public, hex) the new device signs its identity with.
    pub key: String,
    pub commune: Uuid,
    pub by: Uuid,
    pub at: String,
    pub expires: String,
    pub sig: String,
}

/// A device withdrawn from the commune (a lost or stolen PC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    pub device: Uuid,
    pub commune: Uuid,
    pub by: Uuid,
    /// RFC 3339: its ops stamped after this are refused.
    pub at: String,
    pub sig: String,
}

fn ms(rfc3339: &str) -> Option<u64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok().map(|d| d.timestamp_millis().max(0) as u64)
}

/// A moment as the officer reads it: "14:05 ngày 03/12/2026".
pub(crate) fn shown_time(ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|d| d.with_timezone(&chrono::Local).format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// "03/12/2026" of an RFC 3339 time.
pub(crate) fn shown_date(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

impl Admission {
    fn message(&self) -> Vec<u8> {
        let invite = self.ticket.as_ref().map(|t| t.invite.to_string()).unwrap_or_default();
        format!(
            "kehoach-admission-v1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{invite}",
            self.device,
            self.public_key.to_lowercase(),
            self.age_recipient,
            self.commune,
            self.how,
            self.by,
            self.at
        )
        .into_bytes()
    }

    pub fn is_parent(&self) -> bool {
        self.how.starts_with(crate::bundle::PARENT_VIA)
    }
}

impl Ticket {
    fn message(&self) -> Vec<u8> {
        format!(
            "kehoach-invite-v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.invite,
            self.key.to_lowercase(),
            self.commune,
            self.by,
            self.at,
            self.expires
        )
        .into_bytes()
    }
}

impl Revocation {
    fn message(&self) -> Vec<u8> {
        format!("kehoach-revocation-v1\n{}\n{}\n{}\n{}", self.device, self.commune, self.by, self.at).into_bytes()
    }

    pub fn at_ms(&self) -> u64 {
        ms(&self.at).unwrap_or(0)
    }
}

/// Whether `op` carries a statement (an admission or a revocation).
pub(crate) fn is_statement(op: &Op) -> bool {
    op.kind == Kind::User && (op.field == ADMISSION || op.field == REVOKED)
}

/// The one-time key of an invitation, derived from its secret: whoever holds the invitation
/// file can sign with it, and the inviter's ticket names its public half.
pub(crate) fn invite_key(secret_hex: &str) -> SigningKey {
    let d = Sha256::digest(format!("kehoach-invite-key-v1\n{}", secret_hex.to_lowercase()).as_bytes());
    SigningKey::from_bytes(&d.into())
}

/// The ticket an inviter puts into an invitation.
pub(crate) fn ticket(device: &Device, commune: Uuid, invite: Uuid, secret_hex: &str, days: i64) -> Ticket {
    let now = chrono::Utc::now();
    let mut t = Ticket {
        invite,
        key: hex::encode(invite_key(secret_hex).verifying_key().to_bytes()),
        commune,
        by: device.id,
        at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        expires: (now + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        sig: String::new(),
    };
    t.sig = hex::encode(device.sign(&t.message()));
    t
}

/// The joining device's own admission, signed with the invitation's one-time key.
pub(crate) fn join_admission(device: &Device, ticket: &Ticket, secret_hex: &str) -> Admission {
    use ed25519_dalek::Signer;
    let mut a = Admission {
        device: device.id,
        public_key: device.public_key_hex(),
        age_recipient: device.age_recipient(),
        commune: ticket.commune,
        how: "invitation".into(),
        by: ticket.by,
        at: trust::now(),
        ticket: Some(ticket.clone()),
        sig: String::new(),
    };
    a.sig = hex::encode(invite_key(secret_hex).sign(&a.message()).to_bytes());
    a
}

/// This device's signed admission of `d` ("accepted", "vouched" or "parent:<unit>").
pub(crate) fn admit(store: &Store, device: &Device, d: &TrustedDevice, how: &str) -> Result<Change> {
    let commune = commune(store)?.ok_or(SyncError::NotEnrolled)?;
    let mut a = Admission {
        device: d.id,
        public_key: d.public_key.to_lowercase(),
        age_recipient: d.age_recipient.clone(),
        commune,
        how: how.into(),
        by: device.id,
        at: trust::now(),
        ticket: None,
        sig: String::new(),
    };
    a.sig = hex::encode(device.sign(&a.message()));
    Ok(statement_change(d.id, ADMISSION, &a))
}

fn statement_change<T: Serialize>(device: Uuid, field: &str, statement: &T) -> Change {
    Change::new(Kind::User, device, field, serde_json::to_value(statement).expect("statement serialises"))
}

/// Every admission held in the data, as stored (checked when it arrived).
pub(crate) fn admissions(store: &Store) -> Result<Vec<Admission>> {
    Ok(read(kehoach_core::pc_users::admission_statements(store)?))
}

/// Every revocation held in the data.
pub(crate) fn revocations(store: &Store) -> Result<Vec<Revocation>> {
    Ok(read(kehoach_core::pc_users::revocation_statements(store)?))
}

/// The statements that read as `T` (each was checked when it arrived).
fn read<T: serde::de::DeserializeOwned>(values: Vec<serde_json::Value>) -> Vec<T> {
    values.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect()
}

/// Why an admission op is not taken; the admission when it is sound: it admits the record's
/// device into this commune, is signed by an active device of the commune (through a ticket of
/// an invitation made by one, used before it expired and by no other device), and neither
/// replaces a key this PC knows for that device.
pub(crate) fn check_admission(keys: &Keys, op: &Op) -> std::result::Result<Admission, String> {
    let bad = |why: &str| format!("lời xác nhận máy {} vào xã không hợp lệ: {why}", op.entity);
    let a: Admission = serde_json::from_value(op.value.clone()).map_err(|_| bad("không đọc được"))?;
    if a.device != op.entity {
        return Err(bad("lời xác nhận nói về một máy khác"));
    }
    if keys.commune().is_some_and(|c| c != a.commune) {
        return Err(bad("lời xác nhận thuộc xã khác"));
    }
    if let Some(known) = keys.get(a.device) {
        if !known.public_key.eq_ignore_ascii_case(&a.public_key) {
            return Err(bad("máy này đã có khóa khác; khóa của một máy không thay được"));
        }
    }
    let at = ms(&a.at).ok_or_else(|| bad("thời điểm không đọc được"))?;
    match &a.ticket {
        Some(t) => {
            let inviter = keys
                .active_at(t.by, ms(&t.at).unwrap_or(u64::MAX))
                .ok_or_else(|| bad("lời mời do một máy không thuộc xã (hoặc đã bị thu hồi) tạo"))?;
            if t.by != a.by || t.commune != a.commune || !verify(&inviter.key, &t.message(), &t.sig) {
                return Err(bad("chữ ký của máy mời không đúng"));
            }
            let one_time = parse_key(&t.key).ok_or_else(|| bad("khóa của lời mời hỏng"))?;
            if !verify(&one_time, &a.message(), &a.sig) {
                return Err(bad("máy mới không giữ lời mời này"));
            }
            if op.hlc.millis() > ms(&t.expires).unwrap_or(0) {
                return Err(bad("lời mời đã hết hạn khi máy này tham gia"));
            }
            if keys.ticket_used_by_other(t.invite, a.device) {
                return Err(bad("lời mời này đã được một máy khác dùng"));
            }
        }
        None => {
            let by =
                keys.active_at(a.by, at).ok_or_else(|| bad("do một máy không thuộc xã (hoặc đã bị thu hồi) ký"))?;
            if !verify(&by.key, &a.message(), &a.sig) {
                return Err(bad("chữ ký không đúng"));
            }
        }
    }
    parse_key(&a.public_key).ok_or_else(|| bad("khóa hỏng"))?;
    Ok(a)
}

/// Why a revocation op is not taken; the revocation when it is sound: signed by a device of the
/// commune active at the revocation's time. A revocation is never withdrawn.
pub(crate) fn check_revocation(keys: &Keys, op: &Op) -> std::result::Result<Revocation, String> {
    let bad = |why: &str| format!("lời thu hồi máy {} không hợp lệ: {why}", op.entity);
    if op.value.is_null() {
        return Err(bad("một máy đã thu hồi không thể được khôi phục"));
    }
    let r: Revocation = serde_json::from_value(op.value.clone()).map_err(|_| bad("không đọc được"))?;
    if r.device != op.entity || keys.commune().is_some_and(|c| c != r.commune) {
        return Err(bad("lời thu hồi nói về máy khác hoặc xã khác"));
    }
    let at = ms(&r.at).ok_or_else(|| bad("thời điểm không đọc được"))?;
    let by = keys.active_at(r.by, at).ok_or_else(|| bad("do một máy không thuộc xã (hoặc đã bị thu hồi) ký"))?;
    if !verify(&by.key, &r.message(), &r.sig) {
        return Err(bad("chữ ký không đúng"));
    }
    Ok(r)
}

/// Makes sure every device this PC trusts itself is admitted in the data by a statement, so the
/// commune's other PCs can check its ops: the devices it trusted before statements existed are
/// vouched for ("vouched"), the level above's as such. Run before anything leaves this PC.
pub(crate) fn vouch_for_trusted(store: &mut Store, device: &Device) -> Result<()> {
    if commune(store)?.is_none() || store.local_setting(crate::settings::PARENT_COPY)?.is_some() {
        return Ok(());
    }
    let admitted: HashMap<Uuid, Admission> = admissions(store)?.into_iter().map(|a| (a.device, a)).collect();
    let mut changes = Vec::new();
    for t in trust::trusted_devices(store)? {
        if admitted.contains_key(&t.id) {
            continue;
        }
        let how = match t.via.as_str() {
            v if v.starts_with(crate::bundle::PARENT_VIA) => v.to_string(),
            "accepted" => "accepted".into(),
            "enrolment" => "invitation".into(),
            _ => "vouched".into(),
        };
        changes.push(admit(store, device, &t, &how)?);
    }
    if !changes.is_empty() {
        store.commit(changes)?;
    }
    Ok(())
}

/// Revokes `target` (a lost or stolen PC) from now: a statement signed by this device, written
/// to the target's record through the write path, so it reaches every PC and the hub by the
/// next sync. A device cannot revoke itself, and one revoked already stays as it was.
pub fn revoke_device(store: &mut Store, target: Uuid) -> Result<()> {
    let device = Device::load_or_create(store)?;
    let commune = commune(store)?.ok_or(SyncError::NotEnrolled)?;
    if target == device.id {
        return Err(SyncError::Core(kehoach_core::CoreError::invalid(
            "không thể thu hồi chính máy đang dùng; hãy thu hồi nó từ một máy khác của xã",
        )));
    }
    let keys = Keys::of(store)?;
    if keys.get(target).is_none() {
        return Err(SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "không có máy {target} trong danh sách máy của xã"
        ))));
    }
    if revocations(store)?.iter().any(|r| r.device == target) {
        return Ok(());
    }
    // To the millisecond: the ops it made up to this moment stay good.
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut r = Revocation { device: target, commune, by: device.id, at, sig: String::new() };
    r.sig = hex::encode(device.sign(&r.message()));
    store.commit(vec![statement_change(target, REVOKED, &r)])?;
    Ok(())
}

/// One line per device newly admitted, for a sync's report: "Máy mới: Nguyễn Văn Hùng (mã …),
/// do Lê Văn Tám mời ngày 03/12/2026".
pub(crate) fn describe(store: &Store, learnt: &[Admission]) -> Vec<String> {
    let names = kehoach_core::pc_users::pc_users(store).unwrap_or_default();
    let name = |id: Uuid| names.get(&id).map(|u| u.label()).unwrap_or_else(|| format!("máy {id}"));
    learnt
        .iter()
        .filter(|a| a.device != store.device_id())
        .map(|a| format!("Máy mới: {} (mã {}), {}", name(a.device), a.device, how_vi(a, &name)))
        .collect()
}

/// How a device was admitted, in the officer's words.
pub(crate) fn how_vi(a: &Admission, name: &dyn Fn(Uuid) -> String) -> String {
    let by = name(a.by);
    let day = shown_date(&a.at);
    match a.how.as_str() {
        "invitation" => format!("do {by} mời ngày {day}"),
        "accepted" => format!("do {by} chấp nhận ngày {day} (sau khi đối chiếu dấu vân tay)"),
        "vouched" => format!("do {by} xác nhận ngày {day} (máy đã tin cậy từ phiên bản trước)"),
        h if h.starts_with(crate::bundle::PARENT_VIA) => {
            format!("máy của cấp trên ({}), do {by} nhận ngày {day}", &h[crate::bundle::PARENT_VIA.len()..])
        }
        other => format!("{other}, do {by}, ngày {day}"),
    }
}

/// A device this PC can take bundles from: one it trusts itself, else one admitted to the
/// commune by a statement it checked, unless revoked (`Err(SyncError::Revoked)`).
pub fn known_device(store: &Store, id: Uuid) -> Result<Option<TrustedDevice>> {
    if let Some(r) = revocations(store)?.into_iter().find(|r| r.device == id) {
        return Err(SyncError::Revoked { device: id, since: shown_time(r.at_ms()) });
    }
    if let Some(t) = trust::trusted_device(store, id)? {
        return Ok(Some(t));
    }
    Ok(admissions(store)?.into_iter().find(|a| a.device == id).map(|a| TrustedDevice {
        id,
        public_key: a.public_key,
        age_recipient: a.age_recipient,
        via: a.how,
        added_at: a.at,
    }))
}
