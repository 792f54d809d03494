//! What officers do, as validated batches of changes. Each function checks its input first
//! (a clear Vietnamese message and no change on bad input), then makes exactly one
//! `Store::commit`.

use kehoach_model::{Due, ImportedPlan, NewPlan, NewTask, Plan, PlanEdit, Settings, Task, TaskEdit, TaskStatus};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::dates::check_iso_date;
use crate::error::{CoreError, Result};
use crate::fold::{clean, fold};
use crate::op::{Change, Kind, SETTINGS_ID};
use crate::record as field;
use crate::store::Store;

fn opt(s: &Option<String>) -> Value {
    match s.as_deref().map(clean) {
        Some(t) if !t.is_empty() => Value::String(t),
        _ => Value::Null,
    }
}

fn required(label: &str, v: &Option<String>) -> Result<String> {
    match v.as_deref().map(clean) {
        Some(t) if !t.is_empty() => Ok(t),
        _ => Err(CoreError::invalid(format!("chưa nhập {label}"))),
    }
}

/// The first-run setup (and later edits of it): the commune's name, parent body, place name
/// for the date line and the chairman's name.
pub fn save_settings(store: &mut Store, s: &Settings) -> Result<Settings> {
    let commune = required("tên xã/phường", &s.commune)?;
    let parent = required("cơ quan cấp trên", &s.parent)?;
    let place = required("địa danh", &s.place)?;
    let signer = required("họ tên Chủ tịch (người ký)", &s.signer)?;
    let title = s.signer_title.as_deref().map(clean).filter(|t| !t.is_empty()).unwrap_or_else(|| "CHỦ TỊCH".into());
    let ch = |f: &str, v: Value| Change::new(Kind::Org, SETTINGS_ID, f, v);
    store.commit(vec![
        ch(field::org::COMMUNE, commune.into()),
        ch(field::org::PARENT, parent.into()),
        ch(field::org::PLACE, place.into()),
        ch(field::org::SIGNER, signer.into()),
        ch(field::org::SIGNER_TITLE, title.into()),
        ch(field::org::LEVEL, opt(&s.level).as_str().map(Value::from).unwrap_or_else(|| "commune".into())),
    ])?;
    crate::queries::settings(store)
}

pub fn create_plan(store: &mut Store, p: &NewPlan) -> Result<Plan> {
    let title = required("tên kế hoạch", &Some(p.title.clone()))?;
    if let Some(d) = p.date.as_deref().filter(|d| !d.trim().is_empty()) {
        check_iso_date("Ngày ban hành", d)?;
    }
    let id = Uuid::now_v7();
    let ch = |f: &str, v: Value| Change::new(Kind::Plan, id, f, v);
    store.commit(vec![
        ch(field::plan::TITLE, title.into()),
        ch(field::plan::NUMBER, opt(&p.number)),
        ch(field::plan::DATE, opt(&p.date)),
        ch(field::plan::ISSUER, opt(&p.issuer)),
        ch(field::plan::CREATED_AT, chrono::Utc::now().to_rfc3339().into()),
    ])?;
    crate::queries::plan(store, id)
}

/// Corrects a plan's header (a title or number misread on import, a wrong date), in one
/// commit; bad input changes nothing.
pub fn edit_plan(store: &mut Store, id: Uuid, e: &PlanEdit) -> Result<Plan> {
    crate::queries::plan(store, id)?;
    let ch = |f: &str, v: Value| Change::new(Kind::Plan, id, f, v);
    let mut changes = Vec::new();
    if e.title.is_some() {
        changes.push(ch(field::plan::TITLE, required("tên kế hoạch", &e.title)?.into()));
    }
    if let Some(date) = e.date.as_deref().filter(|d| !d.trim().is_empty()) {
        check_iso_date("Ngày ban hành", date)?;
    }
    for (field, v) in [("number", &e.number), ("date", &e.date), ("issuer", &e.issuer)] {
        if v.is_some() {
            changes.push(ch(field, opt(v)));
        }
    }
    if let Some(cutoff) = e.period_cutoff {
        changes.push(ch(field::plan::PERIOD_CUTOFF, cutoff.as_str().into()));
    }
    if !changes.is_empty() {
        store.commit(changes)?;
    }
    crate::queries::plan(store, id)
}

