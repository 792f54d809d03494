//! The commune's devices as the officer sees them (issue 14, point 5): who works on each,
//! how it was let in, when it last wrote something this PC holds, and whether it was revoked.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One device of the commune, as `kehoach sync devices` and the "Đồng bộ" screen list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneDevice {
    pub device: Uuid,
    /// The PC this list was made on.
    pub this_pc: bool,
    /// From the device's user record ("Nguyễn Văn Hùng (Công an xã)"); `None` before its
    /// officer set a name.
    pub officer: Option<String>,
    /// Of its signing key, as the sync screens show it to compare by phone.
    pub fingerprint: String,
    /// "invitation", "accepted", "vouched", "parent:<unit>"; "founder" for the PC that made
    /// the commune (nobody admitted it); "trusted" for a device this PC trusts that no
    /// statement admits yet.
    pub how: String,
    /// The same in the officer's words: "do Lê Văn Tám mời ngày 03/12/2026".
    pub how_vi: String,
    /// The device that let it in.
    pub admitted_by: Option<Uuid>,
    /// RFC 3339: when it was let in.
    pub since: Option<String>,
    /// RFC 3339: the newest change stamped by this device that this PC holds.
    pub last_seen: Option<String>,
    pub revoked: Option<DeviceRevocation>,
}

/// When and by whom a device was withdrawn from the commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRevocation {
    /// RFC 3339 (to the millisecond): its changes stamped after this are refused.
    pub at: String,
    pub by: Uuid,
    /// The revoking device's officer, or "máy <id>".
    pub by_name: String,
}
