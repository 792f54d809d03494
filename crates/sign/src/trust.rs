//! Who stands behind a signature: whether the signer's certificate chains to a root this PC
//! trusts, whether it was valid when the signature was made, and what is known of its
//! revocation.
//!
//! The roots are the operating system's store (read by rustls-native-certs: Windows' own store,
//! the distribution's bundle on Linux) plus the roots installed on this PC from a file with
//! [`install_roots`] — the national root CA of Vietnam's digital-signature system, which real
//! certificates chain to, is not in every operating system's store. Path building and the
//! certificates' own signatures are checked by rustls-webpki, the verifier rustls uses.
//!
//! The installed roots are a local setting of this PC, never synced: another device must not
//! be able to make this PC trust an authority.

use chrono::{DateTime, FixedOffset, Utc};
use der::{Decode, Encode};
use kehoach_core::Store;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, UnixTime};
use serde::Serialize;
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::Certificate;

use crate::{common_name, summarize, vn_time, CertSummary, Result, SignError};

/// The local setting holding the roots installed on this PC (PEM, one after another).
pub const TRUSTED_ROOTS: &str = "sign.trusted_roots";

/// The outcome of one check of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    Ok,
    Failed,
    /// Could not be checked (said so, never counted as passed).
    Unknown,
}

/// One line of a signature's verification: its outcome and, for the officer, in Vietnamese,
/// what was found.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub state: CheckState,
    pub message: String,
}

impl Check {
    fn ok(message: impl Into<String>) -> Check {
        Check { state: CheckState::Ok, message: message.into() }
    }
    fn failed(message: impl Into<String>) -> Check {
        Check { state: CheckState::Failed, message: message.into() }
    }
    fn unknown(message: impl Into<String>) -> Check {
        Check { state: CheckState::Unknown, message: message.into() }
    }
    pub fn is_ok(&self) -> bool {
        self.state == CheckState::Ok
    }
}

/// The roots a signer's certificate may chain to.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    roots: Vec<CertificateDer<'static>>,
    /// Ask the signer's authority (OCSP, then its CRL) whether the certificate was revoked.
    online: bool,
}

impl TrustAnchors {
    /// No root at all (tests; every chain is then untrusted).
    pub fn none() -> TrustAnchors {
        TrustAnchors::default()
    }

    /// The operating system's store. A file of the store that cannot be read is skipped: the
    /// roots that were read still count, and a missing root only makes a chain untrusted.
    pub fn system() -> TrustAnchors {
        TrustAnchors { roots: rustls_native_certs::load_native_certs().certs, online: false }
    }

    /// As this PC is set up: the operating system's store and the roots installed with
    /// [`install_roots`].
    pub fn for_store(store: &Store) -> Result<TrustAnchors> {
        let mut t = TrustAnchors::system();
        for (der, _) in installed(store)? {
            t.roots.push(der);
        }
        Ok(t)
    }

    /// Also looks revocation up: asks the OCSP responder, then downloads the CRL, that the
    /// signer's certificate names (HTTP, each at most [`CRL_TIMEOUT`]); without this, or when
    /// neither answers, revocation is "không kiểm tra được".
    pub fn looking_up_revocation(mut self) -> TrustAnchors {
        self.online = true;
        self
    }

    /// Adds the root certificates of a file (PEM or DER) for this check only.
    pub fn add_file(&mut self, bytes: &[u8]) -> Result<Vec<CertSummary>> {
        let roots = parse_roots(bytes)?;
        let out = roots.iter().map(|(_, c)| summarize(c)).collect();
        self.roots.extend(roots.into_iter().map(|(d, _)| d));
        Ok(out)
    }
}

fn bad_root(why: impl std::fmt::Display) -> SignError {
    SignError::TrustRoot(format!(
        "Tệp chứng thư gốc không dùng được: {why}. Cần tệp chứng thư của tổ chức cung cấp dịch vụ chứng thực (.pem, .crt hoặc .cer)."
    ))
}

