//! Report drafts: composed from a plan's tasks and targets for a period, edited part by part,
//! saved as `report` records through `Store::commit`, every save a new version.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kehoach_model::{
    AppendixRow, DueKind, Plan, ReportAppendix, ReportContent, ReportDraft, ReportHeader, ReportPart, ReportPeriod,
    ReportSection, ReportSignature, ReportStatus, ReportSummary, ReportVersion, Settings, SignedCopy, Task, TaskFilter,
    TaskStatus,
};
use rusqlite::OptionalExtension;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::period::{parse_period, period_bounds, period_bounds_in};
use crate::error::{CoreError, Result};
use crate::fold::fold;
use crate::hlc::Hlc;
use crate::op::{Change, Kind};
use crate::queries;
use crate::record as field;
use crate::store::Store;

/// The number and symbol of a new report: the number is left blank for the clerk to fill in
/// when the report is registered (the renderers keep a gap before the '/').
pub const BLANK_NUMBER: &str = "/BC-UBND";

/// "07/4/2023": day with two digits, months 1 and 2 with a leading zero (as in the date line).
fn vn_date(d: NaiveDate) -> String {
    let m = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("{:02}/{}/{}", d.day(), m, d.year())
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn trim_end_punct(s: &str) -> &str {
    s.trim().trim_end_matches(['.', ';', ',', ':']).trim_end()
}

/// "UBND xã Chư Răng" → ("Ủy ban nhân dân", "xã Chư Răng").
fn split_body(commune: &str) -> (String, String) {
    let c = commune.trim();
    for prefix in ["UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "ỦY BAN NHÂN DÂN"] {
        if let Some(rest) = c.strip_prefix(prefix) {
            if rest.starts_with(' ') {
                return ("Ủy ban nhân dân".into(), rest.trim().to_string());
            }
        }
    }
    (String::new(), c.to_string())
}

fn is_direction_section(section: &str) -> bool {
    let f = fold(section);
    f.contains("tham muu")
        || f.contains("tuyen truyen")
        || f.contains("chi dao trien khai")
        || f.contains("chi dao, trien khai")
        || f.starts_with("cong tac chi dao")
}

/// Where a task stands in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    DoneInPeriod,
    DoneEarlier,
    Overdue,
    InProgress,
    Ongoing,
    CannotDo,
    Later,
    NotStarted,
}

fn standing(t: &Task, start: NaiveDate, end: NaiveDate, cutoff: NaiveDate, status_day: Option<NaiveDate>) -> Standing {
    let deadline = t.deadline.as_deref().and_then(parse_iso);
    let ongoing = t.due.recurring_after || matches!(t.due.kind, DueKind::Recurring | DueKind::From { .. });
    match t.status {
        TaskStatus::Done => {
            let in_period = |d: Option<NaiveDate>| d.is_some_and(|d| d >= start && d <= end);
            if in_period(deadline) || in_period(status_day) {
                Standing::DoneInPeriod
            } else {
                Standing::DoneEarlier
            }
        }
        TaskStatus::CannotDo => Standing::CannotDo,
        _ if deadline.is_some_and(|d| d < cutoff) && !ongoing => Standing::Overdue,
        _ if deadline.is_some_and(|d| d < cutoff) => Standing::Ongoing,
        TaskStatus::InProgress => Standing::InProgress,
        _ if ongoing => Standing::Ongoing,
        _ if deadline.is_some_and(|d| d > end) => Standing::Later,
        _ => Standing::NotStarted,
    }
}

fn result_label(s: Standing, t: &Task) -> String {
    let deadline = t.deadline.as_deref().and_then(parse_iso);
    match s {
        Standing::DoneInPeriod | Standing::DoneEarlier => "Hoàn thành".into(),
        Standing::Overdue => match deadline {
            Some(d) => format!("Chậm tiến độ (hạn {})", vn_date(d)),
            None => "Chậm tiến độ".into(),
        },
        Standing::InProgress => "Đang thực hiện".into(),
        Standing::Ongoing => "Đang thực hiện (thường xuyên)".into(),
        Standing::CannotDo => match t.status_reason.as_deref() {
            Some(r) => format!("Không thực hiện được: {}", trim_end_punct(r)),
            None => "Không thực hiện được".into(),
        },
        Standing::Later => "Chưa đến hạn".into(),
        Standing::NotStarted => "Chưa thực hiện".into(),
    }
}

