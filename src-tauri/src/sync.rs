//! Sync commands of the shell and the background worker. The work itself is kehoach-sync's;
//! these only choose files through the native dialog and carry results to the UI.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kehoach_core::{queries, Store};
use kehoach_model::contract::{self as cmd, CommandError};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::fail;
use crate::{changed, poisoned, read_file, with, with_change, write_file, Ans, App};

/// How often the worker tries the hub. A failed try (no network) is retried at the next tick,
/// so sync resumes by itself when the connection comes back.
const INTERVAL: Duration = Duration::from_secs(30);

/// The sync side has its own connection to the data file, so a slow network never holds the
/// lock the screens use. SQLite (WAL) serialises the two writers.
pub struct SyncSide {
    pub store: Arc<Mutex<Store>>,
}

pub fn start_worker(handle: AppHandle, store: Arc<Mutex<Store>>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(INTERVAL);
        if let Ok(learnt) = run_once(&handle, &store) {
            crate::devices::learnt_in_background(&learnt);
        }
    });
}

/// One sync with the hub: the "Máy mới: …" lines of the devices it learnt, or why it failed.
fn run_once(handle: &AppHandle, store: &Arc<Mutex<Store>>) -> Result<Vec<String>, CommandError> {
    let mut s = store.lock().map_err(poisoned)?;
    let result = kehoach_sync::sync_once(&mut s);
    // The level above's plans kept on the hub for this commune come with each sync (issue 17);
    // one from a PC not trusted yet waits for the officer on "Kế hoạch cấp trên".
    if matches!(result, Ok(Some(_))) && upstream_from_hub(&mut s) {
        changed(handle);
    }
    drop(s);
    let _ = handle.emit("sync-state", ());
    match result {
        Ok(Some(report)) => {
            if report.pulled.applied > 0 || report.attachments_downloaded > 0 {
                changed(handle);
            }
            Ok(report.new_devices)
        }
        Ok(None) => Ok(Vec::new()),
        Err(e) => Err(fail(e)),
    }
}

/// Receives the publications the hub keeps for this commune from PCs already trusted; true
/// when a new one was stored. A hub without the route (older) or any other failure leaves it
/// for the next sync or the officer's own "Nhận từ máy chủ đồng bộ".
fn upstream_from_hub(s: &mut Store) -> bool {
    let Ok(Some(url)) = kehoach_sync::hub_url(s) else { return false };
    let Ok(client) = kehoach_sync::HubClient::for_store(s, &url) else { return false };
    let Ok(files) = kehoach_sync::publish::fetch_bytes(&client, s) else { return false };
    kehoach_sync::publish::receive_all(s, &files, false).is_ok_and(|o| o.received.iter().any(|r| r.new))
}

#[tauri::command]
pub fn sync_status(app: State<App>, req: cmd::SyncStatus) -> Ans<cmd::SyncStatus> {
    let cmd::SyncStatus {} = req;
    with(&app, |s| {
        // Made on first need: the hub's administrator enrols this PC with it (Đồng bộ, Tổng hợp).
        let key = kehoach_sync::Device::load_or_create(s).ok().map(|d| d.public_key_hex());
        let fingerprint = key.as_deref().map(kehoach_sync::fingerprint);
        let kehoach_sync::SyncState { hub_url, last_ok, last_attempt, last_error } =
            kehoach_sync::sync_state(s).unwrap_or_default();
        Ok::<_, kehoach_core::CoreError>(cmd::SyncOverview {
            device_id: s.device_id().to_string(),
            fingerprint,
            public_key: key,
            commune_id: kehoach_sync::commune(s).ok().flatten().map(|c| c.to_string()),
            ops: s.op_count()?,
            conflicts: queries::conflicts(s)?,
            state: cmd::SyncState { hub_url, last_ok, last_attempt, last_error },
            hub_ca: s.local_setting(kehoach_sync::HUB_CA)?.is_some_and(|p| !p.is_empty()),
            trusted_devices: kehoach_sync::trusted_devices(s).map(|d| d.len()).unwrap_or(0),
            set_aside: kehoach_core::set_aside::list(s)?,
        })
    })
}

#[tauri::command]
pub fn set_hub_url(app: State<App>, req: cmd::SetHubUrl) -> Ans<cmd::SetHubUrl> {
    with(&app, |s| kehoach_sync::set_hub_url(s, &req.url))
}

/// "Đồng bộ ngay".
#[tauri::command]
pub async fn sync_now(handle: AppHandle, side: State<'_, SyncSide>, req: cmd::SyncNow) -> Ans<cmd::SyncNow> {
    let cmd::SyncNow {} = req;
    let store = side.store.clone();
    let h = handle.clone();
    let configured = {
        let s = store.lock().map_err(poisoned)?;
        kehoach_sync::hub_url(&s).map_err(fail)?.is_some()
    };
    if !configured {
        return Err(CommandError::invalid("Chưa nhập địa chỉ máy chủ đồng bộ"));
    }
    let learnt = tauri::async_runtime::spawn_blocking(move || run_once(&h, &store)).await.map_err(fail)??;
    Ok(std::iter::once("Đã đồng bộ xong".to_string()).chain(learnt).collect::<Vec<_>>().join("\n"))
}

