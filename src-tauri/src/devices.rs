//! "Các máy của xã" on the Đồng bộ screen (issue 14, point 5): the commune's devices, revoking
//! a lost PC, and the devices learnt by the background sync, which has no screen of its own to
//! report them on.

use std::sync::Mutex;

use kehoach_model::contract as cmd;
use tauri::{AppHandle, State};

use crate::{with, with_change, Ans, App};

/// "Máy mới: …" lines of the worker's syncs since the app started, newest last, until the
/// officer has seen them on the Đồng bộ screen.
static LEARNT_IN_BACKGROUND: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Keeps the lines of devices a background sync learnt, for the Đồng bộ screen.
pub fn learnt_in_background(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    if let Ok(mut l) = LEARNT_IN_BACKGROUND.lock() {
        l.extend(lines.iter().cloned());
    }
}

#[tauri::command]
pub fn commune_devices(app: State<App>, req: cmd::CommuneDevices) -> Ans<cmd::CommuneDevices> {
    let cmd::CommuneDevices {} = req;
    let devices = with(&app, |s| kehoach_sync::commune_devices(s))?;
    let learnt = LEARNT_IN_BACKGROUND.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default();
    Ok(cmd::DeviceList { devices, learnt })
}

/// "Thu hồi máy này", once the officer confirmed: this PC itself is refused.
#[tauri::command]
pub fn revoke_device(app: State<App>, handle: AppHandle, req: cmd::RevokeDevice) -> Ans<cmd::RevokeDevice> {
    let r = with_change(&app, &handle, |s| kehoach_sync::revoke_named(s, &req.device))?;
    Ok(cmd::Revoked { device: r.device, already: r.already })
}
