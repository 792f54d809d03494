//! Issue 4 in the core: due dates, workflow, evidence, checklists, targets, units, dashboard,
//! search — on real SQLite files, every bad input refused with a message and no change.

use kehoach_core::tracking::{checklists, dashboard, evidence, groups, notes, schedule, search, targets, units};
use kehoach_core::{queries, CoreError, Store};
use kehoach_model::*;
use uuid::Uuid;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("k.sqlite3")).unwrap();
    (dir, s)
}

fn plan(s: &mut Store) -> Plan {
    kehoach_core::create_plan(
        s,
        &NewPlan { title: "KH Đề án 06".into(), date: Some("2023-04-07".into()), ..Default::default() },
    )
    .unwrap()
}

fn task(s: &mut Store, plan: Uuid, text: &str, due: DueKind, lead: &[&str]) -> Task {
    kehoach_core::add_task(
        s,
        &NewTask {
            plan_id: plan,
            text: text.into(),
            due: Some(Due::new(due)),
            lead: lead.iter().map(|l| l.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap()
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

#[test]
fn deadlines_overdue_and_due_soon() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let q = task(&mut s, p, "Quý I", DueKind::Quarter { year: 2023, quarter: 2 }, &[]);
    let h = task(&mut s, p, "Nửa năm", DueKind::Half { year: 2023, half: 1 }, &[]);
    let y = task(&mut s, p, "Cả năm", DueKind::Year { year: 2023 }, &[]);
    let m = task(&mut s, p, "Tháng 5", DueKind::Month { year: 2023, month: 5 }, &[]);
    let r = task(&mut s, p, "Khoảng", DueKind::Range { from: "2023-03-01".into(), to: "2023-05-20".into() }, &[]);
    let rec = task(&mut s, p, "Thường xuyên", DueKind::Recurring, &[]);
    assert_eq!(q.deadline.as_deref(), Some("2023-06-30"));
    assert_eq!(h.deadline.as_deref(), Some("2023-06-30"));
    assert_eq!(y.deadline.as_deref(), Some("2023-12-31"));
    assert_eq!(m.deadline.as_deref(), Some("2023-05-31"));
    assert_eq!(r.deadline.as_deref(), Some("2023-05-20"));
    assert_eq!(rec.deadline, None);

    let ids = |v: Vec<Task>| v.into_iter().map(|t| t.text).collect::<Vec<_>>();
    assert_eq!(ids(schedule::overdue_tasks(&s, Some("2023-05-31"), None).unwrap()), vec!["Khoảng"]);
    assert_eq!(ids(schedule::due_this_month(&s, Some("2023-05-10"), None).unwrap()), vec!["Khoảng", "Tháng 5"]);
    assert_eq!(ids(schedule::due_within(&s, Some("2023-05-25"), 10).unwrap()), vec!["Tháng 5"]);
    assert_eq!(ids(schedule::due_within(&s, Some("2023-05-25"), 40).unwrap()), vec!["Tháng 5", "Quý I", "Nửa năm"]);
    // Done work is never late.
    notes::set_task_status_with_note(&mut s, r.id, TaskStatus::Done, None, None).unwrap();
    assert!(schedule::overdue_tasks(&s, Some("2023-05-31"), None).unwrap().is_empty());
    refused(&mut s, "Ngày xét không hợp lệ", |s| schedule::due_this_month(s, Some("2023-02-30"), None));
}

#[test]
fn recurring_tasks_check_in_each_month_and_reports_have_a_next_day() {
    let (_d, mut s) = store();
    let imported = ImportedPlan {
        doc: DocHeader { title: Some("KH".into()), date: Some("2023-04-07".into()), ..Default::default() },
        reporting: vec![ReportingRule {
            day_of_month: Some(12),
            to: Some("UBND huyện".into()),
            text: "trước ngày 12 hàng tháng".into(),
            ..Default::default()
        }],
        tasks: vec![ImportedTask {
            text: "Duy trì cập nhật dữ liệu".into(),
            due: Due::new(DueKind::Recurring),
            ..Default::default()
        }],
        ..Default::default()
    };
    let p = kehoach_core::import_plan(&mut s, &imported).unwrap();
    let t = queries::list_tasks(&s, &TaskFilter { plan_id: Some(p.id), ..Default::default() }).unwrap().remove(0);
    notes::add_note(
        &mut s,
        &NewNote {
            task_id: t.id,
            text: "Đã cập nhật 120 hồ sơ".into(),
            date: Some("2023-05-03".into()),
            author: Some("Nguyễn Văn A".into()),
        },
    )
    .unwrap();
    let d = dashboard::task_detail(&s, t.id, Some("2023-06-20")).unwrap();
    let c: Vec<(String, String, bool)> = d.checkins.into_iter().map(|c| (c.period, c.due, c.done)).collect();
    assert_eq!(
        c,
        vec![
            ("2023-04".into(), "2023-04-12".into(), false),
            ("2023-05".into(), "2023-05-12".into(), true),
            ("2023-06".into(), "2023-06-12".into(), false)
        ]
    );
    let next = schedule::next_report_deadline(&s, Some("2023-06-13")).unwrap().unwrap();
    assert_eq!(next.date, "2023-07-12");
    assert_eq!(next.days_left, 29);
    assert_eq!(schedule::next_report_deadline(&s, Some("2023-06-12")).unwrap().unwrap().date, "2023-06-12");
    // The 31st in a short month is its last day.
    assert_eq!(
        schedule::next_report_day(chrono::NaiveDate::from_ymd_opt(2024, 2, 10).unwrap(), 31).to_string(),
        "2024-02-29"
    );
}

#[test]
fn status_notes_and_evidence() {
    let (dir, mut s) = store();
    let p = plan(&mut s).id;
    let t = task(
        &mut s,
        p,
        "Ban hành quyết định thành lập Tổ công tác",
        DueKind::Month { year: 2023, month: 5 },
        &["Công an xã"],
    );
    let n = NewNote {
        task_id: t.id,
        text: "Đã trình dự thảo".into(),
        author: Some("Trần Thị B".into()),
        date: Some("2023-05-02".into()),
    };
    let done = notes::set_task_status_with_note(&mut s, t.id, TaskStatus::InProgress, None, Some(&n)).unwrap();
    assert_eq!(done.status, TaskStatus::InProgress);
    let ns = notes::notes(&s, t.id).unwrap();
    assert_eq!(ns.len(), 1);
    assert_eq!(ns[0].author.as_deref(), Some("Trần Thị B"));
    assert_eq!(ns[0].date.as_deref(), Some("2023-05-02"));

    let file = dir.path().join("quyet-dinh.pdf");
    std::fs::write(&file, b"%PDF-1.4 quyet dinh").unwrap();
    let e = evidence::add_evidence(
        &mut s,
        &NewEvidence {
            task_id: t.id,
            number: "15/QĐ-UBND".into(),
            date: "2023-05-10".into(),
            file: Some(file.display().to_string()),
            text: None,
        },
    )
    .unwrap();
    let sha = e.sha256.clone().unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(e.file_name.as_deref(), Some("quyet-dinh.pdf"));
    let kept = s.attachment_path(&sha).unwrap();
    assert_eq!(kept, dir.path().join("attachments").join(&sha));
    assert_eq!(std::fs::read(kept).unwrap(), b"%PDF-1.4 quyet dinh");
    assert_eq!(s.data_dir().unwrap(), dir.path());
    let detail = dashboard::task_detail(&s, t.id, Some("2023-06-01")).unwrap();
    assert_eq!(detail.evidence.len(), 1);
    assert_eq!(detail.notes.len(), 1);
    assert!(detail.task.overdue);

    refused(&mut s, "Ngày văn bản không hợp lệ", |s| {
        evidence::add_evidence(
            s,
            &NewEvidence { task_id: t.id, number: "1/QĐ".into(), date: "2023-02-30".into(), ..Default::default() },
        )
    });
    refused(&mut s, "không tìm thấy tệp", |s| {
        evidence::add_evidence(
            s,
            &NewEvidence {
                task_id: t.id,
                number: "1/QĐ".into(),
                date: "2023-02-03".into(),
                file: Some("/khong/co.pdf".into()),
                text: None,
            },
        )
    });
    refused(&mut s, "Ngày ghi chú không hợp lệ", |s| {
        notes::add_note(s, &NewNote { task_id: t.id, text: "x".into(), date: Some("2023-13-01".into()), author: None })
    });
    refused(&mut s, "cần ghi lý do", |s| {
        notes::set_task_status_with_note(s, t.id, TaskStatus::CannotDo, None, None)
    });
    kehoach_core::delete_task(&mut s, t.id).unwrap();
    refused(&mut s, "đã bị xóa", |s| notes::set_task_status_with_note(s, t.id, TaskStatus::Done, None, None));
    refused(&mut s, "đã bị xóa", |s| {
        notes::add_note(s, &NewNote { task_id: t.id, text: "x".into(), ..Default::default() })
    });
}

#[test]
fn checklists_from_the_catalogue_and_ticking() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let cats = checklists::catalogues();
    assert_eq!(checklists::catalogue("services").unwrap().items.len(), 25);
    assert_eq!(checklists::catalogue("seven_ways").unwrap().items.len(), 7);
    assert_eq!(cats.len(), 3);
    let cl = checklists::attach_catalogue(&mut s, p, "services").unwrap();
    assert_eq!(cl.item_count, 25);
    assert!(cl.items.iter().any(|i| i.text == "Đăng ký khai sinh" && i.level.is_some()));
    refused(&mut s, "đã có danh mục", |s| checklists::attach_catalogue(s, p, "services"));
    refused(&mut s, "không có danh mục mẫu", |s| checklists::attach_catalogue(s, p, "khong_co"));
    checklists::attach_catalogue(&mut s, p, "working_group").unwrap();
    let item = cl.items[0].id;
    let ticked = checklists::tick_item(&mut s, item, true, Some("2023-05-04"), Some("Công văn 12/CV-CA")).unwrap();
    assert!(ticked.done);
    assert_eq!(ticked.done_date.as_deref(), Some("2023-05-04"));
    refused(&mut s, "Ngày hoàn thành không hợp lệ", |s| {
        checklists::tick_item(s, item, true, Some("2023-02-29"), None)
    });
    let lists = checklists::checklists(&s, Some(p)).unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists.iter().map(|l| l.done_count).sum::<u32>(), 1);
    let un = checklists::tick_item(&mut s, item, false, None, None).unwrap();
    assert!(!un.done && un.done_date.is_none());
    let own = checklists::add_checklist(&mut s, p, "Phụ lục II", &["Mục một".into(), "Mục hai".into()]).unwrap();
    assert_eq!(own.item_count, 2);
}

#[test]
fn targets_and_their_figures() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let t = targets::add_target(
        &mut s,
        &NewTarget {
            plan_id: p,
            text: "Tài khoản VNeID mức 2".into(),
            value: 1500.0,
            unit: "tài khoản".into(),
            period: Some("2023".into()),
            kind: None,
        },
    )
    .unwrap();
    targets::record_target_value(&mut s, t.id, "2023-05", 600.0).unwrap();
    targets::record_target_value(&mut s, t.id, "2023-04", 300.0).unwrap();
    let t2 = targets::record_target_value(&mut s, t.id, "2023-05", 750.0).unwrap();
    assert_eq!(t2.values.len(), 2, "one figure per period");
    assert_eq!(t2.latest.as_ref().unwrap().value, 750.0);
    assert_eq!(t2.progress, Some(50.0));
    refused(&mut s, "không được âm", |s| targets::record_target_value(s, t.id, "2023-06", -5.0));
    refused(&mut s, "kỳ báo cáo không hợp lệ", |s| targets::record_target_value(s, t.id, "2023-13", 5.0));
    refused(&mut s, "không được âm", |s| {
        targets::add_target(
            s,
            &NewTarget { plan_id: p, text: "x".into(), value: -1.0, unit: "hồ sơ".into(), period: None, kind: None },
        )
    });
    refused(&mut s, "không được vượt quá 100", |s| {
        targets::add_target(
            s,
            &NewTarget { plan_id: p, text: "x".into(), value: 120.0, unit: "%".into(), period: None, kind: None },
        )
    });
    assert_eq!(targets::parse_number("1,5").unwrap(), 1.5);
    assert_eq!(targets::parse_number("1.500.000").unwrap(), 1_500_000.0);
    assert_eq!(targets::parse_number("1.500,5").unwrap(), 1500.5);
    assert_eq!(targets::parse_number("1.500").unwrap(), 1500.0);
    assert_eq!(targets::parse_number("1.5").unwrap(), 1.5);
    assert_eq!(targets::parse_number("-3").unwrap(), -3.0);
    assert!(targets::parse_number("mười").is_err());
}

