//! Crash safety of a bundle import: the real `kehoach` binary imports a large bundle (20,402
//! ops) and is killed with SIGKILL at a random moment, 100 times. Each time the data file must
//! pass SQLite's integrity check when the core opens it, and `kehoach dump --json` must show
//! either the whole import or none of it — never part of it.
//!
//! One bundle is prepared once; each round starts from a copy of the same pristine file. The
//! kill delays are spread over the whole import (process start, reading and checking the
//! bundle, the one transaction, the bookkeeping after it). `KEHOACH_CRASH_SEED` replays a run;
//! `KEHOACH_CRASH_ROUNDS` changes the number of rounds.
//!
//! The bulk of the bundle is targets rather than tasks: projecting each op deletes the
//! entity's rows from the full-text index by an unindexed column, which scans the whole index,
//! so an import of 20,000 task ops takes many seconds in a debug build (a cost for the core to
//! remove; it does not change what this test checks).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kehoach_core::record as field;
use kehoach_core::{Change, Kind, Store, SETTINGS_ID};
use serde_json::json;
use uuid::Uuid;

const ROUNDS: usize = 100;
const TASKS: usize = 300;
const TARGETS: usize = 2_700;

fn kehoach(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehoach"));
    c.arg("--db").arg(db);
    c
}