/// A task's text cut to its first sentence and at most `MAX_WORDS` words: the body names the
/// task, the appendix carries it whole.
fn short_text(text: &str) -> String {
    const MAX_WORDS: usize = 30;
    let first = text.split_inclusive(['.', ';', ':']).next().unwrap_or(text);
    let first = if first.split_whitespace().count() < 6 { text } else { first };
    let words: Vec<&str> = first.split_whitespace().collect();
    if words.len() > MAX_WORDS {
        format!("{}…", trim_end_punct(&words[..MAX_WORDS].join(" ")))
    } else {
        trim_end_punct(&words.join(" ")).to_string()
    }
}

/// "- 1.1. Nội dung (Công an xã)."
fn task_line(t: &Task) -> String {
    let lead = t.lead.join(", ");
    let r = t.reference.as_deref().map(|r| format!("{}. ", r.trim_end_matches('.'))).unwrap_or_default();
    if lead.is_empty() {
        format!("- {r}{}.", short_text(&t.text))
    } else {
        format!("- {r}{} ({}).", short_text(&t.text), lead)
    }
}

/// The paragraphs about a group of tasks: counts, then what was done, what goes on, what is
/// late.
fn group_text(tasks: &[(&Task, Standing)]) -> String {
    let count = |f: &dyn Fn(Standing) -> bool| tasks.iter().filter(|(_, s)| f(*s)).count();
    let done = count(&|s| s == Standing::DoneInPeriod);
    let going = count(&|s| matches!(s, Standing::InProgress | Standing::Ongoing));
    let late = count(&|s| s == Standing::Overdue);
    let mut lines = vec![format!(
        "Trong kỳ, hoàn thành {done} nhiệm vụ; {going} nhiệm vụ đang thực hiện; {late} nhiệm vụ chậm tiến độ (tổng số {} nhiệm vụ).",
        tasks.len()
    )];
    let mut list = |title: &str, f: &dyn Fn(Standing) -> bool| {
        let sel: Vec<String> = tasks.iter().filter(|(_, s)| f(*s)).map(|(t, _)| task_line(t)).collect();
        if !sel.is_empty() {
            lines.push(title.to_string());
            lines.extend(sel);
        }
    };
    list("Các nhiệm vụ đã hoàn thành:", &|s| s == Standing::DoneInPeriod);
    list("Các nhiệm vụ đang thực hiện:", &|s| matches!(s, Standing::InProgress | Standing::Ongoing));
    list("Các nhiệm vụ chậm tiến độ:", &|s| s == Standing::Overdue);
    lines.join("\n")
}

fn uppercase(s: &str) -> String {
    s.nfc().collect::<String>().to_uppercase()
}

/// Composes a draft for `plan_id` and `period`, dated `date` (ISO; today when absent). Nothing
/// is saved: the draft has a fresh id and version 0. What the commune's settings lack is in
/// `missing`.
pub fn compose_report(store: &Store, plan_id: Uuid, period: &ReportPeriod, date: Option<&str>) -> Result<ReportDraft> {
    let plan = queries::plan(store, plan_id)?;
    let settings = queries::settings(store)?;
    let date = match date {
        Some(d) if !d.trim().is_empty() => crate::dates::check_iso_date("Ngày báo cáo", d)?,
        _ => queries::today(),
    };
    // The plan's cut-off decides what the period covers (Decree 09: 15th to 14th).
    let (start, end) = period_bounds_in(period, plan.period_cutoff);
    let cutoff = date.min(end.succ_opt().unwrap_or(end));
    let tasks = queries::list_tasks(
        store,
        &TaskFilter { plan_id: Some(plan_id), as_of: Some(iso(cutoff)), ..Default::default() },
    )?;
    let status_days = status_days(store, plan_id)?;
    let judged: Vec<(&Task, Standing)> =
        tasks.iter().map(|t| (t, standing(t, start, end, cutoff, status_days.get(&t.id).copied()))).collect();
    let content = compose_content(store, &plan, &settings, period, date, &judged)?;
    let missing = content.missing();
    Ok(ReportDraft {
        id: Uuid::now_v7(),
        plan_id,
        period: *period,
        version: 0,
        status: ReportStatus::Draft,
        saved_at: String::new(),
        content,
        missing,
        signed: None,
        issued: None,
        review: None,
        due: super::lifecycle::report_due(store, plan_id, period).ok().map(iso),
        late_days: None,
        locked: false,
    })
}

