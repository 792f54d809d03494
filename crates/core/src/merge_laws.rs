//! The merge laws of the op log: idempotent, order-independent, no silent loss. Unit tests of
//! the crate, as they compare the projected rows and the search index, which no public query
//! shows whole.

use crate::record as field;
use crate::{queries, Change, Hlc, Kind, Op, Store};
use kehoach_model::{NewPlan, NewTask, TaskStatus};
use proptest::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

const ENTITIES: [(u128, Kind); 4] = [(1, Kind::Plan), (2, Kind::Plan), (3, Kind::Task), (4, Kind::Task)];
const DEVICES: [u128; 3] = [0xa, 0xb, 0xc];

fn field_and_value(kind: Kind, f: u8, v: u8) -> (&'static str, Value) {
    match (kind, f % 4) {
        (_, 3) => ("deleted", json!(v.is_multiple_of(2))),
        (Kind::Plan, 0) => ("title", json!(format!("Kế hoạch {v}"))),
        (Kind::Plan, 1) => ("number", if v.is_multiple_of(3) { Value::Null } else { json!(format!("{v}/KH-UBND")) }),
        (Kind::Plan, _) => ("date", json!(format!("2023-0{}-1{}", 1 + v % 9, v % 10))),
        (_, 0) => ("text", json!(format!("Nhiệm vụ {v}"))),
        (_, 1) => ("status", json!(["not_started", "in_progress", "done"][v as usize % 3])),
        _ => ("lead", json!([format!("unit-{}", v % 3)])),
    }
}

prop_compose! {
    fn arb_op()(e in 0usize..4, f in 0u8..4, v in 0u8..6, hlc in 1u64..40, d in 0usize..3, back in 0u64..40) -> Op {
        let (eid, kind) = ENTITIES[e];
        let (field, value) = field_and_value(kind, f, v);
        Op {
            id: Uuid::now_v7(),
            entity: Uuid::from_u128(eid),
            kind,
            field: field.to_string(),
            value,
            hlc: Hlc(hlc),
            device: Uuid::from_u128(DEVICES[d]),
            prev: Hlc(hlc.saturating_sub(back + 1)),
            sig: None,
        }
    }
}

/// The ops in a random order, with some sent twice, cut into random batches.
fn arb_delivery(ops: Vec<Op>) -> impl Strategy<Value = Vec<Vec<Op>>> {
    let n = ops.len();
    (
        Just(ops).prop_shuffle(),
        proptest::collection::vec(0..n.max(1), 0..n + 1),
        proptest::collection::vec(1usize..5, 1..20),
    )
        .prop_map(|(mut ops, dups, cuts)| {
            let extra: Vec<Op> = dups.iter().filter_map(|i| ops.get(*i).cloned()).collect();
            ops.extend(extra);
            let mut batches = Vec::new();
            let mut i = 0;
            for c in cuts.iter().cycle() {
                if i >= ops.len() {
                    break;
                }
                let end = (i + c).min(ops.len());
                batches.push(ops[i..end].to_vec());
                i = end;
            }
            batches
        })
}

