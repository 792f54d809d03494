//! Search across every plan (tasks, progress notes, checklist items); a result opens what
//! it found.

use kehoach_model::contract as cmd;
use kehoach_model::SearchHit;
use yew::prelude::*;

use crate::ipc;
use crate::screens::{bind, error_box};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// A result was clicked: show its plan and, for a task or a note, the task.
    pub on_open: Callback<SearchHit>,
}

fn kind_vi(kind: &str) -> &str {
    kehoach_model::kind_label_vi(kind).unwrap_or(kind)
}

#[function_component(SearchBox)]
pub fn search_box(p: &Props) -> Html {
    let query = use_state(String::new);
    let found = use_state(|| None::<Vec<SearchHit>>);
    let error = use_state(|| None::<String>);
    let search = {
        let (query, found, error) = (query.clone(), found.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = (*query).clone();
            let (found, error) = (found.clone(), error.clone());
            if q.trim().is_empty() {
                found.set(None);
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::Search { query: q }).await {
                    Ok(ts) => {
                        error.set(None);
                        found.set(Some(ts))
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let close = {
        let found = found.clone();
        Callback::from(move |_: MouseEvent| found.set(None))
    };
    html! {
        <div class="search-box">
            <form onsubmit={search} class="row" id="search-form">
                <input id="search-input" placeholder="Tìm nhiệm vụ, ghi chú (gõ có dấu hoặc không dấu)…" value={(*query).clone()} oninput={bind(&query)} />
                <div style="flex:0"><button class="secondary" type="submit" id="search-go">{ "Tìm" }</button></div>
            </form>
            { error_box(&error) }
            if let Some(hits) = &*found {
                <div id="search-results">
                    <p class="muted">{ format!("Tìm thấy {} kết quả — bấm vào một kết quả để mở", hits.len()) }
                        <button class="link" type="button" id="search-close" onclick={close}>{ "Đóng" }</button></p>
                    <ul>{ for hits.iter().map(|h| {
                        let open = { let (h, on) = (h.clone(), p.on_open.clone()); Callback::from(move |_: MouseEvent| on.emit(h.clone())) };
                        html! {
                            <li class="search-hit">
                                <button type="button" class="hit-open" data-task-id={h.task_id.map(|t| t.to_string())} onclick={open}>
                                    <span class="tag">{ kind_vi(&h.kind) }</span>{ " " }
                                    { for h.fragments.iter().map(|f| if f.hit { html! { <mark>{ &f.text }</mark> } } else { html! { { &f.text } } }) }
                                </button>
                            </li>
                        }
                    }) }</ul>
                </div>
            }
        </div>
    }
}
