//! One suite, run against both engines: health, push/pull between PCs of a commune, tenancy
//! (commune A never sees or writes commune B), unenrolled and forged devices get nothing,
//! idempotent pushes, convergence of PCs that mix the hub with bundles in random order, a
//! parent unit's read-only device: its roll-up, its pulls, its refused pushes, and attachment
//! files going from PC to PC with their records, under the same rules as the ops.
//!
//! The PostgreSQL run needs a server: `export KEHOACH_TEST_PG_URL=$(scripts/start-postgres.sh)`.
//! Without it the run is skipped locally, and fails when `CI` or `KEHOACH_REQUIRE_PG` is set.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use kehoach_core::record as field;
use kehoach_core::tracking::evidence::add_evidence;
use kehoach_core::{Change, Kind, Store, SETTINGS_ID};
use kehoach_hub::{api, postgres::PostgresStore, HubStore, ParentRecord};
use kehoach_model::{Due, DueKind, NewEvidence};
use kehoach_sync::hub_auth::{content_sha256, MAX_ATTACHMENT};
use kehoach_sync::{Device, HubClient, HubSyncReport, SyncError};
use serde_json::json;
use uuid::Uuid;

mod common;

use common::{Hub, Serving};

fn edit(pc: &mut Store, entity: u128, kind: Kind, field: &str, value: serde_json::Value) {
    pc.commit(vec![Change::new(kind, Uuid::from_u128(entity), field, value)]).unwrap();
}

fn refused(r: Result<impl std::fmt::Debug, SyncError>, status: u16) -> String {
    match r {
        Err(SyncError::HubRefused { status: s, message }) if s == status => message,
        other => panic!("expected refusal {status}, got {other:?}"),
    }
}

