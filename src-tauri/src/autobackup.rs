//! The daily automatic backup beside the data file (see `kehoach_sync::auto_backup`): made
//! when the app starts and checked every hour after, on the background connection so the
//! screens never wait for it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kehoach_core::Store;

pub fn start(store: Arc<Mutex<Store>>) {
    std::thread::spawn(move || loop {
        if let Ok(s) = store.lock() {
            if let Err(e) = kehoach_sync::auto_backup(&s, chrono::Local::now().date_naive()) {
                eprintln!("kehoach: sao lưu tự động không thành công: {e}");
            }
        }
        std::thread::sleep(Duration::from_secs(3600));
    });
}
