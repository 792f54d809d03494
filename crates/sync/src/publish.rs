//! Plans flow down (issue 17): a district (or province) PC publishes a plan to its communes as
//! a signed snapshot — the plan and its tasks, a version number, the publishing unit and device
//! — signed with the device's Ed25519 key. It travels through the hub (`/v1/publications`) or as
//! a file on a USB stick; a commune checks the signature against the level above's key it
//! trusts (the first one needs the officer's acceptance, as a decision bundle does) and stores
//! it through its own write path (`kehoach_core::upstream`), so its other PCs get it by sync.
//!
//! Kept apart from the bundle and trust code on purpose: it reads the trusted list and adds a
//! level-above device to it, nothing more.

use std::collections::BTreeSet;

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use kehoach_core::{queries, upstream, Store};
use kehoach_model::{PlanChanges, Publication, PublishedPlan, PublishedTask, SignedPublication, PUBLICATION_FORMAT};
use uuid::Uuid;

use crate::error::{Result, SyncError};
use crate::identity::{fingerprint, Device};
use crate::trust::{self, TrustedDevice};

/// A publication file or hub answer bigger than this is not one (a plan of 1,000 tasks is
/// about 1 MB of JSON).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The local setting holding the last version this PC published of a plan, and its content.
fn published_key(plan: Uuid) -> String {
    format!("publish.last.{plan}")
}

/// What this PC last published of a plan: the district's side of coverage reads it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LastPublished {
    pub version: u32,
    pub content: PublishedPlan,
    /// When version 1 was published: a commune that has derived nothing a month later is flagged.
    pub first_published_at: String,
    pub published_at: String,
    /// Every commune it was ever sent to.
    pub communes: Vec<Uuid>,
}

/// What this PC last published of `plan`, if it published it.
pub fn last_published(store: &Store, plan: Uuid) -> Result<Option<LastPublished>> {
    crate::settings::get_json(store, &published_key(plan))
}

/// Why a publication is refused, in the officer's words; nothing was stored.
fn refused(msg: impl Into<String>) -> SyncError {
    SyncError::Core(kehoach_core::CoreError::invalid(msg.into()))
}

/// The unit this PC publishes as: the district's unit setting, else its own settings' name.
pub fn publishing_unit(store: &Store) -> Result<String> {
    if let Some(u) = store.local_setting(crate::district::UNIT)?.filter(|u| !u.trim().is_empty()) {
        return Ok(u);
    }
    queries::settings(store)?
        .commune
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| refused("chưa đặt tên đơn vị (Cài đặt) nên chưa gửi được kế hoạch xuống các xã"))
}

/// Signs plan `plan_id` of this PC for `communes`. The version goes up by one when the plan's
/// content changed since this PC last published it; the same content keeps its version (a file
/// written again for another commune is the same publication, not an amendment).
pub fn publish(store: &Store, plan_id: Uuid, communes: &[Uuid]) -> Result<SignedPublication> {
    if communes.is_empty() {
        return Err(refused("chưa có xã nào để gửi kế hoạch (cần ít nhất một xã)"));
    }
    let detail = queries::plan_detail(store, plan_id)?;
    if detail.tasks.is_empty() {
        return Err(refused("kế hoạch chưa có nhiệm vụ nào nên chưa gửi xuống các xã"));
    }
    let content = PublishedPlan {
        title: detail.plan.title.clone(),
        number: detail.plan.number.clone(),
        date: detail.plan.date.clone(),
        issuer: detail.plan.issuer.clone(),
        tasks: detail.tasks.iter().map(|t| PublishedTask { id: t.id, task: t.into() }).collect(),
    };
    let last: Option<LastPublished> = crate::settings::get_json(store, &published_key(plan_id))?;
    let version = match &last {
        Some(l) if l.content == content => l.version,
        Some(l) => l.version + 1,
        None => 1,
    };
    let device = Device::load_or_create(store)?;
    let publication = Publication {
        format: PUBLICATION_FORMAT,
        plan_id,
        version,
        unit: publishing_unit(store)?,
        device: device.id,
        public_key: device.public_key_hex(),
        published_at: trust::now(),
        communes: communes.iter().copied().collect::<BTreeSet<_>>().into_iter().collect(),
        plan: content.clone(),
    };
    let payload = serde_json::to_string(&publication).expect("a publication serialises");
    let signature = hex::encode(device.sign(payload.as_bytes()));
    let mut sent_to: BTreeSet<Uuid> = last.as_ref().map(|l| l.communes.iter().copied().collect()).unwrap_or_default();
    sent_to.extend(communes.iter().copied());
    let record = LastPublished {
        version,
        content,
        first_published_at: last.map(|l| l.first_published_at).unwrap_or_else(|| publication.published_at.clone()),
        published_at: publication.published_at.clone(),
        communes: sent_to.into_iter().collect(),
    };
    crate::settings::set_json(store, &published_key(plan_id), &record)?;
    Ok(SignedPublication { payload, signature })
}

