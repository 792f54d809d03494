//! What the app's background sync does: one attempt against the configured hub, with its
//! outcome kept as local settings so the Đồng bộ screen can say when it last worked.

use kehoach_core::Store;
use serde::Serialize;

use crate::error::Result;
use crate::hub_client::{HubClient, HubSyncReport};

const HUB_URL: &str = "sync.hub_url";
const LAST_OK: &str = "sync.last_ok";
const LAST_ERROR: &str = "sync.last_error";
const LAST_ATTEMPT: &str = "sync.last_attempt";

/// The sync state shown to the officer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncState {
    pub hub_url: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_ok: Option<String>,
    pub last_attempt: Option<String>,
    /// The message of the last failed attempt, cleared by a success.
    pub last_error: Option<String>,
}

pub fn hub_url(store: &Store) -> Result<Option<String>> {
    Ok(store.local_setting(HUB_URL)?.filter(|u| !u.is_empty()))
}

/// Sets (or, with an empty string, clears) the hub address; only http(s) URLs are taken.
pub fn set_hub_url(store: &Store, url: &str) -> Result<()> {
    let url = url.trim();
    if !url.is_empty() && !url.starts_with("http://") && !url.starts_with("https://") {
        return Err(crate::error::SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "địa chỉ máy chủ đồng bộ phải bắt đầu bằng http:// hoặc https:// (đã nhập: {url})"
        ))));
    }
    store.set_local_setting(HUB_URL, url.trim_end_matches('/'))?;
    Ok(())
}

pub fn state(store: &Store) -> Result<SyncState> {
    Ok(SyncState {
        hub_url: hub_url(store)?,
        last_ok: store.local_setting(LAST_OK)?.filter(|s| !s.is_empty()),
        last_attempt: store.local_setting(LAST_ATTEMPT)?.filter(|s| !s.is_empty()),
        last_error: store.local_setting(LAST_ERROR)?.filter(|s| !s.is_empty()),
    })
}

/// One sync with the hub, if one is configured: `Ok(None)` when there is none. The outcome
/// is recorded either way; a failure (no network, hub down) is simply retried next time.
pub fn sync_once(store: &mut Store) -> Result<Option<HubSyncReport>> {
    let Some(url) = hub_url(store)? else { return Ok(None) };
    let now = chrono::Utc::now().to_rfc3339();
    store.set_local_setting(LAST_ATTEMPT, &now)?;
    // Pushed with this sync: the district sees which version each PC runs.
    crate::update::note_this_program(store)?;
    let synced = HubClient::for_store(store, &url).and_then(|client| Ok((client.sync(store)?, client)));
    match synced {
        Ok((report, client)) => {
            store.set_local_setting(LAST_OK, &now)?;
            store.set_local_setting(LAST_ERROR, "")?;
            // The hub may hold a newer kehoach for this PC ("Có phiên bản mới"). Asking is part
            // of no sync's success: a failure here is retried at the next sync.
            let _ = crate::update::ask_hub(store, &client, &crate::update::UpdatePolicy::this_program());
            Ok(Some(report))
        }
        Err(e) => {
            store.set_local_setting(LAST_ERROR, &e.to_string())?;
            Err(e)
        }
    }
}
