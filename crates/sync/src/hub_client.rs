//! The client side of the hub: push our ops, pull the commune's, by cursor, every request
//! signed with the device key. Blocking (ureq): the app runs it on a worker thread.
//!
//! Attachment files (evidence files, signed report PDFs) go beside the ops, one request each.
//! Before a page of ops is pushed, the files its ops refer to that the hub lacks are uploaded,
//! so a PC that pulls a record never gets it before its file is on the hub. After the ops, a
//! sync asks the hub for every file that a live record on this PC refers to and that this PC
//! lacks, and writes each one only once its content matches its name. A file the hub does not
//! have either is counted, not an error: the next sync asks again. A store in memory (the
//! hub's replicas, tests) has no attachments directory and exchanges no files, and a hub older
//! than file sync still gets and gives the ops.

use std::collections::BTreeSet;
use std::time::Duration;

use kehoach_core::{Applied, Op, Store};
use serde::Serialize;
use uuid::Uuid;

use crate::attachments::{self, Local};
use crate::error::{Result, SyncError};
use crate::hub_auth::{self, wire, MAX_ATTACHMENT};
use crate::identity::Device;

const PAGE: usize = 1000;
/// A file transfer has no overall deadline (64 MiB over a commune's slow line takes minutes);
/// it fails when the connection stalls this long.
const STALL: Duration = Duration::from_secs(60);
/// The largest answer read: a file at the hub's limit, or a page of ops.
const MAX_RESPONSE: u64 = MAX_ATTACHMENT + 1024 * 1024;
const JSON: &str = "application/json";

pub struct HubClient {
    base: String,
    agent: ureq::Agent,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HubSyncReport {
    pub pushed: u64,
    pub already_on_hub: u64,
    pub pulled: Applied,
    /// Attachment files sent to the hub (those it already held are not sent again).
    pub attachments_uploaded: u64,
    /// Attachment files received from the hub and written to this PC's attachments directory.
    pub attachments_downloaded: u64,
    /// Files that records on this PC refer to and that neither this PC nor the hub has (or
    /// only as a damaged copy): the records are there without them, and later syncs look for
    /// them again.
    pub attachments_missing: u64,
    /// Files over the hub's per-file limit (`hub_auth::MAX_ATTACHMENT`): not sent; they travel
    /// by USB bundle.
    pub attachments_too_large: u64,
    /// Devices admitted to the commune by statements that came down in this sync, one line each
    /// ("Máy mới: …, do … mời ngày …").
    #[serde(default)]
    pub new_devices: Vec<String>,
    /// Ops the hub did not take from this PC, with why (altered after signing, made by a
    /// device the hub revoked): they stay on this PC and go no further.
    #[serde(default)]
    pub refused_by_hub: Vec<String>,
}

/// `wire::PushRequest` without copying the ops.
#[derive(Serialize)]
struct PushRef<'a> {
    ops: Vec<&'a Op>,
}

/// The local setting holding the CA certificate (PEM) this PC trusts for its hub, when the
/// province issues the hub's certificate from a CA of its own.
pub const HUB_CA: &str = "sync.hub_ca";

/// The certificates in a PEM file (a CA's, for [`HubClient::with_ca`]).
fn ca_certificates(pem: &[u8]) -> Result<Vec<ureq::tls::Certificate<'static>>> {
    let bad = |why: String| {
        SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "tệp chứng chỉ gốc của máy chủ không dùng được: {why} (cần tệp PEM, bắt đầu bằng -----BEGIN CERTIFICATE-----)"
        )))
    };
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        if let ureq::tls::PemItem::Certificate(c) = item.map_err(|e| bad(e.to_string()))? {
            certs.push(c);
        }
    }
    if certs.is_empty() {
        return Err(bad("không có chứng chỉ nào trong tệp".into()));
    }
    Ok(certs)
}

/// Installs (or, with `None`, removes) the CA this PC trusts for an https hub. Checked first:
/// a file that holds no certificate changes nothing.
pub fn set_hub_ca(store: &Store, pem: Option<&[u8]>) -> Result<()> {
    match pem {
        Some(pem) => {
            ca_certificates(pem)?;
            let text = std::str::from_utf8(pem)
                .map_err(|e| SyncError::Core(kehoach_core::CoreError::invalid(e.to_string())))?;
            store.set_local_setting(HUB_CA, text)?;
        }
        None => store.set_local_setting(HUB_CA, "")?,
    }
    Ok(())
}

