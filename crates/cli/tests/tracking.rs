//! Issue 4 through the `kehoach` command on real SQLite files: every bad input gets a message
//! and leaves `dump --json` unchanged.

mod common;

use std::path::Path;

use common::*;

/// The command fails, says `want`, and changes nothing.
fn refused(db: &Path, args: &[&str], want: &str) {
    let before = dump(db);
    let e = String::from_utf8(kehoach(db, args).failure().get_output().stderr.clone()).unwrap();
    assert!(e.contains(want), "{args:?}: {e:?} should contain {want:?}");
    assert_eq!(dump(db), before, "{args:?} changed the data");
}

fn setup(db: &Path) -> (String, String) {
    let plan = json(db, &["plan", "create", "--title", "KH Đề án 06", "--date", "2023-04-07", "--json"]);
    let p = plan["id"].as_str().unwrap().to_string();
    let t = json(
        db,
        &[
            "task",
            "add",
            "--plan",
            &p,
            "--text",
            "Đăng ký khai sinh trực tuyến",
            "--due-text",
            "Trong tháng 5",
            "--lead",
            "Công an xã",
            "--json",
        ],
    );
    (p, t["id"].as_str().unwrap().to_string())
}

#[test]
fn task_workflow_notes_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let (_p, t) = setup(&db);
    let set = json(&db, &["task", "set", &t, "--status", "in_progress", "--note", "Đã họp triển khai", "--json"]);
    assert_eq!(set["status"], "in_progress");
    let n = json(
        &db,
        &[
            "task",
            "note",
            &t,
            "--text",
            "Đã tiếp nhận 12 hồ sơ",
            "--author",
            "Trần Thị B",
            "--date",
            "2023-05-03",
            "--json",
        ],
    );
    assert_eq!(n["author"], "Trần Thị B");
    let file = dir.path().join("bien-ban.pdf");
    std::fs::write(&file, b"bien ban").unwrap();
    let e = json(
        &db,
        &[
            "task",
            "evidence",
            &t,
            "--number",
            "15/BB-UBND",
            "--date",
            "2023-05-10",
            "--file",
            file.to_str().unwrap(),
            "--json",
        ],
    );
    let sha = e["sha256"].as_str().unwrap();
    assert_eq!(std::fs::read(dir.path().join("attachments").join(sha)).unwrap(), b"bien ban");
    let shown = json(&db, &["task", "show", &t, "--as-of", "2023-06-01", "--json"]);
    assert_eq!(shown["notes"].as_array().unwrap().len(), 2);
    assert_eq!(shown["evidence"][0]["number"], "15/BB-UBND");
    assert_eq!(shown["task"]["overdue"], true);
    assert_eq!(shown["group"], "dich_vu_cong");
    // The history names each change and the PC it was made on.
    let history = shown["history"].as_array().unwrap();
    assert!(history.iter().any(|h| h["label"] == "Nội dung" && h["this_pc"] == true), "{shown}");
    let text = stdout(kehoach(&db, &["task", "show", &t]).success());
    assert!(text.contains("Lịch sử thay đổi:") && text.contains("máy này\tNội dung: "), "{text}");
    // Once the PC's user is named, the history says who.
    let named =
        stdout(kehoach(&db, &["device", "user", "--name", "Nguyễn Văn Hùng", "--unit", "Công an xã"]).success());
    assert!(named.contains("Nguyễn Văn Hùng (Công an xã)"), "{named}");
    let text = stdout(kehoach(&db, &["task", "show", &t]).success());
    assert!(text.contains("Nguyễn Văn Hùng (Công an xã)\tNội dung: "), "{text}");
    let err = stderr(kehoach(&db, &["device", "user", "--name", " "]).failure());
    assert!(err.contains("chưa nhập họ tên"), "{err}");
    // task list keeps its shape.
    let listed = json(&db, &["task", "list", "--overdue", "--as-of", "2023-06-01", "--json"]);
    assert_eq!(listed[0]["id"], t.as_str());
    assert_eq!(listed[0]["deadline"], "2023-05-31");
    assert_eq!(listed[0]["overdue"], true);
    let due = json(&db, &["task", "due", "--as-of", "2023-05-20", "--within", "15", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 1);

    refused(&db, &["task", "note", &t, "--text", "x", "--date", "2023-02-30"], "Ngày ghi chú không hợp lệ");
    refused(&db, &["task", "evidence", &t, "--number", "1", "--date", "31/12/2023"], "Ngày văn bản không hợp lệ");
    refused(&db, &["task", "set", &t, "--status", "cannot_do"], "cần ghi lý do");
    refused(&db, &["task", "set", &t, "--status", "overdue"], "trạng thái không hợp lệ");
    refused(&db, &["task", "list", "--unit", "Đội Dân phòng"], "không có đơn vị tên");
    // A deleted task takes no status.
    let mut s = kehoach_core::Store::open(&db).unwrap();
    kehoach_core::delete_task(&mut s, t.parse().unwrap()).unwrap();
    drop(s);
    refused(&db, &["task", "set", &t, "--status", "done", "--note", "xong"], "đã bị xóa");
}

