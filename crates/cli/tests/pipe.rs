//! `kehoach … | head`: the reader goes away before the output ends. The command stops quietly
//! instead of panicking ("failed printing to stdout: Broken pipe").

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_command_without_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["--db", db.to_str().unwrap(), "device", "found"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success() || out.status.signal() == Some(13), "{:?} {stderr}", out.status);
    // The work itself was done before the output: the commune was founded.
    let again = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["--db", db.to_str().unwrap(), "device", "found"])
        .output()
        .unwrap();
    assert!(again.status.success());
}