fn suite(hub: Hub) {
    assert!(hub.client().healthy(), "GET /healthz");
    let (commune_a, commune_b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut a1 = Store::open_in_memory().unwrap();
    let mut a2 = Store::open_in_memory().unwrap();
    let mut b1 = Store::open_in_memory().unwrap();
    hub.enrol(&a1, commune_a);
    hub.enrol(&a2, commune_a);
    hub.enrol(&b1, commune_b);
    let c = hub.client();

    // Two PCs of commune A exchange through the hub.
    edit(&mut a1, 1, Kind::Plan, "title", json!("Kế hoạch xã A"));
    let r = c.sync(&mut a1).unwrap();
    assert_eq!(r.pushed, 1);
    let r = c.sync(&mut a2).unwrap();
    assert_eq!(r.pulled.applied, 1);
    assert_eq!(a2.dump_json().unwrap(), a1.dump_json().unwrap());
    edit(&mut a2, 1, Kind::Plan, "title", json!("Kế hoạch xã A, sửa"));
    c.sync(&mut a2).unwrap();
    c.sync(&mut a1).unwrap();
    assert_eq!(a2.dump_json().unwrap(), a1.dump_json().unwrap());

    // Commune B reads nothing of A, and what it writes stays in B.
    let r = c.sync(&mut b1).unwrap();
    assert_eq!(r.pulled.applied, 0);
    edit(&mut b1, 2, Kind::Plan, "title", json!("Kế hoạch xã B"));
    edit(&mut b1, 1, Kind::Plan, "title", json!("B ghi đè kế hoạch của A"));
    c.sync(&mut b1).unwrap();
    let r = c.sync(&mut a1).unwrap();
    assert_eq!(r.pulled.applied, 0, "A received B's ops");
    assert!(!a1.dump_json().unwrap().contains("xã B") && !a1.dump_json().unwrap().contains("ghi đè"));
    assert!(!b1.dump_json().unwrap().contains("xã A"));

    // Re-pushing everything is harmless.
    let key = format!("sync.hub.{}.pushed", hub.url);
    a1.set_local_setting(&key, "0").unwrap();
    let p = c.push(&a1).unwrap();
    assert_eq!((p.accepted, p.duplicates), (0, 2));

    // An op stamped far in the future (year 5000, past i64::MAX, u64::MAX) is refused at the
    // door: stored, it would win every later edit on every PC of the commune (issue 14).
    let year = |y: u64| kehoach_core::Hlc::from_millis((y - 1970) * 365 * 24 * 3600 * 1000);
    for hlc in [year(5000), year(9999), kehoach_core::Hlc(u64::MAX)] {
        let far = kehoach_core::Op {
            id: Uuid::now_v7(),
            entity: Uuid::from_u128(1),
            kind: Kind::Plan,
            field: "title".into(),
            value: json!("Kế hoạch từ tương lai"),
            hlc,
            device: a1.device_id(),
            prev: kehoach_core::Hlc::default(),
            sig: None,
        };
        let msg = refused(c.push_for_commune(&a1, commune_a, &[far]), 400);
        assert!(msg.contains("vượt quá giờ") || msg.contains("không hợp lệ"), "{msg}");
    }
    edit(&mut a1, 1, Kind::Plan, "title", json!("Kế hoạch xã A, sửa lần hai"));
    c.sync(&mut a1).unwrap();
    c.sync(&mut a2).unwrap();
    assert!(a2.dump_json().unwrap().contains("sửa lần hai") && !a2.dump_json().unwrap().contains("tương lai"));

    // A push declaring a 60 MB body without a device's signature is answered from its headers
    // alone, before any of the body is sent (issue 14, point 2): nothing is read or held.
    for head in [
        "POST /v1/push HTTP/1.1\r\nContent-Type: application/json\r\n".to_string(),
        format!(
            "POST /v1/push HTTP/1.1\r\nx-kehoach-device: {}\r\nx-kehoach-time: {}\r\nx-kehoach-signature: 00\r\n",
            Uuid::now_v7(),
            chrono::Utc::now().timestamp_millis()
        ),
    ] {
        let mut tcp = std::net::TcpStream::connect(&hub.addr).unwrap();
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        tcp.write_all(format!("{head}Host: 127.0.0.1\r\nContent-Length: {}\r\n\r\n", 60 << 20).as_bytes()).unwrap();
        let mut answer = vec![0u8; 4096];
        let n = tcp.read(&mut answer).expect("answered without the body");
        let answer = String::from_utf8_lossy(&answer[..n]);
        assert!(answer.starts_with("HTTP/1.1 401") || answer.starts_with("HTTP/1.1 403"), "{answer}");
    }

    // An unenrolled PC gets nothing and writes nothing.
    let mut stranger = Store::open_in_memory().unwrap();
    edit(&mut stranger, 3, Kind::Plan, "title", json!("Người lạ"));
    let msg = refused(c.pull(&mut stranger), 403);
    assert!(msg.contains("chưa được đăng ký"), "{msg}");
    refused(c.push(&stranger), 403);
    assert_eq!(stranger.op_count().unwrap(), 1);

    // A PC claiming an enrolled device's id without its key is refused.
    let mut impostor = Store::open_in_memory().unwrap();
    let a1_key = Device::load_or_create(&a1).unwrap().public_key_hex();
    Device::load_or_create(&impostor).unwrap();
    hub.enrol_key(impostor.device_id(), commune_a, &a1_key);
    let msg = refused(c.pull(&mut impostor), 401);
    assert!(msg.contains("Chữ ký"), "{msg}");
    assert_eq!(impostor.op_count().unwrap(), 0);

    // Paging: more ops than one page still arrive in full.
    let many: Vec<Change> = (0..2500u128)
        .map(|i| Change::new(Kind::Note, Uuid::from_u128(1000 + i), field::note::TEXT, json!(format!("ghi chú {i}"))))
        .collect();
    a1.commit(many).unwrap();
    c.sync(&mut a1).unwrap();
    let r = c.sync(&mut a2).unwrap();
    assert_eq!(r.pulled.applied, 2500);
    assert_eq!(a2.dump_json().unwrap(), a1.dump_json().unwrap());

    mixed_transports_converge(&hub);
    parent_reads_and_never_writes(&hub);
    attachments_travel_with_their_records(&hub);
}

/// A commune's PC with a name, one plan and what `fill` adds, synced to the hub.
fn commune_pc(hub: &Hub, commune: Uuid, name: &str) -> (Store, Uuid) {
    let mut pc = Store::open_in_memory().unwrap();
    hub.enrol(&pc, commune);
    let plan = Uuid::now_v7();
    pc.commit(vec![
        Change::new(Kind::Org, SETTINGS_ID, field::org::COMMUNE, json!(name)),
        Change::new(Kind::Plan, plan, field::plan::TITLE, json!(format!("Kế hoạch Đề án 06 của {name}"))),
    ])
    .unwrap();
    (pc, plan)
}

fn task(pc: &mut Store, plan: Uuid, text: &str, due: &str, status: &str) -> Uuid {
    let id = Uuid::now_v7();
    let due = serde_json::to_value(Due::new(DueKind::Date { date: due.into() })).unwrap();
    pc.commit(vec![
        Change::new(Kind::Task, id, field::task::PLAN_ID, json!(plan.to_string())),
        Change::new(Kind::Task, id, field::task::TEXT, json!(text)),
        Change::new(Kind::Task, id, field::task::DUE, due),
        Change::new(Kind::Task, id, field::task::STATUS, json!(status)),
    ])
    .unwrap();
    id
}

fn target(pc: &mut Store, plan: Uuid, text: &str, unit: &str, value: f64, figures: &[(&str, f64)]) {
    let id = Uuid::now_v7();
    let mut changes = vec![
        Change::new(Kind::Target, id, field::target::PLAN_ID, json!(plan.to_string())),
        Change::new(Kind::Target, id, field::target::TEXT, json!(text)),
        Change::new(Kind::Target, id, field::target::UNIT, json!(unit)),
        Change::new(Kind::Target, id, field::target::VALUE, json!(value)),
    ];
    for (period, v) in figures {
        let fid = Uuid::now_v7();
        changes.push(Change::new(Kind::TargetValue, fid, field::target_value::TARGET_ID, json!(id.to_string())));
        changes.push(Change::new(Kind::TargetValue, fid, field::target_value::PERIOD, json!(period)));
        changes.push(Change::new(Kind::TargetValue, fid, field::target_value::VALUE, json!(v)));
    }
    pc.commit(changes).unwrap();
}

fn report(pc: &mut Store, plan: Uuid, period: &str, status: &str) -> Uuid {
    let id = Uuid::now_v7();
    pc.commit(vec![
        Change::new(Kind::Report, id, field::report::PLAN_ID, json!(plan.to_string())),
        Change::new(Kind::Report, id, field::report::PERIOD, json!(period)),
        Change::new(Kind::Report, id, field::report::STATUS, json!(status)),
    ])
    .unwrap();
    id
}

/// A district PC enrolled over two communes sees their figures for a period, pulls their ops,
/// and is refused when it pushes or reads a commune outside its unit.
fn parent_reads_and_never_writes(hub: &Hub) {
    let c = hub.client();
    let (x, y, z) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (mut x1, xp) = commune_pc(hub, x, "UBND xã Ia Tul");
    task(&mut x1, xp, "Rà soát dữ liệu dân cư", "2024-04-30", "not_started"); // overdue
    task(&mut x1, xp, "Cấp CCCD lưu động", "2024-05-15", "done");
    task(&mut x1, xp, "Kích hoạt định danh mức 2", "2024-05-20", "in_progress"); // overdue
    task(&mut x1, xp, "Tổng kết 6 tháng", "2024-06-30", "not_started"); // not yet due
    task(&mut x1, xp, "Không thực hiện được", "2024-03-31", "cannot_do"); // not overdue
    report(&mut x1, xp, "2024-05", "draft");
    let x_report = report(&mut x1, xp, "2024-05", "issued");
    target(&mut x1, xp, "Tỷ lệ cấp CCCD", "%", 100.0, &[("2024-04", 80.0), ("2024-06", 95.0)]);
    target(&mut x1, xp, "Số tài khoản định danh  mức 2", "tài khoản", 500.0, &[("2024-05", 300.0)]);
    c.sync(&mut x1).unwrap();

    let (mut y1, yp) = commune_pc(hub, y, "UBND xã Chư Răng");
    task(&mut y1, yp, "Làm sạch dữ liệu", "2024-05-10", "in_progress"); // overdue
    let gone = task(&mut y1, yp, "Nhiệm vụ đã xóa", "2024-01-10", "not_started");
    y1.commit(vec![Change::delete(Kind::Task, gone)]).unwrap();
    report(&mut y1, yp, "2024-04", "issued"); // another period
    target(&mut y1, yp, "Số tài khoản định danh mức 2", "tài khoản", 400.0, &[("2024-05", 100.0)]);
    c.sync(&mut y1).unwrap();

    let (mut z1, zp) = commune_pc(hub, z, "UBND xã ngoài huyện");
    task(&mut z1, zp, "Việc của xã khác", "2024-01-01", "not_started");
    report(&mut z1, zp, "2024-05", "issued");
    c.sync(&mut z1).unwrap();

    let mut district = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&district).unwrap().public_key_hex();
    let rec = ParentRecord {
        id: district.device_id(),
        unit: "UBND huyện Ia Pa".into(),
        public_key: key,
        communes: vec![x, y],
    };
    hub.rt.block_on(hub.store.enrol_parent(&rec)).unwrap();
    assert_eq!(hub.rt.block_on(hub.store.parent(district.device_id())).unwrap(), Some(rec));

    let r = c.rollup(&district, "2024-05").unwrap();
    assert_eq!((r.unit.as_str(), r.period.as_str(), r.as_of.as_str()), ("UBND huyện Ia Pa", "2024-05", "2024-05-31"));
    let rows: Vec<_> =
        r.communes.iter().map(|c| (c.commune, c.name.as_str(), c.tasks, c.done, c.overdue, c.report)).collect();
    assert_eq!(rows, vec![(x, "UBND xã Ia Tul", 5, 1, 2, true), (y, "UBND xã Chư Răng", 1, 0, 1, false)]);
    assert_eq!(r.communes[0].report_status.as_deref(), Some("issued"));
    assert_eq!(r.communes[1].report_status, None);
    assert_eq!(r.reported, 1);
    let sums: Vec<_> =
        r.targets.iter().map(|t| (t.text.as_str(), t.unit.as_str(), t.target, t.actual, t.communes)).collect();
    // Counts add up; a percentage typed without its numerator and denominator is never added.
    assert_eq!(sums, vec![("Số tài khoản định danh mức 2", "tài khoản", 900.0, 400.0, 2)]);
    let pct = r.indicators.iter().find(|i| i.text == "Tỷ lệ cấp CCCD").unwrap();
    assert_eq!((pct.value, pct.without_base), (None, 1), "{pct:?}");
    // Another period: the April report counts for Chư Răng, and May's tasks are not late yet.
    let april = c.rollup(&district, "2024-04").unwrap();
    let rows: Vec<_> = april.communes.iter().map(|c| (c.overdue, c.report)).collect();
    assert_eq!(rows, vec![(0, false), (0, true)]);
    let msg = refused(c.rollup(&district, "tháng 5"), 400);
    assert!(msg.contains("kỳ báo cáo không hợp lệ"), "{msg}");

    // New ops reach the roll-up (the hub's replicas catch up by cursor).
    task(&mut x1, xp, "Việc mới", "2024-05-02", "done");
    c.sync(&mut x1).unwrap();
    let r = c.rollup(&district, "2024-05").unwrap();
    assert_eq!((r.communes[0].tasks, r.communes[0].done), (6, 2));

    // It reads a commune of its unit in full, and nothing outside it.
    let ops = c.pull_commune(&district, x).unwrap();
    assert_eq!(ops.len() as i64, x1.op_count().unwrap());
    let msg = refused(c.pull_commune(&district, z), 403);
    assert!(msg.contains("không thuộc UBND huyện Ia Pa"), "{msg}");
    refused(c.pull(&mut district), 400);

    // It never writes, into any commune, and its own file stays its own.
    district
        .commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, json!("Kế hoạch của huyện"))])
        .unwrap();
    let msg = refused(c.push(&district), 403);
    assert!(msg.contains("không được gửi dữ liệu lên"), "{msg}");
    assert_eq!(c.pull_commune(&district, x).unwrap().len(), ops.len());
    assert_eq!(district.op_count().unwrap(), 1);

    // Except its decision on a report of one of its communes: that and nothing else.
    let plan_op = district.ops_since(0).unwrap().remove(0).1;
    let msg = refused(c.push_for_commune(&district, x, &[plan_op]), 403);
    assert!(msg.contains("chỉ được gửi quyết định"), "{msg}");
    let review = json!({"decision": "returned", "version": 1, "reason": "Thiếu số liệu", "by": "UBND huyện Ia Pa", "at": "2024-06-13T08:00:00+07:00"});
    let decision = district.commit(vec![Change::new(Kind::Report, x_report, field::report::REVIEW, review)]).unwrap();
    refused(c.push_for_commune(&district, z, &decision), 403);
    // A decision stamped with another device's id is not the caller's own.
    let mut borrowed = decision.clone();
    borrowed[0].device = x1.device_id();
    refused(c.push_for_commune(&district, x, &borrowed), 403);
    assert_eq!(c.push_for_commune(&district, x, &decision).unwrap().accepted, 1);
    c.sync(&mut x1).unwrap();
    let on_x = kehoach_core::reports::report(&x1, x_report).unwrap();
    assert_eq!(on_x.review.map(|r| r.reason), Some("Thiếu số liệu".to_string()));

    // A commune's own device gets its own roll-up, and may not read a neighbour.
    let own = c.rollup(&y1, "2024-05").unwrap();
    assert_eq!((own.unit.as_str(), own.communes.len()), ("UBND xã Chư Răng", 1));
    refused(c.pull_commune(&y1, x), 403);

    // Re-enrolling replaces the list of communes.
    let rec =
        ParentRecord { communes: vec![y], ..hub.rt.block_on(hub.store.parent(district.device_id())).unwrap().unwrap() };
    hub.rt.block_on(hub.store.enrol_parent(&rec)).unwrap();
    assert_eq!(c.rollup(&district, "2024-05").unwrap().communes.len(), 1);

    // An op no replica can apply (it turns Chư Răng's plan into a task) is refused by the hub;
    // one a hub that did not check it already holds is set aside by the roll-up's replica, and
    // the roll-up still sums that commune with the others (issue 14, point 3).
    let rec = ParentRecord { communes: vec![x, y], ..rec };
    hub.rt.block_on(hub.store.enrol_parent(&rec)).unwrap();
    let poison = kehoach_core::Op {
        id: Uuid::now_v7(),
        entity: yp,
        kind: Kind::Task,
        field: "text".into(),
        value: json!("Kế hoạch thành nhiệm vụ"),
        hlc: kehoach_core::Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: y1.device_id(),
        prev: kehoach_core::Hlc::default(),
        sig: None,
    };
    let msg = refused(c.push_for_commune(&y1, y, std::slice::from_ref(&poison)), 400);
    assert!(msg.contains("là kế hoạch"), "{msg}");
    hub.rt.block_on(hub.store.push(y, &[poison])).unwrap();
    let r = c.rollup(&district, "2024-05").unwrap();
    let held = r.communes.iter().find(|row| row.commune == y).unwrap();
    assert!(held.error.is_none(), "{held:?}");
    let good = r.communes.iter().find(|row| row.commune == x).unwrap();
    assert_eq!((good.error.as_deref(), good.report_status.as_deref()), (None, Some("returned")));
}

