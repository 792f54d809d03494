//! Backups: a PC's whole data in one file, and the way back from it. A PC that lost its data
//! becomes itself again (same device, same keys) and its new work still reaches the commune's
//! other PCs; a PC that has data gets back what it lacks; a file that is not a sound backup of
//! this commune is refused and changes nothing.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use kehoach_core::record as field;
use kehoach_core::tracking::evidence::add_evidence;
use kehoach_core::{save_settings, Kind, Store};
use kehoach_model::{NewEvidence, Settings};
use kehoach_sync::{
    create_backup, export_bundle, import_bundle, restore_backup, ExportOptions, ImportOptions, RestoreMode, SyncError,
};
use serde_json::json;
use uuid::Uuid;

fn set_commune(store: &mut Store, name: &str) {
    let s = Settings {
        commune: Some(name.into()),
        parent: Some("UBND huyện Ia Pa".into()),
        place: Some("Chư Răng".into()),
        signer: Some("Nguyễn Hữu Thành".into()),
        ..Default::default()
    };
    save_settings(store, &s).unwrap();
}

/// A PC of "UBND xã Chư Răng" with a plan, a task and a piece of evidence with a file.
fn office_pc(dir: &Path) -> Store {
    let mut a = Store::open(&dir.join("office/kehoach.sqlite3")).unwrap();
    set_commune(&mut a, "UBND xã Chư Răng");
    kehoach_sync::found_commune(&a).unwrap();
    some_data(&mut a, "văn phòng");
    let scan = dir.join("bien-ban.pdf");
    std::fs::write(&scan, b"%PDF-1.4 bien ban hop to cong tac 06").unwrap();
    add_evidence(
        &mut a,
        &NewEvidence {
            task_id: Uuid::from_u128(0x200),
            number: "15/BB-UBND".into(),
            date: "2024-05-10".into(),
            file: Some(scan.to_str().unwrap().into()),
            text: None,
        },
    )
    .unwrap();
    a
}

fn attachments(store: &Store) -> Vec<(String, Vec<u8>)> {
    let dir = store.data_dir().unwrap().join("attachments");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.map(|e| {
                let e = e.unwrap();
                (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
            })
            .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn fresh(dir: &Path, name: &str) -> Store {
    Store::open(&dir.join(name).join("kehoach.sqlite3")).unwrap()
}

#[test]
fn a_pc_that_lost_its_data_becomes_itself_again() {
    let dir = tempfile::tempdir().unwrap();
    let a = office_pc(dir.path());
    let file = dir.path().join("usb/kehoach-2024-05-10.sqlite3");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let summary = create_backup(&a, &file, None).unwrap();
    assert_eq!(summary.files, 1);
    assert_eq!(summary.ops, a.op_count().unwrap());
    assert_eq!(summary.commune.as_deref(), Some("UBND xã Chư Răng"));
    let backup_bytes = std::fs::read(&file).unwrap();

    let mut b = fresh(dir.path(), "reinstalled");
    let report = restore_backup(&mut b, &file, None).unwrap();
    assert_eq!(report.mode, RestoreMode::Whole);
    assert_eq!(report.ops, a.op_count().unwrap());
    assert_eq!(report.files, 1);
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());
    assert_eq!(b.device_id(), a.device_id(), "the same device, with the same keys");
    assert_eq!(kehoach_sync::commune(&b).unwrap(), kehoach_sync::commune(&a).unwrap());
    assert_eq!(attachments(&b), attachments(&a));
    assert_eq!(std::fs::read(&file).unwrap(), backup_bytes, "the backup file is only read");

    // The restored data file opens again as it is (no backup tables left in it).
    let path = b.data_dir().unwrap().join("kehoach.sqlite3");
    drop(b);
    let b = Store::open(&path).unwrap();
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());
    assert_eq!(
        b.schema_objects().unwrap(),
        kehoach_core::schema_objects(kehoach_core::SCHEMA_VERSION).unwrap(),
        "nothing but the data file's own tables"
    );
}

