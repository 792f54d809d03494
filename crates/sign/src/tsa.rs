//! RFC 3161 timestamps: the client that asks a time-stamping authority (TSA) for a token over
//! a signature value (PAdES B-T), and the checks of a token found in a signature.
//!
//! The token stamps the SHA-256 of the SignerInfo's signature value (RFC 3161 appendix A,
//! CAdES signature-time-stamp) and goes in the SignerInfo's unsigned attribute
//! id-aa-timeStampToken, so adding it does not change what the signer signed.
//!
//! Two kinds of failure are kept apart on purpose (see [`Failure`]):
//! - the service cannot be reached (no connection, a timeout, an HTTP error, something that is
//!   not a TSA answering): a commune office is often offline, which is expected, so the
//!   signature is still made at level B-B and the result says so;
//! - a TSA answered but its answer is wrong (rejected request, another imprint, another nonce,
//!   a token that does not verify): something is wrong (a misconfigured or compromised service,
//!   or someone in between), and a signature quietly downgraded or carrying a bad timestamp
//!   would hide it, so signing is refused and no file is written.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use const_oid::ObjectIdentifier;
use der::asn1::{Int, OctetString};
use der::{Any, Decode, Encode};
use rand_core::{OsRng, RngCore};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifier, DecodePublicKey};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::Certificate;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::cms_sig::{ID_MESSAGE_DIGEST, ID_SHA256};

/// How long the TSA gets to answer, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read from a TSA.
const MAX_ANSWER: u64 = 1 << 20;

const ID_CT_TSTINFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ID_CE_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const ID_KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// A timestamp token attached to a signature, as verification found it.
#[derive(Debug, Clone, Serialize)]
pub struct TimestampInfo {
    /// The TSA's time (genTime), RFC 3339 in Vietnam time (UTC+07:00).
    pub time: String,
    /// The TSA's name: its certificate's common name, else the token's tsa field.
    pub authority: String,
    /// The token stamps this signature's value (its message imprint is the value's hash).
    pub imprint_matches: bool,
    /// The TSA's own signature on the token was checked (false only for algorithms this
    /// version cannot check, such as ECDSA; `problem` is then empty).
    pub signature_checked: bool,
    /// Why the timestamp is not valid, in Vietnamese; empty when it is.
    pub problem: String,
}

impl TimestampInfo {
    pub fn is_valid(&self) -> bool {
        self.problem.is_empty()
    }
}

/// Why no timestamp token came back from a TSA.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The service was not reached or did not answer as a TSA: sign B-B and say so.
    Unreachable(String),
    /// A TSA answered, wrongly: refuse to sign.
    BadAnswer(String),
}

/// Accepts `http://` and `https://` URLs with a host. RFC 3161 tokens are signed by the TSA,
/// so most services are plain HTTP; an https one is checked against the system's trust store.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| "cần địa chỉ dạng http://máy-chủ/đường-dẫn hoặc https://…".to_string())?;
    if rest.split(['/', '?']).next().unwrap_or("").is_empty() {
        return Err("địa chỉ thiếu tên máy chủ".into());
    }
    Ok(())
}

fn sha256_imprint(data: &[u8]) -> der::Result<MessageImprint> {
    Ok(MessageImprint {
        hash_algorithm: AlgorithmIdentifier { oid: ID_SHA256, parameters: Some(Any::null()) },
        hashed_message: OctetString::new(Sha256::digest(data).to_vec())?,
    })
}

/// A random positive 62-bit nonce, as the bytes of a minimal DER INTEGER.
fn nonce() -> Vec<u8> {
    let mut b = [0u8; 8];
    OsRng.fill_bytes(&mut b);
    // 0x40..=0x7F first: positive and without a leading zero byte.
    b[0] = (b[0] & 0x3F) | 0x40;
    b.to_vec()
}

/// The DER TimeStampReq for `signature_value` with `nonce`, asking for the TSA's certificate.
pub(crate) fn request_der(signature_value: &[u8], nonce: &[u8]) -> der::Result<Vec<u8>> {
    TimeStampReq {
        version: TspVersion::V1,
        message_imprint: sha256_imprint(signature_value)?,
        req_policy: None,
        nonce: Some(Int::new(nonce)?),
        cert_req: true,
        extensions: None,
    }
    .to_der()
}

pub(crate) fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("máy chủ không trả lời trong {} giây", TIMEOUT.as_secs()),
        ureq::Error::HostNotFound => "không tìm thấy máy chủ (máy không có kết nối mạng?)".into(),
        ureq::Error::ConnectionFailed => "không kết nối được tới máy chủ".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "máy chủ từ chối kết nối".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("máy chủ không trả lời trong {} giây", TIMEOUT.as_secs())
        }
        ureq::Error::Io(io) => format!("lỗi kết nối: {io}"),
        other => other.to_string(),
    }
}

