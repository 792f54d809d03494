//! When the data file cannot be opened at start (damaged disk, a file copied over it, a file
//! from a newer kehoach), the window still comes up, says why, and offers a way on: restore a
//! backup, or start empty (then join the commune again with an invitation). Either way the
//! unusable file is kept, renamed beside the new one, never deleted — someone may still be
//! able to recover it. A file from a newer kehoach is only reported: it is sound, and the fix
//! is to install that version.

use std::path::{Path, PathBuf};

use kehoach_core::{CoreError, Store};
use kehoach_model::contract::{self as cmd, AutoBackup, CommandError};
use tauri::{AppHandle, Emitter, State};

use crate::error::fail;
use crate::{changed, poisoned, Ans, App, Res};

/// Why the data file could not be opened when the app started.
pub type StartupProblem = cmd::DataFileProblem;

/// The problem `e` with the data file at `path`, as the rescue screen shows it.
pub fn startup_problem_of(path: &Path, e: &CoreError) -> StartupProblem {
    StartupProblem {
        path: path.display().to_string(),
        message: e.to_string(),
        can_set_aside: !matches!(e, CoreError::TooNew { .. } | CoreError::InUse { .. }),
        auto_backups: kehoach_sync::auto_backups(path)
            .into_iter()
            .map(|(p, d)| AutoBackup { path: p.display().to_string(), date: d.to_string() })
            .collect(),
    }
}

#[tauri::command]
pub fn startup_problem(app: State<App>, req: cmd::StartupProblem) -> Ans<cmd::StartupProblem> {
    let cmd::StartupProblem {} = req;
    Ok(app.problem.lock().map_err(poisoned)?.clone())
}

/// Sets the unusable data file aside and opens a new one in its place: restored from `backup`
/// when given, else empty. A backup that cannot be restored changes nothing: it is restored
/// into a new file first, and only then is the old one moved.
#[tauri::command]
pub fn rescue(app: State<App>, handle: AppHandle, req: cmd::Rescue) -> Ans<cmd::Rescue> {
    let cmd::Rescue { backup, passphrase } = req;
    let mut problem = app.problem.lock().map_err(poisoned)?;
    match &*problem {
        None => return Err(CommandError::invalid("Tệp dữ liệu đang mở bình thường; không cần khôi phục.")),
        Some(p) if !p.can_set_aside => return Err(CommandError::refused(p.message.clone())),
        Some(_) => {}
    }
    let path = app.path.clone();
    let restored = match &backup {
        Some(b) => Some(restore_beside(&path, Path::new(b), passphrase.as_deref())?),
        None => None,
    };
    let aside = set_aside(&path)
        .map_err(|e| CommandError::io(format!("Không đổi tên được tệp hỏng {}: {e}", path.display())))?;
    if let Some(new) = &restored {
        std::fs::rename(new, &path)
            .map_err(|e| CommandError::io(format!("Không đặt được tệp khôi phục vào chỗ: {e}")))?;
    }
    let store = Store::open(&path).map_err(fail)?;
    *app.store.lock().map_err(poisoned)? = Some(store);
    *problem = None;
    drop(problem);
    crate::start_background(&handle, &path).map_err(fail)?;
    changed(&handle);
    let _ = handle.emit("sync-state", ());
    Ok(aside.display().to_string())
}

/// Restores `backup` into a new data file beside `path`; returns that file, closed.
fn restore_beside(path: &Path, backup: &Path, passphrase: Option<&str>) -> Res<PathBuf> {
    let tmp = path.with_file_name(format!(".khoi-phuc-{}.sqlite3", uuid::Uuid::now_v7()));
    let result = (|| {
        let mut store = Store::open(&tmp).map_err(fail)?;
        kehoach_sync::restore_backup(&mut store, backup, passphrase).map_err(fail)?;
        Ok(())
    })();
    if let Err(e) = result {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = tmp.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    Ok(tmp)
}

/// Renames the data file (and SQLite's side files with it) to `<name>.hong-<date-time>`.
fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Never over an earlier one set aside in the same second.
    let mut aside = path.with_file_name(format!("{name}.hong-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_file_name(format!("{name}.hong-{stamp}-{n}"));
    }
    for suffix in ["-wal", "-shm"] {
        let (mut from, mut to) = (path.as_os_str().to_owned(), aside.as_os_str().to_owned());
        from.push(suffix);
        to.push(suffix);
        if Path::new(&from).exists() {
            std::fs::rename(&from, &to)?;
        }
    }
    if path.exists() {
        std::fs::rename(path, &aside)?;
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unusable_file_is_kept_beside_with_its_side_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kehoach.sqlite3");
        std::fs::write(&path, "hỏng").unwrap();
        std::fs::write(dir.path().join("kehoach.sqlite3-wal"), "wal").unwrap();
        let aside = set_aside(&path).unwrap();
        assert!(!path.exists());
        assert!(aside.file_name().unwrap().to_string_lossy().starts_with("kehoach.sqlite3.hong-"));
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "hỏng");
        let mut wal = aside.clone().into_os_string();
        wal.push("-wal");
        assert_eq!(std::fs::read_to_string(wal).unwrap(), "wal");
        // A second one in the same second keeps the first.
        std::fs::write(&path, "hỏng lần hai").unwrap();
        let second = set_aside(&path).unwrap();
        assert_ne!(second, aside);
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "hỏng");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "hỏng lần hai");
    }

    #[test]
    fn a_backup_that_cannot_be_restored_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kehoach.sqlite3");
        std::fs::write(&path, "hỏng").unwrap();
        let not_backup = dir.path().join("cong-van.txt");
        std::fs::write(&not_backup, "Công văn số 15/CV-UBND").unwrap();
        let err = restore_beside(&path, &not_backup, None).unwrap_err();
        assert!(err.message.contains("không phải bản sao lưu"), "{err}");
        let mut names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["cong-van.txt", "kehoach.sqlite3"]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hỏng");
    }
}
