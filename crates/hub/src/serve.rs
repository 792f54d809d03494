//! Serving the hub's routes on the open internet (issue 14, point 2). `axum::serve` gives hyper
//! no timer, so a connection that never sends its request head is kept for ever: 1,100
//! half-open connections took the hub past its open-file limit and /healthz stopped answering.
//! Here each connection is served by hyper's HTTP/1 connection with:
//!
//! - a header timeout (hyper's `header_read_timeout`, with tokio's timer): a request head must
//!   arrive within it, and a kept-alive connection that sends no next request is closed after it
//!   too — that is the idle timeout;
//! - a body stall timeout (tower-http's `RequestBodyTimeoutLayer`): a body that sends nothing for
//!   that long is cut, whatever its size;
//! - a whole-request timeout (tower-http's `TimeoutLayer`, 408), long enough for 64 MiB over a
//!   slow commune line;
//! - a connection cap: past it, new connections wait in the listen queue instead of being
//!   accepted (a semaphore permit held by each connection's task), and the cap is kept under
//!   the process's open-file limit, which is raised to its hard limit first.
//!
//! Requests are still authenticated from their headers before any body is read (`api::pre_auth`),
//! and each device has its quotas (`quota.rs`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The limits a served hub keeps; `kehoach-hub` takes them as options.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Most connections served at once; more wait in the listen queue.
    #[arg(long, default_value_t = 4096)]
    pub max_connections: usize,
    /// Seconds a client has to send a request's head; also how long an idle kept-alive
    /// connection is kept.
    #[arg(long, default_value_t = 20)]
    pub header_timeout_secs: u64,
    /// Seconds a request body may send nothing before it is cut.
    #[arg(long, default_value_t = 30)]
    pub body_stall_secs: u64,
    /// Seconds a whole request may take (64 MiB at 1 Mbit/s takes nine minutes).
    #[arg(long, default_value_t = 900)]
    pub request_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_connections: 4096, header_timeout_secs: 20, body_stall_secs: 30, request_timeout_secs: 900 }
    }
}

/// Open files kept for the hub itself (its database, WAL, attachments, the listener) beside
/// the connections.
const FILES_IN_RESERVE: u64 = 64;

/// Serves `app` on `listener` with `limits` until `shutdown` completes, then lets open
/// requests finish.
pub async fn serve<L>(mut listener: L, app: Router, limits: Limits, shutdown: impl Future<Output = ()> + Send)
where
    L: Listener,
{
    let cap = connection_cap(limits.max_connections);
    let permits = Arc::new(Semaphore::new(cap));
    let service = ServiceBuilder::new()
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(limits.request_timeout_secs),
        ))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(limits.body_stall_secs)))
        .map_request(|req: axum::http::Request<_>| req.map(axum::body::Body::new))
        .service(app);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(limits.header_timeout_secs));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A permit first: at the cap, nothing more is accepted until a connection ends.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (io, _peer) = tokio::select! {
            c = listener.accept() => c,
            () = &mut shutdown => break,
        };
        let conn = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that hangs up or times out is no error of the hub's.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    // Open requests get a while to finish; kept-alive idle connections are closed at once.
    let _ = tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await;
}

/// `wanted`, or fewer when the process may not open that many files.
fn connection_cap(wanted: usize) -> usize {
    let files = raise_open_file_limit();
    let room = files.saturating_sub(FILES_IN_RESERVE).max(1);
    wanted.min(usize::try_from(room).unwrap_or(usize::MAX)).max(1)
}

/// Raises the soft limit of open files to the hard limit (a service started with the usual
/// soft limit of 1,024 could not hold 2,000 connections) and returns the limit in force.
#[cfg(unix)]
pub fn raise_open_file_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    unsafe {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not on every Unix
        let current = lim.rlim_cur as u64;
        current
    }
}

/// Windows has no such per-process limit on sockets.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> u64 {
    u64::MAX
}
