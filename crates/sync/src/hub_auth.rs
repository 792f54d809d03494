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
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct PullResponse {
        pub ops: Vec<Op>,
        /// Pass back as `after` to get the next page.
        pub cursor: i64,
        pub more: bool,
    }

    /// `GET /v1/rollup?period=`: the communes a parent unit oversees, read-only, for one period.
    #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
    pub struct Rollup {
        /// The parent unit's name (a commune's own device gets its commune alone).
        pub unit: String,
        /// The period code as stored in reports: "2024-05", "2024-Q2", "2024-H1", "2024".
        pub period: String,
        /// The period's last day (ISO): overdue counts and target figures are as of it.
        pub as_of: String,
        pub communes: Vec<CommuneRollup>,
        /// How many communes have issued a report for the period (a draft is not counted).
        pub reported: u32,
        /// The indicators' figures of the communes that have one, summed per indicator: counts
        /// added, percentages as Σ numerator / Σ denominator, yes/no counted (see
        /// `kehoach_model::aggregate_indicators`). The same sums, for readers of this older
        /// field: counts and percentages with a base only, never percentages added.
        pub targets: Vec<TargetSum>,
        /// The indicators summed by kind: what the roll-up screen and print show.
        #[serde(default)]
        pub indicators: Vec<kehoach_model::IndicatorSum>,
        /// Completeness and timeliness of the period.
        #[serde(default)]
        pub totals: kehoach_model::RollupTotals,
    }

    #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
    pub struct CommuneRollup {
        pub commune: uuid::Uuid,
        /// From the commune's settings; its id when it has not synced any yet.
        pub name: String,
        pub tasks: u32,
        pub done: u32,
        /// Not done (nor "cannot do") and past their deadline on the period's last day.
        pub overdue: u32,
        /// A report for the period was issued (a draft does not count).
        pub report: bool,
        /// The report's status (`draft`, `issued`, `accepted`, `returned`); absent without a
        /// report.
        pub report_status: Option<String>,
        /// How many ops the hub holds for the commune (0: it never synced).
        pub ops: u64,
        /// Where the period's report stands for the level above: on time, late, accepted, …
        #[serde(default = "kehoach_model::CommuneReportState::none")]
        pub state: kehoach_model::CommuneReportState,
        /// Why this commune's figures could not be read (its data hold something this version
        /// cannot apply): the other communes are still summed, and this one says so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error: Option<String>,
    }

    #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
    pub struct TargetSum {
        pub text: String,
        pub unit: String,
        /// The target values summed.
        pub target: f64,
        /// Each target's latest recorded figure up to the period's end, summed.
        pub actual: f64,
        /// How many communes have this target.
        pub communes: u32,
    }

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
