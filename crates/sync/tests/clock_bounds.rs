//! Issue 14, point 1: one op stamped far in the future — year 5000, year 9999 (past i64::MAX
//! once shifted, so it would read back negative from SQLite), u64::MAX (the next stamp would
//! overflow) — must not freeze a PC. Through a bundle from a trusted PC and through a backup
//! (merged or whole) it is refused, the data stay as they were, and later edits still win.

mod common;

use common::*;
use kehoach_core::record as field;
use kehoach_core::{Change, Hlc, Kind, Op, Store};
use kehoach_sync::{create_backup, import_bundle, restore_backup, ImportOptions, SyncError};
use serde_json::json;
use uuid::Uuid;

/// Milliseconds since 1970 at the start of `year` (approximately: what matters is "far").
fn year_ms(year: u64) -> u64 {
    (year - 1970) * 365 * 24 * 3600 * 1000
}

/// The stamps the issue names: year 5000, year 9999, and the largest there is.
fn far_stamps() -> [(&'static str, Hlc); 3] {
    [
        ("năm 5000", Hlc::from_millis(year_ms(5000))),
        ("năm 9999", Hlc::from_millis(year_ms(9999))),
        ("u64::MAX", Hlc(u64::MAX)),
    ]
}

const TASK: u128 = 0x200;

/// `b`'s bundle and one more op on the task's text, stamped `hlc`, signed by `b` as it would be
/// by a trusted PC with a broken clock.
fn bundle_stamped(b: &mut Store, hlc: Hlc) -> Vec<u8> {
    let far = Op {
        id: Uuid::now_v7(),
        entity: Uuid::from_u128(TASK),
        kind: Kind::Task,
        field: "text".into(),
        value: json!("Giá trị từ tương lai"),
        hlc,
        device: b.device_id(),
        prev: Hlc::default(),
        sig: None,
    };
    bundle_with(b, &[far])
}

fn task_text(store: &Store) -> String {
    let dump: serde_json::Value = serde_json::from_str(&store.dump_json().unwrap()).unwrap();
    dump.to_string()
}

#[test]
fn a_far_future_op_in_a_bundle_is_refused_and_later_edits_win() {
    for (what, hlc) in far_stamps() {
        let mut a = Store::open_in_memory().unwrap();
        some_data(&mut a, "A");
        let mut b = Store::open_in_memory().unwrap();
        pair(&mut a, &mut b);
        let before = a.dump_json().unwrap();
        let e = import_bundle(&mut a, &bundle_stamped(&mut b, hlc), &ImportOptions::default()).unwrap_err();
        assert!(
            e.to_string().contains("vượt quá giờ của máy này") || e.to_string().contains("không hợp lệ"),
            "{what}: {e}"
        );
        assert!(!task_text(&a).contains("Cấp căn cước lưu động"), "{what}: the whole bundle is refused");
        assert_eq!(a.dump_json().unwrap(), before, "{what}: nothing applied");
        // The PC goes on: an edit of that very field wins and is seen.
        a.commit(vec![Change::new(Kind::Task, Uuid::from_u128(TASK), field::task::TEXT, json!("Sửa sau đó"))]).unwrap();
        assert!(task_text(&a).contains("Sửa sau đó"), "{what}");
    }
}

#[test]
fn a_clock_a_few_hours_ahead_is_still_taken() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    let soon = Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64 + 5 * 3600 * 1000);
    let r = import_bundle(&mut a, &bundle_stamped(&mut b, soon), &ImportOptions::default()).unwrap();
    assert_eq!(r.applied.applied, 2);
    assert!(task_text(&a).contains("Giá trị từ tương lai"));
}

#[test]
fn a_backup_holding_a_far_future_stamp_is_refused_merged_or_whole() {
    for (what, hlc) in far_stamps() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::open(&dir.path().join("a.sqlite3")).unwrap();
        some_data(&mut a, "A");
        let file = dir.path().join("sao-luu.kehoach");
        create_backup(&a, &file, None).unwrap();
        // Someone (or a broken clock) left one op stamped far ahead in the file.
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute("UPDATE ops SET hlc = ?1 WHERE seq = (SELECT max(seq) FROM ops)", [hlc.0 as i64]).unwrap();
        drop(conn);

        // Merged into the PC it came from, and restored whole on an empty PC: refused.
        let before = a.dump_json().unwrap();
        let e = restore_backup(&mut a, &file, None).unwrap_err();
        assert!(matches!(e, SyncError::BackupDamaged(_)), "{what}: {e}");
        assert_eq!(a.dump_json().unwrap(), before);
        let mut empty = Store::open(&dir.path().join("moi.sqlite3")).unwrap();
        let e = restore_backup(&mut empty, &file, None).unwrap_err();
        assert!(matches!(e, SyncError::BackupDamaged(_)), "{what}: {e}");
        assert_eq!(empty.op_count().unwrap(), 0);
        empty.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, json!("Kế hoạch mới"))]).unwrap();
    }
}
