//! A report's life after drafting (issue 12): issued — signed digitally, or signed by hand and
//! sent — then accepted or returned by the level above, and after a return revised and issued
//! again as the next version.
//!
//! Everything is a field of the `report` record, written through `Store::commit`:
//! - the commune writes `status` (`draft` on every save, `issued` when issued) and the issue
//!   fields `issued_version`, `issued_at`, `first_issued_at` (written once), `issued_method`,
//!   `scan_file` / `scan_kind`;
//! - the level above writes one field, `review`, a JSON [`ReportReview`] naming the version it
//!   decided on. It is the only field a parent unit's device may write (the hub and bundle
//!   import hold it to that), so a decision can travel back without giving the district any
//!   other hold on the commune's data.
//!
//! What a report *is* follows from both: a review counts while the version it names is the
//! current one, so a returned report that the commune edits becomes a draft of the next
//! version, and an accepted one is locked (no new version) until the level above reopens it.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use kehoach_model::{
    CommuneReportState, IssueMethod, IssueRecord, PeriodKind, ReportDraft, ReportPeriod, ReportReview, ReportStatus,
    ReviewDecision, RollupStatus,
};
use serde_json::Value;
use uuid::Uuid;

use super::period::period_due_in;
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

/// The one field of a report that the level above writes.
pub const REVIEW_FIELD: &str = crate::record::report::REVIEW;

/// The fields of a report that describe its issue and review, read from the winning field
/// values (they have no columns).
const LIFECYCLE_FIELDS: [&str; 7] =
    ["issued_version", "issued_at", "first_issued_at", "issued_method", "scan_file", "scan_kind", REVIEW_FIELD];

/// The issue and review fields of a report, as stored.
#[derive(Debug, Default, Clone)]
pub(crate) struct Lifecycle {
    pub issued: Option<IssueRecord>,
    pub review: Option<ReportReview>,
}

/// Where a report stands, for the report itself and for lists: its issue and review, the status
/// they make with the commune's own, its due day and how late its first issue was.
pub(crate) struct Standing {
    pub life: Lifecycle,
    pub status: ReportStatus,
    /// None when the report's plan is gone (deleted on another PC).
    pub due: Option<NaiveDate>,
    pub late_days: Option<i64>,
}

pub(crate) fn standing(
    store: &Store,
    id: Uuid,
    plan_id: Uuid,
    period: &ReportPeriod,
    version: u32,
    stored_status: &str,
) -> Result<Standing> {
    let life = lifecycle(store, id)?;
    let status =
        effective_status(ReportStatus::parse(stored_status).unwrap_or_default(), version, life.review.as_ref());
    let due = report_due(store, plan_id, period).ok();
    let late_days = match (&life.issued, due) {
        (Some(i), Some(due)) => late_days(due, &i.first_issued_at),
        _ => None,
    };
    Ok(Standing { life, status, due, late_days })
}

