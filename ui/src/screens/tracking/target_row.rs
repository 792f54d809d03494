//! One target of the plan's targets panel, with the form for a month's figure.

use kehoach_model::contract as cmd;
use kehoach_model::{
    format_figure_vi, format_number_vi, month_label_vi, with_unit, IndicatorKind, Target, TargetValue, TypedFigure,
};
use yew::prelude::*;

use super::delete::{ask, Deletion, Pending};
use crate::hooks::Runner;
use crate::screens::{bind, non_blank};

/// "tháng 5/2023: 1.234/1.500 (82,3%)", "tháng 5/2023: 1.250 hồ sơ", "tháng 5/2023: có".
fn figure_line(t: &Target, v: &TargetValue) -> String {
    let figure = format_figure_vi(t.kind, v.value, v.numerator, v.denominator, t.unit.as_deref());
    format!("{}: {figure}", month_label_vi(&v.period))
}

#[derive(Properties, PartialEq)]
pub struct TargetRowProps {
    pub target: Target,
    pub pending: UseStateHandle<Pending>,
    /// The panel's runner: one error line for the panel.
    pub run: Runner,
}

/// One target: its goal, its figures month by month, and the form for a month's figure by
/// the target's kind — a number; a numerator and a denominator for a percentage (a bare
/// percentage too for one outside the catalogue, as imported plans have); a box to tick for
/// yes/no.
#[function_component(TargetRow)]
pub fn target_row(p: &TargetRowProps) -> Html {
    let t = &p.target;
    let period = use_state(String::new);
    let value = use_state(String::new);
    let numerator = use_state(String::new);
    let denominator = use_state(String::new);
    let yes = use_state(|| false);
    let editing_goal = use_state(|| false);
    let goal_text = use_state(String::new);
    let save_goal = {
        let (editing, goal_text, run, id) = (editing_goal.clone(), goal_text.clone(), p.run.clone(), t.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let editing = editing.clone();
            run.run(cmd::SetTargetGoal { id, value: (*goal_text).clone() }, move |_| editing.set(false));
        })
    };
    let edit_goal = {
        let (editing, goal_text, current) =
            (editing_goal.clone(), goal_text.clone(), t.value.map(format_number_vi).unwrap_or_default());
        Callback::from(move |_| {
            goal_text.set(current.clone());
            editing.set(true);
        })
    };
    let record = {
        let (period, value, numerator, denominator, yes) =
            (period.clone(), value.clone(), numerator.clone(), denominator.clone(), yes.clone());
        let (run, id, kind) = (p.run.clone(), t.id, t.kind);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let figure = match kind {
                IndicatorKind::YesNo => TypedFigure { yes: Some(*yes), ..Default::default() },
                _ => TypedFigure {
                    value: non_blank(&value),
                    numerator: non_blank(&numerator),
                    denominator: non_blank(&denominator),
                    yes: None,
                },
            };
            run.run(cmd::RecordTargetValue { id, period: (*period).clone(), figure }, |_| ());
        })
    };
    let toggle = {
        let yes = yes.clone();
        Callback::from(move |_| yes.set(!*yes))
    };
    let (num_hint, den_hint) = (
        t.numerator_label.clone().map(|l| format!("Tử số: {l}")).unwrap_or_else(|| "Tử số".into()),
        t.denominator_label.clone().map(|l| format!("Mẫu số: {l}")).unwrap_or_else(|| "Mẫu số".into()),
    );
    let inputs = match t.kind {
        IndicatorKind::Count => html! {
            <input class="target-value" placeholder="Số liệu" aria-label="Số liệu" oninput={bind(&value)} />
        },
        IndicatorKind::Percent => html! { <>
            <input class="target-numerator" placeholder="Tử số" title={num_hint.clone()} aria-label={num_hint} oninput={bind(&numerator)} />
            <span class="muted" style="flex:0">{ "/" }</span>
            <input class="target-denominator" placeholder="Mẫu số" title={den_hint.clone()} aria-label={den_hint} oninput={bind(&denominator)} />
            // A target outside the catalogue may still take a bare percentage (as before
            // kinds); the district then leaves it out of its sums and says so.
            if t.code.is_none() {
                <input class="target-value" placeholder="hoặc tỷ lệ %" title="Chỉ ghi tỷ lệ khi không có tử số, mẫu số: cấp trên sẽ không cộng được số liệu này" oninput={bind(&value)} />
            }
        </> },
        IndicatorKind::YesNo => html! {
            <label style="font-weight:normal; display:inline; white-space:nowrap">
                <input class="target-yes" type="checkbox" style="width:auto" checked={*yes} onclick={toggle} />
                { " Có (đã thực hiện)" }
            </label>
        },
    };
    let goal = match t.kind {
        IndicatorKind::YesNo => "Có".to_string(),
        _ => t.value.map(|v| with_unit(v, t.unit.as_deref())).unwrap_or_else(|| "—".into()),
    };
    html! {
        <tr class="target-row">
            <td>{ &t.text }
                <div class="muted" style="font-size:13px">{ t.kind.label_vi() }
                    if let (Some(n), Some(d)) = (&t.numerator_label, &t.denominator_label) { { format!(": {n} / {d}") } }
                </div>
                <button class="link target-delete" type="button" title="Xóa chỉ tiêu"
                    onclick={ask(&p.pending, Deletion::Target, t.id, format!("Xóa chỉ tiêu “{}” cùng {} số liệu đã ghi?", t.text, t.values.len()))}>{ "xóa" }</button></td>
            <td class="target-goal">
                if *editing_goal {
                    <form onsubmit={save_goal}>
                        <input class="target-goal-value" value={(*goal_text).clone()} aria-label="Mục tiêu" oninput={bind(&goal_text)} />
                        <button class="link target-goal-save" type="submit">{ "lưu" }</button>
                    </form>
                } else {
                    { goal }
                    if t.kind != IndicatorKind::YesNo {
                        <button class="link target-goal-edit" type="button" title="Đặt mục tiêu của xã" onclick={edit_goal}>{ "sửa" }</button>
                    }
                }
            </td>
            <td class="target-values">{ for t.values.iter().map(|v| html! { <div>{ figure_line(t, v) }</div> }) }
                { t.progress.filter(|_| t.kind != IndicatorKind::YesNo).map(|p| html! { <strong>{ format!("đạt {}% mục tiêu", format_number_vi(p.round())) }</strong> }).unwrap_or_default() }</td>
            <td><form onsubmit={record} class="row" style="align-items:center; gap:6px">
                <input class="target-period" style="flex:0 0 84px" placeholder="05/2023" aria-label="Tháng/năm" oninput={bind(&period)} />
                { inputs }
                <div style="flex:0"><button class="secondary target-record" type="submit">{ "Ghi" }</button></div>
            </form></td>
        </tr>
    }
}
