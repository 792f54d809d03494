//! Signed updates of the program, for offices that get them from the province hub or on a USB
//! stick rather than from the internet.
//!
//! An update is the installer (`kehoach_0.2.0_x64-setup.exe`, `kehoach_0.2.0_amd64.deb`) with a
//! small JSON file beside it (`….kehoach-update.json`) naming the version, the platform, the
//! installer's file name, size and SHA-256, signed with Ed25519 by the project's release key.
//! The program accepts an update only when the signature verifies with a key pinned in the
//! program, the installer's bytes are the ones signed, it is for this platform, and it is newer
//! than the running version: a changed installer, a file from elsewhere, or an older version
//! (a downgrade to a version with a known fault) is refused with a Vietnamese message.

use std::io::Read;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use kehoach_model::{is_older_version, is_version};

use crate::hub_client::HubClient;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the signed JSON file says it is.
pub const FORMAT: &str = "kehoach-update/1";

/// The file name ending of an update's signed description.
pub const SUFFIX: &str = ".kehoach-update.json";

/// The release keys (Ed25519 public keys, hex) whose signatures this program accepts. The
/// secret half is kept by the maintainers, never in the repository (`kehoach update keygen`
/// makes a pair; `KEHOACH_RELEASE_KEY` gives it to `scripts/package.sh`, which then signs the
/// installers it writes).
pub const RELEASE_KEYS: &[&str] = &["4d0b396776a2ac99e720e8a3e0215d659dbf081ce55cfd6e1c48ece007a40ac4"];

/// This build's platform, as updates name it.
pub const PLATFORM: &str = if cfg!(windows) { "windows-x64" } else { "linux-amd64" };

/// This build's version (every crate of the workspace shares it).
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Records this program's version and platform in this PC's own user record when they changed
/// (see `kehoach_core::pc_users::note_program`): called as the PC syncs, by hub or by bundle,
/// so the district sees which PCs run an old version.
pub fn note_this_program(store: &mut kehoach_core::Store) -> kehoach_core::Result<bool> {
    kehoach_core::pc_users::note_program(store, PROGRAM_VERSION, PLATFORM)
}

/// The signed description of an update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateManifest {
    pub format: String,
    pub version: String,
    pub platform: String,
    /// The installer's file name, beside this file (a name, never a path).
    pub file: String,
    pub size: u64,
    pub sha256: String,
    /// Ed25519 over [`UpdateManifest::message`], hex.
    pub signature: String,
}

/// An update that passed every check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedUpdate {
    pub version: String,
    pub installer: PathBuf,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("Không đọc được bản cập nhật {0}: {1}")]
    Io(String, String),
    #[error("Tệp {0} không phải bản cập nhật của kehoach.")]
    NotAnUpdate(String),
    #[error("Bản cập nhật không có chữ ký hợp lệ của kehoach (có thể đã bị sửa đổi hoặc không do kehoach phát hành); không cài.")]
    BadSignature,
    #[error(
        "Bộ cài {0} không đúng với bản đã ký (đã bị thay đổi hoặc chép chưa hết); không cài. Hãy chép lại từ nguồn."
    )]
    Tampered(String),
    #[error("Bản cập nhật dành cho {offered}, không phải cho máy này ({here}).")]
    WrongPlatform { offered: String, here: String },
    #[error("Bản cập nhật là phiên bản {offered}, không mới hơn phiên bản đang dùng ({current}); không cài.")]
    NotNewer { offered: String, current: String },
}

type Result<T> = std::result::Result<T, UpdateError>;

impl UpdateManifest {
    /// The bytes the release key signs: every field but the signature, one per line.
    pub fn message(&self) -> Vec<u8> {
        format!("{}\n{}\n{}\n{}\n{}\n{}\n", self.format, self.version, self.platform, self.file, self.size, self.sha256)
            .into_bytes()
    }
}

fn sha256_of(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(h.finalize()), size))
}

