//! Signing with a key on a SoftHSM2 token, initialised by scripts/init-softhsm.sh.
//! One test function: the module keeps process-wide state, so the steps run in order.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use kehoach_sign::pkcs11::{discover_modules, list_tokens, TokenChoice};
use kehoach_sign::*;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

#[test]
fn softhsm_token_signs_and_wrong_pin_is_reported() {
    let pki = pki();
    let hsm = pki.path("softhsm");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/init-softhsm.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(&hsm)
        .arg(pki.path("chairman.key"))
        .arg(pki.path("chairman.pem"))
        .arg(pki.path("ca.pem"))
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "init-softhsm.sh: {}", String::from_utf8_lossy(&out.stderr));
    // Only this test process loads SoftHSM2, and only this test sets the variable.
    std::env::set_var("SOFTHSM2_CONF", hsm.join("softhsm2.conf"));

    let module = Path::new(MODULE);
    assert!(discover_modules().iter().any(|m| m.path == module), "{:?}", discover_modules());

    let tokens = list_tokens(module).unwrap();
    let token = tokens.iter().find(|t| t.label == "kehoach-test").expect("the test token is listed");
    assert!(
        token.certificates.iter().any(|c| c.label == "signer" && c.summary.common_name == "Ksor Y Phương"),
        "{token:?}"
    );

    let choice = TokenChoice { token_label: Some("kehoach-test".into()), key_label: Some("signer".into()) };
    let err = Pkcs11Signer::open(module, "000000", &choice).err().expect("wrong PIN refused");
    assert!(matches!(err, SignError::WrongPin(_)), "{err:?}");
    assert!(err.to_string().starts_with("Mã PIN không đúng."), "{err}");

    let err =
        Pkcs11Signer::open(module, "123456", &TokenChoice { token_label: Some("không có".into()), key_label: None })
            .err()
            .expect("no such token");
    assert!(matches!(err, SignError::NoToken), "{err:?}");

    let err = Pkcs11Signer::open(Path::new("/nonexistent/libvnpt.so"), "123456", &choice).err().expect("no module");
    assert!(matches!(err, SignError::Module { .. }), "{err:?}");

    let signer = Pkcs11Signer::open(module, "123456", &choice).unwrap();
    assert_eq!(signer.certificates().len(), 2, "signer and CA certificates");
    let pdf = report_pdf();
    let appearance = Appearance { title: "Chủ tịch".into(), reason: "Phê duyệt".into(), ..Default::default() };
    let signed = sign_pdf(&pdf, &signer, &appearance, now()).unwrap();
    let out = pdfsig(&signed);
    println!("{out}");
    assert_eq!(pdfsig_counts(&out), (1, 0), "{out}");
    let infos = verify_pdf(&signed).unwrap();
    assert_eq!(infos[0].integrity, Integrity::Intact);
    assert_eq!(infos[0].signer, "Ksor Y Phương");
}
