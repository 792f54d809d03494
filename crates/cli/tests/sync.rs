//! Sync through the `kehoach` command: two data files, an invitation, bundles both ways, and a
//! tampered bundle refused with a message and no change.

mod common;

use std::path::Path;

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn invite_join_and_bundles_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let (inv, ab, ba) =
        (dir.path().join("moi.kehoach"), dir.path().join("a-b.kehoach"), dir.path().join("b-a.kehoach"));
    setup_chu_rang(&a, "Nguyễn Hữu Thành");
    let plan = json(&a, &["plan", "create", "--title", "Kế hoạch Đề án 06 năm 2024", "--json"]);

    let invited = json(&a, &["device", "invite", "--out", s(&inv), "--json"]);
    let joined = json(&b, &["join", s(&inv), "--json"]);
    assert_eq!(joined["commune"], invited["commune"]);
    // b also holds its own admission to the commune (signed with the invitation's one-time
    // key), which a learns from b's first bundle.
    assert_eq!(without_admissions(&dump(&a)), without_admissions(&dump(&b)), "the invitation carries the data");

    // b edits and sends a bundle encrypted to a; a imports without any prompt.
    let pid = plan["id"].as_str().unwrap();
    json(&b, &["task", "add", "--plan", pid, "--text", "Rà soát dữ liệu dân cư", "--json"]);
    let a_id = json(&a, &["device", "list", "--json"])["device"].as_str().unwrap().to_string();
    let exported = json(&b, &["sync", "export", "--out", s(&ba), "--to", &a_id, "--json"]);
    assert_eq!(exported["encrypted_to"], 1);
    let imported = json(&a, &["sync", "import", s(&ba), "--json"]);
    assert!(imported["applied"]["by_kind"]["task"].as_u64().unwrap() > 0, "{imported}");
    // Importing the same file again is refused and changes nothing.
    let before = dump(&a);
    let again = kehoach(&a, &["sync", "import", s(&ba)]).failure();
    assert!(String::from_utf8_lossy(&again.get_output().stderr).contains("đã được nhập trước đây"));
    assert_eq!(dump(&a), before);

    // And back: a's bundle is accepted by b.
    json(&a, &["plan", "create", "--title", "Kế hoạch chuyển đổi số", "--json"]);
    kehoach(&a, &["sync", "export", "--out", s(&ab)]).success();
    let text = kehoach(&b, &["sync", "import", s(&ab)]).success();
    assert!(String::from_utf8_lossy(&text.get_output().stdout).contains("thao tác mới"));
    assert_eq!(without_admissions(&dump(&a)), without_admissions(&dump(&b)));

    let listed = json(&a, &["device", "list", "--json"]);
    assert_eq!(listed["trusted"].as_array().unwrap().len(), 1);
}

#[test]
fn a_tampered_bundle_is_refused_with_a_message_and_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let (inv, ba) = (dir.path().join("moi.kehoach"), dir.path().join("b-a.kehoach"));
    kehoach(&a, &["device", "invite", "--out", s(&inv)]).success();
    kehoach(&b, &["join", s(&inv)]).success();
    json(&b, &["plan", "create", "--title", "Kế hoạch của máy B", "--json"]);
    kehoach(&b, &["sync", "export", "--out", s(&ba)]).success();

    // Swap one letter of the plan's title inside the zip: same length, so only the hash notices.
    let bytes = std::fs::read(&ba).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut body).unwrap();
        if f.name() == "ops.jsonl" {
            body = String::from_utf8(body).unwrap().replace("máy B", "máy C").into_bytes();
        }
        w.start_file(f.name(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut w, &body).unwrap();
    }
    std::fs::write(&ba, w.finish().unwrap().into_inner()).unwrap();

    let before = std::fs::read(&a).unwrap();
    let out = kehoach(&a, &["sync", "import", s(&ba)]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("Tệp đồng bộ đã bị sửa đổi"), "{err}");
    assert_eq!(std::fs::read(&a).unwrap(), before, "the data file changed");
    assert!(!dump(&a).contains("Kế hoạch của máy"));
}

#[test]
fn an_unknown_device_is_refused_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"), dir.path().join("c.sqlite3"));
    let (inv_a, inv_b, ca) = (dir.path().join("a.moi"), dir.path().join("b.moi"), dir.path().join("c-a.kehoach"));
    kehoach(&a, &["device", "invite", "--out", s(&inv_a)]).success();
    kehoach(&b, &["join", s(&inv_a)]).success();
    kehoach(&b, &["device", "invite", "--out", s(&inv_b)]).success();
    kehoach(&c, &["join", s(&inv_b)]).success();
    kehoach(&c, &["sync", "export", "--out", s(&ca)]).success();
    let out = kehoach(&a, &["sync", "import", s(&ca)]).failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("Thiết bị gửi chưa được tin cậy"));
    let accepted = json(&a, &["device", "accept", s(&ca), "--json"]);
    assert_eq!(accepted["via"], "accepted");
    kehoach(&a, &["sync", "import", s(&ca)]).success();
}

