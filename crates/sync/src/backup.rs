//! Backups: everything of this PC — records, op log, its keys and settings, attachment files —
//! in one file an officer keeps on a USB stick, and the way back from it.
//!
//! A backup is a plain SQLite database: a consistent snapshot of the data file (`VACUUM INTO`)
//! with two more tables, `backup_info` (what it is, when it was made) and `backup_files` (the
//! attachment files, named by their SHA-256). Any SQLite tool can open it. A copy of the data
//! file itself (`kehoach.sqlite3`, taken by hand) is accepted too, without attachments.
//!
//! With a passphrase, that database is encrypted as an age file (scrypt): a lost USB stick
//! then gives away neither the commune's data nor this device's keys. Any age tool opens it
//! with the passphrase.
//!
//! Restoring never loses what this PC holds:
//! - on a PC that holds nothing yet (a new or reinstalled PC), the backup becomes its data, and
//!   the PC goes on as the device that made it (same keys, so the commune's other PCs and the
//!   hub keep trusting it);
//! - on a PC that holds data of the same commune, the backup's ops are applied like a bundle's:
//!   what this PC lacks comes back, what it has stays, conflicts are kept as conflicts — when
//!   the backup was made by this PC or by a PC it trusts, as the key it holds shows.
//!
//! The backup file itself is never written: it is copied to a temporary file next to the data
//! file, checked whole (SQLite's integrity check, every attachment against its name), and only
//! then used. A refused backup changes nothing.
//!
//! The file holds this device's private keys, as the data file does: keep it like the PC.

use std::path::{Path, PathBuf};

use kehoach_core::backup_file::{self, BackupWriter};
use kehoach_core::{queries, Applied, Store};
use uuid::Uuid;

use crate::attachments::{self, content_matches, name_sha, DIR};
use crate::error::{Result, SyncError};
use crate::identity;
use crate::trust;
/// The contract's types (kehoach-model), which the app shows as they are.
pub use kehoach_model::contract::{BackupSummary, RestoreMode, RestoreReport};

/// `backup_info.format` of a kehoach backup.
const FORMAT: &str = "kehoach-backup";
const VERSION: i64 = 1;
/// Local setting: the last backup this PC made, shown beside the backup button.
const LAST: &str = "backup.last";

/// How the device's private keys go into a backup (issue 14, point 8).
#[derive(Clone, Copy, PartialEq)]
enum KeysIn {
    /// Opened, so that a reinstalled PC takes its identity back: only inside a file encrypted
    /// with the officer's passphrase.
    Portable,
    /// As the data file keeps them when the OS keystore seals them (useless on another
    /// account or machine); left out when they are plain. For backups without a passphrase,
    /// the daily ones included.
    SealedOnly,
}

/// The shortest passphrase a backup may be protected with.
pub const MIN_PASSPHRASE: usize = 8;

/// Writes a backup of `store` to `out` (replacing a file there only once the new one is whole),
/// encrypted when a passphrase is given, and remembers it as this PC's last backup.
pub fn create_backup(store: &Store, out: &Path, passphrase: Option<&str>) -> Result<BackupSummary> {
    if passphrase.is_some_and(|p| p.chars().count() < MIN_PASSPHRASE) {
        return Err(SyncError::BackupPassphraseTooShort(MIN_PASSPHRASE));
    }
    clean_leftovers(store);
    let summary = match passphrase {
        None => write_backup(store, out, true, KeysIn::SealedOnly)?,
        Some(pass) => {
            // The unencrypted copy is made on this PC's disk, never on the USB stick, where a
            // stick pulled out halfway could leave it behind.
            let plain = local_temp(store, "sao-luu")?;
            let mut summary = write_backup(store, &plain.0, true, KeysIn::Portable)?;
            let sealed = Temp(sibling(out, "sealed"));
            {
                let enc = age::Encryptor::with_user_passphrase(secret(pass));
                let mut file = kehoach_core::private_file::create_new_private(&sealed.0)?;
                let mut w = enc.wrap_output(&mut file)?;
                std::io::copy(&mut std::fs::File::open(&plain.0)?, &mut w)?;
                w.finish()?;
                file.sync_all()?;
            }
            std::fs::rename(&sealed.0, out)?;
            summary.path = out.display().to_string();
            summary.bytes = std::fs::metadata(out)?.len();
            summary.encrypted = true;
            summary
        }
    };
    crate::settings::set_json(store, LAST, &summary)?;
    Ok(summary)
}

