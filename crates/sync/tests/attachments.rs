//! Attachment files travel with the records that name them: evidence files and signed report
//! PDFs are carried in bundles and invitations, checked against the signed manifest and
//! against their own names, and written beside the receiver's database. A bundle whose files
//! are altered or named to escape the attachments directory is refused and changes nothing,
//! neither the database file nor the attachments directory.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use kehoach_core::record as field;
use kehoach_core::tracking::evidence::add_evidence;
use kehoach_core::{Change, Kind, Store};
use kehoach_model::NewEvidence;
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use serde_json::json;
use uuid::Uuid;

const TASK: u128 = 0x200;
const REPORT: u128 = 0x500;

fn sha256(bytes: &[u8]) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

struct Setup {
    dir: tempfile::TempDir,
    /// The sending PC, open.
    a: Store,
    /// The receiving PC's data file, closed; its attachments live beside it.
    b: PathBuf,
}

impl Setup {
    fn b_attachments(&self) -> PathBuf {
        self.b.parent().unwrap().join("attachments")
    }

    fn a_attachments(&self) -> PathBuf {
        self.a.data_dir().unwrap().join("attachments")
    }

    /// Adds evidence with a file through the real API; returns the file's SHA-256.
    fn evidence(&mut self, file_name: &str, body: &[u8]) -> String {
        let src = self.dir.path().join(file_name);
        std::fs::write(&src, body).unwrap();
        let e = add_evidence(
            &mut self.a,
            &NewEvidence {
                task_id: Uuid::from_u128(TASK),
                number: "15/BB-UBND".into(),
                date: "2024-05-10".into(),
                file: Some(src.to_str().unwrap().into()),
                text: None,
            },
        )
        .unwrap();
        let sha = e.sha256.unwrap();
        assert_eq!(sha, sha256(body));
        sha
    }

    /// A report recorded as signed the way `kehoach_sign::sign_report` records it (the PDF in
    /// the attachments directory, its hash and path on the report), without a certificate.
    fn signed_report(&mut self, pdf: &[u8]) -> String {
        let sha = sha256(pdf);
        std::fs::create_dir_all(self.a_attachments()).unwrap();
        std::fs::write(self.a_attachments().join(format!("{sha}.pdf")), pdf).unwrap();
        let id = Uuid::from_u128(REPORT);
        self.a
            .commit(vec![
                Change::new(Kind::Report, id, field::report::TITLE, json!("Báo cáo kết quả tháng 5/2024")),
                Change::new(Kind::Report, id, field::report::SIGNED_SHA256, sha.clone()),
                Change::new(Kind::Report, id, field::report::SIGNED_BY, "Nguyễn Hữu Thành"),
                Change::new(Kind::Report, id, field::report::SIGNED_PDF, format!("attachments/{sha}.pdf")),
            ])
            .unwrap();
        sha
    }
}

/// Two PCs of one commune, each on its own data file in its own directory, trusting each other.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
    }
    let mut a = Store::open(&dir.path().join("a").join("kehoach.sqlite3")).unwrap();
    some_data(&mut a, "A");
    let b_path = dir.path().join("b").join("kehoach.sqlite3");
    let mut b = Store::open(&b_path).unwrap();
    pair(&mut a, &mut b);
    drop(b);
    Setup { dir, a, b: b_path }
}

/// Every file of a directory (none if it does not exist), to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeMap::new() };
    entries
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Imports into B's closed data file, expects a refusal, and checks that neither the database
/// file nor the attachments directory changed by one byte.
fn assert_refused(s: &Setup, bytes: &[u8], expected: impl Fn(&SyncError) -> bool) -> String {
    let (db, files) = (file_bytes(&s.b), snapshot(&s.b_attachments()));
    let mut b = Store::open(&s.b).unwrap();
    let err = import_bundle(&mut b, bytes, &ImportOptions::default()).expect_err("the bundle must be refused");
    assert!(expected(&err), "unexpected error: {err:?}");
    drop(b);
    assert_eq!(db, file_bytes(&s.b), "the database changed although the bundle was refused");
    assert_eq!(files, snapshot(&s.b_attachments()), "the attachments changed although the bundle was refused");
    err.to_string()
}

/// Renames a payload file inside a bundle and signs the matching manifest with the sender's
/// real key: a bundle only the holder of that key could make.
fn rename_payload(s: &Setup, bundle: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut files = unzip(bundle);
    let body = files.remove(from).unwrap();
    files.insert(to.into(), body);
    resign(&zip_files(&files), &signing_key(&s.a), |m| {
        for f in m["files"].as_array_mut().unwrap() {
            if f["path"] == from {
                f["path"] = json!(to);
            }
        }
    })
}

