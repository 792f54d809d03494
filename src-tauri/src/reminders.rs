//! Desktop notifications of report deadlines: at start and every hour the shell asks the core
//! which reports are due tomorrow (or today) and not yet reminded on this PC, and shows each
//! as a notification of the operating system, so the officer is told even when the window is
//! in the background. Which were shown is kept by the core as a local setting.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kehoach_core::{reports, Store};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

const INTERVAL: Duration = Duration::from_secs(3600);

pub fn start(handle: AppHandle, store: Arc<Mutex<Store>>) {
    std::thread::spawn(move || {
        // Let the window come up first: a notification is no use before the app is there.
        std::thread::sleep(Duration::from_secs(3));
        loop {
            remind(&handle, &store);
            std::thread::sleep(INTERVAL);
        }
    });
}

fn remind(handle: &AppHandle, store: &Arc<Mutex<Store>>) {
    let Ok(s) = store.lock() else { return };
    let Ok(due) = reports::due_reminders(&s, None) else { return };
    for r in due {
        let shown = handle.notification().builder().title(&r.title).body(&r.body).show();
        // Marked only once handed to the system: a failure is retried at the next check.
        if shown.is_ok() {
            let _ = reports::mark_reminded(&s, &r);
        }
    }
}
