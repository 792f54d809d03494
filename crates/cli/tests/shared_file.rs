//! The app keeps the data file open (its window and its sync worker, two connections) while an
//! officer or a script may run `kehoach` on the same file. SQLite's locks are the process's
//! POSIX locks, which a process loses when any of its own descriptors of that file is closed:
//! opening the second connection must not touch the file itself (making it private once did),
//! or another process finds nobody holding it — and may, at its exit, checkpoint and remove the
//! write-ahead log the app is still writing to, losing the app's later saves.

use kehoach_core::record as field;
use kehoach_core::{Change, Kind, Store};
use uuid::Uuid;

/// Whether another process can take the lock SQLite's last connection takes before it removes
/// the write-ahead log (an exclusive lock over the database file's shared-lock bytes).
#[cfg(unix)]
fn another_process_could_remove_the_log(path: &std::path::Path) -> bool {
    let probe = "import fcntl, sys\nf = open(sys.argv[1], 'r+b')\ntry:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)\n    print('free')\nexcept OSError:\n    print('held')\n";
    let out = std::process::Command::new("python3").args(["-c", probe, path.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim() == "free"
}

#[cfg(unix)]
#[test]
fn a_second_connection_of_the_app_keeps_the_first_ones_locks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kehoach.sqlite3");
    let title = |s: &str| vec![Change::new(Kind::Plan, Uuid::from_u128(7), field::plan::TITLE, s)];
    // The app: its window's connection, then its sync worker's.
    let mut window = Store::open(&path).unwrap();
    window.commit(title("Kế hoạch trước khi chạy lệnh")).unwrap();
    assert!(!another_process_could_remove_the_log(&path), "held by the window's connection");
    let worker = Store::open(&path).unwrap();
    assert!(!another_process_could_remove_the_log(&path), "the worker's opening dropped the window's locks");
    // A command in its own process reads the file and exits; the app saves again, and closes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["--db", path.to_str().unwrap(), "dump", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    window.commit(title("Kế hoạch sửa sau khi chạy lệnh")).unwrap();
    drop((window, worker));
    let again = Store::open(&path).unwrap();
    assert!(again.dump_json().unwrap().contains("Kế hoạch sửa sau khi chạy lệnh"), "the app's later save was lost");
}
