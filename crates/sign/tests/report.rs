//! Signing a saved report through the same path the app and the CLI use.

mod common;

use common::*;
use kehoach_core::reports;
use kehoach_sign::{sign_report, Integrity, P12Signer, SignOptions};

#[test]
fn a_signed_report_is_kept_recorded_and_valid() {
    let pki = pki();
    let (_dir, mut store, d) = saved_report();

    // A wrong password: refused, and nothing recorded or kept.
    let before = store.dump_json().unwrap();
    assert!(P12Signer::open(&pki.p12("chairman"), "sai mật khẩu").is_err());
    assert_eq!(store.dump_json().unwrap(), before);

    // The officer signs first.
    let officer = P12Signer::open(&pki.p12("officer"), P12_PASSWORD).unwrap();
    let first = sign_report(&mut store, d.id, &officer, &SignOptions::default(), now()).unwrap();
    let frozen = reports::report(&store, d.id).unwrap();
    assert!(frozen.is_frozen());
    assert_eq!(frozen.signed.as_ref().unwrap().signed_by, "Nguyễn Thị Bích Ngọc");
    // Signing issues the version it signs, at the signing time.
    assert_eq!(frozen.status, kehoach_model::ReportStatus::Issued);
    let issued = frozen.issued.clone().expect("issued by the signature");
    assert_eq!((issued.version, issued.method), (frozen.version, kehoach_model::IssueMethod::Digital));
    assert!(!issued.issued_at.is_empty() && issued.issued_at == issued.first_issued_at, "{issued:?}");

    // Then the Chairman signs the same version: his signature goes on the officer's signed
    // file, and both stay valid.
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let r = sign_report(&mut store, d.id, &signer, &SignOptions::default(), now()).unwrap();
    assert!(r.pdf.starts_with(&first.pdf), "an incremental update of the officer's signed file");
    let sigs = kehoach_sign::verify_pdf(&r.pdf).unwrap();
    assert_eq!(sigs.len(), 2);
    // The second signature on the same version keeps the first issue.
    assert_eq!(reports::report(&store, d.id).unwrap().issued, Some(issued.clone()));
    assert!(sigs.iter().all(|s| s.integrity == Integrity::Intact));
    assert!(r.attachment.exists());
    assert_eq!(std::fs::read(&r.attachment).unwrap(), r.pdf);
    let dump = store.dump_json().unwrap();
    assert!(dump.contains(&r.sha256), "the report records the signed PDF's hash");
    let out = pdfsig(&r.pdf);
    assert_eq!(pdfsig_counts(&out), (2, 0), "{out}");

    // The signed version is frozen: an edit makes version 3, unsigned, and signing that
    // renders it afresh (one signature, on the new text).
    let signed_version = reports::report(&store, d.id).unwrap().version;
    let mut c = d.content.clone();
    c.parts[2].text = "Bổ sung sau khi ký.".into();
    let edited = reports::save_report(&mut store, d.id, &c).unwrap();
    assert_eq!(edited.version, signed_version + 1);
    assert!(!edited.is_frozen());
    let again = sign_report(&mut store, d.id, &signer, &SignOptions::default(), now()).unwrap();
    assert_eq!(kehoach_sign::verify_pdf(&again.pdf).unwrap().len(), 1);
    assert!(reports::report(&store, d.id).unwrap().is_frozen());
    // Both signed files stay in the data directory.
    assert!(r.attachment.exists() && again.attachment.exists());

    // A signed copy that went missing (or was altered) is not silently replaced by a fresh one.
    std::fs::write(&again.attachment, b"hong").unwrap();
    let e = sign_report(&mut store, d.id, &officer, &SignOptions::default(), now()).unwrap_err().to_string();
    assert!(e.contains("bản đã ký của phiên bản này"), "{e}");
}

/// Issue 14, point 10: the signed PDF reaches the attachments directory only after the commit
/// that records it. A commit refused at the last step (here a full disk, played by a trigger)
/// leaves no signed file that no report names, and nothing recorded.
#[test]
fn a_refused_commit_leaves_no_signed_pdf_behind() {
    let pki = pki();
    let (dir, mut store, d) = saved_report();
    // The failing disk is played by a trigger put into the data file from outside the app,
    // as a fault would come: the core offers no way to plant one, nor should it.
    let disk = rusqlite::Connection::open(store.path().unwrap()).unwrap();
    disk.execute_batch(
        "CREATE TRIGGER full_disk BEFORE INSERT ON ops BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    .unwrap();
    let before = store.dump_json().unwrap();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let err = sign_report(&mut store, d.id, &signer, &SignOptions::default(), now()).unwrap_err();
    assert!(err.to_string().contains("full"), "{err}");
    assert_eq!(store.dump_json().unwrap(), before, "nothing recorded");
    let left: Vec<String> = std::fs::read_dir(dir.path().join("attachments"))
        .map(|rd| rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no signed PDF (nor its part file) left: {left:?}");

    // The disk has room again: the same report signs, and its file is in place.
    disk.execute_batch("DROP TRIGGER full_disk").unwrap();
    let r = sign_report(&mut store, d.id, &signer, &SignOptions::default(), now()).unwrap();
    assert_eq!(std::fs::read(&r.attachment).unwrap(), r.pdf);
    assert!(r.attachment.ends_with(format!("{}.pdf", r.sha256)));
}
