//! Keys on a PKCS#11 token (the USB tokens of the Vietnamese CAs, or SoftHSM2 in tests).
//!
//! The PIN is tried exactly once per call: a token locks after a few wrong PINs, so a wrong
//! PIN is reported (with the tries left when the token says so) and never retried.

use std::path::{Path, PathBuf};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use cryptoki::types::AuthPin;
use der::Decode;
use serde::Serialize;
use x509_cert::Certificate;

use crate::{summarize, CertSummary, Result, SignError, Signer};

/// A PKCS#11 module found on this machine.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// Whose module it is, e.g. "VNPT-CA".
    pub vendor: String,
    pub path: PathBuf,
}

/// Known module file names, by vendor. Vendors rename their modules between token
/// generations, so discovery also matches the name patterns in [`VENDOR_PATTERNS`].
const KNOWN_WINDOWS: &[(&str, &str)] = &[
    ("Ban Cơ yếu Chính phủ (VGCA)", r"C:\Windows\System32\vgca_csp11.dll"),
    ("Ban Cơ yếu Chính phủ (VGCA)", r"C:\Windows\System32\vgca-csp11.dll"),
    ("VNPT-CA", r"C:\Windows\System32\vnpt-ca_csp11.dll"),
    ("VNPT-CA", r"C:\Windows\System32\vnptca_p11_v6.dll"),
    ("Viettel-CA", r"C:\Windows\System32\viettel-ca_v6.dll"),
    ("Viettel-CA", r"C:\Windows\System32\viettel-ca_v5.dll"),
    ("Viettel-CA", r"C:\Windows\System32\viettel-ca.dll"),
    ("FPT-CA", r"C:\Windows\System32\fpt-ca.dll"),
    ("FPT-CA", r"C:\Windows\System32\fptca_v3.dll"),
    ("BKAV-CA", r"C:\Windows\System32\BkavCA.dll"),
    ("BKAV-CA", r"C:\Windows\System32\BkavCAv2S.dll"),
    ("Feitian ePass2003 (token của nhiều CA)", r"C:\Windows\System32\eps2003csp11.dll"),
    ("Feitian ePass2003 (token của nhiều CA)", r"C:\Windows\System32\ShuttleCsp11_3003.dll"),
    ("SafeNet eToken", r"C:\Windows\System32\eTPKCS11.dll"),
    ("OpenSC", r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll"),
    ("SoftHSM2", r"C:\SoftHSM2\lib\softhsm2-x64.dll"),
    ("OpenSC", r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\onepin-opensc-pkcs11.dll"),
];

const KNOWN_UNIX: &[(&str, &str)] = &[
    ("SoftHSM2", "/usr/lib/softhsm/libsofthsm2.so"),
    ("SoftHSM2", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    ("SoftHSM2", "/usr/local/lib/softhsm/libsofthsm2.so"),
    ("OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"),
    ("OpenSC", "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so"),
    ("Feitian ePass2003 (token của nhiều CA)", "/usr/lib/libcastle.so.1.0.0"),
    ("Feitian ePass2003 (token của nhiều CA)", "/usr/lib/libshuttle_p11v220.so.1.0.0"),
    ("SafeNet eToken", "/usr/lib/libeTPkcs11.so"),
    ("Ban Cơ yếu Chính phủ (VGCA)", "/usr/lib/vgca/libvgca_csp11.so"),
    ("VNPT-CA", "/usr/lib/libvnptca_p11.so"),
    ("Viettel-CA", "/usr/lib/libviettel-ca.so"),
    ("FPT-CA", "/usr/lib/libfptca_p11.so"),
    ("BKAV-CA", "/usr/lib/libbkavca.so"),
];

/// Lower-case name fragments of the vendors' modules (and of their install folders), matched
/// against the files in the usual library folders and the folders under Program Files.
const VENDOR_PATTERNS: &[(&str, &str)] = &[
    ("vgca", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("cyca", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("cơ yếu", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("co yeu", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("vnpt", "VNPT-CA"),
    ("viettel", "Viettel-CA"),
    ("fpt", "FPT-CA"),
    ("bkav", "BKAV-CA"),
    ("misa", "MISA-CA"),
    ("newtel", "NewTel-CA"),
    ("safe-ca", "SAFE-CA"),
    ("safeca", "SAFE-CA"),
    ("easyca", "EasyCA"),
    ("nacencomm", "CA2 (Nacencomm)"),
    ("ca2", "CA2 (Nacencomm)"),
    ("epass", "Feitian ePass2003 (token của nhiều CA)"),
    ("entersafe", "Feitian ePass2003 (token của nhiều CA)"),
    ("feitian", "Feitian ePass2003 (token của nhiều CA)"),
    ("safenet", "SafeNet eToken"),
    ("etoken", "SafeNet eToken"),
    ("opensc", "OpenSC"),
    ("softhsm", "SoftHSM2"),
];

/// Where one platform keeps PKCS#11 modules.
struct Places {
    /// Full paths of known modules.
    known: Vec<(&'static str, PathBuf)>,
    /// System library folders: a file there counts when its name looks like a vendor's module.
    lib_dirs: Vec<PathBuf>,
    /// Program folders (Program Files): the vendor's own subfolder is searched a few levels
    /// down, and a library there counts when it exports `C_GetFunctionList`, because the token
    /// managers of the Vietnamese CAs install their module under names that change between
    /// versions (`vnptca_p11_v6.dll`, `viettel-ca_v5.dll`, …) in folders of their own.
    program_dirs: Vec<PathBuf>,
    /// The libraries' file name ending (".dll", ".so").
    ext: &'static str,
}

fn places() -> Places {
    if cfg!(windows) {
        windows_places(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    } else {
        Places {
            known: KNOWN_UNIX.iter().map(|(v, p)| (*v, PathBuf::from(p))).collect(),
            lib_dirs: ["/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/softhsm"]
                .iter()
                .map(PathBuf::from)
                .collect(),
            program_dirs: vec![PathBuf::from("/opt")],
            ext: ".so",
        }
    }
}

/// Windows' places from its environment (`SystemRoot`, `ProgramFiles`, …); a function of the
/// environment so that tests on any machine can point it at a folder of their own.
fn windows_places(env: impl Fn(&str) -> Option<String>) -> Places {
    let root = PathBuf::from(env("SystemRoot").unwrap_or_else(|| r"C:\Windows".into()));
    let system32 = root.join("System32");
    let known = KNOWN_WINDOWS
        .iter()
        .map(|(v, p)| {
            // The known paths are written for C:\Windows; Windows may live elsewhere.
            let rel = p.strip_prefix(r"C:\Windows\System32\").map(|f| system32.join(f));
            (*v, rel.unwrap_or_else(|| PathBuf::from(p)))
        })
        .collect();
    let mut program_dirs: Vec<PathBuf> = Vec::new();
    // ProgramW6432 is the 64-bit Program Files even when read from a 32-bit process; the
    // token managers install per-user too (LOCALAPPDATA\Programs).
    for var in ["ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"] {
        if let Some(v) = env(var) {
            program_dirs.push(PathBuf::from(v));
        }
    }
    if let Some(v) = env("LOCALAPPDATA") {
        program_dirs.push(PathBuf::from(v).join("Programs"));
    }
    if program_dirs.is_empty() {
        program_dirs = vec![PathBuf::from(r"C:\Program Files"), PathBuf::from(r"C:\Program Files (x86)")];
    }
    // Windows paths are case-insensitive: one folder named twice (ProgramFiles, ProgramW6432)
    // is searched once.
    let mut seen = Vec::new();
    program_dirs.retain(|d| {
        let key = d.to_string_lossy().to_lowercase();
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
    // SysWOW64 holds 32-bit libraries: listed so a 32-bit build finds them; a 64-bit one
    // drops them by their machine type below.
    Places { known, lib_dirs: vec![system32, root.join("SysWOW64")], program_dirs, ext: ".dll" }
}

/// The PKCS#11 modules installed at their usual paths, known ones first.
pub fn discover_modules() -> Vec<Module> {
    discover_in(&places())
}

fn discover_in(places: &Places) -> Vec<Module> {
    let mut out: Vec<Module> = Vec::new();
    let add = |out: &mut Vec<Module>, vendor: &str, p: PathBuf| {
        // A library built for another processor (a 32-bit module beside a 64-bit app) cannot be
        // loaded and would only fail later with an unclear error.
        if p.is_file() && !out.iter().any(|m| m.path == p) && loadable(&p) {
            out.push(Module { vendor: vendor.into(), path: p });
        }
    };
    for (vendor, path) in &places.known {
        add(&mut out, vendor, path.clone());
    }
    for dir in &places.lib_dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut found: Vec<(PathBuf, &str)> = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_lowercase();
            if !(name.ends_with(places.ext) || name.contains(".so.")) {
                continue;
            }
            let looks_p11 =
                name.contains("p11") || name.contains("pkcs11") || name.contains("csp11") || name.contains("ca");
            if let (true, Some(vendor)) = (looks_p11, vendor_of(&name)) {
                found.push((e.path(), vendor));
            }
        }
        found.sort();
        for (p, vendor) in found {
            add(&mut out, vendor, p);
        }
    }
    for dir in &places.program_dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut vendor_dirs: Vec<(PathBuf, &str)> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| Some((e.path(), vendor_of(&e.file_name().to_string_lossy().to_lowercase())?)))
            .collect();
        vendor_dirs.sort();
        for (vdir, vendor) in vendor_dirs {
            let mut libs = Vec::new();
            libraries_under(&vdir, places.ext, 3, &mut libs);
            libs.sort();
            for p in libs.into_iter().filter(|p| exports_pkcs11(p)) {
                add(&mut out, vendor, p);
            }
        }
    }
    out
}

fn vendor_of(lower_name: &str) -> Option<&'static str> {
    VENDOR_PATTERNS.iter().find(|(pat, _)| lower_name.contains(pat)).map(|(_, v)| *v)
}

/// The libraries in `dir` and its subfolders down to `depth` levels.
fn libraries_under(dir: &Path, ext: &str, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() && depth > 0 {
            libraries_under(&e.path(), ext, depth - 1, out);
        } else if t.is_file() && e.file_name().to_string_lossy().to_lowercase().ends_with(ext) {
            out.push(e.path());
        }
    }
}

/// Whether the library at `p` exports the PKCS#11 entry point (its name is in the file's
/// export table). Token managers ship big libraries beside the module; anything over 64 MB is
/// not read.
fn exports_pkcs11(p: &Path) -> bool {
    const NAME: &[u8] = b"C_GetFunctionList";
    match std::fs::metadata(p) {
        Ok(m) if m.len() <= 64 << 20 => {}
        _ => return false,
    }
    std::fs::read(p).is_ok_and(|bytes| bytes.windows(NAME.len()).any(|w| w == NAME))
}

/// Whether this process can load the library at `p`: a Windows (PE) or Linux (ELF) library
/// built for this processor. Files of neither kind are left to the loader.
fn loadable(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let Ok(mut f) = std::fs::File::open(p) else { return false };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return false,
        }
    }
    machine_matches(&head[..n])
}

/// PE and ELF machine numbers of the processor this program runs on.
const fn this_machine() -> (u16, u16) {
    if cfg!(target_arch = "x86_64") {
        (0x8664, 0x3e)
    } else if cfg!(target_arch = "aarch64") {
        (0xaa64, 0xb7)
    } else if cfg!(target_arch = "x86") {
        (0x14c, 0x03)
    } else {
        (0, 0)
    }
}

fn machine_matches(head: &[u8]) -> bool {
    let u16_at = |i: usize| head.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let (pe, elf) = this_machine();
    if head.starts_with(b"MZ") {
        let Some(off) = head.get(0x3c..0x40).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
            return false;
        };
        return head.get(off..off + 4) == Some(b"PE\0\0".as_slice()) && u16_at(off + 4) == Some(pe);
    }
    if head.starts_with(b"\x7fELF") {
        return u16_at(18) == Some(elf);
    }
    true
}

/// A token and the certificates on it.
#[derive(Debug, Clone, Serialize)]
pub struct TokenEntry {
    pub slot: u64,
    pub label: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    /// What the token says about its user PIN, in Vietnamese; empty when nothing to say.
    pub pin_state: String,
    pub certificates: Vec<TokenCert>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenCert {
    /// CKA_LABEL of the certificate object.
    pub label: String,
    /// CKA_ID in hex (the key with the same id signs).
    pub id: String,
    pub summary: CertSummary,
}

fn load(module: &Path) -> Result<Pkcs11> {
    let merr = |e: CkError| SignError::Module { module: module.display().to_string(), reason: e.to_string() };
    if !module.is_file() {
        return Err(SignError::Module { module: module.display().to_string(), reason: "không có tệp này".into() });
    }
    let ctx = Pkcs11::new(module).map_err(merr)?;
    match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) => Ok(ctx),
        Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(ctx),
        Err(e) => Err(merr(e)),
    }
}

fn tok(e: CkError) -> SignError {
    match e {
        CkError::Pkcs11(RvError::TokenNotPresent | RvError::DeviceRemoved, _) => SignError::NoToken,
        other => SignError::Token(other.to_string()),
    }
}

/// The token's PIN counters as a Vietnamese sentence (from CKF_USER_PIN_* flags).
pub fn pin_state(info: &TokenInfo) -> String {
    if info.user_pin_locked() {
        "Token đã bị khóa PIN.".into()
    } else if info.user_pin_final_try() {
        "Chỉ còn 1 lần thử: nếu nhập sai lần nữa, token sẽ bị khóa.".into()
    } else if info.user_pin_count_low() {
        "Token báo đã nhập sai PIN ít nhất một lần; số lần thử còn lại không nhiều.".into()
    } else {
        String::new()
    }
}

fn der_certs(session: &Session) -> Result<Vec<(String, Vec<u8>, Vec<u8>)>> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE), Attribute::CertificateType(CertificateType::X_509)])
        .map_err(tok)?;
    let mut out = Vec::new();
    for h in handles {
        let attrs =
            session.get_attributes(h, &[AttributeType::Label, AttributeType::Id, AttributeType::Value]).map_err(tok)?;
        let (mut label, mut id, mut value) = (String::new(), Vec::new(), Vec::new());
        for a in attrs {
            match a {
                Attribute::Label(l) => label = String::from_utf8_lossy(&l).into_owned(),
                Attribute::Id(i) => id = i,
                Attribute::Value(v) => value = v,
                _ => {}
            }
        }
        out.push((label, id, value));
    }
    Ok(out)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Lists the tokens present in `module`'s slots and the certificates on each (no login:
