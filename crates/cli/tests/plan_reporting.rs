//! `kehoach plan reporting`: a plan typed by hand gets a reporting day; bad input changes nothing.
//! `kehoach plan import` of a PDF and of a plan with a date per level.

mod common;

use common::{dump, json, kehoach, setup_chu_rang, stderr};

#[test]
fn a_hand_made_plan_gets_a_reporting_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup_chu_rang(&db, "Ksor Y Phương");
    let plan = json(&db, &["plan", "create", "--title", "Kế hoạch tự lập", "--date", "2024-01-10", "--json"]);
    let id = plan["id"].as_str().unwrap();
    let p = json(&db, &["plan", "reporting", id, "--day", "12", "--to", "UBND huyện Ia Pa", "--json"]);
    assert_eq!(p["reporting"][0]["day_of_month"], 12);
    assert_eq!(p["reporting"][0]["who"], "UBND xã Chư Răng");
    assert_eq!(p["reporting"][0]["to"], "UBND huyện Ia Pa");
    let p = json(&db, &["plan", "reporting", id, "--day", "20", "--json"]);
    assert_eq!(p["reporting"].as_array().unwrap().len(), 2);
    let p = json(&db, &["plan", "reporting", id, "--day", "22", "--replace", "--json"]);
    assert_eq!(p["reporting"].as_array().unwrap().len(), 1);
    assert_eq!(p["reporting"][0]["day_of_month"], 22);

    let before = dump(&db);
    let msg = stderr(kehoach(&db, &["plan", "reporting", id, "--day", "40"]));
    assert!(msg.contains("không hợp lệ"), "{msg}");
    assert_eq!(dump(&db), before);
}

#[test]
fn a_pdf_plan_is_imported_with_the_communes_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup_chu_rang(&db, "Ksor Y Phương");
    let pdf = format!("{}/../../tests/fixtures/plans/huyen-son-khe-2023.pdf", env!("CARGO_MANIFEST_DIR"));
    let p = json(&db, &["plan", "import", &pdf, "--json"]);
    assert_eq!(p["task_count"], 15);
    let id = p["id"].as_str().unwrap();
    let detail = json(&db, &["plan", "show", id, "--json"]);
    let tasks = detail["tasks"].as_array().unwrap();
    let t = tasks.iter().find(|t| t["text"].as_str().unwrap().starts_with("Thực hiện số hóa hồ sơ")).unwrap();
    // "cấp huyện từ ngày 01/7/2023; cấp xã từ ngày 01/10/2023": a commune starts in October.
    assert_eq!(t["due"], serde_json::json!({"kind": "from", "date": "2023-10-01"}), "{t}");
    // Each level's date is kept with the task.
    assert_eq!(
        t["due_by_level"],
        serde_json::json!([
            {"level": "huyện", "due": {"kind": "from", "date": "2023-07-01"}},
            {"level": "xã", "due": {"kind": "from", "date": "2023-10-01"}}
        ])
    );
    assert_eq!(detail["plan"]["reporting"].as_array().unwrap().len(), 2);
    // A time corrected with `task edit` is read per level the same way.
    let id = t["id"].as_str().unwrap();
    let edited = json(
        &db,
        &["task", "edit", id, "--due-text", "Cấp huyện: trong quý III/2023; cấp xã: trong quý IV/2023", "--json"],
    );
    assert_eq!(edited["deadline"], "2023-12-31");
    assert_eq!(edited["due_by_level"].as_array().unwrap().len(), 2);
}
