//! The plan's checklists, ticked item by item.

use kehoach_model::contract as cmd;
use kehoach_model::ChecklistItem;
use yew::prelude::*;

use super::delete::{ask, confirm_delete, pending_bar, Deletion, Doomed};
use super::ChecklistProps;
use crate::fmt::date_vn;
use crate::hooks::{use_bump, use_command, use_query};
use crate::screens::{error_box, select_value};

/// The plan's checklists (imported appendices, catalogues it attached), ticked item by item.
#[function_component(ChecklistPanel)]
pub fn checklist_panel(p: &ChecklistProps) -> Html {
    let loaded = use_query(p.plan_id, |id| cmd::Checklists { plan_id: Some(*id) });
    let run = use_command();
    // One error line, as before: the commands' (deleting shares it), else the load's.
    let error = run.error.clone();
    let key = use_state(|| "services".to_string());
    let pending = use_state(|| None::<Doomed>);
    let delete = confirm_delete(&pending, &error, use_bump().reform(|_| ()));
    let attach = {
        let (key, run, plan_id) = (key.clone(), run.clone(), p.plan_id);
        Callback::from(move |_| run.run(cmd::AttachCatalogue { plan_id, key: (*key).clone() }, |_| ()))
    };
    let item = |it: &ChecklistItem| {
        let (run, id, done) = (run.clone(), it.id, it.done);
        let toggle =
            Callback::from(move |_| run.run(cmd::TickItem { id, done: !done, date: None, evidence: None }, |_| ()));
        html! {
            <li class="checklist-item">
                <label style="font-weight:normal; display:inline">
                    <input type="checkbox" style="width:auto" checked={it.done} onclick={toggle} />
                    { format!(" {} {}", it.reference.clone().unwrap_or_default(), it.text) }
                    { it.level.as_ref().map(|l| format!(" (mức độ {l})")).unwrap_or_default() }
                </label>
                if let Some(d) = &it.done_date { <span class="muted">{ format!(" — xong ngày {}", date_vn(d)) }</span> }
            </li>
        }
    };
    let lists = loaded.data.as_deref().unwrap_or_default();
    html! {
        <div class="card" id="checklists">
            <h2 style="margin-top:0">{ "Danh mục theo dõi" }</h2>
            { pending_bar(&pending, delete) }
            { error_box(&(*error).clone().or((*loaded.error).clone())) }
            { for lists.iter().map(|l| html! {
                <details open={lists.len() == 1}>
                    <summary>{ format!("{} — {}/{}", l.title, l.done_count, l.item_count) }
                        <button class="link checklist-delete" type="button" title="Xóa danh mục"
                            onclick={ask(&pending, Deletion::Checklist, l.id, format!("Xóa danh mục “{}” cùng {} mục của nó?", l.title, l.item_count))}>{ "xóa" }</button>
                    </summary>
                    <ul style="list-style:none; padding-left:8px">{ for l.items.iter().map(item) }</ul>
                </details>
            }) }
            <div class="row" style="margin-top:10px">
                <select id="catalogue-key" onchange={{ let key = key.clone(); Callback::from(move |e: Event| key.set(select_value(&e))) }}>
                    <option value="services" selected={*key == "services"}>{ "25 dịch vụ công thiết yếu" }</option>
                    <option value="working_group" selected={*key == "working_group"}>{ "Thành lập Tổ công tác 06" }</option>
                    <option value="seven_ways" selected={*key == "seven_ways"}>{ "07 phương thức thay sổ hộ khẩu" }</option>
                </select>
                <div style="flex:0 0 160px"><button class="secondary" id="catalogue-attach" onclick={attach}>{ "Gắn danh mục" }</button></div>
            </div>
        </div>
    }
}
