//! A time written per level and a task's budget are stored with the task through the write
//! path (ops), read back by the queries, and follow an edit of the time.

use kehoach_core::{queries, Store};
use kehoach_model::*;

fn from(date: &str) -> Due {
    Due::new(DueKind::From { date: date.into() })
}

#[test]
fn each_levels_date_and_the_budget_are_kept_with_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("k.sqlite3")).unwrap();
    let time = "cấp huyện từ ngày 01/7/2023; cấp xã từ ngày 01/10/2023";
    let read = kehoach_import::read_time(time, Some(2023), Some("commune"));
    let plan = ImportedPlan {
        doc: DocHeader { title: Some("Kế hoạch số hóa".into()), ..Default::default() },
        tasks: vec![ImportedTask {
            text: "Thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính".into(),
            time_text: Some(time.into()),
            due: read.due.clone(),
            due_by_level: read.due_by_level.clone(),
            product: Some("Hồ sơ được số hóa".into()),
            budget: Some("Ngân sách xã".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let p = kehoach_core::import_plan(&mut s, &plan).unwrap();
    let t = queries::list_tasks(&s, &TaskFilter { plan_id: Some(p.id), ..Default::default() }).unwrap().remove(0);
    assert_eq!(
        t.due_by_level,
        vec![
            LevelDue { level: "huyện".into(), due: from("2023-07-01") },
            LevelDue { level: "xã".into(), due: from("2023-10-01") }
        ]
    );
    // The commune's date is cấp xã's.
    assert_eq!(t.due, from("2023-10-01"));
    assert_eq!(t.budget.as_deref(), Some("Ngân sách xã"));
    assert_eq!(t.product.as_deref(), Some("Hồ sơ được số hóa"));
    // Written as ops, so another PC gets them through sync.
    let fields: Vec<String> =
        s.ops_since(0).unwrap().into_iter().filter(|(_, o)| o.entity == t.id).map(|(_, o)| o.field).collect();
    assert!(fields.contains(&"due_by_level".to_string()) && fields.contains(&"budget".to_string()), "{fields:?}");

    // A new time with one date drops the levels' dates read from the old one.
    let edit = TaskEdit {
        due_text: Some("Trong quý IV/2023".into()),
        due: Some(kehoach_import::parse_due("Trong quý IV/2023", Some(2023))),
        ..Default::default()
    };
    let t = kehoach_core::edit_task(&mut s, t.id, &edit).unwrap();
    assert!(t.due_by_level.is_empty());
    assert_eq!(t.deadline.as_deref(), Some("2023-12-31"));
}
