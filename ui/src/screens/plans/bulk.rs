//! Ticked rows get one status together: the core sets it on all of them in one commit, or
//! on none (a task deleted meanwhile on another PC, a missing reason).

use kehoach_model::contract as cmd;
use kehoach_model::TaskStatus;
use uuid::Uuid;
use yew::prelude::*;

use crate::hooks::use_command;
use crate::screens::{bind, error_box, select_value};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The ticked tasks, in table order.
    pub ids: Vec<Uuid>,
    /// The status was set (the screens re-read): clear the ticks.
    pub on_done: Callback<()>,
    pub on_clear: Callback<()>,
}

#[function_component(BulkBar)]
pub fn bulk_bar(p: &Props) -> Html {
    let status = use_state(|| TaskStatus::InProgress);
    let reason = use_state(String::new);
    let run = use_command();
    let (error, busy) = (run.error.clone(), run.busy.clone());
    let apply = {
        let (status, reason, run, ids, on_done) =
            (status.clone(), reason.clone(), run.clone(), p.ids.clone(), p.on_done.clone());
        Callback::from(move |_: MouseEvent| {
            let args =
                cmd::SetTasksStatus { ids: ids.clone(), status: *status, reason: crate::screens::non_blank(&reason) };
            let (reason, on_done) = (reason.clone(), on_done.clone());
            run.run(args, move |_| {
                reason.set(String::new());
                on_done.emit(());
            });
        })
    };
    let on_status = {
        let (status, error) = (status.clone(), error.clone());
        Callback::from(move |e: Event| {
            error.set(None);
            status.set(TaskStatus::parse(&select_value(&e)).unwrap_or_default())
        })
    };
    html! {
        <div class="bulk-bar" id="bulk-bar">
            <strong id="bulk-count">{ format!("Đã chọn {} nhiệm vụ", p.ids.len()) }</strong>
            <label class="check" for="bulk-status">{ "Chuyển sang" }</label>
            <select id="bulk-status" onchange={on_status}>
                { for TaskStatus::ALL.iter().map(|s| html! {
                    <option value={s.as_str()} selected={*s == *status}>{ s.label_vi() }</option>
                }) }
            </select>
            if *status == TaskStatus::CannotDo {
                <input id="bulk-reason" placeholder="Lý do không thực hiện được" value={(*reason).clone()} oninput={bind(&reason)} />
            }
            <button class="primary" type="button" id="bulk-apply" disabled={*busy} onclick={apply}>{ "Áp dụng" }</button>
            <button class="link" type="button" id="bulk-clear" onclick={p.on_clear.reform(|_: MouseEvent| ())}>{ "Bỏ chọn" }</button>
            { error_box(&error) }
        </div>
    }
}