#[test]
fn evidence_and_signed_report_files_travel_with_their_records() {
    let mut s = setup();
    let evidence = b"%PDF-1.7 bien ban nghiem thu \x00\xff".to_vec();
    let pdf = b"%PDF-1.7 bao cao da ky".to_vec();
    let e_sha = s.evidence("Biên bản nghiệm thu.pdf", &evidence);
    let r_sha = s.signed_report(&pdf);

    let (bundle, summary) = export_bundle(&s.a, &ExportOptions::default()).unwrap();
    assert_eq!(
        (summary.attachments, summary.attachment_bytes, summary.attachments_missing, summary.attachments_too_large),
        (2, (evidence.len() + pdf.len()) as u64, 0, 0)
    );

    // Anyone can see with a zip tool what the bundle carries; the manifest lists each file.
    let files = unzip(&bundle);
    let (e_path, r_path) = (format!("attachments/{e_sha}"), format!("attachments/{r_sha}.pdf"));
    assert_eq!(files[&e_path], evidence);
    assert_eq!(files[&r_path], pdf);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed: BTreeMap<String, (u64, String)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["path"].as_str().unwrap().into(), (f["size"].as_u64().unwrap(), f["sha256"].as_str().unwrap().into()))
        })
        .collect();
    assert_eq!(listed[&e_path], (evidence.len() as u64, e_sha.clone()));
    assert_eq!(listed[&r_path], (pdf.len() as u64, r_sha.clone()));
    assert_eq!(listed.len(), 3, "ops.jsonl and the two attachments: {listed:?}");

    let mut b = Store::open(&s.b).unwrap();
    let r = import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(r.attachments, 2);
    assert!(r.applied.by_kind.get("evidence").is_some_and(|n| *n > 0), "{:?}", r.applied);
    assert_eq!(std::fs::read(s.b_attachments().join(&e_sha)).unwrap(), evidence);
    assert_eq!(std::fs::read(s.b_attachments().join(format!("{r_sha}.pdf"))).unwrap(), pdf);
    assert_eq!(b.attachment_path(&e_sha).unwrap(), s.b_attachments().join(&e_sha));
    assert_eq!(data(&b), data(&s.a));
    assert!(snapshot(&s.b_attachments()).keys().all(|n| !n.starts_with(".tmp")), "temporary files left behind");
    drop(b);

    // The same file again: refused as a replay, nothing touched.
    let msg = assert_refused(&s, &bundle, |e| matches!(e, SyncError::Replayed(_)));
    assert!(msg.contains("đã được nhập trước đây"), "{msg}");

    // A new bundle carrying the same records and files: nothing new, nothing rewritten.
    let (again, summary) =
        export_bundle(&s.a, &ExportOptions { to: vec![], since: Some(0), ..Default::default() }).unwrap();
    assert_eq!(summary.attachments, 2);
    let before = snapshot(&s.b_attachments());
    let mut b = Store::open(&s.b).unwrap();
    let r = import_bundle(&mut b, &again, &ImportOptions::default()).unwrap();
    assert_eq!((r.applied.applied, r.attachments), (0, 0), "{:?}", r.applied);
    assert_eq!(data(&b), data(&s.a));
    drop(b);
    assert_eq!(snapshot(&s.b_attachments()), before);
}

