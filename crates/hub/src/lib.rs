//! The kehoach hub: devices of a commune push their ops and pull each other's, by cursor, and
//! with them the attachment files (evidence files, signed report PDFs) those ops refer to.
//!
//! Every request is signed by the device's Ed25519 key (see `kehoach_sync::hub_auth`); the hub
//! knows each enrolled device's key and commune, and a device reads and writes only its own
//! commune's ops and files; a parent unit's device reads the communes it oversees (their ops,
//! their files and a roll-up) and writes nothing. Storage sits behind [`HubStore`], with one
//! module per engine.

pub mod api;
pub mod pg_tls;
pub mod postgres;
mod publications;
pub mod quota;
mod rollup;
pub mod serve;
pub mod sqlite;
mod store;
pub mod tls;

pub use quota::Quotas;
pub use serve::{serve, Limits};
pub use store::{DeviceRecord, HubStore, ParentRecord, Pushed};

/// The hub's listening socket, with room for 1,024 connections waiting to be accepted. With
/// the default of 128, two hundred communes syncing at once overflowed the queue and each
/// dropped connection waited a second for TCP to retry it (the hub benchmark's push p99).
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}