/// The office PC goes on working after its backup and sends that work to the police PC; then
/// its disk dies and it is restored from the older backup. What it does next must still reach
/// the police PC, which already holds the office's log past the backup's end.
#[test]
fn work_done_after_a_restore_reaches_the_other_pcs() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = office_pc(dir.path());
    let mut police = fresh(dir.path(), "police");
    pair(&mut a, &mut police);
    // With a passphrase: the backup carries the keys, so the restored PC is the office PC again.
    let file = dir.path().join("backup.age");
    create_backup(&a, &file, Some("Chư Răng 2024 !")).unwrap();

    for i in 0..20 {
        edit(&mut a, 0x300 + i, Kind::Note, "text", json!(format!("Ghi chú sau sao lưu {i}")));
    }
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    import_bundle(&mut police, &bundle, &ImportOptions::default()).unwrap();
    drop(a);

    let mut a = fresh(dir.path(), "office-restored");
    assert!(!restore_backup(&mut a, &file, Some("Chư Răng 2024 !")).unwrap().new_device);
    edit(&mut a, 0x200, Kind::Task, "status", json!("done"));
    edit(&mut a, 0x400, Kind::Note, "text", json!("Đã hoàn thành rà soát"));
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    let report = import_bundle(&mut police, &bundle, &ImportOptions::default()).unwrap();
    assert!(report.applied.applied >= 2, "{report:?}");
    assert!(
        police.dump_json().unwrap().contains("Đã hoàn thành rà soát"),
        "the restored PC's new note reached the police PC"
    );

    // And the notes the office made after its backup come back to it from the police PC.
    let (bundle, _) = export_bundle(&police, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(a.dump_json().unwrap(), police.dump_json().unwrap());
}

#[test]
fn a_pc_with_data_gets_back_what_it_lacks_and_keeps_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = office_pc(dir.path());
    let older = dir.path().join("older.sqlite3");
    create_backup(&a, &older, None).unwrap();
    edit(&mut a, 0x101, Kind::Plan, "title", json!("Kế hoạch tuyên truyền"));
    let newer = dir.path().join("newer.sqlite3");
    create_backup(&a, &newer, None).unwrap();

    let mut b = fresh(dir.path(), "b");
    restore_backup(&mut b, &older, None).unwrap();
    edit(&mut b, 0x102, Kind::Plan, "title", json!("Kế hoạch làm sạch dữ liệu"));
    let report = restore_backup(&mut b, &newer, None).unwrap();
    assert_eq!(report.mode, RestoreMode::Merged);
    assert_eq!(report.applied.applied, 1, "{report:?}");
    let text = b.dump_json().unwrap();
    assert!(text.contains("Kế hoạch tuyên truyền") && text.contains("Kế hoạch làm sạch dữ liệu"));

    // Again: nothing new, nothing changed.
    let before = b.dump_json().unwrap();
    let report = restore_backup(&mut b, &newer, None).unwrap();
    assert_eq!(report.applied.applied, 0);
    assert_eq!(b.dump_json().unwrap(), before);
}