/// Three PCs of one commune: random edits, hub syncs and USB bundles in a random order; after
/// everyone syncs twice, all three hold the same state.
fn mixed_transports_converge(hub: &Hub) {
    let mut seed: u64 = 0x6b65686f6163;
    let mut rand = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for _round in 0..20 {
        let mut pcs: Vec<Store> = (0..3).map(|_| Store::open_in_memory().unwrap()).collect();
        let inv = kehoach_sync::create_invitation(&pcs[0]).unwrap();
        let commune = kehoach_sync::commune(&pcs[0]).unwrap().unwrap();
        kehoach_sync::join(&mut pcs[1], &inv).unwrap();
        let (b, _) = kehoach_sync::export_bundle(&pcs[1], &Default::default()).unwrap();
        kehoach_sync::import_bundle(&mut pcs[0], &b, &Default::default()).unwrap();
        // The third joins by invitation too, and syncs through the hub only: the others learn
        // its key from its admission, signed with the invitation's one-time key (issue 14,
        // point 5) — a PC enrolled at the hub alone is not one of the commune's devices.
        let inv = kehoach_sync::create_invitation(&pcs[0]).unwrap();
        kehoach_sync::join(&mut pcs[2], &inv).unwrap();
        for pc in &pcs {
            hub.enrol(pc, commune);
        }
        let c = hub.client();
        for _ in 0..12 {
            let i = rand(3) as usize;
            match rand(3) {
                0 => {
                    let e = 1 + rand(3) as u128;
                    let v = rand(5);
                    // Each field with a value of its type (record.rs refuses others).
                    let (field, value) = match rand(3) {
                        0 => ("text", json!(format!("Nhiệm vụ {v}"))),
                        1 => ("status", json!(["not_started", "in_progress", "done", "cannot_do", "done"][v as usize])),
                        _ => ("deleted", json!(v % 2 == 0)),
                    };
                    edit(&mut pcs[i], e, Kind::Task, field, value);
                }
                1 => {
                    c.sync(&mut pcs[i]).unwrap();
                }
                _ => {
                    // Bundles only between the two PCs that trust each other.
                    let (from, to) = if rand(2) == 0 { (0, 1) } else { (1, 0) };
                    let (b, _) = kehoach_sync::export_bundle(&pcs[from], &Default::default()).unwrap();
                    kehoach_sync::import_bundle(&mut pcs[to], &b, &Default::default()).unwrap();
                }
            }
        }
        for _ in 0..2 {
            for pc in pcs.iter_mut() {
                c.sync(pc).unwrap();
            }
        }
        let d0 = pcs[0].dump_json().unwrap();
        for pc in &pcs[1..] {
            assert_eq!(pc.dump_json().unwrap(), d0);
        }
    }
}

