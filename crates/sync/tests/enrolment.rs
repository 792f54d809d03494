//! Invitations, joining, mutual trust without prompts, encryption to devices, idempotence.

mod common;

use common::*;
use kehoach_core::{Kind, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use serde_json::json;

#[test]
fn invite_join_and_exchange_both_ways_without_prompts() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let inv = kehoach_sync::create_invitation(&a).unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let j = kehoach_sync::join(&mut b, &inv).unwrap();
    assert_eq!(j.inviter, a.device_id());
    assert_eq!(Some(j.commune), kehoach_sync::commune(&a).unwrap());
    assert_eq!(kehoach_sync::commune(&b).unwrap(), kehoach_sync::commune(&a).unwrap());
    // The invitation carries the current data (b adds its own admission, signed with the
    // invitation's one-time key).
    assert_eq!(data(&b), data(&a));

    edit(&mut b, 0x200, Kind::Task, "status", json!("done"));
    let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let r = import_bundle(&mut a, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(r.newly_trusted, vec![b.device_id()]);
    assert_eq!(r.applied.by_kind.get("task"), Some(&1));

    edit(&mut a, 0x100, Kind::Plan, "title", json!("Kế hoạch đã sửa"));
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(data(&b), data(&a));
}

#[test]
fn an_invitation_admits_one_device_only() {
    let mut a = Store::open_in_memory().unwrap();
    let inv = kehoach_sync::create_invitation(&a).unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let mut c = Store::open_in_memory().unwrap();
    kehoach_sync::join(&mut b, &inv).unwrap();
    kehoach_sync::join(&mut c, &inv).unwrap();
    let (from_b, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &from_b, &ImportOptions::default()).unwrap();
    let (from_c, _) = export_bundle(&c, &ExportOptions::default()).unwrap();
    let e = import_bundle(&mut a, &from_c, &ImportOptions::default()).unwrap_err();
    assert!(matches!(e, SyncError::InviteUsed), "{e:?}");
}

#[test]
fn a_device_joined_elsewhere_is_introduced_by_a_trusted_one() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    // c joins through b; b learns c from c's first bundle; a learns c from b.
    let mut c = Store::open_in_memory().unwrap();
    kehoach_sync::join(&mut c, &kehoach_sync::create_invitation(&b).unwrap()).unwrap();
    edit(&mut c, 0x500, Kind::Note, "text", json!("Từ máy C"));
    let (from_c, _) = export_bundle(&c, &ExportOptions::default()).unwrap();
    import_bundle(&mut b, &from_c, &ImportOptions::default()).unwrap();
    let (from_b, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    // a does not trust c because b lists it (issue 14, point 5): it learns c from c's own
    // admission, signed with the one-time key of b's invitation, which a checks against b.
    let r = import_bundle(&mut a, &from_b, &ImportOptions::default()).unwrap();
    assert!(r.newly_trusted.is_empty(), "{:?}", r.newly_trusted);
    assert_eq!(r.new_devices.len(), 1, "{:?}", r.new_devices);
    assert!(r.new_devices[0].contains(&c.device_id().to_string()) && r.new_devices[0].contains("mời ngày"));
    edit(&mut c, 0x500, Kind::Note, "text", json!("Từ máy C, sửa"));
    let (from_c, _) = export_bundle(&c, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &from_c, &ImportOptions::default()).unwrap();
    assert_eq!(data(&a), data(&c));
}

#[test]
fn joining_another_commune_is_refused() {
    let a = Store::open_in_memory().unwrap();
    let x = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    kehoach_sync::join(&mut b, &kehoach_sync::create_invitation(&a).unwrap()).unwrap();
    let e = kehoach_sync::join(&mut b, &kehoach_sync::create_invitation(&x).unwrap()).unwrap_err();
    assert!(matches!(e, SyncError::AlreadyEnrolled { .. }), "{e:?}");
}

#[test]
fn an_encrypted_bundle_opens_for_its_recipient_only() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    some_data(&mut a, "bí mật");
    let (bundle, s) =
        export_bundle(&a, &ExportOptions { to: vec![b.device_id().to_string()], since: None, ..Default::default() })
            .unwrap();
    assert_eq!(s.encrypted_to, 1);
    assert!(bundle.starts_with(b"age-encryption.org/v1\n"));
    assert!(!bundle.windows(6).any(|w| w == "bí mật".as_bytes()[..6].as_ref()));
    import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(data(&b), data(&a));
}

#[test]
fn a_bundle_sends_only_what_the_recipient_has_not_acknowledged() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    pair(&mut a, &mut b);
    // b has acknowledged a's whole log (the invitation) in the bundle a imported.
    edit(&mut a, 0x600, Kind::Note, "text", json!("mới"));
    let to_b = ExportOptions { to: vec![b.device_id().to_string()], since: None, ..Default::default() };
    let (bundle, s) = export_bundle(&a, &to_b).unwrap();
    // The new note, and b's own admission that a received after the invitation (echoed back).
    assert_eq!(s.by_kind.get("note"), Some(&1), "{s:?}");
    assert_eq!(s.ops, 2, "{s:?}");
    import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(data(&b), data(&a));
}

#[test]
fn re_sent_ops_in_a_new_bundle_change_nothing() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    some_data(&mut b, "B");
    let (one, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let (two, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let r1 = import_bundle(&mut a, &one, &ImportOptions::default()).unwrap();
    let after = a.dump_json().unwrap();
    let r2 = import_bundle(&mut a, &two, &ImportOptions::default()).unwrap();
    assert!(r1.applied.applied > 0);
    assert_eq!(r2.applied.applied, 0);
    assert_eq!(r2.applied.duplicates, r1.applied.applied + r1.applied.duplicates);
    assert_eq!(a.dump_json().unwrap(), after);
}
