//! The PostgreSQL engine, for a province-wide hub. Pushes to one commune are serialised with
//! a transaction-scoped advisory lock: sequence values are handed out at insert time, so
//! without it a puller could see seq 12 committed before seq 11 and skip 11 for ever.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use kehoach_core::{Kind, Op};
use tokio::sync::Mutex;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::store::{DeviceRecord, HubStore, ParentRecord, Pushed};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    commune TEXT NOT NULL,
    public_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ops (
    seq BIGSERIAL PRIMARY KEY,
    commune TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (commune, id)
);
CREATE INDEX IF NOT EXISTS ops_by_commune ON ops (commune, seq);
CREATE TABLE IF NOT EXISTS entity_kinds (
    commune TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (commune, id)
);
CREATE TABLE IF NOT EXISTS parent_devices (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    public_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parent_communes (
    device TEXT NOT NULL,
    pos BIGINT NOT NULL,
    commune TEXT NOT NULL,
    PRIMARY KEY (device, commune)
);
CREATE TABLE IF NOT EXISTS revoked_devices (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    commune TEXT NOT NULL,
    name TEXT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (commune, name)
);
CREATE TABLE IF NOT EXISTS publications (
    commune TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (commune, plan_id, version)
);
";

pub struct PostgresStore {
    client: Mutex<Client>,
}

impl PostgresStore {
    /// Connects (`postgres://user@host:port/db`, TLS as its `sslmode` says: see `pg_tls`) and
    /// creates the tables if needed.
    pub async fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let (client, connection) = crate::pg_tls::connect(url).await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                eprintln!("PostgreSQL connection closed: {e}");
            }
        });
        // Two hubs starting at once may race on CREATE TABLE IF NOT EXISTS; the lock avoids it.
        client.batch_execute("SELECT pg_advisory_lock(4242)").await?;
        let new_index: bool = client.query_one("SELECT to_regclass('entity_kinds') IS NULL", &[]).await?.get(0);
        client.batch_execute(SCHEMA).await?;
        if new_index {
            // A hub from before the index: its records' kinds, each from its first op.
            client
                .batch_execute(
                    "INSERT INTO entity_kinds(commune, id, kind)
                     SELECT commune, body::json->>'entity', body::json->>'kind' FROM ops ORDER BY seq
                     ON CONFLICT DO NOTHING",
                )
                .await?;
        }
        client.batch_execute("SELECT pg_advisory_unlock(4242)").await?;
        Ok(PostgresStore { client: Mutex::new(client) })
    }
}

#[async_trait]
impl HubStore for PostgresStore {
    async fn enrol(&self, d: &DeviceRecord) -> anyhow::Result<()> {
        let c = self.client.lock().await;
        c.execute(
            "INSERT INTO devices(id, commune, public_key) VALUES ($1, $2, $3)
             ON CONFLICT(id) DO UPDATE SET commune = excluded.commune, public_key = excluded.public_key",
            &[&d.id.to_string(), &d.commune.to_string(), &d.public_key.to_lowercase()],
        )
        .await?;
        Ok(())
    }

    async fn device(&self, id: Uuid) -> anyhow::Result<Option<DeviceRecord>> {
        let c = self.client.lock().await;
        let row = c.query_opt("SELECT commune, public_key FROM devices WHERE id = $1", &[&id.to_string()]).await?;
        row.map(|r| {
            let commune: String = r.get(0);
            Ok(DeviceRecord { id, commune: Uuid::parse_str(&commune)?, public_key: r.get(1) })
        })
        .transpose()
    }

