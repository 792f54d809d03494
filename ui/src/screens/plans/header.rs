//! A plan's header: its title, number, date and issuer, corrected in place, and deleting
//! the plan.

use kehoach_model::contract as cmd;
use kehoach_model::{PeriodCutoff, Plan, PlanEdit};
use yew::prelude::*;

use crate::fmt::{date_vn, iso_from_vn};
use crate::hooks::use_command;
use crate::screens::{changed_text, error_box, select_value, text_field, ConfirmBar};

/// The header fields the officer changed: the others are not rewritten.
fn plan_edit(p: &Plan, title: &str, number: &str, date: &str, issuer: &str, cutoff: PeriodCutoff) -> PlanEdit {
    let stored = |v: &Option<String>| v.clone().unwrap_or_default();
    PlanEdit {
        title: changed_text(title, &p.title),
        number: changed_text(number, &stored(&p.number)),
        date: changed_text(&iso_from_vn(date), &stored(&p.date)),
        issuer: changed_text(issuer, &stored(&p.issuer)),
        period_cutoff: (cutoff != p.period_cutoff).then_some(cutoff),
    }
}

/// The two readings of a reporting period a plan can set (Decree 09/2019 or the calendar).
fn cutoff_choice(value: &UseStateHandle<PeriodCutoff>) -> Html {
    let onchange = {
        let value = value.clone();
        Callback::from(move |e: Event| value.set(PeriodCutoff::parse(&select_value(&e)).unwrap_or_default()))
    };
    html! {
        <div>
            <label for="plan-edit-cutoff">{ "Kỳ báo cáo tính" }</label>
            <select id="plan-edit-cutoff" {onchange}>
                { for [PeriodCutoff::Calendar, PeriodCutoff::Decree09].into_iter().map(|c| html! {
                    <option value={c.as_str()} selected={**value == c}>{ c.label_vi() }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub plan: Plan,
    pub task_count: usize,
    /// The plan was deleted: show another.
    pub on_deleted: Callback<()>,
}

#[function_component(PlanHeader)]
pub fn plan_header(p: &Props) -> Html {
    let run = use_command();
    let confirming = use_state(|| false);
    let editing = use_state(|| false);
    let (title, number, date, issuer) =
        (use_state(String::new), use_state(String::new), use_state(String::new), use_state(String::new));
    let cutoff = use_state(PeriodCutoff::default);
    let plan = &p.plan;

    let start_edit = {
        let (editing, t, n, d, i, c, plan) = (
            editing.clone(),
            title.clone(),
            number.clone(),
            date.clone(),
            issuer.clone(),
            cutoff.clone(),
            plan.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            c.set(plan.period_cutoff);
            t.set(plan.title.clone());
            n.set(plan.number.clone().unwrap_or_default());
            d.set(plan.date.as_deref().map(date_vn).unwrap_or_default());
            i.set(plan.issuer.clone().unwrap_or_default());
            editing.set(true);
        })
    };
    let save_edit = {
        let (editing, t, n, d, i, c) =
            (editing.clone(), title.clone(), number.clone(), date.clone(), issuer.clone(), cutoff.clone());
        let (run, plan) = (run.clone(), plan.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = plan_edit(&plan, &t, &n, &d, &i, *c);
            let editing = editing.clone();
            run.run(cmd::EditPlan { id: plan.id, edit }, move |_| editing.set(false));
        })
    };
    let delete_plan = {
        let (confirming, run, on_deleted, id) = (confirming.clone(), run.clone(), p.on_deleted.clone(), plan.id);
        Callback::from(move |()| {
            confirming.set(false);
            let on_deleted = on_deleted.clone();
            run.run(cmd::DeletePlan { id }, move |()| on_deleted.emit(()));
        })
    };
    let set = |h: &UseStateHandle<bool>, v: bool| {
        let h = h.clone();
        Callback::from(move |_: MouseEvent| h.set(v))
    };
    let question = format!(
        "Xóa kế hoạch “{}” cùng {} nhiệm vụ, ghi chú, minh chứng, danh mục và chỉ tiêu của nó?",
        plan.title, p.task_count
    );

    html! {
        <>
            if *editing {
                <form onsubmit={save_edit} id="plan-edit-form">
                    { text_field("plan-edit-title", "Tên kế hoạch", "", &title) }
                    <div class="row">
                        { text_field("plan-edit-number", "Số, ký hiệu", "24/KH-UBND", &number) }
                        { text_field("plan-edit-date", "Ngày ban hành", "07/04/2023", &date) }
                        { text_field("plan-edit-issuer", "Cơ quan ban hành", "UBND xã", &issuer) }
                    </div>
                    { cutoff_choice(&cutoff) }
                    <div class="actions">
                        <button class="primary" type="submit" id="plan-edit-save">{ "Lưu sửa đổi" }</button>
                        <button class="secondary" type="button" id="plan-edit-cancel" onclick={set(&editing, false)}>{ "Thôi" }</button>
                    </div>
                </form>
            } else {
                <div class="plan-head">
                    <div>
                        <h2 id="plan-detail-title">{ &plan.title }</h2>
                        <p class="muted" id="plan-detail-meta">
                            { plan.number.clone().map(|n| format!("Số {n}")).unwrap_or_default() }
                            { plan.date.as_deref().map(|d| format!(" ngày {}", date_vn(d))).unwrap_or_default() }
                            { plan.issuer.clone().map(|i| format!(" — {i}")).unwrap_or_default() }
                            if plan.period_cutoff == PeriodCutoff::Decree09 { <br />{ format!("Kỳ báo cáo: {}", PeriodCutoff::Decree09.label_vi()) } }
                        </p>
                    </div>
                    <div class="plan-head-actions">
                        <button class="secondary" type="button" id="plan-edit" onclick={start_edit}>{ "Sửa" }</button>
                        <button class="secondary" type="button" id="plan-delete" onclick={set(&confirming, true)}>{ "Xóa kế hoạch" }</button>
                    </div>
                </div>
            }
            if *confirming {
                <ConfirmBar message={question} on_yes={delete_plan}
                    on_no={let c = confirming.clone(); Callback::from(move |()| c.set(false))} />
            }
            { error_box(&run.error) }
        </>
    }
}
