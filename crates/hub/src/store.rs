use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use kehoach_core::{Kind, Op};
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
/// hold, so pushes are idempotent. Attachment files are kept per commune under their
/// content-addressed names, likewise idempotently; the API checks a name against its bytes
/// before storing. The attachment methods' defaults refuse, for a store that keeps no files
/// (a test double); both engines implement them.
#[async_trait]
pub trait HubStore: Send + Sync + 'static {
    /// Enrols (or moves) a device.
    async fn enrol(&self, device: &DeviceRecord) -> anyhow::Result<()>;
    async fn device(&self, id: Uuid) -> anyhow::Result<Option<DeviceRecord>>;
    /// The devices enrolled for `commune` (a revoked one is no longer enrolled), by id.
    async fn devices_of(&self, commune: Uuid) -> anyhow::Result<Vec<DeviceRecord>>;
    /// Enrols a parent unit's device, or replaces its unit, key and communes.
    async fn enrol_parent(&self, parent: &ParentRecord) -> anyhow::Result<()>;
    async fn parent(&self, id: Uuid) -> anyhow::Result<Option<ParentRecord>>;
    /// The parent units' devices enrolled over `commune`, by id (each record's `communes` holds
    /// only `commune`).
    async fn parents_of(&self, commune: Uuid) -> anyhow::Result<Vec<ParentRecord>>;
    /// Withdraws a device's enrolment, a commune's or a parent unit's (a lost or stolen PC,
    /// issue 14, point 5): from then on its requests are refused, and its ops stamped after now
    /// are not taken from anyone; what it pushed before stays.
    /// True when it was enrolled.
    async fn revoke(&self, id: Uuid) -> anyhow::Result<bool> {
        let _ = id;
        anyhow::bail!("this hub store cannot revoke devices")
    }
    /// When `id` was revoked at this hub (ms since the epoch), if it was: its ops stamped later,
    /// whoever relays them, are not taken (issue 14, point 5). The default, for a store that
    /// cannot revoke (a test double), knows none.
    async fn revoked_at(&self, id: Uuid) -> anyhow::Result<Option<u64>> {
        let _ = id;
        Ok(None)
    }
    /// Stores ops for a commune in one transaction.
    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed>;
    /// The kind each of `entities` has in the commune's ops held so far (the first op of a
    /// record decides it), for those that have one: a push that gives a record another kind is
    /// refused (issue 14, point 3). The default, for a store that keeps no such index (a test
    /// double), knows none.
    async fn kinds(&self, commune: Uuid, entities: &[Uuid]) -> anyhow::Result<HashMap<Uuid, Kind>> {
        let _ = (commune, entities);
        Ok(HashMap::new())
    }
    /// The commune's ops after `after`, at most `limit`, with their seqs.
    async fn pull(&self, commune: Uuid, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, Op)>>;
    /// Stores an attachment file of a commune; true when it was new, false when the commune
    /// already had a file of that name (which is then left as it was).
    async fn put_attachment(&self, commune: Uuid, name: &str, body: &[u8]) -> anyhow::Result<bool> {
        let _ = (commune, name, body);
        anyhow::bail!("this hub store keeps no attachment files")
    }
    /// A commune's attachment file, if it has one of that name.
    async fn get_attachment(&self, commune: Uuid, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let _ = (commune, name);
        anyhow::bail!("this hub store keeps no attachment files")
    }
    /// Which of `names` the commune has.
    async fn has_attachments(&self, commune: Uuid, names: &[String]) -> anyhow::Result<BTreeSet<String>> {
        let _ = (commune, names);
        anyhow::bail!("this hub store keeps no attachment files")
    }
    /// Keeps a plan published by a parent unit for one of its communes (issue 17), replacing
    /// one of the same plan and version. The API has checked its signature and its publisher.
    async fn put_publication(&self, commune: Uuid, plan: Uuid, version: i64, body: &[u8]) -> anyhow::Result<()> {
        let _ = (commune, plan, version, body);
        anyhow::bail!("this hub store keeps no publications")
    }
    /// The publications kept for a commune: the newest version of each plan, as posted.
    async fn publications(&self, commune: Uuid) -> anyhow::Result<Vec<Vec<u8>>> {
        let _ = commune;
        anyhow::bail!("this hub store keeps no publications")
    }
}
