//! Report drafts composed from a real plan, their versions, and the reporting schedule.

use kehoach_core::{queries, reports, Change, Kind, Store};
use kehoach_model::{ReportStatus, ScheduleState, Settings, TaskFilter, TaskStatus};
use uuid::Uuid;

const PLAN: &str = include_str!("../../../tests/fixtures/plans/xa-chu-rang-2023.txt");

fn settings() -> Settings {
    Settings {
        commune: Some("UBND xã Chư Răng".into()),
        parent: Some("UBND huyện Ia Pa".into()),
        place: Some("Chư Răng".into()),
        signer: Some("Ksor Y Phương".into()),
        signer_title: Some("Chủ tịch".into()),
        level: None,
    }
}

/// The Chư Răng plan of 2023 with a few tasks done, in progress, and one that cannot be done.
fn store_with_plan(with_settings: bool) -> (Store, Uuid) {
    let mut store = Store::open_in_memory().unwrap();
    if with_settings {
        kehoach_core::save_settings(&mut store, &settings()).unwrap();
    }
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(PLAN)).unwrap();
    let tasks = queries::list_tasks(&store, &TaskFilter { plan_id: Some(plan.id), ..Default::default() }).unwrap();
    for (i, t) in tasks.iter().enumerate() {
        match i % 4 {
            0 => kehoach_core::set_task_status(&mut store, t.id, TaskStatus::Done, None).unwrap(),
            1 => kehoach_core::set_task_status(&mut store, t.id, TaskStatus::InProgress, None).unwrap(),
            _ => t.clone(),
        };
    }
    kehoach_core::set_task_status(&mut store, tasks[2].id, TaskStatus::CannotDo, Some("Chưa có kinh phí")).unwrap();
    (store, plan.id)
}

#[test]
fn a_monthly_draft_has_the_usual_parts_from_the_plan() {
    let (store, plan_id) = store_with_plan(true);
    let period = reports::parse_period("2023-03").unwrap();
    let d = reports::compose_report(&store, plan_id, &period, Some("2023-04-07")).unwrap();
    let c = &d.content;
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    assert_eq!(c.header.parent_body, "UBND huyện Ia Pa");
    assert_eq!(c.header.issuing_body, "Ủy ban nhân dân\nxã Chư Răng");
    assert!(c.header.number.ends_with("/BC-UBND"));
    assert_eq!(c.header.date, "2023-04-07");
    assert_eq!(c.title, "Kết quả thực hiện Đề án 06 tháng 3 năm 2023");
    assert!(c.intro.starts_with("Thực hiện Kế hoạch số 24/KH-UBND ngày 07/4/2023 của UBND xã Chư Răng"), "{}", c.intro);
    let keys: Vec<&str> = c.parts.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["i", "ii", "iii", "iv", "v"]);
    assert_eq!(c.parts[0].heading, "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI");
    assert_eq!(c.parts[3].heading, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 4 NĂM 2023");
    // Part I takes the direction and communication sections; Part II one section per group.
    assert!(c.parts[0].text.contains("Kế hoạch số 24/KH-UBND"));
    let groups: Vec<&str> = c.parts[1].sections.iter().map(|s| s.heading.as_str()).collect();
    assert!(groups.contains(&"1. Hoàn thiện chính sách pháp luật về phát triển, cung cấp ứng dụng, dịch vụ số liên quan đến thông tin dân cư, phát triển ứng dụng khoa học công nghệ"), "{groups:?}");
    assert!(groups.iter().any(|g| g.ends_with("Phát triển công dân số")), "{groups:?}");
    assert!(groups.iter().all(|g| !g.contains("tuyên truyền")), "{groups:?}");
    let ii: String = c.parts[1].sections.iter().map(|s| s.text.clone()).collect::<Vec<_>>().join("\n");
    assert!(ii.contains("Các nhiệm vụ đã hoàn thành:"), "{ii}");
    assert!(ii.contains("Các nhiệm vụ đang thực hiện:"), "{ii}");
    assert!(ii.contains("Các nhiệm vụ chậm tiến độ:"), "{ii}");
    // The targets of the plan, without figures yet.
    assert!(ii.contains("chỉ tiêu 20%; chưa cập nhật số liệu."), "{ii}");
    // Part III names what is late and what cannot be done, with its reason.
    assert!(c.parts[2].text.contains("nhiệm vụ chậm tiến độ so với kế hoạch"));
    assert!(c.parts[2].text.contains("Chưa có kinh phí"));
    // The appendix lists every task of the plan with its standing.
    let plan = queries::plan(&store, plan_id).unwrap();
    assert_eq!(c.appendix.rows.len() as u32, plan.task_count);
    assert!(c.appendix.rows.iter().any(|r| r.result.starts_with("Chậm tiến độ (hạn ")));
    assert!(c.appendix.rows.iter().any(|r| r.result == "Hoàn thành"));
    assert!(c.appendix.rows.iter().any(|r| r.result == "Không thực hiện được: Chưa có kinh phí"));
    assert_eq!(c.recipients.last().unwrap(), "Lưu: VT.");
    assert!(c.recipients.iter().any(|r| r.starts_with("Công an huyện")), "{:?}", c.recipients);
    assert!(c.recipients.contains(&"UBND huyện Ia Pa (b/c)".to_string()));
    assert_eq!(c.signature.authority, "TM. Ủy ban nhân dân");
    assert_eq!(c.signature.name, "Ksor Y Phương");
    assert!(c.closing.ends_with("của Ủy ban nhân dân xã Chư Răng./."));
}

