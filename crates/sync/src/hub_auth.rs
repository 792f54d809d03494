//! How a device signs a hub request, shared by the client and the hub: Ed25519 over the
//! method, path with query, a timestamp and the body's SHA-256. The hub checks the key it
//! holds for that device and that the timestamp is recent. The body is whatever the request
//! carries — a push's JSON, an attachment file's bytes — and an empty one for a GET.

pub const HEADER_DEVICE: &str = "x-kehoach-device";
pub const HEADER_TIME: &str = "x-kehoach-time";
pub const HEADER_SIGNATURE: &str = "x-kehoach-signature";
/// How far a request's clock may be from the hub's (PCs in communes drift).
pub const MAX_SKEW_MS: i64 = 10 * 60 * 1000;
/// The largest attachment file the hub takes (`PUT /v1/attachments/{name}`): a larger one
/// stays on the PCs that have it and travels by USB bundle.
pub const MAX_ATTACHMENT: u64 = 64 * 1024 * 1024;
/// The most names one `POST /v1/attachments/have` may ask about.
pub const MAX_ATTACHMENT_NAMES: usize = 1000;

pub fn signed_message(method: &str, path_and_query: &str, time_ms: i64, body: &[u8]) -> Vec<u8> {
    format!(
        "kehoach-hub-v1\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        path_and_query,
        time_ms,
        content_sha256(body)
    )
    .into_bytes()
}

/// The SHA-256 of a file, lowercase hex: the name it is kept under as an attachment (a signed
/// report PDF's name adds `.pdf`).
pub fn content_sha256(bytes: &[u8]) -> String {
    crate::container::sha256_hex(bytes)
}

/// Whether `name` is an attachment name (`<sha256>` or `<sha256>.pdf`, 64 lowercase hex
/// digits) and `bytes` are the content it names.
pub fn attachment_matches(name: &str, bytes: &[u8]) -> bool {
    crate::attachments::content_matches(name, bytes)
}

/// Whether `name` has the form of a content-addressed attachment name; nothing else (no path
/// separator, no `..`, no upper case) is.
pub fn is_attachment_name(name: &str) -> bool {
    crate::attachments::name_sha(name).is_some()
}

/// Verifies a request signature against a device's public key (hex).
pub fn verify(public_key_hex: &str, msg: &[u8], signature_hex: &str) -> bool {
    let Some(key) = hex::decode(public_key_hex).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
        return false;
    };
    let Some(sig) = hex::decode(signature_hex).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else { return false };
    key.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&sig)).is_ok()
}

/// The wire types of the hub API.
pub mod wire {
    use kehoach_core::Op;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize)]
    pub struct PushRequest {
        pub ops: Vec<Op>,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct PushResponse {
        pub accepted: u64,
        pub duplicates: u64,
        /// Ops the hub did not take, each with why (an op altered after its author signed it,
        /// one made by a device after the hub revoked it): left out, the rest stored.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub refused: Vec<String>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct PullResponse {
        pub ops: Vec<Op>,
        /// Pass back as `after` to get the next page.
        pub cursor: i64,
        pub more: bool,
        /// To a parent unit's device only: the devices the hub has enrolled for the commune,
        /// with their keys. Its copy of the commune pins them at the first pull and checks
        /// every later op against them and the devices they admit (see `district`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub devices: Vec<EnrolledDevice>,
        /// To a commune's device only: the devices of the level above enrolled over it, whose
        /// decisions on reports come through the hub.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub parents: Vec<ParentDevice>,
    }

    /// A level-above device the hub has enrolled over a commune.
    #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
    pub struct ParentDevice {
        pub id: uuid::Uuid,
        /// e.g. "UBND huyện Ia Pa".
        pub unit: String,
        /// Ed25519, hex.
        pub public_key: String,
    }

    /// A device enrolled at the hub for a commune.
    #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
    pub struct EnrolledDevice {
        pub id: uuid::Uuid,
        /// Ed25519, hex.
        pub public_key: String,
    }

    /// The roll-up's types live in the model, shared with the UI (wasm32), which shows them.
    pub use kehoach_model::{CommuneRollup, Rollup, TargetSum};

    /// `POST /v1/attachments/have`: attachment names asked about, and in the answer those of
    /// them the hub holds for the commune.
    #[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
    pub struct AttachmentNames {
        pub names: Vec<String>,
    }

    /// The answer to `PUT /v1/attachments/{name}`.
    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub struct AttachmentStored {
        /// False when the hub already held the file (the upload changed nothing).
        pub stored: bool,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct ErrorBody {
        pub error: String,
    }
}
