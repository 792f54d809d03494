//! Adding a task to a plan by hand (imported plans bring theirs).

use kehoach_model::contract as cmd;
use kehoach_model::NewTask;
use uuid::Uuid;
use yew::prelude::*;

use crate::ipc;
use crate::screens::{bind, error_box, non_blank, text_field};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub plan_id: Uuid,
    pub on_change: Callback<()>,
}

#[function_component(AddTaskForm)]
pub fn add_task_form(p: &Props) -> Html {
    let text = use_state(String::new);
    let due = use_state(String::new);
    let lead = use_state(String::new);
    let error = use_state(|| None::<String>);
    let add = {
        let (text, due, lead, error, on_change, plan_id) =
            (text.clone(), due.clone(), lead.clone(), error.clone(), p.on_change.clone(), p.plan_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let task = NewTask {
                plan_id,
                text: (*text).clone(),
                due_text: non_blank(&due),
                lead: non_blank(&lead).into_iter().collect(),
                ..Default::default()
            };
            let (text, due, lead, error, on_change) =
                (text.clone(), due.clone(), lead.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::AddTask { task }).await {
                    Ok(_) => {
                        error.set(None);
                        text.set(String::new());
                        due.set(String::new());
                        lead.set(String::new());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Thêm nhiệm vụ" }</h2>
            { error_box(&error) }
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