#[test]
fn latest_target_figure_of_the_period_is_reported() {
    let (mut store, plan_id) = store_with_plan(true);
    let target: String = kehoach_core::tracking::targets::targets(&store, Some(plan_id))
        .unwrap()
        .into_iter()
        .find(|t| t.value == Some(20.0))
        .unwrap()
        .id
        .to_string();
    for (period, value) in [("2023-02", 5.0), ("2023-03", 12.5), ("2023-04", 30.0)] {
        let id = Uuid::now_v7();
        store
            .commit(vec![
                Change::new(Kind::TargetValue, id, "target_id", target.clone()),
                Change::new(Kind::TargetValue, id, "period", period),
                Change::new(Kind::TargetValue, id, "value", value),
            ])
            .unwrap();
    }
    let d = reports::compose_report(&store, plan_id, &reports::parse_period("2023-03").unwrap(), Some("2023-04-07"))
        .unwrap();
    let ii: String = d.content.parts[1].sections.iter().map(|s| s.text.clone()).collect();
    assert!(ii.contains("chỉ tiêu 20%; kết quả 12,5% (số liệu kỳ 2023-03)."), "{ii}");
}

#[test]
fn missing_settings_are_named_in_the_draft() {
    let (mut store, plan_id) = store_with_plan(false);
    let d = reports::draft_report(&mut store, plan_id, &reports::parse_period("2023-Q1").unwrap(), Some("2023-04-07"))
        .unwrap();
    for m in ["tên cơ quan ban hành", "địa danh", "họ tên người ký"] {
        assert!(d.missing.contains(&m.to_string()), "{:?}", d.missing);
    }
    assert_eq!(d.content.title, "Kết quả thực hiện Đề án 06 quý I năm 2023");
    let e = reports::issue_by_hand(&mut store, d.id, &hand("7/BC-UBND"), now()).unwrap_err().to_string();
    assert!(e.contains("Chưa có: ") && e.contains("họ tên người ký") && e.contains("địa danh"), "{e}");
}