#[test]
fn a_bundle_carries_only_the_files_of_the_ops_it_carries() {
    let mut s = setup();
    let first = s.evidence("a.pdf", b"first file");
    let (bundle, _) = export_bundle(&s.a, &ExportOptions::default()).unwrap();
    let mut b = Store::open(&s.b).unwrap();
    import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    let (back, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    import_bundle(&mut s.a, &back, &ImportOptions::default()).unwrap();
    drop(b);

    // B has acknowledged the first evidence: the next bundle to B holds only the second file.
    let second = s.evidence("b.pdf", b"second file");
    let b_id = {
        let b = Store::open(&s.b).unwrap();
        b.device_id().to_string()
    };
    let (bundle, summary) =
        export_bundle(&s.a, &ExportOptions { to: vec![b_id], since: None, ..Default::default() }).unwrap();
    assert_eq!(summary.attachments, 1);
    let mut b = Store::open(&s.b).unwrap();
    let r = import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(r.attachments, 1);
    assert!(s.b_attachments().join(&first).is_file() && s.b_attachments().join(&second).is_file());
}

#[test]
fn altered_attachment_bytes_are_refused_and_nothing_changes() {
    let mut s = setup();
    let sha = s.evidence("bien-ban.pdf", b"the genuine minutes");
    let (bundle, _) = export_bundle(&s.a, &ExportOptions::default()).unwrap();
    let path = format!("attachments/{sha}");

    // Changed inside the zip, manifest untouched: the signed hash no longer matches.
    let mut files = unzip(&bundle);
    files.insert(path.clone(), b"the forged minutes!".to_vec());
    let msg = assert_refused(&s, &zip_files(&files), |e| matches!(e, SyncError::Tampered(_)));
    assert!(msg.contains("Tệp đồng bộ đã bị sửa đổi"), "{msg}");

    // Changed and re-signed with the sender's own key, hash updated: the content no longer
    // matches the name it would be stored under.
    let forged = b"the forged minutes!".to_vec();
    let (len, hash) = (forged.len(), sha256(&forged));
    files.insert(path.clone(), forged);
    let resigned = resign(&zip_files(&files), &signing_key(&s.a), |m| {
        for f in m["files"].as_array_mut().unwrap() {
            if f["path"] == path.as_str() {
                f["size"] = json!(len);
                f["sha256"] = json!(hash);
            }
        }
    });
    let msg = assert_refused(&s, &resigned, |e| matches!(e, SyncError::Tampered(_)));
    assert!(msg.contains("không khớp với tên"), "{msg}");

    // The genuine bundle is still accepted afterwards.
    let mut b = Store::open(&s.b).unwrap();
    assert_eq!(import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap().attachments, 1);
}

#[test]
fn names_that_escape_the_attachments_directory_are_refused() {
    let mut s = setup();
    let sha = s.evidence("bien-ban.pdf", b"minutes");
    let (bundle, _) = export_bundle(&s.a, &ExportOptions::default()).unwrap();
    let from = format!("attachments/{sha}");
    for to in [
        "attachments/../../../escaped".to_string(),
        format!("attachments/../{sha}"),
        format!("attachments/x/../{sha}"),
        format!("../{sha}"),
        format!("/tmp/{sha}"),
        format!("attachments/{}", sha.to_uppercase()),
        format!("attachments/{sha}.exe"),
        format!("attachments\\..\\{sha}"),
        format!("notes/{sha}"),
    ] {
        let crafted = rename_payload(&s, &bundle, &from, &to);
        let msg = assert_refused(&s, &crafted, |e| matches!(e, SyncError::Tampered(_)));
        assert!(msg.contains("tên tệp đính kèm không hợp lệ"), "{to}: {msg}");
    }
    assert!(!s.dir.path().join("escaped").exists() && !s.dir.path().join(&sha).exists());
    assert!(!s.dir.path().join("b").join(&sha).exists());
}

#[test]
fn a_referenced_file_missing_on_the_sender_is_counted_and_the_records_still_arrive() {
    let mut s = setup();
    let kept = s.evidence("kept.pdf", b"kept");
    let lost = s.evidence("lost.pdf", b"lost");
    std::fs::remove_file(s.a_attachments().join(&lost)).unwrap();
    // A damaged local copy is left out the same way: the receiver would refuse it.
    let damaged = s.evidence("damaged.pdf", b"damaged");
    std::fs::write(s.a_attachments().join(&damaged), b"bit rot").unwrap();

    let (bundle, summary) = export_bundle(&s.a, &ExportOptions::default()).unwrap();
    assert_eq!((summary.attachments, summary.attachments_missing), (1, 2));
    let listed: Vec<String> = unzip(&bundle).into_keys().filter(|k| k.starts_with("attachments/")).collect();
    assert_eq!(listed, vec![format!("attachments/{kept}")]);

    let mut b = Store::open(&s.b).unwrap();
    let r = import_bundle(&mut b, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(r.attachments, 1);
    assert_eq!(data(&b), data(&s.a), "the records arrive without their files");
    assert_eq!(snapshot(&s.b_attachments()).into_keys().collect::<Vec<_>>(), vec![kept]);
}

#[test]
fn an_invitation_carries_the_attachments_and_an_in_memory_store_writes_none() {
    let mut s = setup();
    let sha = s.evidence("bien-ban.pdf", b"minutes for the newcomer");
    let invitation = kehoach_sync::create_invitation(&s.a).unwrap();
    assert!(unzip(&invitation).contains_key(&format!("attachments/{sha}")));

    std::fs::create_dir(s.dir.path().join("c")).unwrap();
    let c_path = s.dir.path().join("c").join("kehoach.sqlite3");
    let mut c = Store::open(&c_path).unwrap();
    let joined = kehoach_sync::join(&mut c, &invitation).unwrap();
    assert_eq!(joined.attachments, 1);
    assert_eq!(
        std::fs::read(c_path.parent().unwrap().join("attachments").join(&sha)).unwrap(),
        b"minutes for the newcomer"
    );

    // A hub-style replica keeps records only; the import still succeeds.
    let mut memory = Store::open_in_memory().unwrap();
    assert_eq!(
        kehoach_sync::join(&mut memory, &kehoach_sync::create_invitation(&s.a).unwrap()).unwrap().attachments,
        0
    );
    let (bundle, _) = export_bundle(&s.a, &ExportOptions { to: vec![], since: Some(0), ..Default::default() }).unwrap();
    let r = import_bundle(&mut memory, &bundle, &ImportOptions::default()).unwrap();
    assert_eq!(r.attachments, 0);
    // And an in-memory sender has no files to send: they are counted as missing.
    let (_, summary) = export_bundle(&memory, &ExportOptions::default()).unwrap();
    assert_eq!((summary.attachments, summary.attachments_missing), (0, 1));
}