#[test]
fn checklists_targets_units_overview_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let (p, _t) = setup(&db);
    let cl = json(&db, &["checklist", "attach", "--plan", &p, "--catalogue", "services", "--json"]);
    assert_eq!(cl["item_count"], 25);
    refused(&db, &["checklist", "attach", "--plan", &p, "--catalogue", "services"], "đã có danh mục");
    refused(&db, &["checklist", "attach", "--plan", &p, "--catalogue", "khac"], "không có danh mục mẫu");
    json(&db, &["checklist", "attach", "--plan", &p, "--catalogue", "seven_ways", "--json"]);
    let item = cl["items"][0]["id"].as_str().unwrap().to_string();
    let ticked = json(&db, &["checklist", "tick", &item, "--date", "2023-05-04", "--evidence", "CV 12/CA", "--json"]);
    assert_eq!(ticked["done"], true);
    refused(&db, &["checklist", "tick", &item, "--date", "2023-04-31"], "Ngày hoàn thành không hợp lệ");
    let lists = json(&db, &["checklist", "list", "--plan", &p, "--json"]);
    assert_eq!(lists.as_array().unwrap().len(), 2);
    let un = json(&db, &["checklist", "tick", &item, "--undo", "--json"]);
    assert_eq!(un["done"], false);

    let tg = json(
        &db,
        &[
            "target",
            "add",
            "--plan",
            &p,
            "--text",
            "Tài khoản VNeID",
            "--value",
            "1.500",
            "--unit",
            "tài khoản",
            "--period",
            "2023",
            "--json",
        ],
    );
    assert_eq!(tg["value"], 1500.0);
    let tid = tg["id"].as_str().unwrap().to_string();
    let rec = json(&db, &["target", "record", &tid, "--period", "2023-05", "--value", "750", "--json"]);
    assert_eq!(rec["progress"], 50.0);
    refused(&db, &["target", "record", &tid, "--period", "2023-05", "--value", "-3"], "không được âm");
    refused(&db, &["target", "record", &tid, "--period", "13/2023", "--value", "3"], "kỳ báo cáo không hợp lệ");
    // The month as officers write it is the same period: its figure is replaced, not doubled.
    let again = json(&db, &["target", "record", &tid, "--period", "tháng 5/2023", "--value", "750", "--json"]);
    assert_eq!(again["values"].as_array().unwrap().len(), 1, "{again}");
    refused(&db, &["target", "add", "--plan", &p, "--text", "x", "--value", "-1", "--unit", "hồ sơ"], "không được âm");
    assert_eq!(json(&db, &["target", "list", "--plan", &p, "--json"])[0]["latest"]["value"], 750.0);

    json(&db, &["unit", "add", "Công an xã Chư Răng", "--json"]);
    json(&db, &["unit", "alias", "Công an xã", "--add", "CA xã", "--json"]);
    refused(&db, &["unit", "alias", "Đội Dân phòng", "--add", "DP"], "không có đơn vị tên");
    let kept = json(&db, &["unit", "merge", "Công an xã Chư Răng", "--into", "CA xã", "--json"]);
    assert_eq!(kept["name"], "Công an xã");
    let units = json(&db, &["unit", "list", "--json"]);
    assert_eq!(units.as_array().unwrap().len(), 1);
    assert_eq!(units[0]["task_count"], 1);
    assert_eq!(json(&db, &["task", "list", "--unit", "Công an xã Chư Răng", "--json"]).as_array().unwrap().len(), 1);
    refused(&db, &["unit", "merge", "CA xã", "--into", "Công an xã"], "cùng một đơn vị");

    let o = json(&db, &["overview", "--as-of", "2023-05-15", "--json"]);
    assert_eq!(o["as_of"], "2023-05-15");
    assert_eq!(o["groups"].as_array().unwrap().len(), 6);
    assert_eq!(o["due_this_month"].as_array().unwrap().len(), 1);
    assert_eq!(o["targets"][0]["latest"]["value"], 750.0);
    refused(&db, &["overview", "--as-of", "2023-02-29"], "Ngày xét không hợp lệ");

    let hits = json(&db, &["search", "dang ky khai sinh", "--json"]);
    let hits = hits.as_array().unwrap();
    assert!(hits.iter().any(|h| h["kind"] == "task" && h["snippet"].as_str().unwrap().contains("<b>Đăng</b>")));
    assert!(hits.iter().any(|h| h["kind"] == "checklist_item" && h["text"] == "Đăng ký khai sinh"));
}