#[test]
fn saves_make_versions_and_keep_the_earlier_parts() {
    let (mut store, plan_id) = store_with_plan(true);
    let period = reports::parse_period("2023-03").unwrap();
    let d = reports::draft_report(&mut store, plan_id, &period, Some("2023-04-07")).unwrap();
    assert_eq!((d.version, d.status), (1, ReportStatus::Draft));
    // Drafting the same plan and period again gives the saved report back.
    assert_eq!(reports::draft_report(&mut store, plan_id, &period, None).unwrap().id, d.id);

    let first_iii = d.content.parts[2].text.clone();
    let mut c = d.content.clone();
    c.parts[2].text = "Đường truyền Internet tại một số làng không ổn định.".into();
    c.header.number = "24/BC-UBND".into();
    let d2 = reports::save_report(&mut store, d.id, &c).unwrap();
    assert_eq!(d2.version, 2);
    assert_eq!(d2.content.parts[2].text, "Đường truyền Internet tại một số làng không ổn định.");
    // Saving the same content again is no new version.
    assert_eq!(reports::save_report(&mut store, d.id, &c).unwrap().version, 2);

    let issued = reports::issue_by_hand(&mut store, d.id, &reports::HandIssue::default(), now()).unwrap();
    assert_eq!(issued.status, ReportStatus::Issued);
    c.parts[4].text = "Đề nghị bố trí kinh phí.".into();
    let d3 = reports::save_report(&mut store, d.id, &c).unwrap();
    assert_eq!((d3.version, d3.status), (3, ReportStatus::Draft));

    let versions = reports::report_versions(&store, d.id).unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(versions[0].content.parts[2].text, first_iii);
    assert_eq!(versions[1].content.header.number, "24/BC-UBND");

    // The versions travel with the ops: another PC sees the same history.
    let mut other = Store::open_in_memory().unwrap();
    let ops: Vec<_> = store.ops_since(0).unwrap().into_iter().map(|(_, op)| op).collect();
    other.apply_ops(&ops).unwrap();
    assert_eq!(reports::report(&other, d.id).unwrap(), reports::report(&store, d.id).unwrap());
    let theirs: Vec<u32> = reports::report_versions(&other, d.id).unwrap().iter().map(|v| v.version).collect();
    assert_eq!(theirs, [1, 2, 3]);

    let list = reports::list_reports(&store, Some(plan_id)).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].version, list[0].number.as_str()), (3, "24/BC-UBND"));
    reports::delete_report(&mut store, d.id).unwrap();
    assert!(reports::report(&store, d.id).is_err());
}

#[test]
fn schedule_shows_late_and_upcoming_reports() {
    let (mut store, plan_id) = store_with_plan(true);
    // The plan (7 April 2023) asks for a monthly report before the 12th.
    let s = reports::report_schedule(&store, Some("2023-05-20")).unwrap();
    let mine: Vec<_> = s.iter().filter(|e| e.plan_id == plan_id).collect();
    let codes: Vec<(&str, ScheduleState, &str)> =
        mine.iter().map(|e| (e.period_code.as_str(), e.state, e.due.as_str())).collect();
    assert_eq!(
        codes,
        [("2023-04", ScheduleState::Late, "2023-05-12"), ("2023-05", ScheduleState::Upcoming, "2023-06-12")]
    );
    assert_eq!(mine[0].days_left, -8);
    assert_eq!(mine[1].period_label, "tháng 5 năm 2023");
    assert!(mine[0].to.as_deref().unwrap().starts_with("Công an huyện"));

    // Drafted: still late, now linked to its report. Issued: off the list.
    let d = reports::draft_report(&mut store, plan_id, &reports::parse_period("2023-04").unwrap(), Some("2023-05-10"))
        .unwrap();
    let s = reports::report_schedule(&store, Some("2023-05-20")).unwrap();
    assert_eq!(s[0].report_id, Some(d.id));
    assert_eq!(s[0].state, ScheduleState::Late);
    reports::issue_by_hand(&mut store, d.id, &hand("30/BC-UBND"), now()).unwrap();
    let s = reports::report_schedule(&store, Some("2023-05-20")).unwrap();
    assert_eq!(s.iter().map(|e| e.period_code.as_str()).collect::<Vec<_>>(), ["2023-05"]);

    // Bad day asked about: a clear message.
    let e = reports::report_schedule(&store, Some("20/05/2023")).unwrap_err().to_string();
    assert!(e.contains("YYYY-MM-DD"), "{e}");
}

