//! "Các máy của xã" (issue 14, point 5): the commune's devices and revoking a lost PC.

use serde::{Deserialize, Serialize};

use super::commands;

commands! {
    CommuneDevices = "commune_devices" {} -> DeviceList;
    /// "Thu hồi máy này", once the officer confirmed: this PC itself is refused.
    RevokeDevice = "revoke_device" { device: String } -> Revoked;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceList {
    pub devices: Vec<crate::CommuneDevice>,
    /// "Máy mới: …" lines the background sync learnt since the list was last shown.
    pub learnt: Vec<String>,
}

/// What revoking did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revoked {
    pub device: crate::CommuneDevice,
    /// It had been revoked before; nothing changed.
    pub already: bool,
}