/// `task edit`, the deletions and `plan delete` through the command; bad input refused with no
/// change.
#[test]
fn edit_and_delete_through_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let (p, t) = setup(&db);
    let edited =
        json(&db, &["task", "edit", &t, "--due-text", "Trong quý III", "--lead", "Tư pháp – Hộ tịch", "--json"]);
    assert_eq!(edited["deadline"], "2023-09-30", "the plan's year fills in the quarter: {edited}");
    assert_eq!(edited["text"], "Đăng ký khai sinh trực tuyến");
    assert_eq!(edited["lead"], serde_json::json!(["Tư pháp – Hộ tịch"]));
    refused(&db, &["task", "edit", &t, "--text", " "], "nội dung nhiệm vụ để trống");
    refused(&db, &["task", "edit", "khong-phai-ma", "--text", "x"], "mã nhiệm vụ không hợp lệ");

    let note = json(&db, &["task", "note", &t, "--text", "Ghi nhầm", "--json"]);
    let nid = note["id"].as_str().unwrap();
    let out = stdout(kehoach(&db, &["task", "delete-note", nid]).success());
    assert!(out.contains("Đã xóa ghi chú"), "{out}");
    assert!(json(&db, &["task", "show", &t, "--json"])["notes"].as_array().unwrap().is_empty());
    refused(&db, &["task", "delete-note", nid], "Không tìm thấy ghi chú");

    json(&db, &["report", "draft", "--plan", &p, "--period", "2023-05", "--json"]);
    refused(&db, &["plan", "delete", &p], "đã có 1 báo cáo");
    kehoach(&db, &["task", "delete", &t]).success();
    refused(&db, &["task", "delete", &t], "đã bị xóa");
    assert!(json(&db, &["task", "list", "--plan", &p, "--json"]).as_array().unwrap().is_empty());

    let tg =
        json(&db, &["target", "add", "--plan", &p, "--text", "Nhập nhầm", "--value", "5", "--unit", "hồ sơ", "--json"]);
    let cl = json(&db, &["checklist", "attach", "--plan", &p, "--catalogue", "seven_ways", "--json"]);
    kehoach(&db, &["target", "delete", tg["id"].as_str().unwrap()]).success();
    kehoach(&db, &["checklist", "delete", cl["id"].as_str().unwrap()]).success();
    assert!(json(&db, &["target", "list", "--plan", &p, "--json"]).as_array().unwrap().is_empty());
    assert!(json(&db, &["checklist", "list", "--plan", &p, "--json"]).as_array().unwrap().is_empty());
    refused(&db, &["target", "delete", tg["id"].as_str().unwrap()], "Không tìm thấy chỉ tiêu");

    let fixed = json(&db, &["plan", "edit", &p, "--number", "24/KH-UBND", "--date", "2023-04-10", "--json"]);
    assert_eq!((fixed["number"].as_str(), fixed["date"].as_str()), (Some("24/KH-UBND"), Some("2023-04-10")));
    refused(&db, &["plan", "edit", &p, "--title", ""], "tên kế hoạch");
    refused(&db, &["plan", "edit", &p, "--date", "10/04/2023"], "Ngày ban hành không hợp lệ");

    let other = json(&db, &["plan", "create", "--title", "KH nhập nhầm", "--json"]);
    let out = stdout(kehoach(&db, &["plan", "delete", other["id"].as_str().unwrap()]).success());
    assert!(out.contains("Đã xóa kế hoạch “KH nhập nhầm”"), "{out}");
    assert_eq!(json(&db, &["plan", "list", "--json"]).as_array().unwrap().len(), 1);
}