fn lifecycle(store: &Store, id: Uuid) -> Result<Lifecycle> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT field, value FROM field_values WHERE entity = ?1 AND field IN
         ('issued_version', 'issued_at', 'first_issued_at', 'issued_method', 'scan_file', 'scan_kind', 'review')",
    )?;
    debug_assert_eq!(LIFECYCLE_FIELDS.len(), 7);
    let rows = stmt.query_map([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut f: HashMap<String, Value> = HashMap::new();
    for row in rows {
        let (field, value) = row?;
        f.insert(field, serde_json::from_str(&value).unwrap_or(Value::Null));
    }
    let text = |k: &str| f.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let issued = match (f.get("issued_version").and_then(Value::as_u64), text("issued_at")) {
        (Some(version), Some(issued_at)) => Some(IssueRecord {
            version: version as u32,
            first_issued_at: text("first_issued_at").unwrap_or_else(|| issued_at.clone()),
            issued_at,
            method: text("issued_method").and_then(|m| IssueMethod::parse(&m)).unwrap_or_default(),
            scan: text("scan_file"),
        }),
        _ => None,
    };
    // A review that does not parse (a newer kehoach's decision kind) is not shown as one.
    let review = f.get(REVIEW_FIELD).cloned().and_then(|v| serde_json::from_value(v).ok());
    Ok(Lifecycle { issued, review })
}

/// The status a report shows: the commune's own (`draft` / `issued`), unless the level above
/// decided on the current version.
pub(crate) fn effective_status(stored: ReportStatus, version: u32, review: Option<&ReportReview>) -> ReportStatus {
    match (stored, review) {
        (ReportStatus::Issued, Some(r)) if r.version == version => match r.decision {
            ReviewDecision::Accepted => ReportStatus::Accepted,
            ReviewDecision::Returned => ReportStatus::Returned,
            ReviewDecision::Reopened => ReportStatus::Issued,
        },
        (s, _) => s,
    }
}

/// The day of the month a report is due when the plan names none.
pub(crate) const DEFAULT_DUE_DAY: u32 = 15;

/// The last day to send the report of `plan_id` for `period`: the plan's rule for that kind of
/// period (its day), under the plan's cut-off; the 15th of the month after when no rule says.
pub fn report_due(store: &Store, plan_id: Uuid, period: &ReportPeriod) -> Result<NaiveDate> {
    let plan = crate::queries::plan(store, plan_id)?;
    let day = super::schedule::regimes(&plan.reporting)
        .into_iter()
        .find(|r| r.kind == period.kind)
        .map(|r| r.day)
        .unwrap_or(DEFAULT_DUE_DAY);
    Ok(period_due_in(period, day, plan.period_cutoff))
}

/// Days between the due day and the local date of `issued_at` (RFC 3339), 0 when on time.
pub(crate) fn late_days(due: NaiveDate, issued_at: &str) -> Option<i64> {
    let at = DateTime::parse_from_rfc3339(issued_at).ok()?;
    Some((at.date_naive() - due).num_days().max(0))
}

fn invalid(msg: impl Into<String>) -> CoreError {
    CoreError::invalid(msg)
}

/// The changes that issue the current version of `d` at `now`: what signing records beside
/// the signature (in the same commit), and what issuing a hand-signed report records.
/// Refused while the report lacks a header item or is locked by the level above.
pub fn issue_changes(
    d: &ReportDraft,
    method: IssueMethod,
    scan: Option<(&str, &str)>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Change>> {
    if d.locked {
        return Err(locked_error(d));
    }
    if !d.missing.is_empty() {
        return Err(invalid(format!("Chưa có: {}", d.missing.join(", "))));
    }
    let ch = |f: &str, v: Value| Change::new(Kind::Report, d.id, f, v);
    let at = now.to_rfc3339();
    let mut out = vec![
        ch(field::report::STATUS, ReportStatus::Issued.as_str().into()),
        ch(field::report::ISSUED_VERSION, d.version.into()),
        ch(field::report::ISSUED_AT, at.clone().into()),
        ch(field::report::ISSUED_METHOD, method.as_str().into()),
    ];
    // The first issue decides timeliness; a later issue (after a return) keeps it.
    if d.issued.is_none() {
        out.push(ch(field::report::FIRST_ISSUED_AT, at.into()));
    }
    if let Some((file, kind)) = scan {
        out.push(ch(field::report::SCAN_FILE, file.into()));
        out.push(ch(field::report::SCAN_KIND, kind.into()));
    }
    Ok(out)
}

fn locked_error(d: &ReportDraft) -> CoreError {
    let by = d.review.as_ref().map(|r| r.by.as_str()).filter(|s| !s.is_empty()).unwrap_or("cấp trên");
    invalid(format!(
        "Báo cáo phiên bản {} đã được {by} chấp nhận: không lập phiên bản mới được, trừ khi {by} mở lại.",
        d.version
    ))
}

/// Refuses a new version of a report the level above has accepted.
pub(crate) fn check_not_locked(d: &ReportDraft) -> Result<()> {
    if d.locked {
        return Err(locked_error(d));
    }
    Ok(())
}

/// What the officer gives when a report was printed, signed by hand and sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HandIssue {
    /// The number given by the clerk ("24/BC-UBND"); required unless the report has one.
    pub number: Option<String>,
    /// The date on the paper, ISO; default: the report's date.
    pub date: Option<String>,
    /// A scan of the signed paper (PDF, PNG or JPEG), copied into the data directory.
    pub scan: Option<String>,
}

/// What kind of file a scan is, from its first bytes.
fn scan_kind(path: &Path) -> Result<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| invalid(format!("không đọc được tệp {}: {e}", path.display())))?;
    let head = &head[..n];
    if head.starts_with(b"%PDF-") {
        Ok("pdf")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("png")
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok("jpeg")
    } else {
        Err(invalid(format!("Tệp {} không phải bản quét PDF hoặc ảnh (PNG, JPEG)", path.display())))
    }
}

