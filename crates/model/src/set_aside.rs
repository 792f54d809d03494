//! Ops this PC received and could not apply (issue 14, point 3), as the Đồng bộ screen lists
//! them.

use serde::{Deserialize, Serialize};

/// One op set aside: who sent it, what it tried to change, and why it was not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAsideOp {
    pub op_id: String,
    /// The device that made the op.
    pub device: String,
    /// The name its officer gave that PC, when this PC has learnt it.
    pub sender: Option<String>,
    /// The kind of record, as an officer calls it ("kế hoạch", "nhiệm vụ", …); the op's own
    /// word for it when that is not a kind this version knows.
    pub kind: String,
    pub field: String,
    /// Why, in Vietnamese.
    pub reason: String,
    /// When it was first set aside (RFC 3339).
    pub at: String,
}
