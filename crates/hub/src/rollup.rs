//! The roll-up for a parent unit: the hub keeps no projection tables, so it replays each
//! commune's ops into an in-memory `kehoach_core::Store` — the same apply and the same queries
//! as the commune's own PCs, so the figures cannot drift from what the commune sees. Each
//! replica is kept and brought up to date by cursor, so a roll-up costs only the new ops.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::Context;
use kehoach_core::{queries, reports, Store};
use kehoach_sync::hub_auth::wire::{CommuneRollup, Rollup, TargetSum};
use rusqlite::OptionalExtension;
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

/// One commune's figures and its targets, before they are summed.
struct Summary {
    row: CommuneRollup,
    targets: Vec<(String, String, f64, f64)>,
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
        let (_, end) = reports::period_bounds(&period);
        let code = period.code();
        let mut rows = Vec::new();
        let mut sums: BTreeMap<(String, String), TargetSum> = BTreeMap::new();
        for &commune in communes {
            let replica = self.replica(commune)?;
            let mut r = replica.lock().await;
            loop {
                let page = hub.pull(commune, r.cursor, PAGE).await?;
                let Some(&(last, _)) = page.last() else { break };
                let ops: Vec<_> = page.into_iter().map(|(_, o)| o).collect();
                r.store.apply_ops(&ops).with_context(|| format!("replaying commune {commune}"))?;
                r.cursor = last;
                r.ops += ops.len() as u64;
                if (ops.len() as i64) < PAGE {
                    break;
                }
            }
            let s = summarise(&r.store, commune, r.ops, &code, end)?;
            for (text, unit, target, actual) in s.targets {
                let e = sums.entry((text.clone(), unit.clone())).or_insert(TargetSum {
                    text,
                    unit,
                    target: 0.0,
                    actual: 0.0,
                    communes: 0,
                });
                e.target += target;
                e.actual += actual;
                e.communes += 1;
            }
            rows.push(s.row);
        }
        Ok(Rollup {
            unit: unit.to_string(),
            period: code,
            as_of: end.format("%Y-%m-%d").to_string(),
            reported: rows.iter().filter(|r| r.report).count() as u32,
            communes: rows,
            targets: sums.into_values().collect(),
        })
    }
}

/// Collapses runs of spaces so "Tỷ lệ  cấp CCCD" and "Tỷ lệ cấp CCCD" add up together.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn summarise(store: &Store, commune: Uuid, ops: u64, period: &str, end: chrono::NaiveDate) -> anyhow::Result<Summary> {
    let day = end.format("%Y-%m-%d").to_string();
    let o = queries::overview(store, Some(&day))?;
    let name =
        queries::settings(store)?.commune.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| commune.to_string());
    let c = store.connection();
    let report_status: Option<String> = c
        .query_row(
            "SELECT status FROM reports WHERE period = ?1 ORDER BY status = 'issued' DESC LIMIT 1",
            [period],
            |r| r.get(0),
        )
        .optional()?;
    // Every figure recorded for a month up to the period's end ("2024-05" sorts before
    // "2024-05-31…", "2024-06" after it).
    let end_key = format!("{day}\u{10FFFF}");
    let mut stmt = c.prepare(
        "SELECT t.text, coalesce(t.unit, ''), coalesce(t.value, 0),
            coalesce((SELECT v.value FROM target_values v WHERE v.target_id = t.id AND v.period <= ?1
                      ORDER BY v.period DESC LIMIT 1), 0)
         FROM targets t",
    )?;
    let targets = stmt
        .query_map([&end_key], |r| {
            Ok((tidy(&r.get::<_, String>(0)?), tidy(&r.get::<_, String>(1)?), r.get::<_, f64>(2)?, r.get::<_, f64>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Summary {
        row: CommuneRollup {
            commune,
            name,
            tasks: o.tasks,
            done: o.done,
            overdue: o.overdue,
            report: report_status.is_some(),
            report_status,
            ops,
        },
        targets,
    })
}