/// The state after applying the batches in turn: the dump, and beside it every projected row
/// (tables, unit links, search entries), which the dump does not show. A record arriving whole
/// in one batch is projected from memory, one arriving piecemeal from the database; both
/// must give the same rows. References between the sync tables must hold (the write path
/// keeps them with SQLite's checks off).
fn replay(batches: &[Vec<Op>]) -> (String, Vec<String>) {
    let mut s = Store::open_in_memory().unwrap();
    for b in batches {
        s.apply_ops(b).unwrap();
    }
    let conn = &s.conn;
    let broken: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(broken.is_empty(), "broken references in {broken:?}");
    let mut rows = Vec::new();
    for (table, order) in
        [("plans", "id"), ("tasks", "id"), ("task_units", "task_id, unit_id, role"), ("search_fts", "entity")]
    {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> =
                (0..n).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
            rows.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    (s.dump_json().unwrap(), rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_order_with_duplicates_gives_the_same_state(
        (a, b) in proptest::collection::vec(arb_op(), 1..30)
            .prop_flat_map(|ops| (arb_delivery(ops.clone()), arb_delivery(ops)))
    ) {
        prop_assert_eq!(replay(&a), replay(&b));
    }
}

#[test]
fn reapplying_an_op_changes_nothing() {
    let mut a = Store::open_in_memory().unwrap();
    let plan = crate::create_plan(&mut a, &NewPlan { title: "Kế hoạch 24".into(), ..Default::default() }).unwrap();
    let ops: Vec<Op> = a.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    let mut b = Store::open_in_memory().unwrap();
    let first = b.apply_ops(&ops).unwrap();
    assert_eq!(first.applied as usize, ops.len());
    let before = b.dump_json().unwrap();
    let count = b.op_count().unwrap();
    let again = b.apply_ops(&ops).unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(again.duplicates as usize, ops.len());
    assert_eq!(b.dump_json().unwrap(), before);
    assert_eq!(b.op_count().unwrap(), count);
    assert_eq!(queries::plan(&b, plan.id).unwrap().title, "Kế hoạch 24");
}

fn exchange(a: &mut Store, b: &mut Store) {
    let from_a: Vec<Op> = a.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    let from_b: Vec<Op> = b.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    b.apply_ops(&from_a).unwrap();
    a.apply_ops(&from_b).unwrap();
}

#[test]
fn a_concurrent_edit_keeps_the_losing_value_visible_until_resolved() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let plan = crate::create_plan(&mut a, &NewPlan { title: "KH".into(), ..Default::default() }).unwrap();
    let task =
        crate::add_task(&mut a, &NewTask { plan_id: plan.id, text: "Cấp thẻ CCCD".into(), ..Default::default() })
            .unwrap();
    exchange(&mut a, &mut b);
    // Both offices edit the same task without seeing each other's edit.
    crate::set_task_status(&mut a, task.id, TaskStatus::Done, None).unwrap();
    crate::set_task_status(&mut b, task.id, TaskStatus::InProgress, None).unwrap();
    exchange(&mut a, &mut b);
    assert_eq!(a.dump_json().unwrap(), b.dump_json().unwrap());
    let ca = queries::conflicts(&a).unwrap();
    assert_eq!(ca.len(), 1, "{ca:?}");
    let winner = queries::task(&a, task.id).unwrap().status;
    let lost = ca[0].lost.as_str().unwrap().to_string();
    assert_ne!(winner.as_str(), lost);
    let both: Vec<String> = vec![winner.as_str().into(), lost.clone()];
    assert!(both.contains(&"done".to_string()) && both.contains(&"in_progress".to_string()));
    // The officer picks the losing value; the conflict goes away on both sides.
    crate::resolve_conflict(&mut b, task.id, "status", json!(lost)).unwrap();
    exchange(&mut a, &mut b);
    assert!(queries::conflicts(&a).unwrap().is_empty());
    assert!(queries::conflicts(&b).unwrap().is_empty());
    assert_eq!(queries::task(&a, task.id).unwrap().status.as_str(), lost);
}

#[test]
fn a_sequential_edit_is_not_a_conflict() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let plan = crate::create_plan(&mut a, &NewPlan { title: "KH".into(), ..Default::default() }).unwrap();
    exchange(&mut a, &mut b);
    b.commit(vec![Change::new(Kind::Plan, plan.id, field::plan::TITLE, "KH sửa")]).unwrap();
    exchange(&mut a, &mut b);
    a.commit(vec![Change::new(Kind::Plan, plan.id, field::plan::TITLE, "KH sửa lần hai")]).unwrap();
    exchange(&mut a, &mut b);
    assert!(queries::conflicts(&a).unwrap().is_empty());
    assert_eq!(queries::plan(&b, plan.id).unwrap().title, "KH sửa lần hai");
}