/// Signs the installer at `installer` as version `version` for `platform`, and writes the
/// description beside it; returns that file's path.
pub fn sign_update(key: &SigningKey, installer: &Path, version: &str, platform: &str) -> Result<PathBuf> {
    let io = |e: std::io::Error| UpdateError::Io(installer.display().to_string(), e.to_string());
    if !is_version(version) {
        return Err(UpdateError::NotAnUpdate(format!("{} (phiên bản {version:?})", installer.display())));
    }
    let file = installer
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| UpdateError::NotAnUpdate(installer.display().to_string()))?
        .to_string();
    let (sha256, size) = sha256_of(installer).map_err(io)?;
    let mut m = UpdateManifest {
        format: FORMAT.into(),
        version: version.into(),
        platform: platform.into(),
        file,
        size,
        sha256,
        signature: String::new(),
    };
    m.signature = hex::encode(key.sign(&m.message()).to_bytes());
    let out = installer.with_file_name(format!("{}{SUFFIX}", m.file));
    let json = serde_json::to_string_pretty(&m).expect("a manifest serializes");
    std::fs::write(&out, json).map_err(io)?;
    Ok(out)
}

/// A key accepted by debug builds only, so the tests can sign updates end to end (the hub
/// offers one, the app downloads and installs it); its secret is public, in
/// tests/fixtures/update/test-release-key.secret. The shipped program is a release build, which
/// refuses it (scripts/test-package.sh checks that on the packaged program).
const TEST_KEYS: &[&str] =
    if cfg!(debug_assertions) { &["97838f54dfcd2d737c2123d0f376d3670b7c5cfcb968aef8c0771648f9782dcb"] } else { &[] };

/// The pinned release keys (and, in a debug build, the tests' key).
pub fn release_keys() -> Vec<VerifyingKey> {
    RELEASE_KEYS
        .iter()
        .chain(TEST_KEYS)
        .filter_map(|k| <[u8; 32]>::try_from(hex::decode(k).ok()?).ok())
        .filter_map(|b| VerifyingKey::from_bytes(&b).ok())
        .collect()
}

/// The signed description in `text`, checked on its own (no installer is read): our format, a
/// plain file name, and a signature by one of `keys`. `name` says which file it came from.
pub fn signed_manifest(text: &str, keys: &[VerifyingKey], name: &str) -> Result<UpdateManifest> {
    let m: UpdateManifest = serde_json::from_str(text).map_err(|_| UpdateError::NotAnUpdate(name.into()))?;
    if m.format != FORMAT || m.file.is_empty() || m.file.contains(['/', '\\', ':']) || m.file.starts_with('.') {
        return Err(UpdateError::NotAnUpdate(name.into()));
    }
    let sig = hex::decode(&m.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or(UpdateError::BadSignature)?;
    let msg = m.message();
    if !keys.iter().any(|k| k.verify(&msg, &sig).is_ok()) {
        return Err(UpdateError::BadSignature);
    }
    Ok(m)
}

/// Whether a signed update is for this PC: its platform, and newer than `current`.
pub fn applies_here(m: &UpdateManifest, current: &str, platform: &str) -> Result<()> {
    if m.platform != platform {
        return Err(UpdateError::WrongPlatform { offered: m.platform.clone(), here: platform.into() });
    }
    // Compared as the district's roll-up compares them (kehoach_model::program): by number.
    if !is_older_version(current, &m.version) {
        return Err(UpdateError::NotNewer { offered: m.version.clone(), current: current.into() });
    }
    Ok(())
}

/// Checks the update described by `manifest` (a `….kehoach-update.json` file, the installer
/// beside it) against `keys`, this program's `current` version and `platform`.
pub fn verify_update(manifest: &Path, keys: &[VerifyingKey], current: &str, platform: &str) -> Result<VerifiedUpdate> {
    let name = manifest.display().to_string();
    let text = read_small(manifest).map_err(|e| UpdateError::Io(name.clone(), e.to_string()))?;
    let m = signed_manifest(&text, keys, &name)?;
    applies_here(&m, current, platform)?;
    let installer = manifest.with_file_name(&m.file);
    let (sha256, size) =
        sha256_of(&installer).map_err(|e| UpdateError::Io(installer.display().to_string(), e.to_string()))?;
    if sha256 != m.sha256 || size != m.size {
        return Err(UpdateError::Tampered(installer.display().to_string()));
    }
    Ok(VerifiedUpdate { version: m.version, installer, size })
}

/// The largest description read: a real one is a few hundred bytes.
const MAX_MANIFEST: u64 = 64 * 1024;

/// A description file's text, refusing anything larger than a description can be.
pub fn read_small(path: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    std::fs::File::open(path)?.take(MAX_MANIFEST + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_MANIFEST {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "quá lớn để là mô tả bản cập nhật"));
    }
    Ok(text)
}

