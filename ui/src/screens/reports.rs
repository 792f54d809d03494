use kehoach_model::Plan;
use yew::prelude::*;

use super::error_box;
use crate::ipc::{self, NoArgs};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: u32,
}

/// Báo cáo: the reporting regime each plan sets (who reports, to whom, before which day).
#[function_component(ReportsScreen)]
pub fn reports_screen(p: &Props) -> Html {
    let plans = use_state(Vec::<Plan>::new);
    let error = use_state(|| None::<String>);
    {
        let (plans, error) = (plans.clone(), error.clone());
        use_effect_with(p.version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Vec<Plan>>("list_plans", &NoArgs {}).await {
                    Ok(ps) => plans.set(ps),
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let rules: Vec<Html> = plans
        .iter()
        .flat_map(|pl| {
            pl.reporting.iter().map(move |r| {
                html! {
                    <tr>
                        <td>{ &pl.title }</td>
                        <td>{ r.day_of_month.map(|d| format!("trước ngày {d:02} hằng tháng")).unwrap_or_else(|| "—".into()) }</td>
                        <td>{ r.who.clone().unwrap_or_default() }</td>
                        <td>{ r.to.clone().unwrap_or_default() }</td>
                    </tr>
                }
            })
        })
        .collect();
    html! {
        <>
            <h1>{ "Báo cáo" }</h1>
            { error_box(&error) }
            <h2>{ "Chế độ báo cáo theo kế hoạch" }</h2>
            if rules.is_empty() {
                <p class="muted">{ "Chưa có kế hoạch nào quy định chế độ báo cáo. Chế độ báo cáo được đọc khi nhập kế hoạch từ tệp." }</p>
            } else {
                <table id="reporting-table">
                    <thead><tr><th>{ "Kế hoạch" }</th><th>{ "Thời hạn" }</th><th>{ "Đơn vị báo cáo" }</th><th>{ "Gửi về" }</th></tr></thead>
                    <tbody>{ for rules }</tbody>
                </table>
            }
        </>
    }
}