/// The first PC of a commune founds it by command (what the hub's administrator enrols), the
/// same id then travels in its invitations, and founding again changes nothing.
#[test]
fn the_first_pc_founds_the_commune_and_its_invitations_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let inv = dir.path().join("moi.kehoach");
    let listed = json(&a, &["device", "list", "--json"]);
    assert!(listed["commune"].is_null(), "{listed}");
    let founded = json(&a, &["device", "found", "--json"]);
    assert_eq!(founded["founded"], true);
    assert_eq!(founded["public_key"].as_str().unwrap().len(), 64, "{founded}");
    let commune = founded["commune"].clone();
    assert_eq!(json(&a, &["device", "list", "--json"])["commune"], commune);
    let again = kehoach(&a, &["device", "found"]).success();
    let text = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(text.contains("mã xã giữ nguyên") && text.contains(commune.as_str().unwrap()), "{text}");
    assert_eq!(json(&a, &["device", "invite", "--out", s(&inv), "--json"])["commune"], commune);
    assert_eq!(json(&b, &["join", s(&inv), "--json"])["commune"], commune);
    // A PC that joined is in the commune already: founding keeps it.
    let on_b = json(&b, &["device", "found", "--json"]);
    assert_eq!((on_b["commune"].clone(), on_b["founded"].clone()), (commune, serde_json::json!(false)));
}

/// `sync hub --ca` takes only a PEM certificate: anything else is refused with a message
/// before any connection, and nothing is kept.
#[test]
fn a_hub_ca_that_is_not_a_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let bad = dir.path().join("ca.pem");
    std::fs::write(&bad, "khong phai chung chi").unwrap();
    json(&a, &["device", "found", "--json"]);
    let out = kehoach(&a, &["sync", "hub", "--url", "https://127.0.0.1:9", "--ca", s(&bad)]).failure();
    let e = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(e.contains("chứng chỉ gốc") && e.contains("PEM"), "{e}");
}

/// A backup on a USB stick brings a reinstalled PC back; a second restore adds only what is
/// new; a file that is not a backup is refused in Vietnamese and changes nothing.
#[test]
fn backup_and_restore_through_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a/kehoach.sqlite3"), dir.path().join("b/kehoach.sqlite3"));
    let file = dir.path().join("usb/sao-luu.sqlite3");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    setup_chu_rang(&a, "Nguyễn Hữu Thành");
    json(&a, &["plan", "create", "--title", "Kế hoạch Đề án 06 năm 2024", "--json"]);
    let made = json(&a, &["backup", "--out", s(&file), "--json"]);
    assert_eq!(made["commune"], "UBND xã Chư Răng");
    assert!(made["ops"].as_i64().unwrap() > 0);

    let text = stdout(kehoach(&b, &["restore", s(&file)]).success());
    assert!(text.contains("Đã khôi phục dữ liệu của UBND xã Chư Răng"), "{text}");
    assert_eq!(dump(&a), dump(&b));

    json(&a, &["plan", "create", "--title", "Kế hoạch chuyển đổi số", "--json"]);
    kehoach(&a, &["backup", "--out", s(&file)]).success();
    let merged = json(&b, &["restore", s(&file), "--json"]);
    assert_eq!(merged["mode"], "merged");
    assert!(merged["applied"]["applied"].as_u64().unwrap() > 0, "{merged}");
    assert_eq!(dump(&a), dump(&b));

    // With a passphrase: the restore needs it, and a wrong one changes nothing.
    let sealed = dir.path().join("usb/sao-luu-co-mat-khau.sqlite3");
    let c = dir.path().join("c/kehoach.sqlite3");
    let good = [("KH_BACKUP_PASS", "mật khẩu dài 06")];
    let made = stdout(
        kehoach_env(&a, &["backup", "--out", s(&sealed), "--passphrase-env", "KH_BACKUP_PASS"], &good).success(),
    );
    assert!(made.contains("có mật khẩu"), "{made}");
    let err = stderr(kehoach(&c, &["restore", s(&sealed)]).failure());
    assert!(err.contains("có mật khẩu"), "{err}");
    let with_pass = ["restore", s(&sealed), "--passphrase-env", "KH_BACKUP_PASS"];
    let err = stderr(kehoach_env(&c, &with_pass, &[("KH_BACKUP_PASS", "mật khẩu sai")]).failure());
    assert!(err.contains("không đúng"), "{err}");
    kehoach_env(&c, &with_pass, &good).success();
    assert_eq!(dump(&c), dump(&a));

    let letter = dir.path().join("cong-van.docx");
    std::fs::write(&letter, "Công văn số 15/CV-UBND").unwrap();
    let before = dump(&b);
    let err = stderr(kehoach(&b, &["restore", s(&letter)]).failure());
    assert!(err.contains("không phải bản sao lưu của kehoach"), "{err}");
    assert_eq!(dump(&b), before);
}