/// The folder beside the data file where the app keeps its own daily backups.
pub const AUTO_DIR: &str = "sao-luu";
/// How many daily backups are kept there.
const AUTO_KEEP: usize = 7;
const AUTO_PREFIX: &str = "kehoach-tu-dong-";

/// The app's daily backup: at most one a day, `<data dir>/sao-luu/kehoach-tu-dong-YYYY-MM-DD.sqlite3`,
/// the newest seven kept. It guards against a damaged data file, not against a dead disk (the
/// officer's copy on a USB stick is for that). `None` when today's is there already, or there
/// is nothing to keep (no data yet, or a store in memory). The attachment files are left out:
/// they are in the attachments folder, which a damaged data file does not touch, and seven
/// copies of every scan would fill a small disk.
pub fn auto_backup(store: &Store, today: chrono::NaiveDate) -> Result<Option<BackupSummary>> {
    let Some(data_file) = store.path() else { return Ok(None) };
    if store.op_count()? == 0 {
        return Ok(None);
    }
    let dir = data_file.with_file_name(AUTO_DIR);
    let out = dir.join(format!("{AUTO_PREFIX}{today}.sqlite3"));
    if out.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(&dir)?;
    let summary = write_backup(store, &out, false, KeysIn::SealedOnly)?;
    for (old, _) in auto_backups(&data_file).into_iter().skip(AUTO_KEEP) {
        let _ = std::fs::remove_file(old);
    }
    Ok(Some(summary))
}

/// The daily backups kept beside `data_file`, newest first (found by name, so this works when
/// the data file itself cannot be opened).
pub fn auto_backups(data_file: &Path) -> Vec<(PathBuf, chrono::NaiveDate)> {
    let dir = data_file.with_file_name(AUTO_DIR);
    let mut out: Vec<(PathBuf, chrono::NaiveDate)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| {
                let e = e.ok()?;
                let name = e.file_name().into_string().ok()?;
                let date = name.strip_prefix(AUTO_PREFIX)?.strip_suffix(".sqlite3")?;
                Some((e.path(), chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?))
            })
            .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    out
}

/// Writes a backup of `store`, with or without its attachment files, to `out` (replacing a file
/// there only once the new one is whole).
fn write_backup(store: &Store, out: &Path, with_files: bool, keys: KeysIn) -> Result<BackupSummary> {
    // This PC's own ops are signed before they are copied, so that a backup without the keys
    // still proves who wrote them when it is merged back.
    if let Some(device) = identity::Device::load(store)? {
        crate::authorship::sign_own(store, &device)?;
    }
    let tmp = Temp(sibling(out, "tmp"));
    let copy = BackupWriter::create(store, &tmp.0)?;
    put_keys(&copy, store, keys)?;
    let commune = queries::settings(store)?.commune;
    let ops = store.op_count()?;
    let created_at = trust::now();
    let info = [
        ("format", FORMAT.to_string()),
        ("version", VERSION.to_string()),
        ("created_at", created_at.clone()),
        ("ops", ops.to_string()),
        ("commune", commune.clone().unwrap_or_default()),
    ];
    for (k, v) in info {
        copy.put_info(k, &v)?;
    }
    let mut files = 0;
    if let Some(dir) = store.data_dir().map(|d| d.join(DIR)).filter(|_| with_files) {
        let names: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect(),
            Err(_) => Vec::new(),
        };
        for name in names.into_iter().filter(|n| name_sha(n).is_some()) {
            // A damaged copy would make the whole backup fail its check on restore; it is left
            // out, as a bundle leaves it out.
            if let attachments::Local::File(bytes) = attachments::read_local(store, &name, u64::MAX) {
                copy.put_file(&name, &bytes)?;
                files += 1;
            }
        }
    }
    copy.finish()?;
    // Opened for writing: on Windows FlushFileBuffers refuses a read-only handle ("Access is
    // denied", os error 5), which failed every backup there.
    std::fs::OpenOptions::new().write(true).open(&tmp.0)?.sync_all()?;
    std::fs::rename(&tmp.0, out)?;
    let bytes = std::fs::metadata(out)?.len();
    Ok(BackupSummary { path: out.display().to_string(), encrypted: false, created_at, bytes, ops, files, commune })
}

