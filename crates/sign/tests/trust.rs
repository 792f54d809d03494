//! Who stands behind a signature: the chain to a trusted root (installed from a file, or not),
//! a self-signed certificate, the certificate's validity at the signing time (a timestamp's
//! time, else the claimed one), and revocation reported as not checked.

mod common;

use chrono::{FixedOffset, TimeZone, Utc};
use common::*;
use kehoach_sign::*;

fn appearance() -> Appearance {
    Appearance { title: "Chủ tịch".into(), reason: "Phê duyệt báo cáo".into(), ..Default::default() }
}

fn signed_by(pki: &Pki, who: &str) -> Vec<u8> {
    let signer = P12Signer::open(&pki.p12(who), P12_PASSWORD).unwrap();
    sign_pdf(&report_pdf(), &signer, &appearance(), now()).unwrap()
}

fn only_root(pki: &Pki) -> TrustAnchors {
    let mut t = TrustAnchors::none();
    let added = t.add_file(&std::fs::read(pki.path("ca.pem")).unwrap()).unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].common_name, "Kehoach Test CA");
    t
}

fn one(pdf: &[u8], anchors: &TrustAnchors) -> SignatureInfo {
    let mut infos = verify_pdf_trusting(pdf, anchors, Utc::now()).unwrap();
    assert_eq!(infos.len(), 1);
    let i = infos.remove(0);
    println!("trust: {:?}\nvalidity: {:?}\nrevocation: {:?}", i.trust, i.validity, i.revocation);
    i
}

#[test]
fn a_chain_to_an_installed_root_is_trusted_and_without_it_is_not() {
    let pki = pki();
    let pdf = signed_by(&pki, "chairman");

    let i = one(&pdf, &only_root(&pki));
    assert_eq!(i.integrity, Integrity::Intact);
    assert_eq!(i.trust.state, CheckState::Ok, "{:?}", i.trust);
    assert!(i.trust.message.contains("«Kehoach Test CA»"), "{}", i.trust.message);
    assert_eq!(i.validity.state, CheckState::Ok, "{:?}", i.validity);
    assert_eq!(i.time_source, TimeSource::Claimed);
    assert!(i.validity.message.contains("theo đồng hồ máy người ký"), "{}", i.validity.message);
    assert!(i.is_trustworthy());

    // The same file on a PC that never installed the test root: intact, but not vouched for.
    let i = one(&pdf, &TrustAnchors::none());
    assert_eq!(i.integrity, Integrity::Intact);
    assert_eq!(i.trust.state, CheckState::Failed);
    assert!(i.trust.message.starts_with("chứng thư số không do tổ chức được tin cậy cấp"), "{}", i.trust.message);
    assert!(i.trust.message.contains("«Kehoach Test CA»"), "{}", i.trust.message);
    assert!(!i.is_trustworthy());

    // The operating system's store does not hold the test root either.
    let i = one(&pdf, &TrustAnchors::system());
    assert_eq!(i.trust.state, CheckState::Failed, "{:?}", i.trust);
}

#[test]
fn a_self_signed_chairman_certificate_does_not_chain_to_a_trusted_root() {
    let pki = pki();
    let pdf = signed_by(&pki, "selfsigned");
    let i = one(&pdf, &only_root(&pki));
    // The bytes are intact and the certificate is in date: only who issued it is wrong.
    assert_eq!(i.integrity, Integrity::Intact);
    assert_eq!(i.validity.state, CheckState::Ok);
    assert_eq!(i.signer, "Ksor Y Phương");
    assert_eq!(i.trust.state, CheckState::Failed);
    assert!(i.trust.message.contains("không do tổ chức được tin cậy cấp"), "{}", i.trust.message);
    assert!(i.trust.message.contains("chứng thư tự ký"), "{}", i.trust.message);
    assert!(!i.is_trustworthy());
}