fn dump(db: &Path) -> String {
    let out = kehoach(db).args(["dump", "--json"]).output().unwrap();
    assert!(out.status.success(), "dump failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Copies the pristine data file over `to`, with no journal left from an earlier round.
fn fresh_copy(pristine: &Path, to: &Path) {
    for ext in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    std::fs::copy(pristine, to).unwrap();
}

/// What SQLite's integrity and foreign-key checks find wrong with the file (nothing, when whole).
fn integrity(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap_or_else(|e| panic!("the core cannot open {}: {e}", db.display()));
    store.integrity_problems().unwrap()
}

/// A commune PC (`pristine`, closed cleanly so the file stands alone) and a bundle from a
/// second PC of the commune carrying 22,000 new ops.
fn prepare(dir: &Path) -> (PathBuf, PathBuf, usize) {
    let pristine = dir.join("pristine.sqlite3");
    let bundle = dir.join("lon.kehoach");
    let mut a = Store::open(&pristine).unwrap();
    a.commit(vec![Change::new(Kind::Org, SETTINGS_ID, field::org::COMMUNE, json!("UBND xã Chư Răng"))]).unwrap();
    let invitation = kehoach_sync::create_invitation(&a).unwrap();
    drop(a);

    let mut b = Store::open_in_memory().unwrap();
    kehoach_sync::join(&mut b, &invitation).unwrap();
    let plan = Uuid::now_v7();
    let mut changes =
        vec![Change::new(Kind::Plan, plan, field::plan::TITLE, json!("Kế hoạch triển khai Đề án 06 năm 2024"))];
    for i in 0..TASKS {
        let t = Uuid::now_v7();
        changes.push(Change::new(Kind::Task, t, field::task::PLAN_ID, json!(plan.to_string())));
        changes.push(Change::new(Kind::Task, t, field::task::REF, json!(format!("{}.{}", i / 100 + 1, i % 100 + 1))));
        changes.push(Change::new(
            Kind::Task,
            t,
            field::task::TEXT,
            json!(format!("Rà soát, làm sạch dữ liệu dân cư thôn {i}")),
        ));
        changes.push(Change::new(
            Kind::Task,
            t,
            field::task::STATUS,
            json!(["not_started", "in_progress", "done"][i % 3]),
        ));
        changes.push(Change::new(Kind::Task, t, field::task::TIME_TEXT, json!("Trước ngày 30/6/2024")));
    }
    // Most of the bulk is targets and their monthly figures: records outside the full-text
    // index, whose upkeep per op grows with the index (see the note at the top).
    for i in 0..TARGETS {
        let t = Uuid::now_v7();
        changes.push(Change::new(Kind::Target, t, field::target::PLAN_ID, json!(plan.to_string())));
        changes.push(Change::new(
            Kind::Target,
            t,
            field::target::TEXT,
            json!(format!("Chỉ tiêu số {i}: tỷ lệ hồ sơ trực tuyến")),
        ));
        changes.push(Change::new(Kind::Target, t, field::target::UNIT, json!("%")));
        changes.push(Change::new(Kind::Target, t, field::target::VALUE, json!(90)));
        let v = Uuid::now_v7();
        changes.push(Change::new(Kind::TargetValue, v, field::target_value::TARGET_ID, json!(t.to_string())));
        changes.push(Change::new(Kind::TargetValue, v, field::target_value::PERIOD, json!("2024-05")));
        changes.push(Change::new(Kind::TargetValue, v, field::target_value::VALUE, json!(i % 100)));
    }
    b.commit(changes).unwrap();
    let (bytes, summary) = kehoach_sync::export_bundle(&b, &Default::default()).unwrap();
    std::fs::write(&bundle, bytes).unwrap();
    for ext in ["-wal", "-shm"] {
        assert!(!Path::new(&format!("{}{ext}", pristine.display())).exists(), "pristine file not closed cleanly");
    }
    (pristine, bundle, summary.ops as usize)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[derive(Default)]
struct Tally {
    none: usize,
    whole: usize,
    finished: usize,
}

/// What the runs share: the files and the two states a round may end in.
struct Case {
    pristine: PathBuf,
    bundle: PathBuf,
    before: String,
    after: String,
    /// Kill delays are drawn below this.
    span_us: u64,
    seed: u64,
}

fn import(db: &Path, bundle: &Path) -> std::process::Output {
    kehoach(db).arg("sync").arg("import").arg(bundle).output().unwrap()
}

/// `rounds` kills on its own copy of the data file.
fn worker(case: &Case, id: usize, rounds: usize, work: &Path) -> Tally {
    let mut rng = Rng(case.seed ^ (id as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut t = Tally::default();
    let mut retried = false;
    for round in 0..rounds {
        fresh_copy(&case.pristine, work);
        let delay = Duration::from_micros(rng.next() % case.span_us);
        let mut child = kehoach(work)
            .arg("sync")
            .arg("import")
            .arg(&case.bundle)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // SIGKILL on Unix: no destructor, no rollback, no checkpoint.
        let _ = child.kill();
        if child.wait().unwrap().success() {
            t.finished += 1;
        }
        let at = format!("worker {id} round {round} (killed after {delay:?}, KEHOACH_CRASH_SEED={})", case.seed);
        assert_eq!(integrity(work), Vec::<String>::new(), "{at}: integrity check failed");
        let state = dump(work);
        if state == case.before {
            t.none += 1;
            // Nothing was applied, so the same file still imports in full.
            if !retried {
                retried = true;
                let out = import(work, &case.bundle);
                assert!(out.status.success(), "{at}: re-import failed: {}", String::from_utf8_lossy(&out.stderr));
                assert!(dump(work) == case.after, "{at}: re-import after the crash differs");
            }
        } else if state == case.after {
            t.whole += 1;
        } else {
            panic!("{at}: the data file holds part of the import");
        }
    }
    t
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (pristine, bundle, ops) = prepare(dir.path());
    assert!(ops >= 20_000, "the bundle holds only {ops} ops");
    // Rounds run on two copies at once (the import is single-threaded); the delays are
    // calibrated on two imports running side by side, as the rounds do.
    let jobs: usize = std::env::var("KEHOACH_CRASH_JOBS").ok().and_then(|s| s.parse().ok()).unwrap_or(2).max(1);
    let works: Vec<PathBuf> = (0..jobs).map(|i| dir.path().join(format!("work{i}.sqlite3"))).collect();

    fresh_copy(&pristine, &works[0]);
    let before = dump(&works[0]);
    let t0 = Instant::now();
    let outs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = works
            .iter()
            .map(|w| {
                fresh_copy(&pristine, w);
                let bundle = &bundle;
                s.spawn(move || import(w, bundle))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let full = t0.elapsed();
    for out in &outs {
        assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let after = dump(&works[0]);
    assert_ne!(before, after);
    assert!(after.contains("thôn 299") && !before.contains("thôn 299"));

    let seed = std::env::var("KEHOACH_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("{jobs} full imports side by side: {full:?}; KEHOACH_CRASH_SEED={seed}");
    // Spread over the whole run and a little past it, so some rounds finish.
    let case = Case { pristine, bundle, before, after, span_us: (full.as_micros() as u64 * 6 / 5).max(1), seed };
    let rounds: usize = std::env::var("KEHOACH_CRASH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(ROUNDS);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = works
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let n = rounds / jobs + usize::from(i < rounds % jobs);
                let case = &case;
                s.spawn(move || worker(case, i, n, w))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (none, whole, finished) =
        tallies.iter().fold((0, 0, 0), |(n, w, f), t| (n + t.none, w + t.whole, f + t.finished));
    eprintln!(
        "{rounds} rounds in {:?}: {none} with nothing applied, {whole} with the whole import ({finished} ran to the end)",
        started.elapsed()
    );
    assert_eq!(none + whole, rounds);
    assert!(none > 0, "no kill landed before the commit: the delays do not cover the import");
    assert!(whole > 0, "no round kept the import: the delays do not cover the import");
}
