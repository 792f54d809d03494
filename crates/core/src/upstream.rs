//! Plans of the level above as this commune received them ("Kế hoạch cấp trên", issue 17):
//! one read-only record per published version, written by this commune's own device once the
//! publication's signature was checked (by `kehoach_sync::publish`; the core holds no keys),
//! so the commune's other PCs get it by sync. Nothing here changes the commune's own plans.

use kehoach_model::{ParentLink, Publication, SignedPublication};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

/// One record per (plan, version), the same on every PC that stores it: two PCs of the commune
/// receiving the same publication write the same record, not two.
pub fn record_id(plan_id: Uuid, version: u32) -> Uuid {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("kehoach-publication:{plan_id}:{version}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    // RFC 9562 version 8 (custom), variant 10.
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    Uuid::from_bytes(b)
}

/// The payload of a signed publication, parsed (no signature check: see `kehoach_sync::publish`).
pub fn parse(signed: &SignedPublication) -> Result<Publication> {
    let p: Publication = serde_json::from_str(&signed.payload)
        .map_err(|e| CoreError::invalid(format!("kế hoạch cấp trên không đọc được: {e}")))?;
    if p.format > kehoach_model::PUBLICATION_FORMAT {
        return Err(CoreError::invalid(
            "kế hoạch cấp trên được gửi bằng phiên bản kehoach mới hơn; hãy cập nhật kehoach rồi nhận lại",
        ));
    }
    Ok(p)
}

/// What storing a publication did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    /// This version was already held: nothing written.
    AlreadyHeld,
}

/// Stores a publication whose signature the caller has checked. A version older than one held
/// is refused (the level above does not go back; an old file carried late must not look new).
pub fn store_publication(store: &mut Store, signed: &SignedPublication) -> Result<Stored> {
    let p = parse(signed)?;
    let id = record_id(p.plan_id, p.version);
    let held = versions(store, p.plan_id)?;
    if held.contains(&p.version) {
        return Ok(Stored::AlreadyHeld);
    }
    if let Some(newest) = held.iter().max().filter(|v| **v > p.version) {
        return Err(CoreError::invalid(format!(
            "đã có phiên bản {newest} của kế hoạch này; tệp này là phiên bản cũ hơn ({}) nên không nhận",
            p.version
        )));
    }
    let ch = |f: &str, v: Value| Change::new(Kind::Publication, id, f, v);
    store.commit(vec![
        ch(field::publication::PLAN_ID, p.plan_id.to_string().into()),
        ch(field::publication::VERSION, i64::from(p.version).into()),
        ch(field::publication::PUBLISHER, p.unit.clone().into()),
        ch(field::publication::PUBLISHED_AT, p.published_at.clone().into()),
        ch(field::publication::SIGNED, serde_json::to_value(signed).map_err(|e| CoreError::invalid(e.to_string()))?),
        ch(field::publication::RECEIVED_AT, chrono::Utc::now().to_rfc3339().into()),
    ])?;
    Ok(Stored::New)
}

/// The versions held of the level above's plan `plan_id`, ascending.
pub fn versions(store: &Store, plan_id: Uuid) -> Result<Vec<u32>> {
    let mut stmt = store.conn.prepare_cached("SELECT version FROM publications WHERE plan_id = ?1 ORDER BY version")?;
    let rows = stmt.query_map([plan_id.to_string()], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.into_iter().map(|v| v as u32).collect())
}

/// One held version, as signed.
pub fn signed(store: &Store, plan_id: Uuid, version: u32) -> Result<Option<SignedPublication>> {
    use rusqlite::OptionalExtension;
    let s: Option<String> = store
        .conn
        .query_row(
            "SELECT signed FROM publications WHERE plan_id = ?1 AND version = ?2",
            rusqlite::params![plan_id.to_string(), i64::from(version)],
            |r| r.get(0),
        )
        .optional()?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| CoreError::invalid(format!("kế hoạch cấp trên hỏng: {e}"))))
        .transpose()
}