#[test]
fn a_certificate_expired_at_the_timestamps_time_is_flagged() {
    let pki = pki();
    let t = common::tsa::start(common::tsa::Mode::Good);
    // The signer's clock set back into 2020, when the certificate was valid: signing accepts
    // it, and the signature claims 15/06/2020...
    let in_2020 = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2020, 6, 15, 9, 0, 0).unwrap();
    let expired = P12Signer::open(&pki.p12("expired"), P12_PASSWORD).unwrap();
    let claimed = sign_pdf(&report_pdf(), &expired, &appearance(), in_2020).unwrap();
    let i = one(&claimed, &only_root(&pki));
    assert_eq!(i.time_source, TimeSource::Claimed);
    assert_eq!(i.validity.state, CheckState::Ok, "{:?}", i.validity);
    assert!(i.validity.message.contains("15/06/2020"), "{}", i.validity.message);
    // ...and the chain is checked at that time too (the root issued it; expiry is one line).
    assert_eq!(i.trust.state, CheckState::Ok, "{:?}", i.trust);

    // ...but a timestamp proves when it really was signed: after the certificate expired.
    let stamped = sign_pdf_with(&report_pdf(), &expired, &appearance(), in_2020, Some(&t.url)).unwrap();
    assert_eq!(stamped.level, LEVEL_B_T);
    let i = one(&stamped.pdf, &only_root(&pki));
    assert_eq!(i.integrity, Integrity::Intact);
    assert_eq!(i.time_source, TimeSource::Timestamp);
    assert_eq!(i.validity.state, CheckState::Failed, "{:?}", i.validity);
    assert!(i.validity.message.contains("ĐÃ HẾT HẠN"), "{}", i.validity.message);
    assert!(i.validity.message.contains("theo dấu thời gian"), "{}", i.validity.message);
    assert!(i.validity.message.contains("31/12/2020"), "{}", i.validity.message);
    assert!(!i.is_trustworthy());
}

#[test]
fn revocation_is_reported_as_not_checked() {
    let pki = pki();
    let i = one(&signed_by(&pki, "chairman"), &only_root(&pki));
    assert_eq!(i.revocation.state, CheckState::Unknown);
    assert!(i.revocation.message.starts_with("không kiểm tra được"), "{}", i.revocation.message);
}

#[test]
fn roots_are_installed_listed_and_removed_on_this_pc_only() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let store = kehoach_core::Store::open(&dir.path().join("k.sqlite3")).unwrap();
    let pdf = signed_by(&pki, "chairman");
    assert_eq!(one(&pdf, &TrustAnchors::for_store(&store).unwrap()).trust.state, CheckState::Failed);

    // A signer's certificate is not an authority's: refused, nothing stored.
    let err = install_roots(&store, &std::fs::read(pki.path("chairman.pem")).unwrap()).unwrap_err();
    assert!(err.to_string().contains("không phải chứng thư của tổ chức cấp chứng thư số (CA)"), "{err}");
    let err = install_roots(&store, b"not a certificate").unwrap_err();
    assert!(err.to_string().starts_with("Tệp chứng thư gốc không dùng được"), "{err}");
    assert!(installed_roots(&store).unwrap().is_empty());

    let ca = std::fs::read(pki.path("ca.pem")).unwrap();
    let added = install_roots(&store, &ca).unwrap();
    assert_eq!(added.len(), 1);
    // Installing it again adds nothing; a DER copy of the same root is the same root.
    assert!(install_roots(&store, &ca).unwrap().is_empty());
    let der = std::process::Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(pki.path("ca.pem"))
        .output()
        .unwrap()
        .stdout;
    assert!(install_roots(&store, &der).unwrap().is_empty());
    let listed = installed_roots(&store).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].common_name, "Kehoach Test CA");
    assert_eq!(listed[0].sha256.len(), 64);
    // Kept as a local setting of this PC: never part of what syncs.
    assert!(store.local_setting(TRUSTED_ROOTS).unwrap().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));

    let i = one(&pdf, &TrustAnchors::for_store(&store).unwrap());
    assert_eq!(i.trust.state, CheckState::Ok, "{:?}", i.trust);

    assert!(remove_roots(&store, "12").is_err());
    assert!(remove_roots(&store, "0000000000").is_err());
    let gone = remove_roots(&store, &listed[0].sha256[..12]).unwrap();
    assert_eq!(gone.len(), 1);
    assert!(installed_roots(&store).unwrap().is_empty());
    assert_eq!(one(&pdf, &TrustAnchors::for_store(&store).unwrap()).trust.state, CheckState::Failed);
}

