//! Bundles of 100,000 ops (issue 6): export, first import into a fresh replica, the same data
//! again, and beside them, in the same run, a raw SQLite bulk insert of the same rows.
//!
//! `cargo bench -p kehoach-sync --bench bundle`
//!
//! The ops are made through `Store::commit` on one PC; two more PCs join its commune through
//! invitations (so each trusts it, as in the tests). The files live in a temporary directory
//! on disk, opened by `Store::open` (WAL, synchronous=NORMAL); the raw baseline uses a
//! database opened the same way. Goals: import ≥ 30% of the raw insert rate; the same data a
//! second time ≤ 10% of the first import's time.
//!
//! `KEHOACH_BENCH_OPS=20000` runs a smaller size (for profiling).

use std::time::{Duration, Instant};

use kehoach_core::record as field;
use kehoach_core::{Change, Kind, Op, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
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
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "thông báo lưu trú qua ứng dụng VNeID",
];
const PLACES: &[&str] =
    &["thôn Plei Pa", "thôn Bi Giông", "làng Chư Răng", "trường Tiểu học", "trạm y tế xã", "UBND xã"];
const UNITS: &[&str] =
    &["Công an xã", "Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Bộ phận một cửa", "Trạm Y tế"];
const TASKS_PER_PLAN: usize = 400;

/// A commune's history as a stream of changes: units, then plans, each with a header,
/// six sections, 400 tasks of seven fields, a note on one task in ten, and later status
/// changes on one task in three. Cut at exactly `n`.
fn history(n: usize) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(n + 4000);
    let units: Vec<Uuid> = UNITS.iter().map(|_| Uuid::now_v7()).collect();
    for (u, name) in units.iter().zip(UNITS) {
        out.push(Change::new(Kind::Unit, *u, field::unit::NAME, *name));
    }
    let mut i = 0usize;
    let mut p = 0usize;
    while out.len() < n {
        let plan = Uuid::now_v7();
        let c = |f: &str, v: serde_json::Value| Change::new(Kind::Plan, plan, f, v);
        out.extend([
            c("title", json!(format!("Kế hoạch triển khai Đề án 06 năm 2023, đợt {p}"))),
            c("number", json!(format!("{}/KH-UBND", 10 + p))),
            c("date", json!("2023-01-05")),
            c("issuer", json!("UBND xã Ia Tul")),
            c("signer", json!("Nguyễn Văn A")),
        ]);
        for (k, title) in SECTIONS.iter().enumerate() {
            let s = Uuid::now_v7();
            out.extend([
                Change::new(Kind::Section, s, field::section::PLAN_ID, plan.to_string()),
                Change::new(Kind::Section, s, field::section::TITLE, *title),
                Change::new(Kind::Section, s, field::section::POS, k as i64),
            ]);
        }
        let mut tasks = Vec::with_capacity(TASKS_PER_PLAN);
        for k in 0..TASKS_PER_PLAN {
            let id = Uuid::now_v7();
            tasks.push(id);
            let text = format!(
                "{} {} tại {} (đợt {i})",
                VERBS[i % VERBS.len()],
                OBJECTS[(i / 3) % OBJECTS.len()],
                PLACES[(i / 7) % PLACES.len()]
            );
            let t = |f: &str, v: serde_json::Value| Change::new(Kind::Task, id, f, v);
            out.extend([
                t("plan_id", plan.to_string().into()),
                t("section", SECTIONS[i % SECTIONS.len()].into()),
                t("text", text.into()),
                t("lead", json!([units[i % units.len()].to_string()])),
                t("due", json!({"kind": "month", "year": 2023, "month": 1 + i % 12})),
                t("status", "not_started".into()),
                t("pos", (k as i64).into()),
            ]);
            if i.is_multiple_of(10) {
                let nid = Uuid::now_v7();
                out.extend([
                    Change::new(Kind::Note, nid, field::note::TASK_ID, id.to_string()),
                    Change::new(Kind::Note, nid, field::note::DATE, "2023-05-03"),
                    Change::new(
                        Kind::Note,
                        nid,
                        field::note::TEXT,
                        format!("Công an xã đã phối hợp {}", PLACES[i % PLACES.len()]),
                    ),
                ]);
            }
            i += 1;
        }
        for (k, id) in tasks.iter().enumerate().filter(|(k, _)| k % 3 == 0) {
            let status = if k % 2 == 0 { "done" } else { "in_progress" };
            out.push(Change::new(Kind::Task, *id, field::task::STATUS, status));
        }
        p += 1;
    }
    out.truncate(n);
    out
}

/// Ops made through the one write path, in commits of 500 changes.
fn fill(store: &mut Store, n: usize) {
    let mut changes = history(n).into_iter().peekable();
    while changes.peek().is_some() {
        let batch: Vec<Change> = changes.by_ref().take(500).collect();
        store.commit(batch).unwrap();
    }
}

