use kehoach_model::{NewPlan, NewTask, PeriodCutoff, Plan, PlanDetail, PlanEdit, SearchHit, Task, TaskStatus};
use serde::Serialize;
use uuid::Uuid;
use yew::prelude::*;

use super::{bind, changed_text, error_box, non_blank, select_value, text_field, ConfirmBar};
use crate::fmt::{date_vn, iso_from_vn, opt_date_vn};
use crate::ipc::{self, NoArgs};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: u32,
    pub on_change: Callback<()>,
}

#[derive(Serialize)]
struct CreatePlan {
    plan: NewPlan,
}
#[derive(Serialize)]
struct Id {
    id: Uuid,
}
#[derive(Serialize)]
struct AddTask {
    task: NewTask,
}
#[derive(Serialize)]
struct SetStatus {
    id: Uuid,
    status: TaskStatus,
    reason: Option<String>,
}
#[derive(Serialize)]
struct EditPlan {
    id: Uuid,
    edit: PlanEdit,
}

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

#[derive(Serialize)]
struct Query {
    query: String,
}

/// Kế hoạch: the plans, one plan's tasks, adding plans and tasks, changing a task's status.
#[function_component(PlansScreen)]
pub fn plans_screen(p: &Props) -> Html {
    let plans = use_state(Vec::<Plan>::new);
    let selected = use_state(|| None::<Uuid>);
    let detail = use_state(|| None::<PlanDetail>);
    let error = use_state(|| None::<String>);
    let title = use_state(String::new);
    let number = use_state(String::new);
    let query = use_state(String::new);
    let found = use_state(|| None::<Vec<SearchHit>>);

    {
        let (plans, selected, detail, error) = (plans.clone(), selected.clone(), detail.clone(), error.clone());
        use_effect_with((p.version, *selected), move |(_, sel)| {
            let sel = *sel;
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Vec<Plan>>("list_plans", &NoArgs {}).await {
                    Ok(ps) => {
                        if sel.is_none() {
                            if let Some(first) = ps.first() {
                                selected.set(Some(first.id));
                            }
                        }
                        plans.set(ps)
                    }
                    Err(e) => error.set(Some(e)),
                }
                if let Some(id) = sel {
                    match ipc::call::<_, PlanDetail>("plan_detail", &Id { id }).await {
                        Ok(d) => detail.set(Some(d)),
                        Err(e) => error.set(Some(e)),
                    }
                }
            });
        });
    }

    let create = {
        let (title, number, error, selected, on_change) =
            (title.clone(), number.clone(), error.clone(), selected.clone(), p.on_change.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let plan = NewPlan { title: (*title).clone(), number: non_blank(&number), ..Default::default() };
            let (title, number, error, selected, on_change) =
                (title.clone(), number.clone(), error.clone(), selected.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Plan>("create_plan", &CreatePlan { plan }).await {
                    Ok(pl) => {
                        error.set(None);
                        title.set(String::new());
                        number.set(String::new());
                        selected.set(Some(pl.id));
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

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
                match ipc::call::<_, Vec<SearchHit>>("search", &Query { query: q }).await {
                    Ok(ts) => found.set(Some(ts)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let plan_items = plans.iter().map(|pl| {
        let selected = selected.clone();
        let id = pl.id;
        let mark = if *selected == Some(id) { "▶ " } else { "" };
        html! {
            <li><button class="plan-link" onclick={Callback::from(move |_| selected.set(Some(id)))}>
                { format!("{mark}{}", pl.title) }
            </button>
            <span class="muted">{ format!(" — {}/{} hoàn thành", pl.done_count, pl.task_count) }</span></li>
        }
    });

    html! {
        <>
            <h1>{ "Kế hoạch" }</h1>
            { error_box(&error) }
            <div class="card">
                <form onsubmit={search} class="row" id="search-form">
                    <input id="search-input" placeholder="Tìm nhiệm vụ (gõ có dấu hoặc không dấu)…" value={(*query).clone()} oninput={bind(&query)} />
                    <div style="flex:0"><button class="secondary" type="submit" id="search-go">{ "Tìm" }</button></div>
                </form>
                if let Some(ts) = &*found {
                    <div id="search-results">
                        <p class="muted">{ format!("Tìm thấy {} kết quả", ts.len()) }</p>
                        <ul>{ for ts.iter().map(|h| html! {
                            <li class="search-hit">
                                <span class="tag">{ match h.kind.as_str() { "task" => "nhiệm vụ", "note" => "ghi chú", _ => "danh mục" } }</span>{ " " }
                                { for h.fragments.iter().map(|f| if f.hit { html! { <mark>{ &f.text }</mark> } } else { html! { { &f.text } } }) }
                            </li>
                        }) }</ul>
                    </div>
                }
            </div>
            <div class="row plans-layout" style="align-items:flex-start">
                <div class="card plan-list-card">
                    <h2 style="margin-top:0">{ "Danh sách kế hoạch" }</h2>
                    if plans.is_empty() { <p class="muted">{ "Chưa có kế hoạch." }</p> }
                    <ul class="plan-list" id="plan-list">{ for plan_items }</ul>
                    <form onsubmit={create} id="plan-form">
                        { text_field("plan-title", "Tên kế hoạch mới", "", &title) }
                        { text_field("plan-number", "Số, ký hiệu", "24/KH-UBND", &number) }
                        <div class="actions"><button class="primary" type="submit" id="plan-create">{ "Tạo kế hoạch" }</button></div>
                    </form>
                </div>
                <div style="flex:1">
                    if let (Some(d), Some(_)) = (&*detail, *selected) {
                        <PlanView detail={d.clone()} version={p.version} on_change={p.on_change.clone()}
                            on_deleted={let (selected, detail) = (selected.clone(), detail.clone()); Callback::from(move |()| { detail.set(None); selected.set(None); })} />
                    }
                </div>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PlanViewProps {
    detail: PlanDetail,
    version: u32,
    on_change: Callback<()>,
    /// The plan was deleted: show another.
    on_deleted: Callback<()>,
}

#[function_component(PlanView)]
fn plan_view(p: &PlanViewProps) -> Html {
    let text = use_state(String::new);
    let due = use_state(String::new);
    let lead = use_state(String::new);
    let error = use_state(|| None::<String>);
    let open_task = use_state(|| None::<Uuid>);
    let confirming = use_state(|| false);
    let editing = use_state(|| false);
    let (e_title, e_number, e_date, e_issuer) =
        (use_state(String::new), use_state(String::new), use_state(String::new), use_state(String::new));
    let e_cutoff = use_state(PeriodCutoff::default);
    let plan = &p.detail.plan;

    let start_edit = {
        let (editing, t, n, d, i, plan) =
            (editing.clone(), e_title.clone(), e_number.clone(), e_date.clone(), e_issuer.clone(), plan.clone());
        let cutoff = e_cutoff.clone();
        Callback::from(move |_: MouseEvent| {
            cutoff.set(plan.period_cutoff);
            t.set(plan.title.clone());
            n.set(plan.number.clone().unwrap_or_default());
            d.set(plan.date.as_deref().map(date_vn).unwrap_or_default());
            i.set(plan.issuer.clone().unwrap_or_default());
            editing.set(true);
        })
    };
    let save_edit = {
        let (editing, t, n, d, i, error, on_change, plan) = (
            editing.clone(),
            e_title.clone(),
            e_number.clone(),
            e_date.clone(),
            e_issuer.clone(),
            error.clone(),
            p.on_change.clone(),
            plan.clone(),
        );
        let cutoff = e_cutoff.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = plan_edit(&plan, &t, &n, &d, &i, *cutoff);
            let (editing, error, on_change, id) = (editing.clone(), error.clone(), on_change.clone(), plan.id);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Plan>("edit_plan", &EditPlan { id, edit }).await {
                    Ok(_) => {
                        error.set(None);
                        editing.set(false);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let delete_plan = {
        let (confirming, error, on_change, on_deleted, id) =
            (confirming.clone(), error.clone(), p.on_change.clone(), p.on_deleted.clone(), plan.id);
        Callback::from(move |()| {
            let (confirming, error, on_change, on_deleted) =
                (confirming.clone(), error.clone(), on_change.clone(), on_deleted.clone());
            wasm_bindgen_futures::spawn_local(async move {
                confirming.set(false);
                match ipc::call::<_, ()>("delete_plan", &Id { id }).await {
                    Ok(()) => {
                        error.set(None);
                        on_deleted.emit(());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let add = {
        let (text, due, lead, error, on_change) =
            (text.clone(), due.clone(), lead.clone(), error.clone(), p.on_change.clone());
        let plan_id = plan.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let task = NewTask {
                plan_id,
                text: (*text).clone(),
                due_text: non_blank(&due),
                lead: non_blank(&lead).into_iter().collect(),
                ..Default::default()
            };
            let (text, due, lead, error, on_change) =
                (text.clone(), due.clone(), lead.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Task>("add_task", &AddTask { task }).await {
                    Ok(_) => {
                        error.set(None);
                        text.set(String::new());
                        due.set(String::new());
                        lead.set(String::new());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let rows = p.detail.tasks.iter().map(|t| {
        let (error, on_change) = (error.clone(), p.on_change.clone());
        let id = t.id;
        let onchange = Callback::from(move |e: Event| {
            let Some(status) = TaskStatus::parse(&select_value(&e)) else { return };
            let (error, on_change) = (error.clone(), on_change.clone());
            let reason = if status == TaskStatus::CannotDo {
                web_sys::window().and_then(|w| w.prompt_with_message("Lý do không thực hiện được:").ok().flatten())
            } else {
                None
            };
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Task>("set_task_status", &SetStatus { id, status, reason }).await {
                    Ok(_) => {
                        error.set(None);
                        on_change.emit(());
                    }
                    Err(e) => {
                        error.set(Some(e));
                        on_change.emit(());
                    }
                }
            });
        });
        let show = {
            let open_task = open_task.clone();
            Callback::from(move |_| open_task.set(if *open_task == Some(id) { None } else { Some(id) }))
        };
        html! {
            <tr class={classes!("task-row", t.overdue.then_some("overdue"))} data-task-id={t.id.to_string()}>
                <td>{ t.reference.clone().unwrap_or_default() }</td>
                <td>{ &t.text }
                    if let Some(s) = &t.section { <div class="muted">{ s }</div> }
                </td>
                <td>{ t.lead.join("; ") }</td>
                <td>{ t.time_text.clone().unwrap_or_default() }<div>{ opt_date_vn(&t.deadline) }</div>
                    if t.overdue { <span class="tag late">{ "Quá hạn" }</span> }
                </td>
                <td>
                    <select class="task-status" aria-label="Trạng thái" onchange={onchange}>
                        { for TaskStatus::ALL.iter().map(|s| html! {
                            <option value={s.as_str()} selected={*s == t.status}>{ s.label_vi() }</option>
                        }) }
                    </select>
                    <button class="secondary task-open" style="margin-top:6px; padding:3px 8px" onclick={show}>{ "Chi tiết" }</button>
                </td>
            </tr>
        }
    });

    html! {
        <div class="card" id="plan-detail">
            if *editing {
                <form onsubmit={save_edit} id="plan-edit-form">
                    { text_field("plan-edit-title", "Tên kế hoạch", "", &e_title) }
                    <div class="row">
                        { text_field("plan-edit-number", "Số, ký hiệu", "24/KH-UBND", &e_number) }
                        { text_field("plan-edit-date", "Ngày ban hành", "07/04/2023", &e_date) }
                        { text_field("plan-edit-issuer", "Cơ quan ban hành", "UBND xã", &e_issuer) }
                    </div>
                    { cutoff_choice(&e_cutoff) }
                    <div class="actions">
                        <button class="primary" type="submit" id="plan-edit-save">{ "Lưu sửa đổi" }</button>
                        <button class="secondary" type="button" id="plan-edit-cancel" onclick={let e = editing.clone(); Callback::from(move |_| e.set(false))}>{ "Thôi" }</button>
                    </div>
                </form>
            } else {
                <div class="row" style="align-items:flex-start">
                    <h2 style="margin-top:0" id="plan-detail-title">{ &plan.title }</h2>
                    <div style="flex:0; white-space:nowrap">
                        <button class="secondary" type="button" id="plan-edit" onclick={start_edit}>{ "Sửa" }</button>{ " " }
                        <button class="secondary" type="button" id="plan-delete" onclick={let c = confirming.clone(); Callback::from(move |_| c.set(true))}>{ "Xóa kế hoạch" }</button>
                    </div>
                </div>
                <p class="muted" id="plan-detail-meta">
                    { plan.number.clone().map(|n| format!("Số {n}")).unwrap_or_default() }
                    { plan.date.as_deref().map(|d| format!(" ngày {}", date_vn(d))).unwrap_or_default() }
                    { plan.issuer.clone().map(|i| format!(" — {i}")).unwrap_or_default() }
                    if plan.period_cutoff == PeriodCutoff::Decree09 { <br />{ format!("Kỳ báo cáo: {}", PeriodCutoff::Decree09.label_vi()) } }
                </p>
            }
            if *confirming {
                <ConfirmBar message={format!("Xóa kế hoạch “{}” cùng {} nhiệm vụ, ghi chú, minh chứng, danh mục và chỉ tiêu của nó?", plan.title, p.detail.tasks.len())}
                    on_yes={delete_plan} on_no={let c = confirming.clone(); Callback::from(move |()| c.set(false))} />
            }
            { error_box(&error) }
            <table id="task-table">
                <thead><tr><th>{ "Số" }</th><th>{ "Nội dung nhiệm vụ" }</th><th>{ "Đơn vị chủ trì" }</th><th>{ "Thời gian" }</th><th>{ "Trạng thái" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if p.detail.tasks.is_empty() { <p class="muted">{ "Kế hoạch chưa có nhiệm vụ." }</p> }
            if let Some(tid) = *open_task {
                <super::tracking::TaskPanel task_id={tid} version={p.version} on_change={p.on_change.clone()}
                    on_close={let o = open_task.clone(); Callback::from(move |()| o.set(None))} />
            }
            <super::tracking::TargetPanel plan_id={plan.id} version={p.version} on_change={p.on_change.clone()} />
            <super::tracking::ChecklistPanel plan_id={plan.id} version={p.version} on_change={p.on_change.clone()} />
            <h2>{ "Thêm nhiệm vụ" }</h2>
            <form onsubmit={add} id="task-form">
                <label for="task-text">{ "Nội dung" }</label>
                <textarea id="task-text" value={(*text).clone()} oninput={bind(&text)} />
                <div class="row">
                    { text_field("task-lead", "Đơn vị chủ trì", "Công an xã", &lead) }
                    { text_field("task-due", "Thời gian hoàn thành", "Trong quý II/2023", &due) }
                </div>
                <div class="actions"><button class="primary" type="submit" id="task-add">{ "Thêm nhiệm vụ" }</button></div>
            </form>
        </div>
    }
}
