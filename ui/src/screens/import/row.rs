//! One row of the review: every field of the task editable, and the row's tools — merge with
//! the next row, split at the caret, "không phải nhiệm vụ", add a row below, delete.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::inputs::{field_input, units_input};
use super::state::{Action, Field, Review, Row};
use super::time::TimeField;

#[derive(Properties, PartialEq)]
pub struct RowProps {
    pub row: Row,
    /// The row's number on screen, from 1.
    pub n: usize,
    pub last: bool,
    pub year: Option<i32>,
    pub dispatch: UseReducerDispatcher<Review>,
}

fn tool(
    class: &'static str,
    label: &'static str,
    title: &'static str,
    disabled: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! { <button type="button" class={classes!("secondary", "review-tool", class)} {title} {disabled} {onclick}>{ label }</button> }
}

#[function_component(ReviewRow)]
pub fn review_row(p: &RowProps) -> Html {
    let text_ref = use_node_ref();
    let (key, d) = (p.row.key, &p.dispatch);
    let send = |a: fn(u64) -> Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a(key)))
    };
    let split = {
        let (d, text_ref) = (d.clone(), text_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(area) = text_ref.cast::<HtmlTextAreaElement>() else { return };
            // The caret stays where it was in the text field after the click moved the focus.
            let caret = area.selection_start().ok().flatten().unwrap_or(0);
            d.dispatch(Action::Split { key, text: area.value(), caret });
        })
    };
    let set_text = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            d.dispatch(Action::Edit { key, field: Field::Text, value });
        })
    };
    let t = &p.row.task;
    let off = p.row.not_task;
    // Tall enough for the whole text (about 140 characters a line at this width), up to six lines.
    let lines = (t.text.chars().count() / 140 + 1).clamp(2, 6).to_string();
    html! {
        <div class={classes!("review-row", off.then_some("not-task"))} data-key={key.to_string()}>
            <div class="review-head">
                <span class="review-n">{ format!("Dòng {}", p.n) }</span>
                { field_input("review-ref", "Số", t.reference.clone().unwrap_or_default(), Field::Ref, key, off, d) }
                { field_input("review-section", "Thuộc mục", t.section.clone().unwrap_or_default(), Field::Section, key, off, d) }
                <div class="review-tools">
                    { tool("review-merge", "Gộp với dòng dưới", "Nối dòng dưới vào dòng này", off || p.last, send(Action::MergeNext)) }
                    { tool("review-split", "Tách tại con trỏ", "Bấm vào nội dung đúng chỗ cần tách, rồi bấm nút này", off, split) }
                    if off {
                        { tool("review-not-task", "Là nhiệm vụ", "Đưa dòng này trở lại kế hoạch", false, send(Action::ToggleNotTask)) }
                    } else {
                        { tool("review-not-task", "Không phải nhiệm vụ", "Giữ dòng trên màn hình nhưng không lưu vào kế hoạch", false, send(Action::ToggleNotTask)) }
                    }
                    { tool("review-add", "Thêm dòng", "Thêm một nhiệm vụ trống bên dưới", false, send(|k| Action::AddAfter(Some(k)))) }
                    { tool("review-delete", "Xóa", "Xóa dòng này", false, send(Action::Delete)) }
                </div>
            </div>
            if let Some(u) = &p.row.upstream { <div class="review-upstream muted">{ u }</div> }
            if off { <div class="review-off">{ "Không phải nhiệm vụ — sẽ không được lưu vào kế hoạch." }</div> }
            <textarea class="review-text" ref={text_ref} value={t.text.clone()} onchange={set_text} disabled={off}
                placeholder="Nội dung nhiệm vụ" title="Nội dung nhiệm vụ" rows={lines} />
            <div class="review-grid">
                { units_input("review-lead", "Đơn vị chủ trì", &t.lead, Field::Lead, key, off, d) }
                { units_input("review-coord", "Đơn vị phối hợp", &t.coord, Field::Coord, key, off, d) }
                { units_input("review-monitor", "Theo dõi, đôn đốc", &t.monitor, Field::Monitor, key, off, d) }
                <TimeField row_key={key} task={t.clone()} year={p.year} disabled={off} dispatch={d.clone()} />
                { field_input("review-product", "Sản phẩm", t.product.clone().unwrap_or_default(), Field::Product, key, off, d) }
                { field_input("review-budget", "Kinh phí", t.budget.clone().unwrap_or_default(), Field::Budget, key, off, d) }
            </div>
            if let Some(a) = &t.appendix { <div class="muted">{ a }</div> }
        </div>
    }
}