/// Evidence on `pc` for `task` with a file of `bytes` (named `file_name` where it came from),
/// through the real API; returns the file's SHA-256.
fn evidence(pc: &mut Store, dir: &Path, task: Uuid, file_name: &str, bytes: &[u8]) -> String {
    let src = dir.join(file_name);
    std::fs::write(&src, bytes).unwrap();
    let e = NewEvidence {
        task_id: task,
        number: "15/BB-UBND".into(),
        date: "2024-05-10".into(),
        file: Some(src.to_str().unwrap().into()),
        text: None,
    };
    let sha = add_evidence(pc, &e).unwrap().sha256.unwrap();
    assert_eq!(sha, content_sha256(bytes));
    sha
}

/// (uploaded, downloaded, missing) of a sync.
fn files(r: &HubSyncReport) -> (u64, u64, u64) {
    (r.attachments_uploaded, r.attachments_downloaded, r.attachments_missing)
}

/// One HTTP/1.1 exchange by hand, for what the client never sends (no signature, an oversized
/// declared length): the status and the body.
fn raw_http(hub: &Hub, head: &str) -> (u16, String) {
    let mut tcp = std::net::TcpStream::connect(&hub.addr).unwrap();
    tcp.write_all(format!("{head}Host: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// Two PCs of a commune, each with its own data file: an evidence file and a signed report PDF
/// made on one arrive byte for byte on the other through the hub, and a second sync moves
/// nothing. A file the hub lacks, or holds damaged, is counted and never written, and a later
/// sync fetches it once it is there. Files go only where ops go: a wrong name or content, a
/// foreign or unenrolled device, a parent unit writing, an oversized body are all refused.
fn attachments_travel_with_their_records(hub: &Hub) {
    let c = hub.client();
    let dir = tempfile::tempdir().unwrap();
    let open = |pc: &str| Store::open(&dir.path().join(pc).join("kehoach.sqlite3")).unwrap();
    let (mut a1, mut a2) = (open("a1"), open("a2"));
    let commune = Uuid::now_v7();
    hub.enrol(&a1, commune);
    hub.enrol(&a2, commune);
    let attachments = |pc: &Store| pc.data_dir().unwrap().join("attachments");

    // On a1: evidence with a file, and a report signed into a PDF (recorded the way
    // kehoach_sign records it: the PDF in the attachments directory, its path on the report).
    let plan = Uuid::now_v7();
    a1.commit(vec![Change::new(Kind::Plan, plan, field::plan::TITLE, json!("Kế hoạch có minh chứng"))]).unwrap();
    let t = task(&mut a1, plan, "Cấp CCCD lưu động", "2024-05-15", "done");
    let scan: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let scan_sha = evidence(&mut a1, dir.path(), t, "Biên bản 15.pdf", &scan);
    let pdf = "%PDF-1.7\n% Báo cáo tháng 5/2024, đã ký số\n%%EOF\n".as_bytes().to_vec();
    let pdf_name = format!("{}.pdf", content_sha256(&pdf));
    std::fs::write(attachments(&a1).join(&pdf_name), &pdf).unwrap();
    let report = Uuid::now_v7();
    a1.commit(vec![
        Change::new(Kind::Report, report, field::report::PLAN_ID, json!(plan.to_string())),
        Change::new(Kind::Report, report, field::report::PERIOD, json!("2024-05")),
        Change::new(Kind::Report, report, field::report::SIGNED_SHA256, json!(content_sha256(&pdf))),
        Change::new(Kind::Report, report, field::report::SIGNED_PDF, json!(format!("attachments/{pdf_name}"))),
    ])
    .unwrap();

    let r = c.sync(&mut a1).unwrap();
    assert_eq!(files(&r), (2, 0, 0));
    let r = c.sync(&mut a2).unwrap();
    assert_eq!(files(&r), (0, 2, 0));
    assert_eq!(std::fs::read(a2.attachment_path(&scan_sha).unwrap()).unwrap(), scan);
    assert_eq!(std::fs::read(attachments(&a2).join(&pdf_name)).unwrap(), pdf);
    assert_eq!(a2.dump_json().unwrap(), a1.dump_json().unwrap());
    for pc in [&mut a1, &mut a2] {
        let r = c.sync(pc).unwrap();
        assert_eq!((r.pushed, r.pulled.applied, files(&r)), (0, 0, (0, 0, 0)), "a second sync moves nothing");
    }
    assert!(!c.put_attachment(&a1, None, &scan_sha, &scan).unwrap(), "the same file again changes nothing");

    // Two more records whose files a1 has lost before syncing; the hub holds a damaged copy of
    // one of them. a2 gets the records, writes neither file, and counts both.
    let lost = b"Danh sach ho dan da cap CCCD".to_vec();
    let lost_sha = evidence(&mut a1, dir.path(), t, "Danh sách.xlsx", &lost);
    let damaged = b"Quyet dinh khen thuong".to_vec();
    let damaged_sha = evidence(&mut a1, dir.path(), t, "Quyết định.pdf", &damaged);
    for sha in [&lost_sha, &damaged_sha] {
        std::fs::remove_file(a1.attachment_path(sha).unwrap()).unwrap();
    }
    assert!(hub.rt.block_on(hub.store.put_attachment(commune, &damaged_sha, b"hong")).unwrap());
    assert_eq!(files(&c.sync(&mut a1).unwrap()), (0, 0, 2));
    let r = c.sync(&mut a2).unwrap();
    assert_eq!((r.pulled.applied, files(&r)), (14, (0, 0, 2)));
    assert!(!a2.attachment_path(&lost_sha).unwrap().exists() && !a2.attachment_path(&damaged_sha).unwrap().exists());
    let tampered = c.get_attachment(&a2, None, &damaged_sha);
    assert!(matches!(tampered, Err(SyncError::Tampered(_))), "{tampered:?}");

    // a1 finds the lost file again, long after its record was pushed. Its next sync sees that
    // the files its records hold have changed, offers them, and sends the one the hub lacks;
    // a2's next sync fetches it. Nothing is offered again while that set stays the same.
    std::fs::write(a1.attachment_path(&lost_sha).unwrap(), &lost).unwrap();
    assert_eq!(files(&c.sync(&mut a1).unwrap()), (1, 0, 1));
    assert_eq!(files(&c.sync(&mut a2).unwrap()), (0, 1, 1));
    assert_eq!(std::fs::read(a2.attachment_path(&lost_sha).unwrap()).unwrap(), lost);
    assert_eq!(files(&c.sync(&mut a1).unwrap()), (0, 0, 1));
    // Like a PC that pushed before files went through the hub (its files cursor behind its
    // push cursor), a1 offers the files of everything it pushed; the hub has them all.
    a1.set_local_setting(&format!("sync.hub.{}.files", hub.url), "0").unwrap();
    assert_eq!(files(&c.sync(&mut a1).unwrap()), (0, 0, 1));

    // The hub stores a file only under the name of its content.
    let never = content_sha256(b"chua tung gui");
    let msg = refused(c.put_attachment(&a1, None, &never, b"noi dung khac"), 400);
    assert!(msg.contains("không khớp"), "{msg}");
    for bad in [scan_sha.to_uppercase(), format!("{scan_sha}.exe"), "../hub.sqlite3".into()] {
        let msg = refused(c.put_attachment(&a1, None, &bad, &scan), 400);
        assert!(msg.contains("không hợp lệ"), "{msg}");
    }
    let names = [scan_sha.clone(), pdf_name.clone(), lost_sha.clone(), damaged_sha.clone(), never.clone()];
    let held = hub.rt.block_on(hub.store.has_attachments(commune, &names)).unwrap();
    assert_eq!(held.into_iter().collect::<Vec<_>>(), {
        let mut v = names[..4].to_vec();
        v.sort();
        v
    });

    // Commune B's device neither reads nor writes commune A's files.
    let (other, b1) = (Uuid::now_v7(), Store::open_in_memory().unwrap());
    hub.enrol(&b1, other);
    let b_file = "Tệp của xã B".as_bytes();
    let b_sha = content_sha256(b_file);
    let msg = refused(c.get_attachment(&b1, Some(commune), &scan_sha), 403);
    assert!(msg.contains("xã mình"), "{msg}");
    assert_eq!(c.get_attachment(&b1, None, &scan_sha).unwrap(), None, "B's own commune has no such file");
    refused(c.put_attachment(&b1, Some(commune), &b_sha, b_file), 403);
    assert!(c.put_attachment(&b1, None, &b_sha, b_file).unwrap(), "B writes into B");
    assert_eq!(hub.rt.block_on(hub.store.get_attachment(commune, &b_sha)).unwrap(), None);
    assert_eq!(c.get_attachment(&a1, None, &b_sha).unwrap(), None);

    // An unenrolled PC gets nothing and stores nothing; an unsigned request neither.
    let stranger = Store::open_in_memory().unwrap();
    let msg = refused(c.get_attachment(&stranger, Some(commune), &scan_sha), 403);
    assert!(msg.contains("chưa được đăng ký"), "{msg}");
    refused(c.get_attachment(&stranger, None, &scan_sha), 403);
    refused(c.put_attachment(&stranger, None, &never, b"chua tung gui"), 403);
    let (status, body) = raw_http(hub, &format!("GET /v1/attachments/{scan_sha} HTTP/1.1\r\n"));
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("Thiếu chữ ký"), "{body}");

    // The parent unit reads its communes' files, and writes none.
    let district = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&district).unwrap().public_key_hex();
    let rec = ParentRecord {
        id: district.device_id(),
        unit: "UBND huyện Krông Pa".into(),
        public_key: key,
        communes: vec![commune],
    };
    hub.rt.block_on(hub.store.enrol_parent(&rec)).unwrap();
    assert_eq!(c.get_attachment(&district, Some(commune), &scan_sha).unwrap(), Some(scan.clone()));
    assert_eq!(c.get_attachment(&district, Some(commune), &pdf_name).unwrap(), Some(pdf.clone()));
    refused(c.get_attachment(&district, None, &scan_sha), 400);
    refused(c.get_attachment(&district, Some(other), &b_sha), 403);
    for commune in [Some(commune), None] {
        let msg = refused(c.put_attachment(&district, commune, &never, b"chua tung gui"), 403);
        assert!(msg.contains("không được gửi dữ liệu lên"), "{msg}");
    }
    assert_eq!(hub.rt.block_on(hub.store.get_attachment(commune, &never)).unwrap(), None);

    // A body over the limit is refused from its declared length, before it is read (the headers
    // name an enrolled device, so the request gets past the check that comes first).
    let head = format!(
        "PUT /v1/attachments/{never} HTTP/1.1\r\nx-kehoach-device: {}\r\nx-kehoach-time: {}\r\n\
         x-kehoach-signature: 00\r\nContent-Length: {}\r\n",
        district.device_id(),
        chrono::Utc::now().timestamp_millis(),
        MAX_ATTACHMENT + 1
    );
    let (status, body) = raw_http(hub, &head);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("lớn hơn 64 MB"), "{body}");
}

