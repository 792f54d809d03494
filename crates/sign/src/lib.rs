//! Digital signatures on kehoach report PDFs.
//!
//! [`sign_pdf`] appends an incremental update holding a signature field with a visible
//! appearance (signer, title, time, in Liberation Serif) and a detached CMS signature
//! (PAdES baseline B-B, sub-filter `ETSI.CAdES.detached`) over the whole file but the
//! `/Contents` hole. Earlier signatures stay valid because earlier bytes are never touched.
//! [`sign_pdf_with`] can add an RFC 3161 timestamp from a time-stamping service (PAdES B-T);
//! when the service cannot be reached the signature stays B-B and the result says so.
//! [`verify_pdf`] reads every signature back and says whether the signed bytes are intact,
//! and whether a timestamp is attached and stamps that signature; [`verify_pdf_trusting`] also
//! says, as separate lines, whether the signer's certificate chains to a trusted root, whether
//! it was valid at the signing time, and what is known of its revocation (the `trust` module).
//!
//! Keys come from a PKCS#12 file ([`P12Signer`]) or a PKCS#11 token ([`Pkcs11Signer`]), both
//! behind the [`Signer`] trait. Messages meant for the officer are in Vietnamese.

mod appearance;
mod cms_sig;
mod ocsp;
mod p12;
mod pdf;
pub mod pkcs11;
mod report;
mod trust;
mod tsa;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use x509_cert::Certificate;

pub use p12::P12Signer;
pub use pdf::{is_kehoach_report, sign_pdf, sign_pdf_with, verify_pdf, verify_pdf_trusting};
pub use pkcs11::Pkcs11Signer;
pub use report::{sha256_hex, sign_report, signed_pdf_bytes, SignOptions, SignReportError, SignedReport};
pub use trust::{
    install_roots, installed_roots, remove_roots, Check, CheckState, TimeSource, TrustAnchors, TRUSTED_ROOTS,
};
pub use tsa::{TimestampInfo, TIMEOUT as TSA_TIMEOUT};

/// The level of a signature without a timestamp: the signing time is the computer's clock.
pub const LEVEL_B_B: &str = "PAdES B-B";
/// The level of a signature with a valid RFC 3161 timestamp token.
pub const LEVEL_B_T: &str = "PAdES B-T";

/// A signed PDF and what kind of signature it got.
#[derive(Debug, Clone, Serialize)]
pub struct SignedPdf {
    #[serde(skip)]
    pub pdf: Vec<u8>,
    /// [`LEVEL_B_T`] when a timestamp was attached, else [`LEVEL_B_B`].
    pub level: String,
    /// For the officer, in Vietnamese: where the timestamp came from, or why there is none
    /// (no service configured, or the service could not be reached and why).
    pub note: String,
    /// The timestamp attached, when there is one.
    pub timestamp: Option<TimestampInfo>,
}

/// A private key with its certificate chain.
pub trait Signer {
    /// The signer's certificate first, then the rest of its chain (may be just the first).
    fn certificates(&self) -> &[Certificate];
    /// Signs `message` with SHA-256 and RSA PKCS#1 v1.5 (the key hashes it itself); returns
    /// the raw signature value.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// Where the visible signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Placement {
    /// The space the report leaves for the signature under the signer's title (the first
    /// signature); later signatures go to the footer.
    #[default]
    Auto,
    /// The signature block, whatever was signed before.
    SignatureBlock,
    /// The bottom margin of the signature block's page, under the signature block.
    Footer,
    /// An explicit rectangle: 1-based page, then x, y, width, height in PDF points.
    Rect { page: u32, x: f32, y: f32, w: f32, h: f32 },
}

/// What the visible signature shows, and the signature dictionary's texts.
#[derive(Debug, Clone, Default)]
pub struct Appearance {
    /// The signer's name; empty takes the certificate's common name.
    pub signer: String,
    /// The signer's title, e.g. "Chủ tịch".
    pub title: String,
    /// The organisation, e.g. "Ủy ban nhân dân xã Chư Răng"; may be empty.
    pub organisation: String,
    /// /Reason of the signature dictionary, e.g. "Phê duyệt báo cáo".
    pub reason: String,
    /// /Location, e.g. "Chư Răng, Gia Lai".
    pub location: String,
    pub placement: Placement,
}

/// Whether the bytes a signature covers are the bytes that were signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Integrity {
    /// The digest matches and the signature verifies with the signer's certificate.
    Intact,
    /// The signed bytes changed after signing (or the signature value does not verify).
    Modified,
}