/// certificates are public objects).
pub fn list_tokens(module: &Path) -> Result<Vec<TokenEntry>> {
    let ctx = load(module)?;
    let mut out = Vec::new();
    for slot in ctx.get_slots_with_token().map_err(tok)? {
        let info = ctx.get_token_info(slot).map_err(tok)?;
        if !info.token_initialized() {
            continue;
        }
        let session = ctx.open_ro_session(slot).map_err(tok)?;
        let mut certificates = Vec::new();
        for (label, id, value) in der_certs(&session)? {
            if let Ok(c) = Certificate::from_der(&value) {
                certificates.push(TokenCert { label, id: hex(&id), summary: summarize(&c) });
            }
        }
        out.push(TokenEntry {
            slot: slot.id(),
            label: info.label().trim().to_owned(),
            manufacturer: info.manufacturer_id().trim().to_owned(),
            model: info.model().trim().to_owned(),
            serial: info.serial_number().trim().to_owned(),
            pin_state: pin_state(&info),
            certificates,
        });
    }
    Ok(out)
}

/// A logged-in session on a token and the key that signs.
pub struct Pkcs11Signer {
    session: Session,
    key: ObjectHandle,
    certs: Vec<Certificate>,
    // Keeps the module loaded as long as the session lives (dropped after it).
    _ctx: Pkcs11,
}

