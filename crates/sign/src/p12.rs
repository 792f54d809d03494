//! Keys from a PKCS#12 (.p12 / .pfx) file and its password.

use der::{Decode, Encode};
use p12_keystore::{KeyStore, KeyStoreEntry};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;
use spki::DecodePublicKey;
use x509_cert::Certificate;

use crate::{Result, SignError, Signer};

/// An RSA key and its chain read from a PKCS#12 file.
pub struct P12Signer {
    key: SigningKey<Sha256>,
    certs: Vec<Certificate>,
}

impl P12Signer {
    /// Opens a PKCS#12 file's bytes with its password. A wrong password is
    /// [`SignError::WrongPassword`]; nothing is retried.
    pub fn open(data: &[u8], password: &str) -> Result<Self> {
        let store = KeyStore::from_pkcs12(data, password).map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) => SignError::WrongPassword,
            // Without a MAC a wrong password shows up as bad padding or garbage.
            p12_keystore::error::Error::UnpadError => SignError::WrongPassword,
            other => SignError::BadP12(other.to_string()),
        })?;
        let mut found = None;
        for (_, entry) in store.entries() {
            if let KeyStoreEntry::PrivateKeyChain(chain) = entry {
                found = Some(chain);
                break;
            }
        }
        let chain = found.ok_or(SignError::NoKey)?;
        let key = RsaPrivateKey::from_pkcs8_der(chain.key()).map_err(|_| SignError::NoKey)?;
        let public = RsaPublicKey::from(&key);
        let mut certs = Vec::new();
        for c in chain.chain() {
            certs.push(Certificate::from_der(c.as_der()).map_err(|e| SignError::BadP12(e.to_string()))?);
        }
        // The signer's certificate is the one holding the key's public half; put it first.
        let pos = certs
            .iter()
            .position(|c| {
                c.tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .ok()
                    .and_then(|d| RsaPublicKey::from_public_key_der(&d).ok())
                    .is_some_and(|k| k == public)
            })
            .ok_or(SignError::NoKey)?;
        let leaf = certs.remove(pos);
        certs.insert(0, leaf);
        Ok(P12Signer { key: SigningKey::<Sha256>::new(key), certs })
    }
}

impl Signer for P12Signer {
    fn certificates(&self) -> &[Certificate] {
        &self.certs
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig = self.key.try_sign(message).map_err(|e| SignError::Crypto(e.to_string()))?;
        Ok(sig.to_vec())
    }
}