#[test]
fn the_sqlite_store_passes_the_suite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    suite(common::start(common::sqlite(path), Serving::default()));
}

/// A hub older than file sync (no attachment routes) still takes and gives the ops: the PCs
/// count the files as missing instead of failing, and the files cursor stays behind, so the
/// files are offered once the hub keeps them.
#[test]
fn a_hub_without_files_still_syncs_the_ops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub");
    let old = |store| {
        let no_files = |req: axum::extract::Request, next: axum::middleware::Next| async move {
            if req.uri().path().starts_with("/v1/attachments") {
                return axum::response::IntoResponse::into_response(axum::http::StatusCode::NOT_FOUND);
            }
            next.run(req).await
        };
        api::router(store).layer(axum::middleware::from_fn(no_files))
    };
    let hub = common::start(common::sqlite(path), Serving::routes(old));
    let c = hub.client();
    let open = |pc: &str| Store::open(&dir.path().join(pc).join("kehoach.sqlite3")).unwrap();
    let (mut a1, mut a2) = (open("a1"), open("a2"));
    let commune = Uuid::now_v7();
    hub.enrol(&a1, commune);
    hub.enrol(&a2, commune);
    let plan = Uuid::now_v7();
    a1.commit(vec![Change::new(Kind::Plan, plan, field::plan::TITLE, json!("Kế hoạch"))]).unwrap();
    let t = task(&mut a1, plan, "Cấp CCCD lưu động", "2024-05-15", "done");
    let sha = evidence(&mut a1, dir.path(), t, "Biên bản.pdf", b"bien ban");

    let r = c.sync(&mut a1).unwrap();
    assert_eq!((r.pushed, files(&r)), (12, (0, 0, 0)));
    assert_eq!(a1.local_setting(&format!("sync.hub.{}.files", hub.url)).unwrap(), None);
    let r = c.sync(&mut a2).unwrap();
    assert_eq!((r.pulled.applied, files(&r)), (12, (0, 0, 1)));
    assert!(!a2.attachment_path(&sha).unwrap().exists());
}

