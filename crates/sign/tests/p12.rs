//! Signing rendered reports with PKCS#12 keys; checked by poppler's pdfsig and verify_pdf.

mod common;

use common::*;
use kehoach_sign::*;

fn appearance(title: &str) -> Appearance {
    Appearance {
        title: title.into(),
        organisation: "UBND xã Chư Răng".into(),
        reason: "Phê duyệt báo cáo Đề án 06".into(),
        location: "Chư Răng, Ia Pa, Gia Lai".into(),
        ..Default::default()
    }
}

#[test]
fn signed_report_is_valid_and_tampering_is_caught() {
    let pki = pki();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let pdf = report_pdf();
    assert!(is_kehoach_report(&pdf));
    let signed = sign_pdf(&pdf, &signer, &appearance("Chủ tịch"), now()).unwrap();
    assert_eq!(&signed[..pdf.len()], &pdf[..], "an incremental update keeps the original bytes");
    std::fs::write(pki.path("signed.pdf"), &signed).unwrap();

    let out = pdfsig(&signed);
    println!("{out}");
    assert_eq!(pdfsig_counts(&out), (1, 0), "{out}");
    assert!(out.contains("ETSI.CAdES.detached"), "{out}");
    assert!(out.contains("Ksor Y Phương"), "{out}");
    assert!(out.contains("Total document signed"), "{out}");

    let infos = verify_pdf(&signed).unwrap();
    assert_eq!(infos.len(), 1);
    let i = &infos[0];
    assert_eq!(i.integrity, Integrity::Intact, "{i:?}");
    assert_eq!(i.signer, "Ksor Y Phương");
    assert_eq!(i.reason, "Phê duyệt báo cáo Đề án 06");
    assert_eq!(i.location, "Chư Răng, Ia Pa, Gia Lai");
    assert_eq!(i.level, "PAdES B-B");
    assert!(i.covers_whole_file);
    assert!(i.signing_time.is_some());

    // The appearance text is in the page (through the widget's ToUnicode): pdftotext does
    // not read annotations, so check the form stream's presence via the widget rectangle.
    assert!(String::from_utf8_lossy(&signed[pdf.len()..]).contains("/Subtype/Widget"));

    let bad = tamper(&signed);
    let out = pdfsig(&bad);
    assert_eq!(pdfsig_counts(&out), (0, 1), "{out}");
    let infos = verify_pdf(&bad).unwrap();
    assert_eq!(infos[0].integrity, Integrity::Modified);
    assert!(infos[0].problem.contains("thay đổi"), "{}", infos[0].problem);
}

#[test]
fn second_signature_keeps_the_first_valid() {
    let pki = pki();
    let officer = P12Signer::open(&pki.p12("officer"), P12_PASSWORD).unwrap();
    let chairman = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let pdf = report_pdf();
    let mut first = appearance("Công chức Văn phòng – Thống kê");
    first.placement = Placement::Footer;
    let once = sign_pdf(&pdf, &officer, &first, now()).unwrap();
    let mut second = appearance("Chủ tịch");
    second.placement = Placement::SignatureBlock;
    let twice = sign_pdf(&once, &chairman, &second, now()).unwrap();
    std::fs::write(pki.path("twice.pdf"), &twice).unwrap();

    let out = pdfsig(&twice);
    println!("{out}");
    assert_eq!(pdfsig_counts(&out), (2, 0), "{out}");
    let infos = verify_pdf(&twice).unwrap();
    assert_eq!(infos.len(), 2);
    assert!(infos.iter().all(|i| i.integrity == Integrity::Intact), "{infos:?}");
    assert_eq!(infos[0].signer, "Nguyễn Thị Bích Ngọc");
    assert!(!infos[0].covers_whole_file);
    assert_eq!(infos[1].signer, "Ksor Y Phương");
    assert!(infos[1].covers_whole_file);
    assert_eq!(infos[0].field, "Chữ ký 1");
    assert_eq!(infos[1].field, "Chữ ký 2");
    // What came after the officer's signature is only the Chairman's.
    assert_eq!(infos[0].after_signing, kehoach_sign::AfterSigning::SignaturesOnly);
    assert_eq!(infos[1].after_signing, kehoach_sign::AfterSigning::Nothing);
}