/// What the incremental updates appended after a signature did to the revision it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSigning {
    /// Nothing was appended: the signature covers the whole file.
    Nothing,
    /// Only later signatures (their fields, widgets and appearances) and validation data.
    SignaturesOnly,
    /// Something else changed — a page, its content, the document's structure: the file was
    /// altered after signing, and the signature no longer vouches for what is shown.
    Changed,
}

/// One signature found in a PDF.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureInfo {
    /// The signature field's name.
    pub field: String,
    /// The certificate's common name (or the whole subject when it has none).
    pub signer: String,
    /// The certificate's subject, e.g. "CN=Nguyễn Văn A,O=UBND xã Chư Răng,C=VN".
    pub subject: String,
    pub issuer: String,
    /// The claimed signing time (/M of the signature dictionary), RFC 3339.
    pub signing_time: Option<String>,
    pub not_before: String,
    pub not_after: String,
    pub sub_filter: String,
    /// "PAdES B-T" when a timestamp token is attached and stamps this signature, else
    /// "PAdES B-B" (also when an attached token is not valid: see `timestamp.problem`).
    pub level: String,
    /// The attached RFC 3161 timestamp: its time, its TSA, whether it matches; `None` without.
    pub timestamp: Option<TimestampInfo>,
    pub integrity: Integrity,
    /// The signature covers the whole file (no later update was appended).
    pub covers_whole_file: bool,
    /// What was appended after it, if anything; `Changed` also makes `integrity` `Modified`.
    pub after_signing: AfterSigning,
    /// Why verification failed, in Vietnamese; empty when intact.
    pub problem: String,
    pub reason: String,
    pub location: String,
    /// Whether the signer's certificate chains to a root this PC trusts.
    pub trust: Check,
    /// Whether the signer's certificate was valid at the signing time (the timestamp's, else
    /// the claimed /M, else now — `checked_at` says which).
    pub validity: Check,
    /// The time the validity was checked at, RFC 3339, and where it came from.
    pub checked_at: String,
    pub time_source: TimeSource,
    /// Revocation from the certificate's CRL when looked up ([`TrustAnchors::looking_up_revocation`]);
    /// `unknown` with the reason when it was not or could not be (no network, no CRL named).
    pub revocation: Check,
}

impl SignatureInfo {
    /// The signature can be relied on: intact, nothing but signatures after it, a certificate
    /// from a trusted authority that was valid when it signed and not found revoked, and no bad
    /// timestamp. Revocation that could not be checked does not count against it.
    pub fn is_trustworthy(&self) -> bool {
        self.integrity == Integrity::Intact
            && self.trust.is_ok()
            && self.validity.is_ok()
            && self.revocation.state != CheckState::Failed
            && self.timestamp.as_ref().is_none_or(|t| t.is_valid())
    }
}

/// Why signing failed. Messages are for the officer, in Vietnamese.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("Mật khẩu của tệp chứng thư số (.p12) không đúng.")]
    WrongPassword,
    #[error("Không đọc được tệp chứng thư số (.p12): {0}")]
    BadP12(String),
    #[error("Tệp chứng thư số không có khóa bí mật RSA kèm chứng thư của nó.")]
    NoKey,
    #[error("Không nạp được thư viện PKCS#11 «{module}»: {reason}")]
    Module { module: String, reason: String },
    #[error("Không tìm thấy thiết bị ký số (USB token). Hãy cắm token vào máy rồi thử lại.")]
    NoToken,
    #[error("Có nhiều thiết bị ký số đang cắm ({0}); hãy chỉ rõ token cần dùng.")]
    ManyTokens(String),
    #[error("Mã PIN không đúng.{0} Phần mềm không tự thử lại; hãy kiểm tra mã PIN trước khi nhập lần nữa.")]
    WrongPin(String),
    #[error("Token đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ tổ chức cung cấp chứng thư số để mở khóa.")]
    PinLocked,
    #[error("Không tìm thấy khóa ký trên token{0}.")]
    NoKeyOnToken(String),
    #[error("Lỗi thiết bị ký số: {0}")]
    Token(String),
    #[error("Chứng thư số của «{subject}» đã hết hạn: chỉ có hiệu lực từ {not_before} đến {not_after}.")]
    CertExpired { subject: String, not_before: String, not_after: String },
    #[error("Chứng thư số của «{subject}» chưa đến thời hạn hiệu lực: có hiệu lực từ {not_before} đến {not_after}.")]
    CertNotYetValid { subject: String, not_before: String, not_after: String },
    #[error("Tệp PDF không phải báo cáo do kehoach tạo ra; chỉ ký được báo cáo của kehoach.")]
    NotKehoachReport,
    #[error("Không đọc được tệp PDF: {0}")]
    BadPdf(String),
    #[error("Chữ ký quá lớn so với chỗ dành sẵn trong tệp PDF ({0} byte).")]
    TooLarge(usize),
    #[error("Lỗi khi tạo chữ ký số: {0}")]
    Crypto(String),
    #[error("Địa chỉ máy chủ dấu thời gian «{url}» không dùng được: {reason}.")]
    TsaUrl { url: String, reason: String },
    /// A time-stamping service answered wrongly; nothing was signed (see the `tsa` module).
    /// A root certificate file or the list of installed roots could not be used.
    #[error("{0}")]
    TrustRoot(String),
    #[error("Máy chủ dấu thời gian {url} trả lời không hợp lệ: {reason}. Tệp chưa được ký. Hãy báo cho người quản trị, kiểm tra địa chỉ máy chủ dấu thời gian, hoặc ký không kèm dấu thời gian.")]
    Timestamp { url: String, reason: String },
}

