//! Opening a data file that cannot be used: a clear Vietnamese reason, and the file is left
//! exactly as it was (never "repaired", never migrated by an older build).

use kehoach_core::{CoreError, Store};

#[test]
fn a_damaged_or_foreign_file_is_named_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kehoach.sqlite3");
    let junk = "Báo cáo tháng 10 — bản in thử, không phải dữ liệu".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("a text file opened as data");
    let msg = err.to_string();
    assert!(matches!(err, CoreError::Open { .. }), "{err:?}");
    assert!(msg.contains("không phải dữ liệu của kehoach"), "{msg}");
    assert!(msg.contains("kehoach.sqlite3"), "{msg}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), junk);
}

#[test]
fn a_file_from_a_newer_kehoach_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kehoach.sqlite3");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("a newer file opened");
    assert!(matches!(err, CoreError::TooNew { .. }), "{err:?}");
    assert!(err.to_string().contains("phiên bản kehoach mới hơn"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