impl HubClient {
    /// `base_url` like `http://127.0.0.1:8080` or `https://dongbo.example.gov.vn`. An https
    /// hub's certificate is checked against the operating system's trust store.
    pub fn new(base_url: &str) -> HubClient {
        Self::trusting(base_url, ureq::tls::RootCerts::PlatformVerifier)
    }

    /// For an https hub whose certificate comes from the CA in `pem` (a province's own CA):
    /// only that CA is trusted.
    pub fn with_ca(base_url: &str, pem: &[u8]) -> Result<HubClient> {
        Ok(Self::trusting(base_url, ureq::tls::RootCerts::new_with_certs(&ca_certificates(pem)?)))
    }

    /// As this PC is set up: the CA installed with [`set_hub_ca`] if any, else the system's.
    pub fn for_store(store: &Store, base_url: &str) -> Result<HubClient> {
        match store.local_setting(HUB_CA)?.filter(|p| !p.is_empty()) {
            Some(pem) => Self::with_ca(base_url, pem.as_bytes()),
            None => Ok(Self::new(base_url)),
        }
    }

    fn trusting(base_url: &str, roots: ureq::tls::RootCerts) -> HubClient {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
            .build()
            .into();
        HubClient { base: base_url.trim_end_matches('/').to_string(), agent }
    }

    fn cursor_key(&self, what: &str) -> String {
        format!("sync.hub.{}.{what}", self.base)
    }

    /// Adds the device's signature headers; a file transfer gets a stall timeout instead of
    /// the overall one.
    fn signed<B>(
        rb: ureq::RequestBuilder<B>,
        device: &Device,
        time: i64,
        sig: &str,
        file: bool,
    ) -> ureq::RequestBuilder<B> {
        let rb = rb
            .header(hub_auth::HEADER_DEVICE, device.id.to_string())
            .header(hub_auth::HEADER_TIME, time.to_string())
            .header(hub_auth::HEADER_SIGNATURE, sig);
        if !file {
            return rb;
        }
        rb.config().timeout_global(None).timeout_per_read(Some(STALL)).timeout_per_write(Some(STALL)).build()
    }

    /// One signed request (`body`: content type and bytes); its status and body, whatever the
    /// status.
    pub(crate) fn request(
        &self,
        device: &Device,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        file: bool,
    ) -> Result<(u16, Vec<u8>)> {
        let time = chrono::Utc::now().timestamp_millis();
        let payload = body.map_or(&[][..], |(_, b)| b);
        let sig = hex::encode(device.sign(&hub_auth::signed_message(method, path, time, payload)));
        let url = format!("{}{}", self.base, path);
        let net = network_error;
        let mut resp = match (method, body) {
            ("GET", None) => Self::signed(self.agent.get(&url), device, time, &sig, file).call(),
            ("POST", Some((ct, b))) => {
                Self::signed(self.agent.post(&url), device, time, &sig, file).content_type(ct).send(b)
            }
            ("PUT", Some((ct, b))) => {
                Self::signed(self.agent.put(&url), device, time, &sig, file).content_type(ct).send(b)
            }
            _ => unreachable!("no {method} request with this body is made"),
        }
        .map_err(net)?;
        let status = resp.status().as_u16();
        let bytes = resp.body_mut().with_config().limit(MAX_RESPONSE).read_to_vec().map_err(net)?;
        Ok((status, bytes))
    }

