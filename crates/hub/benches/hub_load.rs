//! The hub under load (issue 6): 200 communes, one PC each, all syncing at once on loopback.
//!
//! `cargo bench -p kehoach-hub --bench hub_load`
//!
//! The hub runs in-process as in the hub tests: `api::router` over the embedded SQLite store
//! (a file in a temporary directory), served by a two-thread tokio runtime on 127.0.0.1:0.
//! Each commune's PC is an in-memory `Store` with its own device key, enrolled with the hub,
//! driven by its own thread through `HubClient` (blocking ureq). Each round is started by a
//! barrier so the 200 PCs hit the hub together: a first sync (push 300 ops, then pull), then
//! five next syncs, each after 50 more edits on every PC. Three runs, each with a fresh hub.
//! Clients and hub share the same two cores. For comparison, one PC alone on an idle hub
//! makes the next-sync requests 40 times (one `HubClient`, so one connection).
//!
//! Latency is per `HubClient` call; each call here is exactly one HTTP request (at most one
//! page), including the client's own work (reading its op log, signing; applying what it
//! pulled). The hub's store calls are timed too, through a wrapper around `HubStore`.

use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use kehoach_core::{Change, Kind, Op, Store};
use kehoach_hub::{api, sqlite::SqliteStore, DeviceRecord, HubStore, ParentRecord, Pushed};
use kehoach_sync::{Device, HubClient};
use serde_json::json;
use uuid::Uuid;

const COMMUNES: usize = 200;
const FIRST_OPS: usize = 300;
const NEXT_OPS: usize = 50;
const NEXT_ROUNDS: usize = 5;
const REPEATS: usize = 3;

/// Times every store call the hub makes, waiting for the connection included.
struct Timed {
    inner: Arc<dyn HubStore>,
    calls: Mutex<Vec<(&'static str, Duration)>>,
}

impl Timed {
    fn record(&self, what: &'static str, t0: Instant) {
        self.calls.lock().unwrap().push((what, t0.elapsed()));
    }
}

#[async_trait]
impl HubStore for Timed {
    async fn enrol(&self, d: &DeviceRecord) -> anyhow::Result<()> {
        self.inner.enrol(d).await
    }
    async fn device(&self, id: Uuid) -> anyhow::Result<Option<DeviceRecord>> {
        let t0 = Instant::now();
        let r = self.inner.device(id).await;
        self.record("device lookup (every request)", t0);
        r
    }
    async fn devices_of(&self, commune: Uuid) -> anyhow::Result<Vec<DeviceRecord>> {
        self.inner.devices_of(commune).await
    }
    async fn enrol_parent(&self, p: &ParentRecord) -> anyhow::Result<()> {
        self.inner.enrol_parent(p).await
    }
    async fn parent(&self, id: Uuid) -> anyhow::Result<Option<ParentRecord>> {
        self.inner.parent(id).await
    }
    async fn parents_of(&self, commune: Uuid) -> anyhow::Result<Vec<ParentRecord>> {
        self.inner.parents_of(commune).await
    }
    async fn push(&self, commune: Uuid, ops: &[Op]) -> anyhow::Result<Pushed> {
        let t0 = Instant::now();
        let r = self.inner.push(commune, ops).await;
        self.record("HubStore::push", t0);
        r
    }
    async fn pull(&self, commune: Uuid, after: i64, limit: i64) -> anyhow::Result<Vec<(i64, Op)>> {
        let t0 = Instant::now();
        let r = self.inner.pull(commune, after, limit).await;
        self.record("HubStore::pull", t0);
        r
    }
}

struct Hub {
    url: String,
    store: Arc<Timed>,
    rt: tokio::runtime::Handle,
}

/// Serves the SQLite store in `dir` on a free loopback port from a runtime on its own thread.
fn start(dir: std::path::PathBuf) -> Hub {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let handle = rt.handle().clone();
        rt.block_on(async move {
            let inner: Arc<dyn HubStore> = Arc::new(SqliteStore::open(&dir).unwrap());
            let store = Arc::new(Timed { inner, calls: Mutex::new(Vec::new()) });
            let listener = kehoach_hub::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tx.send((url, store.clone(), handle)).unwrap();
            axum::serve(listener, api::router(store)).await.unwrap();
        });
    });
    let (url, store, rt) = rx.recv().unwrap();
    Hub { url, store, rt }
}

