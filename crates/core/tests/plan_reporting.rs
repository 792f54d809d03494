//! A plan's reporting rules: the commune's due day is the rule in which the commune reports,
//! "theo quy định" asks for no quarterly report, and a hand-made plan can be given a rule.

use kehoach_core::{queries, reports, Store};
use kehoach_model::{NewPlan, PeriodKind, ReportPeriod, Settings};

const SON_KHE: &str = include_str!("../../../tests/fixtures/plans/huyen-son-khe-2023.txt");
const LAM_HOP: &str = include_str!("../../../tests/fixtures/plans/xa-lam-hop-2022.txt");

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let s = Settings {
        commune: Some("UBND xã Sơn Thủy".into()),
        parent: Some("UBND huyện Sơn Khê".into()),
        place: Some("Sơn Thủy".into()),
        signer: Some("Nguyễn Văn An".into()),
        signer_title: None,
        level: None,
    };
    kehoach_core::save_settings(&mut store, &s).unwrap();
    store
}

#[test]
fn the_commune_reports_on_the_day_of_its_own_rule_in_a_chain() {
    let mut store = store();
    // Units and communes report to the district police before the 18th, the police to the
    // district before the 20th: the commune's April report is due on 18 May.
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(SON_KHE)).unwrap();
    assert_eq!(plan.reporting.len(), 2, "{:?}", plan.reporting);
    let due = reports::report_due(&store, plan.id, &ReportPeriod::month(2023, 4)).unwrap();
    assert_eq!(due.to_string(), "2023-05-18");

    // Lâm Hợp: 15th (the desks), 20th (the commune police), 22nd (the chairman to the district).
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(LAM_HOP)).unwrap();
    assert_eq!(plan.reporting.iter().filter_map(|r| r.day_of_month).collect::<Vec<_>>(), vec![15, 20, 22]);
    let due = reports::report_due(&store, plan.id, &ReportPeriod::month(2022, 6)).unwrap();
    assert_eq!(due.to_string(), "2022-07-22");
}

#[test]
fn reporting_by_the_rules_asks_for_no_quarterly_report() {
    let mut store = store();
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(LAM_HOP)).unwrap();
    // "… trước ngày 22 hàng tháng theo quy định": monthly only.
    let schedule = reports::report_schedule(&store, Some("2022-12-01")).unwrap();
    let kinds: Vec<PeriodKind> = schedule.iter().filter(|e| e.plan_id == plan.id).map(|e| e.period.kind).collect();
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|k| *k == PeriodKind::Month), "{kinds:?}");
}

#[test]
fn a_plan_typed_by_hand_gets_a_reporting_day() {
    let mut store = store();
    let plan = kehoach_core::create_plan(
        &mut store,
        &NewPlan {
            title: "Kế hoạch tự lập".into(), number: None, date: Some("2024-01-10".into()), issuer: None
        },
    )
    .unwrap();
    assert!(reports::report_schedule(&store, Some("2024-03-01")).unwrap().iter().all(|e| e.plan_id != plan.id));

    let p = kehoach_core::set_plan_reporting(&mut store, plan.id, 12, Some("UBND huyện Sơn Khê"), false).unwrap();
    assert_eq!(p.reporting.len(), 1);
    assert_eq!(p.reporting[0].who.as_deref(), Some("UBND xã Sơn Thủy"));
    assert_eq!(p.reporting[0].to.as_deref(), Some("UBND huyện Sơn Khê"));
    let next = reports::report_schedule(&store, Some("2024-03-01")).unwrap();
    let mine: Vec<_> = next.iter().filter(|e| e.plan_id == plan.id).collect();
    assert!(mine.iter().any(|e| e.due == "2024-02-12"), "{mine:?}");
    assert!(mine.iter().any(|e| e.due == "2024-03-12"), "{mine:?}");

    // The officer's own rule wins over an imported chain; --replace leaves it alone.
    let plan2 = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(SON_KHE)).unwrap();
    kehoach_core::set_plan_reporting(&mut store, plan2.id, 10, None, false).unwrap();
    assert_eq!(reports::report_due(&store, plan2.id, &ReportPeriod::month(2023, 4)).unwrap().to_string(), "2023-05-10");
    let p2 = kehoach_core::set_plan_reporting(&mut store, plan2.id, 25, None, true).unwrap();
    assert_eq!(p2.reporting.len(), 1);
    assert_eq!(reports::report_due(&store, plan2.id, &ReportPeriod::month(2023, 4)).unwrap().to_string(), "2023-05-25");
}

#[test]
fn a_bad_day_changes_nothing() {
    let mut store = store();
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(SON_KHE)).unwrap();
    for day in [0, 32] {
        let err = kehoach_core::set_plan_reporting(&mut store, plan.id, day, None, true).unwrap_err();
        assert!(err.to_string().contains("không hợp lệ"), "{err}");
    }
    assert_eq!(queries::plan(&store, plan.id).unwrap().reporting, plan.reporting);
    let missing = uuid::Uuid::now_v7();
    assert!(kehoach_core::set_plan_reporting(&mut store, missing, 10, None, false).is_err());
}
