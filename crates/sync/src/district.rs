//! The level above's PC (a district, or a province since districts were abolished): a
//! read-only copy of each of its communes' data, fed by the hub or by the bundles a commune
//! sends on a USB stick, and the roll-up computed from those copies.
//!
//! Each commune's copy is its own SQLite file, `<data dir>/cac-xa/<commune id>.sqlite3`,
//! holding exactly the commune's ops, applied by the same write path as on the commune's PCs.
//! Nothing of the district's own data file is mixed into it, and nothing of a copy reaches the
//! district's data: the district's PC never becomes a member of the commune. The copy acts as
//! the district's device (same id, same keys), so the one thing the district writes — its
//! decision on an issued report, the `review` field — is an op of the district's device, and
//! travels back through the hub or in a bundle holding only the district's own ops.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kehoach_core::{queries, reports, Applied, Kind, Op, Store};
pub use kehoach_model::{CommuneCopy, GridRow, YearGrid};
use kehoach_model::{
    CommuneReportState, IndicatorFigure, IndicatorKind, ReportDraft, ReportPeriod, ReviewDecision, RollupStatus,
    RollupTotals,
};
use uuid::Uuid;

use crate::bundle::{export_bundle, import_bundle, ExportOptions, ExportSummary, ImportOptions};
use crate::error::{Result, SyncError};
use crate::hub_auth::wire::{CommuneRollup, Rollup, TargetSum};
use crate::identity::Device;
use crate::{container, settings, HubClient};
/// The contract's types (kehoach-model), which the app shows as they are.
pub use kehoach_model::contract::CommuneImport;

/// The directory of the communes' copies under the district PC's data directory.
pub const DIR: &str = "cac-xa";

/// The unit name (e.g. "UBND huyện Ia Pa") the district writes its decisions under: a local
/// setting of the district PC, set with `kehoach rollup unit NAME` or from the hub's enrolment.
pub const UNIT: &str = "district.unit";

/// The hub cursor of a copy: the last seq pulled for that commune.
const PULLED: &str = "district.pulled";
/// The last seq of the copy's log whose own ops were pushed to the hub.
const PUSHED: &str = "district.pushed";
/// Set once the copy has pinned the commune's devices as the hub first listed them.
const ANCHORED: &str = "district.anchored";

fn dir(store: &Store) -> Result<PathBuf> {
    store.data_dir().map(|d| d.join(DIR)).ok_or_else(|| {
        SyncError::Core(kehoach_core::CoreError::invalid("dữ liệu trong bộ nhớ không giữ được bản sao của các xã"))
    })
}

fn copy_path(store: &Store, commune: Uuid) -> Result<PathBuf> {
    Ok(dir(store)?.join(format!("{commune}.sqlite3")))
}

/// Opens (making it on first use) the district's copy of `commune`'s data, acting as the
/// district's device.
pub fn open_copy(store: &Store, commune: Uuid) -> Result<Store> {
    let device = Device::load_or_create(store)?;
    let path = copy_path(store, commune)?;
    std::fs::create_dir_all(path.parent().expect("a copy lives in a directory"))?;
    let copy = Store::open_as(&path, Some(store.device_id()))?;
    for key in [settings::SIGNING_KEY, settings::AGE_IDENTITY] {
        if copy.local_setting(key)?.is_none() {
            if let Some(v) = store.local_setting(key)? {
                copy.set_local_setting(key, &v)?;
            }
        }
    }
    match crate::identity::commune(&copy)? {
        Some(c) if c != commune => return Err(SyncError::OtherCommune { found: commune, ours: c }),
        Some(_) => {}
        None => copy.set_local_setting(settings::COMMUNE, &commune.to_string())?,
    }
    copy.set_local_setting(settings::PARENT_COPY, "1")?;
    debug_assert_eq!(Device::load(&copy)?.map(|d| d.public_key_hex()), Some(device.public_key_hex()));
    Ok(copy)
}

/// The communes this PC holds copies of, by name.
pub fn copies(store: &Store) -> Result<Vec<CommuneCopy>> {
    let Ok(dir) = dir(store) else { return Ok(Vec::new()) };
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".sqlite3").and_then(|s| Uuid::parse_str(s).ok()) else { continue };
        let copy = open_copy(store, id)?;
        out.push(CommuneCopy { commune: id, name: commune_name(&copy)?, ops: copy.op_count()? });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.commune.cmp(&b.commune)));
    Ok(out)
}

fn commune_name(copy: &Store) -> Result<String> {
    Ok(queries::settings(copy)?.commune.filter(|n| !n.trim().is_empty()).unwrap_or_default())
}

