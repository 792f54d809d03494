//! The devices this install accepts bundles from.

use kehoach_core::Store;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Result;
use crate::settings;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustedDevice {
    pub id: Uuid,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// age X25519 recipient (`age1…`), to encrypt bundles to it.
    pub age_recipient: String,
    /// How it came to be trusted: "invitation", "enrolment", "accepted", "introduced:<device>".
    pub via: String,
    pub added_at: String,
}

pub fn trusted_devices(store: &Store) -> Result<Vec<TrustedDevice>> {
    Ok(settings::get_json(store, settings::TRUSTED)?.unwrap_or_default())
}

pub fn trusted_device(store: &Store, id: Uuid) -> Result<Option<TrustedDevice>> {
    Ok(trusted_devices(store)?.into_iter().find(|d| d.id == id))
}

/// Adds devices not yet trusted; a device already trusted keeps its first key, so nobody can
/// replace a known device's key by introducing it again.
pub fn add_trusted(store: &Store, new: &[TrustedDevice]) -> Result<Vec<Uuid>> {
    let mut all = trusted_devices(store)?;
    let mut added = Vec::new();
    for d in new {
        if d.id == store.device_id() || all.iter().any(|t| t.id == d.id) {
            continue;
        }
        all.push(d.clone());
        added.push(d.id);
    }
    if !added.is_empty() {
        settings::set_json(store, settings::TRUSTED, &all)?;
    }
    Ok(added)
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