/// A path chosen in the native save dialog; read and written here in Rust, so a USB stick's
/// mount point or drive letter just works.
#[tauri::command]
pub async fn pick_save_path(handle: AppHandle, req: cmd::PickSavePath) -> Ans<cmd::PickSavePath> {
    let picked = handle.dialog().file().set_title(req.title).set_file_name(req.file_name).blocking_save_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn pick_open_path(handle: AppHandle, req: cmd::PickOpenPath) -> Ans<cmd::PickOpenPath> {
    let picked = handle.dialog().file().set_title(req.title).blocking_pick_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

/// Installs the CA certificate (PEM) a province issues its hub's certificate from; `None`
/// goes back to the system's trust store. A file that holds no certificate changes nothing.
#[tauri::command]
pub fn set_hub_ca(app: State<App>, req: cmd::SetHubCa) -> Ans<cmd::SetHubCa> {
    let pem = req.path.map(|p| read_file(&PathBuf::from(p))).transpose()?;
    with(&app, |s| kehoach_sync::set_hub_ca(s, pem.as_deref()))
}

#[tauri::command]
pub fn sync_export(app: State<App>, req: cmd::SyncExport) -> Ans<cmd::SyncExport> {
    let (bytes, summary) = with(&app, |s| {
        kehoach_sync::update::note_this_program(s)?;
        kehoach_sync::export_bundle(s, &kehoach_sync::ExportOptions::default())
    })?;
    write_file(&PathBuf::from(req.path), &bytes)?;
    Ok(summary)
}

#[tauri::command]
pub fn sync_import(app: State<App>, handle: AppHandle, req: cmd::SyncImport) -> Ans<cmd::SyncImport> {
    let bytes = read_file(&PathBuf::from(req.path))?;
    let options = kehoach_sync::ImportOptions { accept_new_device: req.accept_device };
    let r = with_change(&app, &handle, |s| kehoach_sync::import_bundle(s, &bytes, &options))?;
    let kehoach_sync::ImportReport { bundle, sender, covers: _, applied: a, newly_trusted, attachments, new_devices } =
        r;
    Ok(cmd::ImportReport { bundle, sender, applied: a, newly_trusted, attachments, new_devices })
}

/// Writes an invitation, protected by `passphrase` when the officer typed one (issue 14,
/// point 5); a blank field means none.
#[tauri::command]
pub fn sync_invite(app: State<App>, req: cmd::SyncInvite) -> Ans<cmd::SyncInvite> {
    let pass = req.passphrase.filter(|p| !p.is_empty());
    let bytes = with(&app, |s| kehoach_sync::create_invitation_with(s, pass.as_deref()))?;
    write_file(&PathBuf::from(req.path), &bytes)
}

/// Joins with an invitation file; a protected one needs its passphrase (a missing or wrong one
/// is refused with a message and changes nothing).
#[tauri::command]
pub fn sync_join(app: State<App>, handle: AppHandle, req: cmd::SyncJoin) -> Ans<cmd::SyncJoin> {
    let bytes = read_file(&PathBuf::from(req.path))?;
    let pass = req.passphrase.filter(|p| !p.is_empty());
    with_change(&app, &handle, |s| kehoach_sync::join_with(s, &bytes, pass.as_deref()))
}

/// Whether the invitation file at `path` is protected by a passphrase, so the screen asks for
/// it before joining.
#[tauri::command]
pub fn invitation_needs_passphrase(req: cmd::InvitationNeedsPassphrase) -> Ans<cmd::InvitationNeedsPassphrase> {
    Ok(kehoach_sync::invitation_needs_passphrase(&read_file(Path::new(&req.path))?))
}

/// The officer picks which value of a conflicting edit stays.
#[tauri::command]
pub fn resolve_conflict(app: State<App>, handle: AppHandle, req: cmd::ResolveConflict) -> Ans<cmd::ResolveConflict> {
    let cmd::ResolveConflict { entity, field, value } = req;
    with_change(&app, &handle, |s| kehoach_core::resolve_conflict(s, entity, &field, value))
}

/// The first PC of a commune that syncs only through the hub (no other PC invited yet) makes
/// the commune's id here, to give the hub's administrator (the button shows only on a PC that
/// belongs to no commune; on one that does, this returns its commune's id).
#[tauri::command]
pub fn found_commune(app: State<App>, handle: AppHandle, req: cmd::FoundCommune) -> Ans<cmd::FoundCommune> {
    let cmd::FoundCommune {} = req;
    let r = with(&app, |s| {
        kehoach_sync::Device::load_or_create(s)?;
        kehoach_sync::found_commune(s)
    });
    let _ = handle.emit("sync-state", ());
    r.map(|c| c.to_string())
}
