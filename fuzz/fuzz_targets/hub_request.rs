//! The hub's request handling on any request: the method, the path and query, the body, and
//! whether it carries a valid signature of an enrolled device (so the fuzzer gets past
//! authentication into every handler's parsing). Any answer is fine; a panic, a 5xx for input
//! that is merely bad, or a hang is not.
#![no_main]

use std::sync::{Arc, LazyLock};

use axum::body::Body;
use kehoach_hub::{api, sqlite::SqliteStore, DeviceRecord, HubStore};
use kehoach_sync::hub_auth;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Hub {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    device: kehoach_sync::Device,
    _dir: tempfile::TempDir,
}

static HUB: LazyLock<Hub> = LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn HubStore> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let pc = kehoach_core::Store::open_in_memory().unwrap();
    let commune = kehoach_sync::found_commune(&pc).unwrap();
    let device = kehoach_sync::Device::load_or_create(&pc).unwrap();
    let rec = DeviceRecord { id: pc.device_id(), commune, public_key: device.public_key_hex() };
    rt.block_on(store.enrol(&rec)).unwrap();
    Hub { rt, router: api::router(store), device, _dir: dir }
});

const PATHS: [&str; 8] = [
    "/v1/push",
    "/v1/pull?after=0&limit=10",
    "/v1/rollup?period=2024-05",
    "/v1/attachments/have",
    "/v1/attachments/",
    "/v1/updates/latest?platform=",
    "/v1/publications",
    "/v1/pull?after=0&limit=10&commune=",
];

fuzz_target!(|data: &[u8]| {
    let [method, how, rest @ ..] = data else { return };
    let method = ["GET", "POST", "PUT", "DELETE"][*method as usize % 4];
    // The path: one of the hub's own with fuzzed bytes after it, or fuzzed whole.
    let (path, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let path = String::from_utf8_lossy(path);
    let path = match how % 4 {
        0 | 1 => format!("{}{}", PATHS[(*how as usize / 4) % PATHS.len()], path),
        _ => format!("/{path}"),
    };
    let hub = &*HUB;
    let mut req = axum::http::Request::builder().method(method).uri(path.as_str());
    if how % 2 == 0 {
        let time = chrono::Utc::now().timestamp_millis();
        let sig = hex::encode(hub.device.sign(&hub_auth::signed_message(method, &path, time, body)));
        req = req
            .header(hub_auth::HEADER_DEVICE, hub.device.id.to_string())
            .header(hub_auth::HEADER_TIME, time.to_string())
            .header(hub_auth::HEADER_SIGNATURE, sig)
            .header("content-type", "application/json");
    }
    let Ok(req) = req.body(Body::from(body.to_vec())) else { return };
    hub.rt.block_on(async {
        let resp = hub.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let _ = axum::body::to_bytes(resp.into_body(), 64 << 20).await;
        assert!(!status.is_server_error(), "{method} {path}: {status}");
    });
});
