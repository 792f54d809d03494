//! What the shell's roll-up commands answer, as this screen reads it: the contract's types
//! (`kehoach_model::contract`), with the screen's name for a commune's line.

pub use kehoach_model::contract::{DocumentCheck, RollupView, SyncOverview as DeviceKey};
pub use kehoach_model::{CommuneRollup as CommuneRow, YearGrid};