/// Writes the device's keys into the backup copy as `keys` says (the copy overwrites what it
/// removes or replaces on disk).
fn put_keys(copy: &BackupWriter, store: &Store, keys: KeysIn) -> Result<()> {
    let mut left_out = false;
    for key in [crate::settings::SIGNING_KEY, crate::settings::AGE_IDENTITY] {
        let Some(stored) = store.local_setting(key)? else { continue };
        match keys {
            KeysIn::Portable => copy.set_local_setting(key, &crate::keystore::open(&stored)?)?,
            KeysIn::SealedOnly if crate::keystore::is_sealed(&stored) => {}
            KeysIn::SealedOnly => {
                copy.remove_local_setting(key)?;
                left_out = true;
            }
        }
    }
    if left_out {
        // Says that the maker had keys, so that a restore knows it cannot go on as that device
        // (see `take_keys_or_new_identity`).
        copy.set_local_setting(KEYS_LEFT_OUT, &trust::now())?;
    }
    Ok(())
}

/// Local setting of a backup copy whose plain keys were left out.
const KEYS_LEFT_OUT: &str = "backup.keys_left_out";

/// After a whole restore: the backup's keys, sealed again for this machine, when they can be
/// used here; otherwise (left out of a backup without a passphrase, sealed to another Windows
/// account) this PC becomes a new device of the commune with keys of its own, and says so.
/// A backup of a PC that never had keys keeps its device. Returns whether it became new.
fn take_keys_or_new_identity(store: &mut Store) -> Result<bool> {
    let left_out = store.local_setting(KEYS_LEFT_OUT)?.is_some();
    store.remove_local_setting(KEYS_LEFT_OUT)?;
    match identity::Device::load(store) {
        Ok(Some(_)) => {
            identity::Device::seal_at_rest(store)?;
            return Ok(false);
        }
        // A PC that never made keys: nobody knows it by one.
        Ok(None) if !left_out => return Ok(false),
        _ => {}
    }
    for key in [crate::settings::SIGNING_KEY, crate::settings::AGE_IDENTITY] {
        store.remove_local_setting(key)?;
    }
    store.become_new_device()?;
    identity::Device::load_or_create(store)?;
    Ok(true)
}

/// The last backup this PC made, if any.
pub fn last_backup(store: &Store) -> Result<Option<BackupSummary>> {
    crate::settings::get_json(store, LAST)
}