/// Imports a bundle a commune sent (on a USB stick) into the district's copy of that commune.
/// The first bundle of a commune is taken on the officer's choice of the file; later ones must
/// come from a device of the commune already known (or introduced by one), unless
/// `accept_new_device`. Everything is checked as for a commune's own PC; a refused bundle
/// leaves no copy behind.
pub fn import_commune_bundle(store: &Store, bytes: &[u8], accept_new_device: bool) -> Result<CommuneImport> {
    let device = Device::load_or_create(store)?;
    let manifest = container::manifest_of(bytes, Some(&device))?;
    if manifest.kind != crate::manifest::ContainerKind::Bundle {
        return Err(SyncError::WrongKind { expected: "tệp đồng bộ của một xã" });
    }
    if manifest.parent_unit.is_some() {
        return Err(SyncError::WrongKind {
            expected: "tệp của xã (đây là tệp quyết định của cấp trên, để nhập trên máy của xã)",
        });
    }
    let commune = manifest.commune;
    let path = copy_path(store, commune)?;
    let new_commune = !path.exists();
    let mut copy = open_copy(store, commune)?;
    let result =
        import_bundle(&mut copy, bytes, &ImportOptions { accept_new_device: accept_new_device || new_commune });
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            drop(copy);
            if new_commune {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            return Err(e);
        }
    };
    Ok(CommuneImport {
        commune,
        name: commune_name(&copy)?,
        new_commune,
        applied: report.applied,
        attachments: report.attachments,
    })
}

/// Brings the copies of `communes` up to date from the hub (the district's device must be
/// enrolled there as their parent unit), with the documents (signed PDFs, scans) of their
/// reports, and pushes the district's decisions not yet on the hub.
pub fn sync_from_hub(store: &Store, client: &HubClient, communes: &[Uuid]) -> Result<Applied> {
    let mut total = Applied::default();
    for &commune in communes {
        let mut copy = open_copy(store, commune)?;
        total.add(pull_checked(&mut copy, client, commune)?);
        client.fetch_commune_files(&copy, commune)?;
        push_decisions(&copy, client, commune)?;
    }
    Ok(total)
}

/// Brings `copy` up to date from the hub, checking every op's author as a commune's own PC does
/// (issue 14, point 4), so a hub — or anyone on an http:// path — that alters an op, invents a
/// device or replays a revoked one's later work gets those ops set aside in the copy, not
/// counted in the roll-up.
///
/// The anchor is the hub's word at the first pull: the devices it lists as enrolled for the
/// commune are pinned in the copy (as a commune's PC trusts the device that invited it), and
/// the history it hands over then is taken as it is, unsigned ops from before signatures
/// included. From then on only those devices and the ones they admit by signed statements are
/// believed, whatever the hub lists later. A hub of an older version lists no devices: the
/// copy then takes its word, as before, until one does.
fn pull_checked(copy: &mut Store, client: &HubClient, commune: Uuid) -> Result<Applied> {
    let first = copy.local_setting(ANCHORED)?.is_none();
    let mut cursor = settings::get_i64(copy, PULLED)?;
    let mut keys: Option<crate::authorship::Keys> = None;
    let mut total = Applied::default();
    loop {
        let page = client.pull_commune_page(copy, commune, cursor)?;
        if keys.is_none() {
            if first && !page.devices.is_empty() {
                let pinned: Vec<_> = page
                    .devices
                    .iter()
                    .map(|d| crate::trust::TrustedDevice {
                        id: d.id,
                        public_key: d.public_key.clone(),
                        age_recipient: String::new(),
                        via: "hub".into(),
                        added_at: crate::trust::now(),
                    })
                    .collect();
                crate::trust::add_trusted(copy, &pinned)?;
                copy.set_local_setting(ANCHORED, "1")?;
            }
            if copy.local_setting(ANCHORED)?.is_some() {
                let mut k = crate::authorship::Keys::of(copy)?;
                k.legacy_unsigned = first;
                keys = Some(k);
            }
        }
        total.add(match keys.as_mut() {
            Some(keys) => crate::authorship::apply_checked(copy, &page.ops, keys)?,
            None => copy.apply_ops(&page.ops)?,
        });
        cursor = page.cursor;
        copy.set_local_setting(PULLED, &cursor.to_string())?;
        if !page.more {
            return Ok(total);
        }
    }
}

/// The communes of this PC's unit as the hub lists them, with their copies brought up to date
/// there (and the unit's name kept, when this PC had none): what the CLI and the app run
/// before a roll-up with a hub.
pub fn refresh_from_hub(store: &Store, client: &HubClient, period: &str) -> Result<Vec<Uuid>> {
    let listed = client.rollup(store, period)?;
    if store.local_setting(UNIT)?.is_none() && !listed.unit.is_empty() {
        store.set_local_setting(UNIT, &listed.unit)?;
    }
    let communes: Vec<Uuid> = listed.communes.iter().map(|c| c.commune).collect();
    sync_from_hub(store, client, &communes)?;
    Ok(communes)
}

