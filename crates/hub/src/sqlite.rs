//! The embedded engine: one SQLite file in the data directory. rusqlite is blocking, so each
//! call runs on tokio's blocking pool; one connection behind a mutex is plenty for a district.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use kehoach_core::{Kind, Op};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::store::{DeviceRecord, HubStore, ParentRecord, Pushed};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    commune TEXT NOT NULL,
    public_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ops (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    commune TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (commune, id)
);
CREATE INDEX IF NOT EXISTS ops_by_commune ON ops (commune, seq);
-- The kind each record of a commune has, from its first op: a push giving it another is refused.
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
    pos INTEGER NOT NULL,
    commune TEXT NOT NULL,
    PRIMARY KEY (device, commune)
);
CREATE TABLE IF NOT EXISTS attachments (
    commune TEXT NOT NULL,
    name TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (commune, name)
);
CREATE TABLE IF NOT EXISTS revoked_devices (
    id TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS publications (
    commune TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (commune, plan_id, version)
);
";

pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating) `hub.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> anyhow::Result<SqliteStore> {
        std::fs::create_dir_all(dir)?;
        // The communes' data and the devices' keys: readable by the hub's account only.
        kehoach_core::private_file::create_private(&dir.join("hub.sqlite3"))?;
        let conn = Connection::open(dir.join("hub.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a push the hub has acknowledged survives a power cut (under NORMAL, WAL can lose
        // the last transactions, and the PC would never send those ops again).
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let new_index: bool =
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'entity_kinds')", [], |r| {
                r.get(0)
            })?;
        conn.execute_batch(SCHEMA)?;
        if new_index {
            // A hub from before the index: its records' kinds, each from its first op.
            conn.execute(
                "INSERT OR IGNORE INTO entity_kinds(commune, id, kind)
                 SELECT commune, json_extract(body, '$.entity'), json_extract(body, '$.kind') FROM ops ORDER BY seq",
                [],
            )?;
        }
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().map_err(|_| anyhow::anyhow!("hub database lock poisoned"))?;
            f(&mut c)
        })
        .await?
    }
}

#[async_trait]
impl HubStore for SqliteStore {
    async fn enrol(&self, d: &DeviceRecord) -> anyhow::Result<()> {
        let d = d.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO devices(id, commune, public_key) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET commune = excluded.commune, public_key = excluded.public_key",
                params![d.id.to_string(), d.commune.to_string(), d.public_key.to_lowercase()],
            )?;
            Ok(())
        })
        .await
    }

    async fn device(&self, id: Uuid) -> anyhow::Result<Option<DeviceRecord>> {
        self.with(move |c| {
            let row: Option<(String, String)> = c
                .query_row("SELECT commune, public_key FROM devices WHERE id = ?1", [id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            row.map(|(commune, public_key)| Ok(DeviceRecord { id, commune: Uuid::parse_str(&commune)?, public_key }))
                .transpose()
        })
        .await
    }

    async fn devices_of(&self, commune: Uuid) -> anyhow::Result<Vec<DeviceRecord>> {
        self.with(move |c| {
            let mut st = c.prepare("SELECT id, public_key FROM devices WHERE commune = ?1 ORDER BY id")?;
            let rows = st.query_map([commune.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            rows.map(|row| {
                let (id, public_key) = row?;
                Ok(DeviceRecord { id: Uuid::parse_str(&id)?, commune, public_key })
            })
            .collect()
        })
        .await
    }

    async fn enrol_parent(&self, p: &ParentRecord) -> anyhow::Result<()> {
        let p = p.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            let id = p.id.to_string();
            tx.execute(
                "INSERT INTO parent_devices(id, unit, public_key) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, public_key = excluded.public_key",
                params![id, p.unit, p.public_key.to_lowercase()],
            )?;
            tx.execute("DELETE FROM parent_communes WHERE device = ?1", [&id])?;
            for (pos, commune) in p.communes.iter().enumerate() {
                tx.execute(
                    "INSERT OR IGNORE INTO parent_communes(device, pos, commune) VALUES (?1, ?2, ?3)",
                    params![id, pos as i64, commune.to_string()],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn revoke(&self, id: Uuid) -> anyhow::Result<bool> {
        self.with(move |c| {
            let tx = c.transaction()?;
            let id = id.to_string();
            let n = tx.execute("DELETE FROM devices WHERE id = ?1", [&id])?
                + tx.execute("DELETE FROM parent_devices WHERE id = ?1", [&id])?;
            tx.execute("DELETE FROM parent_communes WHERE device = ?1", [&id])?;
            if n > 0 {
                let now = chrono::Utc::now().timestamp_millis().max(0);
                tx.execute(
                    "INSERT OR IGNORE INTO revoked_devices(id, at_ms) VALUES (?1, ?2)",
                    rusqlite::params![id, now],
                )?;
            }
            tx.commit()?;
            Ok(n > 0)
        })
        .await
    }

    async fn revoked_at(&self, id: Uuid) -> anyhow::Result<Option<u64>> {
        self.with(move |c| {
            let at: Option<i64> = c
                .query_row("SELECT at_ms FROM revoked_devices WHERE id = ?1", [id.to_string()], |r| r.get(0))
                .optional()?;
            Ok(at.map(|a| a.max(0) as u64))
        })
        .await
    }

    async fn parent(&self, id: Uuid) -> anyhow::Result<Option<ParentRecord>> {
        self.with(move |c| {
            let row: Option<(String, String)> = c
                .query_row("SELECT unit, public_key FROM parent_devices WHERE id = ?1", [id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let Some((unit, public_key)) = row else { return Ok(None) };
            let mut stmt = c.prepare_cached("SELECT commune FROM parent_communes WHERE device = ?1 ORDER BY pos")?;
            let communes = stmt
                .query_map([id.to_string()], |r| r.get::<_, String>(0))?
                .map(|r| Ok(Uuid::parse_str(&r?)?))
                .collect::<anyhow::Result<Vec<Uuid>>>()?;
            Ok(Some(ParentRecord { id, unit, public_key, communes }))
        })
        .await
    }

    async fn parents_of(&self, commune: Uuid) -> anyhow::Result<Vec<ParentRecord>> {
        self.with(move |c| {
            let mut st = c.prepare(
                "SELECT d.id, d.unit, d.public_key FROM parent_devices d
                 JOIN parent_communes pc ON pc.device = d.id WHERE pc.commune = ?1 ORDER BY d.id",
            )?;
            let rows = st.query_map([commune.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?;
            rows.map(|row| {
                let (id, unit, public_key) = row?;
                Ok(ParentRecord { id: Uuid::parse_str(&id)?, unit, public_key, communes: vec![commune] })
            })
            .collect()
        })
        .await
    }

    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed> {
        let rows: Vec<(String, String)> =
            ops.iter().map(|o| Ok((o.id.to_string(), serde_json::to_string(o)?))).collect::<anyhow::Result<_>>()?;
        let kinds: Vec<(String, &'static str)> = ops.iter().map(|o| (o.entity.to_string(), o.kind.as_str())).collect();
        self.with(move |c| {
            let tx = c.transaction()?;
            let mut p = Pushed::default();
            {
                let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO ops(commune, id, body) VALUES (?1, ?2, ?3)")?;
                let mut kind =
                    tx.prepare_cached("INSERT OR IGNORE INTO entity_kinds(commune, id, kind) VALUES (?1, ?2, ?3)")?;
                let commune = commune.to_string();
                for ((id, body), (entity, k)) in rows.iter().zip(&kinds) {
                    kind.execute(params![commune, entity, k])?;
                    if stmt.execute(params![commune, id, body])? == 1 {
                        p.accepted += 1;
                    } else {
                        p.duplicates += 1;
                    }
                }
            }
            tx.commit()?;
            Ok(p)
        })
        .await
    }

    async fn kinds(&self, commune: Uuid, entities: &[Uuid]) -> anyhow::Result<HashMap<Uuid, Kind>> {
        let entities = entities.to_vec();
        self.with(move |c| {
            let mut stmt = c.prepare_cached("SELECT kind FROM entity_kinds WHERE commune = ?1 AND id = ?2")?;
            let mut out = HashMap::new();
            for e in entities {
                let kind: Option<String> =
                    stmt.query_row(params![commune.to_string(), e.to_string()], |r| r.get(0)).optional()?;
                if let Some(k) = kind {
                    out.insert(e, Kind::parse(&k)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn pull(&self, commune: Uuid, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, Op)>> {
        self.with(move |c| {
            let mut stmt =
                c.prepare_cached("SELECT seq, body FROM ops WHERE commune = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3")?;
            let rows = stmt.query_map(params![commune.to_string(), after, limit], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, body) = row?;
                out.push((seq, serde_json::from_str(&body)?));
            }
            Ok(out)
        })
        .await
    }

    async fn put_attachment(&self, commune: Uuid, name: &str, body: &[u8]) -> anyhow::Result<bool> {
        let (name, body) = (name.to_string(), body.to_vec());
        self.with(move |c| {
            let n = c.execute(
                "INSERT OR IGNORE INTO attachments(commune, name, body) VALUES (?1, ?2, ?3)",
                params![commune.to_string(), name, body],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn get_attachment(&self, commune: Uuid, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let name = name.to_string();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT body FROM attachments WHERE commune = ?1 AND name = ?2",
                params![commune.to_string(), name],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn has_attachments(&self, commune: Uuid, names: &[String]) -> anyhow::Result<BTreeSet<String>> {
        let names = names.to_vec();
        self.with(move |c| {
            let mut stmt = c.prepare_cached("SELECT 1 FROM attachments WHERE commune = ?1 AND name = ?2")?;
            let commune = commune.to_string();
            let mut out = BTreeSet::new();
            for name in names {
                if stmt.exists(params![commune, name])? {
                    out.insert(name);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn put_publication(&self, commune: Uuid, plan: Uuid, version: i64, body: &[u8]) -> anyhow::Result<()> {
        let body = body.to_vec();
        self.with(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO publications(commune, plan_id, version, body) VALUES (?1, ?2, ?3, ?4)",
                params![commune.to_string(), plan.to_string(), version, body],
            )?;
            Ok(())
        })
        .await
    }

    async fn publications(&self, commune: Uuid) -> anyhow::Result<Vec<Vec<u8>>> {
        self.with(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT body FROM publications p WHERE commune = ?1 AND version = (SELECT max(version) FROM \
                 publications q WHERE q.commune = p.commune AND q.plan_id = p.plan_id) ORDER BY plan_id",
            )?;
            let rows = stmt.query_map([commune.to_string()], |r| r.get::<_, Vec<u8>>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}