/// The day each task's status was last set, from the stamp of its winning `status` value.
fn status_days(store: &Store, plan_id: Uuid) -> Result<HashMap<Uuid, NaiveDate>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT f.entity, f.hlc FROM fields f JOIN tasks t ON t.id = f.entity
         WHERE t.plan_id = ?1 AND f.field = 'status'",
    )?;
    let rows = stmt.query_map([plan_id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, hlc) = row?;
        let ms = Hlc::from_i64(hlc).millis();
        if let (Ok(id), Some(dt)) = (Uuid::parse_str(&id), chrono::DateTime::from_timestamp_millis(ms as i64)) {
            out.insert(id, dt.with_timezone(&chrono::Local).date_naive());
        }
    }
    Ok(out)
}

fn compose_content(
    store: &Store,
    plan: &Plan,
    s: &Settings,
    period: &ReportPeriod,
    date: NaiveDate,
    judged: &[(&Task, Standing)],
) -> Result<ReportContent> {
    let commune = s.commune.clone().unwrap_or_default();
    let (body, name) = split_body(&commune);
    let issuing_body = if body.is_empty() { name.clone() } else { format!("{body}\n{name}") };
    let full_issuer = if body.is_empty() { name.clone() } else { format!("{body} {name}") };
    let label = period.label_vi();
    let is_06 = {
        let f = fold(&plan.title);
        f.contains("de an 06") || f.contains("du lieu ve dan cu") || f.contains("de an phat trien ung dung")
    };
    let subject = if is_06 { "Đề án 06".to_string() } else { lower_first(trim_end_punct(&plan.title)) };
    let title = if is_06 {
        format!("Kết quả thực hiện Đề án 06 {label}")
    } else {
        format!("Kết quả thực hiện {subject} {label}")
    };

    // Opening paragraph.
    let plan_ref = match (&plan.number, plan.date.as_deref().and_then(parse_iso)) {
        (Some(n), Some(d)) => format!("Kế hoạch số {n} ngày {}", vn_date(d)),
        (Some(n), None) => format!("Kế hoạch số {n}"),
        _ => "Kế hoạch".to_string(),
    };
    let plan_issuer = plan.issuer.clone().filter(|i| !i.trim().is_empty());
    let mut intro = format!("Thực hiện {plan_ref}");
    if let Some(i) = &plan_issuer {
        intro += &format!(" của {i}");
    }
    intro += &format!(" về {}; ", lower_first(trim_end_punct(&plan.title)));
    intro += &format!(
        "{} báo cáo kết quả thực hiện {label} như sau:",
        if full_issuer.is_empty() { "Ủy ban nhân dân xã".to_string() } else { full_issuer.clone() }
    );

    // Sections in plan order.
    let mut sections: Vec<(String, Vec<(&Task, Standing)>)> = Vec::new();
    for (t, st) in judged {
        let sec = t.section.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "Các nhiệm vụ khác".into());
        match sections.iter_mut().find(|(s, _)| *s == sec) {
            Some((_, v)) => v.push((t, *st)),
            None => sections.push((sec, vec![(t, *st)])),
        }
    }
    let (direction, groups): (Vec<_>, Vec<_>) = sections.into_iter().partition(|(s, _)| is_direction_section(s));

    // I. Direction.
    let mut part1 = Vec::new();
    if let Some(n) = &plan.number {
        let d = plan.date.as_deref().and_then(parse_iso).map(|d| format!(" ngày {}", vn_date(d))).unwrap_or_default();
        part1.push(format!(
            "{} đã ban hành Kế hoạch số {n}{d} về {}, phân công nhiệm vụ cụ thể cho các ban, ngành, đơn vị liên quan.",
            if full_issuer.is_empty() { "Ủy ban nhân dân xã" } else { &full_issuer },
            lower_first(trim_end_punct(&plan.title))
        ));
    }
    let dir_tasks: Vec<(&Task, Standing)> = direction.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    if !dir_tasks.is_empty() {
        part1.push(group_text(&dir_tasks));
    }

    // II. Results per group, then the targets.
    let mut sections2: Vec<ReportSection> = groups
        .iter()
        .enumerate()
        .map(|(i, (name, v))| ReportSection {
            heading: format!("{}. {}", i + 1, trim_end_punct(name)),
            text: group_text(v),
        })
        .collect();
    let targets = target_lines(store, plan.id, period)?;
    if !targets.is_empty() {
        sections2.push(ReportSection {
            heading: format!("{}. Kết quả thực hiện các chỉ tiêu", sections2.len() + 1),
            text: targets.join("\n"),
        });
    }

    // III. Difficulties: what is late or cannot be done.
    let mut part3 = Vec::new();
    let late: Vec<&Task> = judged.iter().filter(|(_, s)| *s == Standing::Overdue).map(|(t, _)| *t).collect();
    if !late.is_empty() {
        part3.push(format!("- Còn {} nhiệm vụ chậm tiến độ so với kế hoạch:", late.len()));
        part3.extend(late.iter().map(|t| task_line(t)));
    }
    for (t, _) in judged.iter().filter(|(_, s)| *s == Standing::CannotDo) {
        let reason = t.status_reason.as_deref().map(trim_end_punct).unwrap_or("chưa nêu lý do");
        part3.push(format!("- Không thực hiện được nhiệm vụ \"{}\": {}.", trim_end_punct(&t.text), reason));
    }
    if part3.is_empty() {
        part3.push("Không có.".into());
    }

    // IV. Next period.
    let next = period.next();
    let (n_start, n_end) = period_bounds_in(&next, plan.period_cutoff);
    let mut part4 = Vec::new();
    if !late.is_empty() {
        part4.push("- Tập trung hoàn thành các nhiệm vụ chậm tiến độ nêu tại Mục III.".to_string());
    }
    let due_next: Vec<&Task> = judged
        .iter()
        .filter(|(t, s)| {
            !matches!(s, Standing::DoneInPeriod | Standing::DoneEarlier | Standing::CannotDo)
                && t.deadline.as_deref().and_then(parse_iso).is_some_and(|d| d >= n_start && d <= n_end)
        })
        .map(|(t, _)| *t)
        .collect();
    if !due_next.is_empty() {
        part4.push(format!("- Triển khai các nhiệm vụ đến hạn trong {}:", next.label_vi()));
        part4.extend(due_next.iter().map(|t| task_line(t)));
    }
    part4.push("- Tiếp tục thực hiện các nhiệm vụ thường xuyên theo Kế hoạch.".into());

    let parts = vec![
        ReportPart {
            key: "i".into(),
            heading: "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI".into(),
            text: part1.join("\n"),
            sections: vec![],
        },
        ReportPart {
            key: "ii".into(),
            heading: "II. KẾT QUẢ THỰC HIỆN".into(),
            text: String::new(),
            sections: sections2,
        },
        ReportPart {
            key: "iii".into(),
            heading: "III. KHÓ KHĂN, VƯỚNG MẮC".into(),
            text: part3.join("\n"),
            sections: vec![],
        },
        ReportPart {
            key: "iv".into(),
            heading: format!("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {}", uppercase(&next.label_vi())),
            text: part4.join("\n"),
            sections: vec![],
        },
        ReportPart {
            key: "v".into(),
            heading: "V. ĐỀ XUẤT, KIẾN NGHỊ".into(),
            text: "Không có.".into(),
            sections: vec![],
        },
    ];

    let closing = format!(
        "Trên đây là báo cáo kết quả thực hiện {subject} {label} của {}./.",
        if full_issuer.is_empty() { "Ủy ban nhân dân xã" } else { &full_issuer }
    );

    let rows = judged
        .iter()
        .map(|(t, st)| AppendixRow {
            reference: t.reference.clone(),
            text: trim_end_punct(&t.text).to_string(),
            lead: t.lead.join(", "),
            time_text: t.time_text.as_deref().map(trim_end_punct).unwrap_or("").to_string(),
            status: t.status,
            result: result_label(*st, t),
            task_id: Some(t.id),
        })
        .collect();

    // Nơi nhận: whom the regime names, the parent body, then the archive.
    let mut recipients: Vec<String> = Vec::new();
    let mut push = |r: String| {
        if !recipients.iter().any(|x| fold(x) == fold(&r)) {
            recipients.push(r);
        }
    };
    for rule in &plan.reporting {
        if let Some(to) = rule.to.as_deref().filter(|t| !t.trim().is_empty()) {
            push(format!("{} (b/c)", trim_end_punct(to)));
        }
    }
    if let Some(p) = s.parent.as_deref().filter(|p| !p.trim().is_empty()) {
        push(format!("{} (b/c)", p.trim()));
    }
    push("Lưu: VT.".into());

    Ok(ReportContent {
        header: ReportHeader {
            parent_body: s.parent.clone().unwrap_or_default(),
            issuing_body,
            number: BLANK_NUMBER.into(),
            place: s.place.clone().unwrap_or_default(),
            date: iso(date),
        },
        doc_type: "BÁO CÁO".into(),
        title,
        intro,
        parts,
        closing,
        appendix: ReportAppendix {
            title: format!("Tình hình thực hiện nhiệm vụ {label}"), note: String::new(), rows
        },
        recipients,
        signature: ReportSignature {
            authority: if body.is_empty() { String::new() } else { format!("TM. {body}") },
            title: s.signer_title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "Chủ tịch".into()),
            name: s.signer.clone().unwrap_or_default(),
        },
    })
}

