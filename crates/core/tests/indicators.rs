//! Issue 12, item 5: targets as indicators of a kind — count, percentage with its base, yes/no —
//! on real SQLite files; the catalogue of standard indicators; what a commune gives the
//! district and how the district adds it up; section II of the report.

use chrono::NaiveDate;
use kehoach_core::tracking::targets::{self, catalogue};
use kehoach_core::{reports, Change, CoreError, Kind, Store};
use kehoach_model::*;
use uuid::Uuid;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("k.sqlite3")).unwrap();
    (dir, s)
}

fn plan(s: &mut Store) -> Uuid {
    kehoach_core::create_plan(
        s,
        &NewPlan { title: "KH Đề án 06".into(), date: Some("2023-04-07".into()), ..Default::default() },
    )
    .unwrap()
    .id
}

fn add(s: &mut Store, p: Uuid, text: &str, value: f64, unit: &str, kind: Option<IndicatorKind>) -> Target {
    targets::add_target(s, &NewTarget { plan_id: p, text: text.into(), value, unit: unit.into(), period: None, kind })
        .unwrap()
}

fn ratio(numerator: f64, denominator: f64) -> NewFigure {
    NewFigure::Ratio { numerator, denominator }
}

/// Runs a bad action and checks its message and that nothing changed.
fn refused<T: std::fmt::Debug>(s: &mut Store, want: &str, f: impl FnOnce(&mut Store) -> Result<T, CoreError>) {
    let before = s.dump_json().unwrap();
    let ops = s.op_count().unwrap();
    let e = f(s).expect_err("bad input must be refused").to_string();
    assert!(e.contains(want), "message {e:?} should contain {want:?}");
    assert_eq!(s.dump_json().unwrap(), before, "bad input changed the data");
    assert_eq!(s.op_count().unwrap(), ops);
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn each_kind_is_entered_by_its_kind() {
    let (_d, mut s) = store();
    let p = plan(&mut s);
    let count = add(&mut s, p, "Số hồ sơ DVC trực tuyến", 1500.0, "hồ sơ", Some(IndicatorKind::Count));
    let share = add(&mut s, p, "Tỷ lệ kích hoạt VNeID mức 2", 80.0, "", Some(IndicatorKind::Percent));
    let met = add(&mut s, p, "Tổ công tác họp giao ban", 1.0, "", Some(IndicatorKind::YesNo));
    assert_eq!(
        (count.kind, share.kind, met.kind),
        (IndicatorKind::Count, IndicatorKind::Percent, IndicatorKind::YesNo)
    );
    assert_eq!(share.unit.as_deref(), Some("%"), "a percentage's unit is filled in");
    assert_eq!(met.unit, None);

    let c = targets::record_target_figure(&mut s, count.id, "05/2023", NewFigure::Value { value: 1250.0 }).unwrap();
    assert_eq!(c.latest.as_ref().map(|v| (v.value, v.numerator)), Some((1250.0, None)));
    let r = targets::record_target_figure(&mut s, share.id, "05/2023", ratio(1234.0, 1500.0)).unwrap();
    let v = r.latest.unwrap();
    assert_eq!((v.numerator, v.denominator), (Some(1234.0), Some(1500.0)));
    assert!((v.value - 82.266_666).abs() < 1e-4, "{}", v.value);
    let y = targets::record_target_figure(&mut s, met.id, "05/2023", NewFigure::YesNo { yes: true }).unwrap();
    assert_eq!(y.latest.unwrap().value, 1.0);
    let n = targets::record_target_figure(&mut s, met.id, "06/2023", NewFigure::YesNo { yes: false }).unwrap();
    assert_eq!(n.values.iter().map(|v| v.value).collect::<Vec<_>>(), [1.0, 0.0]);

    // A hand-made percentage may still take a bare percentage (as before kinds); recording the
    // period again replaces the base with none, so no stale base is left behind.
    let bare = targets::record_target_value(&mut s, share.id, "2023-05", 96.8).unwrap();
    assert_eq!(bare.values.len(), 1);
    assert_eq!(bare.latest.map(|v| (v.value, v.numerator, v.denominator)), Some((96.8, None, None)));

    // The kind and figures survive a round trip through another PC's replica.
    let mut b = Store::open_in_memory().unwrap();
    b.apply_ops(&s.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect::<Vec<_>>()).unwrap();
    assert_eq!(targets::targets(&b, Some(p)).unwrap(), targets::targets(&s, Some(p)).unwrap());
}

#[test]
fn bad_figures_and_targets_are_refused_and_change_nothing() {
    let (_d, mut s) = store();
    let p = plan(&mut s);
    let count = add(&mut s, p, "Số thẻ đã trả", 100.0, "thẻ", None);
    let share = add(&mut s, p, "Tỷ lệ hồ sơ trực tuyến", 60.0, "%", None);
    let met = add(&mut s, p, "Họp giao ban", 1.0, "", Some(IndicatorKind::YesNo));
    let f = targets::record_target_figure;
    refused(&mut s, "mẫu số phải lớn hơn 0", |s| f(s, share.id, "05/2023", ratio(3.0, 0.0)));
    refused(&mut s, "tử số (1.501) không được lớn hơn mẫu số (1.500)", |s| {
        f(s, share.id, "05/2023", ratio(1501.0, 1500.0))
    });
    refused(&mut s, "tử số không được âm", |s| f(s, share.id, "05/2023", ratio(-1.0, 10.0)));
    refused(&mut s, "là chỉ tiêu tỷ lệ", |s| f(s, share.id, "05/2023", NewFigure::YesNo { yes: true }));
    refused(&mut s, "không được vượt quá 100", |s| {
        f(s, share.id, "05/2023", NewFigure::Value { value: 130.0 })
    });
    refused(&mut s, "là chỉ tiêu số lượng", |s| f(s, count.id, "05/2023", ratio(1.0, 2.0)));
    refused(&mut s, "không được âm", |s| f(s, count.id, "05/2023", NewFigure::Value { value: -4.0 }));
    refused(&mut s, "là chỉ tiêu Có/Không", |s| f(s, met.id, "05/2023", ratio(1.0, 1.0)));
    refused(&mut s, "là 1 (có) hoặc 0 (chưa)", |s| f(s, met.id, "05/2023", NewFigure::Value { value: 2.0 }));
    refused(&mut s, "kỳ báo cáo không hợp lệ", |s| f(s, met.id, "13/2023", NewFigure::YesNo { yes: true }));

    let new = |text: &str, value: f64, unit: &str, kind| NewTarget {
        plan_id: p,
        text: text.into(),
        value,
        unit: unit.into(),
        period: None,
        kind: Some(kind),
    };
    let a = targets::add_target;
    refused(&mut s, "không dùng đơn vị \"hồ sơ\"", |s| a(s, &new("x", 50.0, "hồ sơ", IndicatorKind::Percent)));
    refused(&mut s, "đơn vị % dành cho chỉ tiêu tỷ lệ", |s| {
        a(s, &new("x", 50.0, "%", IndicatorKind::Count))
    });
    refused(&mut s, "chưa nhập đơn vị tính", |s| a(s, &new("x", 50.0, " ", IndicatorKind::Count)));
    refused(&mut s, "không có đơn vị tính", |s| a(s, &new("x", 1.0, "lần", IndicatorKind::YesNo)));
    refused(&mut s, "có giá trị 1 (có)", |s| a(s, &new("x", 0.0, "", IndicatorKind::YesNo)));
    refused(&mut s, "không được vượt quá 100", |s| a(s, &new("x", 101.0, "", IndicatorKind::Percent)));

    // What a form or the command line typed, read the Vietnamese way; exactly one of three.
    let t = targets::typed_figure;
    assert_eq!(t(Some("1.250"), None, None, None).unwrap(), NewFigure::Value { value: 1250.0 });
    assert_eq!(t(Some(" "), Some("1.234"), Some("1.500"), None).unwrap(), ratio(1234.0, 1500.0));
    assert_eq!(t(None, Some(""), None, Some(false)).unwrap(), NewFigure::YesNo { yes: false });
    for (v, n, d, y, want) in [
        (Some("5"), Some("1"), Some("2"), None, "chỉ nhập một trong ba"),
        (Some("5"), None, None, Some(true), "chỉ nhập một trong ba"),
        (None, Some("1"), None, None, "chưa nhập mẫu số"),
        (None, None, Some("2"), None, "chưa nhập tử số"),
        (None, None, None, None, "chưa nhập số liệu"),
        (None, Some("mười"), Some("2"), None, "số liệu không hợp lệ"),
    ] {
        let e = t(v, n, d, y).unwrap_err().to_string();
        assert!(e.contains(want), "{v:?} {n:?} {d:?} {y:?}: {e}");
    }
}

#[test]
fn the_standard_indicators_attach_once() {
    let (_d, mut s) = store();
    let p = plan(&mut s);
    let added = catalogue::attach_indicators(&mut s, p, "indicators").unwrap();
    let cat = catalogue::indicator_catalogue();
    assert_eq!(added.len(), cat.len());
    assert_eq!(
        added.iter().map(|t| t.code.as_deref().unwrap()).collect::<Vec<_>>(),
        cat.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        "in the catalogue's order"
    );
    let vneid = added.iter().find(|t| t.code.as_deref() == Some("dinh_danh_muc_2_ty_le")).unwrap();
    assert_eq!(vneid.kind, IndicatorKind::Percent);
    assert_eq!(vneid.numerator_label.as_deref(), Some("tài khoản định danh điện tử mức độ 2 đã kích hoạt"));
    assert_eq!(vneid.denominator_label.as_deref(), Some("công dân từ 14 tuổi trở lên"));
    assert_eq!(vneid.value, None, "the commune sets its own goal");
    assert!(added.iter().any(|t| t.kind == IndicatorKind::YesNo && t.value == Some(1.0)));

    // The commune sets its own goal; a yes/no's is always "yes".
    let set = targets::set_target_goal(&mut s, vneid.id, 90.0).unwrap();
    assert_eq!(set.value, Some(90.0));
    refused(&mut s, "không được vượt quá 100", |s| targets::set_target_goal(s, vneid.id, 120.0));
    let met = added.iter().find(|t| t.kind == IndicatorKind::YesNo).unwrap();
    refused(&mut s, "mục tiêu luôn là có", |s| targets::set_target_goal(s, met.id, 0.0));
    let cards = added.iter().find(|t| t.code.as_deref() == Some("cccd_the_da_tra")).unwrap();
    refused(&mut s, "không được âm", |s| targets::set_target_goal(s, cards.id, -1.0));
    refused(&mut s, "đã có đủ 12 chỉ tiêu", |s| catalogue::attach_indicators(s, p, "indicators"));
    refused(&mut s, "không có danh mục chỉ tiêu mẫu \"dich_vu\"", |s| {
        catalogue::attach_indicators(s, p, "dich_vu")
    });
    // A standard percentage needs its base: the district could not add a bare one.
    refused(
        &mut s,
        "nhập tử số và mẫu số (tài khoản định danh điện tử mức độ 2 đã kích hoạt / công dân",
        |s| targets::record_target_value(s, vneid.id, "2023-05", 82.0),
    );

    // One deleted by mistake comes back on the next attach, under the same id; the others
    // keep their figures.
    let cards = added.iter().find(|t| t.code.as_deref() == Some("cccd_the_da_tra")).unwrap();
    targets::record_target_value(&mut s, cards.id, "2023-05", 40.0).unwrap();
    kehoach_core::delete_target(&mut s, vneid.id).unwrap();
    let back = catalogue::attach_indicators(&mut s, p, "indicators").unwrap();
    assert_eq!(back.iter().map(|t| t.id).collect::<Vec<_>>(), [vneid.id]);
    assert!(back[0].values.is_empty());
    assert_eq!(targets::target(&s, cards.id).unwrap().latest.unwrap().value, 40.0);
    assert_eq!(targets::targets(&s, Some(p)).unwrap().len(), cat.len());

    // Two PCs attaching at once make one set, not two.
    let (_e, mut other) = store();
    let q = plan(&mut other);
    let mut pc2 = Store::open_in_memory().unwrap();
    pc2.apply_ops(&other.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect::<Vec<_>>()).unwrap();
    catalogue::attach_indicators(&mut other, q, "indicators").unwrap();
    catalogue::attach_indicators(&mut pc2, q, "indicators").unwrap();
    other.apply_ops(&pc2.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect::<Vec<_>>()).unwrap();
    assert_eq!(targets::targets(&other, Some(q)).unwrap().len(), cat.len());
}

/// One commune's replica: the standard indicators attached, figures for May 2023.
fn commune(vneid: (f64, f64), applications: f64, met: bool) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let p = plan(&mut s);
    let ts = catalogue::attach_indicators(&mut s, p, "indicators").unwrap();
    let by = |code: &str| ts.iter().find(|t| t.code.as_deref() == Some(code)).unwrap().id;
    targets::record_target_figure(&mut s, by("dinh_danh_muc_2_ty_le"), "2023-05", ratio(vneid.0, vneid.1)).unwrap();
    targets::record_target_value(&mut s, by("dvc_truc_tuyen_ho_so"), "2023-05", applications).unwrap();
    targets::record_target_figure(&mut s, by("to_cong_tac_giao_ban"), "2023-05", NewFigure::YesNo { yes: met })
        .unwrap();
    s
}