#[test]
fn a_signed_version_is_frozen_an_edit_makes_a_new_version_and_delete_is_refused() {
    let (mut store, plan_id) = store_with_plan(true);
    let period = reports::parse_period("2023-03").unwrap();
    let d = reports::draft_report(&mut store, plan_id, &period, Some("2023-04-07")).unwrap();
    assert!(d.signed.is_none() && !d.is_frozen());
    // What kehoach_sign::report::sign_report records through the write path.
    store
        .commit(vec![
            Change::new(Kind::Report, d.id, "signed_sha256", "ab".repeat(32)),
            Change::new(Kind::Report, d.id, "signed_version", d.version as i64),
            Change::new(Kind::Report, d.id, "signed_by", "Nguyễn Hữu Thành"),
            Change::new(Kind::Report, d.id, "signed_at", "2023-04-07T09:00:00+07:00"),
            Change::new(Kind::Report, d.id, "signed_pdf", format!("attachments/{}.pdf", "ab".repeat(32))),
        ])
        .unwrap();
    let signed = reports::report(&store, d.id).unwrap();
    assert!(signed.is_frozen());
    let copy = signed.signed.clone().unwrap();
    assert_eq!((copy.version, copy.signed_by.as_str()), (1, "Nguyễn Hữu Thành"));

    let refused = reports::delete_report(&mut store, d.id).unwrap_err().to_string();
    assert!(refused.contains("đã được ký số"), "{refused}");
    assert!(reports::report(&store, d.id).is_ok());

    // Editing the signed report: a new version that is not signed; the signed one is kept.
    let mut c = signed.content.clone();
    c.parts[2].text = "Bổ sung sau khi ký.".into();
    let edited = reports::save_report(&mut store, d.id, &c).unwrap();
    assert_eq!(edited.version, 2);
    assert!(!edited.is_frozen());
    assert_eq!(edited.signed.as_ref().unwrap().version, 1);
    let versions = reports::report_versions(&store, d.id).unwrap();
    assert_eq!(versions[0].content, signed.content);
}

#[test]
fn a_reminder_comes_the_day_before_the_deadline_once_per_pc() {
    let (store, plan_id) = store_with_plan(true);
    // The April report is due on 12 May 2023.
    assert!(reports::due_reminders(&store, Some("2023-05-10")).unwrap().is_empty());
    let r = reports::due_reminders(&store, Some("2023-05-11")).unwrap();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!((r[0].entry.plan_id, r[0].entry.period_code.as_str()), (plan_id, "2023-04"));
    assert_eq!(r[0].title, "Hạn gửi báo cáo ngày mai, 12/05/2023");
    assert!(r[0].body.starts_with("Báo cáo tháng 4 năm 2023"), "{}", r[0].body);
    assert!(r[0].body.ends_with("Chưa lập báo cáo."), "{}", r[0].body);

    // Shown once: not again that day, nor on the deadline itself.
    reports::mark_reminded(&store, &r[0]).unwrap();
    assert!(reports::due_reminders(&store, Some("2023-05-11")).unwrap().is_empty());
    assert!(reports::due_reminders(&store, Some("2023-05-12")).unwrap().is_empty());

    // A PC that was off the day before reminds on the day; an issued report is not reminded.
    let (mut other, plan_id) = store_with_plan(true);
    assert_eq!(
        reports::due_reminders(&other, Some("2023-05-12")).unwrap()[0].title,
        "Hạn gửi báo cáo hôm nay, 12/05/2023"
    );
    let d = reports::draft_report(&mut other, plan_id, &reports::parse_period("2023-04").unwrap(), Some("2023-05-11"))
        .unwrap();
    assert!(reports::due_reminders(&other, Some("2023-05-12")).unwrap()[0].body.contains("Bản nháp đã có"));
    reports::issue_by_hand(&mut other, d.id, &hand("31/BC-UBND"), now()).unwrap();
    assert!(reports::due_reminders(&other, Some("2023-05-12")).unwrap().is_empty());
    // Late reports are on the dashboard, not in notifications.
    assert!(reports::due_reminders(&store, Some("2023-05-13")).unwrap().is_empty());
}

