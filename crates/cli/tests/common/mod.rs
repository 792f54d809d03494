//! Running the real `kehoach` binary on a data file, shared by the CLI test files.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

pub fn kehoach(db: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("kehoach").unwrap().arg("--db").arg(db).args(args).assert()
}

/// [`kehoach`] with environment variables set (passphrases are passed that way).
pub fn kehoach_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("kehoach").unwrap().arg("--db").arg(db).args(args).envs(env.iter().copied()).assert()
}

/// The command succeeds and prints JSON.
pub fn json(db: &Path, args: &[&str]) -> Value {
    let out = kehoach(db, args).success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out)))
}

/// The canonical state, to compare before and after a refused command.
pub fn dump(db: &Path) -> String {
    String::from_utf8(kehoach(db, &["dump", "--json"]).success().get_output().stdout.clone()).unwrap()
}

/// A dump without the statements admitting devices to the commune, which each PC signs and
/// the others learn at their next exchange (as the sync crate's tests compare data).
pub fn without_admissions(dump: &str) -> serde_json::Value {
    let mut d: serde_json::Value = serde_json::from_str(dump).unwrap();
    let entities = d["entities"].as_object_mut().unwrap();
    for e in entities.values_mut().filter(|e| e["kind"] == "user") {
        e["fields"].as_object_mut().unwrap().remove("admission");
    }
    entities.retain(|_, e| e["kind"] != "user" || !e["fields"].as_object().unwrap().is_empty());
    d
}

pub fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.success().get_output().stdout.clone()).unwrap()
}

/// The command fails; its message.
pub fn stderr(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.failure().get_output().stderr.clone()).unwrap()
}

/// `kehoach setup` for the commune the tests run in, with `signer` as its Chairman.
pub fn setup_chu_rang(db: &Path, signer: &str) {
    let args = ["setup", "--commune", "UBND xã Chư Răng", "--parent", "UBND huyện Ia Pa", "--place", "Chư Răng"];
    kehoach(db, &[&args[..], &["--signer", signer]].concat()).success();
}

/// `kehoach-hub`, built beside `kehoach` by the test script, on a loopback port.
pub struct Hub {
    child: Child,
    pub url: String,
}

pub fn hub_bin() -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("kehoach").with_file_name("kehoach-hub");
    assert!(bin.exists(), "{} missing: build it first (cargo build -p kehoach-hub)", bin.display());
    bin
}

pub fn hub_admin(data: &Path, args: &[&str]) {
    let out = std::process::Command::new(hub_bin()).arg("--data").arg(data).args(args).output().unwrap();
    assert!(out.status.success(), "kehoach-hub {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

impl Hub {
    pub fn start(data: &Path) -> Hub {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(hub_bin())
            .arg("--data")
            .arg(data)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Owned by the Hub from here: dropped (killed and waited for) however the test ends.
        let hub = Hub { child, url: format!("http://127.0.0.1:{port}") };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return hub;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("kehoach-hub did not start");
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
