//! The level above's PC and a commune's (issue 12): the district keeps a read-only copy of the
//! commune fed by its bundles, and its decisions come back in bundles that may carry nothing
//! else — whichever PC of the commune receives them, and however they are forged.

mod common;

use common::*;
use kehoach_core::record as field;
use kehoach_core::{reports, Change, Kind, Store};
use kehoach_model::{ReportStatus, ReviewDecision};
use kehoach_sync::{district, export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use serde_json::json;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A commune PC on disk with a plan and an issued report for 2024-05.
fn commune_pc(dir: &std::path::Path) -> (Store, uuid::Uuid) {
    let mut store = Store::open(&dir.join("xa.sqlite3")).unwrap();
    let settings = kehoach_model::Settings {
        commune: Some("UBND xã Chư Răng".into()),
        parent: Some("UBND huyện Ia Pa".into()),
        place: Some("Chư Răng".into()),
        signer: Some("Ksor Y Phương".into()),
        signer_title: Some("Chủ tịch".into()),
        level: None,
    };
    kehoach_core::save_settings(&mut store, &settings).unwrap();
    kehoach_sync::found_commune(&store).unwrap();
    let plan = kehoach_core::create_plan(
        &mut store,
        &kehoach_model::NewPlan { title: "Kế hoạch Đề án 06 năm 2024".into(), ..Default::default() },
    )
    .unwrap();
    let d = reports::draft_report(&mut store, plan.id, &reports::parse_period("2024-05").unwrap(), Some("2024-06-05"))
        .unwrap();
    let hand = reports::HandIssue { number: Some("15/BC-UBND".into()), ..Default::default() };
    reports::issue_by_hand(&mut store, d.id, &hand, now()).unwrap();
    (store, d.id)
}

fn district_pc(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("huyen.sqlite3")).unwrap();
    store.set_local_setting(district::UNIT, "UBND huyện Ia Pa").unwrap();
    store
}

fn may() -> kehoach_model::ReportPeriod {
    reports::parse_period("2024-05").unwrap()
}

#[test]
fn decisions_come_back_and_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let (xa_dir, huyen_dir) = (dir.path().join("xa"), dir.path().join("huyen"));
    let (mut a, report) = commune_pc(&xa_dir);
    let mut b = Store::open(&xa_dir.join("may-2.sqlite3")).unwrap();
    pair(&mut a, &mut b);
    let huyen = district_pc(&huyen_dir);
    let huyen_before = huyen.dump_json().unwrap();

    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    let imported = district::import_commune_bundle(&huyen, &bundle, false).unwrap();
    assert!(imported.new_commune && imported.name == "UBND xã Chư Răng", "{imported:?}");
    // The commune's data stay in its copy, not in the district's own file.
    assert_eq!(huyen.dump_json().unwrap(), huyen_before);
    assert_eq!(district::copies(&huyen).unwrap().len(), 1);

    let r =
        district::decide(&huyen, imported.commune, &may(), ReviewDecision::Returned, "Thiếu số liệu", now()).unwrap();
    assert_eq!(r.status, ReportStatus::Returned);
    let (decision, summary) = district::decision_bundle(&huyen, imported.commune).unwrap();
    assert_eq!(summary.ops, 1, "only the district's own decision travels");

    // The commune's first PC takes the decision; the level above's device is trusted for it only.
    let before = a.op_count().unwrap();
    let r = import_bundle(&mut a, &decision, &ImportOptions::default()).unwrap();
    // The decision, and a's signed admission of the level above's device (so the commune's other
    // PCs can check the decision's signature when it reaches them through a).
    assert_eq!((r.applied.applied, a.op_count().unwrap()), (1, before + 2));
    let mine = reports::report(&a, report).unwrap();
    assert_eq!((mine.status, mine.review.unwrap().by.as_str()), (ReportStatus::Returned, "UBND huyện Ia Pa"));
    let trusted = kehoach_sync::trusted_devices(&a).unwrap();
    assert!(trusted.iter().any(|t| t.id == huyen.device_id() && t.via == "parent:UBND huyện Ia Pa"), "{trusted:?}");

    // The second PC learns of it from the first one's bundle, still as the level above.
    let (from_a, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    import_bundle(&mut b, &from_a, &ImportOptions::default()).unwrap();
    assert_eq!(reports::report(&b, report).unwrap().status, ReportStatus::Returned);
    // b knows it by a's signed admission of it, not because a lists it.
    let on_b = kehoach_sync::known_device(&b, huyen.device_id()).unwrap().unwrap();
    assert_eq!(on_b.via, "parent:UBND huyện Ia Pa");

    // The district (or whoever holds its key) slips a change of the commune's plan into its copy
    // and sends it as a decision: refused whole on both PCs, nothing applied.
    let mut copy = district::open_copy(&huyen, imported.commune).unwrap();
    let plan = reports::report(&copy, report).unwrap().plan_id;
    copy.commit(vec![Change::new(Kind::Plan, plan, field::plan::TITLE, json!("Kế hoạch đã bị sửa"))]).unwrap();
    drop(copy);
    let (forged, _) = district::decision_bundle(&huyen, imported.commune).unwrap();
    for pc in [&mut a, &mut b] {
        let before = pc.dump_json().unwrap();
        let e = import_bundle(pc, &forged, &ImportOptions::default()).unwrap_err();
        assert!(matches!(&e, SyncError::Tampered(m) if m.contains("chỉ được mang quyết định")), "{e}");
        assert_eq!(pc.dump_json().unwrap(), before);
    }

    // An ordinary bundle from that device (no mark of the level above) is held to the same rule.
    let copy = district::open_copy(&huyen, imported.commune).unwrap();
    let (plain, _) = export_bundle(&copy, &ExportOptions { only_own: true, ..Default::default() }).unwrap();
    drop(copy);
    let e = import_bundle(&mut a, &plain, &ImportOptions::default()).unwrap_err();
    assert!(matches!(&e, SyncError::Tampered(_)), "{e}");
}

