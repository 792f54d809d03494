//! The commune's unit directory, on "Cài đặt".

use kehoach_model::contract as cmd;
use yew::prelude::*;

use crate::hooks::{use_command, use_query};
use crate::screens::{bind, error_box};

/// The commune's unit directory: aliases, and merging two entries that are one unit.
#[function_component(UnitDirectory)]
pub fn unit_directory() -> Html {
    let directory = use_query((), |_| cmd::UnitDirectory {});
    let run = use_command();
    // One error line: the commands', else the load's.
    let error = run.error.clone();
    let from = use_state(String::new);
    let into = use_state(String::new);
    let alias = use_state(String::new);
    let merge = {
        let (from, into, run) = (from.clone(), into.clone(), run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run.run(cmd::MergeUnits { from: (*from).clone(), into: (*into).clone() }, |_| ());
        })
    };
    let add_alias = {
        let (into, alias, run) = (into.clone(), alias.clone(), run.clone());
        Callback::from(move |_| run.run(cmd::AddUnitAlias { unit: (*into).clone(), alias: (*alias).clone() }, |_| ()))
    };
    let units = directory.data.as_deref().unwrap_or_default();
    let options = units.iter().map(|u| html! { <option value={u.unit.name.clone()} /> });
    html! {
        <div class="card" id="units">
            <h2 style="margin-top:0">{ "Danh bạ đơn vị" }</h2>
            { error_box(&(*error).clone().or((*directory.error).clone())) }
            <table><thead><tr><th>{ "Đơn vị" }</th><th>{ "Tên gọi khác" }</th><th>{ "Số nhiệm vụ" }</th></tr></thead>
            <tbody>{ for units.iter().map(|u| html! {
                <tr class="unit-row"><td>{ &u.unit.name }</td><td>{ u.unit.aliases.join("; ") }</td><td>{ u.task_count }</td></tr>
            }) }</tbody></table>
            <datalist id="unit-names">{ for options }</datalist>
            <form onsubmit={merge} class="row" style="margin-top:10px">
                <div><label>{ "Gộp đơn vị" }</label><input id="merge-from" list="unit-names" placeholder="CA xã" oninput={bind(&from)} /></div>
                <div><label>{ "vào đơn vị" }</label><input id="merge-into" list="unit-names" placeholder="Công an xã" oninput={bind(&into)} /></div>
                <div style="flex:0 0 120px; align-self:flex-end"><button class="secondary" type="submit" id="merge-go">{ "Gộp" }</button></div>
            </form>
            <div class="row" style="margin-top:10px">
                <div><label>{ "Thêm tên gọi khác cho đơn vị ở ô “vào đơn vị”" }</label><input id="alias-name" placeholder="Công an xã Chư Răng" oninput={bind(&alias)} /></div>
                <div style="flex:0 0 120px; align-self:flex-end"><button class="secondary" onclick={add_alias} id="alias-add">{ "Thêm" }</button></div>
            </div>
        </div>
    }
}