/// PC `a` invites `b`; `b` joins and answers with a bundle, so each trusts the other.
fn pair(a: &mut Store, b: &mut Store) {
    let inv = kehoach_sync::create_invitation(a).unwrap();
    kehoach_sync::join(b, &inv).unwrap();
    let (answer, _) = export_bundle(b, &ExportOptions::default()).unwrap();
    import_bundle(a, &answer, &ImportOptions::default()).unwrap();
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t0 = Instant::now();
    let v = f();
    (t0.elapsed(), v)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The op log's rows exactly as stored: id, entity, field, value, hlc, device, prev, seq.
type Row = (String, String, String, String, i64, String, i64, i64);

fn op_rows(store: &Store) -> Vec<Row> {
    store
        .ops_since(0)
        .unwrap()
        .into_iter()
        .map(|(seq, o)| {
            let value = serde_json::to_string(&o.value).unwrap();
            let (hlc, prev) = (o.hlc.as_i64(), o.prev.as_i64());
            (o.id.to_string(), o.entity.to_string(), o.field, value, hlc, o.device.to_string(), prev, seq)
        })
        .collect()
}

/// The baseline: the same rows into a table shaped like the op log (same columns, primary
/// key, unique seq and (entity, field) index), one transaction, one prepared statement, in a
/// database opened like the app's (WAL, synchronous=NORMAL).
fn raw_insert(path: &std::path::Path, table: &str, rows: &[Row]) -> Duration {
    // Opened with the app's pragmas (see `Store::open`); the file and the table are our own.
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE {table} (
            id TEXT PRIMARY KEY, entity TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
            hlc INTEGER NOT NULL, device TEXT NOT NULL, prev INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE
         ) STRICT;
         CREATE INDEX {table}_entity_field ON {table}(entity, field);"
    ))
    .unwrap();
    let (d, ()) = time(|| {
        conn.execute_batch("BEGIN").unwrap();
        {
            let mut stmt = conn
                .prepare(&format!(
                    "INSERT INTO {table}(id, entity, field, value, hlc, device, prev, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ))
                .unwrap();
            for (id, entity, field, value, hlc, device, prev, seq) in rows {
                stmt.execute((id, entity, field, value, hlc, device, prev, seq)).unwrap();
            }
        }
        conn.execute_batch("COMMIT").unwrap();
    });
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
    assert_eq!(n as usize, rows.len());
    d
}

fn parse(jsonl: &[u8]) -> Vec<Op> {
    std::str::from_utf8(jsonl).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn ops_file(bundle: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bundle)).unwrap();
    let mut f = z.by_name("ops.jsonl").unwrap();
    let mut out = Vec::new();
    f.read_to_end(&mut out).unwrap();
    out
}

