//! The roll-up for a parent unit: the hub keeps no projection tables, so it replays each
//! commune's ops into an in-memory `kehoach_core::Store` — the same apply and the same queries
//! as the commune's own PCs, so the figures cannot drift from what the commune sees. Each
//! replica is kept and brought up to date by cursor, so a roll-up costs only the new ops.

use std::collections::HashMap;
use std::sync::Arc;

use kehoach_core::{reports, Store};
use kehoach_sync::district;
use kehoach_sync::hub_auth::wire::Rollup;
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::store::HubStore;

const PAGE: i64 = 5000;

struct Replica {
    store: Store,
    cursor: i64,
    ops: u64,
}

/// One replica per commune, built on first use.
#[derive(Default)]
pub struct Replicas {
    by_commune: std::sync::Mutex<HashMap<Uuid, Arc<Mutex<Replica>>>>,
}

impl Replicas {
    fn replica(&self, commune: Uuid) -> anyhow::Result<Arc<Mutex<Replica>>> {
        let mut map = self.by_commune.lock().map_err(|_| anyhow::anyhow!("replica map poisoned"))?;
        if let Some(r) = map.get(&commune) {
            return Ok(r.clone());
        }
        let r = Arc::new(Mutex::new(Replica { store: Store::open_in_memory()?, cursor: 0, ops: 0 }));
        map.insert(commune, r.clone());
        Ok(r)
    }

    /// The roll-up of `communes` for `period` ("2024-05", "2024-Q2", …), titled `unit`.
    pub async fn rollup(
        &self,
        hub: &dyn HubStore,
        unit: &str,
        communes: &[Uuid],
        period: &str,
    ) -> anyhow::Result<Rollup> {
        let period = reports::parse_period(period)?;
        let mut summaries = Vec::new();
        for &commune in communes {
            let replica = self.replica(commune)?;
            let mut r = replica.lock().await;
            let mut replayed = Ok(());
            loop {
                let page = hub.pull(commune, r.cursor, PAGE).await?;
                let Some(&(last, _)) = page.last() else { break };
                let ops: Vec<_> = page.into_iter().map(|(_, o)| o).collect();
                if let Err(e) = r.store.apply_ops(&ops) {
                    // One commune whose ops cannot be replayed must not take the others' roll-up
                    // down with it: its line says why, the rest are summed.
                    eprintln!("hub: replaying commune {commune}: {e}");
                    replayed = Err(e);
                    break;
                }
                r.cursor = last;
                r.ops += ops.len() as u64;
                if (ops.len() as i64) < PAGE {
                    break;
                }
            }
            // The same summary as a district PC makes from its own copies.
            let name = kehoach_core::queries::settings(&r.store).ok().and_then(|s| s.commune);
            summaries.push(
                match replayed
                    .map_err(anyhow::Error::from)
                    .and_then(|()| district::summarise(&r.store, commune, r.ops, &period).map_err(anyhow::Error::from))
                {
                    Ok(s) => s,
                    Err(e) => district::unreadable(commune, name, r.ops, &e.to_string()),
                },
            );
        }
        Ok(district::assemble(unit, &period, summaries))
    }
}
