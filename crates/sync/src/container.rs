//! The file container: a zip holding `manifest.json`, `signature` and the payload files,
//! optionally wrapped in age encryption. Anyone can open it with standard tools (`unzip`,
//! `age -d`) to see what it carries; only the checks here decide whether it is accepted.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::error::{Result, SyncError};
use crate::identity::Device;
use crate::manifest::{FileEntry, Manifest, FORMAT, FORMAT_VERSION, MANIFEST_FILE, SIGNATURE_FILE};

const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
/// Refuse anything larger once unpacked: a commune's whole history is far smaller, and this
/// stops a crafted zip from filling the disk or memory. It holds for every entry, attachment
/// files included (the writer leaves out a larger attachment: see `attachments`).
pub(crate) const MAX_FILE: u64 = 512 * 1024 * 1024;
/// What all the payload files of one container may add up to once unpacked, as its signed
/// manifest declares them: nothing bigger is inflated.
pub(crate) const MAX_TOTAL: u64 = 2 * 1024 * 1024 * 1024;
/// How many entries a container may hold (the payload files, the manifest and its signature).
const MAX_ENTRIES: usize = 100_000;
/// The manifest and its signature are read before anything else; they are small.
const MAX_MANIFEST: u64 = 64 * 1024 * 1024;
const MAX_SIGNATURE: u64 = 1024;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn file_entry(path: &str, bytes: &[u8]) -> FileEntry {
    FileEntry { path: path.to_string(), size: bytes.len() as u64, sha256: sha256_hex(bytes) }
}

/// Signs the manifest and packs everything into a zip.
pub fn pack(device: &Device, manifest: &Manifest, payload: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    let manifest_bytes = serde_json::to_vec_pretty(manifest).expect("manifest serialises");
    let signature = hex::encode(device.sign(&manifest_bytes));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let zerr = |e: zip::result::ZipError| SyncError::Io(std::io::Error::other(e));
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(name, opts).map_err(zerr)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    put(MANIFEST_FILE, &manifest_bytes)?;
    put(SIGNATURE_FILE, signature.as_bytes())?;
    for (name, bytes) in payload {
        put(name, bytes)?;
    }
    Ok(zip.finish().map_err(zerr)?.into_inner())
}

/// Encrypts a packed container to age recipients (`age1…`).
pub fn encrypt(plain: &[u8], recipients: &[age::x25519::Recipient]) -> Result<Vec<u8>> {
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| SyncError::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut w = enc.wrap_output(&mut out)?;
    w.write_all(plain)?;
    w.finish()?;
    Ok(out)
}

pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC)
}

fn decrypt(bytes: &[u8], device: Option<&Device>) -> Result<Vec<u8>> {
    let device = device.ok_or(SyncError::NotForThisDevice)?;
    let dec = age::Decryptor::new_buffered(bytes).map_err(|e| match e {
        age::DecryptError::Io(_) | age::DecryptError::InvalidHeader => SyncError::Corrupt(e.to_string()),
        other => SyncError::Tampered(other.to_string()),
    })?;
    let mut r = dec.decrypt(std::iter::once(device.age_identity() as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => SyncError::NotForThisDevice,
        other => SyncError::Tampered(other.to_string()),
    })?;
    let mut out = Vec::new();
    r.read_to_end(&mut out).map_err(|e| SyncError::Tampered(format!("phần mã hóa không toàn vẹn: {e}")))?;
    Ok(out)
}

