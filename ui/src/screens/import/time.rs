//! A row's timeframe: re-read at every keystroke, so the officer sees the deadline the app
//! understood (and, for a time written per level, each level's and this unit's) as they type.

use kehoach_model::contract as cmd;
use kehoach_model::ImportedTask;
use yew::prelude::*;

use super::state::{Action, Review};
use crate::fmt::{describe_due, describe_levels};
use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct TimeProps {
    pub row_key: u64,
    pub task: ImportedTask,
    /// The plan's year, for a time that names none ("Trong tháng 3").
    pub year: Option<i32>,
    pub disabled: bool,
    pub dispatch: UseReducerDispatcher<Review>,
}

#[function_component(TimeField)]
pub fn time_field(p: &TimeProps) -> Html {
    let oninput = {
        let (dispatch, key, year) = (p.dispatch.clone(), p.row_key, p.year);
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            dispatch.dispatch(Action::TimeTyped { key, text: text.clone() });
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let arg = cmd::ParseDue { text: text.clone(), year };
                if let Ok(reading) = ipc::call(&arg).await {
                    dispatch.dispatch(Action::TimeRead { key, text, reading });
                }
            });
        })
    };
    let t = &p.task;
    html! {
        <label class="review-field">
            <span>{ "Thời gian hoàn thành" }</span>
            <input class="review-time" value={t.time_text.clone().unwrap_or_default()} {oninput} disabled={p.disabled} title="Thời gian hoàn thành" />
            <div class="muted review-due">{ format!("→ hạn: {}", describe_due(&t.due)) }</div>
            if !t.due_by_level.is_empty() {
                <div class="muted review-levels">{ format!("Theo cấp: {}", describe_levels(&t.due_by_level)) }</div>
            }
        </label>
    }
}
