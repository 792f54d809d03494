//! Issue 14, point 3, through the hub: an op no PC could apply — a plan's title emptied, a
//! value of the wrong type, a field no record has, a record given two kinds — is refused on
//! push with its reason; and when such ops are already on a hub (one that did not check them),
//! a PC pulling them sets them aside, applies the rest, and goes on syncing; a parent unit's
//! roll-up still sums that commune.

use kehoach_core::record as field;
use kehoach_core::{queries, set_aside, Change, Hlc, Kind, Op, Store, SETTINGS_ID};
use kehoach_hub::{sqlite::SqliteStore, HubStore, ParentRecord};
use kehoach_model::NewPlan;
use kehoach_sync::{Device, HubClient, SyncError};
use serde_json::{json, Value};
use uuid::Uuid;

mod common;

use common::{Hub, Serving};

fn start() -> Hub {
    common::start_sqlite(Serving::default())
}

fn op(device: Uuid, kind: Kind, entity: Uuid, field: &str, value: Value) -> Op {
    Op {
        id: Uuid::now_v7(),
        entity,
        kind,
        field: field.into(),
        value,
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device,
        prev: Hlc::default(),
        sig: None,
    }
}

/// A commune PC with its name, a plan and a task, synced up.
fn commune_pc(hub: &Hub, commune: Uuid) -> (Store, Uuid, Uuid) {
    let mut pc = Store::open_in_memory().unwrap();
    hub.enrol(&pc, commune);
    pc.commit(vec![Change::new(Kind::Org, SETTINGS_ID, field::org::COMMUNE, "Xã Ia Trok")]).unwrap();
    let plan =
        kehoach_core::create_plan(&mut pc, &NewPlan { title: "Kế hoạch chuyển đổi số".into(), ..Default::default() })
            .unwrap();
    let task = Uuid::now_v7();
    pc.commit(vec![
        Change::new(Kind::Task, task, field::task::PLAN_ID, plan.id.to_string()),
        Change::new(Kind::Task, task, field::task::TEXT, "Rà soát dữ liệu dân cư"),
    ])
    .unwrap();
    HubClient::new(&hub.url).sync(&mut pc).unwrap();
    (pc, plan.id, task)
}

fn poisons(device: Uuid, plan: Uuid, task: Uuid) -> Vec<(Op, &'static str)> {
    vec![
        (op(device, Kind::Plan, plan, "title", Value::Null), "không được để trống"),
        (op(device, Kind::Task, task, "pos", json!("đầu tiên")), "phải là số nguyên"),
        (op(device, Kind::Plan, plan, "no_such_field", json!(1)), "không có trường"),
    ]
}