/// Reads bytes as a signed publication and checks its signature against the key it names:
/// what the hub checks before keeping one, and the first step of [`receive`].
pub fn open(bytes: &[u8]) -> Result<(SignedPublication, Publication)> {
    if bytes.len() > MAX_BYTES {
        return Err(refused(format!("tệp lớn hơn {} MB, không phải kế hoạch cấp trên", MAX_BYTES >> 20)));
    }
    let signed: SignedPublication = serde_json::from_slice(bytes)
        .map_err(|_| refused("tệp này không phải kế hoạch cấp trên của kehoach (không đọc được)"))?;
    let publication = upstream::parse(&signed)?;
    let key: [u8; 32] = hex::decode(publication.public_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| refused("kế hoạch cấp trên có khóa ký không hợp lệ"))?;
    let sig: [u8; 64] = hex::decode(signed.signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| refused("kế hoạch cấp trên không có chữ ký hợp lệ"))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| refused("kế hoạch cấp trên có khóa ký không hợp lệ"))?;
    key.verify(signed.payload.as_bytes(), &Signature::from_bytes(&sig)).map_err(|_| {
        SyncError::Tampered("chữ ký của cấp trên không khớp với nội dung: kế hoạch đã bị sửa sau khi ký".into())
    })?;
    Ok((signed, publication))
}

/// What receiving a publication did.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub publication: Publication,
    /// False when this version was held already (nothing written).
    pub new: bool,
    /// The level above's device was trusted now, on the officer's acceptance.
    pub newly_trusted: bool,
    /// What changed since the newest version held before, when there was one.
    pub changes: Option<PlanChanges>,
}

/// What the officer is asked to confirm when the level above's device is not trusted yet.
pub fn untrusted_message(p: &Publication) -> String {
    format!(
        "Kế hoạch này do một máy của {} gửi mà máy này chưa tin cậy (mã thiết bị {}, dấu vân tay khóa {}). \
         Nếu đúng là máy của cấp trên, hãy gọi điện cho cấp trên đối chiếu dấu vân tay rồi mới tin cậy và nhận.",
        p.unit,
        p.device,
        fingerprint(&p.public_key)
    )
}

/// [`untrusted_message`] as the refusal the command line prints, with its way to accept.
pub fn untrusted_publisher(p: &Publication) -> SyncError {
    refused(format!("{} Để nhận: kehoach plan receive … --accept", untrusted_message(p)))
}

/// Whether receiving `bytes` waits for the officer's acceptance of the level above's PC (a
/// good signature by a device this PC does not know yet): the message to show, with the
/// fingerprint to compare. `Ok(None)` when it is trusted, or when receiving would fail anyway
/// (then [`receive`] says why).
pub fn needs_acceptance(store: &Store, bytes: &[u8]) -> Result<Option<String>> {
    let Ok((_, p)) = open(bytes) else { return Ok(None) };
    if p.device == store.device_id() || trust::trusted_device(store, p.device)?.is_some() {
        return Ok(None);
    }
    Ok(Some(untrusted_message(&p)))
}

/// What the commune's screen shows of a received publication.
pub fn received_plan(r: &Received) -> kehoach_model::ReceivedPlan {
    kehoach_model::ReceivedPlan {
        plan_id: r.publication.plan_id,
        version: r.publication.version,
        unit: r.publication.unit.clone(),
        title: r.publication.plan.title.clone(),
        new: r.new,
        changes: r.changes.clone(),
    }
}

/// Receives each of `files` (a file's bytes, or the hub's list), asking first whether the
/// level above's PC needs the officer's acceptance (`accept` gives it): what the app's
/// "Nhận kế hoạch cấp trên" does with a file or the hub.
pub fn receive_all(store: &mut Store, files: &[Vec<u8>], accept: bool) -> Result<kehoach_model::ReceiveOutcome> {
    let mut out = kehoach_model::ReceiveOutcome::default();
    for bytes in files {
        if !accept {
            if let Some(msg) = needs_acceptance(store, bytes)? {
                out.needs_trust.get_or_insert(msg);
                continue;
            }
        }
        match receive(store, bytes, accept) {
            Ok(r) => out.received.push(received_plan(&r)),
            Err(e) => out.refused.push(e.to_string()),
        }
    }
    Ok(out)
}

