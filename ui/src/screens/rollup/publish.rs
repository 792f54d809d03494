//! Gửi kế hoạch xuống các xã (issue 17), on the district's "Tổng hợp các xã": each of the
//! district's plans with the version last sent; sending it (through the hub when one is set,
//! and as a file for a commune's USB stick); and for each task that concerns communes, which
//! communes have taken it on and how far they are, a commune without a plan a month after the
//! first sending marked.

use kehoach_model::contract as cmd;
use kehoach_model::{Coverage, PublishOutcome, PublishedSummary};
use uuid::Uuid;
use yew::prelude::*;

use crate::fmt::date_vn;
use crate::ipc;
use crate::screens::error_box;

fn outcome_text(o: &PublishOutcome) -> String {
    let mut s = format!("Đã gửi phiên bản {} cho {} xã", o.version, o.communes);
    if let Some(n) = o.hub_communes {
        s += &format!("; máy chủ đồng bộ giữ cho {n} xã");
    }
    if let Some(f) = &o.file {
        s += &format!("; đã ghi tệp {f}");
    }
    s + "."
}

#[function_component(PublishPanel)]
pub fn publish_panel() -> Html {
    let plans = use_state(|| None::<Vec<PublishedSummary>>);
    let coverage = use_state(|| None::<Coverage>);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let reload = use_state(|| 0u32);
    {
        let (plans, error) = (plans.clone(), error.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::PublishedPlans {}).await {
                    Ok(l) => plans.set(Some(l)),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let send = |id: Uuid, to_file: bool| {
        let (error, notice, reload) = (error.clone(), notice.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (error, notice, reload) = (error.clone(), notice.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = if to_file {
                    match ipc::pick_save("Lưu tệp kế hoạch gửi các xã", "ke-hoach-gui-xa.json").await {
                        Ok(Some(p)) => Some(p),
                        Ok(None) => return,
                        Err(e) => return error.set(Some(e.into())),
                    }
                } else {
                    None
                };
                match ipc::call(&cmd::PublishPlan { plan: id, path }).await {
                    Ok(o) => {
                        notice.set(Some(outcome_text(&o)));
                        error.set(o.hub_error.map(|e| format!("Máy chủ đồng bộ chưa nhận: {e}")));
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let show = |id: Uuid| {
        let (coverage, error) = (coverage.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (coverage, error) = (coverage.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::PlanCoverage { plan: id }).await {
                    Ok(c) => {
                        error.set(None);
                        coverage.set(Some(c));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let list = match &*plans {
        None => html! {},
        Some(l) if l.is_empty() => {
            html! { <p class="muted">{ "Máy này chưa có kế hoạch nào của huyện (Kế hoạch hoặc Nhập kế hoạch)." }</p> }
        }
        Some(l) => html! {
            <table id="publish-plans">
                <thead><tr><th>{ "Kế hoạch" }</th><th style="width:28%">{ "Đã gửi các xã" }</th><th style="width:32%"></th></tr></thead>
                <tbody>
                    { for l.iter().map(|p| html! {
                        <tr data-plan={p.plan.id.to_string()}>
                            <td><strong>{ &p.plan.title }</strong>
                                <div class="muted">{ p.plan.number.clone().map(|n| format!("Số {n}")).unwrap_or_default() }</div></td>
                            <td>{ match (p.version, &p.published_at) {
                                (Some(v), Some(at)) => format!("Phiên bản {v}, ngày {} — {} xã", date_vn(at.get(..10).unwrap_or(at)), p.communes),
                                _ => "Chưa gửi".into(),
                            } }</td>
                            <td><div class="actions">
                                <button class="primary publish-send" onclick={send(p.plan.id, false)}>{ "Gửi các xã" }</button>
                                <button class="secondary publish-file" onclick={send(p.plan.id, true)}>{ "Ghi tệp…" }</button>
                                if p.version.is_some() {
                                    <button class="secondary publish-coverage" onclick={show(p.plan.id)}>{ "Xã đã nhận việc" }</button>
                                }
                            </div></td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <div class="card" id="publish">
            <h2 style="margin-top:0">{ "Gửi kế hoạch xuống các xã" }</h2>
            <p class="muted">{ "Gửi kế hoạch của huyện cho các xã (qua máy chủ đồng bộ, hoặc ghi tệp để chép USB). Xã lập kế hoạch của mình từ đó; sửa kế hoạch rồi gửi lại là một phiên bản mới, xã tự chọn thay đổi cần đưa vào." }</p>
            { list }
            if let Some(n) = &*notice { <div class="notice" id="publish-notice">{ n }</div> }
            { error_box(&error) }
            if let Some(c) = &*coverage { { coverage_view(c) } }
        </div>
    }
}

fn coverage_view(c: &Coverage) -> Html {
    html! {
        <div id="coverage">
            <h3>{ format!("{} — phiên bản {}", c.title, c.version) }</h3>
            <table id="coverage-tasks">
                <thead><tr><th style="width:6%">{ "Số" }</th><th>{ "Nhiệm vụ giao cho cấp xã" }</th><th style="width:10%">{ "Số xã nhận" }</th><th style="width:36%">{ "Các xã (tình trạng)" }</th></tr></thead>
                <tbody>
                    { for c.rows.iter().map(|r| html! {
                        <tr>
                            <td>{ r.reference.clone().unwrap_or_default() }</td>
                            <td>{ &r.text }</td>
                            <td class={classes!("num", (r.covered < r.expected).then_some("late"))}>{ format!("{}/{}", r.covered, r.expected) }</td>
                            <td>{ for r.communes.iter().map(|s| html! {
                                <div>{ format!("{}: {}{}", s.name, s.status.label_vi(), if s.overdue { " (quá hạn)" } else { "" }) }</div>
                            }) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <ul id="coverage-communes">
                { for c.communes.iter().map(|d| html! {
                    <li class={classes!(d.flagged.then_some("late"))}>
                        <strong>{ &d.name }</strong>{ ": " }
                        { match (d.plan, d.flagged) {
                            (Some(_), _) => format!("đã lập kế hoạch (theo phiên bản {})", d.version.map_or("—".into(), |v| v.to_string())),
                            (None, true) => "chưa lập kế hoạch sau một tháng kể từ khi gửi".into(),
                            (None, false) => "chưa lập kế hoạch".into(),
                        } }
                    </li>
                }) }
            </ul>
        </div>
    }
}