/// The certificates of a root file: PEM (one or more) or a single DER certificate. Each must
/// be an authority's certificate (basicConstraints cA), so a signer's own certificate cannot
/// be made "trusted" by installing it.
fn parse_roots(bytes: &[u8]) -> Result<Vec<(CertificateDer<'static>, Certificate)>> {
    let ders: Vec<CertificateDer<'static>> = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        CertificateDer::pem_slice_iter(bytes)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| bad_root(format!("không đọc được PEM ({e:?})")))?
    } else {
        vec![CertificateDer::from(bytes.to_vec())]
    };
    if ders.is_empty() {
        return Err(bad_root("không có chứng thư nào trong tệp"));
    }
    let mut out = Vec::new();
    for der in ders {
        let cert = Certificate::from_der(&der).map_err(|e| bad_root(format!("không đọc được chứng thư ({e})")))?;
        webpki::anchor_from_trusted_cert(&der).map_err(|e| bad_root(format!("chứng thư không dùng được ({e:?})")))?;
        let is_ca = matches!(cert.tbs_certificate.get::<BasicConstraints>(), Ok(Some((_, bc))) if bc.ca);
        if !is_ca {
            return Err(bad_root(format!(
                "«{}» không phải chứng thư của tổ chức cấp chứng thư số (CA)",
                common_name(&cert.tbs_certificate.subject)
            )));
        }
        out.push((der, cert));
    }
    Ok(out)
}

fn installed(store: &Store) -> Result<Vec<(CertificateDer<'static>, Certificate)>> {
    let pem = store.local_setting(TRUSTED_ROOTS).map_err(|e| SignError::TrustRoot(e.to_string()))?;
    match pem.filter(|p| !p.trim().is_empty()) {
        Some(p) => parse_roots(p.as_bytes()),
        None => Ok(Vec::new()),
    }
}

fn save(store: &Store, roots: &[(CertificateDer<'static>, Certificate)]) -> Result<()> {
    let mut text = String::new();
    for (der, _) in roots {
        text += &der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der)
            .map_err(|e| SignError::TrustRoot(e.to_string()))?;
    }
    store.set_local_setting(TRUSTED_ROOTS, &text).map_err(|e| SignError::TrustRoot(e.to_string()))
}

/// The roots installed on this PC (not the operating system's).
pub fn installed_roots(store: &Store) -> Result<Vec<CertSummary>> {
    Ok(installed(store)?.iter().map(|(_, c)| summarize(c)).collect())
}

/// Installs the root certificates of a file (PEM or DER) as trusted on this PC; returns the
/// ones that were new. A file that holds anything but authorities' certificates changes nothing.
pub fn install_roots(store: &Store, bytes: &[u8]) -> Result<Vec<CertSummary>> {
    let new = parse_roots(bytes)?;
    let mut all = installed(store)?;
    let mut added = Vec::new();
    for (der, cert) in new {
        if !all.iter().any(|(d, _)| d == &der) {
            added.push(summarize(&cert));
            all.push((der, cert));
        }
    }
    save(store, &all)?;
    Ok(added)
}

/// Removes the installed roots whose SHA-256 fingerprint (hex, as [`CertSummary::sha256`]
/// shows it) starts with `fingerprint` (at least 8 digits); returns the ones removed.
pub fn remove_roots(store: &Store, fingerprint: &str) -> Result<Vec<CertSummary>> {
    let want = fingerprint.trim().to_ascii_lowercase().replace(':', "");
    if want.len() < 8 {
        return Err(SignError::TrustRoot(
            "Hãy ghi ít nhất 8 chữ số đầu của dấu vân tay SHA-256 của chứng thư gốc.".into(),
        ));
    }
    let (gone, kept): (Vec<_>, Vec<_>) =
        installed(store)?.into_iter().partition(|(d, _)| crate::sha256_hex(d).starts_with(&want));
    if gone.is_empty() {
        return Err(SignError::TrustRoot(format!(
            "Không có chứng thư gốc nào đã cài có dấu vân tay bắt đầu bằng {want}."
        )));
    }
    save(store, &kept)?;
    Ok(gone.iter().map(|(_, c)| summarize(c)).collect())
}

/// Any extended key usage is accepted: no usage is standard for document signing, and the
/// certificates Vietnamese providers issue for it carry clientAuth/emailProtection or none.
struct AnyUsage;

impl ExtendedKeyUsageValidator for AnyUsage {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> std::result::Result<(), webpki::Error> {
        for id in iter {
            id?;
        }
        Ok(())
    }
}

pub(crate) fn cert_time(t: &x509_cert::time::Time) -> DateTime<Utc> {
    t.to_system_time().into()
}

fn vn(t: DateTime<Utc>) -> String {
    vn_time(t.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("valid offset")))
}

