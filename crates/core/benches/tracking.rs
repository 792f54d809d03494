//! Dashboard and search over big stores (issue 4): the dashboard's queries with 10,000 tasks,
//! search with 50,000. Data is made through `Store::commit`, like every real write.
//!
//! `CARGO_TARGET_DIR=/work/target-track cargo bench -p kehoach-core --bench tracking`

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use kehoach_core::tracking::{checklists, dashboard, schedule, search};
use kehoach_core::{Change, Kind, Store};
use kehoach_model::{DocHeader, ImportedPlan, ReportingRule, TaskStatus};
use serde_json::json;
use uuid::Uuid;

const SECTIONS: &[&str] = &[
    "1. Nhóm tiện ích phục vụ giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến",
    "2. Nhóm tiện ích phục vụ phát triển kinh tế, xã hội",
    "3. Nhóm tiện ích phục vụ phát triển công dân số",
    "4. Hoàn thiện hệ sinh thái phục vụ kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư",
    "5. Phục vụ chỉ đạo, điều hành của lãnh đạo các cấp",
    "6. Nhiệm vụ chung",
];
const VERBS: &[&str] =
    &["Triển khai", "Hướng dẫn", "Rà soát", "Tuyên truyền", "Đôn đốc", "Kiểm tra", "Tổ chức", "Cập nhật"];
const OBJECTS: &[&str] = &[
    "đăng ký khai sinh trực tuyến cho trẻ em dưới 6 tuổi",
    "kích hoạt tài khoản định danh điện tử VNeID mức độ 2",
    "thu nhận hồ sơ cấp thẻ Căn cước công dân gắn chíp",
    "làm sạch dữ liệu dân cư theo tiêu chí đúng, đủ, sạch, sống",
    "chi trả an sinh xã hội không dùng tiền mặt",
    "đăng ký thường trú, tạm trú trên Cổng dịch vụ công",
    "khám chữa bệnh bằng thẻ Căn cước công dân thay thẻ bảo hiểm y tế",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "bảo đảm an ninh, an toàn thông tin tại Bộ phận một cửa",
    "thông báo lưu trú qua ứng dụng VNeID",
];
const PLACES: &[&str] =
    &["thôn Plei Pa", "thôn Bi Giông", "làng Chư Răng", "trường Tiểu học", "trạm y tế xã", "UBND xã"];
const UNITS: &[&str] =
    &["Công an xã", "Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Bộ phận một cửa", "Trạm Y tế"];

