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
            Some("issued" | "accepted" | "returned") => RollupReport::Issued,
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

/// Where one commune's report for a period stands, as the level above sees it (DHIS2's
/// reporting rate: a draft is not received; on time means first issued by the due day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollupStatus {
    /// No report for the period ("chưa có").
    None,
    /// Drafted, not issued: not counted as received.
    Draft,
    /// Issued by the due day.
    OnTime,
    /// Issued after the due day.
    Late,
    /// Accepted by the level above.
    Accepted,
    /// Returned by the level above for a correction.
    Returned,
}

impl RollupStatus {
    pub const ALL: [RollupStatus; 6] = [
        RollupStatus::None,
        RollupStatus::Draft,
        RollupStatus::OnTime,
        RollupStatus::Late,
        RollupStatus::Accepted,
        RollupStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RollupStatus::None => "none",
            RollupStatus::Draft => "draft",
            RollupStatus::OnTime => "on_time",
            RollupStatus::Late => "late",
            RollupStatus::Accepted => "accepted",
            RollupStatus::Returned => "returned",
        }
    }

    /// Counted as received: issued at least once (a draft is not).
    pub fn received(self) -> bool {
        !matches!(self, RollupStatus::None | RollupStatus::Draft)
    }

    /// "chưa có", "dự thảo", "đã gửi đúng hạn", "đã gửi muộn 3 ngày", "đã chấp nhận", "trả lại".
    pub fn label_vi(self, late_days: Option<i64>) -> String {
        match self {
            RollupStatus::None => "chưa có".into(),
            RollupStatus::Draft => "dự thảo".into(),
            RollupStatus::OnTime => "đã gửi đúng hạn".into(),
            RollupStatus::Late => match late_days {
                Some(n) if n > 0 => format!("đã gửi muộn {n} ngày"),
                _ => "đã gửi muộn".into(),
            },
            RollupStatus::Accepted => "đã chấp nhận".into(),
            RollupStatus::Returned => "trả lại".into(),
        }
    }

    /// The short code of a state in the year's grid, on the screen, on paper and in the CLI (the
    /// colour says it too, but a page printed in black and white keeps only the code).
    pub fn grid_code(self) -> &'static str {
        match self {
            RollupStatus::None => "–",
            RollupStatus::Draft => "DT",
            RollupStatus::OnTime => "ĐH",
            RollupStatus::Late => "M",
            RollupStatus::Accepted => "CN",
            RollupStatus::Returned => "TL",
        }
    }

    /// One colour per state, the same on the screen and on paper (RGB hex): grey for nothing,
    /// light grey for a draft, green on time, orange late, blue accepted, red returned.
    pub fn colour(self) -> &'static str {
        match self {
            RollupStatus::None => "#9e9e9e",
            RollupStatus::Draft => "#cfd8dc",
            RollupStatus::OnTime => "#43a047",
            RollupStatus::Late => "#fb8c00",
            RollupStatus::Accepted => "#1e88e5",
            RollupStatus::Returned => "#e53935",
        }
    }
}

/// One commune's report for one period, as the roll-up shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneReportState {
    pub status: RollupStatus,
    /// The report shown (when there are several for the period: the furthest along).
    #[serde(default)]
    pub report_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub version: Option<u32>,
    /// When the current version was issued (RFC 3339).
    #[serde(default)]
    pub issued_at: Option<String>,
    /// Days late at the first issue (0 on time).
    #[serde(default)]
    pub late_days: Option<i64>,
    /// The due day (ISO).
    #[serde(default)]
    pub due: Option<String>,
    /// Number and symbol, e.g. "24/BC-UBND".
    #[serde(default)]
    pub number: Option<String>,
    /// The signed PDF (`attachments/<sha256>.pdf`) or the scan of the paper, if any.
    #[serde(default)]
    pub document: Option<String>,
    /// The reason given when it was returned.
    #[serde(default)]
    pub review_reason: Option<String>,
}

impl CommuneReportState {
    pub fn none() -> Self {
        CommuneReportState {
            status: RollupStatus::None,
            report_id: None,
            version: None,
            issued_at: None,
            late_days: None,
            due: None,
            number: None,
            document: None,
            review_reason: None,
        }
    }
}