/// Whether `leaf` chains to one of `anchors` through the other certificates the signature
/// carries, checked at `when` (the signing time). The leaf's own dates are [`validity`]'s
/// line, so the chain is checked at `when` moved into the leaf's validity: an expired leaf is
/// named once, there, and an intermediate that had expired then is named here.
pub fn chain(leaf: &Certificate, others: &[Certificate], anchors: &TrustAnchors, when: DateTime<Utc>) -> Check {
    let issuer = common_name(&leaf.tbs_certificate.issuer);
    let self_signed = leaf.tbs_certificate.subject == leaf.tbs_certificate.issuer;
    match build_path(leaf, others, anchors, when, None) {
        Ok(root) => Check::ok(format!(
            "chứng thư số do tổ chức được tin cậy cấp (chuỗi chứng thư đến «{}»)",
            root.unwrap_or(issuer)
        )),
        Err(PathError::Unreadable) => Check::failed("Không đọc được chứng thư của người ký."),
        Err(PathError::NotX509) => {
            Check::failed("Chứng thư của người ký không đúng định dạng X.509 v3, không kiểm tra được tổ chức cấp.")
        }
        Err(PathError::Webpki(_)) if self_signed => Check::failed(
            "chứng thư số không do tổ chức được tin cậy cấp: đây là chứng thư tự ký (người ký tự cấp cho mình), không chứng minh được người ký là ai",
        ),
        Err(PathError::Webpki(webpki::Error::UnknownIssuer)) => Check::failed(format!(
            "chứng thư số không do tổ chức được tin cậy cấp: tổ chức cấp «{issuer}» không có trong các chứng thư gốc mà máy này tin cậy (kho của hệ điều hành và các chứng thư gốc đã cài bằng «kehoach report trust add»)"
        )),
        Err(PathError::Webpki(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. })) => {
            Check::failed(format!(
                "chứng thư của tổ chức cấp trong chuỗi không có hiệu lực vào thời điểm ký (tổ chức cấp «{issuer}»)"
            ))
        }
        Err(PathError::Webpki(e)) => {
            Check::failed(format!("chuỗi chứng thư không hợp lệ ({e:?}), tổ chức cấp «{issuer}»"))
        }
    }
}

/// Why no path from the signer's certificate to a trusted root was found.
enum PathError {
    /// The certificate could not be encoded again (a damaged signature).
    Unreadable,
    /// Not an X.509 v3 certificate webpki can read.
    NotX509,
    Webpki(webpki::Error),
}

/// Builds the path from `leaf` to one of `anchors` through `others` (the other certificates the
/// signature carries), at `when` moved into the leaf's validity (the leaf's own dates are
/// [`validity`]'s line), with `revocation` checked on the way when given. `Ok` names the root
/// reached. One path building for the chain's line and the revocation's.
fn build_path(
    leaf: &Certificate,
    others: &[Certificate],
    anchors: &TrustAnchors,
    when: DateTime<Utc>,
    revocation: Option<webpki::RevocationOptions<'_>>,
) -> Result<Option<String>, PathError> {
    let leaf_der = leaf.to_der().map(CertificateDer::from).map_err(|_| PathError::Unreadable)?;
    let ee = EndEntityCert::try_from(&leaf_der).map_err(|_| PathError::NotX509)?;
    let intermediates: Vec<CertificateDer<'static>> =
        others.iter().filter(|c| *c != leaf).filter_map(|c| c.to_der().ok()).map(CertificateDer::from).collect();
    let anchors_parsed: Vec<_> =
        anchors.roots.iter().filter_map(|d| webpki::anchor_from_trusted_cert(d).ok()).collect();
    let v = &leaf.tbs_certificate.validity;
    let at = when.clamp(cert_time(&v.not_before), cert_time(&v.not_after));
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(at.timestamp().max(0) as u64));
    let path = ee
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors_parsed,
            &intermediates,
            at,
            AnyUsage,
            revocation,
            None,
        )
        .map_err(PathError::Webpki)?;
    Ok(anchors
        .roots
        .iter()
        .find(|d| webpki::anchor_from_trusted_cert(d).ok().as_ref() == Some(path.anchor()))
        .and_then(|d| Certificate::from_der(d).ok())
        .map(|c| common_name(&c.tbs_certificate.subject)))
}

/// Where the time a signature is checked at came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// A valid RFC 3161 timestamp: a time the signer could not choose.
    Timestamp,
    /// The signature's own /M: the signer's computer clock.
    Claimed,
    /// Neither: the time of this check.
    Now,
}

