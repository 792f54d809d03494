//! Where a report stands for the officer: draft, issued (when, how, on time or late against
//! the due day), returned by the level above (its reason, prominently: the officer has to act
//! on it) or accepted (locked).

use kehoach_model::{IssueMethod, ReportDraft, ReportStatus, ReviewDecision};
use yew::prelude::*;

use crate::fmt::{date_vn, local_time};

fn due_line(d: &ReportDraft) -> Option<String> {
    let due = date_vn(d.due.as_deref()?);
    Some(match d.late_days {
        Some(0) => format!("Gửi đúng hạn (hạn {due})."),
        Some(n) => format!("Gửi muộn {n} ngày so với hạn {due}."),
        // Not issued yet: whether the due day has passed is what the officer needs to know.
        None if d.due.as_deref().is_some_and(|iso| iso < crate::fmt::today_iso().as_str()) => {
            format!("Hạn gửi: {due} — đã quá hạn, chưa ban hành.")
        }
        None => format!("Hạn gửi: {due}."),
    })
}

fn issued_line(d: &ReportDraft) -> Option<String> {
    let i = d.issued.as_ref()?;
    let how = match i.method {
        IssueMethod::Digital => "ký số",
        IssueMethod::Hand => "đã ký tay và gửi",
    };
    let mut s = format!("Bản {} ban hành lúc {} ({how}", i.version, local_time(&i.issued_at));
    if i.scan.is_some() {
        s += ", có bản quét";
    }
    s += ").";
    if i.first_issued_at != i.issued_at {
        s += &format!(" Ban hành lần đầu lúc {}.", local_time(&i.first_issued_at));
    }
    Some(s)
}

/// The card at the top of the editor.
pub fn status_card(d: &ReportDraft) -> Html {
    let review = d.review.as_ref();
    let by = review.map(|r| if r.by.trim().is_empty() { "Cấp trên".to_string() } else { r.by.clone() });
    let (class, head) = match d.status {
        ReportStatus::Draft => ("draft", format!("{} — bản {}", d.status.label_vi(), d.version)),
        ReportStatus::Issued => ("issued", format!("{} — bản {}", d.status.label_vi(), d.version)),
        ReportStatus::Accepted => ("accepted", format!("{} bản {}", d.status.label_vi(), d.version)),
        ReportStatus::Returned => ("returned", format!("{} bản {}", d.status.label_vi(), d.version)),
    };
    // A draft made after a return: the reason stays in sight until the new version is issued.
    let earlier_return = review
        .filter(|r| r.decision == ReviewDecision::Returned && r.version < d.version && d.status == ReportStatus::Draft);
    html! {
        <div class={classes!("card", "status-card", class)} id="report-status">
            <div class="big" id="report-status-label">{ head }</div>
            if d.status == ReportStatus::Returned {
                if let Some(r) = review {
                    <p class="reason" id="report-return-reason">{ format!("Lý do: {}", r.reason) }</p>
                    <p>{ format!("{} trả lại lúc {}. Sửa báo cáo và bấm “Lưu (tạo bản mới)”, rồi ban hành lại bản mới (ký số hoặc “Đã ký tay và gửi”).",
                        by.clone().unwrap_or_default(), local_time(&r.at)) }</p>
                }
            }
            if let Some(r) = earlier_return {
                <p class="reason" id="report-return-reason">{ format!("Bản {} bị {} trả lại: {}", r.version, by.clone().unwrap_or_default(), r.reason) }</p>
                <p>{ format!("Bản {} là bản đã sửa: ban hành lại để gửi cấp trên.", d.version) }</p>
            }
            if d.status == ReportStatus::Accepted {
                if let Some(r) = review {
                    <p id="report-locked">{ format!("{} đã chấp nhận lúc {}. Báo cáo đã khóa: chỉ xem, không sửa được, trừ khi cấp trên mở lại.",
                        by.clone().unwrap_or_default(), local_time(&r.at)) }</p>
                }
            }
            if d.status.is_issued() {
                if let Some(l) = issued_line(d) { <p id="report-issued">{ l }</p> }
            }
            if let Some(l) = due_line(d) { <p class="muted" id="report-due">{ l }</p> }
        </div>
    }
}
