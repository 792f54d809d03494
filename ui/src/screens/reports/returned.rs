//! On Tổng quan: the reports the level above returned, with its reason, until the commune
//! issues them again — the one thing on the dashboard the officer must act on first.

use kehoach_model::contract as cmd;
use kehoach_model::{ReportStatus, ReportSummary};
use yew::prelude::*;

use crate::hooks::use_query;

#[function_component(ReturnedReports)]
pub fn returned_reports() -> Html {
    let reports = use_query((), |_| cmd::ListReports { plan_id: None });
    let returned: Vec<ReportSummary> =
        reports.data.iter().flatten().filter(|r| r.status == ReportStatus::Returned).cloned().collect();
    if returned.is_empty() {
        return html! {};
    }
    html! {
        <div class="card status-card returned" id="returned-reports">
            { for returned.iter().map(|r| html! {
                <div class="returned-report">
                    <div class="big">{ format!("Cấp trên trả lại báo cáo {} (bản {})", r.period.label_vi(), r.version) }</div>
                    <p class="reason">{ format!("Lý do: {}", r.review_reason.clone().unwrap_or_default()) }</p>
                </div>
            }) }
            <p class="muted">{ "Vào mục “Báo cáo” để sửa, lưu bản mới và ban hành lại." }</p>
        </div>
    }
}