/// Restores the backup at `file` into `store` (see the module's comment for the two ways).
/// After a `Whole` restore, other connections to the data file must be opened again.
/// `passphrase` opens a backup that has one (and is not needed otherwise).
pub fn restore_backup(store: &mut Store, file: &Path, passphrase: Option<&str>) -> Result<RestoreReport> {
    clean_leftovers(store);
    let tmp = local_temp(store, "restore")?;
    copy_out(file, &tmp.0, passphrase)?;
    let opened = open_checked(&tmp.0)?;

    if store.op_count()? == 0 {
        let written = attachments::write_incoming(store, &opened.files)?;
        store.replace_with(&tmp.0)?;
        let new_device = take_keys_or_new_identity(store)?;
        let applied = Applied { applied: opened.ops as u64, ..Default::default() };
        return Ok(RestoreReport {
            mode: RestoreMode::Whole,
            commune: opened.commune,
            created_at: opened.created_at,
            ops: opened.ops,
            applied,
            files: written,
            new_device,
        });
    }

    let copy = Store::open(&tmp.0)?;
    let identities = (identity::commune(&copy)?, identity::commune(store)?);
    if let (Some(found), Some(ours)) = identities {
        if found != ours {
            return Err(SyncError::OtherCommune { found, ours });
        }
    }
    let ours = queries::settings(store)?.commune;
    if let (Some(theirs), Some(ours)) = (&opened.commune, &ours) {
        if !same_name(theirs, ours) {
            return Err(SyncError::OtherCommuneBackup { theirs: theirs.clone(), ours: ours.clone() });
        }
    }
    // A file without the commune's identity would bring in ops nobody of the commune vouched
    // for, and they would then spread to its other PCs.
    if let (None, Some(_)) = identities {
        return Err(SyncError::NotABackup(
            "không mang mã xã của máy này; chỉ khôi phục trên máy chưa thuộc xã nào".into(),
        ));
    }
    let keyless_self = check_maker(store, &copy)?;
    // The maker may not have signed its latest ops when the backup was made.
    if let Some(maker) = crate::identity::Device::load(&copy).ok().flatten() {
        crate::authorship::sign_own(&copy, &maker)?;
    }
    let ops: Vec<_> = copy.ops_since(0)?.into_iter().map(|(_, op)| op).collect();
    drop(copy);
    let written = attachments::write_incoming(store, &opened.files)?;
    // Its ops prove their authors as any received op does (the maker's own were signed above
    // with the key the backup holds, checked to be the maker's).
    let mut keys = crate::authorship::Keys::of(store)?;
    // This PC's own history from before it had keys signs nothing and was seen by nobody.
    keys.legacy_unsigned = keyless_self;
    let applied = crate::authorship::apply_checked(store, &ops, &mut keys)?;
    Ok(RestoreReport {
        mode: RestoreMode::Merged,
        commune: opened.commune,
        created_at: opened.created_at,
        ops: ops.len() as i64,
        applied,
        files: written,
        new_device: false,
    })
}

/// A backup is merged only when it shows it was made by a device of this commune (issue 14,
/// point 8): a backup holds the private key of the PC that made it, so it must hold this PC's
/// own key, or the key this PC trusts for that device. The commune's id alone proves nothing:
/// it travels in every bundle and invitation, so anyone could write it into a file of ops of
/// their own, which would then spread from this PC to the whole commune.
/// Returns whether the backup is this PC's own from before it made any key.
fn check_maker(store: &Store, copy: &Store) -> Result<bool> {
    let refused = |why: &str| {
        Err(SyncError::NotABackup(format!(
            "{why}: không gộp vào máy này. Dữ liệu của máy khác trong xã hãy chuyển bằng tệp đồng bộ \
             (Đồng bộ → Xuất tệp đồng bộ) hoặc qua máy chủ"
        )))
    };
    // Keys sealed to another Windows account read as none.
    let key = crate::identity::Device::load(copy).ok().flatten().map(|d| d.public_key_hex());
    let own = copy.device_id() == store.device_id();
    let known = if own {
        crate::identity::Device::load(store)?.map(|d| d.public_key_hex())
    } else {
        crate::admission::known_device(store, copy.device_id())?.map(|d| d.public_key)
    };
    // This PC's own earlier state, from before it made any key (it has not exchanged anything
    // with another PC yet): nothing to prove it with, and nothing was trusted on its word.
    let keyless_self = own && key.is_none() && known.is_none();
    // A backup made without a passphrase carries no usable key (issue 14, point 8); its maker
    // signed its own ops before the copy was taken, and each op is checked below against the
    // key this PC already holds for its author, so a known maker is enough here.
    if key.is_none() && !keyless_self && known.is_none() {
        return refused("tệp sao lưu không mang khóa của máy đã tạo ra nó");
    }
    if key.is_none() {
        return Ok(keyless_self);
    }
    if !keyless_self && known != key {
        return refused(&format!(
            "tệp sao lưu do máy {} tạo ra, không phải máy này hay một máy đã được tin cậy của xã",
            copy.device_id()
        ));
    }
    Ok(false)
}