/// Each bad file is refused with its own message; the PC's data, attachments and the file
/// itself stay exactly as they were.
#[test]
fn a_file_that_is_not_a_sound_backup_of_this_commune_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = office_pc(dir.path());
    let good = dir.path().join("good.sqlite3");
    create_backup(&a, &good, None).unwrap();
    let good_bytes = std::fs::read(&good).unwrap();

    let mut other = Store::open(&dir.path().join("other/kehoach.sqlite3")).unwrap();
    set_commune(&mut other, "UBND xã Ia Tul");
    some_data(&mut other, "Ia Tul");
    let other_file = dir.path().join("ia-tul.sqlite3");
    create_backup(&other, &other_file, None).unwrap();

    let bad = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let with_sql = |name: &str, sql: &str| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, &good_bytes).unwrap();
        rusqlite::Connection::open(&p).unwrap().execute_batch(sql).unwrap();
        p
    };
    let other_app = dir.path().join("so-ho-tich.sqlite3");
    rusqlite::Connection::open(&other_app)
        .unwrap()
        .execute_batch("CREATE TABLE khai_sinh (ho_ten TEXT); INSERT INTO khai_sinh VALUES ('Rơ Châm H''Bia');")
        .unwrap();
    let cases: Vec<(PathBuf, fn(&SyncError) -> bool)> = vec![
        (bad("words.txt", "Báo cáo tháng 5".as_bytes()), |e| matches!(e, SyncError::NotABackup(_))),
        (bad("empty.sqlite3", b""), |e| matches!(e, SyncError::NotABackup(_))),
        (bad("half.sqlite3", &good_bytes[..good_bytes.len() / 2]), |e| {
            matches!(e, SyncError::BackupDamaged(_) | SyncError::NotABackup(_))
        }),
        (dir.path().join("missing.sqlite3"), |e| matches!(e, SyncError::NotABackup(_))),
        (with_sql("altered-file.sqlite3", "UPDATE backup_files SET content = X'00'"), |e| {
            matches!(e, SyncError::BackupDamaged(_))
        }),
        (with_sql("newer.sqlite3", "PRAGMA user_version = 99"), |e| matches!(e, SyncError::BackupTooNew)),
        (other_app, |e| matches!(e, SyncError::NotABackup(_))),
        (other_file, |e| matches!(e, SyncError::OtherCommuneBackup { .. })),
    ];

    // A PC that holds data (the office PC itself) and one that holds nothing: neither changes.
    let mut targets = [a, fresh(dir.path(), "empty")];
    for store in targets.iter_mut() {
        let data_file = store.data_dir().unwrap().join("kehoach.sqlite3");
        for (file, expected) in &cases {
            if store.op_count().unwrap() == 0 && file.ends_with("ia-tul.sqlite3") {
                continue; // an empty PC may become any commune's PC
            }
            let before = (store.dump_json().unwrap(), store.op_count().unwrap(), attachments(store));
            let file_before = std::fs::read(file).ok();
            let err = restore_backup(store, file, None).expect_err(&format!("{} was accepted", file.display()));
            assert!(expected(&err), "{}: {err:?}", file.display());
            assert!(!err.to_string().is_empty());
            assert_eq!((store.dump_json().unwrap(), store.op_count().unwrap(), attachments(store)), before);
            assert_eq!(std::fs::read(file).ok(), file_before, "the offered file is not written");
            let leftovers: Vec<_> = std::fs::read_dir(data_file.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with(".restore"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
    }
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_the_newest_seven_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = office_pc(dir.path());
    let data_file = a.path().unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    for d in 1..=9 {
        edit(&mut a, 0x600 + d as u128, Kind::Note, "text", json!(format!("Ghi chú ngày {d}")));
        let made = kehoach_sync::auto_backup(&a, day(d)).unwrap().expect("the day's first backup");
        assert_eq!(made.files, 0, "attachments stay in their folder");
        assert!(kehoach_sync::auto_backup(&a, day(d)).unwrap().is_none(), "one a day");
    }
    let kept = kehoach_sync::auto_backups(&data_file);
    let dates: Vec<_> = kept.iter().map(|(_, d)| *d).collect();
    assert_eq!(dates, (3..=9).rev().map(day).collect::<Vec<_>>());
    assert!(kept.iter().all(|(p, _)| p.parent().unwrap().ends_with(kehoach_sync::AUTO_DIR)));
    assert_eq!(std::fs::read_dir(data_file.with_file_name(kehoach_sync::AUTO_DIR)).unwrap().count(), 7);

    // The newest holds everything up to its day.
    let mut b = fresh(dir.path(), "b");
    restore_backup(&mut b, &kept[0].0, None).unwrap();
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());

    // A PC with no data yet keeps no backup.
    let empty = fresh(dir.path(), "empty");
    assert!(kehoach_sync::auto_backup(&empty, day(9)).unwrap().is_none());
}

/// A backup with a passphrase gives nothing away without it: not the data, not the device's
/// keys. Without the passphrase, or with a wrong one, restoring changes nothing.
#[test]
fn a_backup_with_a_passphrase_opens_only_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = office_pc(dir.path());
    let file = dir.path().join("usb/kehoach-sao-luu.sqlite3");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();

    let short = create_backup(&a, &file, Some("0612")).unwrap_err();
    assert!(matches!(short, SyncError::BackupPassphraseTooShort(8)), "{short:?}");
    assert!(!file.exists(), "nothing written for a refused passphrase");

    let pass = "Chư Răng 06 @2026";
    let s = create_backup(&a, &file, Some(pass)).unwrap();
    assert!(s.encrypted);
    assert!(kehoach_sync::last_backup(&a).unwrap().unwrap().encrypted);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    let needle = |n: &[u8]| bytes.windows(n.len()).any(|w| w == n);
    assert!(!needle(b"SQLite format 3"), "the database is not readable as it is");
    assert!(!needle("Chư Răng".as_bytes()) && !needle(b"%PDF"), "neither the data nor the files");
    let leftovers: Vec<_> =
        std::fs::read_dir(file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no plain copy left on the stick: {leftovers:?}");

    let mut b = fresh(dir.path(), "b");
    let before = b.dump_json().unwrap();
    let e = restore_backup(&mut b, &file, None).unwrap_err();
    assert!(matches!(e, SyncError::BackupNeedsPassphrase), "{e:?}");
    let e = restore_backup(&mut b, &file, Some("Chu Rang 06 @2026")).unwrap_err();
    assert!(matches!(e, SyncError::BackupWrongPassphrase), "{e:?}");
    assert_eq!(b.dump_json().unwrap(), before);
    assert_eq!(b.op_count().unwrap(), 0);

    let r = restore_backup(&mut b, &file, Some(pass)).unwrap();
    assert_eq!(r.mode, RestoreMode::Whole);
    assert_eq!(r.files, 1);
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());
    assert_eq!(b.device_id(), a.device_id());
}