#[test]
fn a_second_device_claiming_to_be_the_level_above_must_be_accepted_and_still_carries_only_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = commune_pc(&dir.path().join("xa"));
    let (huyen, other) = (district_pc(&dir.path().join("huyen")), district_pc(&dir.path().join("gia-mao")));
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    for d in [&huyen, &other] {
        let c = district::import_commune_bundle(d, &bundle, false).unwrap();
        district::decide(d, c.commune, &may(), ReviewDecision::Accepted, "", now()).unwrap();
    }
    let commune = kehoach_sync::commune(&a).unwrap().unwrap();
    let (first, _) = district::decision_bundle(&huyen, commune).unwrap();
    import_bundle(&mut a, &first, &ImportOptions::default()).unwrap();

    // Another device also claiming to be the level above is not taken on its word.
    let (second, _) = district::decision_bundle(&other, commune).unwrap();
    let before = a.dump_json().unwrap();
    let e = import_bundle(&mut a, &second, &ImportOptions::default()).unwrap_err();
    assert!(matches!(e, SyncError::UntrustedDevice { .. }), "{e}");
    assert_eq!(a.dump_json().unwrap(), before);
}

#[test]
fn a_district_copy_refuses_what_a_commune_pc_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = commune_pc(&dir.path().join("xa"));
    let huyen = district_pc(&dir.path().join("huyen"));
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();

    // Tampered: the copy is never made.
    let mut files = unzip(&bundle);
    let ops = files.get_mut("ops.jsonl").unwrap();
    let at = ops.iter().position(|&b| b == b'5').unwrap();
    ops[at] = b'6';
    let e = district::import_commune_bundle(&huyen, &zip_files(&files), false).unwrap_err();
    assert!(matches!(e, SyncError::Tampered(_)), "{e}");
    assert!(district::copies(&huyen).unwrap().is_empty());

    // A decision bundle is not a commune's bundle.
    district::import_commune_bundle(&huyen, &bundle, false).unwrap();
    let commune = kehoach_sync::commune(&a).unwrap().unwrap();
    district::decide(&huyen, commune, &may(), ReviewDecision::Accepted, "", now()).unwrap();
    let (decision, _) = district::decision_bundle(&huyen, commune).unwrap();
    let e = district::import_commune_bundle(&district_pc(&dir.path().join("tinh")), &decision, false).unwrap_err();
    assert!(matches!(e, SyncError::WrongKind { .. }), "{e}");

    // A later bundle of the same commune from a PC it never introduced needs the officer's word.
    let mut stranger = Store::open(&dir.path().join("la.sqlite3")).unwrap();
    stranger.set_local_setting("sync.commune", &commune.to_string()).unwrap();
    some_data(&mut stranger, "lạ");
    let (strange, _) = export_bundle(&stranger, &ExportOptions::default()).unwrap();
    let e = district::import_commune_bundle(&huyen, &strange, false).unwrap_err();
    assert!(matches!(e, SyncError::UntrustedDevice { .. }), "{e}");
}

/// Issue 16, item 5: each PC says which kehoach it runs when it syncs, and the district's
/// roll-up names the communes' PCs that run an older one than the district's — until they
/// update and sync again. Only the PC itself writes its version.
#[test]
fn the_rollup_names_the_pcs_that_run_an_old_version_until_they_update() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = commune_pc(&dir.path().join("xa"));
    kehoach_core::pc_users::set_pc_user(
        &mut a,
        &kehoach_model::PcUser { name: "Ksor H'Mai".into(), unit: Some("Văn phòng – Thống kê".into()) },
    )
    .unwrap();
    let huyen = district_pc(&dir.path().join("huyen"));
    // This PC runs an older kehoach than the district's (as a PC left on 0.0.9 would say).
    assert!(kehoach_core::pc_users::note_program(&mut a, "0.0.9", "windows-x64").unwrap());
    assert!(!kehoach_core::pc_users::note_program(&mut a, "0.0.9", "windows-x64").unwrap(), "said once");
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    let imported = district::import_commune_bundle(&huyen, &bundle, false).unwrap();

    let current = kehoach_sync::update::PROGRAM_VERSION;
    let r = district::rollup(&huyen, &may(), None).unwrap();
    let row = &r.communes[0];
    assert_eq!(row.programs.len(), 1, "{:?}", row.programs);
    let p = &row.programs[0];
    assert_eq!(
        (p.device, p.user.as_deref(), p.version.as_str(), p.platform.as_deref()),
        (a.device_id(), Some("Ksor H'Mai"), "0.0.9", Some("windows-x64"))
    );
    assert_eq!(row.old_programs(current).len(), 1, "0.0.9 is older than {current}");

    // Updated, the PC says so with its next bundle, and the flag goes.
    assert!(kehoach_sync::update::note_this_program(&mut a).unwrap());
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    district::import_commune_bundle(&huyen, &bundle, false).unwrap();
    let r = district::rollup(&huyen, &may(), None).unwrap();
    assert_eq!(r.communes[0].programs[0].version, current);
    assert!(r.communes[0].old_programs(current).is_empty());
    assert_eq!(r.communes[0].commune, imported.commune);

    // Nonsense is not recorded as a version.
    assert!(kehoach_core::pc_users::note_program(&mut a, "mới nhất", "windows-x64").is_err());
}