/// Which token and key to use.
#[derive(Debug, Clone, Default)]
pub struct TokenChoice {
    /// The token's label; `None` takes the only token present.
    pub token_label: Option<String>,
    /// The certificate's / key's CKA_LABEL; `None` takes the first key with a certificate.
    pub key_label: Option<String>,
}

impl Pkcs11Signer {
    /// Loads `module`, finds the token, logs in once with `pin` and finds the signing key.
    pub fn open(module: &Path, pin: &str, choice: &TokenChoice) -> Result<Self> {
        let ctx = load(module)?;
        let mut slots: Vec<(Slot, TokenInfo)> = Vec::new();
        for slot in ctx.get_slots_with_token().map_err(tok)? {
            let info = ctx.get_token_info(slot).map_err(tok)?;
            if info.token_initialized() {
                slots.push((slot, info));
            }
        }
        if let Some(want) = &choice.token_label {
            slots.retain(|(_, i)| i.label().trim() == want.trim());
        }
        let (slot, info) = match slots.len() {
            0 => return Err(SignError::NoToken),
            1 => slots.remove(0),
            _ => {
                let names: Vec<String> = slots.iter().map(|(_, i)| i.label().trim().to_owned()).collect();
                return Err(SignError::ManyTokens(names.join(", ")));
            }
        };
        if info.user_pin_locked() {
            return Err(SignError::PinLocked);
        }
        let session = ctx.open_ro_session(slot).map_err(tok)?;
        // Exactly one attempt: never loop on a PIN.
        match session.login(UserType::User, Some(&AuthPin::from(pin))) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
            Err(CkError::Pkcs11(RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange, _)) => {
                let after = ctx.get_token_info(slot).ok();
                return Err(match after {
                    Some(i) if i.user_pin_locked() => SignError::PinLocked,
                    Some(i) if i.user_pin_final_try() => {
                        SignError::WrongPin(" Chỉ còn 1 lần thử: nếu nhập sai lần nữa, token sẽ bị khóa.".into())
                    }
                    Some(i) if i.user_pin_count_low() => {
                        SignError::WrongPin(" Token báo số lần thử còn lại không nhiều.".into())
                    }
                    _ => SignError::WrongPin(String::new()),
                });
            }
            Err(CkError::Pkcs11(RvError::PinLocked, _)) => return Err(SignError::PinLocked),
            Err(e) => return Err(tok(e)),
        }