/// pyHanko's verdict on `pdf` (`pyhanko sign validate --executive-summary`), trusting `roots`
/// only; `None` when pyHanko is not installed and not required (KEHOACH_REQUIRE_PYHANKO unset;
/// scripts/test.sh sets it and KEHOACH_PYHANKO, the program scripts/setup.sh installs).
fn pyhanko(pdf: &[u8], roots: &[&std::path::Path], when: Option<&str>) -> Option<(bool, String)> {
    let program = std::env::var_os("KEHOACH_PYHANKO").unwrap_or_else(|| "pyhanko".into());
    let present = std::process::Command::new(&program).arg("--version").output().is_ok_and(|o| o.status.success());
    if !present {
        assert!(std::env::var_os("KEHOACH_REQUIRE_PYHANKO").is_none(), "pyhanko is required but not installed");
        eprintln!("pyhanko not installed: the cross-check is skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = std::process::Command::new(&program);
    cmd.args(["sign", "validate", "--executive-summary", "--no-revocation-check", "--trust-replace"]);
    for r in roots {
        cmd.arg("--trust").arg(r);
    }
    if let Some(t) = when {
        cmd.args(["--validation-time", t]);
    }
    let out = cmd.arg(&path).output().expect("pyhanko runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("pyhanko: {text}");
    Some((out.status.success(), text))
}

#[test]
fn pyhanko_agrees_on_trusted_untrusted_self_signed_and_expired() {
    let pki = pki();
    let ca = pki.path("ca.pem");
    let chairman = signed_by(&pki, "chairman");
    let selfsigned = signed_by(&pki, "selfsigned");
    let other_root = pki.path("selfsigned.pem");
    for (pdf, roots, ours) in [
        (&chairman, vec![ca.as_path()], true),
        (&chairman, vec![other_root.as_path()], false),
        (&selfsigned, vec![ca.as_path()], false),
    ] {
        let anchors = {
            let mut t = TrustAnchors::none();
            for r in &roots {
                // The self-signed leaf is no CA: given to pyHanko as a root, kept out of ours.
                let _ = t.add_file(&std::fs::read(r).unwrap());
            }
            t
        };
        let i = one(pdf, &anchors);
        assert_eq!(i.is_trustworthy(), ours, "{:?}", i.trust);
        let Some((valid, text)) = pyhanko(pdf, &roots, None) else { return };
        assert_eq!(valid, ours, "pyhanko disagrees: {text}");
        assert_eq!(text.contains(":VALID"), ours, "{text}");
    }

    // The certificate valid through 2020: signed with the clock set to 15/06/2020, valid at
    // the claimed time; with a timestamp from now, expired when it really signed.
    let t = common::tsa::start(common::tsa::Mode::Good);
    let in_2020 = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2020, 6, 15, 9, 0, 0).unwrap();
    let expired = P12Signer::open(&pki.p12("expired"), P12_PASSWORD).unwrap();
    let claimed = sign_pdf(&report_pdf(), &expired, &appearance(), in_2020).unwrap();
    assert!(one(&claimed, &only_root(&pki)).validity.is_ok());
    let (valid, text) = pyhanko(&claimed, &[ca.as_path()], Some("claimed")).unwrap();
    assert!(valid && text.contains(":VALID"), "pyhanko disagrees: {text}");
    let stamped = sign_pdf_with(&report_pdf(), &expired, &appearance(), in_2020, Some(&t.url)).unwrap().pdf;
    assert!(!one(&stamped, &only_root(&pki)).validity.is_ok());
    let tsa_root = t.path("tsaca.pem");
    let (valid, text) = pyhanko(&stamped, &[ca.as_path(), tsa_root.as_path()], None).unwrap();
    assert!(!valid && text.contains(":INVALID"), "pyhanko disagrees: {text}");
}

/// Real certificates chain through an intermediate (the national root CA → a provider's CA →
/// the officer): the signature carries the provider's certificate, the PC trusts the root only.
#[test]
fn a_chain_through_an_intermediate_authority_is_trusted_from_the_root() {
    let pki = pki();
    let d = pki.dir.path();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(d).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    std::fs::write(
        d.join("inter.ext"),
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n",
    )
    .unwrap();
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "inter.key",
        "-out",
        "inter.csr",
        "-utf8",
        "-subj",
        "/CN=Nhà cung cấp thử nghiệm CA/C=VN",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "inter.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "inter.pem",
        "-days",
        "365",
        "-sha256",
        "-extfile",
        "inter.ext",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-utf8",
        "-subj",
        "/CN=Ksor Y Phương/O=UBND xã Chư Răng/C=VN",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "inter.pem",
        "-CAkey",
        "inter.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "365",
        "-sha256",
        "-extfile",
        "ext.cnf",
    ]);
    let p12 = |name: &str, with_intermediate: bool| {
        let mut args = vec!["pkcs12", "-export", "-inkey", "leaf.key", "-in", "leaf.pem", "-out", name];
        if with_intermediate {
            args.extend(["-certfile", "inter.pem"]);
        }
        let pass = format!("pass:{P12_PASSWORD}");
        args.extend(["-passout", &pass]);
        openssl(&args);
        P12Signer::open(&std::fs::read(d.join(name)).unwrap(), P12_PASSWORD).unwrap()
    };

    let pdf = sign_pdf(&report_pdf(), &p12("leaf-chain.p12", true), &appearance(), now()).unwrap();
    let i = one(&pdf, &only_root(&pki));
    assert_eq!(i.trust.state, CheckState::Ok, "{:?}", i.trust);
    assert!(i.trust.message.contains("«Kehoach Test CA»"), "{}", i.trust.message);
    assert!(i.is_trustworthy());
    // Trusting the intermediate's issuer is what counts: with another root, untrusted.
    assert_eq!(one(&pdf, &TrustAnchors::none()).trust.state, CheckState::Failed);

    // A signature that leaves the intermediate out cannot be chained (it is not fetched).
    let pdf = sign_pdf(&report_pdf(), &p12("leaf-alone.p12", false), &appearance(), now()).unwrap();
    let i = one(&pdf, &only_root(&pki));
    assert_eq!(i.trust.state, CheckState::Failed);
    assert!(i.trust.message.contains("«Nhà cung cấp thử nghiệm CA»"), "{}", i.trust.message);
}