#[test]
fn a_tombstone_removes_the_row_everywhere() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let plan = crate::create_plan(&mut a, &NewPlan { title: "KH".into(), ..Default::default() }).unwrap();
    let task = crate::add_task(&mut a, &NewTask { plan_id: plan.id, text: "x".into(), ..Default::default() }).unwrap();
    exchange(&mut a, &mut b);
    crate::delete_task(&mut b, task.id).unwrap();
    exchange(&mut a, &mut b);
    assert!(queries::task(&a, task.id).is_err());
    // A status on a deleted task is refused and changes nothing.
    let before = a.dump_json().unwrap();
    let err = crate::set_task_status(&mut a, task.id, TaskStatus::Done, None).unwrap_err();
    assert!(err.to_string().contains("Không tìm thấy nhiệm vụ"), "{err}");
    assert_eq!(a.dump_json().unwrap(), before);
}

/// Issue 14, point 3: a kind change cannot be applied on any replica; it is set aside alone and
/// the op beside it is applied.
#[test]
fn an_op_that_changes_a_records_kind_is_set_aside() {
    let mut a = Store::open_in_memory().unwrap();
    let plan = crate::create_plan(&mut a, &NewPlan { title: "KH".into(), ..Default::default() }).unwrap();
    let before = a.dump_json().unwrap();
    let good = Op {
        id: Uuid::now_v7(),
        entity: Uuid::now_v7(),
        kind: Kind::Plan,
        field: "title".into(),
        value: json!("hợp lệ"),
        hlc: Hlc(5),
        device: Uuid::from_u128(9),
        prev: Hlc(0),
        sig: None,
    };
    let bad = Op { id: Uuid::now_v7(), entity: plan.id, kind: Kind::Task, field: "text".into(), ..good.clone() };
    let applied = a.apply_ops(&[good.clone(), bad]).unwrap();
    assert_eq!((applied.applied, applied.set_aside), (1, 1));
    assert_eq!(queries::plan(&a, plan.id).unwrap().title, "KH", "the plan is untouched");
    assert_eq!(queries::plan(&a, good.entity).unwrap().title, "hợp lệ");
    assert_ne!(a.dump_json().unwrap(), before);
    let aside = crate::set_aside::list(&a).unwrap();
    assert_eq!(aside.len(), 1);
    assert!(aside[0].reason.contains("là kế hoạch"), "{}", aside[0].reason);
}

/// Issue 14, point 1: ops from another PC stamped more than a day ahead of this PC's clock
/// (year 5000; year 9999, past i64::MAX once shifted; u64::MAX) are refused with the batch
/// they came in, and the field they aimed at still takes later edits.
#[test]
fn far_future_stamps_are_refused_and_later_edits_still_win() {
    use crate::{Hlc, Op};
    let year = |y: u64| Hlc::from_millis((y - 1970) * 365 * 24 * 3600 * 1000);
    for hlc in [year(5000), year(9999), Hlc(u64::MAX)] {
        let mut a = Store::open_in_memory().unwrap();
        let task = Uuid::now_v7();
        a.commit(vec![Change::new(Kind::Task, task, field::task::TEXT, json!("Rà soát dữ liệu"))]).unwrap();
        let before = a.dump_json().unwrap();
        let far = Op {
            id: Uuid::now_v7(),
            entity: task,
            kind: Kind::Task,
            field: "text".into(),
            value: json!("Từ tương lai"),
            hlc,
            device: Uuid::now_v7(),
            prev: Hlc::default(),
            sig: None,
        };
        let fine =
            Op { id: Uuid::now_v7(), field: "status".into(), value: json!("done"), hlc: year(2024), ..far.clone() };
        let e = a.apply_ops(&[fine, far.clone()]).unwrap_err().to_string();
        assert!(e.contains("vượt quá giờ của máy này") || e.contains("không hợp lệ"), "{hlc:?}: {e}");
        assert_eq!(a.dump_json().unwrap(), before, "{hlc:?}: the whole batch is refused");
        a.commit(vec![Change::new(Kind::Task, task, field::task::TEXT, json!("Sửa sau đó"))]).unwrap();
        assert!(a.dump_json().unwrap().contains("Sửa sau đó"), "{hlc:?}");
        // A stamp an hour ahead (a PC in another time zone) is taken.
        let hour = Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64 + 3600 * 1000);
        a.apply_ops(&[Op { id: Uuid::now_v7(), hlc: hour, ..far }]).unwrap();
        assert!(a.dump_json().unwrap().contains("Từ tương lai"));
    }
}
