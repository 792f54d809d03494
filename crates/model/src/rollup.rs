//! The roll-up for the level above: how a commune's report for a period stands and how its
//! figures are written, the same on the screen, in the CLI and on paper.

use serde::{Deserialize, Serialize};

/// Where a commune's report for the period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollupReport {
    /// Issued ("đã ban hành").
    Issued,
    /// Drafted, not issued ("bản nháp").
    Draft,
    /// No report for the period ("chưa có").
    Missing,
    /// The commune has never synced with the hub, so nothing is known ("chưa đồng bộ").
    NotSynced,
}

impl RollupReport {
    /// From the hub's `CommuneRollup { report_status, ops, .. }`: "issued" is issued, any other
    /// status a draft; without one, a commune the hub holds no ops of has never synced.
    pub fn from_wire(report_status: Option<&str>, ops: u64) -> Self {
        match report_status {
            Some("issued") => RollupReport::Issued,
            Some(_) => RollupReport::Draft,
            None if ops == 0 => RollupReport::NotSynced,
            None => RollupReport::Missing,
        }
    }

    /// As printed, and as `kehoach rollup` prints it.
    pub fn label_vi(self) -> &'static str {
        match self {
            RollupReport::Issued => "đã ban hành",
            RollupReport::Draft => "bản nháp",
            RollupReport::Missing => "chưa có",
            RollupReport::NotSynced => "chưa đồng bộ",
        }
    }
}

/// A file size the Vietnamese way: "850 byte", "12,5 KB", "3,2 MB".
pub fn format_size_vi(bytes: u64) -> String {
    const K: f64 = 1024.0;
    match bytes as f64 {
        b if b < K => format!("{bytes} byte"),
        b if b < K * K => format!("{} KB", format_number_vi(b / K)),
        b => format!("{} MB", format_number_vi(b / (K * K))),
    }
}

/// A figure the Vietnamese way, to one decimal place: "1.234.567", "80,3", "0". Dots group
/// the thousands, a comma marks the decimals, and a zero tenth is left out.
pub fn format_number_vi(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let r = (v.abs() * 10.0).round();
    let int = (r / 10.0).trunc() as u64;
    let frac = (r % 10.0) as u64;
    let digits = int.to_string();
    // Groups of three from the right: the first group takes what is left over.
    let (head, tail) = digits.split_at(digits.len() % 3);
    let mut groups: Vec<&str> = if head.is_empty() { Vec::new() } else { vec![head] };
    groups.extend(tail.as_bytes().chunks(3).map(|c| std::str::from_utf8(c).expect("ASCII digits")));
    let grouped = groups.join(".");
    // A figure that rounds to zero has no sign.
    let sign = if v < 0.0 && r > 0.0 { "-" } else { "" };
    if frac > 0 {
        format!("{sign}{grouped},{frac}")
    } else {
        format!("{sign}{grouped}")
    }
}