#[test]
fn the_district_adds_numerators_and_denominators_never_percentages() {
    let a = commune((800.0, 1000.0), 1200.0, true);
    let b = commune((80.0, 100.0), 34.0, false);
    let c = commune((0.0, 0.0 + 50.0), 0.0, true);
    // A commune with an imported percentage target typed as "96,8": kept out of the sum.
    let mut d = Store::open_in_memory().unwrap();
    let p = plan(&mut d);
    let old = add(&mut d, p, "Tỷ lệ hồ sơ được số hóa", 100.0, "%", None);
    targets::record_target_value(&mut d, old.id, "2023-05", 96.8).unwrap();
    let mut e = Store::open_in_memory().unwrap();
    let p = plan(&mut e);
    let same = add(&mut e, p, "Tỷ lệ  hồ sơ được\nsố hóa", 100.0, "%", None);
    targets::record_target_figure(&mut e, same.id, "2023-04", ratio(30.0, 40.0)).unwrap();
    targets::record_target_figure(&mut e, same.id, "2023-06", ratio(40.0, 40.0)).unwrap();

    let end = day("2023-05-31");
    let per: Vec<Vec<IndicatorFigure>> =
        [&a, &b, &c, &d, &e].iter().map(|s| targets::indicator_figures(s, end).unwrap()).collect();
    assert_eq!(per[0].len(), catalogue::indicator_catalogue().len());
    let fig = per[0].iter().find(|f| f.key == "dinh_danh_muc_2_ty_le").unwrap();
    assert_eq!((fig.numerator, fig.denominator, fig.period.as_deref()), (Some(800.0), Some(1000.0), Some("2023-05")));

    let sums = aggregate_indicators(&per);
    let by = |key: &str| sums.iter().find(|s| s.key == key).unwrap();
    let vneid = by("dinh_danh_muc_2_ty_le");
    assert_eq!((vneid.numerator, vneid.denominator), (Some(880.0), Some(1150.0)));
    assert!((vneid.value.unwrap() - 880.0 / 1150.0 * 100.0).abs() < 1e-9, "not 80 + 80 + 0");
    assert_eq!(vneid.figure_vi(), "880/1.150 (76,5%)");
    assert_eq!(vneid.communes, 3);
    assert_eq!(by("dvc_truc_tuyen_ho_so").value, Some(1234.0));
    assert_eq!(by("dvc_truc_tuyen_ho_so").figure_vi(), "1.234 hồ sơ");
    assert_eq!((by("to_cong_tac_giao_ban").value, by("to_cong_tac_giao_ban").communes), (Some(2.0), 3));
    assert_eq!(by("cccd_the_da_tra").missing, 3, "attached, no figure yet");
    // Imported targets add up by their tidied text and unit; the bare "96,8%" is left out
    // and said, and the other commune's figure is its latest up to May (April's).
    let digitised = by("Tỷ lệ hồ sơ được số hóa [%]");
    assert_eq!((digitised.numerator, digitised.denominator, digitised.value), (Some(30.0), Some(40.0), Some(75.0)));
    assert_eq!((digitised.communes, digitised.without_base), (1, 1));
    assert_eq!(digitised.target, Some(100.0));
}

