//! Plans flow down (issue 17), the steps the CLI and the desktop shell share: the derive
//! proposal (from a plan of the level above received here, or held here as an imported
//! document), the commune's plan made from it, a new version's changes and carrying them, and
//! the district's coverage of a published plan across its communes. Each step is a few calls
//! onto the core (storage), the import crate (the rewording rules) and sync (publication).

use std::collections::HashMap;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use kehoach_core::{queries, upstream, Store};
use kehoach_import::derive::{self, Commune};
use kehoach_model::{
    Amendment, AmendmentItem, Carry, ChangeKind, CommuneDerivation, CommuneTaskState, Concern, Coverage, CoverageRow,
    DeriveProposal, ParentLink, Plan, PlanChanges, Publication, Redate, Task, TaskFilter,
};
use kehoach_sync::{district, publish};
use uuid::Uuid;

/// A commune that has derived nothing this many days after the first publication is flagged.
pub const FLAG_AFTER_DAYS: i64 = 30;

fn commune_of(store: &Store) -> Result<Commune> {
    let s = queries::settings(store)?;
    Ok(Commune::from_settings(s.commune.as_deref(), s.level.as_deref()))
}

/// The proposal for a commune plan from `parent_id`: a plan of the level above received here
/// (its newest version), or a plan held here (the level above's document, imported).
pub fn proposal(store: &Store, parent_id: Uuid) -> Result<DeriveProposal> {
    let settings = queries::settings(store)?;
    if let Some(p) = upstream::latest(store, parent_id)? {
        return Ok(derive::from_publication(&p, &settings));
    }
    let detail = queries::plan_detail(store, parent_id)?;
    Ok(derive::from_plan(&detail, &settings))
}

/// Makes the commune's plan from a proposal (as the officer edited it): its ticked tasks, each
/// linked to the parent task it implements, the plan linked to its parent.
pub fn create_derived(store: &mut Store, p: &DeriveProposal) -> Result<Plan> {
    if !p.tasks.iter().any(|t| t.selected) {
        bail!("chưa chọn nhiệm vụ nào để đưa vào kế hoạch của xã");
    }
    if p.title.trim().is_empty() {
        bail!("chưa nhập tên kế hoạch của xã");
    }
    Ok(kehoach_core::import_plan(store, &p.to_plan())?)
}

/// Finds which of `tasks` implements the parent task `id` (numbered `reference`): by id, else by
/// number (a plan derived from the imported document, before the publication).
fn implementing<'a>(tasks: &'a [Task], id: Uuid, reference: Option<&str>) -> Option<&'a Task> {
    tasks.iter().find(|t| t.parent_task == Some(id)).or_else(|| {
        let r = reference?.trim();
        tasks.iter().find(|t| t.parent_task.is_none() && t.parent_ref.as_deref().map(str::trim) == Some(r))
    })
}

/// The newest version held of the level above's plan that `link` names.
fn newest_for(store: &Store, link: &ParentLink) -> Result<Option<Publication>> {
    if let Some(id) = link.plan_id {
        return Ok(upstream::latest(store, id)?);
    }
    Ok(upstream::list(store)?.into_iter().map(|u| u.publication).find(|p| link.same_plan(&p.link())))
}

