//! Typed access to the per-device settings sync keeps with `Store::local_setting`. These are
//! never synced: keys, the commune this install belongs to, trust and cursors are facts about
//! this one device.

use kehoach_core::Store;
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{Result, SyncError};

pub const SIGNING_KEY: &str = "sync.signing_key";
pub const AGE_IDENTITY: &str = "sync.age_identity";
pub const COMMUNE: &str = "sync.commune";
pub const TRUSTED: &str = "sync.trusted";
pub const INVITES: &str = "sync.invites";
pub const ENROLMENT: &str = "sync.enrolment";
/// Set in a level above's copy of a commune's data: that copy's device is not one of the
/// commune's and admits nobody into it.
pub const PARENT_COPY: &str = "sync.parent_copy";

/// A bundle already imported, keyed by its id (replay protection).
pub fn seen_key(bundle: uuid::Uuid) -> String {
    format!("sync.seen.{bundle}")
}

/// The highest seq of `device`'s log we hold without gaps (told back to it as an ack).
pub fn received_key(device: uuid::Uuid) -> String {
    format!("sync.received.{device}")
}

/// The highest seq of our log that `device` has said it holds.
pub fn acked_key(device: uuid::Uuid) -> String {
    format!("sync.acked.{device}")
}

pub fn get_json<T: DeserializeOwned>(store: &Store, key: &str) -> Result<Option<T>> {
    match store.local_setting(key)? {
        None => Ok(None),
        Some(s) => {
            serde_json::from_str(&s).map(Some).map_err(|e| SyncError::Corrupt(format!("thiết lập {key} hỏng: {e}")))
        }
    }
}

pub fn set_json<T: Serialize>(store: &Store, key: &str, value: &T) -> Result<()> {
    let s = serde_json::to_string(value).expect("settings serialise");
    store.set_local_setting(key, &s)?;
    Ok(())
}

pub fn get_i64(store: &Store, key: &str) -> Result<i64> {
    Ok(store.local_setting(key)?.and_then(|s| s.parse().ok()).unwrap_or(0))
}