        let certs = der_certs(&session)?;
        let mut chosen = None;
        for (label, id, value) in &certs {
            if choice.key_label.as_ref().is_some_and(|l| l != label) {
                continue;
            }
            let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::KeyType(KeyType::RSA)];
            if !id.is_empty() {
                template.push(Attribute::Id(id.clone()));
            }
            let keys = session.find_objects(&template).map_err(tok)?;
            if let (Some(k), Ok(c)) = (keys.first(), Certificate::from_der(value)) {
                chosen = Some((*k, c));
                break;
            }
        }
        let (key, leaf) = chosen.ok_or_else(|| {
            SignError::NoKeyOnToken(match &choice.key_label {
                Some(l) => format!(" có nhãn «{l}»"),
                None => String::new(),
            })
        })?;
        // The rest of the chain: other certificates on the token that issued it, in order.
        let mut chain = vec![leaf];
        let others: Vec<Certificate> = certs.iter().filter_map(|(_, _, v)| Certificate::from_der(v).ok()).collect();
        while let Some(last) = chain.last() {
            let iss = &last.tbs_certificate.issuer;
            if *iss == last.tbs_certificate.subject {
                break;
            }
            match others.iter().find(|c| c.tbs_certificate.subject == *iss) {
                Some(c) if !chain.contains(c) => chain.push(c.clone()),
                _ => break,
            }
        }
        Ok(Pkcs11Signer { session, key, certs: chain, _ctx: ctx })
    }
}

