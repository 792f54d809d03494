//! Backups on a USB stick, and restoring from one (see `kehoach_sync::create_backup`).

use std::path::Path;

use kehoach_core::Store;
use kehoach_sync::{BackupSummary, RestoreMode, RestoreReport};
use tauri::{AppHandle, Emitter, State};

use crate::sync::SyncSide;
use crate::{with, with_change, App, Res};

#[tauri::command]
pub fn backup_create(app: State<App>, path: String, passphrase: Option<String>) -> Res<BackupSummary> {
    let pass = passphrase.filter(|p| !p.is_empty());
    with(&app, |s| kehoach_sync::create_backup(s, Path::new(&path), pass.as_deref()))
}

/// The last backup this PC made, shown beside the button.
#[tauri::command]
pub fn backup_last(app: State<App>) -> Res<Option<BackupSummary>> {
    with(&app, |s| kehoach_sync::last_backup(s))
}

/// Restores a backup. The background sync's connection is held meanwhile, so nothing is
/// pushed or pulled halfway; after a whole restore it is opened again, since the data file is
/// now another device's (the one the backup was made on).
#[tauri::command]
pub fn backup_restore(
    app: State<App>,
    side: State<SyncSide>,
    handle: AppHandle,
    path: String,
    passphrase: Option<String>,
) -> Res<RestoreReport> {
    let mut sync_store = side.store.lock().map_err(|_| "Lỗi nội bộ: kho dữ liệu bị khóa".to_string())?;
    let report =
        with_change(&app, &handle, |s| kehoach_sync::restore_backup(s, Path::new(&path), passphrase.as_deref()))?;
    if report.mode == RestoreMode::Whole {
        *sync_store = Store::open(&app.path).map_err(|e| e.to_string())?;
    }
    drop(sync_store);
    let _ = handle.emit("sync-state", ());
    Ok(report)
}
