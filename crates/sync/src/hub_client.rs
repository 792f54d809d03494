//! The client side of the hub: push our ops, pull the commune's, by cursor, every request
//! signed with the device key. Blocking (ureq): the app runs it on a worker thread.

use std::time::Duration;

use kehoach_core::{Applied, Store};
use serde::Serialize;

use crate::error::{Result, SyncError};
use crate::hub_auth::{self, wire};
use crate::identity::Device;

const PAGE: usize = 1000;

pub struct HubClient {
    base: String,
    agent: ureq::Agent,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HubSyncReport {
    pub pushed: u64,
    pub already_on_hub: u64,
    pub pulled: Applied,
}

impl HubClient {
    /// `base_url` like `http://127.0.0.1:8080`.
    pub fn new(base_url: &str) -> HubClient {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        HubClient { base: base_url.trim_end_matches('/').to_string(), agent }
    }

    fn cursor_key(&self, what: &str) -> String {
        format!("sync.hub.{}.{what}", self.base)
    }

    fn call(&self, device: &Device, method: &str, path: &str, body: Option<Vec<u8>>) -> Result<Vec<u8>> {
        let time = chrono::Utc::now().timestamp_millis();
        let payload = body.clone().unwrap_or_default();
        let sig = hex::encode(device.sign(&hub_auth::signed_message(method, path, time, &payload)));
        let url = format!("{}{}", self.base, path);
        let net = |e: ureq::Error| SyncError::Hub(e.to_string());
        let mut resp = match body {
            Some(b) => self
                .agent
                .post(&url)
                .header(hub_auth::HEADER_DEVICE, device.id.to_string())
                .header(hub_auth::HEADER_TIME, time.to_string())
                .header(hub_auth::HEADER_SIGNATURE, sig)
                .content_type("application/json")
                .send(&b[..])
                .map_err(net)?,
            None => self
                .agent
                .get(&url)
                .header(hub_auth::HEADER_DEVICE, device.id.to_string())
                .header(hub_auth::HEADER_TIME, time.to_string())
                .header(hub_auth::HEADER_SIGNATURE, sig)
                .call()
                .map_err(net)?,
        };
        let status = resp.status().as_u16();
        let bytes = resp.body_mut().read_to_vec().map_err(net)?;
        if !(200..300).contains(&status) {
            let message = serde_json::from_slice::<wire::ErrorBody>(&bytes)
                .map(|e| e.error)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
            return Err(SyncError::HubRefused { status, message });
        }
        Ok(bytes)
    }

    fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| SyncError::Hub(format!("trả lời không đọc được: {e}")))
    }

    /// Sends every local op the hub has not had from us yet, in pages.
    pub fn push(&self, store: &Store) -> Result<wire::PushResponse> {
        let device = Device::load_or_create(store)?;
        let key = self.cursor_key("pushed");
        let mut cursor = crate::settings::get_i64(store, &key)?;
        let mut total = wire::PushResponse { accepted: 0, duplicates: 0 };
        loop {
            let ops = store.ops_since(cursor)?;
            if ops.is_empty() {
                break;
            }
            let page: Vec<_> = ops.into_iter().take(PAGE).collect();
            let last = page.last().map(|(s, _)| *s).unwrap_or(cursor);
            let body = serde_json::to_vec(&wire::PushRequest { ops: page.into_iter().map(|(_, o)| o).collect() })
                .expect("ops serialise");
            let r: wire::PushResponse = Self::decode(&self.call(&device, "POST", "/v1/push", Some(body))?)?;
            total.accepted += r.accepted;
            total.duplicates += r.duplicates;
            cursor = last;
            store.set_local_setting(&key, &cursor.to_string())?;
        }
        Ok(total)
    }

    /// Fetches the commune's ops the hub has after our cursor and applies each page in one
    /// transaction; the cursor moves only after a page is applied, so a cut connection
    /// resumes where it stopped.
    pub fn pull(&self, store: &mut Store) -> Result<Applied> {
        let device = Device::load_or_create(store)?;
        let key = self.cursor_key("pulled");
        let mut cursor = crate::settings::get_i64(store, &key)?;
        let mut total = Applied::default();
        loop {
            let path = format!("/v1/pull?after={cursor}&limit={PAGE}");
            let r: wire::PullResponse = Self::decode(&self.call(&device, "GET", &path, None)?)?;
            let a = store.apply_ops(&r.ops)?;
            total.applied += a.applied;
            total.duplicates += a.duplicates;
            total.conflicts += a.conflicts;
            for (k, v) in a.by_kind {
                *total.by_kind.entry(k).or_default() += v;
            }
            cursor = r.cursor;
            store.set_local_setting(&key, &cursor.to_string())?;
            if !r.more {
                break;
            }
        }
        Ok(total)
    }

    /// The read-only roll-up of the communes this device's unit oversees, for `period`
    /// ("2024-05", "2024-Q2", …). Needs no commune: a parent unit's device has none.
    pub fn rollup(&self, store: &Store, period: &str) -> Result<wire::Rollup> {
        let device = Device::load_or_create(store)?;
        let path = format!("/v1/rollup?period={}", encode_query(period));
        Self::decode(&self.call(&device, "GET", &path, None)?)
    }

    /// Every op the hub holds for `commune`, without applying them: how a parent unit's
    /// device reads one of its communes (its own data file is not mixed with theirs).
    pub fn pull_commune(&self, store: &Store, commune: uuid::Uuid) -> Result<Vec<kehoach_core::Op>> {
        let device = Device::load_or_create(store)?;
        let mut cursor = 0;
        let mut ops = Vec::new();
        loop {
            let path = format!("/v1/pull?after={cursor}&limit={PAGE}&commune={commune}");
            let r: wire::PullResponse = Self::decode(&self.call(&device, "GET", &path, None)?)?;
            ops.extend(r.ops);
            cursor = r.cursor;
            if !r.more {
                break;
            }
        }
        Ok(ops)
    }

    /// Pull, then push: what the sync worker runs whenever the hub is reachable.
    pub fn sync(&self, store: &mut Store) -> Result<HubSyncReport> {
        let pulled = self.pull(store)?;
        let pushed = self.push(store)?;
        Ok(HubSyncReport { pushed: pushed.accepted, already_on_hub: pushed.duplicates, pulled })
    }

    /// `GET /healthz`.
    pub fn healthy(&self) -> bool {
        matches!(self.agent.get(&format!("{}/healthz", self.base)).call(), Ok(r) if r.status().as_u16() == 200)
    }
}

/// Percent-encodes a query value (periods are plain ASCII; this keeps anything else intact).
fn encode_query(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
