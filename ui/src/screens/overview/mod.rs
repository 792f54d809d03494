//! Tổng quan: the figures an officer looks at first.

mod chart;

use kehoach_model::contract as cmd;
use kehoach_model::{
    format_figure_vi, format_number_vi, month_label_vi, with_unit, IndicatorKind, Target, TargetValue, Task,
};
use yew::prelude::*;

use chart::{chart_legend, group_chart};

use super::error_box;
use crate::fmt::{date_vn, opt_date_vn, percent};
use crate::hooks::use_query;

/// "tháng 5/2023: 1.234/1.500 (82,3%)": a figure by its target's kind.
fn figure(t: &Target, v: &TargetValue) -> String {
    let f = format_figure_vi(t.kind, v.value, v.numerator, v.denominator, t.unit.as_deref());
    format!("{}: {f}", month_label_vi(&v.period))
}

/// A small line of a target's recorded figures against its value.
fn trend(t: &Target) -> Html {
    let n = t.values.len();
    if n == 0 {
        return html! { <span class="muted">{ "chưa có số liệu" }</span> };
    }
    let max = t.values.iter().map(|v| v.value).fold(t.value.unwrap_or(0.0), f64::max).max(1.0);
    let (w, h) = (160.0, 40.0);
    let x = |i: usize| if n == 1 { w / 2.0 } else { 4.0 + (w - 8.0) * i as f64 / (n - 1) as f64 };
    let y = |v: f64| h - 4.0 - (h - 8.0) * v / max;
    let points: Vec<String> =
        t.values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v.value))).collect();
    let goal = t.value.map(|g| html! { <line x1="0" x2={w.to_string()} y1={y(g).to_string()} y2={y(g).to_string()} stroke="#9aa5b1" stroke-dasharray="3 3" /> });
    html! {
        <svg class="trend" width={w.to_string()} height={h.to_string()} role="img" aria-label="Diễn biến số liệu">
            { goal.unwrap_or_default() }
            <polyline points={points.join(" ")} fill="none" stroke="#b71c1c" stroke-width="2" />
            { for t.values.iter().enumerate().map(|(i, v)| html! { <circle cx={x(i).to_string()} cy={y(v.value).to_string()} r="3" fill="#b71c1c"><title>{ figure(t, v) }</title></circle> }) }
        </svg>
    }
}

fn task_list(id: &'static str, tasks: &[Task], empty: &'static str) -> Html {
    if tasks.is_empty() {
        return html! { <p class="muted">{ empty }</p> };
    }
    html! {
        <table id={id}>
            <thead><tr><th>{ "Số" }</th><th>{ "Nhiệm vụ" }</th><th>{ "Chủ trì" }</th><th>{ "Hạn" }</th></tr></thead>
            <tbody>{ for tasks.iter().map(|t| html! {
                <tr><td>{ t.reference.clone().unwrap_or_default() }</td><td>{ &t.text }</td><td>{ t.lead.join("; ") }</td><td>{ opt_date_vn(&t.deadline) }</td></tr>
            }) }</tbody>
        </table>
    }
}