#[test]
fn targets_stored_before_kinds_keep_working() {
    // As an older PC (or an imported plan) wrote them: no kind, no code.
    let (_d, mut s) = store();
    let p = plan(&mut s);
    let (pct, cnt) = (Uuid::now_v7(), Uuid::now_v7());
    let mut changes = Vec::new();
    for (id, text, unit, value) in [(pct, "Tỷ lệ CCCD", "%", 100.0), (cnt, "Tài khoản VNeID", "tài khoản", 1500.0)]
    {
        changes.extend([
            Change::new(Kind::Target, id, "plan_id", p.to_string()),
            Change::new(Kind::Target, id, "text", text),
            Change::new(Kind::Target, id, "unit", unit),
            Change::new(Kind::Target, id, "value", value),
        ]);
    }
    s.commit(changes).unwrap();
    let t = targets::target(&s, pct).unwrap();
    assert_eq!((t.kind, t.code.as_deref()), (IndicatorKind::Percent, None));
    assert_eq!(targets::target(&s, cnt).unwrap().kind, IndicatorKind::Count);
    targets::record_target_value(&mut s, pct, "2023-05", 96.8).unwrap();
    let t = targets::record_target_figure(&mut s, pct, "2023-06", ratio(970.0, 1000.0)).unwrap();
    assert_eq!(t.latest.unwrap().numerator, Some(970.0));
    refused(&mut s, "không được vượt quá 100", |s| targets::record_target_value(s, pct, "2023-07", 101.0));
}

