//! `/v1/publications` (issue 17): a parent unit's device posts a plan it signed for its own
//! communes only; nobody else posts; a commune's device gets the newest version of each plan
//! kept for its commune and nothing of another commune's. Run on SQLite, and on PostgreSQL when
//! `KEHOACH_TEST_PG_URL` names a server (`scripts/start-postgres.sh`).

mod common;

use std::sync::Arc;

use common::{Hub, Serving};
use kehoach_core::Store;
use kehoach_hub::{postgres::PostgresStore, HubStore, ParentRecord};
use kehoach_model::{NewPlan, NewTask, SignedPublication};
use kehoach_sync::{publish, Device, SyncError};
use uuid::Uuid;

fn district_plan(store: &mut Store) -> Uuid {
    store.set_local_setting(kehoach_sync::district::UNIT, "UBND huyện Ia Pa").unwrap();
    let plan = kehoach_core::create_plan(
        store,
        &NewPlan { title: "Kế hoạch Đề án 06".into(), number: Some("39/KH-UBND".into()), ..Default::default() },
    )
    .unwrap();
    let t =
        NewTask {
            plan_id: plan.id, text: "Rà soát".into(), lead: vec!["UBND các xã".into()], ..Default::default()
        };
    kehoach_core::add_task(store, &t).unwrap();
    plan.id
}

fn refused(r: Result<impl std::fmt::Debug, SyncError>, status: u16, says: &str) {
    match r {
        Err(SyncError::HubRefused { status: s, message }) => {
            assert_eq!(s, status, "{message}");
            assert!(message.contains(says), "{message}");
        }
        other => panic!("expected a refusal {status} ({says}), got {other:?}"),
    }
}

fn suite(hub: Hub) {
    let c = hub.client();
    let (x, y, z) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let x1 = Store::open_in_memory().unwrap();
    let z1 = Store::open_in_memory().unwrap();
    for (pc, commune) in [(&x1, x), (&z1, z)] {
        pc.set_local_setting("sync.commune", &commune.to_string()).unwrap();
        hub.enrol(pc, commune);
    }
    let (mut x1, mut z1) = (x1, z1);
    let mut district = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&district).unwrap().public_key_hex();
    let rec = ParentRecord {
        id: district.device_id(),
        unit: "UBND huyện Ia Pa".into(),
        public_key: key,
        communes: vec![x, y],
    };
    hub.rt.block_on(hub.store.enrol_parent(&rec)).unwrap();
    let plan = district_plan(&mut district);

    // Kept for its own commune only: x, not z.
    let signed = publish::publish(&district, plan, &[x, z]).unwrap();
    assert_eq!(publish::post(&c, &district, &signed).unwrap().communes, 1);
    refused(publish::post(&c, &district, &publish::publish(&district, plan, &[z]).unwrap()), 403, "Không xã nào");
    // A commune's device posts nothing.
    refused(publish::post(&c, &x1, &signed), 403, "Chỉ máy của đơn vị cấp trên");
    // Changed after signing.
    let tampered = SignedPublication { payload: signed.payload.replace("Rà soát", "Bỏ qua"), ..signed.clone() };
    refused(publish::post(&c, &district, &tampered), 400, "đã bị sửa");
    // Signed by another device than the one posting.
    let mut other = Store::open_in_memory().unwrap();
    let other_plan = district_plan(&mut other);
    refused(publish::post(&c, &district, &publish::publish(&other, other_plan, &[x]).unwrap()), 403, "chính máy");
    // Not a publication at all.
    let garbage = SignedPublication { payload: "{}".into(), signature: "00".into() };
    refused(publish::post(&c, &district, &garbage), 400, "không đọc được");

    // x gets it; z gets nothing; the district is not a commune.
    let got = publish::fetch(&c, &mut x1, true).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].as_ref().unwrap().publication.version, 1);
    assert!(publish::fetch(&c, &mut z1, true).unwrap().is_empty());
    refused(publish::fetch(&c, &mut district, true), 400, "không nhận kế hoạch cấp trên");

    // A new version replaces the old one in what a commune fetches.
    let t = NewTask {
        plan_id: plan, text: "Việc mới".into(), lead: vec!["UBND cấp xã".into()], ..Default::default()
    };
    kehoach_core::add_task(&mut district, &t).unwrap();
    let v2 = publish::publish(&district, plan, &[x]).unwrap();
    publish::post(&c, &district, &v2).unwrap();
    let got = publish::fetch(&c, &mut x1, false).unwrap();
    let r = got[0].as_ref().unwrap();
    assert_eq!((got.len(), r.publication.version), (1, 2));
    assert_eq!(r.changes.as_ref().unwrap().added.len(), 1);
}

#[test]
fn publications_on_sqlite() {
    suite(common::start_sqlite(Serving::default()));
}

#[test]
fn publications_on_postgres() {
    let Ok(url) = std::env::var("KEHOACH_TEST_PG_URL") else {
        let required = std::env::var_os("CI").is_some() || std::env::var_os("KEHOACH_REQUIRE_PG").is_some();
        assert!(!required, "KEHOACH_TEST_PG_URL is not set: start a server with scripts/start-postgres.sh");
        eprintln!("skipped: KEHOACH_TEST_PG_URL is not set (export KEHOACH_TEST_PG_URL=$(scripts/start-postgres.sh))");
        return;
    };
    suite(common::start(
        move || async move { Arc::new(PostgresStore::connect(&url).await.unwrap()) as Arc<dyn HubStore> },
        Serving::default(),
    ));
}
