use kehoach_model::{Overview, Plan};
use serde::Serialize;
use yew::prelude::*;

use super::error_box;
use crate::fmt::{date_vn, percent};
use crate::ipc::{self, NoArgs};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: u32,
}

#[derive(Serialize)]
struct Args {
    #[serde(rename = "asOf")]
    as_of: Option<String>,
}

/// Tổng quan: the figures an officer looks at first.
#[function_component(OverviewScreen)]
pub fn overview_screen(p: &Props) -> Html {
    let data = use_state(|| None::<(Overview, Vec<Plan>)>);
    let error = use_state(|| None::<String>);
    {
        let (data, error) = (data.clone(), error.clone());
        use_effect_with(p.version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let o = ipc::call::<_, Overview>("overview", &Args { as_of: None }).await;
                let plans = ipc::call::<_, Vec<Plan>>("list_plans", &NoArgs {}).await;
                match (o, plans) {
                    (Ok(o), Ok(p)) => data.set(Some((o, p))),
                    (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
                }
            });
        });
    }
    let Some((o, plans)) = (*data).clone() else {
        return html! { <>{ error_box(&error) }<p class="muted">{ "Đang tải…" }</p></> };
    };
    let pct = percent(o.done, o.tasks);
    let stat = |id: &'static str, n: u32, label: &'static str, bad: bool| {
        html! { <div class={classes!("stat", (bad && n > 0).then_some("bad"))} id={id}><div class="n">{ n }</div><div class="l">{ label }</div></div> }
    };
    html! {
        <>
            <h1>{ "Tổng quan" }</h1>
            { error_box(&error) }
            <p class="muted">{ format!("Số liệu tính đến ngày {}", date_vn(&o.as_of)) }</p>
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