fn hand(number: &str) -> reports::HandIssue {
    reports::HandIssue { number: Some(number.into()), ..Default::default() }
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A store on disk (scans are files kept beside it) with the plan and its April report.
fn on_disk() -> (tempfile::TempDir, Store, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kehoach.sqlite3")).unwrap();
    kehoach_core::save_settings(&mut store, &settings()).unwrap();
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(PLAN)).unwrap();
    let d = reports::draft_report(&mut store, plan.id, &reports::parse_period("2023-04").unwrap(), Some("2023-05-07"))
        .unwrap();
    (dir, store, d.id)
}

fn at(t: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(t).unwrap()
}

#[test]
fn a_report_signed_by_hand_is_issued_with_its_number_date_and_scan() {
    let (dir, mut store, id) = on_disk();
    // The plan asks for the April report before 12 May.
    assert_eq!(reports::report(&store, id).unwrap().due.as_deref(), Some("2023-05-12"));

    // Refusals change nothing.
    let before = store.dump_json().unwrap();
    let not_scan = dir.path().join("ghi-chu.txt");
    std::fs::write(&not_scan, "không phải bản quét").unwrap();
    let bad = [
        (reports::HandIssue { number: Some("abc".into()), ..Default::default() }, "không hợp lệ"),
        (reports::HandIssue::default(), "Chưa nhập số"),
        (
            reports::HandIssue {
                number: Some("24/BC-UBND".into()),
                date: Some("2023-02-30".into()),
                ..Default::default()
            },
            "Ngày báo cáo",
        ),
        (
            reports::HandIssue {
                number: Some("24/BC-UBND".into()),
                scan: Some("/khong/co/tep.pdf".into()),
                ..Default::default()
            },
            "Không tìm thấy tệp bản quét",
        ),
        (
            reports::HandIssue {
                number: Some("24/BC-UBND".into()),
                scan: Some(not_scan.display().to_string()),
                ..Default::default()
            },
            "không phải bản quét PDF hoặc ảnh",
        ),
    ];
    for (form, want) in bad {
        let e = reports::issue_by_hand(&mut store, id, &form, at("2023-05-10T09:00:00+07:00")).unwrap_err().to_string();
        assert!(e.contains(want), "{form:?}: {e}");
        assert_eq!(store.dump_json().unwrap(), before, "{form:?}");
    }

    // A scan of the signed paper (a PNG) is kept with the report, content-addressed.
    let scan = dir.path().join("ban-quet.png");
    std::fs::write(&scan, b"\x89PNG\r\n\x1a\n....image").unwrap();
    let form = reports::HandIssue {
        number: Some("24/BC-UBND".into()),
        date: Some("2023-05-10".into()),
        scan: Some(scan.display().to_string()),
    };
    let d = reports::issue_by_hand(&mut store, id, &form, at("2023-05-10T09:00:00+07:00")).unwrap();
    assert_eq!((d.status, d.version), (ReportStatus::Issued, 2));
    assert_eq!((d.content.header.number.as_str(), d.content.header.date.as_str()), ("24/BC-UBND", "2023-05-10"));
    let issued = d.issued.clone().unwrap();
    assert_eq!(issued.method, kehoach_model::IssueMethod::Hand);
    let kept = dir.path().join(issued.scan.as_deref().unwrap());
    assert_eq!(std::fs::read(kept).unwrap(), std::fs::read(&scan).unwrap());
    assert_eq!(d.late_days, Some(0));
    let list = reports::list_reports(&store, None).unwrap();
    assert_eq!(
        (list[0].status, list[0].late_days, list[0].issued_at.as_str()),
        (ReportStatus::Issued, Some(0), "2023-05-10T09:00:00+07:00")
    );
}