/// Serves `dir/crl.der` over HTTP on loopback for every request (503 while it is missing);
/// returns the port.
fn crl_server(dir: std::path::PathBuf) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let answer = match std::fs::read(dir.join("crl.der")) {
                Ok(body) => {
                    let mut a = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    a.extend(body);
                    a
                }
                Err(_) => {
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
                }
            };
            let _ = stream.write_all(&answer);
        }
    });
    port
}

/// Revocation from the CRL the certificate names: not revoked, revoked, the CRL unreachable,
/// an untrusted chain (its CRL cannot be believed), and not looked up at all.
#[test]
fn revocation_is_read_from_the_certificates_crl_when_looked_up() {
    let pki = pki();
    let d = pki.dir.path().to_path_buf();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(&d).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    // A v2 CRL with a CRL number (RFC 5280 requires one, and rustls-webpki reads no other).
    let cnf = std::fs::read_to_string(d.join("ca.cnf")).unwrap();
    let crl_cnf = cnf.replace("[d]\n", "[d]\ncrlnumber=crlnumber\ncrl_extensions=crl_ext\n")
        + "[crl_ext]\nauthorityKeyIdentifier=keyid:always\n";
    std::fs::write(d.join("crl.cnf"), crl_cnf).unwrap();
    std::fs::write(d.join("crlnumber"), "01\n").unwrap();
    let gencrl = || {
        openssl(&[
            "ca", "-config", "crl.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-crldays", "30", "-out",
            "crl.pem",
        ]);
        openssl(&["crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der"]);
    };
    let port = crl_server(d.clone());
    std::fs::write(
        d.join("crl.ext"),
        format!("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\ncrlDistributionPoints=URI:http://127.0.0.1:{port}/ca.crl\n"),
    )
    .unwrap();
    issue(&d, "rev", "/CN=Ksor Y Phương/O=UBND xã Chư Răng/C=VN", "crl.ext");
    let signer = P12Signer::open(&std::fs::read(d.join("rev.p12")).unwrap(), P12_PASSWORD).unwrap();
    let pdf = sign_pdf(&report_pdf(), &signer, &appearance(), now()).unwrap();
    // The same certificate with a timestamp: the time it signed is proven.
    let t = common::tsa::start(common::tsa::Mode::Good);
    let stamped = sign_pdf_with(&report_pdf(), &signer, &appearance(), now(), Some(&t.url)).unwrap().pdf;
    let online = || only_root(&pki).looking_up_revocation();

    gencrl();
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Ok, "{:?}", i.revocation);
    assert!(i.revocation.message.starts_with("chưa bị thu hồi"), "{}", i.revocation.message);
    assert!(i.revocation.message.contains(&format!("http://127.0.0.1:{port}/ca.crl")), "{}", i.revocation.message);
    assert!(i.is_trustworthy());
    // Not looked up: said so, never "OK".
    let i = one(&pdf, &only_root(&pki));
    assert_eq!(i.revocation.state, CheckState::Unknown);
    assert!(i.revocation.message.starts_with("không kiểm tra được"), "{}", i.revocation.message);
    // A chain to no trusted root: whatever its CRL says cannot be believed.
    let i = one(&pdf, &TrustAnchors::none().looking_up_revocation());
    assert_eq!(i.revocation.state, CheckState::Unknown);

    // The provider's server down: "không kiểm tra được", with the reason.
    std::fs::remove_file(d.join("crl.der")).unwrap();
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Unknown);
    assert!(i.revocation.message.contains("không tải được danh sách thu hồi"), "{}", i.revocation.message);
    assert!(i.revocation.message.contains("HTTP 503"), "{}", i.revocation.message);
    assert!(i.is_trustworthy(), "unknown revocation does not count against the signature");

    // Revoked (after signing, but no timestamp proves it): flagged. CRL dates are in whole
    // seconds: the revocation is made a second after the timestamp.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    openssl(&["ca", "-config", "crl.cnf", "-revoke", "rev.pem", "-keyfile", "ca.key", "-cert", "ca.pem"]);
    gencrl();
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Failed, "{:?}", i.revocation);
    assert!(i.revocation.message.starts_with("ĐÃ BỊ THU HỒI"), "{}", i.revocation.message);
    assert!(!i.is_trustworthy());
    // A timestamp proves the signature came before the revocation: it stays good.
    let i = one(&stamped, &online());
    assert_eq!(i.time_source, TimeSource::Timestamp);
    assert_eq!(i.revocation.state, CheckState::Ok, "{:?}", i.revocation);
    assert!(i.revocation.message.contains("sau thời điểm ký theo dấu thời gian"), "{}", i.revocation.message);
    assert!(i.is_trustworthy());
}

