//! A device's keys and the commune it belongs to.
//!
//! Two key pairs per install: Ed25519 to sign what it sends, and an age X25519 identity so
//! bundles can be encrypted to it. Both are made on first need and kept as local settings,
//! sealed by the OS keystore where there is one (`keystore`).

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use kehoach_core::Store;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Result, SyncError};
use crate::{keystore, settings};

pub struct Device {
    pub id: Uuid,
    signing: SigningKey,
    age: age::x25519::Identity,
}

impl Device {
    /// This install's keys, made and stored on first use.
    pub fn load_or_create(store: &Store) -> Result<Device> {
        Device::seal_at_rest(store)?;
        if let Some(d) = Device::load(store)? {
            return Ok(d);
        }
        let signing = SigningKey::generate(&mut rand_core::OsRng);
        let age = age::x25519::Identity::generate();
        let device = Device { id: store.device_id(), signing, age };
        device.keep(store)?;
        Ok(device)
    }

    /// Stores the keys, sealed by the OS keystore where there is one (see `keystore`).
    fn keep(&self, store: &Store) -> Result<()> {
        store.set_local_setting(settings::SIGNING_KEY, &keystore::seal(&hex::encode(self.signing.to_bytes()))?)?;
        store.set_local_setting(settings::AGE_IDENTITY, &keystore::seal(self.age.to_string().expose_secret())?)?;
        Ok(())
    }

    /// Seals keys an older version (or a restore) left in plain text, where the OS offers a
    /// keystore; runs when the app starts. Returns whether it sealed anything.
    pub fn seal_at_rest(store: &Store) -> Result<bool> {
        if keystore::protection() == "none" {
            return Ok(false);
        }
        let plain = |k| store.local_setting(k).map(|v| v.is_some_and(|v| !keystore::is_sealed(&v)));
        if !(plain(settings::SIGNING_KEY)? || plain(settings::AGE_IDENTITY)?) {
            return Ok(false);
        }
        match Device::load(store)? {
            Some(d) => d.keep(store).map(|_| true),
            None => Ok(false),
        }
    }

    /// This install's keys if it has any; never writes (import must not touch the database
    /// before every check has passed).
    pub fn load(store: &Store) -> Result<Option<Device>> {
        let (Some(sk), Some(ak)) =
            (store.local_setting(settings::SIGNING_KEY)?, store.local_setting(settings::AGE_IDENTITY)?)
        else {
            return Ok(None);
        };
        let (sk, ak) = (keystore::open(&sk)?, keystore::open(&ak)?);
        let bytes: [u8; 32] = hex::decode(sk.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| SyncError::Corrupt("khóa ký của thiết bị bị hỏng".into()))?;
        let age: age::x25519::Identity =
            ak.trim().parse().map_err(|_| SyncError::Corrupt("khóa giải mã của thiết bị bị hỏng".into()))?;
        Ok(Some(Device { id: store.device_id(), signing: SigningKey::from_bytes(&bytes), age }))
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.verifying_key().to_bytes())
    }

    pub fn age_recipient(&self) -> String {
        self.age.to_public().to_string()
    }

    pub fn age_identity(&self) -> &age::x25519::Identity {
        &self.age
    }

    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }
}

/// A short, human-comparable form of a public key, read aloud over the phone to confirm a device.
pub fn fingerprint(public_key_hex: &str) -> String {
    let d = Sha256::digest(public_key_hex.as_bytes());
    let h = hex::encode(&d[..8]).to_uppercase();
    h.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The commune this install belongs to, if it has been enrolled.
pub fn commune(store: &Store) -> Result<Option<Uuid>> {
    match store.local_setting(settings::COMMUNE)? {
        None => Ok(None),
        Some(s) => {
            Uuid::parse_str(s.trim()).map(Some).map_err(|_| SyncError::Corrupt("mã xã trong thiết lập bị hỏng".into()))
        }
    }
}

/// The commune, founding it on the first enrolled device (the one that sends the first
/// invitation); every other device adopts it by joining.
pub fn found_commune(store: &Store) -> Result<Uuid> {
    if let Some(c) = commune(store)? {
        return Ok(c);
    }
    let c = Uuid::now_v7();
    store.set_local_setting(settings::COMMUNE, &c.to_string())?;
    Ok(c)
}
