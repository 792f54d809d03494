//! `kehoach report verify` on who stands behind a signature, through the real binary: the
//! chain to a root installed with `kehoach report trust add` (or given with --root), a
//! self-signed "Chủ tịch" certificate, revocation shown as not checked, and the exit codes
//! (0 trusted, 2 changed after signing, 3 intact but not vouched for).

mod common;
#[path = "../../sign/tests/common/mod.rs"]
mod sign_common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// A kehoach report signed now with `who`'s .p12 from the test PKI, written into `dir`.
fn signed(pki: &sign_common::Pki, who: &str, dir: &Path) -> String {
    let signer = kehoach_sign::P12Signer::open(&pki.p12(who), sign_common::P12_PASSWORD).unwrap();
    let appearance = kehoach_sign::Appearance { title: "Chủ tịch".into(), ..Default::default() };
    let pdf = kehoach_sign::sign_pdf(&sign_common::report_pdf(), &signer, &appearance, sign_common::now()).unwrap();
    let path = dir.join(format!("{who}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    path.to_str().unwrap().to_string()
}

/// verify's exit code and stdout.
fn verify(db: &Path, args: &[&str]) -> (i32, String) {
    let out = kehoach(db, &[&["report", "verify"][..], args].concat()).get_output().clone();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_self_signed_chairman_certificate_is_flagged_and_exits_3() {
    let pki = sign_common::pki();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    kehoach(&db, &["report", "trust", "add", pki.path("ca.pem").to_str().unwrap()]).success();
    let pdf = signed(&pki, "selfsigned", dir.path());

    let (code, text) = verify(&db, &[&pdf]);
    println!("{text}");
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("Tình trạng: nguyên vẹn"), "{text}");
    assert!(
        text.contains(
            "Chuỗi chứng thư: KHÔNG ĐẠT — chứng thư số không do tổ chức được tin cậy cấp: đây là chứng thư tự ký"
        ),
        "{text}"
    );
    assert!(text.contains("Hiệu lực khi ký: đạt — "), "{text}");
    assert!(text.contains("Thu hồi: không kiểm tra được"), "{text}");
    assert!(text.contains("Kết luận: KHÔNG ĐỦ TIN CẬY"), "{text}");

    let (code, out) = verify(&db, &[&pdf, "--json"]);
    assert_eq!(code, 3);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["integrity"], "intact");
    assert_eq!(v[0]["trust"]["state"], "failed");
    assert_eq!(v[0]["validity"]["state"], "ok");
    assert_eq!(v[0]["revocation"]["state"], "unknown");
    assert_eq!(v[0]["time_source"], "claimed");
}

#[test]
fn the_chain_is_trusted_once_its_root_is_installed_and_not_after_removal() {
    let pki = sign_common::pki();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let pdf = signed(&pki, "chairman", dir.path());
    let ca = pki.path("ca.pem");
    let ca = ca.to_str().unwrap();

    // Nothing installed: intact, but the issuer is unknown to this PC.
    let (code, text) = verify(&db, &[&pdf]);
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("Chuỗi chứng thư: KHÔNG ĐẠT — chứng thư số không do tổ chức được tin cậy cấp: tổ chức cấp «Kehoach Test CA»"),
        "{text}"
    );
    // The root given for this check only.
    let (code, text) = verify(&db, &[&pdf, "--root", ca]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(verify(&db, &[&pdf]).0, 3, "--root installs nothing");

    // A signer's certificate is refused as a root, with nothing installed.
    let e = stderr(kehoach(&db, &["report", "trust", "add", pki.path("chairman.pem").to_str().unwrap()]));
    assert!(e.contains("không phải chứng thư của tổ chức cấp chứng thư số (CA)"), "{e}");
    assert!(stdout(kehoach(&db, &["report", "trust", "list"])).contains("Chưa cài chứng thư gốc nào"));

    let text = stdout(kehoach(&db, &["report", "trust", "add", ca]));
    assert!(text.contains("Từ nay máy này tin cậy chứng thư gốc:") && text.contains("Kehoach Test CA"), "{text}");
    let (code, text) = verify(&db, &[&pdf]);
    println!("{text}");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(
            "Chuỗi chứng thư: đạt — chứng thư số do tổ chức được tin cậy cấp (chuỗi chứng thư đến «Kehoach Test CA»)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Hiệu lực khi ký: đạt — chứng thư số có hiệu lực vào thời điểm ký theo đồng hồ máy người ký"),
        "{text}"
    );
    assert!(text.contains("Thu hồi: không kiểm tra được"), "{text}");
    assert!(text.contains("Kết luận: chữ ký hợp lệ"), "{text}");
    // The test certificate names no OCSP responder and no CRL: looked up, nothing to look at.
    assert!(
        text.contains(
            "Thu hồi: không kiểm tra được: chứng thư không ghi máy chủ OCSP hay nơi công bố danh sách thu hồi (CRL)"
        ),
        "{text}"
    );
    let (code, text) = verify(&db, &[&pdf, "--offline"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Thu hồi: không kiểm tra được: lần kiểm tra này không tra cứu tình trạng thu hồi"), "{text}");

    // A file changed after signing still exits 2, whatever the chain.
    let bad = dir.path().join("bad.pdf");
    std::fs::write(&bad, sign_common::tamper(&std::fs::read(&pdf).unwrap())).unwrap();
    assert_eq!(verify(&db, &[bad.to_str().unwrap()]).0, 2);

    let roots = json(&db, &["report", "trust", "list", "--json"]);
    assert_eq!(roots.as_array().unwrap().len(), 1);
    let fp = roots[0]["sha256"].as_str().unwrap()[..16].to_string();
    let text = stdout(kehoach(&db, &["report", "trust", "remove", &fp]));
    assert!(text.contains("Đã thôi tin cậy chứng thư gốc") && text.contains("Kehoach Test CA"), "{text}");
    assert_eq!(verify(&db, &[&pdf]).0, 3);
}
