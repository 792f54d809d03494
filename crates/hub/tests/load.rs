//! The hub under hostile load (issue 14, point 2): 100 clients pushing 64 MiB bodies without
//! signing, and 2,000 connections that send nothing, while an enrolled PC syncs. The real
//! `kehoach-hub` binary runs as its own process with its default limits, so its memory is its
//! own: /healthz must answer within a second, the PC's every sync must succeed, and the hub must
//! stay under 200 MB resident. Ignored in the normal suite (it takes a minute and 2,100 sockets);
//! run it, with the figures printed, by
//!
//! `cargo test -p kehoach-hub --release --test load -- --ignored --nocapture`
//!
//! The attackers and the PC run in this process, on the same cores as the hub. An idle
//! connection the hub closes (after its header timeout) is opened again at once, and each
//! 64 MiB pusher starts again when refused, so the load lasts the whole run.

use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kehoach_core::record as field;
use kehoach_core::{Change, Kind, Store};
use kehoach_sync::{Device, HubClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;

const IDLE: usize = 2_000;
const PUSHERS: usize = 100;
const BODY: usize = 64 << 20;
const RUN: Duration = Duration::from_secs(45);

struct HubProcess(Child);

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Resident and peak resident memory of a process, in KiB, from /proc.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One GET /healthz on a new connection: its time, or `None` if it failed.
async fn healthz(addr: &str) -> Option<Duration> {
    let t0 = Instant::now();
    let go = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n").await.ok()?;
        let mut got = Vec::new();
        s.read_to_end(&mut got).await.ok()?;
        got.starts_with(b"HTTP/1.1 200").then_some(())
    };
    tokio::time::timeout(Duration::from_secs(10), go).await.ok()??;
    Some(t0.elapsed())
}

/// Holds a connection that sends nothing; opens another when the hub closes it.
async fn idle(addr: String, stop: Arc<AtomicBool>, closed: Arc<AtomicU64>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let mut buf = [0u8; 64];
        let _ = tokio::time::timeout(RUN, s.read(&mut buf)).await;
        closed.fetch_add(1, Ordering::Relaxed);
    }
}

/// Pushes a 64 MiB body without signing it, again and again; counts the hub's answers.
async fn pusher(addr: String, stop: Arc<AtomicBool>, refused: Arc<AtomicU64>, sent: Arc<AtomicU64>) {
    let chunk = vec![b'x'; 64 << 10];
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let head = format!(
            "POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: {BODY}\r\n\r\n"
        );
        if s.write_all(head.as_bytes()).await.is_err() {
            continue;
        }
        let (mut read, mut write) = s.into_split();
        let writer = {
            let (chunk, sent) = (chunk.clone(), sent.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while n < BODY {
                    if write.write_all(&chunk).await.is_err() {
                        break;
                    }
                    n += chunk.len();
                    sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            })
        };
        let mut answer = [0u8; 12];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(30), read.read(&mut answer)).await {
            if n >= 12 && (&answer[9..12] == b"401" || &answer[9..12] == b"403") {
                refused.fetch_add(1, Ordering::Relaxed);
            }
        }
        writer.abort();
    }
}