/// What a newer version of the level above's plan changes for the commune's derived plan
/// `plan_id`; `None` when it is up to date (or its parent never came as a publication).
pub fn amendment(store: &Store, plan_id: Uuid) -> Result<Option<Amendment>> {
    let plan = queries::plan(store, plan_id)?;
    let Some(link) = plan.parent else { bail!("kế hoạch này không lập từ kế hoạch cấp trên nào") };
    let Some(newest) = newest_for(store, &link)? else { return Ok(None) };
    let Some(base_version) = link.version else {
        // Derived from the imported document: no version to compare with. Its tasks are linked by
        // number; the officer re-derives to take a published version's changes.
        return Ok(None);
    };
    if newest.version <= base_version {
        return Ok(None);
    }
    let Some(base) = upstream::signed(store, newest.plan_id, base_version)? else {
        bail!("máy này không còn giữ phiên bản {base_version} của kế hoạch cấp trên để so sánh");
    };
    let base = upstream::parse(&base)?;
    let changes = PlanChanges::between(&base, &newest);
    let tasks = queries::list_tasks(store, &TaskFilter { plan_id: Some(plan_id), ..Default::default() })?;
    let commune = commune_of(store)?;
    let mut items = Vec::new();
    let item = |kind, t: &kehoach_model::PublishedTask| AmendmentItem {
        kind,
        parent_task: t.id,
        parent_ref: t.task.reference.clone(),
        text: t.task.text.clone(),
        before: None,
        after: None,
        commune_task: implementing(&tasks, t.id, t.task.reference.as_deref()).map(|c| c.id),
        proposed: None,
        selected: false,
    };
    for t in &changes.added {
        let proposed = derive::propose_task(Some(t.id), &t.task, &commune);
        items.push(AmendmentItem {
            selected: proposed.as_ref().is_some_and(|p| p.concern != Concern::Possibly),
            proposed: proposed.map(|p| p.task),
            after: t.task.time_text.clone(),
            ..item(ChangeKind::Added, t)
        });
    }
    for (before, after) in &changes.redated {
        let mine = derive::propose_task(Some(after.id), &after.task, &commune)
            .map(|p| p.task)
            .unwrap_or_else(|| after.task.clone());
        let it = item(ChangeKind::Redated, after);
        items.push(AmendmentItem {
            selected: it.commune_task.is_some(),
            before: before.task.time_text.clone(),
            after: after.task.time_text.clone(),
            proposed: Some(mine),
            ..it
        });
    }
    for t in &changes.removed {
        items.push(AmendmentItem { before: t.task.time_text.clone(), ..item(ChangeKind::Removed, t) });
    }
    for (before, after) in &changes.changed {
        items.push(AmendmentItem { before: Some(before.task.text.clone()), ..item(ChangeKind::Changed, after) });
    }
    Ok(Some(Amendment {
        plan_id,
        parent_plan: newest.plan_id,
        from_version: base_version,
        to_version: newest.version,
        items,
    }))
}

/// Carries the ticked items of `a` into the commune's plan (one commit) and moves its link to
/// the new version. An item ticked that cannot be carried (a re-dated or removed task the
/// commune does not hold, an added one that has no commune version) is refused by name.
pub fn carry(store: &mut Store, a: &Amendment) -> Result<Plan> {
    let mut c = Carry { to_version: a.to_version, ..Default::default() };
    for (i, it) in a.items.iter().enumerate().filter(|(_, it)| it.selected) {
        let name = || format!("mục {} ({})", i + 1, it.parent_ref.as_deref().unwrap_or(&it.text));
        match it.kind {
            ChangeKind::Added => match &it.proposed {
                Some(t) => c.add.push(t.clone()),
                None => bail!("{}: nhiệm vụ này không có bản của xã để thêm", name()),
            },
            ChangeKind::Redated => match (it.commune_task, &it.proposed) {
                (Some(task_id), Some(t)) => c.redate.push(Redate {
                    task_id,
                    time_text: t.time_text.clone(),
                    due: t.due.clone(),
                    due_by_level: t.due_by_level.clone(),
                }),
                _ => bail!("{}: kế hoạch của xã không có nhiệm vụ này để đổi thời hạn", name()),
            },
            ChangeKind::Removed => match it.commune_task {
                Some(task_id) => c.remove.push(task_id),
                None => bail!("{}: kế hoạch của xã không có nhiệm vụ này để bỏ", name()),
            },
            ChangeKind::Changed => bail!("{}: nội dung sửa đổi được sửa tay trong nhiệm vụ của xã", name()),
        }
    }
    Ok(upstream::carry(store, a.plan_id, &c)?)
}

