//! One plan of the level above: its facts, the derive step, and a newer version's changes as
//! they meet the commune's plan.

use kehoach_model::contract as cmd;
use kehoach_model::{Amendment, ChangeKind, DeriveProposal, UpstreamPlan};
use uuid::Uuid;
use yew::prelude::*;

use crate::fmt::{date_vn, opt_date_vn};
use crate::hooks::{use_bump, use_data_version};
use crate::ipc;
use crate::screens::error_box;

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub plan: UpstreamPlan,
    pub on_derive: Callback<DeriveProposal>,
}

#[function_component(UpstreamCard)]
pub fn upstream_card(p: &CardProps) -> Html {
    let error = use_state(|| None::<String>);
    let u = &p.plan.publication;
    let derive = {
        let (error, on_derive, parent) = (error.clone(), p.on_derive.clone(), u.plan_id);
        Callback::from(move |_: MouseEvent| {
            let (error, on_derive) = (error.clone(), on_derive.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::DeriveProposal { parent }).await {
                    Ok(p) if p.tasks.is_empty() => {
                        error.set(Some("Kế hoạch này không có nhiệm vụ nào giao cho cấp xã".into()))
                    }
                    Ok(p) => on_derive.emit(p),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let head = format!(
        "Số {} ngày {} của {} — phiên bản {}, gửi ngày {}",
        u.plan.number.clone().unwrap_or_else(|| "—".into()),
        opt_date_vn(&u.plan.date),
        u.plan.issuer.clone().unwrap_or_else(|| u.unit.clone()),
        u.version,
        date_vn(u.published_at.get(..10).unwrap_or(&u.published_at)),
    );
    html! {
        <div class="card upstream-plan" data-plan={u.plan_id.to_string()}>
            <h2 style="margin-top:0">{ &u.plan.title }</h2>
            <p class="muted">{ head }</p>
            if p.plan.derived.is_empty() {
                <div class="actions">
                    <button class="primary upstream-derive" onclick={derive}>{ "Lập kế hoạch của xã từ kế hoạch này" }</button>
                </div>
            } else {
                <p class="upstream-derived">{ "Xã đã lập kế hoạch thực hiện kế hoạch này." }</p>
                { for p.plan.derived.iter().map(|id| html! { <AmendmentPanel key={id.to_string()} plan={*id} /> }) }
            }
            { error_box(&error) }
            <details>
                <summary>{ format!("{} nhiệm vụ của cấp trên (chỉ xem)", u.plan.tasks.len()) }</summary>
                <table class="upstream-tasks">
                    <thead><tr><th>{ "Số" }</th><th>{ "Nội dung" }</th><th>{ "Chủ trì" }</th><th>{ "Phối hợp" }</th><th>{ "Thời gian" }</th></tr></thead>
                    <tbody>
                        { for u.plan.tasks.iter().map(|t| html! {
                            <tr>
                                <td>{ t.task.reference.clone().unwrap_or_default() }</td>
                                <td>{ &t.task.text }</td>
                                <td>{ t.task.lead.join("; ") }</td>
                                <td>{ t.task.coord.join("; ") }</td>
                                <td>{ t.task.time_text.clone().unwrap_or_default() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AmendmentProps {
    plan: Uuid,
}

/// A newer version of the level above's plan, as it meets the commune's plan: each change with
/// a box to tick; nothing changes in the commune's plan until the officer carries them.
#[function_component(AmendmentPanel)]
fn amendment_panel(p: &AmendmentProps) -> Html {
    let version = use_data_version();
    let on_change = use_bump();
    let amendment = use_state(|| None::<Amendment>);
    let error = use_state(|| None::<String>);
    let done = use_state(|| None::<String>);
    {
        let (amendment, error, plan) = (amendment.clone(), error.clone(), p.plan);
        use_effect_with((p.plan, version), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::PlanAmendment { plan }).await {
                    Ok(a) => amendment.set(a),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let Some(a) = (*amendment).clone() else {
        return html! { <>{ error_box(&error) }if let Some(d) = &*done { <div class="notice" id="amendment-done">{ d }</div> }</> };
    };
    let toggle = |i: usize| {
        let amendment = amendment.clone();
        Callback::from(move |_: Event| {
            if let Some(mut a) = (*amendment).clone() {
                a.items[i].selected = !a.items[i].selected;
                amendment.set(Some(a));
            }
        })
    };
    let carry = {
        let (amendment, error, done, a, on_change) =
            (amendment.clone(), error.clone(), done.clone(), a.clone(), on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let (amendment, error, done, a, on_change) =
                (amendment.clone(), error.clone(), done.clone(), a.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::CarryAmendment { amendment: a.clone() }).await {
                    Ok(plan) => {
                        error.set(None);
                        done.set(Some(format!(
                            "Đã cập nhật “{}” theo phiên bản {} của cấp trên ({} nhiệm vụ).",
                            plan.title, a.to_version, plan.task_count
                        )));
                        amendment.set(None);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    html! {
        <div class="amendment" id="amendment">
            <h3>{ format!("Cấp trên đã sửa kế hoạch: phiên bản {} → {}", a.from_version, a.to_version) }</h3>
            <p class="muted">{ "Chọn thay đổi cần đưa vào kế hoạch của xã. Kế hoạch của xã không thay đổi cho đến khi bấm “Cập nhật”." }</p>
            <ul class="amendment-items">
                { for a.items.iter().enumerate().map(|(i, it)| {
                    let when = match (&it.before, &it.after, it.kind) {
                        (Some(b), Some(a), ChangeKind::Redated) => format!(" (thời hạn: {b} → {a})"),
                        (_, Some(a), ChangeKind::Added) => format!(" (thời hạn: {a})"),
                        _ => String::new(),
                    };
                    let note = match (it.kind, it.commune_task.is_some(), it.proposed.is_some()) {
                        (ChangeKind::Added, _, false) => " — không giao cho cấp xã",
                        (ChangeKind::Redated | ChangeKind::Removed, false, _) => " — kế hoạch của xã không có nhiệm vụ này",
                        (ChangeKind::Removed, true, _) => " — chọn để xóa nhiệm vụ này khỏi kế hoạch của xã",
                        (ChangeKind::Changed, _, _) => " — sửa tay trong nhiệm vụ của xã nếu cần",
                        _ => "",
                    };
                    let can = match it.kind {
                        ChangeKind::Added => it.proposed.is_some(),
                        ChangeKind::Redated | ChangeKind::Removed => it.commune_task.is_some(),
                        ChangeKind::Changed => false,
                    };
                    html! {
                        <li class={classes!("amendment-item", format!("change-{}", match it.kind {
                            ChangeKind::Added => "added", ChangeKind::Removed => "removed",
                            ChangeKind::Redated => "redated", ChangeKind::Changed => "changed" }))}>
                            <label>
                                <input type="checkbox" checked={it.selected} disabled={!can} onchange={toggle(i)} />
                                <span>
                                    <strong>{ format!("{}: ", it.kind.label_vi()) }</strong>
                                    { format!("{} {}{}", it.parent_ref.clone().unwrap_or_default(), it.text, when) }
                                    <span class="muted">{ note }</span>
                                </span>
                            </label>
                        </li>
                    }
                }) }
            </ul>
            { error_box(&error) }
            <div class="actions"><button class="primary" id="amendment-carry" onclick={carry}>{ "Cập nhật vào kế hoạch của xã" }</button></div>
        </div>
    }
}
