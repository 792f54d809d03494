//! Attachment files through the `kehoach` command: evidence added on one PC arrives, file and
//! all, on the other through a bundle, and the summaries say how many files went and came.

mod common;

use std::path::Path;

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn evidence_files_travel_in_bundles_and_the_summaries_count_them() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
    }
    let (a, b) = (dir.path().join("a").join("k.sqlite3"), dir.path().join("b").join("k.sqlite3"));
    let (inv, ab, ab2) =
        (dir.path().join("moi.kehoach"), dir.path().join("a-b.kehoach"), dir.path().join("a-b-2.kehoach"));
    kehoach(&a, &["device", "invite", "--out", s(&inv)]).success();
    kehoach(&b, &["join", s(&inv)]).success();

    let plan = json(&a, &["plan", "create", "--title", "Kế hoạch Đề án 06 năm 2024", "--json"]);
    let task = json(&a, &["task", "add", "--plan", plan["id"].as_str().unwrap(), "--text", "Cấp căn cước", "--json"]);
    let t = task["id"].as_str().unwrap();
    let file = dir.path().join("Biên bản.pdf");
    std::fs::write(&file, b"%PDF-1.7 bien ban").unwrap();
    let e = json(
        &a,
        &["task", "evidence", t, "--number", "15/BB-UBND", "--date", "2024-05-10", "--file", s(&file), "--json"],
    );
    let sha = e["sha256"].as_str().unwrap().to_string();
    // A second piece of evidence whose file has gone missing on this PC.
    let lost = dir.path().join("lost.pdf");
    std::fs::write(&lost, b"lost").unwrap();
    let e2 = json(
        &a,
        &["task", "evidence", t, "--number", "16/BB-UBND", "--date", "2024-05-11", "--file", s(&lost), "--json"],
    );
    std::fs::remove_file(dir.path().join("a").join("attachments").join(e2["sha256"].as_str().unwrap())).unwrap();

    let exported = json(&a, &["sync", "export", "--out", s(&ab), "--json"]);
    assert_eq!(exported["attachments"], 1, "{exported}");
    assert_eq!(exported["attachment_bytes"], 17);
    assert_eq!(exported["attachments_missing"], 1);
    assert_eq!(exported["attachments_too_large"], 0);

    let imported = json(&b, &["sync", "import", s(&ab), "--json"]);
    assert_eq!(imported["attachments"], 1, "{imported}");
    let copy = dir.path().join("b").join("attachments").join(&sha);
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.7 bien ban");
    assert_eq!(without_admissions(&dump(&a)), without_admissions(&dump(&b)));

    // The human-readable summaries, from a fresh bundle of everything.
    let text = stdout(kehoach(&a, &["sync", "export", "--out", s(&ab2), "--since", "0"]));
    assert!(text.contains("Tệp đính kèm gửi kèm: 1 (17 byte)"), "{text}");
    assert!(text.contains("Có 1 tệp đính kèm không có (hoặc bị hỏng) trên máy này"), "{text}");
    let text = stdout(kehoach(&b, &["sync", "import", s(&ab2)]));
    assert!(text.contains("Tệp đính kèm mới lưu vào máy: 0"), "{text}");
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.7 bien ban");
}
