//! On Tổng quan: the reports the level above returned, with its reason, until the commune
//! issues them again — the one thing on the dashboard the officer must act on first.

use kehoach_model::contract as cmd;
use kehoach_model::{ReportStatus, ReportSummary};
use yew::prelude::*;

use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: u32,
}

#[function_component(ReturnedReports)]
pub fn returned_reports(p: &Props) -> Html {
    let returned = use_state(Vec::<ReportSummary>::new);
    {
        let returned = returned.clone();
        use_effect_with(p.version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(r) = ipc::call(&cmd::ListReports { plan_id: None }).await {
                    returned.set(r.into_iter().filter(|r| r.status == ReportStatus::Returned).collect());
                }
            });
        });
    }
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