/// One line per target of the plan with its latest figure recorded up to the end of the
/// period, written by the target's kind:
/// - count: "- Số hồ sơ …: chỉ tiêu 1.500 hồ sơ; kết quả 1.250 hồ sơ (số liệu kỳ 2023-05).";
/// - percentage with its base: "- Tỷ lệ …: chỉ tiêu 80%; kết quả 1.234/1.500 (82,3%), số liệu
///   kỳ 2023-05."; without a base (imported, typed as a percentage): "… kết quả 96,8% (số liệu
///   kỳ 2023-03).";
/// - yes/no: "- Tổ công tác … họp giao ban trong tháng: có (số liệu kỳ 2023-05).";
/// - no figure yet: "…; chưa cập nhật số liệu."
fn target_lines(store: &Store, plan_id: Uuid, period: &ReportPeriod) -> Result<Vec<String>> {
    use kehoach_model::{format_figure_vi, with_unit, IndicatorKind};
    let (_, end) = period_bounds(period);
    let mut out = Vec::new();
    for t in crate::tracking::targets::targets(store, Some(plan_id))? {
        let head = format!("- {}", trim_end_punct(&t.text));
        // A yes/no's goal is always "yes": saying so adds nothing.
        let goal = t.value.filter(|_| t.kind != IndicatorKind::YesNo).map(|g| with_unit(g, t.unit.as_deref()));
        let Some(v) = crate::tracking::targets::latest_up_to(&t, end) else {
            out.push(match goal {
                Some(g) => format!("{head}: chỉ tiêu {g}; chưa cập nhật số liệu."),
                None => format!("{head}: chưa cập nhật số liệu."),
            });
            continue;
        };
        let figure = format_figure_vi(t.kind, v.value, v.numerator, v.denominator, t.unit.as_deref());
        let based = v.numerator.is_some() && v.denominator.is_some();
        let result = match t.kind {
            IndicatorKind::YesNo => format!("{figure} (số liệu kỳ {})", v.period),
            IndicatorKind::Percent if based => format!("kết quả {figure}, số liệu kỳ {}", v.period),
            _ => format!("kết quả {figure} (số liệu kỳ {})", v.period),
        };
        out.push(match goal {
            Some(g) => format!("{head}: chỉ tiêu {g}; {result}."),
            None => format!("{head}: {result}."),
        });
    }
    Ok(out)
}