/// `n` ops of ordinary work: tasks of seven fields, then status changes.
fn work(pc: &mut Store, plan: Uuid, c: usize, n: usize, round: usize) {
    let mut changes = Vec::with_capacity(n);
    let mut k = 0;
    while changes.len() < n {
        let id = Uuid::now_v7();
        let t = |f: &str, v: serde_json::Value| Change::new(Kind::Task, id, f, v);
        changes.extend([
            t("plan_id", json!(plan.to_string())),
            t("section", json!("1. Nhóm tiện ích phục vụ giải quyết thủ tục hành chính")),
            t("text", json!(format!("Rà soát, làm sạch dữ liệu dân cư tại thôn {k} của xã {c} (đợt {round})"))),
            t("lead", json!(["Công an xã"])),
            t("due", json!({"kind": "month", "year": 2024, "month": 1 + k % 12})),
            t("status", json!("in_progress")),
            t("pos", json!(k)),
        ]);
        k += 1;
    }
    changes.truncate(n);
    for batch in changes.chunks(100) {
        pc.commit(batch.to_vec()).unwrap();
    }
}

/// Nearest-rank percentile.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((p / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[derive(Default)]
struct Round {
    name: String,
    wall: Duration,
    /// CPU time of the whole process (hub and clients) during the round, and of the hub's
    /// threads (tokio workers and blocking pool) alone.
    cpu: Duration,
    cpu_hub: Duration,
    pushed: u64,
    pulled: u64,
    requests: usize,
    push: Vec<Duration>,
    pull: Vec<Duration>,
}

/// CPU ticks (user + system, 1/100 s) from a `/proc/.../stat` line.
fn ticks(stat: &str) -> u64 {
    let rest = &stat[stat.rfind(')').map(|i| i + 2).unwrap_or(0)..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat(5), counted after "pid (comm)".
    f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
}

/// The process's CPU ticks (exited threads included), and each live hub thread's.
struct Cpu {
    process: u64,
    hub: std::collections::HashMap<String, u64>,
}

fn cpu() -> Cpu {
    let process = ticks(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default());
    let mut hub = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc/self/task").into_iter().flatten().flatten() {
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if comm.starts_with("tokio") {
            let t = ticks(&std::fs::read_to_string(e.path().join("stat")).unwrap_or_default());
            hub.insert(e.file_name().to_string_lossy().into_owned(), t);
        }
    }
    Cpu { process, hub }
}

/// CPU used since `before`: the whole process, and the hub's threads.
fn cpu_since(before: &Cpu) -> (Duration, Duration) {
    let now = cpu();
    let hub: u64 = now.hub.iter().map(|(tid, t)| t.saturating_sub(*before.hub.get(tid).unwrap_or(&0))).sum();
    let tick = |n: u64| Duration::from_millis(n * 10);
    (tick(now.process.saturating_sub(before.process)), tick(hub))
}

/// The kernel's count of connections dropped because a listen queue was full (system-wide,
/// `/proc/net/netstat`): the hub listens with tokio's default backlog of 128, and a dropped
/// connection attempt is retried by the client's TCP after a second.
fn listen_overflows() -> u64 {
    let text = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("TcpExt:")).collect();
    let [names, values] = lines[..] else { return 0 };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "ListenOverflows")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// All PCs sync at once: each pushes its new ops, then pulls.