/// Completeness and timeliness of a period (DHIS2's reporting rates): received / expected and
/// on time / expected, where received means issued at least once and on time means first
/// issued by the due day (an on-time report later accepted or returned stays on time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RollupTotals {
    pub expected: u32,
    pub received: u32,
    pub on_time: u32,
    /// received / expected, 0–1 (0 when nothing is expected).
    pub completeness: f64,
    /// on_time / expected, 0–1.
    pub timeliness: f64,
}

impl RollupTotals {
    pub fn of<'a>(states: impl IntoIterator<Item = &'a CommuneReportState>) -> Self {
        let mut t = RollupTotals::default();
        for s in states {
            t.expected += 1;
            if s.status.received() {
                t.received += 1;
                if s.late_days.is_some_and(|d| d <= 0) {
                    t.on_time += 1;
                }
            }
        }
        let ratio = |n: u32| if t.expected == 0 { 0.0 } else { n as f64 / t.expected as f64 };
        t.completeness = ratio(t.received);
        t.timeliness = ratio(t.on_time);
        t
    }
}

/// `GET /v1/rollup?period=`: the communes a parent unit oversees, read-only, for one period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rollup {
    /// The parent unit's name (a commune's own device gets its commune alone).
    pub unit: String,
    /// The period code as stored in reports: "2024-05", "2024-Q2", "2024-H1", "2024".
    pub period: String,
    /// The period's last day (ISO): overdue counts and target figures are as of it.
    pub as_of: String,
    pub communes: Vec<CommuneRollup>,
    /// How many communes have issued a report for the period (a draft is not counted).
    pub reported: u32,
    /// The indicators' figures of the communes that have one, summed per indicator: counts
    /// added, percentages as Σ numerator / Σ denominator, yes/no counted (see
    /// `crate::aggregate_indicators`). The same sums, for readers of this older
    /// field: counts and percentages with a base only, never percentages added.
    pub targets: Vec<TargetSum>,
    /// The indicators summed by kind: what the roll-up screen and print show.
    #[serde(default)]
    pub indicators: Vec<crate::IndicatorSum>,
    /// Completeness and timeliness of the period.
    #[serde(default)]
    pub totals: crate::RollupTotals,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommuneRollup {
    pub commune: uuid::Uuid,
    /// From the commune's settings; its id when it has not synced any yet.
    pub name: String,
    pub tasks: u32,
    pub done: u32,
    /// Not done (nor "cannot do") and past their deadline on the period's last day.
    pub overdue: u32,
    /// A report for the period was issued (a draft does not count).
    pub report: bool,
    /// The report's status (`draft`, `issued`, `accepted`, `returned`); absent without a
    /// report.
    pub report_status: Option<String>,
    /// How many ops the hub holds for the commune (0: it never synced).
    pub ops: u64,
    /// Where the period's report stands for the level above: on time, late, accepted, …
    #[serde(default = "crate::CommuneReportState::none")]
    pub state: crate::CommuneReportState,
    /// Why this commune's figures could not be read (its data hold something this version
    /// cannot apply): the other communes are still summed, and this one says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The version of kehoach each of the commune's PCs said it runs when it last synced
    /// (PCs that never said are not listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<crate::PcProgram>,
}

impl CommuneRollup {
    /// The commune's PCs that run a version older than `current` (the district's own).
    pub fn old_programs<'a>(&'a self, current: &str) -> Vec<&'a crate::PcProgram> {
        self.programs.iter().filter(|p| crate::is_older_version(&p.version, current)).collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetSum {
    pub text: String,
    pub unit: String,
    /// The target values summed.
    pub target: f64,
    /// Each target's latest recorded figure up to the period's end, summed.
    pub actual: f64,
    /// How many communes have this target.
    pub communes: u32,
}

/// A district or province PC's view of one commune it holds a copy of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneCopy {
    pub commune: uuid::Uuid,
    /// From the commune's settings; empty before any of its data arrived.
    pub name: String,
    pub ops: i64,
}

/// A communes × months grid of `year`: each commune's state for every month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearGrid {
    pub year: i32,
    pub communes: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub commune: uuid::Uuid,
    pub name: String,
    /// Twelve states, January first.
    pub months: Vec<CommuneReportState>,
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
