//! RFC 3161 timestamps (PAdES B-T) from a real time-stamping service on loopback (OpenSSL's
//! `openssl ts -reply`): a timestamped signature verifies (ours, `openssl ts -verify`, pdfsig);
//! an unreachable service signs B-B and says so; a wrong answer is refused and writes nothing.

mod common;

use std::process::Command;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use common::tsa::{self, Mode};
use common::*;
use der::{Decode, Encode};
use kehoach_sign::*;
use x509_tsp::TimeStampReq;

const TIMESTAMP_TOKEN: &str = "1.2.840.113549.1.9.16.2.14";

fn appearance(title: &str) -> Appearance {
    Appearance {
        title: title.into(),
        organisation: "UBND xã Chư Răng".into(),
        reason: "Phê duyệt báo cáo".into(),
        ..Default::default()
    }
}

/// The DER CMS of the last signature in `pdf` (its /Contents, zero padding removed), and where
/// its hex lies in the file.
fn last_cms(pdf: &[u8]) -> (Vec<u8>, std::ops::Range<usize>) {
    let at = pdf.windows(10).rposition(|w| w == b"/ByteRange").unwrap();
    let text = String::from_utf8_lossy(&pdf[at + 10..at + 80]).into_owned();
    let nums: Vec<usize> = text
        .trim_start()
        .trim_start_matches('[')
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .map(|s| s.parse().unwrap())
        .collect();
    let (b, c) = (nums[1], nums[2]);
    let hex = &pdf[b + 1..c - 1];
    let bytes: Vec<u8> =
        hex.chunks(2).map(|h| u8::from_str_radix(std::str::from_utf8(h).unwrap(), 16).unwrap()).collect();
    let mut r = der::SliceReader::new(&bytes).unwrap();
    let ci = ContentInfo::decode(&mut r).unwrap();
    (ci.to_der().unwrap(), b + 1..c - 1)
}

/// The signature value and the attached timestamp token of a CMS signature.
fn value_and_token(cms: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
    let sd: SignedData = ContentInfo::from_der(cms).unwrap().content.decode_as().unwrap();
    let si = sd.signer_infos.0.iter().next().unwrap();
    let token = si
        .unsigned_attrs
        .iter()
        .flat_map(|a| a.iter())
        .find(|a| a.oid.to_string() == TIMESTAMP_TOKEN)
        .map(|a| a.values.iter().next().unwrap().to_der().unwrap());
    (si.signature.as_bytes().to_vec(), token)
}

