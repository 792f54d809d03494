//! `kehoach sync set-aside` lists the changes received from other PCs that could not be applied
//! (issue 14, point 3), with their sender's name and device and the reason, in Vietnamese —
//! the same list the app's Đồng bộ screen shows.

mod common;

use common::*;
use kehoach_core::record as field;
use kehoach_core::{Change, Hlc, Kind, Op, Store};
use kehoach_model::PcUser;
use serde_json::{json, Value};
use uuid::Uuid;

#[test]
fn set_aside_changes_are_listed_with_their_sender() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehoach.sqlite3");
    assert!(stdout(kehoach(&db, &["sync", "set-aside"])).contains("Không có thay đổi nào bị để riêng"));

    // Another PC of the commune, named by its officer, whose later changes include a plan
    // whose title it emptied.
    let mut other = Store::open_in_memory().unwrap();
    kehoach_core::pc_users::set_pc_user(
        &mut other,
        &PcUser { name: "Trần Thị Hoa".into(), unit: Some("Văn phòng".into()) },
    )
    .unwrap();
    let plan = Uuid::now_v7();
    other.commit(vec![Change::new(Kind::Plan, plan, field::plan::TITLE, "Kế hoạch cải cách hành chính")]).unwrap();
    let mut ops: Vec<Op> = other.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    let emptied = Op {
        id: Uuid::now_v7(),
        entity: plan,
        kind: Kind::Plan,
        field: "title".into(),
        value: Value::Null,
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: other.device_id(),
        prev: Hlc::default(),
        sig: None,
    };
    ops.push(emptied.clone());
    let mut here = Store::open(&db).unwrap();
    let applied = here.apply_ops(&ops).unwrap();
    assert_eq!(applied.set_aside, 1);
    drop(here);

    let list = json(&db, &["sync", "set-aside", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["op_id"], json!(emptied.id.to_string()));
    assert_eq!(list[0]["device"], json!(other.device_id().to_string()));
    assert_eq!(list[0]["sender"], json!("Trần Thị Hoa (Văn phòng)"));
    assert_eq!(list[0]["kind"], json!("kế hoạch"));
    let text = stdout(kehoach(&db, &["sync", "set-aside"]));
    assert!(text.contains("1 thay đổi nhận được không áp dụng được"), "{text}");
    assert!(text.contains("trường “title” của kế hoạch không được để trống"), "{text}");
    assert!(text.contains("Trần Thị Hoa (Văn phòng)") && text.contains(&other.device_id().to_string()), "{text}");
    // The plan itself arrived intact.
    assert!(dump(&db).contains("Kế hoạch cải cách hành chính"));
}