/// Issue 14, point 8: a file with a trigger planted in it (here one that would rewrite every
/// later status change) is not restored, whole or merged; nor is a file without the commune's
/// identity merged into a PC of that commune.
#[test]
fn planted_schema_objects_and_anonymous_backups_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.sqlite3")).unwrap();
    kehoach_sync::found_commune(&a).unwrap();
    a.commit(vec![kehoach_core::Change::new(
        kehoach_core::Kind::Task,
        uuid::Uuid::now_v7(),
        "status",
        serde_json::json!("in_progress"),
    )])
    .unwrap();
    let file = dir.path().join("sao-luu.sqlite3");
    kehoach_sync::create_backup(&a, &file, None).unwrap();
    let planted = dir.path().join("co-trigger.sqlite3");
    std::fs::copy(&file, &planted).unwrap();
    let conn = rusqlite::Connection::open(&planted).unwrap();
    conn.execute_batch("CREATE TRIGGER always_done AFTER UPDATE ON tasks BEGIN UPDATE tasks SET status = 'done'; END;")
        .unwrap();
    drop(conn);
    for target in ["empty.sqlite3", "a"] {
        let mut pc = if target == "a" {
            Store::open(&dir.path().join("a.sqlite3")).unwrap()
        } else {
            Store::open(&dir.path().join(target)).unwrap()
        };
        let before = pc.dump_json().unwrap();
        let e = kehoach_sync::restore_backup(&mut pc, &planted, None).unwrap_err().to_string();
        assert!(e.contains("trigger always_done"), "{target}: {e}");
        assert_eq!(pc.dump_json().unwrap(), before);
    }
    drop(a);

    // A PC that never joined a commune makes a backup; it does not merge into a commune's PC.
    let mut loose = Store::open(&dir.path().join("le.sqlite3")).unwrap();
    loose
        .commit(vec![kehoach_core::Change::new(
            kehoach_core::Kind::Plan,
            uuid::Uuid::now_v7(),
            "title",
            serde_json::json!("Kế hoạch không rõ nguồn"),
        )])
        .unwrap();
    let anon = dir.path().join("vo-danh.sqlite3");
    kehoach_sync::create_backup(&loose, &anon, None).unwrap();
    let mut a = Store::open(&dir.path().join("a.sqlite3")).unwrap();
    let before = a.dump_json().unwrap();
    let e = kehoach_sync::restore_backup(&mut a, &anon, None).unwrap_err().to_string();
    assert!(e.contains("không mang mã xã"), "{e}");
    assert_eq!(a.dump_json().unwrap(), before);
}

