//! The commune's unit directory: one unit, many names ("Công an xã", "CA xã", "Công an xã
//! Chư Răng"), and merging of duplicates that imports created.

use kehoach_model::{Unit, UnitEntry};
use serde_json::{json, Value};
use uuid::Uuid;

use super::parse_uuid;
use crate::error::{CoreError, Result};
use crate::fold::{clean, fold};
use crate::op::{Change, Kind};
use crate::queries::{find_unit, units};
use crate::record as field;
use crate::store::Store;

/// A live unit by id, name or alias (ignoring case and diacritics).
pub fn resolve_unit(store: &Store, name_or_id: &str) -> Result<Unit> {
    let all = units(store)?;
    if let Some(id) = parse_uuid(name_or_id.trim()) {
        if let Some(u) = all.iter().find(|u| u.id == id) {
            return Ok(u.clone());
        }
    }
    let id = find_unit(store, name_or_id)?
        .ok_or_else(|| CoreError::invalid(format!("không có đơn vị tên \"{}\"", clean(name_or_id))))?;
    Ok(all.into_iter().find(|u| u.id == id).expect("find_unit returns a live unit"))
}

/// The directory: live units with their aliases and how many tasks name them (as lead,
/// coordinator or follow-up), merged units' tasks included.
pub fn unit_directory(store: &Store) -> Result<Vec<UnitEntry>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT coalesce(u.merged_into, u.id), count(DISTINCT tu.task_id)
         FROM task_units tu JOIN units u ON u.id = tu.unit_id GROUP BY 1",
    )?;
    let counts: std::collections::HashMap<String, u32> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(units(store)?
        .into_iter()
        .map(|u| UnitEntry { task_count: counts.get(&u.id.to_string()).copied().unwrap_or(0), unit: u })
        .collect())
}

/// A new unit (refused when the name already names one).
pub fn add_unit(store: &mut Store, name: &str) -> Result<Unit> {
    let name = clean(name);
    if name.is_empty() {
        return Err(CoreError::invalid("tên đơn vị để trống"));
    }
    if find_unit(store, &name)?.is_some() {
        return Err(CoreError::invalid(format!("đã có đơn vị tên \"{name}\"")));
    }
    let id = Uuid::now_v7();
    store.commit(vec![
        Change::new(Kind::Unit, id, field::unit::NAME, name),
        Change::new(Kind::Unit, id, field::unit::ALIASES, json!([])),
    ])?;
    resolve_unit(store, &id.to_string())
}

/// Adds another name for a unit. Refused when that name already belongs to another unit
/// (merge them instead).
pub fn add_unit_alias(store: &mut Store, unit: &str, alias: &str) -> Result<Unit> {
    let u = resolve_unit(store, unit)?;
    let alias = clean(alias);
    if alias.is_empty() {
        return Err(CoreError::invalid("tên gọi khác để trống"));
    }
    if let Some(other) = find_unit(store, &alias)? {
        if other == u.id {
            return Err(CoreError::invalid(format!("\"{alias}\" đã là tên của đơn vị \"{}\"", u.name)));
        }
        let o = resolve_unit(store, &other.to_string())?;
        return Err(CoreError::invalid(format!(
            "\"{alias}\" đã là tên của đơn vị khác (\"{}\"); hãy gộp hai đơn vị",
            o.name
        )));
    }
    let mut aliases = u.aliases.clone();
    aliases.push(alias);
    store.commit(vec![Change::new(Kind::Unit, u.id, field::unit::ALIASES, json!(aliases))])?;
    resolve_unit(store, &u.id.to_string())
}

/// Removes a name from a unit's aliases.
pub fn remove_unit_alias(store: &mut Store, unit: &str, alias: &str) -> Result<Unit> {
    let u = resolve_unit(store, unit)?;
    let key = fold(&clean(alias));
    let aliases: Vec<String> = u.aliases.iter().filter(|a| fold(a) != key).cloned().collect();
    if aliases.len() == u.aliases.len() {
        return Err(CoreError::invalid(format!("đơn vị \"{}\" không có tên gọi khác \"{}\"", u.name, clean(alias))));
    }
    store.commit(vec![Change::new(Kind::Unit, u.id, field::unit::ALIASES, json!(aliases))])?;
    resolve_unit(store, &u.id.to_string())
}

/// Merges a duplicate unit into another: its names become aliases of the one kept, every task
/// that names it is rewritten to name the one kept, and it is marked `merged_into` (kept, not
/// deleted, so ops from PCs that have not seen the merge still resolve).
pub fn merge_units(store: &mut Store, from: &str, into: &str) -> Result<Unit> {
    let f = resolve_unit(store, from)?;
    let t = resolve_unit(store, into)?;
    if f.id == t.id {
        return Err(CoreError::invalid(format!("\"{}\" và \"{}\" là cùng một đơn vị", clean(from), clean(into))));
    }
    let mut aliases = t.aliases.clone();
    for n in std::iter::once(&f.name).chain(f.aliases.iter()) {
        if fold(n) != fold(&t.name) && !aliases.iter().any(|a| fold(a) == fold(n)) {
            aliases.push(n.clone());
        }
    }
    let mut changes = vec![
        Change::new(Kind::Unit, t.id, field::unit::ALIASES, json!(aliases)),
        Change::new(Kind::Unit, f.id, field::unit::MERGED_INTO, t.id.to_string()),
    ];
    let (fs, ts) = (f.id.to_string(), t.id.to_string());
    let mut stmt = store.conn.prepare(
        "SELECT id, lead, coord, monitor FROM tasks WHERE id IN (SELECT task_id FROM task_units WHERE unit_id = ?1)",
    )?;
    let rows: Vec<(String, String, String, String)> = stmt
        .query_map([&fs], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for (id, lead, coord, monitor) in rows {
        let tid = parse_uuid(&id).unwrap_or_default();
        for (role, list) in [("lead", lead), ("coord", coord), ("monitor", monitor)] {
            let ids: Vec<String> = serde_json::from_str(&list).unwrap_or_default();
            if !ids.contains(&fs) {
                continue;
            }
            let mut out: Vec<String> = Vec::new();
            for i in ids {
                let i = if i == fs { ts.clone() } else { i };
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            changes.push(Change::new(Kind::Task, tid, role, Value::from(out)));
        }
    }
    store.commit(changes)?;
    resolve_unit(store, &ts)
}
