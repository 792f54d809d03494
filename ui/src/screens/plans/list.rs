//! The plans, one line each with its progress, and creating a new one.

use kehoach_model::contract as cmd;
use kehoach_model::{NewPlan, Plan};
use uuid::Uuid;
use yew::prelude::*;

use crate::hooks::use_command;
use crate::screens::{bind, error_box, non_blank};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub plans: Vec<Plan>,
    pub selected: Option<Uuid>,
    pub on_select: Callback<Uuid>,
}

#[function_component(PlanList)]
pub fn plan_list(p: &Props) -> Html {
    let title = use_state(String::new);
    let number = use_state(String::new);
    let run = use_command();
    let create = {
        let (title, number, run, on_select) = (title.clone(), number.clone(), run.clone(), p.on_select.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let plan = NewPlan { title: (*title).clone(), number: non_blank(&number), ..Default::default() };
            let (title, number, on_select) = (title.clone(), number.clone(), on_select.clone());
            run.run(cmd::CreatePlan { plan }, move |pl| {
                title.set(String::new());
                number.set(String::new());
                on_select.emit(pl.id);
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
            { error_box(&run.error) }
        </div>
    }
}
