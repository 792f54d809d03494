use async_trait::async_trait;
use kehoach_core::Op;
use uuid::Uuid;

/// A device enrolled at the hub: the commune it may read and write, and its signing key.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRecord {
    pub id: Uuid,
    pub commune: Uuid,
    /// Ed25519 public key, hex.
    pub public_key: String,
}

/// A device of a parent unit (district or province): it reads the listed communes' ops and
/// their roll-up, and never writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentRecord {
    pub id: Uuid,
    /// The parent unit's name, e.g. "UBND huyện Ia Pa".
    pub unit: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// The communes of the unit, in the order they were listed.
    pub communes: Vec<Uuid>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pushed {
    pub accepted: u64,
    pub duplicates: u64,
}

/// What the hub needs from a database. Both engines keep ops per commune in arrival order
/// with a cursor (`seq`) that only grows within a commune, and ignore an op id they already
/// hold, so pushes are idempotent.
#[async_trait]
pub trait HubStore: Send + Sync + 'static {
    /// Enrols (or moves) a device.
    async fn enrol(&self, device: &DeviceRecord) -> anyhow::Result<()>;
    async fn device(&self, id: Uuid) -> anyhow::Result<Option<DeviceRecord>>;
    /// Enrols a parent unit's device, or replaces its unit, key and communes.
    async fn enrol_parent(&self, parent: &ParentRecord) -> anyhow::Result<()>;
    async fn parent(&self, id: Uuid) -> anyhow::Result<Option<ParentRecord>>;
    /// Stores ops for a commune in one transaction.
    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed>;
    /// The commune's ops after `after`, at most `limit`, with their seqs.
    async fn pull(&self, commune: Uuid, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, Op)>>;
}