#[test]
#[ignore = "a minute of load with 2,100 sockets: run by hand, see the file's comment"]
fn healthz_and_a_pcs_sync_survive_hostile_load() {
    let files = kehoach_hub::serve::raise_open_file_limit();
    assert!(files > (IDLE + PUSHERS + 200) as u64 * 2, "open-file limit {files}: raise it (ulimit -n 20000)");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let bin = env!("CARGO_BIN_EXE_kehoach-hub");

    // An enrolled PC with a plan of 500 tasks to push.
    let mut pc = Store::open_in_memory().unwrap();
    let key = Device::load_or_create(&pc).unwrap().public_key_hex();
    let commune = Uuid::now_v7();
    let enrol = Command::new(bin)
        .arg("--data")
        .arg(&data)
        .args(["enrol", "--commune", &commune.to_string(), "--device", &pc.device_id().to_string()])
        .args(["--public-key", &key])
        .status()
        .unwrap();
    assert!(enrol.success());
    let plan = Uuid::now_v7();
    let mut changes = vec![Change::new(Kind::Plan, plan, field::plan::TITLE, "Kế hoạch chuyển đổi số")];
    for i in 0..500 {
        let t = Uuid::now_v7();
        changes.push(Change::new(Kind::Task, t, field::task::PLAN_ID, plan.to_string()));
        changes.push(Change::new(Kind::Task, t, field::task::TEXT, format!("Nhiệm vụ {i}")));
    }
    pc.commit(changes).unwrap();

    let addr = format!("127.0.0.1:{}", free_port());
    let hub = HubProcess(Command::new(bin).arg("--data").arg(&data).args(["--listen", &addr]).spawn().unwrap());
    let pid = hub.0.id();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        for _ in 0..100 {
            if healthz(&addr).await.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let (rss_before, _) = memory_kib(pid);

    let stop = Arc::new(AtomicBool::new(false));
    let (closed, refused, sent) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let t0 = Instant::now();
    let attackers: Vec<_> = (0..IDLE)
        .map(|_| rt.spawn(idle(addr.clone(), stop.clone(), closed.clone())))
        .chain((0..PUSHERS).map(|_| rt.spawn(pusher(addr.clone(), stop.clone(), refused.clone(), sent.clone()))))
        .collect();

    // The PC syncs every three seconds, with 50 new edits each time.
    let syncer = {
        let (url, stop) = (format!("http://{addr}"), stop.clone());
        std::thread::spawn(move || {
            let client = HubClient::new(&url);
            let mut results = Vec::new();
            let mut round = 0;
            std::thread::sleep(Duration::from_secs(3));
            while !stop.load(Ordering::Relaxed) {
                let edits = (0..50)
                    .map(|i| Change::new(Kind::Plan, plan, field::plan::TITLE, format!("Kế hoạch, lần {round}.{i}")));
                pc.commit(edits.collect()).unwrap();
                let t = Instant::now();
                let r = client.sync(&mut pc);
                results.push((t.elapsed(), r.map(|r| r.pushed).map_err(|e| e.to_string())));
                round += 1;
                std::thread::sleep(Duration::from_secs(3));
            }
            results
        })
    };

    // /healthz every 250 ms, and the hub's memory.
    let mut health = Vec::new();
    let mut peak_rss = 0;
    rt.block_on(async {
        while t0.elapsed() < RUN {
            health.push(healthz(&addr).await);
            peak_rss = peak_rss.max(memory_kib(pid).0);
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    });
    stop.store(true, Ordering::Relaxed);
    let syncs = syncer.join().unwrap();
    let (_, hwm) = memory_kib(pid);
    for a in attackers {
        a.abort();
    }
    drop(rt);

    let answered: Vec<Duration> = health.iter().flatten().copied().collect();
    let mut sorted = answered.clone();
    sorted.sort();
    let pct = |p: f64| sorted.get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1))).copied();
    let ok_syncs = syncs.iter().filter(|(_, r)| r.is_ok()).count();
    let slowest_sync = syncs.iter().map(|(t, _)| *t).max().unwrap_or_default();
    println!("hostile load on kehoach-hub (default limits), {} s:", RUN.as_secs());
    println!("  attackers: {IDLE} idle connections, {PUSHERS} unsigned 64 MiB pushers");
    println!("  idle connections closed by the hub (and opened again): {}", closed.load(Ordering::Relaxed));
    println!(
        "  unsigned pushes refused: {}, bytes the pushers wrote before the hub closed (socket buffers): {:.1} MiB",
        refused.load(Ordering::Relaxed),
        sent.load(Ordering::Relaxed) as f64 / (1 << 20) as f64
    );
    println!(
        "  /healthz: {} asked, {} answered; p50 {:?}, p99 {:?}, max {:?}",
        health.len(),
        answered.len(),
        pct(0.5).unwrap_or_default(),
        pct(0.99).unwrap_or_default(),
        sorted.last().copied().unwrap_or_default()
    );
    println!("  PC syncs: {ok_syncs} of {} succeeded, slowest {slowest_sync:?}", syncs.len());
    for (t, r) in &syncs {
        if let Err(e) = r {
            println!("    failed after {t:?}: {e}");
        }
    }
    println!(
        "  hub memory: {:.1} MB before, {:.1} MB peak sampled, {:.1} MB peak (VmHWM)",
        rss_before as f64 / 1024.0,
        peak_rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );

    assert!(!syncs.is_empty() && ok_syncs == syncs.len(), "every sync of the PC succeeds");
    assert_eq!(answered.len(), health.len(), "/healthz always answers");
    assert!(sorted.last().is_some_and(|m| *m < Duration::from_secs(1)), "/healthz within a second");
    assert!(hwm < 200 * 1024, "the hub stays under 200 MB");
}
