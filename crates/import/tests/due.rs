//! The timeframe parser, one test per kind of PLAN_SCHEMA.md's `due` table.

use kehoach_import::{parse_due, Due, DueKind};

fn kind(text: &str, year: Option<i32>) -> DueKind {
    parse_due(text, year).kind
}

#[test]
fn fixed_dates() {
    assert_eq!(kind("trước ngày 30/6/2022", None), DueKind::Date { date: "2022-06-30".into() });
    assert_eq!(kind("Hoàn thành trước ngày 15 tháng 9 năm 2023", None), DueKind::Date { date: "2023-09-15".into() });
    assert_eq!(kind("chậm nhất ngày 31/12", Some(2024)), DueKind::Date { date: "2024-12-31".into() });
}

#[test]
fn months() {
    assert_eq!(kind("Trong tháng 3/2023.", None), DueKind::Month { year: 2023, month: 3 });
    assert_eq!(kind("Tháng 02 năm 2022", None), DueKind::Month { year: 2022, month: 2 });
    assert_eq!(kind("Trong tháng 3", Some(2023)), DueKind::Month { year: 2023, month: 3 });
    assert_eq!(kind("Tháng 3, 4/2023", None), DueKind::Month { year: 2023, month: 4 });
}

#[test]
fn quarters_roman_and_arabic() {
    assert_eq!(kind("Trong quý I/2023", None), DueKind::Quarter { year: 2023, quarter: 1 });
    assert_eq!(kind("Quý II năm 2022", None), DueKind::Quarter { year: 2022, quarter: 2 });
    assert_eq!(kind("Hoàn thành trong Quý III/2023.", None), DueKind::Quarter { year: 2023, quarter: 3 });
    assert_eq!(kind("quý 4/2024", None), DueKind::Quarter { year: 2024, quarter: 4 });
    assert_eq!(kind("Trong quý IV", Some(2022)), DueKind::Quarter { year: 2022, quarter: 4 });
    // Several quarters: the later one is the deadline.
    assert_eq!(kind("trong quý I, II năm 2023", None), DueKind::Quarter { year: 2023, quarter: 2 });
}

#[test]
fn halves() {
    assert_eq!(kind("6 tháng đầu năm 2023", None), DueKind::Half { year: 2023, half: 1 });
    assert_eq!(kind("06 tháng cuối năm 2022", None), DueKind::Half { year: 2022, half: 2 });
    assert_eq!(kind("6 tháng đầu năm", Some(2024)), DueKind::Half { year: 2024, half: 1 });
}

#[test]
fn years() {
    assert_eq!(kind("Trong năm 2022", None), DueKind::Year { year: 2022 });
    assert_eq!(kind("Năm 2024", None), DueKind::Year { year: 2024 });
    assert_eq!(kind("Thực hiện trong năm 2022.", None), DueKind::Year { year: 2022 });
}

#[test]
fn starts() {
    assert_eq!(kind("Từ tháng 6 năm 2022", None), DueKind::From { date: "2022-06-01".into() });
    assert_eq!(kind("Bắt đầu triển khai từ tháng 06/2022.", None), DueKind::From { date: "2022-06-01".into() });
    assert_eq!(kind("từ ngày 01/6/2023", None), DueKind::From { date: "2023-06-01".into() });
    assert_eq!(
        kind("Tại Bộ phận một cửa cấp xã từ ngày 01 tháng 12 năm 2022: cấp xã từ ngày 01 tháng 6 năm 2023", None),
        DueKind::From { date: "2022-12-01".into() }
    );
    assert_eq!(kind("Từ quý II/2023", None), DueKind::From { date: "2023-04-01".into() });
}

#[test]
fn ranges() {
    assert_eq!(
        kind("Từ tháng 3 đến tháng 6/2022", None),
        DueKind::Range { from: "2022-03-01".into(), to: "2022-06-30".into() }
    );
    assert_eq!(
        kind("từ tháng 11/2022 đến tháng 2/2023", None),
        DueKind::Range { from: "2022-11-01".into(), to: "2023-02-28".into() }
    );
    assert_eq!(
        kind("Từ quý I đến quý III năm 2024", None),
        DueKind::Range { from: "2024-01-01".into(), to: "2024-09-30".into() }
    );
}

#[test]
fn recurring() {
    assert_eq!(kind("Thường xuyên", None), DueKind::Recurring);
    assert_eq!(kind("Thực hiện thường xuyên.", None), DueKind::Recurring);
    assert_eq!(kind("Thực hiện thường xuyên theo lộ trình.", None), DueKind::Recurring);
    // Ongoing once a condition holds reads as ongoing.
    assert_eq!(kind("Thực hiện thường xuyên sau khi ứng dụng được hoàn thiện", None), DueKind::Recurring);
}