/// The newest update signed by a pinned key for `platform` in the folder `dir` (what the
/// province hub offers), whose installer is beside it at the signed size. Unsigned, damaged
/// or unrelated files in the folder are passed over.
pub fn newest_in(dir: &Path, platform: &str, keys: &[VerifyingKey]) -> Option<(UpdateManifest, PathBuf)> {
    let mut best: Option<(UpdateManifest, PathBuf)> = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(SUFFIX) {
            continue;
        }
        let Ok(text) = read_small(&path) else { continue };
        let Ok(m) = signed_manifest(&text, keys, &path.display().to_string()) else { continue };
        let installer = dir.join(&m.file);
        let whole = std::fs::metadata(&installer).map(|md| md.is_file() && md.len() == m.size).unwrap_or(false);
        if m.platform != platform || !whole || !is_version(&m.version) {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _)| is_older_version(&b.version, &m.version)) {
            best = Some((m, installer));
        }
    }
    best
}

/// The installer named `file` in the folder `dir`, if a signed description there names it:
/// the hub hands out nothing else from that folder.
pub fn installer_in(dir: &Path, file: &str, keys: &[VerifyingKey]) -> Option<PathBuf> {
    if file.contains(['/', '\\', ':']) || file.starts_with('.') {
        return None;
    }
    let manifest = dir.join(format!("{file}{SUFFIX}"));
    let m = signed_manifest(&read_small(&manifest).ok()?, keys, file).ok()?;
    (m.file == file).then(|| dir.join(&m.file))
}

/// What an update is checked against: the keys whose signatures count and the program it would
/// replace. The app and the CLI use [`UpdatePolicy::this_program`]; tests bring their own key.
#[derive(Debug, Clone)]
pub struct UpdatePolicy {
    pub keys: Vec<VerifyingKey>,
    pub current: String,
    pub platform: String,
}

impl UpdatePolicy {
    /// The pinned release keys, this build's version and platform.
    pub fn this_program() -> Self {
        UpdatePolicy { keys: release_keys(), current: PROGRAM_VERSION.into(), platform: PLATFORM.into() }
    }

    /// The signed description in `json`, if it is one and is for this program: newer, same platform.
    fn offer_in(&self, json: &str, from: &str) -> Result<Option<UpdateManifest>> {
        let m = signed_manifest(json, &self.keys, from)?;
        Ok(applies_here(&m, &self.current, &self.platform).is_ok().then_some(m))
    }
}

/// Where an update offered by the hub is known between syncs (a local setting: the JSON of its
/// signed description), so the app can say "Có phiên bản mới" without asking the hub again.
const OFFER: &str = "update.offer";

const FROM_HUB: &str = "máy chủ đồng bộ";

