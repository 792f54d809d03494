//! The embedded engine: one SQLite file in the data directory. rusqlite is blocking, so each
//! call runs on tokio's blocking pool; one connection behind a mutex is plenty for a district.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use kehoach_core::Op;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::store::{DeviceRecord, HubStore, Pushed};

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
";

pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating) `hub.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> anyhow::Result<SqliteStore> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("hub.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
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

    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed> {
        let rows: Vec<(String, String)> =
            ops.iter().map(|o| Ok((o.id.to_string(), serde_json::to_string(o)?))).collect::<anyhow::Result<_>>()?;
        self.with(move |c| {
            let tx = c.transaction()?;
            let mut p = Pushed::default();
            {
                let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO ops(commune, id, body) VALUES (?1, ?2, ?3)")?;
                let commune = commune.to_string();
                for (id, body) in &rows {
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
}