/// Issues a report that was printed and signed by hand ("Đã ký tay và gửi"): the number and
/// date are written into the report (a new version when they change), the scan is kept with
/// it, and the current version becomes issued. Nothing is written when anything is refused.
pub fn issue_by_hand(store: &mut Store, id: Uuid, form: &HandIssue, now: DateTime<FixedOffset>) -> Result<ReportDraft> {
    let mut d = super::report(store, id)?;
    check_not_locked(&d)?;
    let number = form.number.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let date = form.date.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(n) = number {
        if !n.contains('/') || !n.split('/').next().is_some_and(|h| h.chars().any(|c| c.is_ascii_digit())) {
            return Err(invalid(format!("Số, ký hiệu {n:?} không hợp lệ: viết như 24/BC-UBND")));
        }
    }
    if let Some(day) = date {
        crate::dates::check_iso_date("Ngày báo cáo", day)?;
    }
    let scan = match form.scan.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(f) => {
            let path = Path::new(f);
            if !path.is_file() {
                return Err(invalid(format!("Không tìm thấy tệp bản quét: {f}")));
            }
            Some((path.to_path_buf(), scan_kind(path)?))
        }
    };
    let mut content = d.content.clone();
    if let Some(n) = number {
        content.header.number = n.to_string();
    }
    if let Some(day) = date {
        content.header.date = day.to_string();
    }
    let missing = content.missing();
    if !missing.is_empty() {
        return Err(invalid(format!("Chưa có: {}", missing.join(", "))));
    }
    let has_number = |c: &str| c.split('/').next().is_some_and(|h| h.chars().any(|ch| ch.is_ascii_digit()));
    if !has_number(&content.header.number) {
        return Err(invalid("Chưa nhập số của báo cáo (số do văn thư cấp, ví dụ 24/BC-UBND)"));
    }
    if content != d.content {
        if d.is_frozen() {
            return Err(invalid(
                "Phiên bản này đã được ký số: số và ngày của nó không sửa được. Sửa báo cáo để lập phiên bản mới.",
            ));
        }
        d = super::save_report(store, id, &content)?;
    }
    let scan_file = match &scan {
        None => None,
        Some((path, kind)) => {
            let dir = store
                .data_dir()
                .map(|p| p.join("attachments"))
                .ok_or_else(|| invalid("Dữ liệu trong bộ nhớ không giữ được tệp bản quét"))?;
            let (sha, _) = crate::tracking::store_file(&dir, path)?;
            Some((format!("attachments/{sha}"), *kind))
        }
    };
    let changes = issue_changes(&d, IssueMethod::Hand, scan_file.as_ref().map(|(f, k)| (f.as_str(), *k)), now)?;
    store.commit(changes)?;
    super::report(store, id)
}

/// Records the level above's decision on the current version of report `id`: accepted,
/// returned (a reason is required), or an accepted version reopened. Written by the deciding
/// unit's device — on a district PC, into its copy of the commune's data — and carried back
/// to the commune like any op.
pub fn review_report(
    store: &mut Store,
    id: Uuid,
    decision: ReviewDecision,
    reason: &str,
    by: &str,
    now: DateTime<FixedOffset>,
) -> Result<ReportDraft> {
    let d = super::report(store, id)?;
    let reason = reason.trim();
    match decision {
        ReviewDecision::Accepted | ReviewDecision::Returned if d.status == ReportStatus::Draft => {
            return Err(invalid(format!(
                "Báo cáo phiên bản {} của xã chưa được ban hành (đang là dự thảo): chưa chấp nhận hay trả lại được.",
                d.version
            )));
        }
        ReviewDecision::Returned if reason.is_empty() => {
            return Err(invalid("Trả lại báo cáo cần ghi lý do để xã biết phải sửa gì."));
        }
        ReviewDecision::Reopened if d.status != ReportStatus::Accepted => {
            return Err(invalid("Chỉ mở lại được báo cáo đã chấp nhận."));
        }
        _ => {}
    }
    if d.review.as_ref().is_some_and(|r| r.version == d.version && r.decision == decision) {
        return Ok(d);
    }
    let review = ReportReview {
        decision,
        version: d.version,
        reason: unicode_normalization::UnicodeNormalization::nfc(reason).collect(),
        by: unicode_normalization::UnicodeNormalization::nfc(by.trim()).collect(),
        at: now.to_rfc3339(),
    };
    let value = serde_json::to_value(&review).map_err(|e| invalid(e.to_string()))?;
    store.commit(vec![Change::new(Kind::Report, id, REVIEW_FIELD, value)])?;
    super::report(store, id)
}