/// Issue 14, point 6: an incremental update appended after the signature that repaints page 1
/// leaves the signed bytes intact, but the file shown is not the one signed: "bị sửa sau khi ký".
#[test]
fn a_page_repainted_after_signing_is_reported_as_changed() {
    let pki = pki();
    let chairman = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let signed = sign_pdf(&report_pdf(), &chairman, &appearance("Chủ tịch"), now()).unwrap();
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let mut inc = lopdf::IncrementalDocument::create_from(signed.clone(), doc);
    // A new content stream drawn over the page: a white box and other words.
    let cover = inc.new_document.add_object(lopdf::Stream::new(
        lopdf::Dictionary::new(),
        b"1 1 1 rg 0 0 595 842 re f 0 0 0 rg BT /F1 20 Tf 100 700 Td (SO LIEU DA SUA) Tj ET".to_vec(),
    ));
    inc.opt_clone_object_to_new_document(page).unwrap();
    let d = inc.new_document.get_dictionary_mut(page).unwrap();
    let mut contents = match d.get(b"Contents").unwrap().clone() {
        lopdf::Object::Array(a) => a,
        other => vec![other],
    };
    contents.push(lopdf::Object::Reference(cover));
    d.set("Contents", contents);
    let mut altered = Vec::new();
    inc.save_to(&mut altered).unwrap();
    assert!(altered.starts_with(&signed), "an incremental update: the signed bytes are untouched");

    let infos = verify_pdf(&altered).unwrap();
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0].after_signing, kehoach_sign::AfterSigning::Changed, "{infos:?}");
    assert_eq!(infos[0].integrity, Integrity::Modified);
    assert!(
        infos[0].problem.contains("bị sửa sau khi ký") && infos[0].problem.contains("một trang"),
        "{}",
        infos[0].problem
    );
    // The untouched file is intact.
    assert_eq!(verify_pdf(&signed).unwrap()[0].integrity, Integrity::Intact);
}

#[test]
fn wrong_password_is_refused() {
    let pki = pki();
    let err = P12Signer::open(&pki.p12("chairman"), "sai mật khẩu").err().expect("refused");
    assert!(matches!(err, SignError::WrongPassword), "{err:?}");
    assert_eq!(err.to_string(), "Mật khẩu của tệp chứng thư số (.p12) không đúng.");
}

#[test]
fn expired_and_future_certificates_are_refused() {
    let pki = pki();
    let pdf = report_pdf();
    let expired = P12Signer::open(&pki.p12("expired"), P12_PASSWORD).unwrap();
    let err = sign_pdf(&pdf, &expired, &appearance("Chủ tịch"), now()).unwrap_err();
    assert!(matches!(err, SignError::CertExpired { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("đã hết hạn") && msg.contains("01/01/2020") && msg.contains("31/12/2020"), "{msg}");

    let future = P12Signer::open(&pki.p12("future"), P12_PASSWORD).unwrap();
    let err = sign_pdf(&pdf, &future, &appearance("Chủ tịch"), now()).unwrap_err();
    assert!(matches!(err, SignError::CertNotYetValid { .. }), "{err:?}");
    assert!(err.to_string().contains("chưa đến thời hạn hiệu lực"), "{err}");
}

#[test]
fn a_pdf_that_is_not_a_kehoach_report_is_refused() {
    let pki = pki();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    // A PDF from elsewhere: the same report with its marker renamed.
    let pdf = report_pdf();
    let mut other = pdf.clone();
    let needle: Vec<u8> = "kehoach-report".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    // printpdf writes Info strings as UTF-16BE, hex or literal: try both.
    let hex: String = needle.iter().map(|b| format!("{b:02X}")).collect();
    let replaced = if let Some(p) = other.windows(hex.len()).position(|w| w.eq_ignore_ascii_case(hex.as_bytes())) {
        other[p..p + 4].copy_from_slice(b"0078");
        true
    } else if let Some(p) = other.windows(needle.len()).position(|w| w == needle.as_slice()) {
        other[p + 1] = b'x';
        true
    } else {
        false
    };
    assert!(replaced, "the marker is in the Info dictionary");
    assert!(!is_kehoach_report(&other));
    let err = sign_pdf(&other, &signer, &appearance("Chủ tịch"), now()).unwrap_err();
    assert!(matches!(err, SignError::NotKehoachReport), "{err:?}");
    let err = sign_pdf(b"%PDF-1.4 not really", &signer, &appearance("Chủ tịch"), now()).unwrap_err();
    assert!(matches!(err, SignError::BadPdf(_)), "{err:?}");
}
