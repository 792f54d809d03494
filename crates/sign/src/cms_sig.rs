//! The CMS SignedData of a PAdES signature, built from the RustCrypto `cms` types.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, DecodePublicKey};
use x509_cert::attr::Attribute;
use x509_cert::Certificate;

use crate::tsa::TimestampInfo;
use crate::{Result, SignError, Signer};

pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub const ID_SIGNING_CERT_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const ID_TIMESTAMP_TOKEN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// ESSCertIDv2 (RFC 5035) with the default hash (SHA-256) and no issuerSerial.
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035) without policies.
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn err(e: impl std::fmt::Display) -> SignError {
    SignError::Crypto(e.to_string())
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(err)?;
    Ok(Attribute { oid, values })
}

fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid: ID_SHA256, parameters: None }
}

/// A DER ContentInfo(SignedData) over `digest` (the SHA-256 of the ByteRange), detached.
pub fn build(signer: &dyn Signer, digest: &[u8]) -> Result<Vec<u8>> {
    let certs = signer.certificates();
    let leaf = certs.first().ok_or(SignError::NoKey)?;
    let leaf_der = leaf.to_der().map_err(err)?;

    let mut attrs: SignedAttributes = SetOfVec::new();
    attrs.insert(attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(err)?)?).map_err(err)?;
    attrs
        .insert(attribute(ID_MESSAGE_DIGEST, Any::encode_from(&OctetString::new(digest).map_err(err)?).map_err(err)?)?)
        .map_err(err)?;
    let scv2 = SigningCertificateV2 {
        certs: vec![EssCertIdV2 { cert_hash: OctetString::new(Sha256::digest(&leaf_der).to_vec()).map_err(err)? }],
    };
    attrs.insert(attribute(ID_SIGNING_CERT_V2, Any::encode_from(&scv2).map_err(err)?)?).map_err(err)?;

    // The signature covers the DER of the attributes as a SET OF (RFC 5652, 5.4).
    let to_sign = attrs.to_der().map_err(err)?;
    let signature = signer.sign(&to_sign)?;

    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: leaf.tbs_certificate.issuer.clone(),
            serial_number: leaf.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256_alg(),
        signed_attrs: Some(attrs),
        signature_algorithm: AlgorithmIdentifierOwned { oid: SHA256_WITH_RSA, parameters: Some(Any::null()) },
        signature: OctetString::new(signature).map_err(err)?,
        unsigned_attrs: None,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(sha256_alg()).map_err(err)?;
    let mut cert_set = SetOfVec::new();
    for c in certs {
        cert_set.insert(CertificateChoices::Certificate(c.clone())).map_err(err)?;
    }
    let mut infos = SetOfVec::new();
    infos.insert(signer_info).map_err(err)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo { econtent_type: ID_DATA, econtent: None },
        certificates: Some(CertificateSet(cert_set)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let ci = ContentInfo { content_type: ID_SIGNED_DATA, content: Any::encode_from(&sd).map_err(err)? };
    ci.to_der().map_err(err)
}

fn signed_data(contents: &[u8]) -> der::Result<SignedData> {
    // /Contents is zero-padded after the DER.
    der::SliceReader::new(contents)
        .and_then(|mut r| ContentInfo::decode(&mut r))
        .and_then(|ci| ci.content.decode_as::<SignedData>())
}

/// The signature value of the (first) SignerInfo of a DER ContentInfo(SignedData).
pub fn signature_value(cms: &[u8]) -> Result<Vec<u8>> {
    let sd = signed_data(cms).map_err(err)?;
    let si = sd.signer_infos.0.iter().next().ok_or_else(|| err("no SignerInfo"))?;
    Ok(si.signature.as_bytes().to_vec())
}

