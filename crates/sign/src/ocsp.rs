//! Revocation by OCSP (RFC 6960): the signer's certificate names its authority's responder
//! (authorityInfoAccess); one POST asks about that one certificate, and the answer counts only
//! when it is signed by the issuer itself, or by a responder certificate the issuer issued for
//! OCSP signing, and is fresh. Vietnamese providers run OCSP beside their CRLs; OCSP answers in
//! one small request where a CRL is megabytes.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use rustls_pki_types::CertificateDer;
use webpki::EndEntityCert;
use x509_cert::Certificate;
use x509_ocsp::builder::OcspRequestBuilder;
use x509_ocsp::ext::Nonce;
use x509_ocsp::{BasicOcspResponse, CertId, CertStatus, OcspResponse, OcspResponseStatus, Request, Version};

/// How long an OCSP query may take.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The largest answer read (a real one is a few kilobytes).
const MAX_ANSWER: u64 = 1024 * 1024;
/// Clocks differ: an answer "from the future" by this much is still believed.
const SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// What a responder said of one certificate.
#[derive(Debug, PartialEq)]
pub(crate) enum Status {
    Good,
    Revoked(DateTime<Utc>),
    /// The responder does not know the certificate.
    Unknown,
}

/// The http(s) addresses of the OCSP responders a certificate names.
pub(crate) fn urls(cert: &Certificate) -> Vec<String> {
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::AuthorityInfoAccessSyntax;
    const ID_AD_OCSP: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
    let Ok(Some((_, aia))) = cert.tbs_certificate.get::<AuthorityInfoAccessSyntax>() else {
        return Vec::new();
    };
    aia.0
        .into_iter()
        .filter(|a| a.access_method == ID_AD_OCSP)
        .filter_map(|a| match a.access_location {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
            _ => None,
        })
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .collect()
}

/// Asks the responder at `url` about `leaf`, issued by `issuer`.
pub(crate) fn query(url: &str, leaf: &Certificate, issuer: &Certificate) -> Result<Status, String> {
    let cert_id = CertId::from_cert::<sha1::Sha1>(issuer, leaf).map_err(|e| e.to_string())?;
    let mut nonce_bytes = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce_bytes);
    let nonce = Nonce::new(nonce_bytes.to_vec()).map_err(|e| e.to_string())?;
    let request = OcspRequestBuilder::new(Version::V1)
        .with_request(Request::new(cert_id.clone()))
        .with_extension(nonce.clone())
        .map_err(|e| e.to_string())?
        .build()
        .to_der()
        .map_err(|e| e.to_string())?;
    let body = post(url, &request)?;
    read_answer(&body, &cert_id, &nonce, issuer, Utc::now())
}

fn post(url: &str, request: &[u8]) -> Result<Vec<u8>, String> {
    let mut resp = crate::tsa::agent(TIMEOUT)
        .post(url)
        .header("Content-Type", "application/ocsp-request")
        .send(request)
        .map_err(|e| crate::tsa::describe(&e))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(format!("máy chủ trả lời lỗi HTTP {status}"));
    }
    resp.body_mut().with_config().limit(MAX_ANSWER).read_to_vec().map_err(|e| crate::tsa::describe(&e))
}

/// Reads and checks an answer: its signature (by the issuer, or by a responder the issuer
/// named for OCSP), that it speaks of our certificate, echoes our nonce when it carries one,
/// and is not stale.
fn read_answer(
    body: &[u8],
    ours: &CertId,
    nonce: &Nonce,
    issuer: &Certificate,
    now: DateTime<Utc>,
) -> Result<Status, String> {
    let not_ocsp = |e: der::Error| format!("không phải câu trả lời OCSP ({e})");
    let answer = OcspResponse::from_der(body).map_err(not_ocsp)?;
    if answer.response_status != OcspResponseStatus::Successful {
        return Err(format!("máy chủ OCSP từ chối: {:?}", answer.response_status));
    }
    let bytes = answer.response_bytes.ok_or("câu trả lời OCSP trống")?;
    if bytes.response_type != const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC {
        return Err("câu trả lời OCSP không theo dạng cơ bản (basic)".into());
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes()).map_err(not_ocsp)?;
    let tbs = basic.tbs_response_data.to_der().map_err(|e| e.to_string())?;
    let signature = basic.signature.as_bytes().ok_or("chữ ký của câu trả lời OCSP hỏng")?;
    let signed_by_issuer = signed_by(issuer, &tbs, signature);
    let signed_by_responder =
        || basic.certs.iter().flatten().any(|r| is_responder_of(r, issuer, now) && signed_by(r, &tbs, signature));
    if !signed_by_issuer && !signed_by_responder() {
        return Err("câu trả lời OCSP không do tổ chức cấp chứng thư ký".into());
    }
    if let Some(theirs) = basic.nonce() {
        if theirs != *nonce {
            return Err("câu trả lời OCSP không phải cho câu hỏi này (nonce khác)".into());
        }
    }
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|s| {
            s.cert_id.serial_number == ours.serial_number
                && s.cert_id.issuer_key_hash == ours.issuer_key_hash
                && s.cert_id.issuer_name_hash == ours.issuer_name_hash
        })
        .ok_or("câu trả lời OCSP không nói về chứng thư này")?;
    let time = |t: &x509_ocsp::OcspGeneralizedTime| DateTime::<Utc>::from(t.0.to_system_time());
    if time(&single.this_update) > now + SKEW {
        return Err("câu trả lời OCSP ghi thời điểm trong tương lai".into());
    }
    if single.next_update.as_ref().is_some_and(|n| time(n) < now - SKEW) {
        return Err("câu trả lời OCSP đã cũ (quá hạn cập nhật)".into());
    }
    Ok(match &single.cert_status {
        CertStatus::Good(_) => Status::Good,
        CertStatus::Revoked(info) => Status::Revoked(time(&info.revocation_time)),
        CertStatus::Unknown(_) => Status::Unknown,
    })
}

/// Whether `signature` over `msg` verifies with `cert`'s public key, under any algorithm
/// rustls-webpki accepts for certificates.
fn signed_by(cert: &Certificate, msg: &[u8], signature: &[u8]) -> bool {
    let Ok(der) = cert.to_der() else { return false };
    let der = CertificateDer::from(der);
    let Ok(ee) = EndEntityCert::try_from(&der) else { return false };
    webpki::ALL_VERIFICATION_ALGS.iter().any(|alg| ee.verify_signature(*alg, msg, signature).is_ok())
}

/// A delegated responder: issued by `issuer` (its signature checks), for OCSP signing, valid now.
fn is_responder_of(responder: &Certificate, issuer: &Certificate, now: DateTime<Utc>) -> bool {
    use x509_cert::ext::pkix::ExtendedKeyUsage;
    const OCSP_SIGNING: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
    let for_ocsp = matches!(
        responder.tbs_certificate.get::<ExtendedKeyUsage>(),
        Ok(Some((_, eku))) if eku.0.contains(&OCSP_SIGNING)
    );
    let v = &responder.tbs_certificate.validity;
    let valid = crate::trust::cert_time(&v.not_before) <= now && now <= crate::trust::cert_time(&v.not_after);
    let Ok(tbs) = responder.tbs_certificate.to_der() else { return false };
    let issued = responder.tbs_certificate.issuer == issuer.tbs_certificate.subject
        && responder.signature.as_bytes().is_some_and(|s| signed_by(issuer, &tbs, s));
    for_ocsp && valid && issued
}
