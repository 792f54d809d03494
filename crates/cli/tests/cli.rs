//! The `kehoach` command on a real SQLite file.

mod common;

use std::path::Path;

use common::*;

#[test]
fn setup_plan_and_tasks_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup_chu_rang(&db, "Nguyễn Hữu Thành");
    let plan =
        json(&db, &["plan", "create", "--title", "Kế hoạch Đề án 06 năm 2023", "--date", "2023-04-07", "--json"]);
    let id = plan["id"].as_str().unwrap();
    let task = json(
        &db,
        &[
            "task",
            "add",
            "--plan",
            id,
            "--text",
            "Rà soát dữ liệu dân cư",
            "--due-text",
            "Trong tháng 5",
            "--lead",
            "Công an xã",
            "--json",
        ],
    );
    // The year of "Trong tháng 5" comes from the plan's date.
    assert_eq!(task["deadline"], "2023-05-31");
    assert_eq!(task["due"], serde_json::json!({"kind": "month", "year": 2023, "month": 5}));
    let listed = json(&db, &["task", "list", "--plan", id, "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["text"], "Rà soát dữ liệu dân cư");
    // "CA xã" style lookups ignore case and diacritics.
    let by_unit = json(&db, &["task", "list", "--unit", "cong an xa", "--json"]);
    assert_eq!(by_unit.as_array().unwrap().len(), 1);
    let overdue = json(&db, &["task", "list", "--overdue", "--as-of", "2023-06-01", "--json"]);
    assert_eq!(overdue[0]["overdue"], true);
    let tid = task["id"].as_str().unwrap();
    json(&db, &["task", "set", tid, "--status", "done", "--json"]);
    let after = json(&db, &["task", "list", "--overdue", "--as-of", "2023-06-01", "--json"]);
    assert_eq!(after.as_array().unwrap().len(), 0);
    let shown = json(&db, &["plan", "show", id, "--json"]);
    assert_eq!(shown["plan"]["done_count"], 1);
    let plans = json(&db, &["plan", "list", "--json"]);
    assert_eq!(plans[0]["title"], "Kế hoạch Đề án 06 năm 2023");
}

#[test]
fn dump_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    json(&db, &["plan", "create", "--title", "KH 1", "--json"]);
    let a = dump(&db);
    let b = dump(&db);
    assert_eq!(a, b);
    assert!(a.contains("\"KH 1\""));
}

#[test]
fn bad_input_gets_a_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let plan = json(&db, &["plan", "create", "--title", "KH", "--json"]);
    let id = plan["id"].as_str().unwrap().to_string();
    let before = dump(&db);

    let e = stderr(kehoach(&db, &["plan", "create", "--title", "KH 2", "--date", "2023-02-30"]));
    assert!(e.contains("Ngày ban hành không hợp lệ"), "{e}");
    let e = stderr(kehoach(&db, &["plan", "create", "--title", "   "]));
    assert!(e.contains("chưa nhập tên kế hoạch"), "{e}");
    let e = stderr(kehoach(&db, &["task", "add", "--plan", "not-a-uuid", "--text", "x"]));
    assert!(e.contains("mã kế hoạch không hợp lệ"), "{e}");
    let e = stderr(kehoach(&db, &["task", "add", "--plan", "0190a000-0000-7000-8000-000000000000", "--text", "x"]));
    assert!(e.contains("Không tìm thấy kế hoạch"), "{e}");
    let e = stderr(kehoach(&db, &["task", "add", "--plan", &id, "--text", " "]));
    assert!(e.contains("nội dung nhiệm vụ để trống"), "{e}");
    let e = stderr(kehoach(&db, &["task", "list", "--unit", "Phòng không tồn tại", "--json"]));
    assert!(e.contains("không có đơn vị"), "{e}");
    let e = stderr(kehoach(&db, &["task", "list", "--as-of", "2023-13-01", "--json"]));
    assert!(e.contains("Ngày xét không hợp lệ"), "{e}");
    let e = stderr(kehoach(&db, &["setup", "--commune", "", "--parent", "p", "--place", "p", "--signer", "s"]));
    assert!(e.contains("chưa nhập tên xã/phường"), "{e}");

    let task = json(&db, &["task", "add", "--plan", &id, "--text", "Nhiệm vụ", "--json"]);
    let tid = task["id"].as_str().unwrap().to_string();
    let with_task = dump(&db);
    assert_ne!(before, with_task);
    let e = stderr(kehoach(&db, &["task", "set", &tid, "--status", "finished"]));
    assert!(e.contains("trạng thái không hợp lệ"), "{e}");
    let e = stderr(kehoach(&db, &["task", "set", &tid, "--status", "cannot_do"]));
    assert!(e.contains("cần ghi lý do"), "{e}");
    assert_eq!(dump(&db), with_task, "refused commands must not change the data");
}