#[test]
fn a_poison_op_is_refused_on_push_with_its_reason() {
    let hub = start();
    let commune = Uuid::now_v7();
    let (pc, plan, task) = commune_pc(&hub, commune);
    let c = HubClient::new(&hub.url);
    for (poison, why) in poisons(pc.device_id(), plan, task) {
        let fine = op(pc.device_id(), Kind::Task, task, "status", json!("done"));
        match c.push_for_commune(&pc, commune, &[fine, poison]) {
            Err(SyncError::HubRefused { status: 400, message }) => {
                assert!(message.contains(why), "{why}: {message}");
                assert!(message.contains("thao tác thứ 2"), "{message}");
            }
            other => panic!("{why}: expected a refusal, got {other:?}"),
        }
    }
    // Two kinds for one new record in one push.
    let fresh = Uuid::now_v7();
    let kinds = [
        op(pc.device_id(), Kind::Plan, fresh, "title", json!("A")),
        op(pc.device_id(), Kind::Task, fresh, "text", json!("B")),
    ];
    match c.push_for_commune(&pc, commune, &kinds) {
        Err(SyncError::HubRefused { status: 400, message }) => assert!(message.contains("là kế hoạch"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A record the hub already holds as a plan, given another kind in a later push.
    match c.push_for_commune(&pc, commune, &[op(pc.device_id(), Kind::Task, plan, "text", json!("Nhiệm vụ"))]) {
        Err(SyncError::HubRefused { status: 400, message }) => assert!(message.contains("là kế hoạch"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Nothing of the refused pushes reached the hub.
    let held = hub.rt.block_on(hub.store.pull(commune, 0, 1000)).unwrap();
    assert_eq!(held.len() as i64, pc.op_count().unwrap());
}

#[test]
fn a_pc_sets_aside_what_an_unchecking_hub_gave_it_and_goes_on_syncing() {
    let hub = start();
    let commune = Uuid::now_v7();
    let (mut a, plan, task) = commune_pc(&hub, commune);
    let mut b = Store::open_in_memory().unwrap();
    hub.enrol(&b, commune);
    let c = HubClient::new(&hub.url);
    // The poisons are stored straight into the hub's database, as a hub that did not check
    // them (an older one) would have: between two ordinary edits of A.
    a.commit(vec![Change::new(Kind::Task, task, field::task::STATUS, "in_progress")]).unwrap();
    c.sync(&mut a).unwrap();
    let mut bad: Vec<Op> = poisons(a.device_id(), plan, task).into_iter().map(|(o, _)| o).collect();
    bad.push(op(a.device_id(), Kind::Task, plan, "text", json!("Nhiệm vụ giả")));
    hub.rt.block_on(hub.store.push(commune, &bad)).unwrap();
    a.commit(vec![Change::new(Kind::Task, task, field::task::TEXT, "Rà soát dữ liệu dân cư, đợt 2")]).unwrap();
    // A, which made the plan, pulls them back: set aside, and its own edit still goes up.
    let r = c.sync(&mut a).unwrap();
    assert_eq!((r.pulled.set_aside, r.pushed), (4, 1));

    // B, new, pulls everything: the poisons are set aside, the rest applied.
    let r = c.sync(&mut b).unwrap();
    assert_eq!(r.pulled.set_aside, 4);
    assert_eq!(queries::plan(&b, plan).unwrap().title, "Kế hoạch chuyển đổi số");
    let t = queries::task(&b, task).unwrap();
    assert_eq!(t.text, "Rà soát dữ liệu dân cư, đợt 2");
    let aside = set_aside::list(&b).unwrap();
    assert_eq!(aside.len(), 4);
    assert!(aside.iter().all(|e| e.device == a.device_id().to_string()));

    // Sync goes on both ways, and later edits of the same records work.
    kehoach_core::edit_plan(
        &mut b,
        plan,
        &kehoach_model::PlanEdit { title: Some("Kế hoạch, tên mới".into()), ..Default::default() },
    )
    .unwrap();
    c.sync(&mut b).unwrap();
    let r = c.sync(&mut a).unwrap();
    assert_eq!(r.pulled.set_aside, 0);
    assert_eq!(queries::plan(&a, plan).unwrap().title, "Kế hoạch, tên mới");
    assert_eq!(c.sync(&mut b).unwrap().pulled.set_aside, 0, "nothing new to set aside");

    // The district's roll-up still reads this commune.
    let district = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&district).unwrap().public_key_hex();
    let parent = ParentRecord {
        id: district.device_id(),
        unit: "UBND huyện Ia Pa".into(),
        public_key: key,
        communes: vec![commune],
    };
    hub.rt.block_on(hub.store.enrol_parent(&parent)).unwrap();
    let period = chrono::Local::now().format("%Y-%m").to_string();
    let rollup = c.rollup(&district, &period).unwrap();
    assert_eq!(rollup.communes.len(), 1);
    assert!(rollup.communes[0].error.is_none(), "{:?}", rollup.communes[0].error);
}

/// A hub database from before the record kinds were kept learns them from its ops when it
/// opens, so a kind change of a record pushed before the update is refused too.
#[test]
fn a_hub_from_before_the_kind_index_learns_its_records_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (commune, plan, device) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let first = op(device, Kind::Plan, plan, "title", json!("Kế hoạch"));
    let store = SqliteStore::open(dir.path()).unwrap();
    rt.block_on(store.push(commune, &[first])).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("hub.sqlite3")).unwrap();
    conn.execute("DROP TABLE entity_kinds", []).unwrap();
    drop(conn);
    let store = SqliteStore::open(dir.path()).unwrap();
    let kinds = rt.block_on(store.kinds(commune, &[plan, Uuid::now_v7()])).unwrap();
    assert_eq!(kinds.len(), 1);
    assert_eq!(kinds[&plan], Kind::Plan);
}