/// The name this PC's unit signs decisions and titles roll-ups with: the one set (by the hub's
/// enrolment or `kehoach rollup unit`), else the PC's own name from its settings.
pub fn unit_name(store: &Store) -> Result<String> {
    Ok(match store.local_setting(UNIT)?.filter(|u| !u.trim().is_empty()) {
        Some(u) => u,
        None => queries::settings(store)?.commune.unwrap_or_default(),
    })
}

/// The district's own ops in `copy` after `after` (its decisions), with the last seq looked at.
fn own_ops(copy: &Store, after: i64) -> Result<(Vec<Op>, i64)> {
    let ops = copy.ops_since(after)?;
    let last = ops.last().map(|(s, _)| *s).unwrap_or(after);
    Ok((ops.into_iter().map(|(_, o)| o).filter(|o| o.device == copy.device_id()).collect(), last))
}

fn push_decisions(copy: &Store, client: &HubClient, commune: Uuid) -> Result<()> {
    // Signed by the district's device like everything that leaves a PC: the commune's PCs
    // take no unsigned op from the hub.
    crate::authorship::sign_own(copy, &Device::load_or_create(copy)?)?;
    let after = settings::get_i64(copy, PUSHED)?;
    let (ops, last) = own_ops(copy, after)?;
    if !ops.is_empty() {
        client.push_for_commune(copy, commune, &ops)?;
    }
    copy.set_local_setting(PUSHED, &last.to_string())?;
    Ok(())
}

/// The district's decision on commune `commune`'s report for `period`: accepted, returned
/// (with a reason) or reopened, written into the district's copy under the district's device.
/// With a hub, it is pushed at once; without, [`decision_bundle`] carries it.
pub fn decide(
    store: &Store,
    commune: Uuid,
    period: &ReportPeriod,
    decision: ReviewDecision,
    reason: &str,
    now: DateTime<FixedOffset>,
) -> Result<ReportDraft> {
    let mut copy = open_copy(store, commune)?;
    let state = reports::period_report_state(&copy, period)?;
    let Some(id) = state.report_id else {
        return Err(SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "Xã chưa gửi báo cáo {} (máy này chưa nhận được báo cáo nào của kỳ này)",
            period.label_vi()
        ))));
    };
    Ok(reports::review_report(&mut copy, id, decision, reason, &unit_name(store)?, now)?)
}

/// A bundle holding only the district's own decisions on `commune`'s reports, signed by the
/// district's device and marked as coming from the level above, for the commune to import
/// with `sync import`.
pub fn decision_bundle(store: &Store, commune: Uuid) -> Result<(Vec<u8>, ExportSummary)> {
    let copy = open_copy(store, commune)?;
    export_bundle(&copy, &ExportOptions { only_own: true, parent_unit: Some(unit_name(store)?), ..Default::default() })
}

/// One commune's line of the roll-up, and its indicators' latest figures up to the period's end.
pub struct Summary {
    pub row: CommuneRollup,
    pub indicators: Vec<IndicatorFigure>,
}

/// A commune's figures for `period`, read from a copy of its data (the hub's replica or the
/// district PC's copy — the same function, so the two cannot disagree).
pub fn summarise(copy: &Store, commune: Uuid, ops: u64, period: &ReportPeriod) -> Result<Summary> {
    let (_, end) = reports::period_bounds(period);
    let day = end.format("%Y-%m-%d").to_string();
    let o = queries::overview(copy, Some(&day))?;
    let name = Some(commune_name(copy)?).filter(|n| !n.is_empty()).unwrap_or_else(|| commune.to_string());
    let state = reports::period_report_state(copy, period)?;
    let status = match state.status {
        RollupStatus::None => None,
        RollupStatus::Draft => Some("draft"),
        RollupStatus::OnTime | RollupStatus::Late => Some("issued"),
        RollupStatus::Accepted => Some("accepted"),
        RollupStatus::Returned => Some("returned"),
    };
    let indicators = kehoach_core::tracking::targets::indicator_figures(copy, end)?;
    Ok(Summary {
        row: CommuneRollup {
            commune,
            name,
            tasks: o.tasks,
            done: o.done,
            overdue: o.overdue,
            report: state.status.received(),
            report_status: status.map(str::to_string),
            ops,
            state,
            error: None,
            programs: kehoach_core::pc_users::pc_programs(copy)?,
        },
        indicators,
    })
}

/// The line of a commune whose data could not be read: named, counted as expected and not
/// received, with the reason — so one bad commune never hides the others.
pub fn unreadable(commune: Uuid, name: Option<String>, ops: u64, why: &str) -> Summary {
    Summary {
        row: CommuneRollup {
            commune,
            name: name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| commune.to_string()),
            tasks: 0,
            done: 0,
            overdue: 0,
            report: false,
            report_status: None,
            ops,
            state: CommuneReportState::none(),
            error: Some(format!("Không đọc được dữ liệu của xã: {why}")),
            programs: Vec::new(),
        },
        indicators: Vec::new(),
    }
}

