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

/// Lower-case name fragments of the vendors' modules, matched against the files in the
/// usual library folders.
const VENDOR_PATTERNS: &[(&str, &str)] = &[
    ("vgca", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("cyca", "Ban Cơ yếu Chính phủ (VGCA)"),
    ("vnpt", "VNPT-CA"),
    ("viettel", "Viettel-CA"),
    ("fpt", "FPT-CA"),
    ("bkav", "BKAV-CA"),
    ("misa", "MISA-CA"),
    ("newtel", "NewTel-CA"),
    ("safe-ca", "SAFE-CA"),
    ("softhsm", "SoftHSM2"),
];

fn folders() -> Vec<PathBuf> {
    if cfg!(windows) {
        let root = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\Windows".into());
        vec![PathBuf::from(&root).join("System32"), PathBuf::from(&root).join("SysWOW64")]
    } else {
        ["/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/softhsm", "/opt"]
            .iter()
            .map(PathBuf::from)
            .collect()
    }
}

/// The PKCS#11 modules installed at their usual paths, known ones first.
pub fn discover_modules() -> Vec<Module> {
    let mut out: Vec<Module> = Vec::new();
    let known = if cfg!(windows) { KNOWN_WINDOWS } else { KNOWN_UNIX };
    for (vendor, path) in known {
        let p = PathBuf::from(path);
        if p.is_file() && !out.iter().any(|m| m.path == p) {
            out.push(Module { vendor: (*vendor).into(), path: p });
        }
    }
    let ext = if cfg!(windows) { ".dll" } else { ".so" };
    for dir in folders() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_lowercase();
            if !(name.ends_with(ext) || name.contains(".so.")) {
                continue;
            }
            let looks_p11 =
                name.contains("p11") || name.contains("pkcs11") || name.contains("csp11") || name.contains("ca");
            if let Some((_, vendor)) = VENDOR_PATTERNS.iter().find(|(pat, _)| name.contains(pat)) {
                let p = e.path();
                if looks_p11 && p.is_file() && !out.iter().any(|m| m.path == p) {
                    out.push(Module { vendor: (*vendor).into(), path: p });
                }
            }
        }
    }
    out
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