/// The hub's update for this PC, if it has a newer one signed by a pinned key: asked after each
/// sync and remembered (see [`offered`]). A hub without updates, or an older hub that does not
/// know the question, offers nothing; a description with a bad signature is an error.
pub fn ask_hub(
    store: &kehoach_core::Store,
    client: &HubClient,
    policy: &UpdatePolicy,
) -> crate::error::Result<Option<UpdateManifest>> {
    let device = crate::identity::Device::load_or_create(store)?;
    let path = format!("/v1/updates/latest?platform={}", crate::hub_client::encode_query(&policy.platform));
    let (status, bytes) = client.request(&device, "GET", &path, None, false)?;
    let offer = match status {
        200 => policy.offer_in(&String::from_utf8_lossy(&bytes), FROM_HUB)?,
        // No update for this platform, or a hub from before updates were served.
        404 => None,
        _ => return Err(crate::hub_client::refusal(status, &bytes)),
    };
    let json = offer.as_ref().map(|m| serde_json::to_string(m).expect("a manifest serializes"));
    store.set_local_setting(OFFER, json.as_deref().unwrap_or(""))?;
    Ok(offer)
}

/// The update the hub last offered, if still newer than this program (once an update is
/// installed, the old offer no longer counts).
pub fn offered(store: &kehoach_core::Store, policy: &UpdatePolicy) -> crate::error::Result<Option<UpdateManifest>> {
    let Some(json) = store.local_setting(OFFER)?.filter(|j| !j.is_empty()) else { return Ok(None) };
    Ok(policy.offer_in(&json, FROM_HUB).ok().flatten())
}

/// Downloads the offered update's installer from the hub into `dir` (with its description
/// beside it) and checks it whole, exactly as an update from a USB stick is checked.
pub fn download(
    store: &kehoach_core::Store,
    client: &HubClient,
    offer: &UpdateManifest,
    dir: &Path,
    policy: &UpdatePolicy,
) -> crate::error::Result<VerifiedUpdate> {
    let device = crate::identity::Device::load_or_create(store)?;
    // Checked again before anything is fetched: it may come from a stale setting.
    let json = serde_json::to_string(offer).expect("a manifest serializes");
    let Some(m) = policy.offer_in(&json, FROM_HUB)? else {
        return Err(UpdateError::NotNewer { offered: offer.version.clone(), current: policy.current.clone() }.into());
    };
    let path = format!("/v1/updates/file/{}", crate::hub_client::encode_query(&m.file));
    let (status, bytes) = client.request(&device, "GET", &path, None, true)?;
    if status != 200 {
        return Err(crate::hub_client::refusal(status, &bytes));
    }
    if bytes.len() as u64 != m.size {
        return Err(UpdateError::Tampered(m.file.clone()).into());
    }
    std::fs::create_dir_all(dir)?;
    let installer = dir.join(&m.file);
    crate::write_durably(&installer, &bytes)?;
    let manifest = dir.join(format!("{}{SUFFIX}", m.file));
    crate::write_durably(&manifest, serde_json::to_string_pretty(&m).expect("a manifest serializes").as_bytes())?;
    Ok(verify_update(&manifest, &policy.keys, &policy.current, &policy.platform)?)
}

/// A new release key pair, hex: (secret, public).
pub fn generate_key() -> (String, String) {
    let key = SigningKey::generate(&mut rand_core::OsRng);
    (hex::encode(key.to_bytes()), hex::encode(key.verifying_key().to_bytes()))
}

