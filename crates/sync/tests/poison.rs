//! Issue 14, point 3, by USB: a bundle from a trusted PC (broken, or with a key in the wrong
//! hands) carrying ops no PC could apply — a plan's title emptied, a value of the wrong type, a
//! record given another kind — is imported: those ops are set aside with their sender and
//! reason, the others applied, and the PC goes on exchanging bundles. A backup of another PC of
//! the commune holding such an op is merged the same way.

mod common;

use common::*;
use kehoach_core::record as field;
use kehoach_core::{set_aside, Change, Hlc, Kind, Op, Store};
use kehoach_sync::{create_backup, export_bundle, import_bundle, restore_backup, ExportOptions, ImportOptions};
use serde_json::{json, Value};
use uuid::Uuid;

const PLAN: u128 = 0x100;
const TASK: u128 = 0x200;

fn op(device: Uuid, kind: Kind, entity: u128, field: &str, value: Value) -> Op {
    Op {
        id: Uuid::now_v7(),
        entity: Uuid::from_u128(entity),
        kind,
        field: field.into(),
        value,
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device,
        prev: Hlc::default(),
        sig: None,
    }
}

fn title(store: &Store) -> String {
    kehoach_core::queries::plan(store, Uuid::from_u128(PLAN)).unwrap().title
}

#[test]
fn a_bundle_with_poison_ops_is_imported_without_them() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    let d = b.device_id();
    let poisons = [
        op(d, Kind::Plan, PLAN, "title", Value::Null),
        op(d, Kind::Task, TASK, "pos", json!("một")),
        op(d, Kind::Task, PLAN, "text", json!("Nhiệm vụ giả")),
    ];
    let r = import_bundle(&mut a, &bundle_with(&mut b, &poisons), &ImportOptions::default()).unwrap();
    assert_eq!(r.applied.set_aside, 3);
    assert!(a.dump_json().unwrap().contains("Cấp căn cước lưu động"), "the rest is applied");
    assert_eq!(title(&a), "Kế hoạch Đề án 06 — A");
    let aside = set_aside::list(&a).unwrap();
    assert_eq!(aside.len(), 3);
    assert!(aside.iter().all(|e| e.device == d.to_string()), "{aside:?}");

    // The same bundle again sets nothing aside twice; later bundles and edits go through.
    import_bundle(&mut a, &bundle_with(&mut b, &poisons), &ImportOptions::default()).unwrap();
    assert_eq!(set_aside::count(&a).unwrap(), 3);
    edit(&mut b, PLAN, Kind::Plan, "title", json!("Kế hoạch, tên mới từ B"));
    let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(title(&a), "Kế hoạch, tên mới từ B");
    a.commit(vec![Change::new(Kind::Plan, Uuid::from_u128(PLAN), field::plan::TITLE, json!("Sửa tại A"))]).unwrap();
    assert_eq!(title(&a), "Sửa tại A");
}

#[test]
fn a_backup_holding_a_poison_op_is_merged_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.sqlite3")).unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open(&dir.path().join("b.sqlite3")).unwrap();
    pair(&mut a, &mut b);
    edit(&mut b, 0x300, Kind::Task, "text", json!("Việc của máy B"));
    let file = dir.path().join("b.kehoach");
    create_backup(&b, &file, None).unwrap();
    // The file's copy of B's last op now empties the plan's title.
    let conn = rusqlite::Connection::open(&file).unwrap();
    let poison = op(b.device_id(), Kind::Plan, PLAN, "title", Value::Null);
    conn.execute(
        "INSERT INTO ops(id, entity, field, value, hlc, device, prev, seq)
         VALUES (?1, ?2, 'title', 'null', ?3, ?4, 0, (SELECT max(seq) + 1 FROM ops))",
        rusqlite::params![
            poison.id.to_string(),
            poison.entity.to_string(),
            poison.hlc.as_i64(),
            poison.device.to_string()
        ],
    )
    .unwrap();
    drop(conn);
    let r = restore_backup(&mut a, &file, None).unwrap();
    assert_eq!(r.applied.set_aside, 1);
    assert!(a.dump_json().unwrap().contains("Việc của máy B"));
    assert_eq!(title(&a), "Kế hoạch Đề án 06 — A");
    assert_eq!(set_aside::list(&a).unwrap()[0].op_id, poison.id.to_string());
}