/// The HTTP client of the signature services (timestamps, OCSP, CRLs): a whole exchange within
/// `timeout`, HTTP error statuses answered rather than raised, https checked against the
/// operating system's roots.
pub(crate) fn agent(timeout: std::time::Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::PlatformVerifier).build())
        .build()
        .into()
}

/// Asks the TSA at `url` for a token over `signature_value` and checks the answer; returns
/// the token (a DER ContentInfo) and what it says.
pub(crate) fn timestamp(url: &str, signature_value: &[u8]) -> Result<(Vec<u8>, TimestampInfo), Failure> {
    let nonce = nonce();
    let req =
        request_der(signature_value, &nonce).map_err(|e| Failure::BadAnswer(format!("không tạo được yêu cầu: {e}")))?;
    let mut resp = agent(TIMEOUT)
        .post(url.trim())
        .content_type("application/timestamp-query")
        .send(&req[..])
        .map_err(|e| Failure::Unreachable(describe(&e)))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(Failure::Unreachable(format!("máy chủ trả lời lỗi HTTP {status}")));
    }
    let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_vec()
        .map_err(|e| Failure::Unreachable(describe(&e)))?;
    check_answer(&body, &content_type, signature_value, &nonce)
}

/// The status and token of a TimeStampResp. `x509-tsp` reads it, except a refusal whose
/// failInfo has a bit above 15 (e.g. systemFailure, 25), which `cmpv2`'s 16-bit flag set does
/// not take: then the status is read with the `der` primitives, so such a refusal is still
/// seen as a refusal and not as "not a TSA".
struct Answer {
    status: u8,
    text: Vec<String>,
    token: Option<Any>,
}

fn read_answer(body: &[u8]) -> Option<Answer> {
    if let Ok(r) = TimeStampResp::from_der(body) {
        return Some(Answer {
            status: r.status.status as u8,
            text: r.status.status_string.iter().flatten().map(|s| s.as_str().to_owned()).collect(),
            token: r.time_stamp_token.and_then(|t| Any::encode_from(&t).ok()),
        });
    }
    // SEQUENCE { PKIStatusInfo SEQUENCE { status INTEGER, statusString SEQUENCE OF UTF8String OPTIONAL,
    // failInfo BIT STRING OPTIONAL }, timeStampToken ContentInfo OPTIONAL }
    let top: Vec<Any> = Vec::from_der(body).ok()?;
    let info: Vec<Any> = top.first()?.decode_as().ok()?;
    let status: u8 = info.first()?.decode_as().ok()?;
    let text = info
        .get(1)
        .and_then(|a| a.decode_as::<Vec<der::asn1::Utf8StringRef<'_>>>().ok())
        .map(|v| v.iter().map(|s| s.as_str().to_owned()).collect())
        .unwrap_or_default();
    Some(Answer { status, text, token: top.get(1).cloned() })
}

fn check_answer(
    body: &[u8],
    content_type: &str,
    signature_value: &[u8],
    nonce: &[u8],
) -> Result<(Vec<u8>, TimestampInfo), Failure> {
    // Something that is not a TimeStampResp at all (a captive portal's page, a proxy's error, a
    // wrong address) did not come from a TSA: the service was not reached.
    let Some(answer) = read_answer(body) else {
        let ct = if content_type.is_empty() { "không rõ" } else { content_type };
        return Err(Failure::Unreachable(format!(
            "câu trả lời không phải dấu thời gian RFC 3161 (Content-Type: {ct})"
        )));
    };
    let bad = |s: String| Err(Failure::BadAnswer(s));
    // granted (0) and grantedWithMods (1) carry a token; anything else is a refusal.
    if answer.status > 1 {
        let name = match answer.status {
            2 => "từ chối (rejection)",
            3 => "chờ (waiting)",
            _ => "cảnh báo thu hồi",
        };
        let text =
            answer.text.iter().map(|t| t.trim().trim_end_matches('.')).filter(|t| !t.is_empty()).collect::<Vec<_>>();
        let text = if text.is_empty() { String::new() } else { format!(": {}", text.join("; ")) };
        return bad(format!("máy chủ {name} yêu cầu cấp dấu thời gian{text}"));
    }
    let Some(token) = answer.token else {
        return bad("câu trả lời không kèm dấu thời gian".into());
    };
    let token = match token.to_der() {
        Ok(t) => t,
        Err(e) => return bad(format!("dấu thời gian không đọc được: {e}")),
    };
    let tst = match read_token(&token) {
        Ok((_, tst)) => tst,
        Err(e) => return bad(e),
    };
    let want = sha256_imprint(signature_value).map_err(|e| Failure::BadAnswer(e.to_string()))?;
    if tst.message_imprint.hash_algorithm.oid != want.hash_algorithm.oid
        || tst.message_imprint.hashed_message != want.hashed_message
    {
        return bad("dấu thời gian được cấp cho một dữ liệu khác (mã băm không khớp với chữ ký vừa tạo)".into());
    }
    match &tst.nonce {
        Some(n) if n.as_bytes() == nonce => {}
        Some(_) => {
            return bad(
                "số nonce trong dấu thời gian không khớp với yêu cầu (có thể là câu trả lời cũ bị phát lại)".into()
            )
        }
        None => return bad("dấu thời gian thiếu số nonce của yêu cầu".into()),
    }
    let info = inspect(&token, signature_value);
    if !info.is_valid() {
        return bad(info.problem);
    }
    Ok((token, info))
}

/// The token's SignedData and TSTInfo.
fn read_token(token: &[u8]) -> Result<(SignedData, TstInfo), String> {
    let sd = ContentInfo::from_der(token)
        .and_then(|ci| ci.content.decode_as::<SignedData>())
        .map_err(|e| format!("dấu thời gian không đọc được (CMS): {e}"))?;
    if sd.encap_content_info.econtent_type != ID_CT_TSTINFO {
        return Err("dấu thời gian không chứa TSTInfo".into());
    }
    let tst = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| "dấu thời gian không có nội dung TSTInfo".to_string())?
        .decode_as::<OctetString>()
        .and_then(|o| TstInfo::from_der(o.as_bytes()))
        .map_err(|e| format!("TSTInfo không đọc được: {e}"))?;
    Ok((sd, tst))
}