struct Line {
    what: String,
    d: Duration,
    ops: usize,
    note: String,
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let n: usize = std::env::var("KEHOACH_BENCH_OPS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let mut a = Store::open(&path("a.sqlite3")).unwrap();
    let mut b = Store::open(&path("b.sqlite3")).unwrap();
    let mut c = Store::open(&path("c.sqlite3")).unwrap();
    pair(&mut a, &mut b);
    pair(&mut a, &mut c);

    let (d, ()) = time(|| fill(&mut a, n));
    assert_eq!(a.op_count().unwrap() as usize, n);
    eprintln!("built {n} ops through Store::commit (commits of 500) in {:.1} s", d.as_secs_f64());
    let mut lines: Vec<Line> = Vec::new();
    let line = |what: &str, d: Duration, ops: usize, note: String| Line { what: what.into(), d, ops, note };

    // Export: everything, plain (what the app's "Xuất tệp đồng bộ" does) and encrypted to C.
    let mut plain = Vec::new();
    let mut times = Vec::new();
    for _ in 0..3 {
        let (d, (bytes, s)) = time(|| export_bundle(&a, &ExportOptions::default()).unwrap());
        assert_eq!(s.ops as usize, n);
        times.push(d);
        plain.push(bytes);
    }
    let size = plain[0].len();
    lines.push(line(
        "export_bundle, plain (median of 3)",
        median(times),
        n,
        format!("{:.1} MB file", size as f64 / 1e6),
    ));
    let to_c = ExportOptions { to: vec![c.device_id().to_string()], since: None, ..Default::default() };
    let mut sealed = Vec::new();
    let mut times = Vec::new();
    for _ in 0..3 {
        let (d, (bytes, s)) = time(|| export_bundle(&a, &to_c).unwrap());
        assert_eq!(s.ops as usize, n);
        times.push(d);
        sealed.push(bytes);
    }
    lines.push(line("export_bundle, encrypted to one device (median of 3)", median(times), n, String::new()));

    // The raw baseline, three fresh tables, median.
    let rows = op_rows(&a);
    let raw = median((0..3).map(|k| raw_insert(&path(&format!("raw{k}.sqlite3")), "raw_ops", &rows)).collect());
    lines.push(line("raw SQLite: same rows into an op-log-shaped table (median of 3)", raw, n, "baseline".into()));

    // First import into B, then the same file again, then the same ops in another bundle.
    let opts = ImportOptions::default();
    let (first, r) = time(|| import_bundle(&mut b, &plain[0], &opts).unwrap());
    assert_eq!((r.applied.applied as usize, r.applied.duplicates), (n, 0));
    assert_eq!(b.op_count().unwrap() as usize, n);
    lines.push(line("import_bundle, plain: first import into the fresh replica", first, n, String::new()));
    let (replayed, e) = time(|| import_bundle(&mut b, &plain[0], &opts).unwrap_err());
    assert!(matches!(e, SyncError::Replayed(_)), "{e:?}");
    lines.push(line("import_bundle, the same file again", replayed, n, "refused: Replayed, writes nothing".into()));
    let mut times = Vec::new();
    for bytes in &plain[1..] {
        let (d, r) = time(|| import_bundle(&mut b, bytes, &opts).unwrap());
        assert_eq!((r.applied.applied, r.applied.duplicates as usize), (0, n));
        times.push(d);
    }
    let again = times.iter().sum::<Duration>() / times.len() as u32;
    lines.push(line("import_bundle, same ops in another export (mean of 2)", again, n, "100% duplicates".into()));
    assert_eq!(b.dump_json().unwrap(), a.dump_json().unwrap());

    // The same with encryption, into C.
    let (first_c, r) = time(|| import_bundle(&mut c, &sealed[0], &opts).unwrap());
    assert_eq!(r.applied.applied as usize, n);
    lines.push(line("import_bundle, encrypted: first import", first_c, n, String::new()));
    let (again_c, r) = time(|| import_bundle(&mut c, &sealed[1], &opts).unwrap());
    assert_eq!(r.applied.duplicates as usize, n);
    lines.push(line("import_bundle, encrypted: same ops in another export", again_c, n, "100% duplicates".into()));

    // Backups of the same data: writing one, restoring it on an empty PC (the file becomes
    // the data), and on a PC that holds all of it already (every op a duplicate).
    let backup = path("backup.sqlite3");
    let (backup_t, s) = time(|| kehoach_sync::create_backup(&a, &backup, None).unwrap());
    assert_eq!(s.ops as usize, n);
    lines.push(line(
        "create_backup (snapshot + integrity check)",
        backup_t,
        n,
        format!("{:.1} MB file", s.bytes as f64 / 1e6),
    ));
    let mut e = Store::open(&path("e.sqlite3")).unwrap();
    let (whole_t, r) = time(|| kehoach_sync::restore_backup(&mut e, &backup, None).unwrap());
    assert_eq!(r.mode, kehoach_sync::RestoreMode::Whole);
    lines.push(line("restore_backup on an empty PC (whole file)", whole_t, n, String::new()));
    let (merge_t, r) = time(|| kehoach_sync::restore_backup(&mut b, &backup, None).unwrap());
    assert_eq!(r.applied.duplicates as usize, n);
    lines.push(line("restore_backup on a PC that has it all (merge)", merge_t, n, "100% duplicates".into()));
    assert_eq!(e.dump_json().unwrap(), a.dump_json().unwrap());

    // Where the first import's time goes: the same steps one by one on a fresh store.
    let (open_t, _) = time(|| kehoach_sync::inspect_bundle(&b, &plain[1]).unwrap());
    lines.push(line("  phase: unzip + SHA-256 + signature check (inspect_bundle)", open_t, n, String::new()));
    let jsonl = ops_file(&plain[1]);
    let (parse_t, ops) = time(|| parse(&jsonl));
    lines.push(line(
        "  phase: parse ops.jsonl into Ops",
        parse_t,
        n,
        format!("{:.1} MB JSONL", jsonl.len() as f64 / 1e6),
    ));
    let mut d_store = Store::open(&path("d.sqlite3")).unwrap();
    let (apply_t, r) = time(|| d_store.apply_ops(&ops).unwrap());
    assert_eq!(r.applied as usize, n);
    lines.push(line("  phase: Store::apply_ops, new ops (fresh store)", apply_t, n, String::new()));
    let (dup_t, r) = time(|| d_store.apply_ops(&ops).unwrap());
    assert_eq!(r.duplicates as usize, n);
    lines.push(line("  phase: Store::apply_ops, all duplicates", dup_t, n, String::new()));

    println!();
    println!("{n} ops, 2 shared cores; files on disk (WAL, synchronous=NORMAL)");
    println!();
    println!("| what | time | ops/s | |");
    println!("|---|---:|---:|---|");
    for l in &lines {
        let ms = l.d.as_secs_f64() * 1e3;
        let rate = l.ops as f64 / l.d.as_secs_f64();
        println!("| {} | {:.0} ms | {:.0} | {} |", l.what, ms, rate, l.note);
    }
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let ratio = rate(first) / rate(raw);
    let again_ratio = again.as_secs_f64() / first.as_secs_f64();
    println!();
    println!(
        "import rate / raw insert rate: {:.1}% (goal ≥ 30%: {})",
        ratio * 100.0,
        if ratio >= 0.30 { "met" } else { "MISSED" }
    );
    println!(
        "same ops again / first import: {:.1}% (goal ≤ 10%: {})",
        again_ratio * 100.0,
        if again_ratio <= 0.10 { "met" } else { "MISSED" }
    );
    println!(
        "same file again (refused as a replay) / first import: {:.1}%",
        replayed.as_secs_f64() / first.as_secs_f64() * 100.0
    );
}