/// The roll-up of `summaries` for `period`, titled `unit`: the rows, completeness and
/// timeliness, and the indicators summed by kind (never adding percentages).
pub fn assemble(unit: &str, period: &ReportPeriod, summaries: Vec<Summary>) -> Rollup {
    let (_, end) = reports::period_bounds(period);
    let mut rows = Vec::new();
    let mut figures = Vec::new();
    for s in summaries {
        figures.push(s.indicators);
        rows.push(s.row);
    }
    let indicators = kehoach_model::aggregate_indicators(&figures);
    // The older field: what has a sum that means something (a percentage only with its base).
    let targets = indicators
        .iter()
        .filter(|i| i.kind != IndicatorKind::YesNo)
        .filter_map(|i| {
            Some(TargetSum {
                text: i.text.clone(),
                unit: i.unit.clone().unwrap_or_default(),
                target: i.target.unwrap_or(0.0),
                actual: i.value?,
                communes: i.communes,
            })
        })
        .collect();
    let totals = RollupTotals::of(rows.iter().map(|r| &r.state));
    Rollup {
        unit: unit.to_string(),
        period: period.code(),
        as_of: end.format("%Y-%m-%d").to_string(),
        reported: totals.received,
        communes: rows,
        targets,
        indicators,
        totals,
    }
}

/// The roll-up of `period` from this PC's copies: of `expected` communes when given (the
/// hub's list of the unit's communes), else of every commune it holds a copy of.
pub fn rollup(store: &Store, period: &ReportPeriod, expected: Option<&[Uuid]>) -> Result<Rollup> {
    let mut summaries = Vec::new();
    for id in expected_communes(store, expected)? {
        let copy = open_copy(store, id)?;
        let ops = copy.op_count()?.max(0) as u64;
        summaries.push(match summarise(&copy, id, ops, period) {
            Ok(s) => s,
            Err(e) => unreadable(id, commune_name(&copy).ok(), ops, &e.to_string()),
        });
    }
    summaries.sort_by(|a, b| a.row.name.cmp(&b.row.name));
    Ok(assemble(&unit_name(store)?, period, summaries))
}

/// The communes a roll-up covers: those the hub lists for the unit when given, else every
/// commune this PC holds a copy of.
fn expected_communes(store: &Store, expected: Option<&[Uuid]>) -> Result<Vec<Uuid>> {
    Ok(match expected {
        Some(e) => e.to_vec(),
        None => copies(store)?.into_iter().map(|c| c.commune).collect(),
    })
}

/// The year's grid from this PC's copies (of `expected`, or of every commune held).
pub fn year_grid(store: &Store, year: i32, expected: Option<&[Uuid]>) -> Result<YearGrid> {
    let mut rows = Vec::new();
    for id in expected_communes(store, expected)? {
        let copy = open_copy(store, id)?;
        let months = reports::months_of(year)
            .iter()
            .map(|p| reports::period_report_state(&copy, p))
            .collect::<kehoach_core::Result<Vec<_>>>()?;
        let name = Some(commune_name(&copy)?).filter(|n| !n.is_empty()).unwrap_or_else(|| id.to_string());
        rows.push(GridRow { commune: id, name, months });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(YearGrid { year, communes: rows })
}

/// Finds a commune held by this PC by its name (ignoring case and diacritics) or id.
pub fn find_commune(store: &Store, name_or_id: &str) -> Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(name_or_id.trim()) {
        return Ok(id);
    }
    let want = kehoach_core::fold::fold(name_or_id.trim());
    let held = copies(store)?;
    let found: Vec<&CommuneCopy> = held
        .iter()
        .filter(|c| {
            let n = kehoach_core::fold::fold(&c.name);
            n == want || n.ends_with(&format!(" {want}"))
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.commune),
        [] => Err(SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "Máy này chưa có dữ liệu của xã {name_or_id:?} (nhập tệp của xã bằng kehoach rollup import, hoặc đồng bộ với máy chủ)"
        )))),
        _ => Err(SyncError::Core(kehoach_core::CoreError::invalid(format!(
            "Có nhiều xã tên {name_or_id:?}: dùng mã xã"
        )))),
    }
}

/// Whether an op may come from the level above: only its decision on a report.
pub fn is_parent_op(op: &Op) -> bool {
    op.kind == Kind::Report && op.field == reports::REVIEW_FIELD
}

/// The local date of the period's end, for callers that show "as of".
pub fn period_end(period: &ReportPeriod) -> NaiveDate {
    reports::period_bounds(period).1
}