#[test]
fn an_unopenable_data_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let not_db = dir.path().join("plain.txt");
    std::fs::write(&not_db, "đây không phải cơ sở dữ liệu, chỉ là một tệp văn bản dài hơn một trang SQLite? không.")
        .unwrap();
    let e = stderr(kehoach(&not_db, &["plan", "list"]));
    assert!(e.contains("Không mở được tệp dữ liệu"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&not_db).unwrap(),
        "đây không phải cơ sở dữ liệu, chỉ là một tệp văn bản dài hơn một trang SQLite? không."
    );
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/plans").join(name)
}

#[test]
fn plan_import_dry_run_prints_the_schema_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let out = json(&db, &["plan", "import", fixture("xa-chu-rang-2023.txt").to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(out["doc"]["number"], "24/KH-UBND");
    assert_eq!(out["doc"]["date"], "2023-04-07");
    assert!(out["tasks"].as_array().unwrap().len() >= 45);
    assert_eq!(out["tasks"][0]["ref"], "1.1");
    assert!(out["tasks"][0]["due"]["kind"].is_string());
    assert!(!db.exists(), "a dry run must not create the data file");
}

#[test]
fn plan_import_stores_the_whole_plan_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let plan = json(&db, &["plan", "import", fixture("xa-chu-rang-2023.docx").to_str().unwrap(), "--json"]);
    let n = plan["task_count"].as_u64().unwrap();
    assert!(n >= 45, "{n}");
    let tasks = json(&db, &["task", "list", "--plan", plan["id"].as_str().unwrap(), "--json"]);
    assert_eq!(tasks.as_array().unwrap().len() as u64, n);
    // Units named in the plan became the commune's units, found by name.
    let police = json(&db, &["task", "list", "--unit", "Công an xã", "--json"]);
    assert!(!police.as_array().unwrap().is_empty());
}

#[test]
fn a_bad_plan_file_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    json(&db, &["plan", "create", "--title", "KH có sẵn", "--json"]);
    let before = dump(&db);
    let xls = dir.path().join("kehoach.xls");
    std::fs::write(&xls, b"\xd0\xcf\x11\xe0").unwrap();
    let e = stderr(kehoach(&db, &["plan", "import", xls.to_str().unwrap()]));
    assert!(e.contains("Định dạng tệp không được hỗ trợ"), "{e}");
    let pdf = dir.path().join("kehoach.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let e = stderr(kehoach(&db, &["plan", "import", pdf.to_str().unwrap()]));
    assert!(e.contains("Tệp PDF bị hỏng"), "{e}");
    let empty = dir.path().join("trong.txt");
    std::fs::write(&empty, "Chỉ là một dòng chữ, không có nhiệm vụ nào.").unwrap();
    let e = stderr(kehoach(&db, &["plan", "import", empty.to_str().unwrap()]));
    assert!(e.contains("Không tìm thấy nhiệm vụ"), "{e}");
    let broken = dir.path().join("hong.docx");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();
    let e = stderr(kehoach(&db, &["plan", "import", broken.to_str().unwrap()]));
    assert!(e.contains(".docx"), "{e}");
    assert_eq!(dump(&db), before);
}