/// The publications the hub keeps for this commune, each as its bytes (to [`receive_all`]).
pub fn fetch_bytes(hub: &crate::HubClient, store: &Store) -> Result<Vec<Vec<u8>>> {
    let device = Device::load_or_create(store)?;
    let (status, bytes) = hub.request(&device, "GET", HUB_PATH, None, false)?;
    hub_answer(status, &bytes)?;
    let list: Vec<SignedPublication> =
        serde_json::from_slice(&bytes).map_err(|e| SyncError::Hub(format!("trả lời không đọc được: {e}")))?;
    Ok(list.iter().map(|s| serde_json::to_vec(s).expect("a publication serialises")).collect())
}

/// Checks and stores a publication on a commune PC: its signature, that it is addressed to this
/// commune, and that its device is the level above's device this PC trusts (`accept`: the
/// officer accepts a first device of the level above). A refused one stores nothing.
pub fn receive(store: &mut Store, bytes: &[u8], accept: bool) -> Result<Received> {
    let (signed, p) = open(bytes)?;
    let ours = crate::identity::commune(store)?.ok_or(SyncError::NotEnrolled)?;
    if !p.communes.contains(&ours) {
        return Err(refused(format!(
            "kế hoạch này {} gửi cho xã khác, không phải xã của máy này; hãy nhận đúng tệp của xã mình",
            p.unit
        )));
    }
    let mut newly_trusted = false;
    match trust::trusted_device(store, p.device)? {
        Some(t) if !t.public_key.eq_ignore_ascii_case(&p.public_key) => {
            return Err(SyncError::Forged { device: p.device });
        }
        Some(t) if !crate::bundle::is_parent(&t) => {
            return Err(refused("kế hoạch cấp trên phải do máy của cấp trên ký, không phải máy của xã"));
        }
        Some(_) => {}
        None if p.device == store.device_id() => return Err(SyncError::OwnBundle),
        None if accept => newly_trusted = true,
        None => return Err(untrusted_publisher(&p)),
    }
    let before = upstream::latest(store, p.plan_id)?;
    let new = upstream::store_publication(store, &signed)? == upstream::Stored::New;
    if newly_trusted {
        trust::add_trusted(
            store,
            &[TrustedDevice {
                id: p.device,
                public_key: p.public_key.clone(),
                age_recipient: String::new(),
                via: format!("{}{}", crate::bundle::PARENT_VIA, p.unit),
                added_at: trust::now(),
            }],
        )?;
    }
    let changes = before.filter(|b| new && b.version < p.version).map(|b| PlanChanges::between(&b, &p));
    Ok(Received { publication: p, new, newly_trusted, changes })
}

/// Writes a publication to a file (the USB stick of a commune without internet).
pub fn write_file(path: &std::path::Path, signed: &SignedPublication) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(signed).expect("a publication serialises");
    crate::write_durably(path, &bytes)?;
    Ok(())
}

/// The hub's route for publications: a parent unit's device posts one (the hub keeps it for the
/// communes it names that the unit oversees); a commune's device fetches those kept for it.
pub const HUB_PATH: &str = "/v1/publications";

/// The hub's answer to a post: how many communes it was kept for.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Posted {
    pub communes: u32,
}

fn hub_answer(status: u16, bytes: &[u8]) -> Result<()> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let message = serde_json::from_slice::<crate::hub_auth::wire::ErrorBody>(bytes)
        .map(|e| e.error)
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
    Err(SyncError::HubRefused { status, message })
}

/// Posts a publication to the hub (a parent unit's PC).
pub fn post(hub: &crate::HubClient, store: &Store, signed: &SignedPublication) -> Result<Posted> {
    let device = Device::load_or_create(store)?;
    let body = serde_json::to_vec(signed).expect("a publication serialises");
    let (status, bytes) = hub.request(&device, "POST", HUB_PATH, Some(("application/json", &body)), false)?;
    hub_answer(status, &bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| SyncError::Hub(format!("trả lời không đọc được: {e}")))
}

/// Fetches the publications the hub keeps for this commune and receives each (`accept`: the
/// officer accepts a first device of the level above). One refused publication does not stop
/// the others: each gets its own result.
pub fn fetch(hub: &crate::HubClient, store: &mut Store, accept: bool) -> Result<Vec<Result<Received>>> {
    let device = Device::load_or_create(store)?;
    let (status, bytes) = hub.request(&device, "GET", HUB_PATH, None, false)?;
    hub_answer(status, &bytes)?;
    let list: Vec<SignedPublication> =
        serde_json::from_slice(&bytes).map_err(|e| SyncError::Hub(format!("trả lời không đọc được: {e}")))?;
    Ok(list.iter().map(|s| receive(store, &serde_json::to_vec(s).expect("a publication serialises"), accept)).collect())
}