/// Finds a unit by name or alias (ignoring case and diacritics), or prepares its creation.
fn resolve_unit(
    store: &Store,
    pending: &mut Vec<(String, Uuid)>,
    name: &str,
    changes: &mut Vec<Change>,
) -> Result<Uuid> {
    let name = clean(name);
    if name.is_empty() {
        return Err(CoreError::invalid("tên đơn vị để trống"));
    }
    let key = fold(&name);
    if let Some((_, id)) = pending.iter().find(|(k, _)| *k == key) {
        return Ok(*id);
    }
    if let Some(id) = crate::queries::find_unit(store, &name)? {
        return Ok(id);
    }
    let id = Uuid::now_v7();
    changes.push(Change::new(Kind::Unit, id, field::unit::NAME, name));
    changes.push(Change::new(Kind::Unit, id, field::unit::ALIASES, json!([])));
    pending.push((key, id));
    Ok(id)
}

fn unit_ids(
    store: &Store,
    pending: &mut Vec<(String, Uuid)>,
    names: &[String],
    changes: &mut Vec<Change>,
) -> Result<Value> {
    let mut ids = Vec::new();
    for n in names {
        let id = resolve_unit(store, pending, n, changes)?.to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(json!(ids))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn task_changes(
    store: &Store,
    pending: &mut Vec<(String, Uuid)>,
    changes: &mut Vec<Change>,
    id: Uuid,
    plan_id: Uuid,
    pos: i64,
    t: &kehoach_model::ImportedTask,
) -> Result<()> {
    let text = clean(&t.text);
    if text.is_empty() {
        return Err(CoreError::invalid("nội dung nhiệm vụ để trống"));
    }
    let lead = unit_ids(store, pending, &t.lead, changes)?;
    let coord = unit_ids(store, pending, &t.coord, changes)?;
    let monitor = unit_ids(store, pending, &t.monitor, changes)?;
    let ch = |f: &str, v: Value| Change::new(Kind::Task, id, f, v);
    changes.extend([
        ch(field::task::PLAN_ID, plan_id.to_string().into()),
        ch(field::task::REF, opt(&t.reference)),
        ch(field::task::SECTION, opt(&t.section)),
        ch(field::task::TEXT, text.into()),
        ch(field::task::LEAD, lead),
        ch(field::task::COORD, coord),
        ch(field::task::MONITOR, monitor),
        ch(field::task::TIME_TEXT, opt(&t.time_text)),
        ch(field::task::DUE, serde_json::to_value(&t.due).map_err(|e| CoreError::invalid(e.to_string()))?),
        ch(field::task::PRODUCT, opt(&t.product)),
        ch(field::task::BUDGET, opt(&t.budget)),
        ch(
            field::task::DUE_BY_LEVEL,
            serde_json::to_value(&t.due_by_level).map_err(|e| CoreError::invalid(e.to_string()))?,
        ),
        ch(field::task::APPENDIX, opt(&t.appendix)),
        ch(field::task::PARENT_TASK, t.parent_task.map(|p| Value::from(p.to_string())).unwrap_or(Value::Null)),
        ch(field::task::PARENT_REF, opt(&t.parent_ref)),
        ch(field::task::STATUS, TaskStatus::NotStarted.as_str().into()),
        ch(field::task::POS, pos.into()),
    ]);
    Ok(())
}

pub fn add_task(store: &mut Store, t: &NewTask) -> Result<Task> {
    crate::queries::plan(store, t.plan_id)?;
    let pos: i64 = store.conn.query_row(
        "SELECT coalesce(max(pos), 0) + 1 FROM tasks WHERE plan_id = ?1",
        [t.plan_id.to_string()],
        |r| r.get(0),
    )?;
    let imported = kehoach_model::ImportedTask {
        reference: t.reference.clone(),
        section: t.section.clone(),
        text: t.text.clone(),
        lead: t.lead.clone(),
        coord: t.coord.clone(),
        monitor: t.monitor.clone(),
        time_text: t.due_text.clone(),
        due: t.due.clone().unwrap_or_default(),
        product: t.product.clone(),
        budget: None,
        appendix: None,
        due_by_level: t.due_by_level.clone(),
        parent_task: None,
        parent_ref: None,
    };
    let id = Uuid::now_v7();
    let mut changes = Vec::new();
    task_changes(store, &mut Vec::new(), &mut changes, id, t.plan_id, pos, &imported)?;
    store.commit(changes)?;
    crate::queries::task(store, id)
}

/// Stores an imported plan — plan, units, tasks, checklists, targets — in one commit, so an
/// import is either whole or absent.
pub fn import_plan(store: &mut Store, p: &ImportedPlan) -> Result<Plan> {
    let title =
        p.doc.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "Kế hoạch (không có tiêu đề)".into());
    if let Some(d) = &p.doc.date {
        check_iso_date("Ngày ban hành", d)?;
    }
    if p.tasks.is_empty() {
        return Err(CoreError::invalid("kế hoạch không có nhiệm vụ nào"));
    }
    if let Some(d) = p.parent.as_ref().and_then(|l| l.date.as_deref()) {
        check_iso_date("Ngày ban hành của kế hoạch cấp trên", d)?;
    }
    let plan_id = Uuid::now_v7();
    let ch = |f: &str, v: Value| Change::new(Kind::Plan, plan_id, f, v);
    let mut changes = vec![
        ch(field::plan::TITLE, clean(&title).into()),
        ch(field::plan::NUMBER, opt(&p.doc.number)),
        ch(field::plan::DATE, opt(&p.doc.date)),
        ch(field::plan::ISSUER, opt(&p.doc.issuer)),
        ch(field::plan::SIGNER, opt(&p.doc.signer)),
        ch(field::plan::PLACE, opt(&p.doc.place)),
        ch(field::plan::BASIS, json!(p.doc.basis.iter().map(|b| clean(b)).collect::<Vec<_>>())),
        ch(field::plan::REPORTING, serde_json::to_value(&p.reporting).map_err(|e| CoreError::invalid(e.to_string()))?),
        ch(field::plan::CREATED_AT, chrono::Utc::now().to_rfc3339().into()),
    ];
    if let Some(parent) = &p.parent {
        changes.push(ch(
            field::plan::PARENT,
            serde_json::to_value(parent).map_err(|e| CoreError::invalid(e.to_string()))?,
        ));
    }
    let mut pending = Vec::new();
    for (i, t) in p.tasks.iter().enumerate() {
        task_changes(store, &mut pending, &mut changes, Uuid::now_v7(), plan_id, i as i64 + 1, t)?;
    }
    for cl in &p.checklists {
        let cid = Uuid::now_v7();
        changes.push(Change::new(Kind::Checklist, cid, field::checklist::PLAN_ID, plan_id.to_string()));
        changes.push(Change::new(Kind::Checklist, cid, field::checklist::TITLE, clean(&cl.title)));
        changes.push(Change::new(Kind::Checklist, cid, field::checklist::SOURCE, "import"));
        for (i, it) in cl.items.iter().enumerate() {
            let iid = Uuid::now_v7();
            let c = |f: &str, v: Value| Change::new(Kind::ChecklistItem, iid, f, v);
            changes.extend([
                c(field::checklist_item::CHECKLIST_ID, cid.to_string().into()),
                c(field::checklist_item::REF, opt(&it.reference)),
                c(field::checklist_item::TEXT, clean(&it.text).into()),
                c(field::checklist_item::LEVEL, opt(&it.level)),
                c(field::checklist_item::LEAD, opt(&it.lead)),
                c(field::checklist_item::TIME_TEXT, opt(&it.time_text)),
                c(field::checklist_item::POS, (i as i64 + 1).into()),
            ]);
        }
    }
    for t in &p.targets {
        let tid = Uuid::now_v7();
        let c = |f: &str, v: Value| Change::new(Kind::Target, tid, f, v);
        changes.extend([
            c(field::target::PLAN_ID, plan_id.to_string().into()),
            c(field::target::TEXT, clean(&t.text).into()),
            c(field::target::VALUE, t.value.map(Value::from).unwrap_or(Value::Null)),
            c(field::target::UNIT, opt(&t.unit)),
            c(field::target::PERIOD, opt(&t.period)),
        ]);
    }
    store.commit(changes)?;
    crate::queries::plan(store, plan_id)
}

pub fn set_task_status(store: &mut Store, id: Uuid, status: TaskStatus, reason: Option<&str>) -> Result<Task> {
    crate::queries::task(store, id)?;
    let reason = reason.map(clean).filter(|r| !r.is_empty());
    if status == TaskStatus::CannotDo && reason.is_none() {
        return Err(CoreError::invalid("cần ghi lý do khi nhiệm vụ không thực hiện được"));
    }
    store.commit(vec![
        Change::new(Kind::Task, id, field::task::STATUS, status.as_str()),
        Change::new(Kind::Task, id, field::task::STATUS_REASON, reason.map(Value::from).unwrap_or(Value::Null)),
    ])?;
    crate::queries::task(store, id)
}

/// Sets one status on several tasks in one commit (the plan screen's ticked rows): either
/// every task changes or, when one is missing or deleted, none does.
pub fn set_tasks_status(
    store: &mut Store,
    ids: &[Uuid],
    status: TaskStatus,
    reason: Option<&str>,
) -> Result<Vec<Task>> {
    if ids.is_empty() {
        return Err(CoreError::invalid("chưa chọn nhiệm vụ nào"));
    }
    let reason = reason.map(clean).filter(|r| !r.is_empty());
    if status == TaskStatus::CannotDo && reason.is_none() {
        return Err(CoreError::invalid("cần ghi lý do khi nhiệm vụ không thực hiện được"));
    }
    let mut changes = Vec::with_capacity(ids.len() * 2);
    for &id in ids {
        crate::queries::live_task(store, id)?;
        changes.push(Change::new(Kind::Task, id, field::task::STATUS, status.as_str()));
        changes.push(Change::new(
            Kind::Task,
            id,
            field::task::STATUS_REASON,
            reason.clone().map(Value::from).unwrap_or(Value::Null),
        ));
    }
    store.commit(changes)?;
    ids.iter().map(|&id| crate::queries::task(store, id)).collect()
}

/// Corrects a task: its text, timeframe or lead units, in one commit. Bad input (an empty
/// text, an empty unit name, a deleted task) changes nothing.
pub fn edit_task(store: &mut Store, id: Uuid, e: &TaskEdit) -> Result<Task> {
    crate::queries::live_task(store, id)?;
    let ch = |f: &str, v: Value| Change::new(Kind::Task, id, f, v);
    let mut changes = Vec::new();
    if let Some(text) = &e.text {
        let text = clean(text);
        if text.is_empty() {
            return Err(CoreError::invalid("nội dung nhiệm vụ để trống"));
        }
        changes.push(ch(field::task::TEXT, text.into()));
    }
    if let Some(due_text) = &e.due_text {
        let due_text = clean(due_text);
        let (due, levels) = if due_text.is_empty() {
            (Due::default(), Vec::new())
        } else {
            (e.due.clone().unwrap_or_default(), e.due_by_level.clone())
        };
        changes.push(ch(field::task::TIME_TEXT, if due_text.is_empty() { Value::Null } else { due_text.into() }));
        changes.push(ch(field::task::DUE, serde_json::to_value(&due).map_err(|e| CoreError::invalid(e.to_string()))?));
        // The levels' dates go with the time they were read from, never left from an older one.
        changes.push(ch(
            field::task::DUE_BY_LEVEL,
            serde_json::to_value(&levels).map_err(|e| CoreError::invalid(e.to_string()))?,
        ));
    }
    if let Some(lead) = &e.lead {
        let mut units = Vec::new();
        let ids = unit_ids(store, &mut Vec::new(), lead, &mut units)?;
        changes.extend(units);
        changes.push(ch(field::task::LEAD, ids));
    }
    if !changes.is_empty() {
        store.commit(changes)?;
    }
    crate::queries::task(store, id)
}

/// Settles a conflict: the chosen value is written as a new edit that has seen every rival,
/// so the field's conflicts disappear on every device once it syncs.
pub fn resolve_conflict(store: &mut Store, entity: Uuid, field: &str, value: Value) -> Result<()> {
    let kind: String = store
        .conn
        .query_row("SELECT kind FROM entities WHERE id = ?1", [entity.to_string()], |r| r.get(0))
        .map_err(|_| CoreError::NotFound { what: "bản ghi", id: entity.to_string() })?;
    store.commit(vec![Change::new(Kind::parse(&kind)?, entity, field, value)])?;
    Ok(())
}

/// Gives a plan a monthly reporting rule — the day of the month the commune's report is due and
/// to whom it goes — for a plan typed by hand, or one whose imported rules were wrong. The
/// commune is the reporter (its name from the settings), so the schedule takes this day for it.
/// With `replace` the plan's other rules go; otherwise the rule is added, in place of one with
/// the same day. A day outside 1–31 or a deleted plan changes nothing.
pub fn set_plan_reporting(store: &mut Store, plan_id: Uuid, day: u32, to: Option<&str>, replace: bool) -> Result<Plan> {
    if !(1..=31).contains(&day) {
        return Err(CoreError::invalid(format!("ngày báo cáo {day} không hợp lệ (cần từ 1 đến 31)")));
    }
    let plan = crate::queries::plan(store, plan_id)?;
    let to = to.map(clean).filter(|t| !t.is_empty());
    let settings = crate::queries::settings(store)?;
    // Named so that the schedule knows the commune reports in this rule: "UBND xã Chư Răng".
    let level_word = match settings.level.as_deref() {
        Some("ward") => "phường",
        Some("township") => "thị trấn",
        _ => "xã",
    };
    let reporter = match settings.commune.map(|c| clean(&c)).filter(|c| !c.is_empty()) {
        Some(c) if fold(&c).starts_with("ubnd") || fold(&c).starts_with("uy ban") => c,
        Some(c) if fold(&c).starts_with(&fold(level_word)) => format!("UBND {c}"),
        Some(c) => format!("UBND {level_word} {c}"),
        None => format!("UBND {level_word}"),
    };
    let text = match &to {
        Some(t) => format!("{reporter} báo cáo {t} trước ngày {day} hằng tháng"),
        None => format!("{reporter} báo cáo trước ngày {day} hằng tháng"),
    };
    let rule = kehoach_model::ReportingRule { day_of_month: Some(day), who: Some(reporter), to, text };
    let mut rules = if replace { Vec::new() } else { plan.reporting.clone() };
    rules.retain(|r| r.day_of_month != Some(day));
    // The commune's own rule goes first: it is the one the officer set.
    rules.insert(0, rule);
    let value = serde_json::to_value(&rules).map_err(|e| CoreError::invalid(e.to_string()))?;
    store.commit(vec![Change::new(Kind::Plan, plan_id, field::plan::REPORTING, value)])?;
    crate::queries::plan(store, plan_id)
}