/// Adds `token` (a DER ContentInfo from a TSA) to the SignerInfo as the unsigned attribute
/// id-aa-timeStampToken (RFC 3161 appendix A). The signed attributes and the signature value
/// are untouched, so the signature stays as it was.
pub fn add_timestamp(cms: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let mut sd = signed_data(cms).map_err(err)?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let si = infos.first_mut().ok_or_else(|| err("no SignerInfo"))?;
    let attr = attribute(ID_TIMESTAMP_TOKEN, Any::from_der(token).map_err(err)?)?;
    let mut unsigned = si.unsigned_attrs.take().unwrap_or_default();
    unsigned.insert(attr).map_err(err)?;
    si.unsigned_attrs = Some(unsigned);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(err)?);
    let ci = ContentInfo { content_type: ID_SIGNED_DATA, content: Any::encode_from(&sd).map_err(err)? };
    ci.to_der().map_err(err)
}

/// What a CMS signature says about itself.
pub struct Checked {
    pub cert: Option<Certificate>,
    /// Every certificate the signature carries (the signer's among them), for path building.
    pub certs: Vec<Certificate>,
    /// Empty when the digest matches and the signature verifies; otherwise why not (Vietnamese).
    pub problem: String,
    /// The attached timestamp token, checked against the signature value.
    pub timestamp: Option<TimestampInfo>,
}

/// Checks a DER ContentInfo(SignedData) against the SHA-256 `digest` of the signed bytes.
pub fn check(contents: &[u8], digest: &[u8]) -> Checked {
    let mut out = Checked { cert: None, certs: Vec::new(), problem: String::new(), timestamp: None };
    let sd = match signed_data(contents) {
        Ok(sd) => sd,
        Err(e) => {
            out.problem = format!("Không đọc được dữ liệu chữ ký (CMS): {e}");
            return out;
        }
    };
    let Some(si) = sd.signer_infos.0.iter().next() else {
        out.problem = "Dữ liệu chữ ký không có người ký.".into();
        return out;
    };
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let cert = match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => certs
            .iter()
            .find(|c| c.tbs_certificate.issuer == isn.issuer && c.tbs_certificate.serial_number == isn.serial_number),
        SignerIdentifier::SubjectKeyIdentifier(_) => certs.first(),
    };
    out.cert = cert.cloned();
    out.certs = certs.clone();
    out.timestamp = si
        .unsigned_attrs
        .iter()
        .flat_map(|a| a.iter())
        .find(|a| a.oid == ID_TIMESTAMP_TOKEN)
        .and_then(|a| a.values.iter().next())
        .map(|token| match token.to_der() {
            Ok(der) => crate::tsa::inspect(&der, si.signature.as_bytes()),
            Err(e) => TimestampInfo {
                time: String::new(),
                authority: String::new(),
                imprint_matches: false,
                signature_checked: false,
                problem: format!("Không đọc được dấu thời gian: {e}"),
            },
        });
    let Some(cert) = cert else {
        out.problem = "Dữ liệu chữ ký không kèm chứng thư của người ký.".into();
        return out;
    };
    let Some(attrs) = &si.signed_attrs else {
        out.problem = "Chữ ký không có thuộc tính ký (signed attributes).".into();
        return out;
    };
    let md = attrs
        .iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok());
    if md.as_ref().map(|m| m.as_bytes()) != Some(digest) {
        out.problem = "Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).".into();
        return out;
    }
    let verified = (|| -> std::result::Result<(), String> {
        let spki_der = cert.tbs_certificate.subject_public_key_info.to_der().map_err(|e| e.to_string())?;
        let key = RsaPublicKey::from_public_key_der(&spki_der).map_err(|e| e.to_string())?;
        let signed = attrs.to_der().map_err(|e| e.to_string())?;
        let sig = Signature::try_from(si.signature.as_bytes()).map_err(|e| e.to_string())?;
        VerifyingKey::<Sha256>::new(key).verify(&signed, &sig).map_err(|e| e.to_string())
    })();
    if let Err(e) = verified {
        out.problem = format!("Giá trị chữ ký không khớp với chứng thư của người ký: {e}");
    }
    out
}