#[test]
fn the_postgres_store_passes_the_suite() {
    let Ok(url) = std::env::var("KEHOACH_TEST_PG_URL") else {
        let required = std::env::var_os("CI").is_some() || std::env::var_os("KEHOACH_REQUIRE_PG").is_some();
        assert!(!required, "KEHOACH_TEST_PG_URL is not set: start a server with scripts/start-postgres.sh");
        eprintln!("skipped: KEHOACH_TEST_PG_URL is not set (export KEHOACH_TEST_PG_URL=$(scripts/start-postgres.sh))");
        return;
    };
    suite(common::start(
        move || async move { Arc::new(PostgresStore::connect(&url).await.unwrap()) as Arc<dyn HubStore> },
        Serving::default(),
    ));
}

/// A province's own CA and the hub's certificate from it (for "localhost" and 127.0.0.1), as
/// PEM: (CA certificate, hub certificate, hub key).
fn province_pki() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "CA thử nghiệm của tỉnh Gia Lai");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let hub_key = KeyPair::generate().unwrap();
    let mut hub = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    hub.distinguished_name.push(DnType::CommonName, "dongbo.gialai.example");
    let hub_cert = hub.signed_by(&hub_key, &ca_cert, &ca_key).unwrap();
    (ca_cert.pem(), hub_cert.pem(), hub_key.serialize_pem())
}