#[test]
fn section_two_writes_each_indicator_by_its_kind() {
    let (_d, mut s) = store();
    let p = plan(&mut s);
    let ts = catalogue::attach_indicators(&mut s, p, "indicators").unwrap();
    let by = |code: &str| ts.iter().find(|t| t.code.as_deref() == Some(code)).unwrap().id;
    targets::record_target_figure(&mut s, by("dinh_danh_muc_2_ty_le"), "2023-03", ratio(1234.0, 1500.0)).unwrap();
    targets::record_target_figure(&mut s, by("dinh_danh_muc_2_ty_le"), "2023-04", ratio(1400.0, 1500.0)).unwrap();
    targets::record_target_value(&mut s, by("dvc_truc_tuyen_ho_so"), "2023-03", 1250.0).unwrap();
    targets::record_target_figure(&mut s, by("to_cong_tac_giao_ban"), "2023-03", NewFigure::YesNo { yes: true })
        .unwrap();
    let goal = add(&mut s, p, "Tài khoản VNeID mức 2 được kích hoạt", 1500.0, "tài khoản", None);
    targets::record_target_value(&mut s, goal.id, "2023-02", 1320.0).unwrap();
    let share = add(&mut s, p, "Tỷ lệ hồ sơ trực tuyến", 80.0, "%", None);
    targets::record_target_figure(&mut s, share.id, "2023-03", ratio(131.0, 214.0)).unwrap();

    let d = reports::compose_report(&s, p, &reports::parse_period("2023-03").unwrap(), Some("2023-04-07")).unwrap();
    let ii =
        d.content.parts[1].sections.iter().find(|s| s.heading.ends_with("Kết quả thực hiện các chỉ tiêu")).unwrap();
    let lines: Vec<&str> = ii.text.lines().collect();
    for want in [
        "- Tỷ lệ công dân từ 14 tuổi trở lên đã kích hoạt tài khoản định danh điện tử mức độ 2: kết quả 1.234/1.500 (82,3%), số liệu kỳ 2023-03.",
        "- Số hồ sơ dịch vụ công trực tuyến đã tiếp nhận: kết quả 1.250 hồ sơ (số liệu kỳ 2023-03).",
        "- Tổ công tác Đề án 06 xã họp giao ban trong tháng: có (số liệu kỳ 2023-03).",
        "- Số thẻ Căn cước đã trả cho công dân: chưa cập nhật số liệu.",
        "- Tài khoản VNeID mức 2 được kích hoạt: chỉ tiêu 1.500 tài khoản; kết quả 1.320 tài khoản (số liệu kỳ 2023-02).",
        "- Tỷ lệ hồ sơ trực tuyến: chỉ tiêu 80%; kết quả 131/214 (61,2%), số liệu kỳ 2023-03.",
    ] {
        assert!(lines.contains(&want), "missing {want:?} in\n{}", ii.text);
    }
    assert_eq!(lines.len(), catalogue::indicator_catalogue().len() + 2);
}
