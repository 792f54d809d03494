//! Issue 14, points 4 and 5, at the hub: an op signed by a device enrolled here must carry that
//! device's signature over this very op, and a device revoked here has no op stamped after its
//! revocation taken, whoever relays it. Such ops are left out with their reason and the rest of
//! the push is stored, so the relaying PC keeps syncing.

use kehoach_core::{Hlc, Kind, Op, Store};
use kehoach_sync::Device;
use serde_json::json;
use uuid::Uuid;

mod common;

use common::{Hub, Serving};

fn op(device: Uuid, entity: Uuid, text: &str, at_ms: u64) -> Op {
    Op {
        id: Uuid::now_v7(),
        entity,
        kind: Kind::Plan,
        field: "title".into(),
        value: json!(text),
        hlc: Hlc::from_millis(at_ms),
        device,
        prev: Hlc::default(),
        sig: None,
    }
}

fn signed(pc: &Store, mut op: Op) -> Op {
    op.sig = Some(hex::encode(Device::load_or_create(pc).unwrap().sign(&op.signing_bytes())));
    op
}

fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis() as u64
}

/// What the hub holds for the commune, as titles.
fn titles(hub: &Hub, commune: Uuid) -> Vec<String> {
    let ops = hub.rt.block_on(hub.store.pull(commune, 0, 1000)).unwrap();
    ops.into_iter().filter_map(|(_, o)| o.value.as_str().map(String::from)).collect()
}

#[test]
fn an_op_altered_after_its_author_signed_it_is_left_out() {
    let hub = common::start_sqlite(Serving::default());
    let commune = Uuid::now_v7();
    let (a, b) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
    hub.enrol(&a, commune);
    hub.enrol(&b, commune);
    // b relays an op of a's that someone changed on the way after a signed it, and one of its own.
    let mut altered = signed(&a, op(a.device_id(), Uuid::now_v7(), "Kế hoạch của máy A", now_ms()));
    altered.value = json!("Kế hoạch bị sửa trên đường");
    let honest = signed(&b, op(b.device_id(), Uuid::now_v7(), "Kế hoạch của máy B", now_ms()));
    let r = hub.client().push_for_commune(&b, commune, &[altered, honest]).unwrap();
    assert_eq!(r.accepted, 1, "{r:?}");
    assert_eq!(r.refused.len(), 1, "{r:?}");
    assert!(r.refused[0].contains("chữ ký không khớp"), "{r:?}");
    assert_eq!(titles(&hub, commune), ["Kế hoạch của máy B"]);
}

#[test]
fn a_revoked_devices_later_ops_are_not_taken_from_anyone() {
    let hub = common::start_sqlite(Serving::default());
    let commune = Uuid::now_v7();
    let (lost, kept) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
    hub.enrol(&lost, commune);
    hub.enrol(&kept, commune);
    let before = signed(&lost, op(lost.device_id(), Uuid::now_v7(), "Làm trước khi mất máy", now_ms()));
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert!(hub.rt.block_on(hub.store.revoke(lost.device_id())).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(5));
    // The lost PC's work, carried by USB to the other PC and pushed by it: what was made
    // before the revocation is taken, what came after is not; the other PC's own work is.
    let after = signed(&lost, op(lost.device_id(), Uuid::now_v7(), "Làm sau khi mất máy", now_ms()));
    let own = signed(&kept, op(kept.device_id(), Uuid::now_v7(), "Việc của máy còn lại", now_ms()));
    let r = hub.client().push_for_commune(&kept, commune, &[before, after, own]).unwrap();
    assert_eq!(r.accepted, 2, "{r:?}");
    assert_eq!(r.refused.len(), 1, "{r:?}");
    assert!(r.refused[0].contains("đã bị thu hồi"), "{r:?}");
    let mut t = titles(&hub, commune);
    t.sort();
    assert_eq!(t, ["Làm trước khi mất máy", "Việc của máy còn lại"]);
}
