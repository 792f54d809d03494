//! One app window per data file.
//!
//! Two windows of the app on one data file would both write as the same PC (one device id,
//! two clocks) and each would miss the other's changes on screen. The app takes an exclusive
//! lock on a small file beside the data file for as long as it runs; a second window is told
//! the file is open in another one. The operating system drops the lock when the process ends,
//! also after a crash, so a lock is never left behind. The `kehoach` command does not take it:
//! a district IT officer may read or script a PC's data while the app is open (SQLite's own
//! locking keeps the writes apart).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::{CoreError, Result};

/// Held for as long as the app uses the data file; dropping it lets another window open it.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    /// The lock file (beside the data file).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of `data_file`: `kehoach.sqlite3` → `kehoach.sqlite3.lock`. A separate file,
/// because on Windows a lock on the data file itself would also stop SQLite's reads and writes.
pub fn lock_path(data_file: &Path) -> PathBuf {
    let mut name = data_file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    data_file.with_file_name(name)
}

/// Takes the lock for `data_file`, waiting up to `patience` for another window to let go of it
/// (one the officer just closed may still be finishing its work), or says in Vietnamese that
/// the file is open in another window.
pub fn lock_waiting(data_file: &Path, patience: std::time::Duration) -> Result<InstanceLock> {
    let until = std::time::Instant::now() + patience;
    loop {
        match lock(data_file) {
            Err(CoreError::InUse { .. }) if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

/// Takes the lock for `data_file`, or says (in Vietnamese) that another window has it.
pub fn lock(data_file: &Path) -> Result<InstanceLock> {
    let path = lock_path(data_file);
    let open_err = |e: std::io::Error| CoreError::Open { path: path.display().to_string(), reason: e.to_string() };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(open_err)?;
    }
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(open_err)?;
    match file.try_lock() {
        Ok(()) => Ok(InstanceLock { _file: file, path }),
        Err(TryLockError::WouldBlock) => Err(CoreError::InUse { path: data_file.display().to_string() }),
        Err(TryLockError::Error(e)) => Err(open_err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_window_is_told_the_file_is_open_elsewhere_until_the_first_closes() {
        let dir = tempfile::tempdir().unwrap();
        // Spaces and Vietnamese letters, as in a Windows user's folder name.
        let data = dir.path().join("Dữ liệu xã Tân Phú").join("kehoach.sqlite3");
        let first = lock(&data).unwrap();
        assert_eq!(first.path(), data.with_file_name("kehoach.sqlite3.lock"));
        let err = lock(&data).unwrap_err();
        assert!(matches!(err, CoreError::InUse { .. }));
        let msg = err.to_string();
        assert!(msg.contains("đang mở ở cửa sổ khác"), "{msg}");
        assert!(msg.contains("Dữ liệu xã Tân Phú"), "{msg}");
        // Another data file is not affected.
        let other = lock(&dir.path().join("khac.sqlite3")).unwrap();
        drop(first);
        let again = lock(&data).unwrap();
        drop(other);
        // A window closing while the next one starts: the next one waits for it.
        let closing = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(again);
        });
        let t = std::time::Instant::now();
        lock_waiting(&data, std::time::Duration::from_secs(5)).unwrap();
        assert!(t.elapsed() >= std::time::Duration::from_millis(250));
        closing.join().unwrap();
        let held = lock(&data);
        assert!(lock_waiting(&data, std::time::Duration::from_millis(200)).is_err());
        drop(held);
    }
}