/// Whether `leaf` was valid at `when`.
pub fn validity(leaf: &Certificate, when: DateTime<Utc>, source: TimeSource) -> Check {
    let v = &leaf.tbs_certificate.validity;
    let (nb, na) = (cert_time(&v.not_before), cert_time(&v.not_after));
    let at = match source {
        TimeSource::Timestamp => format!("thời điểm ký theo dấu thời gian, {}", vn(when)),
        TimeSource::Claimed => format!("thời điểm ký theo đồng hồ máy người ký, {}", vn(when)),
        TimeSource::Now => format!("thời điểm kiểm tra, {} (chữ ký không ghi thời điểm ký)", vn(when)),
    };
    let range = format!("hiệu lực từ {} đến {}", vn(nb), vn(na));
    if when < nb {
        Check::failed(format!("chứng thư số CHƯA CÓ HIỆU LỰC vào {at}; {range}"))
    } else if when > na {
        Check::failed(format!("chứng thư số ĐÃ HẾT HẠN vào {at}; {range}"))
    } else {
        Check::ok(format!("chứng thư số có hiệu lực vào {at}; {range}"))
    }
}

/// How long a CRL download may take.
pub const CRL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The largest CRL read (a provider's full CRL is a few megabytes).
const MAX_CRL: u64 = 32 * 1024 * 1024;

/// The http(s) addresses of the CRLs a certificate names (cRLDistributionPoints).
fn crl_urls(cert: &Certificate) -> Vec<String> {
    use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
    use x509_cert::ext::pkix::CrlDistributionPoints;
    let Ok(Some((_, points))) = cert.tbs_certificate.get::<CrlDistributionPoints>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dp in points.0 {
        if let Some(DistributionPointName::FullName(names)) = dp.distribution_point {
            for n in names {
                if let GeneralName::UniformResourceIdentifier(uri) = n {
                    let uri = uri.to_string();
                    if uri.starts_with("http://") || uri.starts_with("https://") {
                        out.push(uri);
                    }
                }
            }
        }
    }
    out
}

fn fetch_crl(url: &str) -> std::result::Result<Vec<u8>, String> {
    let mut resp = crate::tsa::agent(CRL_TIMEOUT).get(url).call().map_err(|e| crate::tsa::describe(&e))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(format!("máy chủ trả lời lỗi HTTP {status}"));
    }
    resp.body_mut().with_config().limit(MAX_CRL).read_to_vec().map_err(|e| crate::tsa::describe(&e))
}

/// Whether `leaf` was revoked: asked of its authority's OCSP responder first (one small
/// request), then read from the CRL it names; each answer is believed only when the issuer on
/// the trusted chain signed it (so nobody else's word counts). A revocation after the signing
/// time leaves the signature good only when a timestamp proves that time.
pub fn revocation(
    leaf: &Certificate,
    others: &[Certificate],
    anchors: &TrustAnchors,
    when: DateTime<Utc>,
    source: TimeSource,
    chain_ok: bool,
) -> Check {
    if !anchors.online {
        return Check::unknown(
            "không kiểm tra được: lần kiểm tra này không tra cứu tình trạng thu hồi (OCSP, CRL) qua mạng; nếu cần, hãy kiểm tra khi máy có mạng",
        );
    }
    if !chain_ok {
        return Check::unknown(
            "không kiểm tra được: chứng thư không do tổ chức được tin cậy cấp, nên thông tin thu hồi của tổ chức cấp không xác thực được",
        );
    }
    let mut problems = Vec::new();
    let ocsp_urls = crate::ocsp::urls(leaf);
    if !ocsp_urls.is_empty() {
        match issuer_of(leaf, others, anchors) {
            None => problems.push("không tìm thấy chứng thư của tổ chức cấp để hỏi OCSP".to_string()),
            Some(issuer) => {
                for url in ocsp_urls {
                    match crate::ocsp::query(&url, leaf, &issuer) {
                        Ok(crate::ocsp::Status::Good) => {
                            return Check::ok(format!(
                                "chưa bị thu hồi theo máy chủ OCSP của tổ chức cấp ({url}), hỏi lúc {}",
                                vn(Utc::now())
                            ))
                        }
                        Ok(crate::ocsp::Status::Revoked(at)) => {
                            return revoked(Some(at), when, source, &format!("theo máy chủ OCSP {url}"))
                        }
                        Ok(crate::ocsp::Status::Unknown) => {
                            problems.push(format!("máy chủ OCSP {url} không biết chứng thư này"))
                        }
                        Err(e) => problems.push(format!("không hỏi được máy chủ OCSP {url}: {e}")),
                    }
                }
            }
        }
    }
    let crl_urls = crl_urls(leaf);
    if crl_urls.is_empty() && problems.is_empty() {
        return Check::unknown(
            "không kiểm tra được: chứng thư không ghi máy chủ OCSP hay nơi công bố danh sách thu hồi (CRL)",
        );
    }
    for url in crl_urls {
        let crl = match fetch_crl(&url) {
            Ok(der) => der,
            Err(e) => {
                problems.push(format!("không tải được danh sách thu hồi từ {url}: {e}"));
                continue;
            }
        };
        return check_crl(leaf, others, anchors, when, source, &url, &crl);
    }
    Check::unknown(format!("không kiểm tra được: {}", problems.join("; ")))
}