#[test]
fn units_aliases_and_merging() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let a = task(&mut s, p, "Việc A", DueKind::None, &["Công an xã"]);
    let b = task(&mut s, p, "Việc B", DueKind::None, &["Công an xã Chư Răng"]);
    assert_eq!(units::unit_directory(&s).unwrap().len(), 2);
    units::add_unit_alias(&mut s, "cong an xa", "CA xã").unwrap();
    refused(&mut s, "không có đơn vị tên", |s| units::add_unit_alias(s, "Đội Dân phòng", "DP"));
    refused(&mut s, "đơn vị khác", |s| units::add_unit_alias(s, "CA xã", "Công an xã Chư Răng"));
    let kept = units::merge_units(&mut s, "Công an xã Chư Răng", "CA xã").unwrap();
    assert_eq!(kept.name, "Công an xã");
    assert!(kept.aliases.contains(&"Công an xã Chư Răng".to_string()));
    let dir = units::unit_directory(&s).unwrap();
    assert_eq!(dir.len(), 1);
    assert_eq!(dir[0].task_count, 2);
    for name in ["Công an xã", "CA xã", "công an xã chư răng"] {
        let ts = queries::list_tasks(&s, &TaskFilter { unit: Some(name.into()), ..Default::default() }).unwrap();
        assert_eq!(ts.len(), 2, "{name}");
    }
    assert_eq!(queries::task(&s, b.id).unwrap().lead, vec!["Công an xã"]);
    let _ = a;
    refused(&mut s, "cùng một đơn vị", |s| units::merge_units(s, "CA xã", "Công an xã"));
    refused(&mut s, "không có đơn vị tên", |s| units::merge_units(s, "Không có", "CA xã"));
}