fn content_changes(id: Uuid, version: u32, status: ReportStatus, c: &ReportContent) -> Result<Vec<Change>> {
    let content = serde_json::to_value(c).map_err(|e| CoreError::invalid(e.to_string()))?;
    let ch = |f: &str, v: Value| Change::new(Kind::Report, id, f, v);
    Ok(vec![
        ch(field::report::NUMBER, c.header.number.trim().into()),
        ch(field::report::TITLE, c.title.trim().into()),
        ch(field::report::DATE, c.header.date.trim().into()),
        ch(field::report::PARTS, json!({ "version": version, "content": content })),
        ch(field::report::VERSION, version.into()),
        ch(field::report::STATUS, status.as_str().into()),
        ch(field::report::SAVED_AT, chrono::Utc::now().to_rfc3339().into()),
    ])
}

/// NFC everywhere, as every text is stored; the date checked.
fn normalized(c: &ReportContent) -> Result<ReportContent> {
    let v = serde_json::to_value(c).map_err(|e| CoreError::invalid(e.to_string()))?;
    fn nfc(v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.nfc().collect()),
            Value::Array(a) => Value::Array(a.into_iter().map(nfc).collect()),
            Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, nfc(v))).collect()),
            other => other,
        }
    }
    let c: ReportContent = serde_json::from_value(nfc(v)).map_err(|e| CoreError::invalid(e.to_string()))?;
    if !c.header.date.trim().is_empty() {
        crate::dates::check_iso_date("Ngày báo cáo", &c.header.date)?;
    }
    Ok(c)
}