/// The certificate that issued `leaf`, among those the signature carries and the trusted
/// roots (the chain to it has been checked already).
fn issuer_of(leaf: &Certificate, others: &[Certificate], anchors: &TrustAnchors) -> Option<Certificate> {
    let issuer = &leaf.tbs_certificate.issuer;
    others.iter().filter(|c| *c != leaf).find(|c| &c.tbs_certificate.subject == issuer).cloned().or_else(|| {
        anchors
            .roots
            .iter()
            .filter_map(|d| Certificate::from_der(d).ok())
            .find(|c| &c.tbs_certificate.subject == issuer)
    })
}

/// The line for a revoked certificate, from when it was revoked (`None`: unknown) against the
/// signing time and whether a timestamp proves that time.
fn revoked(revoked_at: Option<DateTime<Utc>>, when: DateTime<Utc>, source: TimeSource, by: &str) -> Check {
    let date = revoked_at.map(vn).unwrap_or_else(|| "ngày không rõ".into());
    match revoked_at {
        Some(r) if r > when && source == TimeSource::Timestamp => Check::ok(format!(
            "bị thu hồi từ {date} ({by}), sau thời điểm ký theo dấu thời gian: chữ ký được tạo khi chứng thư còn giá trị"
        )),
        Some(r) if r > when => Check::failed(format!(
            "ĐÃ BỊ THU HỒI từ {date} ({by}); chữ ký không có dấu thời gian nên không chứng minh được đã ký trước khi thu hồi"
        )),
        _ => Check::failed(format!("ĐÃ BỊ THU HỒI từ {date} ({by}), không muộn hơn thời điểm ký")),
    }
}

fn check_crl(
    leaf: &Certificate,
    others: &[Certificate],
    anchors: &TrustAnchors,
    when: DateTime<Utc>,
    source: TimeSource,
    url: &str,
    crl_der: &[u8],
) -> Check {
    let unusable = |e: String| {
        Check::unknown(format!("không kiểm tra được: danh sách thu hồi tải từ {url} không dùng được ({e})"))
    };
    let crl = match webpki::OwnedCertRevocationList::from_der(crl_der) {
        Ok(c) => webpki::CertRevocationList::from(c),
        Err(e) => return unusable(format!("{e:?}")),
    };
    let crls = [&crl];
    let Ok(builder) = webpki::RevocationOptionsBuilder::new(&crls) else {
        return unusable("không có danh sách".into());
    };
    // The leaf only: intermediates' CRLs are other downloads. A CRL that does not cover the
    // leaf (another issuer's) is "unknown", not "not revoked".
    let options = builder
        .with_depth(webpki::RevocationCheckDepth::EndEntity)
        .with_status_policy(webpki::UnknownStatusPolicy::Deny)
        .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
        .build();
    let checked = build_path(leaf, others, anchors, when, Some(options));
    match checked {
        Err(PathError::Unreadable | PathError::NotX509) => unusable("không đọc được chứng thư".into()),
        Ok(_) => Check::ok(format!(
            "chưa bị thu hồi theo danh sách thu hồi (CRL) của tổ chức cấp, tải lúc {} từ {url}",
            vn(Utc::now())
        )),
        Err(PathError::Webpki(webpki::Error::CertRevoked)) => {
            let revoked_at =
                crl.find_serial(leaf.tbs_certificate.serial_number.as_bytes()).ok().flatten().map(|r| {
                    DateTime::<Utc>::from_timestamp(r.revocation_date.as_secs() as i64, 0).unwrap_or_default()
                });
            revoked(revoked_at, when, source, &format!("theo danh sách thu hồi tải từ {url}"))
        }
        Err(PathError::Webpki(e)) => unusable(format!("{e:?}")),
    }
}