#[test]
fn dashboard_groups_and_search() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let k = task(
        &mut s,
        p,
        "Đăng ký khai sinh trực tuyến cho trẻ em",
        DueKind::Month { year: 2023, month: 5 },
        &["Tư pháp – Hộ tịch"],
    );
    let v = task(
        &mut s,
        p,
        "Hướng dẫn công dân kích hoạt tài khoản VNeID",
        DueKind::Month { year: 2023, month: 6 },
        &["Công an xã"],
    );
    let o = task(&mut s, p, "Tuyên truyền trên loa truyền thanh", DueKind::Month { year: 2023, month: 4 }, &[]);
    notes::set_task_status_with_note(&mut s, v.id, TaskStatus::Done, None, None).unwrap();
    groups::set_task_group(&mut s, o.id, Some("kinh_te_xa_hoi")).unwrap();
    refused(&mut s, "nhóm không hợp lệ", |s| groups::set_task_group(s, o.id, Some("nhom_la")));
    targets::add_target(
        &mut s,
        &NewTarget { plan_id: p, text: "CCCD".into(), value: 100.0, unit: "%".into(), period: None, kind: None },
    )
    .unwrap();
    let d = dashboard::dashboard(&s, Some("2023-05-15")).unwrap();
    let g = |k: &str| d.groups.iter().find(|g| g.key == k).unwrap().clone();
    assert_eq!(d.groups.len(), 6);
    assert_eq!(g("dich_vu_cong").total, 1);
    assert_eq!(g("cong_dan_so").done, 1);
    assert_eq!(g("cong_dan_so").percent, 100.0);
    assert_eq!(g("kinh_te_xa_hoi").overdue, 1, "the override wins");
    assert_eq!(d.overdue.len(), 1);
    assert_eq!(d.due_this_month.iter().map(|t| t.id).collect::<Vec<_>>(), vec![k.id]);
    assert_eq!(d.targets.len(), 1);
    assert_eq!(d.overview.overdue, 1);

    notes::add_note(
        &mut s,
        &NewNote { task_id: o.id, text: "Đã phát 3 buổi về Công an xã".into(), ..Default::default() },
    )
    .unwrap();
    let cl = checklists::attach_catalogue(&mut s, p, "services").unwrap();
    let hits = search::search(&s, "dang ky khai sinh", 20).unwrap();
    assert!(
        hits.iter().any(|h| h.kind == "task"
            && h.id == k.id
            && h.snippet.contains("<b>Đăng</b> <b>ký</b> <b>khai</b> <b>sinh</b>")),
        "{hits:#?}"
    );
    assert!(hits.iter().any(|h| h.kind == "checklist_item" && h.text == "Đăng ký khai sinh" && h.plan_id == Some(p)));
    let hits = search::search(&s, "cong an", 20).unwrap();
    assert!(
        hits.iter().any(|h| h.kind == "note" && h.task_id == Some(o.id) && h.snippet.contains("<b>Công</b> <b>an</b>")),
        "{hits:#?}"
    );
    assert!(search::search(&s, "   ", 20).unwrap().is_empty());
    let _ = cl;
}