/// Issue 14, point 8: the data file and every backup are readable by their owner only, and the
/// unencrypted copies a backup or restore killed halfway leaves beside the data file (the keys
/// are in them) are removed before the next one — but not one a backup is writing right now.
#[cfg(unix)]
#[test]
fn data_and_backups_are_private_and_leftovers_of_a_killed_backup_are_removed() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let pc = office_pc(&dir.path().join("may"));
    let home = dir.path().join("may").join("office");
    let data = home.join("kehoach.sqlite3");
    assert_eq!(mode(&data), 0o600, "the data file");
    let plain = dir.path().join("usb").join("sao lưu.sqlite3");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    create_backup(&pc, &plain, None).unwrap();
    assert_eq!(mode(&plain), 0o600, "a backup");
    let sealed = dir.path().join("usb").join("sao lưu có mật khẩu.age");
    create_backup(&pc, &sealed, Some("mật khẩu dài")).unwrap();
    assert_eq!(mode(&sealed), 0o600, "an encrypted backup");

    // What a kill -9 halfway through a backup and a restore leaves: plaintext copies.
    let left = [".sao-luu-0190a1b2.sqlite3", ".sao-luu-0190a1b2.sqlite3-wal", ".restore-0190a1b3.sqlite3"];
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in left {
        let f = std::fs::File::create(home.join(name)).unwrap();
        f.set_modified(old).unwrap();
    }
    // One being written by a backup in another window right now, and the officer's own files.
    std::fs::write(home.join(".sao-luu-0190ffff.sqlite3"), b"now").unwrap();
    std::fs::write(home.join("ghi-chu.txt"), b"of the officer").unwrap();
    assert_eq!(kehoach_sync::clean_leftovers(&pc), 3);
    let mut names: Vec<String> = std::fs::read_dir(&home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("kehoach.sqlite3"))
        .collect();
    names.sort();
    assert_eq!(names, [".sao-luu-0190ffff.sqlite3", "attachments", "ghi-chu.txt"].map(String::from).to_vec());
}

/// A crash between signing a report (committed) and moving its PDF into place leaves the PDF
/// in a hidden part file: the next start puts it in place. A part file no report names (the
/// commit never happened) is removed once stale; a damaged one never takes the real name.
#[test]
fn the_start_finishes_a_signed_pdf_a_crash_kept_from_its_place() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let mut pc = office_pc(&dir.path().join("may"));
    let files = pc.data_dir().unwrap().join("attachments");
    let named = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    let signed = b"%PDF-1.7 signed report".to_vec();
    let sha = named(&signed);
    let report = Uuid::now_v7();
    pc.commit(vec![
        kehoach_core::Change::new(Kind::Report, report, field::report::TITLE, "Báo cáo tháng 11"),
        kehoach_core::Change::new(Kind::Report, report, field::report::SIGNED_PDF, format!("attachments/{sha}.pdf")),
    ])
    .unwrap();
    std::fs::write(files.join(format!(".{sha}.pdf.part")), &signed).unwrap();
    let never_recorded = b"%PDF-1.7 commit refused".to_vec();
    let orphan = files.join(format!(".{}.pdf.part", named(&never_recorded)));
    std::fs::write(&orphan, &never_recorded).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();

    assert_eq!(kehoach_sync::clean_leftovers(&pc), 2);
    assert_eq!(std::fs::read(files.join(format!("{sha}.pdf"))).unwrap(), signed, "put in place");
    assert!(!orphan.exists(), "never recorded: removed");
    assert!(!files.join(format!(".{sha}.pdf.part")).exists());

    // A damaged part file of a recorded report does not take the name.
    std::fs::remove_file(files.join(format!("{sha}.pdf"))).unwrap();
    std::fs::write(files.join(format!(".{sha}.pdf.part")), b"%PDF-1.7 damaged").unwrap();
    kehoach_sync::clean_leftovers(&pc);
    assert!(!files.join(format!("{sha}.pdf")).exists());
}