pub type Result<T, E = SignError> = std::result::Result<T, E>;

/// A date as the officer reads it: "07/04/2023 08:30:00 (UTC+07:00)".
pub(crate) fn vn_time(t: DateTime<FixedOffset>) -> String {
    t.format("%d/%m/%Y %H:%M:%S (UTC%:z)").to_string()
}

fn vn_cert_time(t: &x509_cert::time::Time) -> String {
    let utc: DateTime<Utc> = t.to_system_time().into();
    let vn = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    vn_time(utc.with_timezone(&vn))
}

/// The common name of a certificate's subject, or the whole subject.
pub(crate) fn common_name(name: &x509_cert::name::Name) -> String {
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == const_oid::db::rfc4519::CN {
                if let Some(s) = any_to_string(&atv.value) {
                    return s;
                }
            }
        }
    }
    name.to_string()
}

pub(crate) fn any_to_string(any: &der::Any) -> Option<String> {
    use der::asn1::{BmpString, Ia5String, PrintableStringRef, Utf8StringRef};
    if let Ok(s) = any.decode_as::<Utf8StringRef<'_>>() {
        return Some(s.as_str().to_owned());
    }
    if let Ok(s) = any.decode_as::<PrintableStringRef<'_>>() {
        return Some(s.as_str().to_owned());
    }
    if let Ok(s) = any.decode_as::<BmpString>() {
        return Some(s.to_string());
    }
    if let Ok(s) = any.decode_as::<Ia5String>() {
        return Some(s.to_string());
    }
    None
}

/// Refuses a certificate that is not valid at `when`, with its dates in the message.
pub fn check_validity(cert: &Certificate, when: DateTime<FixedOffset>) -> Result<()> {
    let v = &cert.tbs_certificate.validity;
    let nb: DateTime<Utc> = v.not_before.to_system_time().into();
    let na: DateTime<Utc> = v.not_after.to_system_time().into();
    let subject = common_name(&cert.tbs_certificate.subject);
    let (not_before, not_after) = (vn_cert_time(&v.not_before), vn_cert_time(&v.not_after));
    if when < nb {
        return Err(SignError::CertNotYetValid { subject, not_before, not_after });
    }
    if when > na {
        return Err(SignError::CertExpired { subject, not_before, not_after });
    }
    Ok(())
}

/// A short description of a certificate for pick lists.
#[derive(Debug, Clone, Serialize)]
pub struct CertSummary {
    pub subject: String,
    pub common_name: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    pub serial: String,
    /// SHA-256 fingerprint of the certificate's DER, lowercase hex.
    pub sha256: String,
}

pub fn summarize(cert: &Certificate) -> CertSummary {
    let tbs = &cert.tbs_certificate;
    CertSummary {
        subject: tbs.subject.to_string(),
        common_name: common_name(&tbs.subject),
        issuer: common_name(&tbs.issuer),
        not_before: vn_cert_time(&tbs.validity.not_before),
        not_after: vn_cert_time(&tbs.validity.not_after),
        serial: tbs.serial_number.to_string(),
        sha256: der::Encode::to_der(cert).map(|d| sha256_hex(&d)).unwrap_or_default(),
    }
}
