//! Issue 14, point 8: a backup merges into a PC of a commune only when it was made by a device
//! of that commune — this PC itself, or a PC it trusts — as the key the backup holds shows. A
//! file carrying the commune's id (which every bundle and invitation spells out) but made
//! elsewhere, or claiming a trusted PC's id without its key, is refused and changes nothing.
//! A backup without a passphrase carries no key at all: then each op in it must carry its
//! author's signature, checked against the keys this PC holds.

mod common;

use std::path::Path;

use common::*;
use kehoach_core::{Kind, Store};
use kehoach_sync::{create_backup, restore_backup, RestoreMode, SyncError};
use serde_json::json;

fn pc(dir: &Path, name: &str) -> Store {
    Store::open(&dir.join(name).join("kehoach.sqlite3")).unwrap()
}

/// Backups made with a passphrase carry their maker's key; without one they carry none.
const PASS: &str = "mật khẩu sao lưu";

fn refused(store: &mut Store, file: &Path) -> String {
    let before = store.dump_json().unwrap();
    let e = restore_backup(store, file, Some(PASS)).unwrap_err();
    assert!(matches!(e, SyncError::NotABackup(_)), "{e:?}");
    assert_eq!(store.dump_json().unwrap(), before, "a refused backup changes nothing");
    e.to_string()
}

#[test]
fn a_backup_of_a_trusted_pc_merges() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = pc(dir.path(), "a");
    some_data(&mut a, "A");
    let mut b = pc(dir.path(), "b");
    pair(&mut a, &mut b);
    edit(&mut b, 0x300, Kind::Task, "text", json!("Việc của máy công an"));
    let file = dir.path().join("b.kehoach");
    create_backup(&b, &file, None).unwrap();
    let r = restore_backup(&mut a, &file, None).unwrap();
    assert_eq!(r.mode, RestoreMode::Merged);
    assert!(a.dump_json().unwrap().contains("Việc của máy công an"));
}

#[test]
fn a_backup_made_outside_the_commune_is_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = pc(dir.path(), "a");
    some_data(&mut a, "A");
    let mut b = pc(dir.path(), "b");
    pair(&mut a, &mut b);
    let commune = kehoach_sync::commune(&a).unwrap().unwrap();

    // A PC of no commune that writes the commune's id into its own settings.
    let mut stranger = pc(dir.path(), "c");
    stranger.set_local_setting("sync.commune", &commune.to_string()).unwrap();
    kehoach_sync::Device::load_or_create(&stranger).unwrap();
    edit(&mut stranger, 0x100, Kind::Plan, "title", json!("Kế hoạch giả mạo"));
    let file = dir.path().join("c.kehoach");
    create_backup(&stranger, &file, Some(PASS)).unwrap();
    let e = refused(&mut a, &file);
    assert!(e.contains("không phải máy này hay một máy đã được tin cậy"), "{e}");

    // The same backup claiming to be the trusted PC b: its key is not b's.
    restore_backup(&mut pc(dir.path(), "copy"), &file, Some(PASS)).unwrap();
    let copy = pc(dir.path(), "copy");
    let claim = |id: uuid::Uuid, name: &str, keep_key: bool| {
        let out = dir.path().join(name);
        if out.exists() {
            std::fs::remove_file(&out).unwrap();
        }
        copy.snapshot_into(&out).unwrap();
        let conn = rusqlite::Connection::open(&out).unwrap();
        conn.execute("UPDATE meta SET value = ?1 WHERE key = 'device_id'", [id.to_string()]).unwrap();
        if !keep_key {
            conn.execute("DELETE FROM meta WHERE key LIKE 'local.sync.%_key' OR key = 'local.sync.age_identity'", [])
                .unwrap();
        }
        out
    };
    let e = refused(&mut a, &claim(b.device_id(), "c-as-b.sqlite3", true));
    assert!(e.contains(&b.device_id().to_string()), "{e}");
    // Claiming to be a itself, with a's id and a key that is not a's: refused too.
    let a_id = a.device_id();
    let e = refused(&mut a, &claim(a_id, "c-as-a.sqlite3", true));
    assert!(e.contains(&a_id.to_string()), "{e}");

    // Without any key (as a backup without a passphrase is), the claim to be b or a passes the
    // first check, but every op in it was made by the stranger, whom nobody admitted: none is
    // taken, and the data stays as it was.
    for (id, name) in [(b.device_id(), "c-as-b-keyless.sqlite3"), (a_id, "c-as-a-keyless.sqlite3")] {
        let before = data(&a);
        let r = restore_backup(&mut a, &claim(id, name, false), None).unwrap();
        assert_eq!(r.applied.applied, 0, "{r:?}");
        assert!(r.applied.set_aside > 0, "{r:?}");
        assert_eq!(data(&a), before);
    }
}
