//! Feeds arbitrary bytes to the bundle reader: age decryption, zip, manifest JSON, signature
//! and hash checks. It must return an error, never panic, hang or allocate without bound.

#![no_main]

use kehoach_core::Store;
use libfuzzer_sys::fuzz_target;

thread_local! {
    /// A PC with its device key, so input that looks encrypted goes through age decryption.
    static STORE: Store = {
        let store = Store::open_in_memory().expect("in-memory store");
        kehoach_sync::Device::load_or_create(&store).expect("device key");
        store
    };
}

fuzz_target!(|data: &[u8]| {
    STORE.with(|store| {
        let _ = kehoach_sync::inspect_bundle(store, data);
    });
});