/// `openssl ts -verify` of `token` against the data it should stamp, trusting the TSA's CA.
fn openssl_ts_verify(t: &tsa::Tsa, data: &[u8], token: &[u8]) -> String {
    std::fs::write(t.path("sigvalue.bin"), data).unwrap();
    std::fs::write(t.path("token.der"), token).unwrap();
    let out = Command::new("openssl")
        .args([
            "ts",
            "-verify",
            "-data",
            "sigvalue.bin",
            "-in",
            "token.der",
            "-token_in",
            "-CAfile",
            "tsaca.pem",
            "-untrusted",
            "tsa.pem",
        ])
        .current_dir(t.dir.path())
        .output()
        .unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_timestamped_signature_is_b_t_and_its_token_verifies() {
    let pki = pki();
    let t = tsa::start(Mode::Good);
    let chairman = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let pdf = report_pdf();
    let s = sign_pdf_with(&pdf, &chairman, &appearance("Chủ tịch"), now(), Some(&t.url)).unwrap();
    println!("level: {}\nnote: {}", s.level, s.note);
    assert_eq!(s.level, LEVEL_B_T);
    assert_eq!(t.count(), 1);
    let ts = s.timestamp.as_ref().unwrap();
    assert_eq!(ts.authority, "Máy chủ dấu thời gian thử nghiệm");
    assert!(s.note.contains("Máy chủ dấu thời gian thử nghiệm") && s.note.contains("B-T"), "{}", s.note);
    assert_eq!(&s.pdf[..pdf.len()], &pdf[..], "an incremental update keeps the original bytes");

    // Our verification: B-T, the TSA's time and name, the imprint matches, the TSA's RSA
    // signature checked.
    let infos = verify_pdf(&s.pdf).unwrap();
    println!("{}", serde_json_like(&infos));
    let i = &infos[0];
    assert_eq!(i.integrity, Integrity::Intact, "{i:?}");
    assert_eq!(i.level, "PAdES B-T");
    let v = i.timestamp.as_ref().unwrap();
    assert!(v.is_valid(), "{v:?}");
    assert!(v.imprint_matches && v.signature_checked);
    assert_eq!(v.authority, "Máy chủ dấu thời gian thử nghiệm");
    let gen = chrono::DateTime::parse_from_rfc3339(&v.time).unwrap();
    assert!((now() - gen).num_seconds().abs() < 120, "genTime {gen} is now");

    // OpenSSL on its own: the token in the PDF stamps exactly this signature value.
    let (cms, _) = last_cms(&s.pdf);
    let (value, token) = value_and_token(&cms);
    let out = openssl_ts_verify(&t, &value, token.as_ref().unwrap());
    println!("openssl ts -verify: {out}");
    assert!(out.contains("Verification: OK"), "{out}");
    let out = openssl_ts_verify(&t, b"another signature value", token.as_ref().unwrap());
    assert!(!out.contains("Verification: OK"), "{out}");

    // pdfsig still calls the signature valid.
    let out = pdfsig(&s.pdf);
    println!("pdfsig:\n{out}");
    assert_eq!(pdfsig_counts(&out), (1, 0), "{out}");

    // A second, timestamped signature on top: both stay valid, both B-T.
    let officer = P12Signer::open(&pki.p12("officer"), P12_PASSWORD).unwrap();
    let twice = sign_pdf_with(&s.pdf, &officer, &appearance("Công chức"), now(), Some(&t.url)).unwrap();
    assert_eq!(twice.level, LEVEL_B_T);
    let out = pdfsig(&twice.pdf);
    assert_eq!(pdfsig_counts(&out), (2, 0), "{out}");
    let infos = verify_pdf(&twice.pdf).unwrap();
    assert!(infos.iter().all(|i| i.level == "PAdES B-T" && i.integrity == Integrity::Intact), "{infos:?}");
}

fn serde_json_like(infos: &[SignatureInfo]) -> String {
    format!("{infos:#?}")
}

#[test]
fn an_unreachable_service_signs_b_b_and_says_so() {
    let pki = pki();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let pdf = report_pdf();

    let url = tsa::closed_url();
    let s = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), Some(&url)).unwrap();
    println!("{}", s.note);
    assert_eq!(s.level, LEVEL_B_B);
    assert!(s.timestamp.is_none());
    assert!(s.note.starts_with(&format!("Không lấy được dấu thời gian từ máy chủ {url}: ")), "{}", s.note);
    assert!(s.note.ends_with("Chữ ký ở mức B-B (thời điểm ký theo đồng hồ máy tính)."), "{}", s.note);
    let out = pdfsig(&s.pdf);
    assert_eq!(pdfsig_counts(&out), (1, 0), "{out}");
    let i = &verify_pdf(&s.pdf).unwrap()[0];
    assert_eq!((i.level.as_str(), i.integrity), ("PAdES B-B", Integrity::Intact));
    assert!(i.timestamp.is_none());

    // An HTTP error is the service not being there either.
    let t = tsa::start(Mode::Unavailable);
    let s = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), Some(&t.url)).unwrap();
    assert_eq!(s.level, LEVEL_B_B);
    assert!(s.note.contains("HTTP 503"), "{}", s.note);

    // No service configured: B-B, said plainly.
    let s = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), None).unwrap();
    assert_eq!(s.level, LEVEL_B_B);
    assert!(s.note.contains("Chưa đặt máy chủ dấu thời gian"), "{}", s.note);

    // An https:// service is used like an http one: here nothing listens, so B-B, said plainly.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let url = format!("https://{closed}/tsa");
    let s = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), Some(&url)).unwrap();
    assert_eq!(s.level, LEVEL_B_B);
    assert!(s.note.contains("từ chối kết nối") || s.note.contains("không kết nối được"), "{}", s.note);
    // Any other kind of address is refused before signing.
    let e = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), Some("ftp://tsa.example/")).unwrap_err();
    assert!(matches!(e, SignError::TsaUrl { .. }), "{e}");
}

#[test]
fn a_silent_service_times_out_and_signs_b_b() {
    let pki = pki();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let t = tsa::start(Mode::Silent);
    let started = std::time::Instant::now();
    let s = sign_pdf_with(&report_pdf(), &signer, &appearance("Chủ tịch"), now(), Some(&t.url)).unwrap();
    let waited = started.elapsed();
    println!("{waited:?}: {}", s.note);
    assert_eq!(s.level, LEVEL_B_B);
    assert!(s.note.contains("không trả lời trong 10 giây"), "{}", s.note);
    assert!(waited >= TSA_TIMEOUT && waited < TSA_TIMEOUT + std::time::Duration::from_secs(15), "{waited:?}");
}

