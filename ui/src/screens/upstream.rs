//! Kế hoạch cấp trên: the plans the level above published to this commune (received from the
//! hub or a USB file, read-only), the derive step that makes the commune's plan from one, and a
//! new version's changes, which the officer chooses to carry or not.

use kehoach_model::contract as cmd;
use kehoach_model::{DeriveProposal, ReceiveOutcome};
use yew::prelude::*;

use super::error_box;
use crate::hooks::{use_bump, use_query};
use crate::ipc;
use card::UpstreamCard;

mod card;

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
    let on_change = use_bump();
    let plans = use_query((), |_| cmd::UpstreamPlans {});
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let trust = use_state(|| None::<(String, Source)>);
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
                { error_box(&(*error).clone().or((*plans.error).clone())) }
            </div>
            <div id="upstream-list">
                { match &*plans.data {
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
