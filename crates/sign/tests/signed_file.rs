//! Issue 14, point 7: a report's signed PDF is read only from the attachment store, by the
//! hash the record holds, and only when its content is that hash. The record came from another
//! PC, which may name any path (absolute, `..`, a UNC share) or put anything in the hash: then
//! no file is read or opened, and the officer's next signature does not sign that file.

mod common;

use common::*;
use kehoach_core::record::report as field;
use kehoach_core::{Change, Kind};
use kehoach_sign::{sha256_hex, sign_report, signed_pdf_bytes, P12Signer, SignOptions};

#[test]
fn only_the_attachment_stores_file_of_the_recorded_hash_is_read() {
    let pki = pki();
    let (dir, mut store, d) = saved_report();
    let officer = P12Signer::open(&pki.p12("officer"), P12_PASSWORD).unwrap();
    let signed = sign_report(&mut store, d.id, &officer, &SignOptions::default(), now()).unwrap();
    assert_eq!(signed_pdf_bytes(&store, &signed.sha256), Some(signed.pdf.clone()));

    // Another PC's record names a file outside the store, with that file's own hash: it is
    // not read, and the Chairman's signature is refused rather than put on that file.
    let outside = dir.path().join("khac.pdf");
    std::fs::write(&outside, b"%PDF-1.7 not the report").unwrap();
    let outside_sha = sha256_hex(&std::fs::read(&outside).unwrap());
    let mut set = |field: &str, value: String| {
        store.commit(vec![Change::new(Kind::Report, d.id, field, value)]).unwrap();
    };
    set(field::SIGNED_PDF, outside.display().to_string());
    set(field::SIGNED_SHA256, outside_sha.clone());
    assert_eq!(signed_pdf_bytes(&store, &outside_sha), None);
    let chairman = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let e = sign_report(&mut store, d.id, &chairman, &SignOptions::default(), now()).unwrap_err().to_string();
    assert!(e.contains("bản đã ký của phiên bản này"), "{e}");

    // A "hash" that is a path names nothing; nor does a UNC path.
    for bogus in ["../../../../etc/passwd", "\\\\may-khac\\chia-se\\x.exe", "", &outside.display().to_string()] {
        assert_eq!(signed_pdf_bytes(&store, bogus), None, "{bogus}");
    }
    // The store's own file, altered after it was recorded: not read either.
    std::fs::write(&signed.attachment, b"%PDF-1.7 sua").unwrap();
    assert_eq!(signed_pdf_bytes(&store, &signed.sha256), None);
}
