//! Kế hoạch cấp trên: the plans the level above published to this commune (received from the
//! hub or a USB file, read-only), the derive step that makes the commune's plan from one, and a
//! new version's changes, which the officer chooses to carry or not.

use kehoach_model::contract as cmd;
use kehoach_model::{Amendment, ChangeKind, DeriveProposal, ReceiveOutcome, UpstreamPlan};
use uuid::Uuid;
use yew::prelude::*;

use super::error_box;
use crate::fmt::{date_vn, opt_date_vn};
use crate::hooks::{use_bump, use_data_version};
use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Opens the derive step (the review screen) with the proposal.
    pub on_derive: Callback<DeriveProposal>,
}

/// Where the officer receives from; kept to receive again after accepting the level above's PC.
#[derive(Clone, PartialEq)]
enum Source {
    File(String),
    Hub,
}

async fn receive(source: &Source, accept: bool) -> Result<ReceiveOutcome, String> {
    match source {
        Source::File(path) => Ok(ipc::call(&cmd::ReceiveUpstreamFile { path: path.clone(), accept }).await?),
        Source::Hub => Ok(ipc::call(&cmd::ReceiveUpstreamHub { accept }).await?),
    }
}

/// What receiving did, in a sentence per plan.
fn outcome_text(o: &ReceiveOutcome) -> Option<String> {
    if o.received.is_empty() {
        return None;
    }
    let lines: Vec<String> = o
        .received
        .iter()
        .map(|r| {
            let mut s = format!("“{}” của {} (phiên bản {})", r.title, r.unit, r.version);
            if !r.new {
                s += ": đã có từ trước, không thay đổi";
            } else if let Some(c) = &r.changes {
                s += &format!(
                    ": {} nhiệm vụ mới, {} nhiệm vụ bị bỏ, {} nhiệm vụ đổi thời hạn, {} nhiệm vụ sửa nội dung",
                    c.added.len(),
                    c.removed.len(),
                    c.redated.len(),
                    c.changed.len()
                );
            }
            s
        })
        .collect();
    Some(format!("Đã nhận {}.", lines.join("; ")))
}

#[function_component(UpstreamScreen)]
pub fn upstream_screen(p: &Props) -> Html {
    let version = use_data_version();
    let on_change = use_bump();
    let plans = use_state(|| None::<Vec<UpstreamPlan>>);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let trust = use_state(|| None::<(String, Source)>);
    {
        let (plans, error) = (plans.clone(), error.clone());
        use_effect_with(version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::UpstreamPlans {}).await {
                    Ok(l) => plans.set(Some(l)),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let run = {
        let (error, notice, trust, on_change) = (error.clone(), notice.clone(), trust.clone(), on_change.clone());
        Callback::from(move |(source, accept): (Source, bool)| {
            let (error, notice, trust, on_change) = (error.clone(), notice.clone(), trust.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match receive(&source, accept).await {
                    Ok(o) => {
                        on_change.emit(());
                        trust.set(o.needs_trust.clone().map(|m| (m, source)));
                        notice.set(outcome_text(&o));
                        error.set((!o.refused.is_empty()).then(|| format!("Không nhận: {}", o.refused.join("; "))));
                    }
                    Err(e) => {
                        notice.set(None);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let from_file = {
        let (run, error) = (run.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (run, error) = (run.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::pick_open("Chọn tệp kế hoạch của cấp trên").await {
                    Ok(Some(path)) => run.emit((Source::File(path), false)),
                    Ok(None) => {}
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let from_hub = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.emit((Source::Hub, false)))
    };
    let accept = {
        let (run, trust) = (run.clone(), trust.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((_, source)) = (*trust).clone() {
                run.emit((source, true));
            }
        })
    };

    html! {
        <>
            <h1>{ "Kế hoạch cấp trên" }</h1>
            <div class="card">
                <p>{ "Kế hoạch do UBND huyện (tỉnh) gửi xuống xã qua máy chủ đồng bộ hoặc bằng tệp trên USB. Kế hoạch cấp trên chỉ để xem; từ đó lập kế hoạch của xã chỉ với các nhiệm vụ giao cho cấp xã." }</p>
                <div class="actions">
                    <button class="primary" id="upstream-file" onclick={from_file}>{ "Nhận từ tệp…" }</button>
                    <button class="secondary" id="upstream-hub" onclick={from_hub}>{ "Nhận từ máy chủ đồng bộ" }</button>
                </div>
                if let Some((msg, _)) = &*trust {
                    <div class="error" role="alert" id="upstream-trust">
                        <p>{ msg }</p>
                        <button class="primary" id="upstream-accept" onclick={accept}>{ "Tin cậy máy của cấp trên và nhận" }</button>
                    </div>
                }
                if let Some(n) = &*notice { <div class="notice" id="upstream-notice">{ n }</div> }
                { error_box(&error) }
            </div>
            <div id="upstream-list">
                { match &*plans {
                    None => html! { <p class="muted">{ "Đang tải…" }</p> },
                    Some(l) if l.is_empty() => html! { <p class="muted" id="upstream-empty">{ "Chưa nhận kế hoạch nào của cấp trên." }</p> },
                    Some(l) => l.iter().map(|u| html! {
                        <UpstreamCard key={u.publication.plan_id.to_string()} plan={u.clone()} on_derive={p.on_derive.clone()} />
                    }).collect::<Html>(),
                } }
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    plan: UpstreamPlan,
    on_derive: Callback<DeriveProposal>,
}

#[function_component(UpstreamCard)]
fn upstream_card(p: &CardProps) -> Html {
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
