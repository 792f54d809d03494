//! Backups on a USB stick, and restoring from one (see `kehoach_sync::create_backup`).

use std::path::Path;

use kehoach_core::Store;
use kehoach_model::contract as cmd;
use kehoach_sync::RestoreMode;
use tauri::{AppHandle, Emitter, State};

use crate::error::fail;
use crate::sync::SyncSide;
use crate::{poisoned, with, with_change, Ans, App};

#[tauri::command]
pub fn backup_create(app: State<App>, req: cmd::BackupCreate) -> Ans<cmd::BackupCreate> {
    let pass = req.passphrase.filter(|p| !p.is_empty());
    with(&app, |s| kehoach_sync::create_backup(s, Path::new(&req.path), pass.as_deref()))
}

/// The last backup this PC made, shown beside the button.
#[tauri::command]
pub fn backup_last(app: State<App>, req: cmd::BackupLast) -> Ans<cmd::BackupLast> {
    let cmd::BackupLast {} = req;
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
    req: cmd::BackupRestore,
) -> Ans<cmd::BackupRestore> {
    let mut sync_store = side.store.lock().map_err(poisoned)?;
    let report = with_change(&app, &handle, |s| {
        kehoach_sync::restore_backup(s, Path::new(&req.path), req.passphrase.as_deref())
    })?;
    if report.mode == RestoreMode::Whole {
        *sync_store = Store::open(&app.path).map_err(fail)?;
    }
    drop(sync_store);
    let _ = handle.emit("sync-state", ());
    Ok(report)
}