impl Signer for Pkcs11Signer {
    fn certificates(&self) -> &[Certificate] {
        &self.certs
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.session.sign(&Mechanism::Sha256RsaPkcs, self.key, message).map_err(tok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first bytes of a PE library for `machine`, optionally exporting `C_GetFunctionList`.
    fn pe(machine: u16, pkcs11: bool) -> Vec<u8> {
        let mut b = vec![0u8; 512];
        b[..2].copy_from_slice(b"MZ");
        b[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        b[0x80..0x84].copy_from_slice(b"PE\0\0");
        b[0x84..0x86].copy_from_slice(&machine.to_le_bytes());
        if pkcs11 {
            b.extend_from_slice(b"\0C_GetFunctionList\0C_Initialize\0");
        }
        b
    }

    fn put(path: &Path, bytes: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn env_of(root: &Path) -> impl Fn(&str) -> Option<String> + '_ {
        move |k| {
            let v = match k {
                "SystemRoot" => root.join("Windows"),
                "ProgramFiles" | "ProgramW6432" => root.join("Program Files"),
                "ProgramFiles(x86)" => root.join("Program Files (x86)"),
                "LOCALAPPDATA" => root.join("Users").join("Cán bộ xã").join("AppData").join("Local"),
                _ => return None,
            };
            Some(v.to_string_lossy().into_owned())
        }
    }

    #[test]
    fn windows_program_folders_come_from_the_environment_once_each() {
        let root = Path::new("/w");
        let places = windows_places(env_of(root));
        assert_eq!(
            places.program_dirs,
            vec![
                root.join("Program Files"),
                root.join("Program Files (x86)"),
                root.join("Users/Cán bộ xã/AppData/Local/Programs"),
            ]
        );
        assert_eq!(places.lib_dirs, vec![root.join("Windows/System32"), root.join("Windows/SysWOW64")]);
        // The known System32 modules follow SystemRoot.
        assert!(places
            .known
            .iter()
            .any(|(v, p)| *v == "VNPT-CA" && *p == root.join("Windows/System32/vnptca_p11_v6.dll")));
        let defaults = windows_places(|_| None);
        assert_eq!(defaults.program_dirs.len(), 2);
        assert_eq!(defaults.lib_dirs[0], PathBuf::from(r"C:\Windows").join("System32"));
    }

    #[test]
    fn finds_the_vendors_modules_in_their_install_folders_of_this_processor_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let (this, _) = this_machine();
        let other = if this == 0x14c { 0x8664 } else { 0x14c };
        let pf = root.join("Program Files");
        let pf86 = root.join("Program Files (x86)");
        let local = root.join("Users/Cán bộ xã/AppData/Local/Programs");
        // A token manager's module under a name discovery does not know, two levels down.
        let vnpt = pf.join("VNPT-CA/Token Manager/x64/vnpt_pkcs_v7.dll");
        put(&vnpt, &pe(this, true));
        // A vendor folder with spaces and Vietnamese letters, installed for one user.
        let vgca = local.join("Ban Cơ yếu Chính phủ/Ký số/vgca token.dll");
        put(&vgca, &pe(this, true));
        // The 32-bit copy cannot be loaded by this program.
        put(&pf86.join("Viettel-CA/viettel-ca_v6.dll"), &pe(other, true));
        // A helper library of the token manager, not a PKCS#11 module.
        put(&pf.join("BkavCA/BkavCA Token Manager/ui.dll"), &pe(this, false));
        // Another program's folder is not searched.
        put(&pf.join("Microsoft Office/mso.dll"), &pe(this, true));
        // A module in System32 found by its name; its 32-bit twin in SysWOW64 is left out.
        let sys = root.join("Windows/System32/viettel-ca_v5.dll");
        put(&sys, &pe(this, true));
        put(&root.join("Windows/SysWOW64/viettel-ca_v5.dll"), &pe(other, true));

        let mut places = windows_places(env_of(root));
        places.ext = ".dll";
        let found = discover_in(&places);
        let got: Vec<(&str, &Path)> = found.iter().map(|m| (m.vendor.as_str(), m.path.as_path())).collect();
        assert_eq!(
            got,
            vec![
                ("Viettel-CA", sys.as_path()),
                ("VNPT-CA", vnpt.as_path()),
                ("Ban Cơ yếu Chính phủ (VGCA)", vgca.as_path()),
            ]
        );
    }

    #[test]
    fn machine_types() {
        let (this, elf) = this_machine();
        assert!(machine_matches(&pe(this, false)));
        assert!(!machine_matches(&pe(if this == 0x8664 { 0x14c } else { 0x8664 }, false)));
        // A truncated header is not a library of this processor.
        assert!(!machine_matches(b"MZ\0\0"));
        let mut e = vec![0u8; 64];
        e[..4].copy_from_slice(b"\x7fELF");
        e[18..20].copy_from_slice(&elf.to_le_bytes());
        assert!(machine_matches(&e));
        e[18..20].copy_from_slice(&0x28u16.to_le_bytes());
        assert!(!machine_matches(&e));
    }
}
