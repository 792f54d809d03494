//! Issue 14, point 2: the hub as `kehoach-hub` serves it (`kehoach_hub::serve`) closes a
//! connection that sends no request head, cuts a body that stalls, serves no more connections
//! than its cap, and holds each device to its quotas — while an enrolled PC's sync goes on,
//! also after its kept-alive connection was closed for idleness. Correctness only: the figures
//! under load are the ignored `load` test's (BENCHMARKS.md).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use kehoach_core::record as field;
use kehoach_core::{Change, Hlc, Kind, Op, Store};
use kehoach_hub::{api, Limits, Quotas};
use kehoach_sync::{hub_auth, HubClient, SyncError};
use serde_json::json;
use uuid::Uuid;

mod common;

use common::{Hub, Serving};

fn start(limits: Limits, quotas: Quotas) -> Hub {
    common::start_sqlite(Serving {
        router: Box::new(move |store| api::router_with(store, None, quotas)),
        limits,
        tls: None,
    })
}

/// A connection with `head` (and nothing more) sent, waiting at most `wait` for answers.
fn connect(hub: &Hub, head: &str, wait: Duration) -> TcpStream {
    let mut tcp = TcpStream::connect(&hub.addr).unwrap();
    tcp.set_read_timeout(Some(wait)).unwrap();
    tcp.write_all(head.as_bytes()).unwrap();
    tcp
}

/// What the hub sent before closing, or `None` if it neither answered nor closed in time.
fn answer(mut tcp: TcpStream) -> Option<String> {
    let mut got = Vec::new();
    match tcp.read_to_end(&mut got) {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset) => {
            Some(String::from_utf8_lossy(&got).into_owned())
        }
        Err(_) => None,
    }
}

fn healthz(hub: &Hub, wait: Duration) -> Option<String> {
    answer(connect(hub, "GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n", wait))
}

fn quick() -> Limits {
    Limits { header_timeout_secs: 1, body_stall_secs: 1, ..Limits::default() }
}

#[test]
fn a_connection_that_sends_nothing_is_closed_and_sync_goes_on() {
    let hub = start(quick(), Quotas::default());
    let commune = Uuid::now_v7();
    let mut pc = Store::open_in_memory().unwrap();
    hub.enrol(&pc, commune);
    let client = HubClient::new(&hub.url);
    pc.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, "Kế hoạch")]).unwrap();
    client.sync(&mut pc).unwrap();

    // Silent, and half a request head: both closed by the hub (the 30 s wait is only a bound;
    // without a header timeout neither is ever closed).
    let silent = connect(&hub, "", Duration::from_secs(30));
    let half = connect(&hub, "POST /v1/push HTTP/1.1\r\nHost: hub\r\n", Duration::from_secs(30));
    assert!(answer(silent).is_some(), "a silent connection is never closed");
    assert!(answer(half).is_some(), "a connection stuck in its head is never closed");

    // The PC's kept-alive connection was closed for idleness too; its next sync still works.
    pc.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, "Kế hoạch hai")]).unwrap();
    assert_eq!(client.sync(&mut pc).unwrap().pushed, 1);
    assert!(healthz(&hub, Duration::from_secs(30)).unwrap().contains("200 OK"));
}

#[test]
fn a_stalled_body_of_an_enrolled_device_is_cut() {
    let hub = start(quick(), Quotas::default());
    let pc = Store::open_in_memory().unwrap();
    hub.enrol(&pc, Uuid::now_v7());
    // Headers good enough for the check before the body (an enrolled device, a fresh time),
    // then 10 bytes of a declared 1,000, then nothing.
    let time = chrono::Utc::now().timestamp_millis();
    let head = format!(
        "POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: 1000\r\n{}: {}\r\n{}: {time}\r\n{}: 00\r\n\r\n{{\"ops\": [",
        hub_auth::HEADER_DEVICE,
        pc.device_id(),
        hub_auth::HEADER_TIME,
        hub_auth::HEADER_SIGNATURE
    );
    let got = answer(connect(&hub, &head, Duration::from_secs(30))).expect("the stalled body is never cut");
    let status: u16 = got.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!(got.is_empty() || (400..500).contains(&status), "{got}");
}

#[test]
fn no_more_connections_than_the_cap_are_served() {
    let limits = Limits { max_connections: 4, header_timeout_secs: 60, ..Limits::default() };
    let hub = start(limits, Quotas::default());
    assert!(healthz(&hub, Duration::from_secs(30)).unwrap().contains("200 OK"));
    let held: Vec<TcpStream> = (0..4).map(|_| connect(&hub, "", Duration::from_secs(30))).collect();
    // Give the hub time to accept the four.
    std::thread::sleep(Duration::from_millis(300));
    let waiting =
        connect(&hub, "GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n", Duration::from_millis(500));
    let mut first = [0u8; 1];
    let e = (&waiting).read(&mut first).expect_err("a fifth connection was served past the cap of four");
    assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{e}");
    // One held connection goes: the waiting one is served.
    drop(held);
    waiting.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    assert!(answer(waiting).unwrap().contains("200 OK"));
}

fn op(pc: &Store, text: &str) -> Op {
    Op {
        id: Uuid::now_v7(),
        entity: Uuid::now_v7(),
        kind: Kind::Plan,
        field: "title".into(),
        value: json!(text),
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: pc.device_id(),
        prev: Hlc::default(),
        sig: None,
    }
}

fn refusal<T: std::fmt::Debug>(r: Result<T, SyncError>) -> (u16, String) {
    match r {
        Err(SyncError::HubRefused { status, message }) => (status, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_device_past_its_quotas_is_refused_and_the_others_sync_on() {
    let quotas = Quotas { max_push_ops: 20, daily_ops: 15, ..Quotas::default() };
    let hub = start(Limits::default(), quotas);
    let commune = Uuid::now_v7();
    let (a, mut b) = (Store::open_in_memory().unwrap(), Store::open_in_memory().unwrap());
    hub.enrol(&a, commune);
    hub.enrol(&b, commune);
    let c = HubClient::new(&hub.url);
    let ops: Vec<Op> = (0..21).map(|i| op(&a, &format!("Kế hoạch {i}"))).collect();
    let (status, message) = refusal(c.push_for_commune(&a, commune, &ops));
    assert_eq!(status, 413);
    assert!(message.contains("quá mức 20"), "{message}");
    c.push_for_commune(&a, commune, &ops[..10]).unwrap();
    // Sent again, the same ops are not new: they do not count.
    c.push_for_commune(&a, commune, &ops[..10]).unwrap();
    c.push_for_commune(&a, commune, &ops[10..15]).unwrap();
    let (status, message) = refusal(c.push_for_commune(&a, commune, &[op(&a, "thêm"), op(&a, "nữa")]));
    assert_eq!(status, 429);
    assert!(message.contains("trong ngày hôm nay"), "{message}");
    // Another device of the commune is not held to a's count, and receives a's fifteen.
    b.commit(vec![Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, "Kế hoạch của B")]).unwrap();
    let r = c.sync(&mut b).unwrap();
    assert_eq!(r.pulled.applied, 15);
}
