use std::rc::Rc;

use kehoach_model::contract as cmd;
use kehoach_model::{ReportDraft, ScheduleState};
use uuid::Uuid;
use yew::prelude::*;

use super::{bind, error_box, select_value};
use crate::fmt::date_vn;
use crate::hooks::{use_command, use_query};

mod editor;
mod hand_issue;
mod returned;
mod sign;
mod status;

use editor::ReportEditor;
pub use returned::ReturnedReports;

fn state_label(s: ScheduleState, days: i64) -> Html {
    match s {
        ScheduleState::Done => html! { <span class="tag">{ "Đã ban hành" }</span> },
        ScheduleState::Late => html! { <span class="tag late">{ format!("Quá hạn {} ngày", -days) }</span> },
        ScheduleState::Upcoming => html! { <span class="tag">{ format!("Còn {days} ngày") }</span> },
        ScheduleState::Returned => html! { <span class="tag late">{ "Cấp trên trả lại" }</span> },
    }
}

/// Báo cáo: the schedule from each plan's regime, drafting, the editor, printing and export.
#[function_component(ReportsScreen)]
pub fn reports_screen() -> Html {
    let schedule = use_query((), |_| cmd::ReportSchedule { as_of: None });
    let reports = use_query((), |_| cmd::ListReports { plan_id: None });
    let plans = use_query((), |_| cmd::ListPlans {});
    let open = use_state(|| None::<ReportDraft>);
    let run = use_command();
    let plan_choice = use_state(|| None::<Uuid>);
    let period = use_state(String::new);
    // A plan list that failed only leaves the form's choice empty, as before.
    let error = (*run.error).clone().or_else(|| (*schedule.error).clone()).or_else(|| (*reports.error).clone());
    let schedule = (*schedule.data).clone().unwrap_or_default();
    let reports = (*reports.data).clone().unwrap_or_default();
    let plans = (*plans.data).clone().unwrap_or_default();

    let start_draft = {
        let (open, run) = (open.clone(), run.clone());
        Rc::new(move |plan_id: Uuid, period: String| {
            let open = open.clone();
            run.ask(cmd::DraftReport { plan_id, period }, move |d| open.set(Some(d)));
        })
    };
    let open_report = {
        let (open, run) = (open.clone(), run.clone());
        Rc::new(move |id: Uuid| {
            let open = open.clone();
            run.ask(cmd::GetReport { id }, move |d| open.set(Some(d)));
        })
    };

    if let Some(d) = (*open).clone() {
        let back = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        let key = format!("{}-{}", d.id, d.version);
        return html! {
            <>
                <div class="actions" style="margin-top:0"><button class="secondary" id="report-back" onclick={back}>{ "← Danh sách báo cáo" }</button></div>
                <ReportEditor {key} draft={d} />
            </>
        };
    }

    let sched_rows = schedule.iter().map(|e| {
        let action = match e.report_id {
            Some(id) => {
                let f = open_report.clone();
                html! { <button class="secondary" onclick={Callback::from(move |_| f(id))}>{ "Mở" }</button> }
            }
            None => {
                let f = start_draft.clone();
                let (pid, code) = (e.plan_id, e.period_code.clone());
                html! { <button class="primary sched-draft" onclick={Callback::from(move |_| f(pid, code.clone()))}>{ "Lập báo cáo" }</button> }
            }
        };
        html! {
            <tr>
                <td>{ &e.plan_title }</td>
                <td>{ &e.period_label }</td>
                <td>{ date_vn(&e.due) }</td>
                <td>{ e.to.clone().unwrap_or_default() }</td>
                <td>{ state_label(e.state, e.days_left) }</td>
                <td>{ action }</td>
            </tr>
        }
    });
    let report_rows = reports.iter().map(|r| {
        let f = open_report.clone();
        let id = r.id;
        html! {
            <tr>
                <td>{ if r.number.is_empty() { "—".to_string() } else { r.number.clone() } }</td>
                <td>{ &r.title }</td>
                <td>{ r.period.label_vi() }</td>
                <td>{ format!("{} (bản {})", r.status.label_vi(), r.version) }
                    { match r.late_days { Some(n) if n > 0 => format!(" — muộn {n} ngày"), _ => String::new() } }
                    if let Some(reason) = &r.review_reason { <div class="reason">{ format!("Lý do trả lại: {reason}") }</div> }</td>
                <td><button class="secondary report-open" onclick={Callback::from(move |_| f(id))}>{ "Mở" }</button></td>
            </tr>
        }
    });
    let manual = {
        let (plan_choice, period, error, f) =
            (plan_choice.clone(), period.clone(), run.error.clone(), start_draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match *plan_choice {
                Some(pid) => f(pid, (*period).trim().to_string()),
                None => error.set(Some("Hãy chọn kế hoạch".into())),
            }
        })
    };
    let choose_plan = {
        let plan_choice = plan_choice.clone();
        Callback::from(move |e: Event| plan_choice.set(Uuid::parse_str(&select_value(&e)).ok()))
    };

    html! {
        <>
            <h1>{ "Báo cáo" }</h1>
            { error_box(&error) }
            <h2>{ "Lịch báo cáo" }</h2>
            if schedule.is_empty() {
                <p class="muted">{ "Chưa có kế hoạch nào quy định chế độ báo cáo (chế độ báo cáo được đọc khi nhập kế hoạch từ tệp)." }</p>
            } else {
                <table id="schedule-table">
                    <thead><tr><th>{ "Kế hoạch" }</th><th>{ "Kỳ báo cáo" }</th><th>{ "Hạn gửi" }</th><th>{ "Gửi về" }</th><th>{ "Tình trạng" }</th><th></th></tr></thead>
                    <tbody>{ for sched_rows }</tbody>
                </table>
            }
            <div class="card" style="margin-top:16px">
                <form onsubmit={manual} class="row" id="draft-form">
                    <div>
                        <label for="draft-plan">{ "Kế hoạch" }</label>
                        <select id="draft-plan" onchange={choose_plan}>
                            <option value="" selected={plan_choice.is_none()}>{ "— chọn kế hoạch —" }</option>
                            { for plans.iter().map(|p| html! { <option value={p.id.to_string()} selected={*plan_choice == Some(p.id)}>{ &p.title }</option> }) }
                        </select>
                    </div>
                    <div style="flex:0 0 220px">
                        <label for="draft-period">{ "Kỳ (2023-03, 2023-Q1, 2023-H1, 2023)" }</label>
                        <input id="draft-period" placeholder="2023-03" value={(*period).clone()} oninput={bind(&period)} />
                    </div>
                    <div style="flex:0 0 160px; align-self:flex-end"><button class="primary" type="submit" id="draft-go">{ "Lập dự thảo" }</button></div>
                </form>
            </div>
            <h2>{ "Báo cáo đã lập" }</h2>
            if reports.is_empty() { <p class="muted">{ "Chưa có báo cáo." }</p> } else {
                <table id="report-list">
                    <thead><tr><th>{ "Số" }</th><th>{ "Trích yếu" }</th><th>{ "Kỳ" }</th><th>{ "Tình trạng" }</th><th></th></tr></thead>
                    <tbody>{ for report_rows }</tbody>
                </table>
            }
        </>
    }
}
