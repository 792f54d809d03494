//! Sync for kehoach: who a device is, whom it trusts, and the two transports that carry ops
//! between the devices of a commune — bundle files (USB sticks) and the hub.
//!
//! Everything received ends in one `Store::apply_ops` call, after every check has passed, so a
//! refused file leaves the database exactly as it was. Attachment files carried in a bundle are
//! checked with the rest and written just before that call (see `attachments`).

mod admission;
mod attachments;
mod authorship;
mod backup;
mod bundle;
mod container;
mod devices;
pub mod district;
mod enrolment;
mod error;
pub mod hub_auth;
mod hub_client;
mod identity;
mod invite;
pub mod keystore;
mod manifest;
pub mod publish;
mod settings;
mod trust;
pub mod update;
mod worker;

pub use admission::{known_device, revoke_device};
pub use backup::{
    auto_backup, auto_backups, clean_leftovers, create_backup, last_backup, restore_backup, BackupSummary, RestoreMode,
    RestoreReport, AUTO_DIR,
};
pub use bundle::{
    export_bundle, import_bundle, inspect_bundle, ExportOptions, ExportSummary, ImportOptions, ImportReport,
};
pub use devices::{commune_devices, find_device, revoke_named, Revoked};
pub use error::{Result, SyncError};
pub use hub_client::{set_hub_ca, HubClient, HubSyncReport, HUB_CA};
pub use identity::{commune, fingerprint, found_commune, Device};
pub use invite::{
    accept_device, create_invitation, create_invitation_with, invitation_needs_passphrase, join, join_with, JoinReport,
    MIN_INVITE_PASSPHRASE,
};
pub use manifest::{Manifest, FORMAT, FORMAT_VERSION};
pub use trust::{trusted_device, trusted_devices, TrustedDevice};

/// Writes `bytes` to `path` so that a pulled-out USB stick or a power cut never leaves half a
/// file under the real name: a temporary file beside it, flushed to the disk through the handle
/// that wrote it (Windows refuses to flush a read-only handle), then renamed into place. The
/// CLI's and the app's exports both go through here.
pub fn write_durably(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("part");
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path)?;
    // The rename itself reaches the disk with its directory (where the platform allows
    // opening one).
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// The wire form of ops: shared by bundles and the hub so both transports carry the same thing.
pub use kehoach_core::Op;
pub use worker::{hub_url, set_hub_url, state as sync_state, sync_once, SyncState};
