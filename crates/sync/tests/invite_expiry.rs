//! Issue 14, point 5 (in part): an invitation lets a new PC into its commune for seven days.
//! Older, it is refused when the new PC joins with it, and the inviting PC no longer trusts a
//! first bundle proving it — a file left on a stick or in a mailbox stops being a key to the
//! commune. Within the week both work as before.

mod common;

use common::*;
use kehoach_core::Store;
use kehoach_sync::{create_invitation, export_bundle, import_bundle, join, ExportOptions, ImportOptions, SyncError};
use serde_json::json;

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `a`'s invitation as if it had been made `days` ago (signed again by `a`).
fn invitation_made(a: &Store, days: i64) -> Vec<u8> {
    let invite = create_invitation(a).unwrap();
    resign(&invite, &signing_key(a), |m| m["created_at"] = json!(days_ago(days)))
}

#[test]
fn an_invitation_older_than_a_week_does_not_let_a_pc_join() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open_in_memory().unwrap();
    let e = join(&mut b, &invitation_made(&a, 8)).unwrap_err();
    assert!(matches!(e, SyncError::InviteExpired { days: 7, .. }), "{e:?}");
    assert!(e.to_string().contains("Lời mời đã hết hạn"), "{e}");
    assert_eq!(b.op_count().unwrap(), 0, "nothing of the invitation is applied");
    assert!(kehoach_sync::commune(&b).unwrap().is_none(), "the PC joined no commune");

    let r = join(&mut b, &invitation_made(&a, 6)).unwrap();
    assert!(r.applied.applied > 0);
}

#[test]
fn the_inviter_trusts_a_first_bundle_only_within_the_week() {
    for (days, accepted) in [(8, false), (6, true)] {
        let mut a = Store::open_in_memory().unwrap();
        some_data(&mut a, "A");
        let mut b = Store::open_in_memory().unwrap();
        join(&mut b, &create_invitation(&a).unwrap()).unwrap();
        // The inviter's record of its invitation, made `days` ago.
        let mut pending: serde_json::Value =
            serde_json::from_str(&a.local_setting("sync.invites").unwrap().unwrap()).unwrap();
        pending[0]["created_at"] = json!(days_ago(days));
        a.set_local_setting("sync.invites", &pending.to_string()).unwrap();
        edit(&mut b, 0x300, kehoach_core::Kind::Task, "text", json!("Việc của máy mới"));
        let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
        let before = a.dump_json().unwrap();
        match import_bundle(&mut a, &bundle, &ImportOptions::default()) {
            Ok(_) => assert!(accepted, "{days} days: accepted"),
            Err(e) => {
                assert!(!accepted, "{days} days: {e}");
                assert!(matches!(e, SyncError::InviteExpired { .. }), "{e:?}");
                assert_eq!(a.dump_json().unwrap(), before);
            }
        }
    }
}
