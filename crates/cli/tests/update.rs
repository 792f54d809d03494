//! `kehoach update check` refuses what the pinned release key did not sign; `update sign` and
//! `update keygen` are what a release uses.

use assert_cmd::Command;

fn kehoach() -> Command {
    Command::cargo_bin("kehoach").unwrap()
}

#[test]
fn an_update_signed_with_another_key_is_refused_with_a_message() {
    let out = kehoach().args(["update", "keygen"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let secret = text.lines().find_map(|l| l.strip_prefix("secret ")).unwrap().to_string();
    assert_eq!(secret.len(), 64);

    let dir = tempfile::tempdir().unwrap();
    let installer = dir.path().join("kehoach_9.0.0_amd64.deb");
    std::fs::write(&installer, b"!<arch>\n not really a deb").unwrap();
    kehoach()
        .args(["update", "sign"])
        .arg(&installer)
        .args(["--version", "9.0.0", "--platform", "linux-amd64", "--key-env", "KHOA_THU"])
        .env("KHOA_THU", &secret)
        .assert()
        .success();
    assert!(dir.path().join("kehoach_9.0.0_amd64.deb.kehoach-update.json").is_file());

    let out = kehoach().args(["update", "check"]).arg(&installer).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("không có chữ ký hợp lệ"), "{err}");

    // Without the installer's description there is nothing to check.
    let out = kehoach().args(["update", "check"]).arg(dir.path().join("khac.exe")).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("Không đọc được bản cập nhật"));
}

/// With the tests' key (accepted by debug builds only; the packaged program refuses it, see
/// scripts/test-package.sh) a whole, newer update is accepted, and the same with one byte
/// changed is refused.
#[test]
fn an_update_signed_with_a_trusted_key_is_accepted_until_a_byte_changes() {
    let secret = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/update/test-release-key.secret"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("USB cập nhật");
    std::fs::create_dir_all(&folder).unwrap();
    let installer = folder.join("kehoach_99.0.0_amd64.deb");
    std::fs::write(&installer, b"!<arch>\n a newer kehoach").unwrap();
    kehoach()
        .args(["update", "sign"])
        .arg(&installer)
        .args(["--version", "99.0.0", "--platform", "linux-amd64", "--key-env", "KHOA_THU"])
        .env("KHOA_THU", secret.trim())
        .assert()
        .success();
    let out = kehoach().args(["update", "check"]).arg(&installer).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Có phiên bản mới: kehoach 99.0.0"), "{text}");

    std::fs::write(&installer, b"!<arch>\n a newer kehoaCH").unwrap();
    let out = kehoach().args(["update", "check"]).arg(&installer).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("không đúng với bản đã ký"), "{err}");
}
