//! Who works on each PC: the name and desk an officer gives this PC ("Nguyễn Văn Hùng", "Công
//! an xã"). It is a record like any other (kind `user`, keyed by the PC's device id), so every
//! PC of the commune learns it by sync, and a task's history says who changed what instead of
//! showing a device id.

use std::collections::HashMap;

use kehoach_model::PcUser;
use rusqlite::OptionalExtension;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::fold::clean;
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

/// Names this PC's user (and desk); the unit may be left empty.
pub fn set_pc_user(store: &mut Store, user: &PcUser) -> Result<PcUser> {
    let name = clean(&user.name);
    if name.is_empty() {
        return Err(CoreError::invalid("chưa nhập họ tên người dùng máy này"));
    }
    let unit = user.unit.as_deref().map(clean).filter(|u| !u.is_empty());
    let id = store.device_id();
    store.commit(vec![
        Change::new(Kind::User, id, field::user::NAME, name.clone()),
        Change::new(Kind::User, id, field::user::UNIT, unit.clone().map(Value::from).unwrap_or(Value::Null)),
    ])?;
    Ok(PcUser { name, unit })
}

/// This PC's user, if named.
pub fn this_pc_user(store: &Store) -> Result<Option<PcUser>> {
    Ok(store
        .conn
        .query_row("SELECT name, unit FROM users WHERE id = ?1 AND name <> ''", [store.device_id().to_string()], |r| {
            Ok(PcUser { name: r.get(0)?, unit: r.get(1)? })
        })
        .optional()?)
}

/// Every named PC of the commune, by device id.
pub fn pc_users(store: &Store) -> Result<HashMap<Uuid, PcUser>> {
    let mut stmt = store.conn.prepare_cached("SELECT id, name, unit FROM users WHERE name <> ''")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, PcUser { name: r.get(1)?, unit: r.get(2)? })))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, user) = row?;
        if let Ok(id) = Uuid::parse_str(&id) {
            out.insert(id, user);
        }
    }
    Ok(out)
}

/// Records, in this PC's own `user` record, the version of kehoach it runs and its platform,
/// when they differ from what it last recorded: called as the PC syncs, so the op travels with
/// that sync to the commune's other PCs and to the district (which flags old versions). Only
/// this device's record is written. Returns whether anything was written.
pub fn note_program(store: &mut Store, version: &str, platform: &str) -> Result<bool> {
    if !kehoach_model::is_version(version) {
        return Err(CoreError::invalid(format!("phiên bản chương trình không hợp lệ: {version:?}")));
    }
    let id = store.device_id();
    let recorded: Option<(Option<String>, Option<String>)> = store
        .conn
        .query_row("SELECT app_version, platform FROM users WHERE id = ?1", [id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (old_version, old_platform) = recorded.unwrap_or((None, None));
    let mut changes = Vec::new();
    if old_version.as_deref() != Some(version) {
        changes.push(Change::new(Kind::User, id, field::user::APP_VERSION, version));
    }
    if old_platform.as_deref() != Some(platform) {
        changes.push(Change::new(Kind::User, id, field::user::PLATFORM, platform));
    }
    if changes.is_empty() {
        return Ok(false);
    }
    store.commit(changes)?;
    Ok(true)
}

/// The version each PC of the commune last said it runs, with the officer named on it.
pub fn pc_programs(store: &Store) -> Result<Vec<kehoach_model::PcProgram>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, name, app_version, platform FROM users WHERE app_version IS NOT NULL ORDER BY name, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, version, platform) = row?;
        let Ok(device) = Uuid::parse_str(&id) else { continue };
        out.push(kehoach_model::PcProgram {
            device,
            user: Some(name).filter(|n| !n.is_empty()),
            version,
            platform: platform.filter(|p| !p.is_empty()),
        });
    }
    Ok(out)
}

/// The signed statements admitting devices into the commune (the `admission` field of each
/// `user` record that has one), as stored, by device id. What they say and whether they hold
/// is the sync layer's to judge (checked when they arrived).
pub fn admission_statements(store: &Store) -> Result<Vec<Value>> {
    statements(store, "SELECT admission FROM users WHERE admission IS NOT NULL ORDER BY id")
}

/// The signed statements revoking devices (the `revoked` field of `user` records), by device id.
pub fn revocation_statements(store: &Store) -> Result<Vec<Value>> {
    statements(store, "SELECT revoked FROM users WHERE revoked IS NOT NULL ORDER BY id")
}

/// The JSON values `sql` selects; one that does not read as JSON is left out.
fn statements(store: &Store, sql: &str) -> Result<Vec<Value>> {
    let mut stmt = store.conn.prepare_cached(sql)?;
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows.iter().filter_map(|s| serde_json::from_str(s).ok()).collect())
}