/// A store with `n` tasks in 10 plans, with units, statuses, deadlines, notes on one task in
/// ten, a checklist and targets — built in one commit per plan.
fn build(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("bench.sqlite3")).unwrap();
    let unit_ids: Vec<Uuid> = UNITS.iter().map(|_| Uuid::now_v7()).collect();
    let mut changes: Vec<Change> = Vec::new();
    for (u, name) in unit_ids.iter().zip(UNITS) {
        changes.push(Change::new(Kind::Unit, *u, "name", *name));
    }
    s.commit(std::mem::take(&mut changes)).unwrap();
    let plans = 10;
    for p in 0..plans {
        let plan = kehoach_core::import_plan(
            &mut s,
            &ImportedPlan {
                doc: DocHeader {
                    title: Some(format!("Kế hoạch Đề án 06 số {p}")),
                    date: Some("2023-01-05".into()),
                    ..Default::default()
                },
                reporting: vec![ReportingRule {
                    day_of_month: Some(12 + p as u32 % 10),
                    text: "trước ngày 12 hàng tháng".into(),
                    ..Default::default()
                }],
                tasks: vec![kehoach_model::ImportedTask {
                    text: "Nhiệm vụ mở đầu".into(), ..Default::default()
                }],
                ..Default::default()
            },
        )
        .unwrap();
        checklists::attach_catalogue(&mut s, plan.id, "services").unwrap();
        for k in 0..n / plans {
            let i = p * (n / plans) + k;
            let id = Uuid::now_v7();
            let text = format!(
                "{} {} tại {} (đợt {})",
                VERBS[i % VERBS.len()],
                OBJECTS[(i / 3) % OBJECTS.len()],
                PLACES[(i / 7) % PLACES.len()],
                i
            );
            let month = 1 + (i % 12) as u32;
            let status = [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done, TaskStatus::Done][i % 4];
            let c = |f: &str, v: serde_json::Value| Change::new(Kind::Task, id, f, v);
            changes.extend([
                c("plan_id", plan.id.to_string().into()),
                c("section", SECTIONS[i % SECTIONS.len()].into()),
                c("text", text.into()),
                c("lead", json!([unit_ids[i % unit_ids.len()].to_string()])),
                c("due", json!({"kind": "month", "year": 2023, "month": month})),
                c("status", status.as_str().into()),
                c("pos", (k as i64 + 2).into()),
            ]);
            if i.is_multiple_of(10) {
                let nid = Uuid::now_v7();
                changes.extend([
                    Change::new(Kind::Note, nid, "task_id", id.to_string()),
                    Change::new(Kind::Note, nid, "date", "2023-05-03"),
                    Change::new(
                        Kind::Note,
                        nid,
                        "text",
                        format!("Công an xã đã phối hợp {}", PLACES[i % PLACES.len()]),
                    ),
                ]);
            }
        }
        for t in 0..5 {
            let tid = Uuid::now_v7();
            changes.extend([
                Change::new(Kind::Target, tid, "plan_id", plan.id.to_string()),
                Change::new(Kind::Target, tid, "text", format!("Chỉ tiêu {t}")),
                Change::new(Kind::Target, tid, "value", 100.0),
                Change::new(Kind::Target, tid, "unit", "%"),
            ]);
            for m in 1..=6 {
                let vid = Uuid::now_v7();
                changes.extend([
                    Change::new(Kind::TargetValue, vid, "target_id", tid.to_string()),
                    Change::new(Kind::TargetValue, vid, "period", format!("2023-{m:02}")),
                    Change::new(Kind::TargetValue, vid, "value", 10.0 * m as f64),
                ]);
            }
        }
        s.commit(std::mem::take(&mut changes)).unwrap();
    }
    (dir, s)
}

fn dashboard_10k(c: &mut Criterion) {
    let t0 = Instant::now();
    let (_dir, s) = build(10_000);
    eprintln!("built 10,000 tasks in {:.1} s", t0.elapsed().as_secs_f64());
    let mut g = c.benchmark_group("dashboard_10k_tasks");
    g.sample_size(30);
    g.bench_function("dashboard (all of it)", |b| b.iter(|| dashboard::dashboard(&s, Some("2023-06-15")).unwrap()));
    g.bench_function("group_progress", |b| b.iter(|| dashboard::group_progress(&s, Some("2023-06-15")).unwrap()));
    g.bench_function("overdue_tasks (first 50)", |b| {
        b.iter(|| schedule::overdue_tasks(&s, Some("2023-06-15"), Some(50)).unwrap())
    });
    g.bench_function("due_this_month (first 50)", |b| {
        b.iter(|| schedule::due_this_month(&s, Some("2023-06-15"), Some(50)).unwrap())
    });
    g.bench_function("next_report_deadline", |b| {
        b.iter(|| schedule::next_report_deadline(&s, Some("2023-06-15")).unwrap())
    });
    g.bench_function("overview counts", |b| {
        b.iter(|| kehoach_core::queries::overview(&s, Some("2023-06-15")).unwrap())
    });
    g.finish();
}

fn search_50k(c: &mut Criterion) {
    let t0 = Instant::now();
    let (_dir, s) = build(50_000);
    eprintln!("built 50,000 tasks in {:.1} s", t0.elapsed().as_secs_f64());
    let mut g = c.benchmark_group("search_50k_tasks");
    g.sample_size(30);
    for q in ["dang ky khai sinh", "cong an", "vneid muc do 2", "thon plei pa", "dot 4999"] {
        g.bench_function(format!("search {q:?} (50 hits)"), |b| b.iter(|| search::search(&s, q, 50).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, dashboard_10k, search_50k);
criterion_main!(benches);