/// Correcting a task and deleting what was entered by mistake: every deletion takes what
/// hangs under the record with it (gone from lists and search), bad input changes nothing, and
/// a second PC that receives the ops ends in the same state.
#[test]
fn tasks_are_corrected_and_mistakes_deleted() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let t = task(
        &mut s,
        p,
        "Rà soát dữ liệu dân cư thôn Plei Pa",
        DueKind::Month { year: 2023, month: 3 },
        &["Công an xã"],
    );
    let other = task(&mut s, p, "Tuyên truyền VNeID", DueKind::None, &["Văn hóa – Xã hội"]);

    // Edit: text, timeframe, lead unit (a new unit is created as when adding a task).
    let due = kehoach_import::parse_due("Trước ngày 30/6/2023", Some(2023));
    let edited = kehoach_core::edit_task(
        &mut s,
        t.id,
        &TaskEdit {
            text: Some("Rà soát, làm sạch dữ liệu dân cư thôn Plei Pa".into()),
            due_text: Some("Trước ngày 30/6/2023".into()),
            due: Some(due),
            lead: Some(vec!["Tư pháp – Hộ tịch".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(edited.text, "Rà soát, làm sạch dữ liệu dân cư thôn Plei Pa");
    assert_eq!(edited.deadline.as_deref(), Some("2023-06-30"));
    assert_eq!(edited.time_text.as_deref(), Some("Trước ngày 30/6/2023"));
    assert_eq!(edited.lead, vec!["Tư pháp – Hộ tịch".to_string()]);
    let hits = search::search(&s, "lam sach", 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![t.id]);
    // Only what is given changes; an empty timeframe clears the deadline.
    let cleared = kehoach_core::edit_task(&mut s, t.id, &TaskEdit { due_text: Some(" ".into()), ..Default::default() });
    let cleared = cleared.unwrap();
    assert_eq!((cleared.deadline, cleared.time_text, cleared.text), (None, None, edited.text.clone()));
    refused(&mut s, "nội dung nhiệm vụ để trống", |s| {
        kehoach_core::edit_task(s, t.id, &TaskEdit { text: Some("  ".into()), ..Default::default() })
    });
    refused(&mut s, "tên đơn vị để trống", |s| {
        kehoach_core::edit_task(
            s,
            t.id,
            &TaskEdit { text: Some("Nội dung mới".into()), lead: Some(vec!["".into()]), ..Default::default() },
        )
    });

    // Notes and evidence, one by one.
    let n1 =
        notes::add_note(&mut s, &NewNote { task_id: t.id, text: "Đã rà soát 120 hộ".into(), ..Default::default() });
    let n2 =
        notes::add_note(&mut s, &NewNote { task_id: t.id, text: "Ghi nhầm nhiệm vụ".into(), ..Default::default() });
    let (n1, n2) = (n1.unwrap(), n2.unwrap());
    let ev = evidence::add_evidence(
        &mut s,
        &NewEvidence { task_id: t.id, number: "12/BC-CA".into(), date: "2023-05-04".into(), ..Default::default() },
    )
    .unwrap();
    kehoach_core::delete_note(&mut s, n2.id).unwrap();
    assert_eq!(notes::notes(&s, t.id).unwrap().iter().map(|n| n.id).collect::<Vec<_>>(), vec![n1.id]);
    assert!(search::search(&s, "ghi nham", 10).unwrap().is_empty());
    refused(&mut s, "Không tìm thấy", |s| kehoach_core::delete_note(s, n2.id));
    kehoach_core::delete_evidence(&mut s, ev.id).unwrap();
    assert!(evidence::task_evidence(&s, t.id).unwrap().is_empty());
    refused(&mut s, "Không tìm thấy", |s| kehoach_core::delete_evidence(s, ev.id));

    // A task goes with its notes.
    kehoach_core::delete_task(&mut s, t.id).unwrap();
    assert!(search::search(&s, "da ra soat 120", 10).unwrap().is_empty());
    assert!(notes::notes(&s, t.id).unwrap().is_empty());
    refused(&mut s, "đã bị xóa", |s| kehoach_core::delete_task(s, t.id));
    refused(&mut s, "đã bị xóa", |s| {
        kehoach_core::edit_task(s, t.id, &TaskEdit { text: Some("x".into()), ..Default::default() })
    });

    // The plan's header, as misread on import: title and number corrected, the issuer cleared.
    let header = PlanEdit {
        title: Some("Kế hoạch triển khai Đề án 06 năm 2023".into()),
        number: Some("24/KH-UBND".into()),
        issuer: Some(" ".into()),
        ..Default::default()
    };
    let fixed = kehoach_core::edit_plan(&mut s, p, &header).unwrap();
    assert_eq!(
        (fixed.title.as_str(), fixed.number.as_deref(), fixed.issuer),
        ("Kế hoạch triển khai Đề án 06 năm 2023", Some("24/KH-UBND"), None)
    );
    assert_eq!(fixed.date.as_deref(), Some("2023-04-07"), "a field not given stays");
    refused(&mut s, "tên kế hoạch", |s| {
        kehoach_core::edit_plan(s, p, &PlanEdit { title: Some("".into()), ..Default::default() })
    });
    refused(&mut s, "Ngày ban hành không hợp lệ: 30/02/2023 — không có ngày này", |s| {
        kehoach_core::edit_plan(
            s,
            p,
            &PlanEdit { number: Some("25/KH".into()), date: Some("2023-02-30".into()), ..Default::default() },
        )
    });

    // A plan with a report is kept; without, it goes with everything under it.
    checklists::attach_catalogue(&mut s, p, "services").unwrap();
    let target = targets::add_target(
        &mut s,
        &NewTarget {
            plan_id: p,
            text: "Tỷ lệ kích hoạt VNeID".into(),
            value: 80.0,
            unit: "%".into(),
            period: None,
            kind: None,
        },
    )
    .unwrap();
    targets::record_target_value(&mut s, target.id, "2023-05", 61.0).unwrap();

    // A checklist and a target, one by one; the catalogue can be attached again afterwards.
    let services = checklists::checklists(&s, Some(p)).unwrap()[0].clone();
    checklists::tick_item(&mut s, services.items[0].id, true, Some("2023-05-04"), None).unwrap();
    let spare = targets::add_target(
        &mut s,
        &NewTarget {
            plan_id: p,
            text: "Chỉ tiêu nhập nhầm".into(),
            value: 5.0,
            unit: "hồ sơ".into(),
            period: None,
            kind: None,
        },
    )
    .unwrap();
    targets::record_target_value(&mut s, spare.id, "2023-05", 2.0).unwrap();
    kehoach_core::delete_checklist(&mut s, services.id).unwrap();
    kehoach_core::delete_target(&mut s, spare.id).unwrap();
    assert!(checklists::checklists(&s, Some(p)).unwrap().is_empty());
    assert!(search::search(&s, "dang ky khai sinh", 10).unwrap().is_empty(), "its items are gone from search");
    assert_eq!(targets::targets(&s, Some(p)).unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), vec![target.id]);
    refused(&mut s, "Không tìm thấy", |s| kehoach_core::delete_target(s, spare.id));
    refused(&mut s, "Không tìm thấy", |s| kehoach_core::delete_checklist(s, services.id));
    let again = checklists::attach_catalogue(&mut s, p, "services").unwrap();
    assert_eq!((again.id, again.item_count, again.done_count), (services.id, 25, 0));
    let report =
        kehoach_core::reports::draft_report(&mut s, p, &ReportPeriod::month(2023, 5), Some("2023-05-25")).unwrap();
    refused(&mut s, "đã có 1 báo cáo", |s| kehoach_core::delete_plan(s, p));
    kehoach_core::reports::delete_report(&mut s, report.id).unwrap();
    let mut b = Store::open_in_memory().unwrap();
    b.apply_ops(&s.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect::<Vec<_>>()).unwrap();
    kehoach_core::delete_plan(&mut s, p).unwrap();
    assert!(queries::list_plans(&s).unwrap().is_empty());
    assert!(checklists::checklists(&s, None).unwrap().is_empty());
    assert!(targets::targets(&s, None).unwrap().is_empty());
    assert!(search::search(&s, "vneid", 10).unwrap().is_empty(), "tasks and checklist items are gone from search");
    assert!(matches!(queries::task(&s, other.id), Err(CoreError::NotFound { .. })));
    for table in [
        "sections",
        "tasks",
        "task_units",
        "notes",
        "evidence",
        "checklists",
        "checklist_items",
        "targets",
        "target_values",
    ] {
        // The projected tables, read beside the store as any SQLite tool would: no public
        // query lists a deleted plan's rows, which is the point.
        let n: i64 = rusqlite::Connection::open(s.path().unwrap())
            .unwrap()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table} keeps rows of the deleted plan");
    }
    refused(&mut s, "Không tìm thấy", |s| kehoach_core::delete_plan(s, p));
    // The other PC gets the same by sync.
    b.apply_ops(&s.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect::<Vec<_>>()).unwrap();
    assert_eq!(b.dump_json().unwrap(), s.dump_json().unwrap());
    assert!(queries::list_plans(&b).unwrap().is_empty());
}

/// The task's history lists each change with its PC; after a concurrent edit of the status on
/// two PCs both values are there, and exactly one stands.
#[test]
fn a_tasks_history_shows_every_change_and_which_pc_made_it() {
    let (_dir, mut office) = store();
    let p = plan(&mut office);
    let t = task(&mut office, p.id, "Rà soát dữ liệu dân cư", DueKind::None, &["Công an xã"]);
    kehoach_core::set_task_status(&mut office, t.id, TaskStatus::InProgress, None).unwrap();

    let mut police = Store::open_in_memory().unwrap();
    let all: Vec<_> = office.ops_since(0).unwrap().into_iter().map(|(_, op)| op).collect();
    police.apply_ops(&all).unwrap();
    // The police PC names its user; the office's own PC has none.
    let hung = PcUser { name: " Nguyễn Văn Hùng ".into(), unit: Some("Công an xã".into()) };
    assert_eq!(kehoach_core::pc_users::set_pc_user(&mut police, &hung).unwrap().name, "Nguyễn Văn Hùng");
    let nobody = PcUser { name: "  ".into(), unit: None };
    let e = kehoach_core::pc_users::set_pc_user(&mut police, &nobody).unwrap_err();
    assert!(e.to_string().contains("chưa nhập họ tên"), "{e}");
    kehoach_core::set_task_status(&mut police, t.id, TaskStatus::CannotDo, Some("Chưa có máy đọc thẻ")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    kehoach_core::set_task_status(&mut office, t.id, TaskStatus::Done, None).unwrap();
    let from_police: Vec<_> = police.ops_since(0).unwrap().into_iter().map(|(_, op)| op).collect();
    office.apply_ops(&from_police).unwrap();

    let h = dashboard::task_detail(&office, t.id, None).unwrap().history;
    let line = |e: &HistoryEntry| format!("{}: {}", e.label, e.value);
    let lines: Vec<String> = h.iter().map(line).collect();
    assert!(lines.contains(&"Nội dung: Rà soát dữ liệu dân cư".to_string()), "{lines:?}");
    assert!(lines.contains(&"Chủ trì: Công an xã".to_string()), "{lines:?}");
    let statuses: Vec<(&str, bool, bool)> =
        h.iter().filter(|e| e.field == "status").map(|e| (e.value.as_str(), e.this_pc, e.current)).collect();
    assert_eq!(
        statuses,
        [
            ("Chưa thực hiện", true, false),
            ("Đang thực hiện", true, false),
            ("Không thực hiện được", false, false),
            ("Hoàn thành", true, true)
        ],
        "oldest first; the later edit stands"
    );
    assert!(lines.contains(&"Lý do: Chưa có máy đọc thẻ".to_string()), "{lines:?}");
    let by: Vec<Option<&str>> = h.iter().filter(|e| e.field == "status").map(|e| e.by.as_deref()).collect();
    assert_eq!(by, [None, None, Some("Nguyễn Văn Hùng (Công an xã)"), None], "the police PC's user came by sync");
    assert_eq!(kehoach_core::pc_users::this_pc_user(&office).unwrap(), None);
    assert!(h.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    assert!(h.iter().all(|e| e.at.starts_with(&chrono::Utc::now().format("%Y-").to_string())));
    // A write that shows nothing new (the reason cleared when there was none) is not listed.
    let reasons: Vec<&str> = h.iter().filter(|e| e.field == "status_reason").map(|e| e.value.as_str()).collect();
    assert_eq!(reasons, ["Chưa có máy đọc thẻ", "—"], "{lines:?}");
    // Bookkeeping fields (plan, position, the parsed due date) are not listed.
    assert!(h.iter().all(|e| !["plan_id", "pos", "due"].contains(&e.field.as_str())));
}

#[test]
fn ticked_tasks_change_status_together_or_not_at_all() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let a = task(&mut s, p, "Cấp thẻ căn cước", DueKind::Month { year: 2023, month: 5 }, &["Công an xã"]);
    let b = task(&mut s, p, "Kích hoạt VNeID", DueKind::Month { year: 2023, month: 6 }, &["Công an xã"]);
    let c = task(&mut s, p, "Tuyên truyền", DueKind::Month { year: 2023, month: 7 }, &[]);
    let ops = s.op_count().unwrap();
    let changed = kehoach_core::set_tasks_status(&mut s, &[a.id, b.id], TaskStatus::InProgress, None).unwrap();
    assert_eq!(changed.iter().map(|t| t.status).collect::<Vec<_>>(), vec![TaskStatus::InProgress; 2]);
    assert_eq!(s.op_count().unwrap(), ops + 4, "status and reason of each task, through the op log");
    assert_eq!(queries::task(&s, c.id).unwrap().status, TaskStatus::NotStarted, "an unticked task is left alone");

    refused(&mut s, "chưa chọn nhiệm vụ", |s| kehoach_core::set_tasks_status(s, &[], TaskStatus::Done, None));
    refused(&mut s, "cần ghi lý do", |s| {
        kehoach_core::set_tasks_status(s, &[a.id, c.id], TaskStatus::CannotDo, Some("  "))
    });
    // One task deleted meanwhile (on another PC): none of the ticked ones changes.
    kehoach_core::delete_task(&mut s, c.id).unwrap();
    refused(&mut s, "đã bị xóa", |s| kehoach_core::set_tasks_status(s, &[a.id, c.id], TaskStatus::Done, None));
    refused(&mut s, "nhiệm vụ", |s| {
        kehoach_core::set_tasks_status(s, &[a.id, Uuid::now_v7()], TaskStatus::Done, None)
    });
    assert_eq!(queries::task(&s, a.id).unwrap().status, TaskStatus::InProgress);

    let reason = Some("Chưa có máy đọc thẻ");
    let cannot = kehoach_core::set_tasks_status(&mut s, &[a.id, b.id], TaskStatus::CannotDo, reason).unwrap();
    assert!(cannot.iter().all(|t| t.status_reason.as_deref() == reason));
}

#[test]
fn a_plan_carries_each_tasks_newest_note() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let a = task(&mut s, p, "Cấp thẻ căn cước", DueKind::Month { year: 2023, month: 5 }, &[]);
    let b = task(&mut s, p, "Kích hoạt VNeID", DueKind::Month { year: 2023, month: 6 }, &[]);
    let note = |s: &mut Store, t: Uuid, date: &str, text: &str| {
        notes::add_note(s, &NewNote { task_id: t, text: text.into(), author: None, date: Some(date.into()) }).unwrap()
    };
    note(&mut s, a.id, "2023-05-02", "Đã thu 50 hồ sơ");
    note(&mut s, a.id, "2023-05-20", "Đã thu 120 hồ sơ");
    note(&mut s, a.id, "2023-05-10", "Đã thu 80 hồ sơ");
    let other = plan(&mut s).id;
    let elsewhere = task(&mut s, other, "Ở kế hoạch khác", DueKind::Month { year: 2023, month: 6 }, &[]);
    note(&mut s, elsewhere.id, "2023-06-01", "Không thuộc kế hoạch này");
    let d = queries::plan_detail(&s, p).unwrap();
    assert_eq!(d.last_notes.len(), 1, "{:?}", d.last_notes);
    assert_eq!((d.last_notes[0].task_id, d.last_notes[0].text.as_str()), (a.id, "Đã thu 120 hồ sơ"));
    assert!(d.last_notes.iter().all(|n| n.task_id != b.id));
}

#[test]
fn group_bars_split_tasks_into_parts_that_do_not_overlap() {
    let (_d, mut s) = store();
    let p = plan(&mut s).id;
    let t = |s: &mut Store, text: &str, month: u32| {
        let t = task(s, p, text, DueKind::Month { year: 2023, month }, &[]);
        groups::set_task_group(s, t.id, Some("cong_dan_so")).unwrap();
        t.id
    };
    let done = t(&mut s, "Xong", 4);
    let late_started = t(&mut s, "Trễ, đang làm", 4);
    let _late = t(&mut s, "Trễ, chưa làm", 4);
    let on_time = t(&mut s, "Đang làm, còn hạn", 8);
    let _waiting = t(&mut s, "Chưa đến hạn", 8);
    let cannot = t(&mut s, "Không làm được", 4);
    kehoach_core::set_task_status(&mut s, done, TaskStatus::Done, None).unwrap();
    kehoach_core::set_tasks_status(&mut s, &[late_started, on_time], TaskStatus::InProgress, None).unwrap();
    kehoach_core::set_task_status(&mut s, cannot, TaskStatus::CannotDo, Some("Thiếu kinh phí")).unwrap();
    let g = groups_of(&s, "2023-05-15");
    assert_eq!((g.total, g.done, g.in_progress_on_time, g.overdue, g.not_yet_due, g.cannot_do), (6, 1, 1, 2, 1, 1));
    assert_eq!(g.done + g.in_progress_on_time + g.overdue + g.not_yet_due + g.cannot_do, g.total);
}

fn groups_of(s: &Store, day: &str) -> GroupProgress {
    dashboard::group_progress(s, Some(day)).unwrap().into_iter().find(|g| g.key == "cong_dan_so").unwrap()
}
