//! `kehoach sync devices`, `kehoach sync revoke` and passphrase-protected invitations
//! (issue 14, point 5), through the real command on three data files.

mod common;

use std::path::Path;

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_protected_invitation_the_device_list_and_revoking_a_lost_pc() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n);
    let (office, police, health) = (f("office.sqlite3"), f("police.sqlite3"), f("health.sqlite3"));
    setup_chu_rang(&office, "Nguyễn Hữu Thành");
    kehoach(&office, &["device", "user", "--name", "Lê Văn Tám", "--unit", "Văn phòng – Thống kê"]).success();

    // An invitation protected by a passphrase: a missing or wrong one is refused, nothing changes.
    let pass = [("MAT_KHAU_MOI", "Chư Răng 2026")];
    let short = stderr(kehoach_env(
        &office,
        &["device", "invite", "--out", s(&f("x.khinvite")), "--passphrase-env", "NGAN"],
        &[("NGAN", "1234")],
    ));
    assert!(short.contains("ít nhất 8 ký tự"), "{short}");
    assert!(!f("x.khinvite").exists());
    let out = stdout(kehoach_env(
        &office,
        &["device", "invite", "--out", s(&f("moi.khinvite")), "--passphrase-env", "MAT_KHAU_MOI"],
        &pass,
    ));
    assert!(out.contains("lời mời có mật khẩu") && out.contains("--passphrase-env"), "{out}");
    let fresh = dump(&police);
    let e = stderr(kehoach(&police, &["join", s(&f("moi.khinvite"))]));
    assert!(e.contains("được bảo vệ bằng mật khẩu") && e.contains("chưa thay đổi gì"), "{e}");
    let e = stderr(kehoach_env(
        &police,
        &["join", s(&f("moi.khinvite")), "--passphrase-env", "MAT_KHAU_MOI"],
        &[("MAT_KHAU_MOI", "Chư Răng 2025")],
    ));
    assert!(e.contains("Mật khẩu của lời mời không đúng"), "{e}");
    let e = stderr(kehoach(&police, &["join", s(&f("moi.khinvite")), "--passphrase-env", "CHUA_DAT"]));
    assert!(e.contains("CHUA_DAT"), "{e}");
    assert_eq!(dump(&police), fresh);
    let joined =
        stdout(kehoach_env(&police, &["join", s(&f("moi.khinvite")), "--passphrase-env", "MAT_KHAU_MOI"], &pass));
    assert!(joined.starts_with("Đã tham gia xã"), "{joined}");
    kehoach(&police, &["device", "user", "--name", "Nguyễn Văn Hùng", "--unit", "Công an xã"]).success();
    kehoach(&police, &["sync", "export", "--out", s(&f("cong-an.khsync"))]).success();
    kehoach(&office, &["sync", "import", s(&f("cong-an.khsync"))]).success();

    // A third PC joins through the police post's invitation; the office learns it from the
    // police post's next bundle, and says so.
    kehoach(&police, &["device", "invite", "--out", s(&f("moi-2.khinvite"))]).success();
    kehoach(&health, &["join", s(&f("moi-2.khinvite"))]).success();
    kehoach(&health, &["device", "user", "--name", "Ksor H'Mai", "--unit", "Trạm y tế"]).success();
    kehoach(&health, &["sync", "export", "--out", s(&f("y-te.khsync"))]).success();
    kehoach(&police, &["sync", "import", s(&f("y-te.khsync"))]).success();
    kehoach(&police, &["sync", "export", "--out", s(&f("cong-an-2.khsync"))]).success();
    let health_id = json(&health, &["device", "list", "--json"])["device"].as_str().unwrap().to_string();
    let imported = stdout(kehoach(&office, &["sync", "import", s(&f("cong-an-2.khsync"))]));
    let learnt = format!("Máy mới: Ksor H'Mai (Trạm y tế) (mã {health_id}), do Nguyễn Văn Hùng (Công an xã) mời ngày ");
    assert!(imported.contains(&learnt), "{imported}");

    // The list on the office PC.
    let list = json(&office, &["sync", "devices", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3, "{list:#?}");
    assert_eq!(list[0]["this_pc"], true);
    assert_eq!(list[0]["officer"], "Lê Văn Tám (Văn phòng – Thống kê)");
    let by_officer = |name: &str| list.iter().find(|d| d["officer"].as_str() == Some(name)).unwrap().clone();
    let police_row = by_officer("Nguyễn Văn Hùng (Công an xã)");
    assert_eq!(police_row["how"], "invitation");
    assert!(police_row["how_vi"].as_str().unwrap().starts_with("do Lê Văn Tám (Văn phòng – Thống kê) mời ngày "));
    let health_row = by_officer("Ksor H'Mai (Trạm y tế)");
    assert_eq!(health_row["device"], health_id.as_str());
    assert_eq!(health_row["admitted_by"], police_row["device"]);
    assert!(health_row["last_seen"].is_string() && health_row["revoked"].is_null(), "{health_row}");
    let health_key = json(&health, &["device", "list", "--json"])["public_key"].as_str().unwrap().to_string();
    assert_eq!(health_row["fingerprint"].as_str().unwrap().len(), kehoach_sync::fingerprint(&health_key).len());
    assert_eq!(health_row["fingerprint"], kehoach_sync::fingerprint(&health_key).as_str());
    let text = stdout(kehoach(&office, &["sync", "devices"]));
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    assert!(text.starts_with("Các máy của xã: 3 máy (3 đang hoạt động)"), "{text}");
    assert!(text.contains("Lê Văn Tám (Văn phòng – Thống kê) — máy này"), "{text}");
    assert!(text.contains(&format!("Vào xã: do Nguyễn Văn Hùng (Công an xã) mời ngày {today}")), "{text}");
    assert!(text.contains(&format!("Dấu vân tay: {}", kehoach_sync::fingerprint(&health_key))), "{text}");

    // This PC itself cannot be revoked; the health station's lost PC is, by the start of its id.
    let me = list[0]["device"].as_str().unwrap().to_string();
    let before = dump(&office);
    let e = stderr(kehoach(&office, &["sync", "revoke", &me]));
    assert!(e.contains("không thể thu hồi chính máy đang dùng"), "{e}");
    assert_eq!(dump(&office), before);
    let ids: Vec<String> = list.iter().map(|d| d["device"].as_str().unwrap().to_string()).collect();
    let unique =
        (4..=36).map(|n| &health_id[..n]).find(|p| ids.iter().filter(|id| id.starts_with(p)).count() == 1).unwrap();
    let done = stdout(kehoach(&office, &["sync", "revoke", unique]));
    assert!(done.starts_with(&format!("Đã thu hồi máy {health_id} (Ksor H'Mai (Trạm y tế), dấu vân tay ")), "{done}");
    assert!(done.contains("không gửi được dữ liệu cho xã nữa"), "{done}");
    let again = stdout(kehoach(&office, &["sync", "revoke", &health_id]));
    assert!(again.contains("đã bị thu hồi từ") && again.contains("không thay đổi gì"), "{again}");
    let list = json(&office, &["sync", "devices", "--json"]);
    let row = list.as_array().unwrap().iter().find(|d| d["device"] == health_id.as_str()).unwrap().clone();
    assert_eq!(row["revoked"]["by"], me.as_str());
    assert_eq!(row["revoked"]["by_name"], "Lê Văn Tám (Văn phòng – Thống kê)");
    let text = stdout(kehoach(&office, &["sync", "devices"]));
    assert!(text.contains("3 máy (2 đang hoạt động)") && text.contains("ĐÃ THU HỒI từ "), "{text}");

    // Its later bundle is refused with a message, and changes nothing.
    kehoach(&health, &["plan", "create", "--title", "Kế hoạch tiêm chủng"]).success();
    kehoach(&health, &["sync", "export", "--out", s(&f("y-te-2.khsync"))]).success();
    let before = dump(&office);
    let e = stderr(kehoach(&office, &["sync", "import", s(&f("y-te-2.khsync"))]));
    assert!(e.contains("đã bị thu hồi khỏi xã"), "{e}");
    assert_eq!(dump(&office), before);
}