/// A hub serving HTTPS with a certificate from the province's own CA: a PC that does not
/// trust that CA is refused with a message saying so and what to do; a plain-HTTP client gets
/// nothing; PCs with the CA installed (what `kehoach sync hub --ca` does) sync and converge.
/// A file that is not a certificate is refused and changes nothing.
#[test]
fn an_https_hub_with_the_provinces_own_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = province_pki();
    let (cert_file, key_file) = (dir.path().join("hub.pem"), dir.path().join("hub.key"));
    std::fs::write(&cert_file, &cert).unwrap();
    std::fs::write(&key_file, &key).unwrap();
    let config = kehoach_hub::tls::server_config(&cert_file, &key_file).unwrap();
    let path = dir.path().join("hub");
    let hub = common::start(common::sqlite(path), Serving { tls: Some(config), ..Default::default() });
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);

    let commune = Uuid::now_v7();
    let (mut a, mut b) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
    hub.enrol(&a, commune);
    hub.enrol(&b, commune);
    a.commit(vec![Change::new(Kind::Plan, Uuid::from_u128(7), field::plan::TITLE, json!("Kế hoạch qua HTTPS"))])
        .unwrap();

    let before = a.dump_json().unwrap();
    let e = HubClient::new(&hub.url).sync(&mut a).unwrap_err().to_string();
    assert!(e.contains("chứng chỉ bảo mật") && e.contains("--ca"), "{e}");
    assert!(HubClient::new(&hub.url.replace("https://", "http://")).sync(&mut a).is_err());
    assert!(!HubClient::new(&hub.url).healthy());
    assert_eq!(a.dump_json().unwrap(), before);

    let e = kehoach_sync::set_hub_ca(&a, Some(b"khong phai chung chi")).unwrap_err().to_string();
    assert!(e.contains("PEM"), "{e}");
    assert_eq!(a.local_setting(kehoach_sync::HUB_CA).unwrap(), None);
    for pc in [&a, &b] {
        kehoach_sync::set_hub_ca(pc, Some(ca.as_bytes())).unwrap();
    }
    assert!(HubClient::for_store(&a, &hub.url).unwrap().healthy());
    let r = HubClient::for_store(&a, &hub.url).unwrap().sync(&mut a).unwrap();
    assert_eq!(r.pushed, 1);
    let r = HubClient::for_store(&b, &hub.url).unwrap().sync(&mut b).unwrap();
    assert_eq!(r.pulled.applied, 1);
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());
}

/// Issue 14, point 8: the hub's database (every commune's records, every device's key) is
/// readable by the hub's account only.
#[cfg(unix)]
#[test]
fn the_hub_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    kehoach_hub::sqlite::SqliteStore::open(dir.path()).unwrap();
    let mode = std::fs::metadata(dir.path().join("hub.sqlite3")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
