//! One task of the plan table: its tick, number, text and product, units, deadline (each
//! level's too), status (changed in place) and newest progress note.

use kehoach_model::contract as cmd;
use kehoach_model::{Note, Task, TaskStatus};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::fmt::{describe_levels, opt_date_vn};
use crate::hooks::use_bump;
use crate::ipc;
use crate::screens::select_value;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub task: Task,
    pub last_note: Option<Note>,
    pub ticked: bool,
    /// Its detail is open beside the table.
    pub open: bool,
    pub on_tick: Callback<(Uuid, bool)>,
    pub on_open: Callback<Uuid>,
    pub on_error: Callback<Option<String>>,
}

/// A unit list under its role, left out when empty.
fn units(role: &'static str, names: &[String]) -> Html {
    if names.is_empty() {
        return html! {};
    }
    html! { <div><span class="muted">{ role }</span>{ names.join("; ") }</div> }
}

#[function_component(TaskRow)]
pub fn task_row(p: &Props) -> Html {
    let t = &p.task;
    let id = t.id;
    let bump = use_bump();
    let on_status = {
        let (on_change, on_error) = (bump, p.on_error.clone());
        Callback::from(move |e: Event| {
            let Some(status) = TaskStatus::parse(&select_value(&e)) else { return };
            let reason = if status == TaskStatus::CannotDo {
                web_sys::window().and_then(|w| w.prompt_with_message("Lý do không thực hiện được:").ok().flatten())
            } else {
                None
            };
            let (on_change, on_error) = (on_change.clone(), on_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = ipc::call(&cmd::SetTaskStatus { id, status, reason }).await;
                on_error.emit(outcome.err().map(String::from));
                // Reloaded either way: a refused change puts the select back.
                on_change.emit(());
            });
        })
    };
    let on_tick = p.on_tick.reform(move |e: Event| {
        let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
        (id, on)
    });
    let open = p.on_open.reform(move |_: MouseEvent| id);
    let row_class = classes!("task-row", t.overdue.then_some("overdue"), p.open.then_some("open"));
    html! {
        <tr class={row_class} data-task-id={id.to_string()} data-ref={t.reference.clone().unwrap_or_default()}>
            <td class="tick"><input type="checkbox" class="task-tick" aria-label="Chọn nhiệm vụ" checked={p.ticked} onchange={on_tick} /></td>
            <td class="ref">{ t.reference.clone().unwrap_or_default() }</td>
            <td class="text">
                <button type="button" class="task-open" title={t.text.clone()} onclick={open}><span class="clamp">{ &t.text }</span></button>
                if let Some(pr) = &t.product { <div class="muted product">{ format!("Sản phẩm: {pr}") }</div> }
            </td>
            <td class="units col-wide">
                { units("Chủ trì: ", &t.lead) }
                { units("Phối hợp: ", &t.coord) }
                { units("Theo dõi: ", &t.monitor) }
            </td>
            <td class="due">
                <div class="deadline">{ opt_date_vn(&t.deadline) }</div>
                if let Some(tt) = &t.time_text { <div class="muted">{ tt }</div> }
                if !t.due_by_level.is_empty() { <div class="muted levels">{ describe_levels(&t.due_by_level) }</div> }
                if t.overdue { <span class="tag late">{ "Quá hạn" }</span> }
            </td>
            <td class="status">
                <select class="task-status" aria-label="Trạng thái" onchange={on_status}>
                    { for TaskStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*s == t.status}>{ s.label_vi() }</option>
                    }) }
                </select>
            </td>
            <td class="note col-wide">{
                match &p.last_note {
                    Some(n) => html! { <><span class="muted">{ format!("{}: ", opt_date_vn(&n.date)) }</span>{ &n.text }</> },
                    None => html! { <span class="muted">{ "—" }</span> },
                }
            }</td>
        </tr>
    }
}
