//! Issue 14, point 5 (the hub's part): a lost or stolen PC's enrolment is withdrawn with
//! `kehoach-hub revoke --device D`; from then on its pushes and pulls are refused, while the
//! commune's other PCs sync on and keep what it sent before. Run on SQLite, and on PostgreSQL
//! when `KEHOACH_TEST_PG_URL` names a server (as scripts/test.sh sets it).

use std::sync::Arc;

use kehoach_core::record as field;
use kehoach_core::{Change, Kind, Store};
use kehoach_hub::{api, postgres::PostgresStore, sqlite::SqliteStore, DeviceRecord, HubStore};
use kehoach_sync::{Device, HubClient, SyncError};
use uuid::Uuid;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap()
}

/// Serves `store` from `rt` (which also runs the store's own tasks).
fn serve(rt: &tokio::runtime::Runtime, store: Arc<dyn HubStore>) -> String {
    let tcp = rt.block_on(async { kehoach_hub::bind("127.0.0.1:0".parse().unwrap()).unwrap() });
    let url = format!("http://{}", tcp.local_addr().unwrap());
    rt.spawn(kehoach_hub::serve(tcp, api::router(store), Default::default(), std::future::pending()));
    url
}

fn a_revoked_pc_is_refused(rt: tokio::runtime::Runtime, store: Arc<dyn HubStore>) {
    let url = serve(&rt, store.clone());
    let commune = Uuid::now_v7();
    let (mut lost, mut kept) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
    for pc in [&lost, &kept] {
        let key = Device::load_or_create(pc).unwrap().public_key_hex();
        rt.block_on(store.enrol(&DeviceRecord { id: pc.device_id(), commune, public_key: key })).unwrap();
    }
    let c = HubClient::new(&url);
    lost.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, "Kế hoạch từ máy bị mất")]).unwrap();
    c.sync(&mut lost).unwrap();

    assert!(rt.block_on(store.revoke(lost.device_id())).unwrap());
    assert!(!rt.block_on(store.revoke(lost.device_id())).unwrap(), "revoked once");
    lost.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, "Kế hoạch sau khi mất")]).unwrap();
    match c.sync(&mut lost) {
        Err(SyncError::HubRefused { status: 403, .. }) => {}
        other => panic!("a revoked PC's sync must be refused, got {other:?}"),
    }
    c.sync(&mut kept).unwrap();
    // Its later work carried to another PC and pushed from there is not taken either.
    let mut relayed = kehoach_core::Op {
        id: Uuid::now_v7(),
        entity: Uuid::now_v7(),
        kind: Kind::Plan,
        field: "title".into(),
        value: serde_json::json!("Kế hoạch sau khi mất, qua máy khác"),
        hlc: kehoach_core::Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64 + 1),
        device: lost.device_id(),
        prev: kehoach_core::Hlc::default(),
        sig: None,
    };
    relayed.sig = Some(hex::encode(Device::load_or_create(&lost).unwrap().sign(&relayed.signing_bytes())));
    let r = c.push_for_commune(&kept, commune, &[relayed]).unwrap();
    assert_eq!((r.accepted, r.refused.len()), (0, 1), "{r:?}");
    let text = kept.dump_json().unwrap();
    assert!(text.contains("Kế hoạch từ máy bị mất") && !text.contains("sau khi mất"), "{text}");
}

#[test]
fn a_revoked_pc_is_refused_by_the_sqlite_hub() {
    let dir = tempfile::tempdir().unwrap();
    a_revoked_pc_is_refused(runtime(), Arc::new(SqliteStore::open(dir.path()).unwrap()));
}

#[test]
fn a_revoked_pc_is_refused_by_the_postgres_hub() {
    let Ok(url) = std::env::var("KEHOACH_TEST_PG_URL") else {
        assert!(std::env::var("KEHOACH_REQUIRE_PG").is_err() && std::env::var("CI").is_err(), "no PostgreSQL");
        return;
    };
    let rt = runtime();
    let store = rt.block_on(PostgresStore::connect(&url)).unwrap();
    a_revoked_pc_is_refused(rt, Arc::new(store));
}