/// `openssl ocsp` answering for the test CA on a loopback port, signed with `signer`/`key`
/// (the CA itself, or an impostor); stopped when dropped.
struct Responder(std::process::Child);

impl Responder {
    fn start(dir: &std::path::Path, port: u16, signer: &str, key: &str) -> Responder {
        // Ready when it says so: a probing connection would hold up this one-at-a-time server.
        let log = dir.join(format!("ocsp-{signer}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = std::process::Command::new("openssl")
            .args(["ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", signer, "-rkey", key, "-ndays", "1"])
            .args(["-port", &port.to_string()])
            .current_dir(dir)
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !std::fs::read_to_string(&log).unwrap_or_default().contains("waiting for OCSP client connections") {
            assert!(std::time::Instant::now() < deadline, "openssl ocsp did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Responder(child)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Issue 14, point 6: revocation asked of the OCSP responder the certificate names — good,
/// revoked (with and without a timestamp proving the signature came first), the responder
/// down, and a responder whose answers are signed by someone other than the authority.
#[test]
fn revocation_is_asked_of_the_authoritys_ocsp_responder() {
    let pki = pki();
    let d = pki.dir.path().to_path_buf();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(&d).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    std::fs::write(
        d.join("ocsp.ext"),
        format!("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:{port}/\n"),
    )
    .unwrap();
    issue(&d, "o", "/CN=Ksor Y Phương/O=UBND xã Chư Răng/C=VN", "ocsp.ext");
    openssl(&["ca", "-config", "ca.cnf", "-valid", "o.pem", "-keyfile", "ca.key", "-cert", "ca.pem"]);
    let signer = P12Signer::open(&std::fs::read(d.join("o.p12")).unwrap(), P12_PASSWORD).unwrap();
    let pdf = sign_pdf(&report_pdf(), &signer, &appearance(), now()).unwrap();
    let t = common::tsa::start(common::tsa::Mode::Good);
    let stamped = sign_pdf_with(&report_pdf(), &signer, &appearance(), now(), Some(&t.url)).unwrap().pdf;
    let online = || only_root(&pki).looking_up_revocation();

    // Good.
    let responder = Responder::start(&d, port, "ca.pem", "ca.key");
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Ok, "{:?}", i.revocation);
    assert!(
        i.revocation.message.contains("OCSP") && i.revocation.message.starts_with("chưa bị thu hồi"),
        "{}",
        i.revocation.message
    );
    assert!(i.is_trustworthy());

    // An impostor answering on the responder's address with its own key: not believed.
    drop(responder);
    let impostor = Responder::start(&d, port, "selfsigned.pem", "selfsigned.key");
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Unknown, "{:?}", i.revocation);
    assert!(i.revocation.message.contains("không do tổ chức cấp chứng thư ký"), "{}", i.revocation.message);
    drop(impostor);

    // The responder down: "không kiểm tra được", with the reason.
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Unknown, "{:?}", i.revocation);
    assert!(i.revocation.message.contains("không hỏi được máy chủ OCSP"), "{}", i.revocation.message);

    // Revoked after signing (a second later: OCSP times are whole seconds).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    openssl(&["ca", "-config", "ca.cnf", "-revoke", "o.pem", "-keyfile", "ca.key", "-cert", "ca.pem"]);
    let _responder = Responder::start(&d, port, "ca.pem", "ca.key");
    let i = one(&pdf, &online());
    assert_eq!(i.revocation.state, CheckState::Failed, "{:?}", i.revocation);
    assert!(
        i.revocation.message.starts_with("ĐÃ BỊ THU HỒI") && i.revocation.message.contains("OCSP"),
        "{}",
        i.revocation.message
    );
    assert!(!i.is_trustworthy());
    // A timestamp proves the signature came before the revocation.
    let i = one(&stamped, &online());
    assert_eq!(i.revocation.state, CheckState::Ok, "{:?}", i.revocation);
    assert!(i.revocation.message.contains("sau thời điểm ký theo dấu thời gian"), "{}", i.revocation.message);
}
