//! The plan's tasks as a table grouped by section, with its filter bar and, once rows are
//! ticked, the bar that changes their status together.

use std::collections::{BTreeSet, HashMap};

use kehoach_model::{Note, Task};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::bulk::BulkBar;
use super::filter::{grouped, unit_names, SortBy, TaskFilters};
use super::row::TaskRow;
use super::toolbar::FilterBar;
use crate::screens::error_box;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tasks: Vec<Task>,
    pub last_notes: Vec<Note>,
    pub open: Option<Uuid>,
    pub on_open: Callback<Uuid>,
}

#[function_component(TaskTable)]
pub fn task_table(p: &Props) -> Html {
    let filters = use_state(TaskFilters::default);
    let sort = use_state(SortBy::default);
    let ticked = use_state(BTreeSet::<Uuid>::new);
    let error = use_state(|| None::<String>);
    let today = crate::fmt::today_iso();

    let groups = grouped(&p.tasks, &filters, *sort, &today);
    let shown: Vec<Uuid> = groups.iter().flat_map(|(_, ts)| ts.iter().map(|t| t.id)).collect();
    // A tick on a row the filters now hide still counts: the bar says how many are ticked.
    let live: Vec<Uuid> = p.tasks.iter().map(|t| t.id).filter(|id| ticked.contains(id)).collect();
    let notes: HashMap<Uuid, &Note> = p.last_notes.iter().map(|n| (n.task_id, n)).collect();

    let on_tick = {
        let ticked = ticked.clone();
        Callback::from(move |(id, on): (Uuid, bool)| {
            let mut next = (*ticked).clone();
            if on {
                next.insert(id);
            } else {
                next.remove(&id);
            }
            ticked.set(next);
        })
    };
    let tick_all = {
        let (ticked, shown) = (ticked.clone(), shown.clone());
        Callback::from(move |e: Event| {
            let on = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
            ticked.set(if on { shown.iter().copied().collect() } else { BTreeSet::new() });
        })
    };
    let clear = {
        let ticked = ticked.clone();
        Callback::from(move |()| ticked.set(BTreeSet::new()))
    };
    let on_error = {
        let error = error.clone();
        Callback::from(move |e: Option<String>| error.set(e))
    };
    let all_ticked = !shown.is_empty() && shown.iter().all(|id| ticked.contains(id));

    let rows = groups.iter().map(|(section, ts)| {
        html! {
            <>
                <tr class="section-row"><th colspan="7">{ section.clone().unwrap_or_else(|| "Nhiệm vụ chưa xếp mục".into()) }</th></tr>
                { for ts.iter().map(|t| html! {
                    <TaskRow key={t.id.to_string()} task={(*t).clone()} last_note={notes.get(&t.id).map(|n| (*n).clone())}
                        ticked={ticked.contains(&t.id)} open={p.open == Some(t.id)}
                        on_tick={on_tick.clone()} on_open={p.on_open.clone()}
                        on_error={on_error.clone()} />
                }) }
            </>
        }
    });

    html! {
        <>
            <FilterBar filters={(*filters).clone()} sort={*sort} units={unit_names(&p.tasks)}
                shown={shown.len()} total={p.tasks.len()}
                on_filters={let f = filters.clone(); Callback::from(move |v| f.set(v))}
                on_sort={let s = sort.clone(); Callback::from(move |v| s.set(v))} />
            if !live.is_empty() {
                <BulkBar ids={live.clone()} on_done={clear.clone()} on_clear={clear} />
            }
            { error_box(&error) }
            <table id="task-table">
                <thead><tr>
                    <th class="tick"><input type="checkbox" id="tick-all" aria-label="Chọn mọi nhiệm vụ đang hiện" checked={all_ticked} onchange={tick_all} /></th>
                    <th class="ref">{ "Số" }</th>
                    <th>{ "Nội dung nhiệm vụ, sản phẩm" }</th>
                    <th class="col-wide">{ "Đơn vị" }</th>
                    <th class="due">{ "Thời hạn" }</th>
                    <th class="status">{ "Trạng thái" }</th>
                    <th class="col-wide">{ "Tiến độ gần nhất" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if p.tasks.is_empty() {
                <p class="muted">{ "Kế hoạch chưa có nhiệm vụ." }</p>
            } else if shown.is_empty() {
                <p class="muted" id="filter-empty">{ "Không có nhiệm vụ nào khớp bộ lọc." }</p>
            }
        </>
    }
}