fn round(hub: &Hub, pcs: Vec<Store>, name: &str) -> (Vec<Store>, Round) {
    let start = Arc::new(Barrier::new(pcs.len() + 1));
    let threads: Vec<_> = pcs
        .into_iter()
        .map(|mut pc| {
            let start = start.clone();
            let url = hub.url.clone();
            std::thread::spawn(move || {
                let client = HubClient::new(&url);
                start.wait();
                let t0 = Instant::now();
                let pushed = client.push(&pc).unwrap();
                let t1 = Instant::now();
                let pulled = client.pull(&mut pc).unwrap();
                let t2 = Instant::now();
                assert_eq!(pushed.duplicates, 0);
                (pc, pushed.accepted, pulled.applied + pulled.duplicates, t1 - t0, t2 - t1)
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    let before = cpu();
    let mut r = Round { name: name.into(), ..Default::default() };
    let mut pcs = Vec::new();
    for t in threads {
        let (pc, pushed, pulled, push, pull) = t.join().unwrap();
        // One page each way: one request per call.
        assert!(pushed <= 1000 && pulled < 1000);
        r.pushed += pushed;
        r.pulled += pulled;
        r.requests += 2;
        r.push.push(push);
        r.pull.push(pull);
        pcs.push(pc);
    }
    r.wall = t0.elapsed();
    (r.cpu, r.cpu_hub) = cpu_since(&before);
    r.push.sort();
    r.pull.sort();
    (pcs, r)
}

/// One run: its first sync, its next syncs summed, and the hub's store calls in each.
type Run = (Round, Round, Calls, Calls);
type Calls = Vec<(&'static str, Duration)>;

impl Round {
    fn add(&mut self, o: Round) {
        self.wall += o.wall;
        self.cpu += o.cpu;
        self.cpu_hub += o.cpu_hub;
        self.pushed += o.pushed;
        self.pulled += o.pulled;
        self.requests += o.requests;
        self.push.extend(o.push);
        self.pull.extend(o.pull);
        self.push.sort();
        self.pull.sort();
    }
}

/// A fresh hub and 200 fresh PCs: one first sync, then `NEXT_ROUNDS` next syncs (summed).
fn scenario() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let hub = start(dir.path().join("hub"));
    assert!(HubClient::new(&hub.url).healthy());

    let t0 = Instant::now();
    let mut pcs = Vec::new();
    let mut plans = Vec::new();
    for c in 0..COMMUNES {
        let mut pc = Store::open_in_memory().unwrap();
        let key = Device::load_or_create(&pc).unwrap().public_key_hex();
        let rec = DeviceRecord { id: pc.device_id(), commune: Uuid::now_v7(), public_key: key };
        hub.rt.block_on(hub.store.enrol(&rec)).unwrap();
        let plan = Uuid::now_v7();
        work(&mut pc, plan, c, FIRST_OPS, 1);
        pcs.push(pc);
        plans.push(plan);
    }
    eprintln!("{COMMUNES} communes enrolled, {FIRST_OPS} ops each made in {:.1} s", t0.elapsed().as_secs_f64());

    let (mut pcs, first) = round(&hub, pcs, &format!("first sync: push {FIRST_OPS} ops, pull"));
    assert_eq!(first.pushed as usize, COMMUNES * FIRST_OPS);
    let first_calls = std::mem::take(&mut *hub.store.calls.lock().unwrap());
    let mut next: Option<Round> = None;
    for k in 0..NEXT_ROUNDS {
        for (c, (pc, plan)) in pcs.iter_mut().zip(&plans).enumerate() {
            work(pc, *plan, c, NEXT_OPS, 2 + k);
        }
        let (p, r) = round(&hub, pcs, &format!("next sync ×{NEXT_ROUNDS}: push {NEXT_OPS} new ops, pull"));
        assert_eq!(r.pushed as usize, COMMUNES * NEXT_OPS);
        pcs = p;
        match &mut next {
            None => next = Some(r),
            Some(n) => n.add(r),
        }
    }
    let next_calls = std::mem::take(&mut *hub.store.calls.lock().unwrap());
    (first, next.unwrap(), first_calls, next_calls)
}

/// The same requests with nobody else on the hub: one PC, 50 new ops, push then pull, 40 times.
fn alone() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let hub = start(dir.path().join("hub"));
    let mut pc = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&pc).unwrap().public_key_hex();
    let rec = DeviceRecord { id: pc.device_id(), commune: Uuid::now_v7(), public_key: key };
    hub.rt.block_on(hub.store.enrol(&rec)).unwrap();
    let plan = Uuid::now_v7();
    let client = HubClient::new(&hub.url);
    let mut r = Round { name: format!("one PC alone: push {NEXT_OPS} new ops, pull"), ..Default::default() };
    for k in 0..40 {
        work(&mut pc, plan, 0, NEXT_OPS, k);
        let t0 = Instant::now();
        r.pushed += client.push(&pc).unwrap().accepted;
        let t1 = Instant::now();
        let p = client.pull(&mut pc).unwrap();
        let t2 = Instant::now();
        r.pulled += p.applied + p.duplicates;
        r.requests += 2;
        r.wall += t2 - t0;
        r.push.push(t1 - t0);
        r.pull.push(t2 - t1);
    }
    r.push.sort();
    r.pull.sort();
    r
}

fn main() {
    let solo = alone();
    let mut results = Vec::new();
    let overflows = listen_overflows();
    for _ in 0..REPEATS {
        results.push(scenario());
    }
    let overflows = listen_overflows() - overflows;

    println!();
    println!("{COMMUNES} communes × 1 PC, all at once, loopback, hub on SQLite; 2 shared cores for hub and clients");
    println!("{REPEATS} runs, each with a fresh hub; the next syncs of a run are summed");
    println!();
    println!(
        "| run | round | requests | ops pushed | ops pulled | wall time | requests/s | ops pushed/s | ops pushed + pulled/s | CPU: all / hub |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, (first, next, _, _)) in results.iter().enumerate() {
        for r in [first, next] {
            let s = r.wall.as_secs_f64();
            println!(
                "| {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0}% / {:.0}% |",
                i + 1,
                r.name,
                r.requests,
                r.pushed,
                r.pulled,
                ms(r.wall),
                r.requests as f64 / s,
                r.pushed as f64 / s,
                (r.pushed + r.pulled) as f64 / s,
                r.cpu.as_secs_f64() / s * 100.0,
                r.cpu_hub.as_secs_f64() / s * 100.0
            );
        }
    }
    println!();
    println!("CPU: CPU time used during the round over its wall time (200% = both cores busy), the whole process");
    println!("and the hub's threads alone (from /proc, 10 ms ticks).");
    println!("Connections dropped on a full listen queue during the runs (system-wide counter): {overflows}");
    let pool = |pick: &dyn Fn(&Run) -> &Round| {
        let mut push: Vec<Duration> = results.iter().flat_map(|x| pick(x).push.iter().copied()).collect();
        let mut pull: Vec<Duration> = results.iter().flat_map(|x| pick(x).pull.iter().copied()).collect();
        push.sort();
        pull.sort();
        let mut all: Vec<Duration> = push.iter().chain(&pull).copied().collect();
        all.sort();
        (pick(&results[0]).name.clone(), push, pull, all)
    };
    println!();
    println!("Latency per request, all runs pooled");
    println!();
    println!("| round | request | samples | p50 | p99 | max |");
    println!("|---|---|---:|---:|---:|---:|");
    let solo_all = {
        let mut v: Vec<Duration> = solo.push.iter().chain(&solo.pull).copied().collect();
        v.sort();
        v
    };
    let solo = (solo.name.clone(), solo.push.clone(), solo.pull.clone(), solo_all);
    for (name, push, pull, all) in [pool(&|x| &x.0), pool(&|x| &x.1), solo] {
        for (what, v) in [("push (POST /v1/push)", &push), ("pull (GET /v1/pull)", &pull), ("all requests", &all)] {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                name,
                what,
                v.len(),
                ms(pct(v, 50.0)),
                ms(pct(v, 99.0)),
                ms(*v.last().unwrap())
            );
        }
    }
    println!();
    println!("Inside the hub: time in its store calls (one SQLite connection behind a mutex), waiting included; all runs pooled");
    println!();
    println!("| round | store call | calls | p50 | p99 | sum |");
    println!("|---|---|---:|---:|---:|---:|");
    for (k, name) in [(0, &results[0].0.name), (1, &results[0].1.name)] {
        for what in ["device lookup (every request)", "HubStore::push", "HubStore::pull"] {
            let mut v: Vec<Duration> = results
                .iter()
                .flat_map(|x| if k == 0 { &x.2 } else { &x.3 })
                .filter(|(w, _)| *w == what)
                .map(|(_, d)| *d)
                .collect();
            v.sort();
            let sum: Duration = v.iter().sum();
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                name,
                what,
                v.len(),
                ms(pct(&v, 50.0)),
                ms(pct(&v, 99.0)),
                ms(sum)
            );
        }
    }
}