/// The district's view of its published plan `plan_id` (from the communes' copies this PC
/// keeps): per task concerning communes, which communes have taken it on and their status;
/// per commune, its derived plan, or a flag when it has none a month after publication.
pub fn coverage(store: &Store, plan_id: Uuid, today: NaiveDate) -> Result<Coverage> {
    let Some(last) = publish::last_published(store, plan_id)? else {
        bail!("kế hoạch này chưa được gửi xuống các xã từ máy này (kehoach plan publish)");
    };
    let plan = queries::plan(store, plan_id)?;
    let link = ParentLink {
        plan_id: Some(plan_id),
        number: last.content.number.clone(),
        date: last.content.date.clone(),
        ..Default::default()
    };
    let held: HashMap<Uuid, String> = district::copies(store)?.into_iter().map(|c| (c.commune, c.name)).collect();
    let first = chrono::DateTime::parse_from_rfc3339(&last.first_published_at)
        .map(|d| d.with_timezone(&chrono::Local).date_naive())
        .unwrap_or(today);
    let late = (today - first).num_days() >= FLAG_AFTER_DAYS;
    struct Seen {
        commune: Commune,
        name: String,
        tasks: Vec<Task>,
    }
    let mut seen = Vec::new();
    let mut communes = Vec::new();
    for &c in &last.communes {
        let (name, rung, plan_found, version, tasks) = match held.get(&c) {
            Some(_) => {
                let copy = district::open_copy(store, c)?;
                let s = queries::settings(&copy)?;
                let derived = upstream::derived_from(&copy, &link)?;
                let mut tasks = Vec::new();
                for p in &derived {
                    tasks.extend(queries::list_tasks(
                        &copy,
                        &TaskFilter { plan_id: Some(*p), as_of: Some(today.to_string()), ..Default::default() },
                    )?);
                }
                let version = match derived.first() {
                    Some(p) => queries::plan(&copy, *p)?.parent.and_then(|l| l.version),
                    None => None,
                };
                let name = s.commune.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| c.to_string());
                (
                    name,
                    Commune::from_settings(s.commune.as_deref(), s.level.as_deref()),
                    derived.first().copied(),
                    version,
                    tasks,
                )
            }
            None => (c.to_string(), Commune::from_settings(None, None), None, None, Vec::new()),
        };
        communes.push(CommuneDerivation {
            commune: c,
            name: name.clone(),
            plan: plan_found,
            version,
            flagged: plan_found.is_none() && late,
        });
        seen.push((c, Seen { commune: rung, name, tasks }));
    }
    let mut rows = Vec::new();
    for t in &last.content.tasks {
        let mut states = Vec::new();
        let mut expected = 0;
        let mut covered = 0;
        for (id, s) in &seen {
            let concerns =
                derive::propose_task(None, &t.task, &s.commune).is_some_and(|p| p.concern != Concern::Possibly);
            if concerns {
                expected += 1;
            }
            if let Some(task) = implementing(&s.tasks, t.id, t.task.reference.as_deref()) {
                if concerns {
                    covered += 1;
                }
                states.push(CommuneTaskState {
                    commune: *id,
                    name: s.name.clone(),
                    status: task.status,
                    overdue: task.overdue,
                });
            }
        }
        if expected > 0 || !states.is_empty() {
            rows.push(CoverageRow {
                task_id: t.id,
                reference: t.task.reference.clone(),
                text: t.task.text.clone(),
                communes: states,
                covered,
                expected,
            });
        }
    }
    Ok(Coverage {
        plan_id,
        title: plan.title,
        version: last.version,
        published_at: Some(last.published_at),
        rows,
        communes,
    })
}

/// The communes a district PC publishes to when none is named: those it keeps copies of.
pub fn known_communes(store: &Store) -> Result<Vec<Uuid>> {
    Ok(district::copies(store)?.into_iter().map(|c| c.commune).collect())
}
