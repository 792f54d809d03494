//! Issue 14, point 4: who works on a PC is said by that PC alone. An op of another device that
//! renames this PC's officer (or changes its desk, version, or deletes it) is set aside with
//! the reason and changes nothing; the same edit is refused when made locally; a device's own
//! renaming still applies everywhere.

use kehoach_core::{pc_users, set_aside, Change, Hlc, Kind, Op, Store};
use kehoach_model::PcUser;
use serde_json::{json, Value};
use uuid::Uuid;

fn now() -> Hlc {
    Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64)
}

fn op(device: Uuid, entity: Uuid, field: &str, value: Value) -> Op {
    Op {
        id: Uuid::now_v7(),
        entity,
        kind: Kind::User,
        field: field.into(),
        value,
        hlc: now(),
        device,
        prev: Hlc::default(),
        sig: None,
    }
}

fn named(name: &str) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    pc_users::set_pc_user(&mut s, &PcUser { name: name.into(), unit: Some("Văn phòng".into()) }).unwrap();
    s
}

#[test]
fn another_device_cannot_rename_this_pcs_officer() {
    let mut victim = named("Lê Văn Tám");
    let attacker = Uuid::now_v7();
    let me = victim.device_id();
    let before = victim.dump_json().unwrap();
    let forged = vec![
        op(attacker, me, "name", json!("Kẻ Giả Mạo")),
        op(attacker, me, "unit", json!("Công an xã")),
        op(attacker, me, "app_version", json!("0.0.1")),
        op(attacker, me, "deleted", json!(true)),
    ];
    let applied = victim.apply_ops(&forged).unwrap();
    assert_eq!((applied.applied, applied.set_aside), (0, 4), "{applied:?}");
    assert_eq!(victim.dump_json().unwrap(), before, "nothing of the forged ops is kept");
    assert_eq!(pc_users::this_pc_user(&victim).unwrap().unwrap().name, "Lê Văn Tám");
    let listed = set_aside::list(&victim).unwrap();
    assert!(listed.iter().all(|s| s.reason.contains("chỉ được ghi người dùng của chính mình")), "{listed:?}");

    // The attacker's renaming of itself is fine, and this PC's own renaming reaches others.
    let own = op(attacker, attacker, "name", json!("Nguyễn Văn Hùng"));
    assert_eq!(victim.apply_ops(&[own]).unwrap().applied, 1);
    let mut other = Store::open_in_memory().unwrap();
    pc_users::set_pc_user(&mut victim, &PcUser { name: "Lê Văn Tám (Văn phòng)".into(), unit: None }).unwrap();
    let ops: Vec<Op> = victim.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    let applied = other.apply_ops(&ops).unwrap();
    assert_eq!(applied.set_aside, 0, "{applied:?}");
    let users = pc_users::pc_users(&other).unwrap();
    assert_eq!(users[&me].name, "Lê Văn Tám (Văn phòng)");
    assert_eq!(users[&attacker].name, "Nguyễn Văn Hùng");
}

#[test]
fn a_local_edit_of_another_pcs_officer_is_refused() {
    let mut s = named("Lê Văn Tám");
    let other = Uuid::now_v7();
    let e = s.commit(vec![Change::new(Kind::User, other, "name", "Kẻ Giả Mạo")]).unwrap_err();
    assert!(e.to_string().contains("chỉ được ghi người dùng của chính mình"), "{e}");
}