/// Tổng quan: the figures an officer looks at first.
#[function_component(OverviewScreen)]
pub fn overview_screen() -> Html {
    let dashboard = use_query((), |_| cmd::Dashboard { as_of: None });
    let plans = use_query((), |_| cmd::ListPlans {});
    let error = (*dashboard.error).clone().or_else(|| (*plans.error).clone());
    let (Some(d), Some(plans)) = ((*dashboard.data).clone(), (*plans.data).clone()) else {
        return html! { <>{ error_box(&error) }<p class="muted">{ "Đang tải…" }</p></> };
    };
    let o = &d.overview;
    let pct = percent(o.done, o.tasks);
    let stat = |id: &'static str, n: u32, label: &'static str, bad: bool| {
        html! { <div class={classes!("stat", (bad && n > 0).then_some("bad"))} id={id}><div class="n">{ n }</div><div class="l">{ label }</div></div> }
    };
    html! {
        <>
            <h1>{ "Tổng quan" }</h1>
            { error_box(&error) }
            <p class="muted">{ format!("Số liệu tính đến ngày {}", date_vn(&d.as_of)) }</p>
            <crate::screens::reports::ReturnedReports />
            if let Some(r) = &d.next_report {
                <div class={classes!("card", (r.days_left <= 3).then_some("urgent"))} id="next-report">
                    <strong>{ "Báo cáo kỳ tới: " }</strong>
                    { format!("trước ngày {} ({}), gửi {} — {}",
                        date_vn(&r.date),
                        if r.days_left == 0 { "hôm nay".to_string() } else { format!("còn {} ngày", r.days_left) },
                        r.to.clone().unwrap_or_else(|| "cấp trên".into()),
                        r.plan_title) }
                </div>
            }
            <div class="stats">
                { stat("stat-plans", o.plans, "kế hoạch", false) }
                { stat("stat-tasks", o.tasks, "nhiệm vụ", false) }
                { stat("stat-done", o.done, "hoàn thành", false) }
                { stat("stat-in-progress", o.in_progress, "đang thực hiện", false) }
                { stat("stat-overdue", o.overdue, "quá hạn", true) }
                { stat("stat-due-month", o.due_this_month, "đến hạn trong tháng", false) }
            </div>
            <div class="card" style="margin-top:16px">
                <strong>{ "Tiến độ chung: " }</strong><span id="progress-percent">{ format!("{pct}%") }</span>
                <div class="bar" role="progressbar" aria-valuenow={pct.to_string()} aria-valuemin="0" aria-valuemax="100"><div style={format!("width:{pct}%")}></div></div>
            </div>
            if o.tasks > 0 {
                <div class="card">
                    <h2 style="margin-top:0">{ "Tiến độ theo nhóm tiện ích" }</h2>
                    { group_chart(&d.groups) }
                    { chart_legend() }
                </div>
            }
            <h2>{ format!("Nhiệm vụ quá hạn ({})", d.overdue.len()) }</h2>
            { task_list("overdue-list", &d.overdue, "Không có nhiệm vụ quá hạn.") }
            <h2>{ format!("Đến hạn trong tháng ({})", d.due_this_month.len()) }</h2>
            { task_list("due-month-list", &d.due_this_month, "Không có nhiệm vụ đến hạn trong tháng này.") }
            if !d.targets.is_empty() {
                <h2>{ "Chỉ tiêu" }</h2>
                <table id="targets-table">
                    <thead><tr><th>{ "Chỉ tiêu" }</th><th>{ "Mục tiêu" }</th><th>{ "Số liệu mới nhất" }</th><th>{ "Diễn biến" }</th></tr></thead>
                    <tbody>{ for d.targets.iter().map(|t| html! {
                        <tr>
                            <td>{ &t.text }</td>
                            <td>{ match t.kind {
                                IndicatorKind::YesNo => "Có".to_string(),
                                _ => t.value.map(|v| with_unit(v, t.unit.as_deref())).unwrap_or_else(|| "—".into()),
                            } }</td>
                            <td>{ t.latest.as_ref().map(|l| figure(t, l)).unwrap_or_else(|| "—".into()) }
                                { t.progress.filter(|_| t.kind != IndicatorKind::YesNo).map(|p| format!(" — đạt {}%", format_number_vi(p.round()))).unwrap_or_default() }</td>
                            <td>{ trend(t) }</td>
                        </tr>
                    }) }</tbody>
                </table>
            }
            <h2>{ "Tiến độ theo kế hoạch" }</h2>
            if plans.is_empty() {
                <p class="muted">{ "Chưa có kế hoạch nào. Vào mục “Kế hoạch” để tạo hoặc “Nhập kế hoạch” để nhập từ tệp." }</p>
            } else {
                <table>
                    <thead><tr><th>{ "Kế hoạch" }</th><th>{ "Số, ký hiệu" }</th><th>{ "Hoàn thành" }</th></tr></thead>
                    <tbody>
                    { for plans.iter().map(|pl| html! {
                        <tr>
                            <td>{ &pl.title }</td>
                            <td>{ pl.number.clone().unwrap_or_default() }</td>
                            <td>{ format!("{}/{} ({}%)", pl.done_count, pl.task_count, percent(pl.done_count, pl.task_count)) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
        </>
    }
}