/// Copies the backup at `file` to `to`, decrypting it if it is protected by a passphrase.
fn copy_out(file: &Path, to: &Path, passphrase: Option<&str>) -> Result<()> {
    let unreadable = |e: std::io::Error| SyncError::NotABackup(format!("không đọc được tệp: {e}"));
    let mut src = std::io::BufReader::new(std::fs::File::open(file).map_err(unreadable)?);
    let encrypted = std::io::BufRead::fill_buf(&mut src).map_err(unreadable)?.starts_with(b"age-encryption.org/");
    if !encrypted {
        std::io::copy(&mut src, &mut kehoach_core::private_file::create_new_private(to)?)?;
        return Ok(());
    }
    let pass = passphrase.filter(|p| !p.is_empty()).ok_or(SyncError::BackupNeedsPassphrase)?;
    let dec = age::Decryptor::new_buffered(src).map_err(|e| SyncError::BackupDamaged(e.to_string()))?;
    if !dec.is_scrypt() {
        return Err(SyncError::NotABackup("tệp mã hóa không phải bằng mật khẩu".into()));
    }
    let identity = age::scrypt::Identity::new(secret(pass));
    let mut plain = dec.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => SyncError::BackupWrongPassphrase,
        other => SyncError::BackupDamaged(other.to_string()),
    })?;
    std::io::copy(&mut plain, &mut kehoach_core::private_file::create_new_private(to)?)
        .map_err(|e| SyncError::BackupDamaged(format!("phần mã hóa không toàn vẹn: {e}")))?;
    Ok(())
}

fn secret(pass: &str) -> age::secrecy::SecretString {
    age::secrecy::SecretString::from(pass.to_string())
}

/// A backup copy that passed every check, its attachments taken out of it.
struct Opened {
    commune: Option<String>,
    created_at: Option<String>,
    ops: i64,
    files: Vec<(String, Vec<u8>)>,
}

/// Checks the copy at `path` (see [`backup_file::open_checked`]: whole, ours, no planted schema
/// object, no stamp far ahead, a version this build reads), that it is a kehoach backup of a
/// format this build reads, and every attachment against its name; leaves it a plain kehoach
/// database, ready to be opened as a store.
fn open_checked(path: &Path) -> Result<Opened> {
    let copy = backup_file::open_checked(path)?;
    let info = |key: &str| copy.info.as_ref().and_then(|i| i.get(key).cloned());
    if copy.info.is_some() && info("format").as_deref() != Some(FORMAT) {
        return Err(SyncError::NotABackup("không phải bản sao lưu của kehoach".into()));
    }
    if info("version").and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > VERSION) {
        return Err(SyncError::BackupTooNew);
    }
    for (name, bytes) in &copy.files {
        if !content_matches(name, bytes) {
            return Err(SyncError::BackupDamaged(format!("tệp đính kèm {name} không khớp với tên của nó")));
        }
    }
    let created_at = info("created_at");
    Ok(Opened { commune: copy.commune, created_at, ops: copy.ops, files: copy.files })
}

/// Two spellings of one commune's name: case, spacing and Unicode composition aside (the
/// diacritics count: "Ia Pa" and "Ía Pà" could be two places).
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| kehoach_core::fold::clean(s).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}

/// A file beside `path` with a unique name.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{}", Uuid::now_v7()))
}

/// The names `local_temp` gives its files.
const TEMP_KINDS: [&str; 2] = ["sao-luu", "restore"];

/// Removes what a backup or restore killed halfway (power cut, kill -9) left beside the data
/// file: unencrypted copies of the data with the device's keys in them. Files younger than
/// ten minutes may belong to a backup running now in another window, and are left. Returns how
/// many files were removed or put in place; runs when the app starts and before each backup and restore. A
/// signed PDF that a crash kept from its place is put there (or removed if never recorded).
pub fn clean_leftovers(store: &Store) -> usize {
    let Some(dir) = store.data_dir() else { return 0 };
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let stale = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600))
    };
    let mut removed = attachments::finish_pending(store, stale);
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = TEMP_KINDS.iter().any(|k| name.starts_with(&format!(".{k}-")) && name.contains(".sqlite3"));
        if ours && stale(&e.path()) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A temporary database on this PC's own disk, beside the data file (in the system's temporary
/// directory for a store in memory): `.<what>-<unique>.sqlite3`.
fn local_temp(store: &Store, what: &str) -> Result<Temp> {
    let dir = store.data_dir().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir)?;
    Ok(Temp(dir.join(format!(".{what}-{}.sqlite3", Uuid::now_v7()))))
}

/// A temporary file (with SQLite's side files), removed when dropped.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}
