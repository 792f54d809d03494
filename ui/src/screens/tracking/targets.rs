//! The plan's targets (chỉ tiêu): adding one of a kind, the standard indicators to attach.

use kehoach_model::contract as cmd;
use kehoach_model::IndicatorKind;
use yew::prelude::*;

use super::delete::{confirm_delete, pending_bar, Doomed};
use super::target_row::TargetRow;
use super::ChecklistProps;
use crate::hooks::{use_bump, use_command, use_query};
use crate::screens::{bind, error_box, select_value, text_field};

/// The plan's targets (chỉ tiêu) with the figure of each period, a form to add one of a kind,
/// and the standard Đề án 06 indicators to attach.
#[function_component(TargetPanel)]
pub fn target_panel(p: &ChecklistProps) -> Html {
    let loaded = use_query(p.plan_id, |id| cmd::Targets { plan_id: Some(*id) });
    let run = use_command();
    // One error line, as before: the runner's (deleting, and a row recording its figures, share
    // it), else the load's.
    let error = run.error.clone();
    let new_text = use_state(String::new);
    let new_value = use_state(String::new);
    let new_unit = use_state(String::new);
    let new_kind = use_state(|| IndicatorKind::Count);
    let pending = use_state(|| None::<Doomed>);
    let delete = confirm_delete(&pending, &error, use_bump().reform(|_| ()));
    let add = {
        let (text, value, unit, kind, run, plan_id) =
            (new_text.clone(), new_value.clone(), new_unit.clone(), new_kind.clone(), run.clone(), p.plan_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let kind = *kind;
            // Only the fields the kind shows are sent: a percentage's unit is "%", a yes/no
            // has neither unit nor goal to type.
            let args = cmd::AddTarget {
                plan_id,
                text: (*text).clone(),
                value: if kind == IndicatorKind::YesNo { String::new() } else { (*value).clone() },
                unit: if kind == IndicatorKind::Count { (*unit).clone() } else { String::new() },
                kind: Some(kind),
            };
            let (text, value) = (text.clone(), value.clone());
            run.run(args, move |_| {
                text.set(String::new());
                value.set(String::new());
            });
        })
    };
    let attach = {
        let (run, plan_id) = (run.clone(), p.plan_id);
        Callback::from(move |_| run.run(cmd::AttachIndicators { plan_id }, |_| ()))
    };
    let pick_kind = {
        let kind = new_kind.clone();
        Callback::from(move |e: Event| {
            kind.set(IndicatorKind::parse(&select_value(&e)).unwrap_or_default());
        })
    };
    let kind = *new_kind;
    let list = loaded.data.as_deref().unwrap_or_default();
    html! {
        <div class="card" id="targets">
            <h2 style="margin-top:0">{ "Chỉ tiêu" }</h2>
            { pending_bar(&pending, delete) }
            { error_box(&(*error).clone().or((*loaded.error).clone())) }
            if !list.is_empty() {
                <table><thead><tr><th style="width:34%">{ "Chỉ tiêu" }</th><th style="width:10%">{ "Mục tiêu" }</th><th style="width:18%">{ "Số liệu theo kỳ" }</th><th style="width:38%">{ "Ghi số liệu tháng (tháng/năm)" }</th></tr></thead>
                <tbody>{ for list.iter().map(|t| html! {
                    <TargetRow key={t.id.to_string()} target={t.clone()} pending={pending.clone()} run={run.clone()} />
                }) }</tbody></table>
            }
            <form onsubmit={add} class="row" id="target-form" style="margin-top:10px; align-items:flex-end">
                <div style="flex:3">
                    <label for="target-text">{ "Thêm chỉ tiêu" }</label>
                    <input id="target-text" placeholder="Tỷ lệ công dân kích hoạt tài khoản VNeID mức độ 2" value={(*new_text).clone()} oninput={bind(&new_text)} />
                </div>
                <div>
                    <label for="target-kind">{ "Loại" }</label>
                    <select id="target-kind" onchange={pick_kind}>
                        { for IndicatorKind::ALL.iter().map(|k| html! {
                            <option value={k.as_str()} selected={*k == kind}>{ k.label_vi() }</option>
                        }) }
                    </select>
                </div>
                if kind != IndicatorKind::YesNo {
                    { text_field("target-value", if kind == IndicatorKind::Percent { "Mục tiêu (%)" } else { "Mục tiêu" }, "80", &new_value) }
                }
                if kind == IndicatorKind::Count {
                    { text_field("target-unit", "Đơn vị tính", "tài khoản, hồ sơ…", &new_unit) }
                }
                <div style="flex:0"><button class="secondary" type="submit" id="target-add">{ "Thêm" }</button></div>
            </form>
            <div class="row" style="margin-top:10px; align-items:center">
                <span class="muted">{ "Các chỉ tiêu chuẩn xã báo cáo hằng tháng (CCCD, định danh điện tử, dịch vụ công trực tuyến, số hóa, làm sạch dữ liệu dân cư…), có mã để cấp trên cộng số liệu các xã." }</span>
                <div style="flex:0 0 220px"><button class="secondary" type="button" id="indicators-attach" onclick={attach}>{ "Gắn chỉ tiêu chuẩn Đề án 06" }</button></div>
            </div>
        </div>
    }
}