#[test]
fn on_request() {
    assert_eq!(kind("Theo yêu cầu của cơ quan chủ trì soạn thảo", None), DueKind::OnRequest);
    assert_eq!(kind("Khi có yêu cầu", None), DueKind::OnRequest);
    assert_eq!(kind("Thực hiện khi có yêu cầu.", None), DueKind::OnRequest);
    assert_eq!(kind("Theo đề nghị của cơ quan chủ trì", None), DueKind::OnRequest);
}

#[test]
fn after_event() {
    assert_eq!(
        kind("Sau khi có hướng dẫn của Bộ Công an", None),
        DueKind::AfterEvent { event: "Sau khi có hướng dẫn của Bộ Công an".into() }
    );
    assert!(matches!(
        kind("Thực hiện theo chỉ đạo của lãnh đạo các cấp sau khi Bộ Công an hoàn thành tích hợp", None),
        DueKind::AfterEvent { .. }
    ));
    assert!(matches!(kind("Theo tiến độ kết nối CSDLQG về DC của Bộ Công an", None), DueKind::AfterEvent { .. }));
}

#[test]
fn deadline_then_ongoing() {
    assert_eq!(
        parse_due("Trong quý I/2023 và duy trì thường xuyên trong những năm tiếp theo.", None),
        Due { kind: DueKind::Quarter { year: 2023, quarter: 1 }, recurring_after: true }
    );
    let d = parse_due("Tăng cường quán triệt trong quý I, II năm 2023 và duy trì thường xuyên.", None);
    assert_eq!(d, Due { kind: DueKind::Quarter { year: 2023, quarter: 2 }, recurring_after: true });
    assert!(!parse_due("Trong quý I/2023", None).recurring_after);
}

#[test]
fn none_and_missing_year() {
    assert_eq!(kind("", None), DueKind::None);
    assert_eq!(kind("Theo kế hoạch", None), DueKind::None);
    // A month with no year and no plan year cannot be placed.
    assert_eq!(kind("Trong tháng 3", None), DueKind::None);
}

#[test]
fn decomposed_unicode_is_read() {
    let decomposed = "Trong quy\u{301} I/2023";
    assert_eq!(kind(decomposed, None), DueKind::Quarter { year: 2023, quarter: 1 });
}

/// One date per level: the commune takes cấp xã's, a district cấp huyện's.
#[test]
fn a_time_per_level_gives_each_level_its_date() {
    let path = format!("{}/../../tests/fixtures/plans/huyen-son-khe-2023.txt", env!("CARGO_MANIFEST_DIR"));
    let read = kehoach_import::read_file(std::path::Path::new(&path)).unwrap();
    let idx = read.tasks.iter().position(|t| t.text.starts_with("Thực hiện số hóa hồ sơ")).unwrap();
    let from = |p: &kehoach_model::ImportedPlan| match &p.tasks[idx].due.kind {
        kehoach_import::DueKind::From { date } => date.clone(),
        other => panic!("{other:?}"),
    };
    let mut commune = read.clone();
    kehoach_import::due_for_level(&mut commune, Some("commune"));
    assert_eq!(from(&commune), "2023-10-01");
    let mut unset = read.clone();
    kehoach_import::due_for_level(&mut unset, None);
    assert_eq!(from(&unset), "2023-10-01");
    let mut district = read.clone();
    kehoach_import::due_for_level(&mut district, Some("district"));
    assert_eq!(from(&district), "2023-07-01");
    // The time as written is kept whole, both dates in it.
    assert!(commune.tasks[idx].time_text.as_deref().unwrap().contains("cấp huyện"));
    // Tasks with one date are untouched.
    assert_eq!(commune.tasks[0].due, read.tasks[0].due);
}

/// Each level's date is kept with the task, in the plan-import JSON too, whatever the unit.
#[test]
fn each_levels_date_is_kept_with_the_task() {
    let path = format!("{}/../../tests/fixtures/plans/huyen-son-khe-2023.txt", env!("CARGO_MANIFEST_DIR"));
    let read = kehoach_import::read_file(std::path::Path::new(&path)).unwrap();
    let t = read.tasks.iter().find(|t| t.text.starts_with("Thực hiện số hóa hồ sơ")).unwrap();
    let json = serde_json::to_value(&t.due_by_level).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"level": "huyện", "due": {"kind": "from", "date": "2023-07-01"}},
            {"level": "xã", "due": {"kind": "from", "date": "2023-10-01"}}
        ])
    );
    // A time with one date for all levels has no list.
    assert!(read
        .tasks
        .iter()
        .filter(|t| !t.text.starts_with("Thực hiện số hóa hồ sơ"))
        .all(|t| t.due_by_level.is_empty()));
}