/// The report of `plan_id` for `period`: the one already saved (with the officer's edits), or
/// a newly composed draft saved as version 1.
pub fn draft_report(
    store: &mut Store,
    plan_id: Uuid,
    period: &ReportPeriod,
    date: Option<&str>,
) -> Result<ReportDraft> {
    let existing: Option<String> = store
        .conn
        .query_row(
            "SELECT id FROM reports WHERE plan_id = ?1 AND period = ?2 ORDER BY saved_at DESC, id DESC LIMIT 1",
            [plan_id.to_string(), period.code()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing.and_then(|s| Uuid::parse_str(&s).ok()) {
        return report(store, id);
    }
    let d = compose_report(store, plan_id, period, date)?;
    let mut changes = content_changes(d.id, 1, ReportStatus::Draft, &normalized(&d.content)?)?;
    changes.push(Change::new(Kind::Report, d.id, field::report::PLAN_ID, plan_id.to_string()));
    changes.push(Change::new(Kind::Report, d.id, field::report::PERIOD, period.code()));
    store.commit(changes)?;
    report(store, d.id)
}

/// Saves the officer's edit of a report as its next version. Saving an issued report makes a
/// new draft version: the issued one stays in the versions. Refused while the level above has
/// accepted the current version (see `lifecycle`).
pub fn save_report(store: &mut Store, id: Uuid, content: &ReportContent) -> Result<ReportDraft> {
    let current = report(store, id)?;
    let content = normalized(content)?;
    if content == current.content && current.status == ReportStatus::Draft {
        return Ok(current);
    }
    super::lifecycle::check_not_locked(&current)?;
    store.commit(content_changes(id, current.version + 1, ReportStatus::Draft, &content)?)?;
    report(store, id)
}

/// Deletes a report. A report that has been signed is an official document: refused, so the
/// signed versions and their PDFs stay.
pub fn delete_report(store: &mut Store, id: Uuid) -> Result<()> {
    if let Some(s) = report(store, id)?.signed {
        return Err(CoreError::invalid(format!(
            "Báo cáo đã được ký số (phiên bản {}, {}); không xoá được báo cáo đã ký.",
            s.version, s.signed_by
        )));
    }
    store.commit(vec![Change::delete(Kind::Report, id)])?;
    Ok(())
}

fn not_found(id: Uuid) -> CoreError {
    CoreError::NotFound { what: "báo cáo", id: id.to_string() }
}

fn parse_parts(id: Uuid, parts: &str) -> Result<(u32, ReportContent)> {
    let v: Value = serde_json::from_str(parts).map_err(|e| CoreError::invalid(format!("báo cáo {id} hỏng: {e}")))?;
    let version = v.get("version").and_then(Value::as_u64).unwrap_or(1) as u32;
    // No content yet (a report whose other fields synced before it): an empty document.
    let content = match v.get("content") {
        None | Some(Value::Null) => ReportContent::default(),
        Some(c) => {
            serde_json::from_value(c.clone()).map_err(|e| CoreError::invalid(format!("báo cáo {id} hỏng: {e}")))?
        }
    };
    Ok((version, content))
}

pub fn report(store: &Store, id: Uuid) -> Result<ReportDraft> {
    let row: Option<(Option<String>, Option<String>, Option<String>, String, i64, Option<String>)> = store
        .conn
        .query_row(
            "SELECT plan_id, period, parts, status, version, saved_at FROM reports WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (plan_id, period, parts, status, version, saved_at) = row.ok_or_else(|| not_found(id))?;
    // A report whose content has not arrived yet (its other fields synced first) shows empty.
    let content = match parts {
        Some(parts) => parse_parts(id, &parts)?.1,
        None => ReportContent::default(),
    };
    let missing = content.missing();
    let signed = signed_copy(store, id)?;
    let plan_id = plan_id.and_then(|p| Uuid::parse_str(&p).ok()).unwrap_or_default();
    let period = parse_period(period.as_deref().unwrap_or(""))?;
    let version = version.max(0) as u32;
    let super::lifecycle::Standing { life, status, due, late_days } =
        super::lifecycle::standing(store, id, plan_id, &period, version, &status)?;
    Ok(ReportDraft {
        id,
        plan_id,
        period,
        version,
        status,
        saved_at: saved_at.unwrap_or_default(),
        content,
        missing,
        signed,
        issued: life.issued,
        review: life.review,
        due: due.map(iso),
        late_days,
        locked: status == ReportStatus::Accepted,
    })
}

/// The signature recorded on report `id` (by `kehoach_sign::report::sign_report`, through the
/// write path): the `signed_*` fields are not projected into columns, so they are read from
/// the winning field values.
fn signed_copy(store: &Store, id: Uuid) -> Result<Option<SignedCopy>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT field, value FROM field_values WHERE entity = ?1
         AND field IN ('signed_sha256', 'signed_version', 'signed_by', 'signed_at', 'signed_pdf')",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut f: HashMap<String, Value> = HashMap::new();
    for row in rows {
        let (field, value) = row?;
        f.insert(field, serde_json::from_str(&value).unwrap_or(Value::Null));
    }
    let text = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let sha256 = text("signed_sha256");
    if sha256.is_empty() {
        return Ok(None);
    }
    Ok(Some(SignedCopy {
        version: f.get("signed_version").and_then(Value::as_u64).unwrap_or(0) as u32,
        sha256,
        signed_by: text("signed_by"),
        signed_at: text("signed_at"),
        pdf: text("signed_pdf"),
    }))
}

/// Reports of one plan (or all), newest period first.
pub fn list_reports(store: &Store, plan_id: Option<Uuid>) -> Result<Vec<ReportSummary>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, plan_id, period, number, title, version, status, saved_at FROM reports
         WHERE (?1 IS NULL OR plan_id = ?1) ORDER BY period DESC, saved_at DESC",
    )?;
    let rows = stmt.query_map([plan_id.map(|p| p.to_string())], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, plan, period, number, title, version, status, saved_at) = row?;
        let Ok(period) = parse_period(period.as_deref().unwrap_or("")) else {
            continue;
        };
        let id = Uuid::parse_str(&id).unwrap_or_default();
        let plan_id = plan.and_then(|p| Uuid::parse_str(&p).ok()).unwrap_or_default();
        let version = version.max(0) as u32;
        let super::lifecycle::Standing { life, status, due, late_days } =
            super::lifecycle::standing(store, id, plan_id, &period, version, &status)?;
        out.push(ReportSummary {
            id,
            plan_id,
            period,
            number: number.unwrap_or_default(),
            title: title.unwrap_or_default(),
            version,
            status,
            saved_at: saved_at.unwrap_or_default(),
            issued_at: life.issued.filter(|_| status.is_issued()).map(|i| i.issued_at).unwrap_or_default(),
            late_days: late_days.filter(|_| status.is_issued()),
            review_reason: life
                .review
                .filter(|r| r.decision == kehoach_model::ReviewDecision::Returned && r.version == version)
                .map(|r| r.reason),
            due: due.map(iso),
        });
    }
    Ok(out)
}

/// Every saved version of a report, oldest first, read from the op log of its `parts` field
/// (see the module docs): what each save wrote, when and on which PC.
pub fn report_versions(store: &Store, id: Uuid) -> Result<Vec<ReportVersion>> {
    report(store, id)?;
    let mut stmt = store.conn.prepare_cached(
        "SELECT value, hlc, device FROM ops WHERE entity = ?1 AND field = 'parts' ORDER BY hlc, device, id",
    )?;
    let rows = stmt
        .query_map([id.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (value, hlc, device) = row?;
        let (version, content) = parse_parts(id, &value)?;
        let ms = Hlc::from_i64(hlc).millis() as i64;
        out.push(ReportVersion {
            version,
            saved_at: chrono::DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339()).unwrap_or_default(),
            device: Uuid::parse_str(&device).unwrap_or_default(),
            content,
        });
    }
    Ok(out)
}