/// Signing report `id` with `tsa_url` is refused with a timestamp error, and nothing is kept
/// or recorded; returns the message.
fn refused(tsa_url: &str) -> String {
    let pki = pki();
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let (dir, mut store, report) = saved_report();
    let id = report.id;
    let before = store.dump_json().unwrap();
    let opts = SignOptions { tsa_url: Some(tsa_url.into()), ..Default::default() };
    let e = sign_report(&mut store, id, &signer, &opts, now()).unwrap_err();
    assert!(matches!(e, SignReportError::Sign(SignError::Timestamp { .. })), "{e}");
    assert_eq!(store.dump_json().unwrap(), before, "nothing recorded");
    assert!(!dir.path().join("attachments").exists(), "no signed PDF kept");
    let msg = e.to_string();
    println!("{msg}");
    assert!(msg.starts_with(&format!("Máy chủ dấu thời gian {tsa_url} trả lời không hợp lệ: ")), "{msg}");
    assert!(msg.contains("Tệp chưa được ký"), "{msg}");
    msg
}

#[test]
fn a_token_for_other_data_is_refused() {
    let t = tsa::start(Mode::OtherImprint);
    let msg = refused(&t.url);
    assert!(msg.contains("mã băm không khớp"), "{msg}");
    assert_eq!(t.count(), 1);
}

#[test]
fn a_token_with_another_nonce_is_refused() {
    let t = tsa::start(Mode::Altered(Box::new(|q| {
        let mut req = TimeStampReq::from_der(q).unwrap();
        req.nonce = Some(der::asn1::Int::new(&[0x12, 0x34, 0x56]).unwrap());
        req.to_der().unwrap()
    })));
    let msg = refused(&t.url);
    assert!(msg.contains("nonce"), "{msg}");
}

#[test]
fn a_rejected_request_is_refused() {
    // Asking for a policy the service does not have: OpenSSL answers "rejection".
    let t = tsa::start(Mode::Altered(Box::new(|q| {
        let mut req = TimeStampReq::from_der(q).unwrap();
        req.req_policy = Some("1.2.3.4.99".parse().unwrap());
        req.to_der().unwrap()
    })));
    let msg = refused(&t.url);
    assert!(msg.contains("từ chối"), "{msg}");
}

#[test]
fn a_timestamp_moved_from_another_signature_is_not_valid() {
    let pki = pki();
    let t = tsa::start(Mode::Good);
    let signer = P12Signer::open(&pki.p12("chairman"), P12_PASSWORD).unwrap();
    let pdf = report_pdf();
    let a = sign_pdf_with(&pdf, &signer, &appearance("Chủ tịch"), now(), Some(&t.url)).unwrap().pdf;
    // Another title, so other signed bytes and another signature value (RSA PKCS#1 v1.5 is
    // deterministic: the same bytes signed twice give the same value).
    let b = sign_pdf_with(&pdf, &signer, &appearance("Phó Chủ tịch"), now(), Some(&t.url)).unwrap().pdf;

    // A's signature with B's token in place of its own (outside the signed bytes).
    let (cms_a, hole) = last_cms(&a);
    let (cms_b, _) = last_cms(&b);
    let (_, token_b) = value_and_token(&cms_b);
    let ci = ContentInfo::from_der(&cms_a).unwrap();
    let mut sd: SignedData = ci.content.decode_as().unwrap();
    let mut infos = sd.signer_infos.0.into_vec();
    let mut attrs = infos[0].unsigned_attrs.take().unwrap().into_vec();
    let mut values = der::asn1::SetOfVec::new();
    values.insert(der::Any::from_der(&token_b.unwrap()).unwrap()).unwrap();
    attrs[0].values = values;
    infos[0].unsigned_attrs = Some(attrs.try_into().unwrap());
    sd.signer_infos = cms::signed_data::SignerInfos(infos.try_into().unwrap());
    let swapped =
        ContentInfo { content_type: ci.content_type, content: der::Any::encode_from(&sd).unwrap() }.to_der().unwrap();
    let mut hex: Vec<u8> = swapped.iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
    hex.resize(hole.len(), b'0');
    let mut forged = a.clone();
    forged[hole].copy_from_slice(&hex);

    let i = &verify_pdf(&forged).unwrap()[0];
    assert_eq!(i.integrity, Integrity::Intact, "the signed bytes did not change");
    assert_eq!(i.level, "PAdES B-B", "a timestamp of another signature does not make this one B-T");
    let v = i.timestamp.as_ref().unwrap();
    assert!(!v.imprint_matches && !v.is_valid(), "{v:?}");
    assert!(v.problem.contains("không khớp"), "{}", v.problem);
}
