//! The commune's device list (issue 14, point 5): every device this PC knows of — itself, the
//! devices it trusts, those admitted by signed statements — with who works on it, how it was
//! let in, when it last wrote something this PC holds, and its revocation; and revoking one
//! named by the officer (its id or the start of it).

use std::collections::{BTreeMap, HashMap};

use kehoach_core::Store;
use kehoach_model::{CommuneDevice, DeviceRevocation};
use uuid::Uuid;

use crate::admission::{self, Admission};
use crate::error::{Result, SyncError};
use crate::identity::{fingerprint, Device};
use crate::trust;

/// The commune's devices: this PC first, then by the time they were let in.
pub fn commune_devices(store: &Store) -> Result<Vec<CommuneDevice>> {
    let me = Device::load(store)?;
    let names = kehoach_core::pc_users::pc_users(store)?;
    let name = |id: Uuid| names.get(&id).map(|u| u.label()).unwrap_or_else(|| format!("máy {id}"));
    let admitted: HashMap<Uuid, Admission> = admission::admissions(store)?.into_iter().map(|a| (a.device, a)).collect();
    let trusted: HashMap<Uuid, trust::TrustedDevice> =
        trust::trusted_devices(store)?.into_iter().map(|t| (t.id, t)).collect();
    let revoked: HashMap<Uuid, admission::Revocation> =
        admission::revocations(store)?.into_iter().map(|r| (r.device, r)).collect();
    let last_seen = last_seen(store)?;

    let mut ids: Vec<Uuid> = me.iter().map(|d| d.id).collect();
    let mut others: Vec<Uuid> = admitted.keys().chain(trusted.keys()).copied().collect();
    others.sort();
    others.dedup();
    ids.extend(others.into_iter().filter(|id| me.as_ref().map(|d| d.id) != Some(*id)));

    let mut out = Vec::new();
    for id in ids {
        let this_pc = me.as_ref().is_some_and(|d| d.id == id);
        let a = admitted.get(&id);
        let t = trusted.get(&id);
        let public_key = match (this_pc, a, t) {
            (true, _, _) => me.as_ref().map(|d| d.public_key_hex()).unwrap_or_default(),
            (_, Some(a), _) => a.public_key.clone(),
            (_, None, Some(t)) => t.public_key.clone(),
            _ => continue,
        };
        let (how, how_vi, admitted_by, since) = match (a, t) {
            // The device that invited this PC: this PC knows that first-hand, whatever
            // statement it later signed so the commune's other PCs learn it.
            (_, Some(t)) if t.via == "invitation" => (
                "inviter".to_string(),
                format!("máy đã mời máy này vào xã (máy này tham gia ngày {})", admission::shown_date(&t.added_at)),
                None,
                Some(t.added_at.clone()),
            ),
            (Some(a), _) => (a.how.clone(), admission::how_vi(a, &name), Some(a.by), Some(a.at.clone())),
            (None, Some(t)) => (
                "trusted".to_string(),
                format!("được máy này tin cậy ngày {}", admission::shown_date(&t.added_at)),
                None,
                Some(t.added_at.clone()),
            ),
            (None, None) => ("founder".to_string(), "máy lập mã xã".to_string(), None, None),
        };
        out.push(CommuneDevice {
            device: id,
            this_pc,
            officer: names.get(&id).map(|u| u.label()),
            fingerprint: fingerprint(&public_key),
            how,
            how_vi,
            admitted_by,
            since,
            last_seen: last_seen.get(&id).cloned(),
            revoked: revoked.get(&id).map(|r| DeviceRevocation { at: r.at.clone(), by: r.by, by_name: name(r.by) }),
        });
    }
    let first = usize::from(me.is_some()).min(out.len());
    out[first..].sort_by(|x, y| x.since.cmp(&y.since));
    Ok(out)
}

/// The newest op stamp of each device this PC holds, as RFC 3339.
fn last_seen(store: &Store) -> Result<BTreeMap<Uuid, String>> {
    Ok(store
        .newest_stamp_by_device()?
        .into_iter()
        .filter_map(|(id, hlc)| {
            let at = chrono::DateTime::from_timestamp_millis(hlc.millis().min(i64::MAX as u64) as i64)?;
            Some((id, at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        })
        .collect())
}

/// The device the officer named by its id or the start of it (at least 4 characters), among
/// the commune's devices.
pub fn find_device(store: &Store, spec: &str) -> Result<CommuneDevice> {
    let spec = spec.trim().to_lowercase();
    let invalid = |m: String| SyncError::Core(kehoach_core::CoreError::invalid(m));
    if spec.chars().count() < 4 {
        return Err(invalid("hãy nhập mã máy, hoặc ít nhất 4 ký tự đầu của mã máy".into()));
    }
    let all = commune_devices(store)?;
    let mut hits: Vec<CommuneDevice> = all.into_iter().filter(|d| d.device.to_string().starts_with(&spec)).collect();
    match hits.len() {
        0 => Err(invalid(format!("không có máy nào của xã có mã bắt đầu bằng “{spec}” (xem kehoach sync devices)"))),
        1 => Ok(hits.remove(0)),
        n => Err(invalid(format!(
            "có {n} máy có mã bắt đầu bằng “{spec}” ({}); hãy nhập thêm ký tự",
            hits.iter().map(|d| d.device.to_string()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// What revoking did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Revoked {
    pub device: CommuneDevice,
    /// It had been revoked before; nothing changed.
    pub already: bool,
}

/// Revokes the device named by `spec` (see [`find_device`]): this PC itself is refused, one
/// revoked before is left as it was.
pub fn revoke_named(store: &mut Store, spec: &str) -> Result<Revoked> {
    let d = find_device(store, spec)?;
    if d.revoked.is_some() {
        return Ok(Revoked { device: d, already: true });
    }
    admission::revoke_device(store, d.device)?;
    let device = commune_devices(store)?.into_iter().find(|x| x.device == d.device).unwrap_or(d);
    Ok(Revoked { device, already: false })
}
