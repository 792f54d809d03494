//! Types shared by the core, the CLI, the desktop shell and the Yew UI.
//!
//! Everything here is plain serde data so it builds for wasm32 as well as for the host.

pub mod device;
pub mod entity;
pub mod indicator;
pub mod kinds;
pub mod plan_doc;
pub mod plan_link;
pub mod program;
pub mod report;
pub mod rollup;
pub mod set_aside;

pub use device::*;
pub use entity::*;
pub use indicator::*;
pub use kinds::kind_label_vi;
pub use plan_doc::*;
pub use plan_link::*;
pub use program::*;
pub use report::*;
pub use rollup::*;
pub use set_aside::*;
pub mod contract;
pub mod tracking;
pub use tracking::*;