/// How far along a report is, to pick the one the level above sees when a commune has
/// several for a period (one per plan).
fn rank(s: ReportStatus) -> u8 {
    match s {
        ReportStatus::Accepted => 4,
        ReportStatus::Issued => 3,
        ReportStatus::Returned => 2,
        ReportStatus::Draft => 1,
    }
}

/// Where this commune's report for `period` stands, as the level above sees it: the report of
/// the period furthest along (accepted, issued, returned, draft), its version, when it was
/// issued, how late, and the document to open (the signed PDF or the scan).
pub fn period_report_state(store: &Store, period: &ReportPeriod) -> Result<CommuneReportState> {
    let code = period.code();
    let mut stmt = store.conn.prepare_cached("SELECT id FROM reports WHERE period = ?1 ORDER BY saved_at DESC, id")?;
    let ids: Vec<String> = stmt.query_map([&code], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut best: Option<ReportDraft> = None;
    for id in ids {
        let Ok(id) = Uuid::parse_str(&id) else { continue };
        // One damaged report must not hide the commune's others (nor fail a whole roll-up).
        let Ok(d) = super::report(store, id) else { continue };
        if best.as_ref().is_none_or(|b| rank(d.status) > rank(b.status)) {
            best = Some(d);
        }
    }
    let Some(d) = best else { return Ok(CommuneReportState::none()) };
    let status = match d.status {
        ReportStatus::Draft => RollupStatus::Draft,
        ReportStatus::Issued if d.late_days.unwrap_or(0) > 0 => RollupStatus::Late,
        ReportStatus::Issued => RollupStatus::OnTime,
        ReportStatus::Accepted => RollupStatus::Accepted,
        ReportStatus::Returned => RollupStatus::Returned,
    };
    let issued = d.status.is_issued();
    let document = match (&d.signed, &d.issued) {
        (Some(s), _) if s.version == d.version => Some(s.pdf.clone()),
        (_, Some(i)) if i.version == d.version => i.scan.clone(),
        _ => None,
    };
    Ok(CommuneReportState {
        status,
        report_id: Some(d.id),
        version: Some(d.version),
        issued_at: d.issued.as_ref().filter(|_| issued).map(|i| i.issued_at.clone()),
        late_days: if issued { d.late_days } else { None },
        due: d.due.clone(),
        number: Some(d.content.header.number.clone()).filter(|n| !n.trim().is_empty()),
        document,
        review_reason: d
            .review
            .as_ref()
            .filter(|r| r.decision == ReviewDecision::Returned)
            .map(|r| r.reason.clone())
            .filter(|r| !r.is_empty()),
    })
}

/// The months of `year` as monthly periods, for the communes × months grid.
pub fn months_of(year: i32) -> Vec<ReportPeriod> {
    (1..=12).map(|m| ReportPeriod { kind: PeriodKind::Month, year, index: m }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(decision: ReviewDecision, version: u32) -> ReportReview {
        ReportReview { decision, version, reason: String::new(), by: String::new(), at: String::new() }
    }

    #[test]
    fn a_review_counts_only_for_the_version_it_names() {
        use ReportStatus::*;
        assert_eq!(effective_status(Issued, 2, Some(&review(ReviewDecision::Accepted, 2))), Accepted);
        assert_eq!(effective_status(Issued, 2, Some(&review(ReviewDecision::Returned, 2))), Returned);
        assert_eq!(effective_status(Issued, 2, Some(&review(ReviewDecision::Reopened, 2))), Issued);
        // Returned version 2, revised into a draft of version 3, then issued as version 3.
        assert_eq!(effective_status(Draft, 3, Some(&review(ReviewDecision::Returned, 2))), Draft);
        assert_eq!(effective_status(Issued, 3, Some(&review(ReviewDecision::Returned, 2))), Issued);
        assert_eq!(effective_status(Draft, 1, None), Draft);
    }

    #[test]
    fn late_days_count_from_the_local_date_of_the_issue() {
        let due = NaiveDate::from_ymd_opt(2023, 4, 12).unwrap();
        assert_eq!(late_days(due, "2023-04-12T23:30:00+07:00"), Some(0));
        assert_eq!(late_days(due, "2023-04-11T08:00:00+07:00"), Some(0));
        assert_eq!(late_days(due, "2023-04-15T08:00:00+07:00"), Some(3));
        assert_eq!(late_days(due, "not a time"), None);
    }
}
