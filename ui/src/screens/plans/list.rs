//! The plans, one line each with its progress, and creating a new one.

use kehoach_model::contract as cmd;
use kehoach_model::{NewPlan, Plan};
use uuid::Uuid;
use yew::prelude::*;

use crate::ipc;
use crate::screens::{bind, error_box, non_blank};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub plans: Vec<Plan>,
    pub selected: Option<Uuid>,
    pub on_select: Callback<Uuid>,
    pub on_change: Callback<()>,
}

#[function_component(PlanList)]
pub fn plan_list(p: &Props) -> Html {
    let title = use_state(String::new);
    let number = use_state(String::new);
    let error = use_state(|| None::<String>);
    let create = {
        let (title, number, error, on_select, on_change) =
            (title.clone(), number.clone(), error.clone(), p.on_select.clone(), p.on_change.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let plan = NewPlan { title: (*title).clone(), number: non_blank(&number), ..Default::default() };
            let (title, number, error, on_select, on_change) =
                (title.clone(), number.clone(), error.clone(), on_select.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::CreatePlan { plan }).await {
                    Ok(pl) => {
                        error.set(None);
                        title.set(String::new());
                        number.set(String::new());
                        on_select.emit(pl.id);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let items = p.plans.iter().map(|pl| {
        let id = pl.id;
        let current = p.selected == Some(id);
        html! {
            <li class={classes!(current.then_some("current"))}>
                <button class="plan-link" type="button" title={pl.title.clone()} onclick={p.on_select.reform(move |_: MouseEvent| id)}>
                    { format!("{}{}", if current { "▶ " } else { "" }, pl.title) }
                </button>
                <span class="muted">{ format!(" — {}/{} hoàn thành", pl.done_count, pl.task_count) }</span>
            </li>
        }
    });
    html! {
        <div class="card plan-list-card">
            if p.plans.is_empty() { <p class="muted">{ "Chưa có kế hoạch." }</p> }
            <ul class="plan-list" id="plan-list">{ for items }</ul>
            <form onsubmit={create} id="plan-form" class="row plan-form">
                <input id="plan-title" aria-label="Tên kế hoạch mới" placeholder="Tên kế hoạch mới" value={(*title).clone()} oninput={bind(&title)} />
                <input id="plan-number" aria-label="Số, ký hiệu" placeholder="Số, ký hiệu (24/KH-UBND)" value={(*number).clone()} oninput={bind(&number)} />
                <div style="flex:0"><button class="secondary" type="submit" id="plan-create">{ "Tạo kế hoạch" }</button></div>
            </form>
            { error_box(&error) }
        </div>
    }
}
