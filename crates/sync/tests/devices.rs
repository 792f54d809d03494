//! The commune's device list, revoking a device named by the officer, and invitations
//! protected by a passphrase (issue 14, point 5).

mod common;

use common::*;
use kehoach_core::{Kind, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use serde_json::json;

#[test]
fn the_list_names_each_device_how_it_came_in_when_it_was_last_seen_and_its_revocation() {
    let mut a = Store::open_in_memory().unwrap();
    kehoach_core::pc_users::set_pc_user(
        &mut a,
        &kehoach_model::PcUser { name: "Lê Văn Tám".into(), unit: Some("Văn phòng – Thống kê".into()) },
    )
    .unwrap();
    let mut b = Store::open_in_memory().unwrap();
    kehoach_sync::join(&mut b, &kehoach_sync::create_invitation(&a).unwrap()).unwrap();
    kehoach_core::pc_users::set_pc_user(
        &mut b,
        &kehoach_model::PcUser { name: "Nguyễn Văn Hùng".into(), unit: Some("Công an xã".into()) },
    )
    .unwrap();
    edit(&mut b, 0x200, Kind::Note, "text", json!("Từ máy B"));
    let (from_b, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &from_b, &ImportOptions::default()).unwrap();

    let list = kehoach_sync::commune_devices(&a).unwrap();
    assert_eq!(list.len(), 2, "{list:#?}");
    assert!(list[0].this_pc && list[0].device == a.device_id());
    assert_eq!(list[0].how, "founder");
    let bb = &list[1];
    assert_eq!(bb.device, b.device_id());
    assert_eq!(bb.officer.as_deref(), Some("Nguyễn Văn Hùng (Công an xã)"), "{bb:?}");
    assert_eq!(bb.how, "invitation");
    assert!(bb.how_vi.starts_with("do Lê Văn Tám (Văn phòng – Thống kê) mời ngày "), "{}", bb.how_vi);
    assert_eq!(bb.admitted_by, Some(a.device_id()));
    let b_key = kehoach_sync::Device::load(&b).unwrap().unwrap().public_key_hex();
    assert_eq!(bb.fingerprint, kehoach_sync::fingerprint(&b_key));
    // Last seen: the newest stamp of b's ops that a holds — b's note, written just now.
    let seen = chrono::DateTime::parse_from_rfc3339(bb.last_seen.as_deref().unwrap()).unwrap();
    assert!((chrono::Utc::now() - seen.to_utc()).num_seconds().abs() < 60, "{seen}");
    assert!(bb.revoked.is_none());

    // On b, a is the PC that invited it.
    let on_b = kehoach_sync::commune_devices(&b).unwrap();
    assert_eq!(on_b[0].device, b.device_id());
    assert_eq!(on_b[1].device, a.device_id());
    assert_eq!(on_b[1].how, "inviter");

    // Ids are UUID v7 and begin with their time: devices made the same minute share their
    // first characters, and such a start is refused as naming more than one device.
    let (ida, idb) = (a.device_id().to_string(), b.device_id().to_string());
    let common = ida.chars().zip(idb.chars()).take_while(|(x, y)| x == y).count();
    assert!(common >= 4, "{ida} {idb}");
    let e = kehoach_sync::revoke_named(&mut a, &idb[..common]).unwrap_err();
    assert!(e.to_string().contains("có 2 máy có mã bắt đầu bằng"), "{e}");
    // Revoked by the start of its id: the list says when and by whom.
    let prefix = &idb[..common + 1];
    let r = kehoach_sync::revoke_named(&mut a, prefix).unwrap();
    assert!(!r.already);
    let rv = r.device.revoked.clone().expect("revoked");
    assert_eq!(rv.by, a.device_id());
    assert_eq!(rv.by_name, "Lê Văn Tám (Văn phòng – Thống kê)");
    let again = kehoach_sync::revoke_named(&mut a, &b.device_id().to_string()).unwrap();
    assert!(again.already);
    assert_eq!(again.device.revoked, Some(rv));
    // Its later bundle is refused.
    edit(&mut b, 0x200, Kind::Note, "text", json!("Sau khi bị thu hồi"));
    let (later, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let e = import_bundle(&mut a, &later, &ImportOptions::default()).unwrap_err();
    assert!(matches!(e, SyncError::Revoked { .. }), "{e:?}");
}

#[test]
fn revoking_refuses_this_pc_an_unknown_or_too_short_name_and_changes_nothing() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    let before = a.op_count().unwrap();
    let me = a.device_id().to_string();
    let e = kehoach_sync::revoke_named(&mut a, &me).unwrap_err();
    assert!(e.to_string().contains("chính máy đang dùng"), "{e}");
    let e = kehoach_sync::revoke_named(&mut a, "ffffffff-0000").unwrap_err();
    assert!(e.to_string().contains("không có máy nào"), "{e}");
    let e = kehoach_sync::revoke_named(&mut a, "01").unwrap_err();
    assert!(e.to_string().contains("ít nhất 4 ký tự"), "{e}");
    assert_eq!(a.op_count().unwrap(), before);
    assert!(kehoach_sync::commune_devices(&a).unwrap().iter().all(|d| d.revoked.is_none()));
}

#[test]
fn a_protected_invitation_needs_its_passphrase_and_a_wrong_one_changes_nothing() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let e = kehoach_sync::create_invitation_with(&a, Some("ngắn")).unwrap_err();
    assert!(matches!(e, SyncError::InvitePassphraseTooShort(8)), "{e:?}");
    let inv = kehoach_sync::create_invitation_with(&a, Some("Chư Răng 2026")).unwrap();
    assert!(inv.starts_with(b"age-encryption.org/"));
    assert!(kehoach_sync::invitation_needs_passphrase(&inv));
    assert!(!kehoach_sync::invitation_needs_passphrase(&kehoach_sync::create_invitation(&a).unwrap()));
    // The commune's data are not readable in the file.
    assert!(!inv.windows(4).any(|w| w == b"ops."));

    let mut b = Store::open_in_memory().unwrap();
    let fresh = data(&b);
    let e = kehoach_sync::join(&mut b, &inv).unwrap_err();
    assert!(matches!(e, SyncError::InviteNeedsPassphrase), "{e:?}");
    assert!(e.to_string().contains("mật khẩu"), "{e}");
    let e = kehoach_sync::join_with(&mut b, &inv, Some("Chư Răng 2025")).unwrap_err();
    assert!(matches!(e, SyncError::InviteWrongPassphrase), "{e:?}");
    assert_eq!(kehoach_sync::commune(&b).unwrap(), None);
    assert_eq!(data(&b), fresh);

    let j = kehoach_sync::join_with(&mut b, &inv, Some("Chư Răng 2026")).unwrap();
    assert_eq!(j.inviter, a.device_id());
    assert_eq!(kehoach_sync::commune(&b).unwrap(), kehoach_sync::commune(&a).unwrap());
    // Joined by the protected invitation, b is one of the commune's devices on a.
    let (from_b, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let r = import_bundle(&mut a, &from_b, &ImportOptions::default()).unwrap();
    assert_eq!(r.newly_trusted, vec![b.device_id()]);
}

#[test]
fn a_bundle_encrypted_to_a_device_is_not_taken_for_a_protected_invitation() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    let (bundle, _) =
        export_bundle(&a, &ExportOptions { to: vec![b.device_id().to_string()], ..Default::default() }).unwrap();
    assert!(!kehoach_sync::invitation_needs_passphrase(&bundle));
    let mut c = Store::open_in_memory().unwrap();
    let e = kehoach_sync::join_with(&mut c, &bundle, Some("mật khẩu bất kỳ")).unwrap_err();
    assert!(matches!(e, SyncError::WrongKind { .. }), "{e:?}");
}
