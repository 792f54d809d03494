//! The bar above the task table: filters by status, unit, overdue and due this month, and
//! the order of the rows.

use kehoach_model::TaskStatus;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::filter::{SortBy, TaskFilters};
use crate::screens::select_value;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub filters: TaskFilters,
    pub sort: SortBy,
    /// The units the plan's tasks name.
    pub units: Vec<String>,
    /// Rows shown / tasks in the plan.
    pub shown: usize,
    pub total: usize,
    pub on_filters: Callback<TaskFilters>,
    pub on_sort: Callback<SortBy>,
}

fn checked(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

#[function_component(FilterBar)]
pub fn filter_bar(p: &Props) -> Html {
    // Each control changes one field of the filters it was given.
    let change = |f: fn(&mut TaskFilters, &Event)| {
        let (filters, on) = (p.filters.clone(), p.on_filters.clone());
        Callback::from(move |e: Event| {
            let mut next = filters.clone();
            f(&mut next, &e);
            on.emit(next);
        })
    };
    let on_status = change(|f, e| f.status = TaskStatus::parse(&select_value(e)));
    let on_unit = change(|f, e| f.unit = Some(select_value(e)).filter(|u| !u.is_empty()));
    let on_overdue = change(|f, e| f.overdue = checked(e));
    let on_month = change(|f, e| f.due_this_month = checked(e));
    let on_sort = p.on_sort.reform(|e: Event| SortBy::parse(&select_value(&e)));
    let clear = {
        let on = p.on_filters.clone();
        Callback::from(move |_: MouseEvent| on.emit(TaskFilters::default()))
    };
    let f = &p.filters;
    html! {
        <div class="filter-bar" id="task-filters">
            <select id="filter-status" aria-label="Lọc theo trạng thái" onchange={on_status}>
                <option value="" selected={f.status.is_none()}>{ "Mọi trạng thái" }</option>
                { for TaskStatus::ALL.iter().map(|s| html! {
                    <option value={s.as_str()} selected={f.status == Some(*s)}>{ s.label_vi() }</option>
                }) }
            </select>
            <select id="filter-unit" aria-label="Lọc theo đơn vị" onchange={on_unit}>
                <option value="" selected={f.unit.is_none()}>{ "Mọi đơn vị" }</option>
                { for p.units.iter().map(|u| html! {
                    <option value={u.clone()} selected={f.unit.as_ref() == Some(u)}>{ u }</option>
                }) }
            </select>
            <label class="check"><input type="checkbox" id="filter-overdue" checked={f.overdue} onchange={on_overdue} />{ "Quá hạn" }</label>
            <label class="check"><input type="checkbox" id="filter-month" checked={f.due_this_month} onchange={on_month} />{ "Đến hạn trong tháng" }</label>
            <label class="check" for="sort-by">{ "Sắp xếp:" }</label>
            <select id="sort-by" aria-label="Sắp xếp theo" onchange={on_sort}>
                { for SortBy::ALL.iter().map(|b| html! {
                    <option value={b.key()} selected={p.sort == *b}>{ b.label_vi() }</option>
                }) }
            </select>
            <span class="muted" id="filter-count">{
                if f.is_empty() { format!("{} nhiệm vụ", p.total) } else { format!("{}/{} nhiệm vụ", p.shown, p.total) }
            }</span>
            if !f.is_empty() {
                <button class="link" type="button" id="filter-clear" onclick={clear}>{ "Bỏ lọc" }</button>
            }
        </div>
    }
}
