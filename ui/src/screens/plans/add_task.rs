//! Adding a task to a plan by hand (imported plans bring theirs).

use kehoach_model::contract as cmd;
use kehoach_model::NewTask;
use uuid::Uuid;
use yew::prelude::*;

use crate::hooks::use_command;
use crate::screens::{bind, error_box, non_blank, text_field};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub plan_id: Uuid,
}

#[function_component(AddTaskForm)]
pub fn add_task_form(p: &Props) -> Html {
    let text = use_state(String::new);
    let due = use_state(String::new);
    let lead = use_state(String::new);
    let run = use_command();
    let add = {
        let (text, due, lead, run, plan_id) = (text.clone(), due.clone(), lead.clone(), run.clone(), p.plan_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let task = NewTask {
                plan_id,
                text: (*text).clone(),
                due_text: non_blank(&due),
                lead: non_blank(&lead).into_iter().collect(),
                ..Default::default()
            };
            let (text, due, lead) = (text.clone(), due.clone(), lead.clone());
            run.run(cmd::AddTask { task }, move |_| {
                text.set(String::new());
                due.set(String::new());
                lead.set(String::new());
            });
        })
    };
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Thêm nhiệm vụ" }</h2>
            { error_box(&run.error) }
            <form onsubmit={add} id="task-form">
                <label for="task-text">{ "Nội dung" }</label>
                <textarea id="task-text" value={(*text).clone()} oninput={bind(&text)} />
                <div class="row">
                    { text_field("task-lead", "Đơn vị chủ trì", "Công an xã", &lead) }
                    { text_field("task-due", "Thời gian hoàn thành", "Trong quý II/2023", &due) }
                </div>
                <div class="actions"><button class="primary" type="submit" id="task-add">{ "Thêm nhiệm vụ" }</button></div>
            </form>
        </div>
    }
}
