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
        Change::new(Kind::User, id, "name", name.clone()),
        Change::new(Kind::User, id, "unit", unit.clone().map(Value::from).unwrap_or(Value::Null)),
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
