//! Reminders of report deadlines: the desktop app shows a notification the day before a
//! report is due (and on the day itself, when the PC was off the day before), once per report
//! and PC. Which reminders were shown is a local setting, not an op: every PC of the commune
//! reminds its own officer, and the reminder is no data to sync.

use chrono::NaiveDate;
use kehoach_model::{ScheduleEntry, ScheduleState};

use super::schedule::report_schedule;
use crate::error::Result;
use crate::store::Store;

/// A deadline to remind the officer of, with the notification's text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reminder {
    pub entry: ScheduleEntry,
    pub title: String,
    pub body: String,
}

fn key(e: &ScheduleEntry) -> String {
    format!("reminded.{}.{}", e.plan_id, e.period_code)
}

fn dmy(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|_| iso.into())
}

/// The reports due tomorrow or today on `as_of` (ISO; today when absent) that are not yet
/// issued and of which this PC has not reminded yet.
pub fn due_reminders(store: &Store, as_of: Option<&str>) -> Result<Vec<Reminder>> {
    let mut out = Vec::new();
    for e in report_schedule(store, as_of)? {
        if e.state != ScheduleState::Upcoming || !(0..=1).contains(&e.days_left) {
            continue;
        }
        if store.local_setting(&key(&e))?.is_some() {
            continue;
        }
        let when = if e.days_left == 1 { "ngày mai" } else { "hôm nay" };
        let title = format!("Hạn gửi báo cáo {when}, {}", dmy(&e.due));
        let mut body = format!("Báo cáo {} — {}", e.period_label, e.plan_title);
        if let Some(to) = e.to.as_deref().filter(|t| !t.trim().is_empty()) {
            body += &format!(", gửi {to}");
        }
        body +=
            if e.report_id.is_some() { ". Bản nháp đã có, chưa ban hành." } else { ". Chưa lập báo cáo." };
        out.push(Reminder { entry: e, title, body });
    }
    Ok(out)
}

/// Records that this PC has shown `r`, so it is not shown again.
pub fn mark_reminded(store: &Store, r: &Reminder) -> Result<()> {
    store.set_local_setting(&key(&r.entry), &chrono::Utc::now().to_rfc3339())
}
