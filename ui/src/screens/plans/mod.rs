//! Kế hoạch, the screen an officer works in all day: the plans, a search across them, and
//! one plan's tasks as a table (grouped by section, filtered, sorted, ticked for a status
//! change together) with the open task's detail beside it.

mod add_task;
mod bulk;
mod filter;
mod header;
mod list;
mod row;
mod search;
mod table;
mod toolbar;

use kehoach_model::contract as cmd;
use kehoach_model::SearchHit;
use uuid::Uuid;
use yew::prelude::*;

use super::error_box;
use super::tracking::{ChecklistPanel, TargetPanel, TaskPanel};
use crate::hooks::{use_query, use_query_when};

#[function_component(PlansScreen)]
pub fn plans_screen() -> Html {
    let selected = use_state(|| None::<Uuid>);
    let open_task = use_state(|| None::<Uuid>);
    let plans = use_query((), |_| cmd::ListPlans {});
    let detail = use_query_when(*selected, |sel| sel.map(|id| cmd::PlanDetail { id }));
    // With none selected yet, the first plan opens.
    {
        let selected = selected.clone();
        use_effect_with((*plans.data).clone(), move |ps| {
            if selected.is_none() {
                if let Some(first) = ps.as_ref().and_then(|ps| ps.first()) {
                    selected.set(Some(first.id));
                }
            }
        });
    }
    let error = (*plans.error).clone().or_else(|| (*detail.error).clone());

    let select_plan = {
        let (selected, open_task) = (selected.clone(), open_task.clone());
        Callback::from(move |id: Uuid| {
            if *selected != Some(id) {
                open_task.set(None);
            }
            selected.set(Some(id));
        })
    };
    // A found task or note opens its task beside its plan's table; a checklist item its plan.
    let open_hit = {
        let (select_plan, open_task) = (select_plan.clone(), open_task.clone());
        Callback::from(move |h: SearchHit| {
            if let Some(plan) = h.plan_id {
                select_plan.emit(plan);
            }
            open_task.set(h.task_id);
        })
    };
    let toggle_task = {
        let open_task = open_task.clone();
        Callback::from(move |id: Uuid| open_task.set(if *open_task == Some(id) { None } else { Some(id) }))
    };
    let close_task = {
        let open_task = open_task.clone();
        Callback::from(move |()| open_task.set(None))
    };
    let on_deleted = {
        let (selected, detail, open_task) = (selected.clone(), detail.data.clone(), open_task.clone());
        Callback::from(move |()| {
            detail.set(None);
            open_task.set(None);
            selected.set(None);
        })
    };
    // The detail shown is the selected plan's (not the one loaded before a switch).
    let shown = (*detail.data).clone().filter(|d| Some(d.plan.id) == *selected);
    let open = (*open_task).filter(|id| shown.as_ref().is_some_and(|d| d.tasks.iter().any(|t| t.id == *id)));

    html! {
        <>
            <h1>{ "Kế hoạch" }</h1>
            { error_box(&error) }
            <div class="plans-top">
                <list::PlanList plans={(*plans.data).clone().unwrap_or_default()} selected={*selected} on_select={select_plan} />
                <search::SearchBox on_open={open_hit} />
            </div>
            if let Some(d) = shown {
                <div class="card" id="plan-detail">
                    <header::PlanHeader plan={d.plan.clone()} task_count={d.tasks.len()} {on_deleted} />
                    <div class={classes!("plan-work", open.is_some().then_some("with-detail"))} id="plan-work">
                        <div class="plan-table">
                            <table::TaskTable key={d.plan.id.to_string()} tasks={d.tasks.clone()} last_notes={d.last_notes.clone()}
                                {open} on_open={toggle_task} />
                        </div>
                        if let Some(tid) = open {
                            <aside class="task-aside" id="task-aside">
                                <button class="link aside-close" type="button" id="task-aside-close" title="Đóng"
                                    onclick={close_task.reform(|_: MouseEvent| ())}>{ "Đóng ✕" }</button>
                                <TaskPanel task_id={tid} on_close={close_task.clone()} />
                            </aside>
                        }
                    </div>
                </div>
                <TargetPanel plan_id={d.plan.id} />
                <ChecklistPanel plan_id={d.plan.id} />
                <add_task::AddTaskForm plan_id={d.plan.id} />
            }
        </>
    }
}
