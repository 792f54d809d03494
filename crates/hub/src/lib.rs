//! The kehoach hub: devices of a commune push their ops and pull each other's, by cursor, and
//! with them the attachment files (evidence files, signed report PDFs) those ops refer to.
//!
//! Every request is signed by the device's Ed25519 key (see `kehoach_sync::hub_auth`); the hub
//! knows each enrolled device's key and commune, and a device reads and writes only its own
//! commune's ops and files; a parent unit's device reads the communes it oversees (their ops,
//! their files and a roll-up) and writes nothing. Storage sits behind [`HubStore`], with one
//! module per engine.

pub mod api;
pub mod postgres;
mod rollup;
pub mod sqlite;
mod store;

pub use store::{DeviceRecord, HubStore, ParentRecord, Pushed};