/// A container whose signature and payload hashes have been checked against the key the
/// manifest names. Whether that key belongs to a trusted device is the caller's decision.
pub struct Opened {
    pub manifest: Manifest,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Decrypts if needed, unpacks, and verifies format, signature and hashes. Reads only.
pub fn open(bytes: &[u8], device: Option<&Device>) -> Result<Opened> {
    open_with(bytes, device, |_| Ok(()))
}

/// The verified manifest of a container (format, signature, declared files and limits checked)
/// without inflating its payload: what is shown before a new sender is accepted, and what a
/// district PC reads to find the commune's copy.
pub fn manifest_of(bytes: &[u8], device: Option<&Device>) -> Result<Manifest> {
    let mut seen = None;
    // Stops right after the checks on the manifest: the payload is neither inflated nor hashed.
    match open_with(bytes, device, |m| {
        seen = Some(m.clone());
        Err(SyncError::Corrupt(String::new()))
    }) {
        Err(SyncError::Corrupt(m)) if m.is_empty() => Ok(seen.expect("the check ran")),
        Err(e) => Err(e),
        Ok(_) => unreachable!("the check always stops"),
    }
}

/// One entry of the zip, at most `cap` bytes once inflated (one more is read to tell).
fn inflate(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, cap: u64) -> Result<Vec<u8>> {
    let mut f = zip.by_name(name).map_err(|e| SyncError::Corrupt(format!("{name}: {e}")))?;
    let mut buf = Vec::new();
    (&mut f).take(cap + 1).read_to_end(&mut buf).map_err(|e| SyncError::Tampered(format!("{name}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(SyncError::Tampered(format!("{name} lớn hơn kích thước đã kê")));
    }
    Ok(buf)
}

/// [`open`], with `check` run on the signed manifest before any payload file is inflated: a
/// container from a sender the caller refuses, or one declaring more than [`MAX_TOTAL`], costs
/// no more than reading its manifest — a crafted 2 MB zip can no longer make gigabytes.
pub fn open_with(bytes: &[u8], device: Option<&Device>, check: impl FnOnce(&Manifest) -> Result<()>) -> Result<Opened> {
    let plain;
    let bytes = if is_encrypted(bytes) {
        plain = decrypt(bytes, device)?;
        &plain[..]
    } else {
        bytes
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(SyncError::Corrupt(format!("quá nhiều mục trong tệp ({})", zip.len())));
    }
    let mut names = std::collections::BTreeSet::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        let name = f.name().to_string();
        if f.is_dir() || !names.insert(name.clone()) {
            return Err(SyncError::Tampered(format!("mục lạ trong tệp: {name}")));
        }
    }
    if !names.contains(MANIFEST_FILE) {
        return Err(SyncError::Corrupt(format!("thiếu {MANIFEST_FILE}")));
    }
    if !names.contains(SIGNATURE_FILE) {
        return Err(SyncError::Corrupt(format!("thiếu {SIGNATURE_FILE}")));
    }
    let manifest_bytes = inflate(&mut zip, MANIFEST_FILE, MAX_MANIFEST)?;
    let signature = inflate(&mut zip, SIGNATURE_FILE, MAX_SIGNATURE)?;
    // Read the version before the rest, so a newer format gets "update the software" rather
    // than a parse error.
    let head: serde_json::Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| SyncError::Tampered(format!("{MANIFEST_FILE}: {e}")))?;
    if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(SyncError::Corrupt("không phải tệp đồng bộ kehoach".into()));
    }
    let version = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    if version != FORMAT_VERSION {
        return Err(SyncError::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
    }
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| SyncError::Tampered(format!("{MANIFEST_FILE}: {e}")))?;
    verify_signature(&manifest.sender.public_key, &manifest_bytes, &signature)?;
    // The zip holds exactly what the signed manifest lists, within the limits, before a byte
    // of the payload is inflated.
    if names.len() != manifest.files.len() + 2 || !manifest.files.iter().all(|f| names.contains(&f.path)) {
        return Err(SyncError::Tampered("danh sách tệp không khớp với bản kê".into()));
    }
    let mut total = 0u64;
    for f in &manifest.files {
        if f.size > MAX_FILE {
            return Err(SyncError::Corrupt(format!("{} quá lớn", f.path)));
        }
        total = total.saturating_add(f.size);
    }
    if total > MAX_TOTAL {
        return Err(SyncError::Corrupt(format!("tệp đồng bộ quá lớn ({} MB khi giải nén)", total >> 20)));
    }
    check(&manifest)?;
    let mut entries = BTreeMap::new();
    for f in &manifest.files {
        let body = inflate(&mut zip, &f.path, f.size)?;
        if body.len() as u64 != f.size || sha256_hex(&body) != f.sha256 {
            return Err(SyncError::Tampered(format!("mã băm của {} không khớp", f.path)));
        }
        entries.insert(f.path.clone(), body);
    }
    Ok(Opened { manifest, files: entries })
}

fn verify_signature(public_key_hex: &str, msg: &[u8], signature_hex: &[u8]) -> Result<()> {
    let bad = |what: &str| SyncError::Tampered(what.to_string());
    let key: [u8; 32] = hex::decode(public_key_hex.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("khóa công khai không hợp lệ"))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| bad("khóa công khai không hợp lệ"))?;
    let sig: [u8; 64] = std::str::from_utf8(signature_hex)
        .ok()
        .and_then(|s| hex::decode(s.trim()).ok())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("chữ ký không hợp lệ"))?;
    key.verify_strict(msg, &Signature::from_bytes(&sig)).map_err(|_| bad("chữ ký không khớp"))
}