    /// A signed request whose answer must be a success.
    fn call(&self, device: &Device, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Result<Vec<u8>> {
        let (status, bytes) = self.request(device, method, path, body, false)?;
        if !(200..300).contains(&status) {
            return Err(refusal(status, &bytes));
        }
        Ok(bytes)
    }

    fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| SyncError::Hub(format!("trả lời không đọc được: {e}")))
    }

    /// Sends every local op the hub has not had from us yet, in pages, each page after the
    /// attachment files its ops refer to.
    pub fn push(&self, store: &Store) -> Result<wire::PushResponse> {
        let mut report = HubSyncReport::default();
        self.push_with_files(store, &mut report)?;
        Ok(wire::PushResponse {
            accepted: report.pushed,
            duplicates: report.already_on_hub,
            refused: report.refused_by_hub,
        })
    }

    fn push_with_files(&self, store: &Store, report: &mut HubSyncReport) -> Result<()> {
        let device = Device::load_or_create(store)?;
        crate::authorship::sign_own(store, &device)?;
        let ops_key = self.cursor_key("pushed");
        let files_key = self.cursor_key("files");
        let mut pushed = crate::settings::get_i64(store, &ops_key)?;
        // With an attachments directory, a second cursor: the files of the ops up to it have
        // been offered to the hub. On a PC that pushed before files went through the hub it
        // starts behind the first, so the files of what it pushed then are offered once too.
        let mut files = store.data_dir().is_some();
        let from = if files { crate::settings::get_i64(store, &files_key)?.min(pushed) } else { pushed };
        for page in store.ops_since(from)?.chunks(PAGE) {
            let last = page[page.len() - 1].0;
            // A hub that keeps no files (older than file sync) still takes the ops; the files
            // cursor then stays where it is, so the files are offered once the hub keeps them.
            if files && !self.upload(&device, store, page.iter().map(|(_, o)| o), report)? {
                files = false;
            }
            let new: Vec<&Op> = page.iter().filter(|(s, _)| *s > pushed).map(|(_, o)| o).collect();
            if !new.is_empty() {
                let body = serde_json::to_vec(&PushRef { ops: new }).expect("ops serialise");
                let r: wire::PushResponse =
                    Self::decode(&self.call(&device, "POST", "/v1/push", Some((JSON, &body)))?)?;
                report.pushed += r.accepted;
                report.already_on_hub += r.duplicates;
                report.refused_by_hub.extend(r.refused);
                pushed = last;
                store.set_local_setting(&ops_key, &pushed.to_string())?;
            }
            if files {
                store.set_local_setting(&files_key, &last.to_string())?;
            }
        }
        Ok(())
    }

    /// Uploads the files `ops` refer to that this PC has and the hub lacks; false when the hub
    /// keeps no files.
    fn upload<'a>(
        &self,
        device: &Device,
        store: &Store,
        ops: impl IntoIterator<Item = &'a Op>,
        report: &mut HubSyncReport,
    ) -> Result<bool> {
        let here: Vec<String> =
            attachments::referenced(ops).into_iter().filter(|n| attachments::present(store, n)).collect();
        if here.is_empty() {
            return Ok(true);
        }
        let Some(held) = self.held(device, None, &here)? else { return Ok(false) };
        self.send_lacking(device, store, &here, &held, report)?;
        Ok(true)
    }

    /// Sends the files of `here` that are not in `held` (what the hub has).
    fn send_lacking(
        &self,
        device: &Device,
        store: &Store,
        here: &[String],
        held: &BTreeSet<String>,
        report: &mut HubSyncReport,
    ) -> Result<()> {
        for name in here.iter().filter(|n| !held.contains(*n)) {
            match attachments::read_local(store, name, MAX_ATTACHMENT) {
                Local::File(bytes) => {
                    self.put(device, None, name, &bytes)?;
                    report.attachments_uploaded += 1;
                }
                Local::TooLarge => report.attachments_too_large += 1,
                Local::Missing => report.attachments_missing += 1,
            }
        }
        Ok(())
    }

    /// Offers the hub `here`, every file this PC's live records refer to and it holds (in
    /// name order), when that set is not the one last offered. Pushing offers only the files of the ops it pushes, so
    /// a file that arrives after its record went up — on a USB stick, or found again — would
    /// otherwise reach the hub only from another PC. One request when the set has changed,
    /// none when it has not (the set's digest is kept per hub).
    fn offer_held(&self, device: &Device, store: &Store, here: &[String], report: &mut HubSyncReport) -> Result<()> {
        let digest = crate::container::sha256_hex(here.join("\n").as_bytes());
        let key = self.cursor_key("offered");
        if here.is_empty() || store.local_setting(&key)?.as_deref() == Some(digest.as_str()) {
            return Ok(());
        }
        let Some(held) = self.held(device, None, here)? else { return Ok(()) };
        self.send_lacking(device, store, here, &held, report)?;
        store.set_local_setting(&key, &digest)?;
        Ok(())
    }

    /// Downloads the files of `wanted` (live records here refer to them, this PC lacks them)
    /// that the hub has; counts the others. Returns the names written.
    fn download(
        &self,
        device: &Device,
        store: &Store,
        wanted: Vec<String>,
        report: &mut HubSyncReport,
    ) -> Result<Vec<String>> {
        let mut written = Vec::new();
        if wanted.is_empty() {
            return Ok(written);
        }
        let Some(held) = self.held(device, None, &wanted)? else {
            report.attachments_missing += wanted.len() as u64;
            return Ok(written);
        };
        for name in wanted {
            if !held.contains(&name) {
                report.attachments_missing += 1;
                continue;
            }
            match self.fetch(device, None, &name) {
                Ok(Some(bytes)) => {
                    let n = attachments::write_incoming(store, &[(name.clone(), bytes)])?;
                    report.attachments_downloaded += n;
                    if n > 0 {
                        written.push(name);
                    }
                }
                // Gone between the two requests, or a copy that is not what its name says: not
                // written, and asked for again next time.
                Ok(None) | Err(SyncError::Tampered(_)) => report.attachments_missing += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    /// Which of `names` the hub holds for the commune; `None` from a hub that keeps no files
    /// (one older than file sync has no such route: 404).
    fn held(&self, device: &Device, commune: Option<Uuid>, names: &[String]) -> Result<Option<BTreeSet<String>>> {
        let mut out = BTreeSet::new();
        for chunk in names.chunks(hub_auth::MAX_ATTACHMENT_NAMES) {
            let body = serde_json::to_vec(&wire::AttachmentNames { names: chunk.to_vec() }).expect("names serialise");
            let path = format!("/v1/attachments/have{}", commune_query(commune));
            let (status, bytes) = self.request(device, "POST", &path, Some((JSON, &body)), false)?;
            match status {
                200..=299 => out.extend(Self::decode::<wire::AttachmentNames>(&bytes)?.names),
                404 | 405 => return Ok(None),
                _ => return Err(refusal(status, &bytes)),
            }
        }
        Ok(Some(out))
    }

    fn put(&self, device: &Device, commune: Option<Uuid>, name: &str, bytes: &[u8]) -> Result<bool> {
        let path = format!("/v1/attachments/{}{}", encode_query(name), commune_query(commune));
        let (status, body) = self.request(device, "PUT", &path, Some(("application/octet-stream", bytes)), true)?;
        if !(200..300).contains(&status) {
            return Err(refusal(status, &body));
        }
        Ok(Self::decode::<wire::AttachmentStored>(&body)?.stored)
    }

    fn fetch(&self, device: &Device, commune: Option<Uuid>, name: &str) -> Result<Option<Vec<u8>>> {
        let path = format!("/v1/attachments/{}{}", encode_query(name), commune_query(commune));
        let (status, bytes) = self.request(device, "GET", &path, None, true)?;
        match status {
            404 => Ok(None),
            200..=299 if hub_auth::attachment_matches(name, &bytes) => Ok(Some(bytes)),
            200..=299 => Err(SyncError::Tampered(format!("tệp đính kèm {name} nhận từ máy chủ không khớp với tên"))),
            _ => Err(refusal(status, &bytes)),
        }
    }

    /// Uploads one attachment file into this device's commune; `commune`, when given, must be
    /// that commune (the hub refuses any other). The hub checks the name and that the bytes
    /// are what it names. Returns whether the file was new on the hub.
    pub fn put_attachment(&self, store: &Store, commune: Option<Uuid>, name: &str, bytes: &[u8]) -> Result<bool> {
        self.put(&Device::load_or_create(store)?, commune, name, bytes)
    }

    /// One attachment file of this device's commune, or of `commune` (how a parent unit's
    /// device reads one of its communes'); `None` when the hub does not have it. The content
    /// is checked against the name before it is returned.
    pub fn get_attachment(&self, store: &Store, commune: Option<Uuid>, name: &str) -> Result<Option<Vec<u8>>> {
        self.fetch(&Device::load_or_create(store)?, commune, name)
    }

    /// Fetches the commune's ops the hub has after our cursor and applies each page in one
    /// transaction; the cursor moves only after a page is applied, so a cut connection
    /// resumes where it stopped.
    pub fn pull(&self, store: &mut Store) -> Result<Applied> {
        Ok(self.pull_checked(store)?.0)
    }

    /// [`HubClient::pull`], and the devices the statements that came down admitted. Every op
    /// must prove its author (issue 14, point 4): the hub is not trusted for who wrote what,
    /// so an op it altered or a device it invented is set aside, not applied.
    fn pull_checked(&self, store: &mut Store) -> Result<(Applied, Vec<String>)> {
        let device = Device::load_or_create(store)?;
        let key = self.cursor_key("pulled");
        let mut cursor = crate::settings::get_i64(store, &key)?;
        let mut total = Applied::default();
        let mut keys = crate::authorship::Keys::of(store)?;
        let mut introduced = None;
        loop {
            let path = format!("/v1/pull?after={cursor}&limit={PAGE}");
            let r: wire::PullResponse = Self::decode(&self.call(&device, "GET", &path, None)?)?;
            // Before the ops: the first page's decisions may be the level above's.
            if introduced.is_none() {
                introduced = Some(self.trust_parents(store, &r.parents, &mut keys)?);
            }
            total.add(crate::authorship::apply_checked(store, &r.ops, &mut keys)?);
            cursor = r.cursor;
            store.set_local_setting(&key, &cursor.to_string())?;
            if !r.more {
                break;
            }
        }
        let introduced = introduced.unwrap_or_default();
        if !introduced.is_empty() {
            crate::admission::vouch_for_trusted(store, &device)?;
        }
        let mut lines = crate::admission::describe(store, &keys.learnt);
        lines.extend(introduced);
        Ok((total, lines))
    }

    /// The level above's devices the hub lists over this commune, trusted for their decisions on
    /// reports and nothing else (as a decision file chosen by the officer is): this is how a
    /// district that works through the hub returns or accepts a report. Each one new to this
    /// PC is admitted in the data by this PC's statement, so the commune's other PCs take its
    /// decisions too, and shows in the device list, where it can be revoked. Returns a line
    /// for the officer per device added. A device this PC knows keeps its key.
    fn trust_parents(
        &self,
        store: &Store,
        parents: &[wire::ParentDevice],
        keys: &mut crate::authorship::Keys,
    ) -> Result<Vec<String>> {
        if crate::identity::commune(store)?.is_none() {
            return Ok(Vec::new());
        }
        let mut lines = Vec::new();
        for p in parents {
            if keys.get(p.id).is_some() || crate::authorship::parse_key(&p.public_key).is_none() {
                continue;
            }
            let td = crate::trust::TrustedDevice {
                id: p.id,
                public_key: p.public_key.to_lowercase(),
                age_recipient: String::new(),
                via: format!("{}{}", crate::bundle::PARENT_VIA, p.unit),
                added_at: crate::trust::now(),
            };
            if !crate::trust::add_trusted(store, &[td])?.is_empty() {
                keys.trust(p.id, &p.public_key, true);
                lines.push(format!(
                    "Máy mới: máy của cấp trên ({}), mã {}, do máy chủ đồng bộ giới thiệu; chỉ nhận quyết định về báo cáo \
                     từ máy này (dấu vân tay {})",
                    p.unit,
                    p.id,
                    crate::identity::fingerprint(&p.public_key.to_lowercase())
                ));
            }
        }
        Ok(lines)
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

    /// One page of the ops of `commune` the hub holds after `after`, as it answers a parent
    /// unit's device (`copy` acts as it): with the devices enrolled for the commune. What is
    /// taken of it is [`crate::district`]'s to decide.
    pub fn pull_commune_page(&self, copy: &Store, commune: Uuid, after: i64) -> Result<wire::PullResponse> {
        let device = Device::load_or_create(copy)?;
        let path = format!("/v1/pull?after={after}&limit={PAGE}&commune={commune}");
        Self::decode(&self.call(&device, "GET", &path, None)?)
    }

    /// Downloads the files `copy`'s records refer to and it lacks (signed report PDFs, scans,
    /// evidence) from `commune`'s files on the hub.
    pub fn fetch_commune_files(&self, copy: &Store, commune: Uuid) -> Result<u64> {
        if copy.data_dir().is_none() {
            return Ok(0);
        }
        let device = Device::load_or_create(copy)?;
        let missing = attachments::live_attachments(copy)?.missing;
        let mut got = Vec::new();
        for name in missing {
            if let Some(bytes) = self.fetch(&device, Some(commune), &name)? {
                got.push((name, bytes));
            }
        }
        attachments::write_incoming(copy, &got)
    }

    /// Pushes ops a parent unit's device made about `commune` (its decisions on reports): the
    /// hub takes only those from it.
    pub fn push_for_commune(&self, copy: &Store, commune: Uuid, ops: &[Op]) -> Result<wire::PushResponse> {
        let device = Device::load_or_create(copy)?;
        let body = serde_json::to_vec(&PushRef { ops: ops.iter().collect() }).expect("ops serialise");
        let path = format!("/v1/push?commune={commune}");
        Self::decode(&self.call(&device, "POST", &path, Some((JSON, &body)))?)
    }

    /// Pull, then push (each page after its files), then fetch the files this PC's records
    /// refer to and lacks, and offer those it holds if they changed: what the sync worker runs
    /// whenever the hub is reachable.
    pub fn sync(&self, store: &mut Store) -> Result<HubSyncReport> {
        if let Some(device) = Device::load(store)? {
            crate::admission::vouch_for_trusted(store, &device)?;
        }
        let (pulled, new_devices) = self.pull_checked(store)?;
        let mut report = HubSyncReport { pulled, new_devices, ..Default::default() };
        self.push_with_files(store, &mut report)?;
        if store.data_dir().is_some() {
            // One look at the files the records refer to serves both directions: what came down
            // now is held too.
            let device = Device::load_or_create(store)?;
            let live = attachments::live_attachments(store)?;
            let mut held = live.held;
            held.extend(self.download(&device, store, live.missing, &mut report)?);
            held.sort();
            self.offer_held(&device, store, &held, &mut report)?;
        }
        Ok(report)
    }

    /// `GET /healthz`.
    pub fn healthy(&self) -> bool {
        matches!(self.agent.get(&format!("{}/healthz", self.base)).call(), Ok(r) if r.status().as_u16() == 200)
    }
}

/// A failed exchange with the hub; a certificate the PC cannot trust is named as such, with
/// what to do about it.
fn network_error(e: ureq::Error) -> SyncError {
    // The handshake's failure comes back inside an I/O error.
    let certificate = match &e {
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => true,
        ureq::Error::Io(io) => io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()).is_some_and(|r| {
            matches!(r, rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
        }),
        _ => false,
    };
    match e {
        _ if certificate => SyncError::Hub(format!(
            "không xác minh được chứng chỉ bảo mật (TLS) của máy chủ ({e}). Nếu tỉnh cấp chứng chỉ cho \
             máy chủ bằng CA riêng, hãy cài chứng chỉ gốc đó: kehoach sync hub --url <địa chỉ> --ca <tệp .pem>"
        )),
        e => SyncError::Hub(e.to_string()),
    }
}

/// The hub's refusal as an error: its JSON message, or the body as text.
pub(crate) fn refusal(status: u16, bytes: &[u8]) -> SyncError {
    let message = serde_json::from_slice::<wire::ErrorBody>(bytes)
        .map(|e| e.error)
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
    SyncError::HubRefused { status, message }
}

/// `?commune=<id>` when a commune is named, else nothing.
fn commune_query(commune: Option<Uuid>) -> String {
    commune.map(|c| format!("?commune={c}")).unwrap_or_default()
}

/// Percent-encodes a query value (periods are plain ASCII; this keeps anything else intact).
pub(crate) fn encode_query(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