/// Issue 14, point 8: a backup without a passphrase — the daily ones too — never holds the
/// device's private keys in plain text (here, a machine whose OS offers no keystore: they are
/// left out). Restored on a new PC it brings the data back, and that PC is a new device of the
/// commune, which the others accept before taking its work; one with a passphrase carries the
/// keys, and the PC is itself again.
#[test]
fn backups_without_a_passphrase_hold_no_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = office_pc(dir.path());
    let mut police = fresh(dir.path(), "police");
    pair(&mut a, &mut police);
    let secret = a.local_setting("sync.signing_key").unwrap().expect("the office PC has keys");
    let age_secret = a.local_setting("sync.age_identity").unwrap().unwrap();
    let plain = dir.path().join("usb/sao-luu.sqlite3");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    create_backup(&a, &plain, None).unwrap();
    let daily = kehoach_sync::auto_backup(&a, chrono::NaiveDate::from_ymd_opt(2024, 5, 11).unwrap()).unwrap().unwrap();
    for file in [plain.clone(), PathBuf::from(&daily.path)] {
        let bytes = std::fs::read(&file).unwrap();
        let has = |n: &[u8]| bytes.windows(n.len()).any(|w| w == n);
        if kehoach_sync::keystore::protection() == "none" {
            assert!(!has(secret.as_bytes()), "{}: the signing key in plain text", file.display());
            assert!(!has(age_secret.as_bytes()) && !has(b"AGE-SECRET-KEY-"), "{}: the age key", file.display());
        }
    }

    // Restored on a reinstalled PC: the data, as a new device.
    let mut b = fresh(dir.path(), "reinstalled");
    let r = restore_backup(&mut b, &plain, None).unwrap();
    assert!(r.new_device, "{r:?}");
    assert_ne!(b.device_id(), a.device_id());
    assert_eq!(kehoach_sync::commune(&b).unwrap(), kehoach_sync::commune(&a).unwrap());
    assert!(b.dump_json().unwrap().contains("văn phòng"));
    // Its work reaches the police PC once the officer there accepts the new device.
    edit(&mut b, 0x400, Kind::Note, "text", json!("Ghi chú trên máy cài lại"));
    let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let before = police.dump_json().unwrap();
    assert!(import_bundle(&mut police, &bundle, &ImportOptions::default()).is_err());
    assert_eq!(police.dump_json().unwrap(), before, "refused whole until accepted");
    let accept = ImportOptions { accept_new_device: true };
    import_bundle(&mut police, &bundle, &accept).unwrap();
    assert!(police.dump_json().unwrap().contains("Ghi chú trên máy cài lại"));

    // With a passphrase the keys travel (encrypted), and the PC is the office PC again.
    let sealed = dir.path().join("usb/sao-luu.age");
    create_backup(&a, &sealed, Some("Chư Răng 2024 !")).unwrap();
    let mut c = fresh(dir.path(), "reinstalled-2");
    let r = restore_backup(&mut c, &sealed, Some("Chư Răng 2024 !")).unwrap();
    assert!(!r.new_device);
    assert_eq!(c.device_id(), a.device_id());
    let (bundle, _) = export_bundle(&c, &ExportOptions::default()).unwrap();
    import_bundle(&mut police, &bundle, &ImportOptions::default()).unwrap();
}