fn digest(alg: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    Some(match *alg {
        ID_SHA256 => Sha256::digest(data).to_vec(),
        ID_SHA384 => Sha384::digest(data).to_vec(),
        ID_SHA512 => Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

fn vn(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("valid offset"))
}

/// What a token (a DER ContentInfo) says about the signature whose value is
/// `signature_value`: its time, its TSA, and whether it stamps that value and verifies.
pub fn inspect(token: &[u8], signature_value: &[u8]) -> TimestampInfo {
    let mut out = TimestampInfo {
        time: String::new(),
        authority: String::new(),
        imprint_matches: false,
        signature_checked: false,
        problem: String::new(),
    };
    let (sd, tst) = match read_token(token) {
        Ok(x) => x,
        Err(e) => {
            out.problem = e;
            return out;
        }
    };
    out.time = vn(DateTime::<Utc>::from(tst.gen_time.to_system_time())).to_rfc3339();
    let certs: Vec<&Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    let si = sd.signer_infos.0.iter().next();
    let cert = si.and_then(|si| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => certs
            .iter()
            .find(|c| c.tbs_certificate.issuer == isn.issuer && c.tbs_certificate.serial_number == isn.serial_number)
            .copied(),
        SignerIdentifier::SubjectKeyIdentifier(_) => certs.first().copied(),
    });
    out.authority = match (&tst.tsa, cert) {
        (_, Some(c)) => crate::common_name(&c.tbs_certificate.subject),
        (Some(GeneralName::DirectoryName(n)), None) => crate::common_name(n),
        (Some(GeneralName::UniformResourceIdentifier(u)), None) => u.to_string(),
        (Some(GeneralName::DnsName(d)), None) => d.to_string(),
        _ => String::new(),
    };
    out.imprint_matches = digest(&tst.message_imprint.hash_algorithm.oid, signature_value)
        .is_some_and(|h| h == tst.message_imprint.hashed_message.as_bytes());
    if !out.imprint_matches {
        out.problem =
            "Dấu thời gian không khớp với chữ ký (mã băm trong dấu thời gian khác mã băm của giá trị chữ ký).".into();
        return out;
    }
    let Some(si) = si else {
        out.problem = "Dấu thời gian không có chữ ký của máy chủ cấp.".into();
        return out;
    };
    let Some(cert) = cert else {
        out.problem = "Dấu thời gian không kèm chứng thư của máy chủ cấp dấu thời gian.".into();
        return out;
    };
    let eku = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_CE_EXT_KEY_USAGE)
        .and_then(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok());
    if !eku.is_some_and(|u| u.0.contains(&ID_KP_TIME_STAMPING)) {
        out.problem = format!(
            "Chứng thư «{}» không dành cho việc cấp dấu thời gian (thiếu mục đích timeStamping).",
            out.authority
        );
        return out;
    }
    let Some(attrs) = &si.signed_attrs else {
        out.problem = "Dấu thời gian không có thuộc tính ký.".into();
        return out;
    };
    let econtent = sd.encap_content_info.econtent.as_ref().and_then(|e| e.decode_as::<OctetString>().ok());
    let md = attrs
        .iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok());
    let Some(content_digest) = econtent.and_then(|e| digest(&si.digest_alg.oid, e.as_bytes())) else {
        out.problem = format!("Dấu thời gian dùng thuật toán băm chưa hỗ trợ ({}).", si.digest_alg.oid);
        return out;
    };
    if md.as_ref().map(|m| m.as_bytes()) != Some(&content_digest[..]) {
        out.problem = "Nội dung dấu thời gian đã bị thay đổi (mã băm TSTInfo không khớp).".into();
        return out;
    }
    let rsa = [RSA_ENCRYPTION, SHA256_WITH_RSA, SHA384_WITH_RSA, SHA512_WITH_RSA].contains(&si.signature_algorithm.oid);
    if !rsa {
        // Not RSA (e.g. ECDSA): the imprint and content digest are checked, the TSA's signature
        // is not; `signature_checked` says so.
        return out;
    }
    let verified = (|| -> Result<(), String> {
        let spki_der = cert.tbs_certificate.subject_public_key_info.to_der().map_err(|e| e.to_string())?;
        let key = RsaPublicKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
        let signed = attrs.to_der().map_err(|e| e.to_string())?;
        let sig = Signature::try_from(si.signature.as_bytes()).map_err(|e| e.to_string())?;
        match si.digest_alg.oid {
            ID_SHA256 => VerifyingKey::<Sha256>::new(key).verify(&signed, &sig),
            ID_SHA384 => VerifyingKey::<Sha384>::new(key).verify(&signed, &sig),
            _ => VerifyingKey::<Sha512>::new(key).verify(&signed, &sig),
        }
        .map_err(|e| e.to_string())
    })();
    match verified {
        Ok(()) => out.signature_checked = true,
        Err(e) => out.problem = format!("Chữ ký của máy chủ trên dấu thời gian không hợp lệ: {e}"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("http://tsa.ca.gov.vn").is_ok());
        assert!(check_url("http://127.0.0.1:8080/tsa").is_ok());
        assert!(check_url("https://tsa.example/ts").is_ok());
        assert!(check_url("https://").is_err());
        assert!(check_url("ftp://tsa.example").is_err());
        assert!(check_url("http:///x").is_err());
        assert!(check_url("tsa.example").is_err());
    }

    #[test]
    fn a_request_reads_back() {
        let n = nonce();
        assert!((0x40..=0x7F).contains(&n[0]));
        let der = request_der(b"signature", &n).unwrap();
        let req = TimeStampReq::from_der(&der).unwrap();
        assert!(req.cert_req);
        assert_eq!(req.nonce.unwrap().as_bytes(), &n[..]);
        assert_eq!(req.message_imprint.hashed_message.as_bytes(), &Sha256::digest(b"signature")[..]);
    }

    #[test]
    fn a_refusal_with_any_fail_info_is_a_refusal() {
        // PKIStatusInfo { rejection, ["busy."], failInfo systemFailure (bit 25) }, no token.
        let fail = der::asn1::BitString::new(6, vec![0, 0, 0, 0x40]).unwrap();
        let texts = vec![der::asn1::Utf8StringRef::new("busy.").unwrap()];
        let info =
            vec![Any::encode_from(&2u8).unwrap(), Any::encode_from(&texts).unwrap(), Any::encode_from(&fail).unwrap()];
        let body = vec![Any::encode_from(&info).unwrap()].to_der().unwrap();
        assert!(TimeStampResp::from_der(&body).is_err(), "x509-tsp 0.1 does not take bit 25");
        let r = check_answer(&body, "application/timestamp-reply", b"sig", &nonce());
        assert!(
            matches!(&r, Err(Failure::BadAnswer(m)) if m.ends_with("từ chối (rejection) yêu cầu cấp dấu thời gian: busy")),
            "{r:?}"
        );
    }

    #[test]
    fn not_a_tsa_answer_is_unreachable() {
        let r = check_answer(b"<html>Wi-Fi login</html>", "text/html", b"sig", &nonce());
        assert!(matches!(r, Err(Failure::Unreachable(m)) if m.contains("text/html")));
    }
}