    async fn devices_of(&self, commune: Uuid) -> anyhow::Result<Vec<DeviceRecord>> {
        let c = self.client.lock().await;
        let rows = c
            .query("SELECT id, public_key FROM devices WHERE commune = $1 ORDER BY id", &[&commune.to_string()])
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.get(0);
                Ok(DeviceRecord { id: Uuid::parse_str(&id)?, commune, public_key: r.get(1) })
            })
            .collect()
    }

    async fn revoke(&self, id: Uuid) -> anyhow::Result<bool> {
        let mut c = self.client.lock().await;
        let tx = c.transaction().await?;
        let id = id.to_string();
        let n = tx.execute("DELETE FROM devices WHERE id = $1", &[&id]).await?
            + tx.execute("DELETE FROM parent_devices WHERE id = $1", &[&id]).await?;
        tx.execute("DELETE FROM parent_communes WHERE device = $1", &[&id]).await?;
        if n > 0 {
            let now = chrono::Utc::now().timestamp_millis().max(0);
            tx.execute("INSERT INTO revoked_devices(id, at_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&id, &now])
                .await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }

    async fn revoked_at(&self, id: Uuid) -> anyhow::Result<Option<u64>> {
        let c = self.client.lock().await;
        let row = c.query_opt("SELECT at_ms FROM revoked_devices WHERE id = $1", &[&id.to_string()]).await?;
        Ok(row.map(|r| r.get::<_, i64>(0).max(0) as u64))
    }

    async fn enrol_parent(&self, p: &ParentRecord) -> anyhow::Result<()> {
        let mut c = self.client.lock().await;
        let tx = c.transaction().await?;
        let id = p.id.to_string();
        tx.execute(
            "INSERT INTO parent_devices(id, unit, public_key) VALUES ($1, $2, $3)
             ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, public_key = excluded.public_key",
            &[&id, &p.unit, &p.public_key.to_lowercase()],
        )
        .await?;
        tx.execute("DELETE FROM parent_communes WHERE device = $1", &[&id]).await?;
        for (pos, commune) in p.communes.iter().enumerate() {
            tx.execute(
                "INSERT INTO parent_communes(device, pos, commune) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&id, &(pos as i64), &commune.to_string()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn parent(&self, id: Uuid) -> anyhow::Result<Option<ParentRecord>> {
        let c = self.client.lock().await;
        let Some(row) =
            c.query_opt("SELECT unit, public_key FROM parent_devices WHERE id = $1", &[&id.to_string()]).await?
        else {
            return Ok(None);
        };
        let rows =
            c.query("SELECT commune FROM parent_communes WHERE device = $1 ORDER BY pos", &[&id.to_string()]).await?;
        let communes =
            rows.iter().map(|r| Ok(Uuid::parse_str(r.get::<_, &str>(0))?)).collect::<anyhow::Result<Vec<Uuid>>>()?;
        Ok(Some(ParentRecord { id, unit: row.get(0), public_key: row.get(1), communes }))
    }

    async fn parents_of(&self, commune: Uuid) -> anyhow::Result<Vec<ParentRecord>> {
        let c = self.client.lock().await;
        let rows = c
            .query(
                "SELECT d.id, d.unit, d.public_key FROM parent_devices d
                 JOIN parent_communes pc ON pc.device = d.id WHERE pc.commune = $1 ORDER BY d.id",
                &[&commune.to_string()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ParentRecord {
                    id: Uuid::parse_str(r.get::<_, &str>(0))?,
                    unit: r.get(1),
                    public_key: r.get(2),
                    communes: vec![commune],
                })
            })
            .collect()
    }

    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed> {
        let mut c = self.client.lock().await;
        let tx = c.transaction().await?;
        let commune = commune.to_string();
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&commune]).await?;
        let stmt = tx.prepare("INSERT INTO ops(commune, id, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING").await?;
        let kind = tx
            .prepare("INSERT INTO entity_kinds(commune, id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .await?;
        let mut p = Pushed::default();
        for op in ops {
            tx.execute(&kind, &[&commune, &op.entity.to_string(), &op.kind.as_str()]).await?;
            let n = tx.execute(&stmt, &[&commune, &op.id.to_string(), &serde_json::to_string(op)?]).await?;
            if n == 1 {
                p.accepted += 1;
            } else {
                p.duplicates += 1;
            }
        }
        tx.commit().await?;
        Ok(p)
    }

    async fn kinds(&self, commune: Uuid, entities: &[Uuid]) -> anyhow::Result<HashMap<Uuid, Kind>> {
        let ids: Vec<String> = entities.iter().map(Uuid::to_string).collect();
        let c = self.client.lock().await;
        let rows = c
            .query(
                "SELECT id, kind FROM entity_kinds WHERE commune = $1 AND id = ANY($2)",
                &[&commune.to_string(), &ids],
            )
            .await?;
        let mut out = HashMap::new();
        for row in rows {
            out.insert(Uuid::parse_str(row.get(0))?, Kind::parse(row.get(1))?);
        }
        Ok(out)
    }

    async fn pull(&self, commune: Uuid, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, Op)>> {
        let c = self.client.lock().await;
        let rows = c
            .query(
                "SELECT seq, body FROM ops WHERE commune = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&commune.to_string(), &after, &limit],
            )
            .await?;
        rows.iter().map(|r| Ok((r.get::<_, i64>(0), serde_json::from_str(r.get::<_, &str>(1))?))).collect()
    }

    async fn put_attachment(&self, commune: Uuid, name: &str, body: &[u8]) -> anyhow::Result<bool> {
        let c = self.client.lock().await;
        let n = c
            .execute(
                "INSERT INTO attachments(commune, name, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&commune.to_string(), &name, &body],
            )
            .await?;
        Ok(n == 1)
    }

    async fn get_attachment(&self, commune: Uuid, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let c = self.client.lock().await;
        let row = c
            .query_opt("SELECT body FROM attachments WHERE commune = $1 AND name = $2", &[&commune.to_string(), &name])
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn has_attachments(&self, commune: Uuid, names: &[String]) -> anyhow::Result<BTreeSet<String>> {
        let c = self.client.lock().await;
        let rows = c
            .query(
                "SELECT name FROM attachments WHERE commune = $1 AND name = ANY($2)",
                &[&commune.to_string(), &names],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn put_publication(&self, commune: Uuid, plan: Uuid, version: i64, body: &[u8]) -> anyhow::Result<()> {
        let c = self.client.lock().await;
        c.execute(
            "INSERT INTO publications(commune, plan_id, version, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (commune, plan_id, version) DO UPDATE SET body = excluded.body",
            &[&commune.to_string(), &plan.to_string(), &version, &body],
        )
        .await?;
        Ok(())
    }

    async fn publications(&self, commune: Uuid) -> anyhow::Result<Vec<Vec<u8>>> {
        let c = self.client.lock().await;
        let rows = c
            .query(
                "SELECT body FROM publications p WHERE commune = $1 AND version = (SELECT max(version) FROM \
                 publications q WHERE q.commune = p.commune AND q.plan_id = p.plan_id) ORDER BY plan_id",
                &[&commune.to_string()],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
