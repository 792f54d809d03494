//! `kehoach report sign … --tsa URL` and `kehoach report verify` through the real binary, with
//! a real RFC 3161 service on loopback (OpenSSL's `openssl ts -reply`, from the signing
//! crate's test fixtures): B-T when the service answers, B-B with a note when it cannot be
//! reached, refused with no file written when it answers wrongly.

mod common;
// The signing crate's fixtures: the throwaway PKI, pdfsig, and the test TSA.
#[path = "../../sign/tests/common/mod.rs"]
mod sign_common;

use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::Value;
use sign_common::tsa::{self, Mode};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/plans/xa-chu-rang-2023.txt");
const PASSWORD_VAR: &str = "KEHOACH_TEST_P12_PASSWORD";

/// A data file with one drafted report; its id.
fn report(db: &Path) -> String {
    setup_chu_rang(db, "Ksor Y Phương");
    let plan = stdout(kehoach(db, &["plan", "import", PLAN])).split('\t').next().unwrap().to_string();
    let out = stdout(kehoach(
        db,
        &["report", "draft", "--plan", &plan, "--period", "2023-04", "--date", "2023-05-08", "--json"],
    ));
    let d: Value = serde_json::from_str(&out).unwrap();
    d["id"].as_str().unwrap().to_string()
}

/// `kehoach report sign` with the chairman's .p12 and its password in the environment.
fn sign(db: &Path, p12: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("kehoach")
        .unwrap()
        .env(PASSWORD_VAR, sign_common::P12_PASSWORD)
        .arg("--db")
        .arg(db)
        .args(["report", "sign"])
        .args(args)
        .arg("--p12")
        .arg(p12)
        .args(["--password-env", PASSWORD_VAR])
        .assert()
}

#[test]
fn report_sign_with_tsa_is_b_t_and_verify_shows_the_timestamp() {
    let pki = sign_common::pki();
    let t = tsa::start(Mode::Good);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let id = report(&db);
    let p12 = pki.path("chairman.p12");
    let pdf = dir.path().join("bc-ky.pdf");
    let pdf_s = pdf.to_str().unwrap();

    let out = sign(&db, &p12, &[&id, "--pdf", pdf_s, "--tsa", &t.url, "--json"]).success().get_output().stdout.clone();
    let signed: Value = serde_json::from_slice(&out).unwrap();
    println!("{signed:#}");
    assert_eq!(signed["level"], "PAdES B-T");
    assert_eq!(signed["timestamp"]["authority"], "Máy chủ dấu thời gian thử nghiệm");
    assert!(signed["note"].as_str().unwrap().contains("Chữ ký ở mức B-T"), "{signed}");
    assert_eq!(t.count(), 1);

    // The test PKI's root installed, so that verify vouches for the signer (exit 0).
    kehoach(&db, &["report", "trust", "add", pki.path("ca.pem").to_str().unwrap()]).success();
    let v = json(&db, &["report", "verify", pdf_s, "--json"]);
    println!("{v:#}");
    let s = &v[0];
    assert_eq!(s["level"], "PAdES B-T");
    assert_eq!(s["integrity"], "intact");
    assert_eq!(s["timestamp"]["authority"], "Máy chủ dấu thời gian thử nghiệm");
    assert_eq!(s["timestamp"]["imprint_matches"], true);
    assert!(chrono::DateTime::parse_from_rfc3339(s["timestamp"]["time"].as_str().unwrap()).is_ok(), "{s}");
    // The fields that were there before the timestamp are still there.
    for k in [
        "field",
        "signer",
        "subject",
        "issuer",
        "signing_time",
        "not_before",
        "not_after",
        "sub_filter",
        "covers_whole_file",
        "problem",
        "reason",
        "location",
    ] {
        assert!(s.get(k).is_some(), "{k} missing: {s}");
    }

    let text = stdout(kehoach(&db, &["report", "verify", pdf_s]));
    println!("{text}");
    assert!(text.contains("Mức: PAdES B-T (ETSI.CAdES.detached)"), "{text}");
    assert!(
        text.contains("Dấu thời gian: ")
            && text.contains("cấp bởi «Máy chủ dấu thời gian thử nghiệm», khớp với chữ ký"),
        "{text}"
    );
    assert!(
        text.contains("Hiệu lực khi ký: đạt — chứng thư số có hiệu lực vào thời điểm ký theo dấu thời gian"),
        "{text}"
    );

    let out = sign_common::pdfsig(&std::fs::read(&pdf).unwrap());
    println!("pdfsig:\n{out}");
    assert_eq!(sign_common::pdfsig_counts(&out), (1, 0), "{out}");
}

#[test]
fn an_unreachable_tsa_signs_b_b_and_says_so() {
    let pki = sign_common::pki();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let id = report(&db);
    let input = dir.path().join("bc.pdf");
    kehoach(&db, &["report", "render", &id, "--pdf", input.to_str().unwrap()]).success();
    let pdf = dir.path().join("bc-ky.pdf");
    let url = tsa::closed_url();

    // The --input form (a rendered PDF signed as it is).
    let text = String::from_utf8(
        sign(
            &db,
            &pki.path("chairman.p12"),
            &["--input", input.to_str().unwrap(), "--pdf", pdf.to_str().unwrap(), "--tsa", &url],
        )
        .success()
        .get_output()
        .stdout
        .clone(),
    )
    .unwrap();
    println!("{text}");
    assert!(text.contains("Mức chữ ký: PAdES B-B"), "{text}");
    assert!(text.contains(&format!("Không lấy được dấu thời gian từ máy chủ {url}: ")), "{text}");
    assert!(text.contains("Chữ ký ở mức B-B (thời điểm ký theo đồng hồ máy tính)."), "{text}");
    kehoach(&db, &["report", "trust", "add", pki.path("ca.pem").to_str().unwrap()]).success();
    let v = json(&db, &["report", "verify", pdf.to_str().unwrap(), "--json"]);
    assert_eq!(v[0]["level"], "PAdES B-B");
    assert_eq!(v[0]["integrity"], "intact");
    assert!(v[0]["timestamp"].is_null(), "{v}");
    let text = stdout(kehoach(&db, &["report", "verify", pdf.to_str().unwrap()]));
    assert!(text.contains("Dấu thời gian: không có"), "{text}");
}

#[test]
fn a_wrong_answer_from_the_tsa_is_refused_and_writes_nothing() {
    let pki = sign_common::pki();
    let t = tsa::start(Mode::OtherImprint);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let id = report(&db);
    let before = dump(&db);
    let pdf = dir.path().join("bc-ky.pdf");

    let e = String::from_utf8(
        sign(&db, &pki.path("chairman.p12"), &[&id, "--pdf", pdf.to_str().unwrap(), "--tsa", &t.url])
            .failure()
            .get_output()
            .stderr
            .clone(),
    )
    .unwrap();
    println!("{e}");
    assert!(e.contains(&format!("Máy chủ dấu thời gian {} trả lời không hợp lệ", t.url)), "{e}");
    assert!(e.contains("mã băm không khớp"), "{e}");
    assert!(!pdf.exists(), "no signed PDF written");
    assert!(!dir.path().join("attachments").exists(), "no copy kept");
    assert_eq!(dump(&db), before, "nothing recorded on the report");
}