/// The newest version held of `plan_id`.
pub fn latest(store: &Store, plan_id: Uuid) -> Result<Option<Publication>> {
    match versions(store, plan_id)?.last() {
        Some(v) => signed(store, plan_id, *v)?.map(|s| parse(&s)).transpose(),
        None => Ok(None),
    }
}

/// Every plan of the level above held, newest version of each, most recently published first.
pub fn list(store: &Store) -> Result<Vec<kehoach_model::UpstreamPlan>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT plan_id FROM publications GROUP BY plan_id ORDER BY max(coalesce(published_at, '')) DESC",
    )?;
    let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for id in ids {
        let Ok(id) = Uuid::parse_str(&id) else { continue };
        let Some(publication) = latest(store, id)? else { continue };
        let derived = derived_from(store, &publication.link())?;
        out.push(kehoach_model::UpstreamPlan { derived, versions: versions(store, id)?, publication });
    }
    Ok(out)
}

/// This commune's plans that implement the level above's plan `link` (by id, or by number and
/// date: a document imported before the publication is the same plan).
pub fn derived_from(store: &Store, link: &ParentLink) -> Result<Vec<Uuid>> {
    let mut stmt = store.conn.prepare_cached("SELECT id, parent FROM plans WHERE parent IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, parent) = row?;
        let Ok(parent) = serde_json::from_str::<ParentLink>(&parent) else { continue };
        if parent.same_plan(link) {
            out.extend(Uuid::parse_str(&id).ok());
        }
    }
    Ok(out)
}

/// Carries the officer's choice of a new version's changes into the commune's derived plan
/// `plan_id`, in one commit: tasks added (linked to their parent task), tasks re-dated, tasks
/// deleted (with their notes and evidence), and the plan's link moved to `to_version`. Nothing
/// else of the plan changes; bad input (a task of another plan, an empty text) changes nothing.
pub fn carry(store: &mut Store, plan_id: Uuid, c: &kehoach_model::Carry) -> Result<kehoach_model::Plan> {
    let plan = crate::queries::plan(store, plan_id)?;
    let Some(mut parent) = plan.parent.clone() else {
        return Err(CoreError::invalid("kế hoạch này không lập từ kế hoạch cấp trên nào"));
    };
    let of_plan = |store: &Store, id: Uuid| -> Result<()> {
        let t = crate::queries::live_task(store, id)?;
        if t.plan_id != plan_id {
            return Err(CoreError::invalid(format!("nhiệm vụ {id} không thuộc kế hoạch này")));
        }
        Ok(())
    };
    let mut changes = Vec::new();
    for r in &c.redate {
        of_plan(store, r.task_id)?;
        let ch = |f: &str, v: Value| Change::new(Kind::Task, r.task_id, f, v);
        changes.push(ch(field::task::TIME_TEXT, r.time_text.clone().map(Value::from).unwrap_or(Value::Null)));
        changes
            .push(ch(field::task::DUE, serde_json::to_value(&r.due).map_err(|e| CoreError::invalid(e.to_string()))?));
        changes.push(ch(
            "due_by_level",
            serde_json::to_value(&r.due_by_level).map_err(|e| CoreError::invalid(e.to_string()))?,
        ));
    }
    for id in &c.remove {
        of_plan(store, *id)?;
        crate::deletion::task_tombstones(store, *id, &mut changes)?;
    }
    let mut pos: i64 = store.conn.query_row(
        "SELECT coalesce(max(pos), 0) FROM tasks WHERE plan_id = ?1",
        [plan_id.to_string()],
        |r| r.get(0),
    )?;
    let mut pending = Vec::new();
    for t in &c.add {
        pos += 1;
        crate::actions::task_changes(store, &mut pending, &mut changes, Uuid::now_v7(), plan_id, pos, t)?;
    }
    parent.version = Some(c.to_version);
    changes.push(Change::new(
        Kind::Plan,
        plan_id,
        field::plan::PARENT,
        serde_json::to_value(&parent).map_err(|e| CoreError::invalid(e.to_string()))?,
    ));
    store.commit(changes)?;
    crate::queries::plan(store, plan_id)
}