#[test]
fn returned_then_issued_again_accepted_locks_and_reopened_unlocks() {
    let (_dir, mut store, id) = on_disk();
    let by = "UBND huyện Ia Pa";
    // Nothing to decide on a draft; a return needs a reason; only an accepted report reopens.
    let e = reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Accepted,
        "",
        by,
        at("2023-05-13T08:00:00+07:00"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("dự thảo"), "{e}");
    let hand = reports::HandIssue { number: Some("24/BC-UBND".into()), ..Default::default() };
    // Issued three days after the due day (12 May).
    let d = reports::issue_by_hand(&mut store, id, &hand, at("2023-05-15T16:00:00+07:00")).unwrap();
    assert_eq!(d.late_days, Some(3));
    let e = reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Returned,
        "  ",
        by,
        at("2023-05-16T08:00:00+07:00"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("lý do"), "{e}");
    let e = reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Reopened,
        "",
        by,
        at("2023-05-16T08:00:00+07:00"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("đã chấp nhận"), "{e}");

    // Returned: shown with its reason; the schedule asks for it again.
    let reason = "Bổ sung số liệu tài khoản VNeID mức 2";
    let r = reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Returned,
        reason,
        by,
        at("2023-05-16T08:00:00+07:00"),
    )
    .unwrap();
    assert_eq!(r.status, ReportStatus::Returned);
    assert_eq!(r.review.as_ref().unwrap().reason, reason);
    let s = reports::report_schedule(&store, Some("2023-05-20")).unwrap();
    assert!(s.iter().any(|e| e.period_code == "2023-04" && e.state == ScheduleState::Returned), "{s:?}");
    let state = reports::period_report_state(&store, &reports::parse_period("2023-04").unwrap()).unwrap();
    assert_eq!((state.status, state.review_reason.as_deref()), (kehoach_model::RollupStatus::Returned, Some(reason)));

    // Revised (a new draft version), then issued again: still 3 days late, judged by the first issue.
    let mut c = r.content.clone();
    c.parts[1].text = format!("{} Đã bổ sung số liệu.", c.parts[1].text);
    let revised = reports::save_report(&mut store, id, &c).unwrap();
    assert_eq!((revised.status, revised.version), (ReportStatus::Draft, r.version + 1));
    let again = reports::issue_by_hand(&mut store, id, &reports::HandIssue::default(), at("2023-05-18T08:00:00+07:00"))
        .unwrap();
    assert_eq!((again.status, again.late_days), (ReportStatus::Issued, Some(3)));
    assert_eq!(again.issued.as_ref().unwrap().issued_at, "2023-05-18T08:00:00+07:00");
    let state = reports::period_report_state(&store, &reports::parse_period("2023-04").unwrap()).unwrap();
    assert_eq!(state.status, kehoach_model::RollupStatus::Late);

    // Accepted: locked, no new version; reopened: a new version can be made.
    let acc = reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Accepted,
        "",
        by,
        at("2023-05-19T08:00:00+07:00"),
    )
    .unwrap();
    assert!(acc.locked && acc.status == ReportStatus::Accepted);
    let before = store.dump_json().unwrap();
    let mut c = acc.content.clone();
    c.parts[4].text = "Sửa sau khi được chấp nhận.".into();
    let e = reports::save_report(&mut store, id, &c).unwrap_err().to_string();
    assert!(e.contains("đã được UBND huyện Ia Pa chấp nhận"), "{e}");
    assert_eq!(store.dump_json().unwrap(), before);
    reports::review_report(
        &mut store,
        id,
        kehoach_model::ReviewDecision::Reopened,
        "",
        by,
        at("2023-05-20T08:00:00+07:00"),
    )
    .unwrap();
    assert_eq!(reports::save_report(&mut store, id, &c).unwrap().status, ReportStatus::Draft);
}

#[test]
fn a_plan_under_decree_09_reports_from_the_15th_to_the_14th() {
    let (mut store, plan_id) = store_with_plan(true);
    let edit =
        kehoach_model::PlanEdit { period_cutoff: Some(kehoach_model::PeriodCutoff::Decree09), ..Default::default() };
    let plan = kehoach_core::edit_plan(&mut store, plan_id, &edit).unwrap();
    assert_eq!(plan.period_cutoff, kehoach_model::PeriodCutoff::Decree09);
    // The plan's rule is "before the 12th": the April report (15 March – 14 April) is due 12 May;
    // a rule after the 14th would fall in the month itself.
    let p = reports::parse_period("2023-04").unwrap();
    assert_eq!(reports::report_due(&store, plan_id, &p).unwrap().to_string(), "2023-05-12");
    let s = reports::report_schedule(&store, Some("2023-05-20")).unwrap();
    assert!(s.iter().any(|e| e.period_code == "2023-04" && e.due == "2023-05-12"), "{s:?}");
}
