//! The kehoach core: one SQLite file, one write path.
//!
//! Every change of data is an [`Op`] applied by [`Store::commit`] (local edits) or
//! [`Store::apply_ops`] (ops from another device); both end in `apply::apply_one`, inside one
//! transaction that writes the op log, the per-field winners and the projected rows.
//! Nothing else writes rows.
//!
//! Nor does anything else read them: `Store` hands out no connection, and every other crate
//! (sync, sign, the hub's roll-up, the CLI, the app) does what it needs of the database
//! through named functions here — a backup copy through [`backup_file`], device statements
//! through [`pc_users`], and so on (a test keeps SQLite out of the other crates' code). The
//! kinds of record and their fields are declared once, with their types, in [`record`].

mod actions;
mod apply;
pub mod backup_file;
mod dates;
mod deletion;
pub use apply::Applied;
pub mod due;
mod dump;
mod error;
pub mod fold;
mod hlc;
pub mod instance;
#[cfg(test)]
mod merge_laws;
mod op;
pub mod pc_users;
pub mod private_file;
mod project;
pub mod queries;
pub mod record;
pub mod reports;
mod schema;
pub mod set_aside;
mod store;
pub mod tracking;
pub mod upstream;

pub use actions::*;
pub use dates::check_iso_date;
pub use deletion::{delete_checklist, delete_evidence, delete_note, delete_plan, delete_target, delete_task};
pub use dump::Dump;
pub use error::{CoreError, Result};
pub use hlc::Hlc;
pub use op::{Change, Kind, Op, MAX_CLOCK_DRIFT_MS, SETTINGS_ID};
pub use schema::{schema_objects, SCHEMA_VERSION};
pub use store::{default_db_path, Store, APP_IDENTIFIER};
/// What one commune's replica gives the district's roll-up (see `kehoach_model::aggregate_indicators`).
pub use tracking::targets::indicator_figures;
