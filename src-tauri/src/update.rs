//! Updates from a file (a USB stick, or the installer downloaded from the province hub): the
//! officer picks the installer, the app checks it (signed by the pinned release key, whole, for
//! this platform, newer — see `kehoach_sync::update`) and says "Có phiên bản mới"; only when the
//! officer agrees is it installed. On Windows the installer runs and the app closes, so the
//! installer can replace the program (the data stays in %APPDATA%); on Linux the .deb opens in
//! the system's software installer, which asks for the administrator's password.

use std::path::PathBuf;

use kehoach_model::contract::{self as cmd, CommandError, ErrorKind};
use kehoach_sync::update::{self, UpdatePolicy, VerifiedUpdate};
use tauri::{AppHandle, State};

use crate::error::fail;
use crate::sync::SyncSide;
use crate::{poisoned, with, Ans, App, Res};

/// The signed description beside the installer the officer picked (or that file itself).
fn manifest_of(path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    if path.ends_with(update::SUFFIX) {
        return p;
    }
    let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(update::SUFFIX);
    p.with_file_name(name)
}

fn verify(path: &str) -> Res<VerifiedUpdate> {
    update::verify_update(&manifest_of(path), &update::release_keys(), env!("CARGO_PKG_VERSION"), update::PLATFORM)
        .map_err(fail)
}

/// A checked update as the contract carries it.
fn verified(u: VerifiedUpdate) -> cmd::VerifiedUpdate {
    cmd::VerifiedUpdate { version: u.version, installer: u.installer.display().to_string(), size: u.size }
}

/// Checks an update file; the UI shows "Có phiên bản mới …" or why it is refused.
#[tauri::command]
pub fn check_update_file(req: cmd::CheckUpdateFile) -> Ans<cmd::CheckUpdateFile> {
    verify(&req.path).map(verified)
}

/// Installs a checked update, after the officer agreed. Checked again: the file may have
/// changed on the stick since.
#[tauri::command]
pub fn install_update(handle: AppHandle, req: cmd::InstallUpdate) -> Ans<cmd::InstallUpdate> {
    let u = verify(&req.path)?;
    if cfg!(windows) {
        std::process::Command::new(&u.installer)
            .spawn()
            .map_err(|e| CommandError::io(format!("Không chạy được bộ cài {}: {e}", u.installer.display())))?;
        handle.exit(0);
    } else {
        use tauri_plugin_opener::OpenerExt;
        handle
            .opener()
            .open_path(u.installer.display().to_string(), None::<&str>)
            .map_err(|e| CommandError::io(format!("Không mở được bộ cài {}: {e}", u.installer.display())))?;
    }
    Ok(())
}

/// "Có phiên bản mới" from the hub: the update it offered at the last sync, if still newer than
/// this program and signed by the pinned release key.
#[tauri::command]
pub fn update_offer(app: State<App>, req: cmd::UpdateOffer) -> Ans<cmd::UpdateOffer> {
    let cmd::UpdateOffer {} = req;
    with(&app, |s| {
        Ok::<_, kehoach_sync::SyncError>(
            update::offered(s, &UpdatePolicy::this_program())?
                .map(|m| cmd::HubOffer { version: m.version, size: m.size }),
        )
    })
}

/// Downloads the offered update from the hub into `cap-nhat/` beside the data file and checks
/// it whole; the UI then offers to install it (`install_update`). Runs on the sync side's
/// connection: a slow download never holds the screens' lock.
#[tauri::command]
pub async fn download_update(side: State<'_, SyncSide>, req: cmd::DownloadUpdate) -> Ans<cmd::DownloadUpdate> {
    let cmd::DownloadUpdate {} = req;
    let store = side.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let s = store.lock().map_err(poisoned)?;
        let policy = UpdatePolicy::this_program();
        let offer = update::offered(&s, &policy)
            .map_err(fail)?
            .ok_or_else(|| CommandError::not_found("Máy chủ đồng bộ không còn bản cập nhật mới hơn"))?;
        let url = kehoach_sync::hub_url(&s)
            .map_err(fail)?
            .ok_or_else(|| CommandError::invalid("Chưa nhập địa chỉ máy chủ đồng bộ"))?;
        let dir = s
            .data_dir()
            .ok_or_else(|| CommandError::new(ErrorKind::Io, "Dữ liệu không nằm trong một thư mục trên máy"))?
            .join("cap-nhat");
        let client = kehoach_sync::HubClient::for_store(&s, &url).map_err(fail)?;
        update::download(&s, &client, &offer, &dir, &policy).map(verified).map_err(fail)
    })
    .await
    .map_err(fail)?
}