/// The signing key from its hex secret (as `generate_key` prints it).
pub fn signing_key(secret_hex: &str) -> Option<SigningKey> {
    let b = <[u8; 32]>::try_from(hex::decode(secret_hex.trim()).ok()?).ok()?;
    Some(SigningKey::from_bytes(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(version: &str) -> (tempfile::TempDir, SigningKey, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        // A USB stick's folder with spaces and Vietnamese letters.
        let folder = dir.path().join("USB cập nhật");
        std::fs::create_dir_all(&folder).unwrap();
        let installer = folder.join(format!("kehoach_{version}_x64-setup.exe"));
        std::fs::write(&installer, b"MZ installer bytes").unwrap();
        let key = signing_key(&generate_key().0).unwrap();
        let manifest = sign_update(&key, &installer, version, "windows-x64").unwrap();
        (dir, key, manifest)
    }

    #[test]
    fn a_signed_newer_update_for_this_platform_is_accepted() {
        let (_d, key, manifest) = setup("0.2.0");
        let got = verify_update(&manifest, &[key.verifying_key()], "0.1.9", "windows-x64").unwrap();
        assert_eq!(got.version, "0.2.0");
        assert!(got.installer.ends_with("kehoach_0.2.0_x64-setup.exe"));
        // 0.10.0 is newer than 0.9.3 (numbers, not text).
        let (_d, key, manifest) = setup("0.10.0");
        assert!(verify_update(&manifest, &[key.verifying_key()], "0.9.3", "windows-x64").is_ok());
    }

    #[test]
    fn a_changed_installer_is_refused() {
        let (_d, key, manifest) = setup("0.2.0");
        let installer = manifest.with_file_name("kehoach_0.2.0_x64-setup.exe");
        std::fs::write(&installer, b"MZ installer bytez").unwrap();
        let err = verify_update(&manifest, &[key.verifying_key()], "0.1.0", "windows-x64").unwrap_err();
        assert!(matches!(err, UpdateError::Tampered(_)), "{err}");
        assert!(err.to_string().contains("không cài"), "{err}");
    }

    #[test]
    fn another_key_or_a_changed_description_is_refused() {
        let (_d, _key, manifest) = setup("0.2.0");
        let stranger = signing_key(&generate_key().0).unwrap();
        let err = verify_update(&manifest, &[stranger.verifying_key()], "0.1.0", "windows-x64").unwrap_err();
        assert!(matches!(err, UpdateError::BadSignature), "{err}");
        // Raising the version in the signed file breaks its signature.
        let (_d, key, manifest) = setup("0.2.0");
        let text = std::fs::read_to_string(&manifest).unwrap().replace("\"0.2.0\"", "\"9.0.0\"");
        std::fs::write(&manifest, text).unwrap();
        let err = verify_update(&manifest, &[key.verifying_key()], "0.1.0", "windows-x64").unwrap_err();
        assert!(matches!(err, UpdateError::BadSignature), "{err}");
    }

    #[test]
    fn an_older_or_the_same_version_or_another_platform_is_refused() {
        let (_d, key, manifest) = setup("0.2.0");
        let keys = [key.verifying_key()];
        let err = verify_update(&manifest, &keys, "0.3.0", "windows-x64").unwrap_err();
        assert!(matches!(err, UpdateError::NotNewer { .. }), "{err}");
        assert!(err.to_string().contains("không mới hơn"), "{err}");
        assert!(matches!(verify_update(&manifest, &keys, "0.2.0", "windows-x64"), Err(UpdateError::NotNewer { .. })));
        assert!(matches!(
            verify_update(&manifest, &keys, "0.1.0", "linux-amd64"),
            Err(UpdateError::WrongPlatform { .. })
        ));
    }

    #[test]
    fn files_that_are_not_updates_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ghi-chu.kehoach-update.json");
        std::fs::write(&p, "Công văn số 15").unwrap();
        assert!(matches!(verify_update(&p, &release_keys(), "0.1.0", PLATFORM), Err(UpdateError::NotAnUpdate(_))));
        // A description pointing outside its folder.
        let (_d, key, manifest) = setup("0.2.0");
        let text = std::fs::read_to_string(&manifest).unwrap().replace("kehoach_0.2.0_x64-setup.exe", "..\\\\khac.exe");
        std::fs::write(&manifest, text).unwrap();
        assert!(matches!(
            verify_update(&manifest, &[key.verifying_key()], "0.1.0", "windows-x64"),
            Err(UpdateError::NotAnUpdate(_))
        ));
    }

    #[test]
    fn the_pinned_release_key_parses() {
        assert_eq!(release_keys().len(), RELEASE_KEYS.len() + TEST_KEYS.len());
        assert!(is_version("1.2.3") && !is_version("1.2") && !is_version("1.2.3.4"));
        assert!(is_older_version("0.9.3", "0.10.0"), "by number, not by text");
    }
}
