//! Panels of the plan screen for day-to-day tracking: a task's notes and evidence, and the
//! plan's checklists.

use kehoach_model::contract as cmd;
use kehoach_model::{
    format_figure_vi, format_number_vi, month_label_vi, with_unit, Checklist, ChecklistItem, IndicatorKind,
    NewEvidence, NewNote, Target, TargetValue, Task, TaskDetail, TaskEdit, TypedFigure,
};
use uuid::Uuid;
use yew::prelude::*;

use super::{bind, changed_text, error_box, non_blank, select_value, text_field, ConfirmBar};
use crate::fmt::{date_vn, describe_due, describe_levels, iso_from_vn, local_time, opt_date_vn};
use crate::ipc;

/// The lead units as typed in one field: "Công an xã; Tư pháp – Hộ tịch".
fn split_units(s: &str) -> Vec<String> {
    s.split([';', ',']).map(str::trim).filter(|u| !u.is_empty()).map(String::from).collect()
}

/// Only the fields the officer changed, so an edit does not overwrite what another PC
/// changed meanwhile in the others.
fn task_edit(t: &Task, text: &str, due: &str, lead: &str) -> TaskEdit {
    let lead = split_units(lead);
    TaskEdit {
        text: changed_text(text, &t.text),
        due_text: changed_text(due, t.time_text.as_deref().unwrap_or("")),
        due: None,
        due_by_level: Vec::new(),
        lead: (lead != t.lead).then_some(lead),
    }
}

/// What the plan says of a task beyond its units: the time as written and, when it names one
/// date per level, each level's (this unit's is its deadline), the product, the budget.
fn task_facts(t: &Task) -> Html {
    html! {
        <div class="muted" id="task-panel-facts">
            if let Some(time) = &t.time_text { <div>{ format!("Thời gian: {time}") }</div> }
            if !t.due_by_level.is_empty() {
                <div id="task-panel-levels">{ format!("Thời hạn theo cấp — {}. Hạn của đơn vị mình: {}.", describe_levels(&t.due_by_level), describe_due(&t.due)) }</div>
            }
            if let Some(p) = &t.product { <div>{ format!("Sản phẩm: {p}") }</div> }
            if let Some(b) = &t.budget { <div id="task-panel-budget">{ format!("Kinh phí: {b}") }</div> }
        </div>
    }
}

/// Which kind of record a panel's "xóa" button deletes.
#[derive(Clone, Copy, PartialEq)]
enum Deletion {
    Task,
    Note,
    Evidence,
    Checklist,
    Target,
}

impl Deletion {
    /// Deletes the record `id` of this kind.
    async fn run(self, id: Uuid) -> Result<(), kehoach_model::contract::CommandError> {
        match self {
            Deletion::Task => ipc::call(&cmd::DeleteTask { id }).await,
            Deletion::Note => ipc::call(&cmd::DeleteNote { id }).await,
            Deletion::Evidence => ipc::call(&cmd::DeleteEvidence { id }).await,
            Deletion::Checklist => ipc::call(&cmd::DeleteChecklist { id }).await,
            Deletion::Target => ipc::call(&cmd::DeleteTarget { id }).await,
        }
    }
}

/// What a panel's confirmation bar is about to delete: the kind of record, the record, and the
/// question to ask.
#[derive(Clone, PartialEq)]
struct Doomed {
    command: Deletion,
    id: Uuid,
    question: String,
}

type Pending = Option<Doomed>;

/// A "xóa" button's click: asks the question in the panel's confirmation bar.
fn ask(pending: &UseStateHandle<Pending>, command: Deletion, id: Uuid, question: String) -> Callback<MouseEvent> {
    let pending = pending.clone();
    Callback::from(move |_| pending.set(Some(Doomed { command, id, question: question.clone() })))
}

/// The "Xóa hẳn" answer of a panel's confirmation bar: runs the pending command; then
/// `on_deleted` gets the command that ran.
fn confirm_delete(
    pending: &UseStateHandle<Pending>,
    error: &UseStateHandle<Option<String>>,
    on_deleted: Callback<Deletion>,
) -> Callback<()> {
    let (pending, error) = (pending.clone(), error.clone());
    Callback::from(move |()| {
        let Some(Doomed { command, id, .. }) = (*pending).clone() else { return };
        let (pending, error, on_deleted) = (pending.clone(), error.clone(), on_deleted.clone());
        wasm_bindgen_futures::spawn_local(async move {
            pending.set(None);
            match command.run(id).await {
                Ok(()) => {
                    error.set(None);
                    on_deleted.emit(command);
                }
                Err(e) => error.set(Some(e.into())),
            }
        });
    })
}

/// The confirmation bar of a panel, when something is pending.
fn pending_bar(pending: &UseStateHandle<Pending>, on_yes: Callback<()>) -> Html {
    let Some(Doomed { question, .. }) = (**pending).clone() else { return html! {} };
    let no = {
        let pending = pending.clone();
        Callback::from(move |()| pending.set(None))
    };
    html! { <ConfirmBar message={question} on_yes={on_yes} on_no={no} /> }
}

#[derive(Properties, PartialEq)]
pub struct TaskPanelProps {
    pub task_id: Uuid,
    pub version: u32,
    pub on_change: Callback<()>,
    /// The task was deleted: close the panel.
    pub on_close: Callback<()>,
}

/// A task's progress notes and evidence, with forms to add both; correcting the task, and
/// deleting it, a note or a piece of evidence.
#[function_component(TaskPanel)]
pub fn task_panel(p: &TaskPanelProps) -> Html {
    let detail = use_state(|| None::<TaskDetail>);
    let error = use_state(|| None::<String>);
    let editing = use_state(|| false);
    let edit_text = use_state(String::new);
    let edit_due = use_state(String::new);
    let edit_lead = use_state(String::new);
    let doomed = use_state(|| None::<Doomed>);
    let delete = {
        let (on_change, on_close) = (p.on_change.clone(), p.on_close.clone());
        let on_deleted = Callback::from(move |command: Deletion| {
            if command == Deletion::Task {
                on_close.emit(());
            }
            on_change.emit(());
        });
        confirm_delete(&doomed, &error, on_deleted)
    };
    let note = use_state(String::new);
    let author = use_state(String::new);
    let ev_number = use_state(String::new);
    let ev_date = use_state(String::new);
    // Notes are written in the name of this PC's user, when the PC has one.
    {
        let author = author.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(u)) = ipc::call(&cmd::PcUser {}).await {
                    if author.is_empty() {
                        author.set(u.name);
                    }
                }
            });
        });
    }
    {
        let (detail, error) = (detail.clone(), error.clone());
        use_effect_with((p.task_id, p.version), move |(id, _)| {
            let id = *id;
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::TaskDetail { id }).await {
                    Ok(d) => detail.set(Some(d)),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let add_note = {
        let (note, author, error, on_change, task_id) =
            (note.clone(), author.clone(), error.clone(), p.on_change.clone(), p.task_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = NewNote { task_id, text: (*note).clone(), author: non_blank(&author), date: None };
            let (note, error, on_change) = (note.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::AddNote { note: n }).await {
                    Ok(_) => {
                        error.set(None);
                        note.set(String::new());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let add_evidence = {
        let (num, date, error, on_change, task_id) =
            (ev_number.clone(), ev_date.clone(), error.clone(), p.on_change.clone(), p.task_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let ev = NewEvidence { task_id, number: (*num).clone(), date: iso_from_vn(&date), file: None, text: None };
            let (num, date, error, on_change) = (num.clone(), date.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // An attached file is optional: offer the native dialog, carry on without one.
                let mut ev = ev;
                if let Ok(Some(path)) = ipc::pick_open("Chọn tệp minh chứng (bỏ qua nếu không có)").await {
                    ev.file = Some(path);
                }
                match ipc::call(&cmd::AddEvidence { evidence: ev }).await {
                    Ok(_) => {
                        error.set(None);
                        num.set(String::new());
                        date.set(String::new());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let Some(d) = (*detail).clone() else { return html! { { error_box(&error) } } };
    let start_edit = {
        let (editing, text, due, lead, t) =
            (editing.clone(), edit_text.clone(), edit_due.clone(), edit_lead.clone(), d.task.clone());
        Callback::from(move |_: MouseEvent| {
            text.set(t.text.clone());
            due.set(t.time_text.clone().unwrap_or_default());
            lead.set(t.lead.join("; "));
            editing.set(true);
        })
    };
    let save_edit = {
        let (editing, text, due, lead, error, on_change, t) = (
            editing.clone(),
            edit_text.clone(),
            edit_due.clone(),
            edit_lead.clone(),
            error.clone(),
            p.on_change.clone(),
            d.task.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = task_edit(&t, &text, &due, &lead);
            let (editing, error, on_change, id) = (editing.clone(), error.clone(), on_change.clone(), t.id);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::EditTask { id, edit }).await {
                    Ok(_) => {
                        error.set(None);
                        editing.set(false);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let task_question =
        format!("Xóa nhiệm vụ này cùng {} ghi chú và {} minh chứng của nó?", d.notes.len(), d.evidence.len());
    html! {
        <div class="card detail-panel" id="task-panel">
            <h2 style="margin-top:0">{ format!("Nhiệm vụ {}", d.task.reference.clone().unwrap_or_default()) }</h2>
            if *editing {
                <form onsubmit={save_edit} id="task-edit-form">
                    <label for="task-edit-text">{ "Nội dung" }</label>
                    <textarea id="task-edit-text" value={(*edit_text).clone()} oninput={bind(&edit_text)} />
                    <div class="row">
                        { text_field("task-edit-lead", "Đơn vị chủ trì", "Công an xã; Tư pháp – Hộ tịch", &edit_lead) }
                        { text_field("task-edit-due", "Thời gian hoàn thành", "Trong quý II/2023 (để trống: không có hạn)", &edit_due) }
                    </div>
                    <div class="actions">
                        <button class="primary" type="submit" id="task-edit-save">{ "Lưu sửa đổi" }</button>
                        <button class="secondary" type="button" id="task-edit-cancel" onclick={let e = editing.clone(); Callback::from(move |_| e.set(false))}>{ "Thôi" }</button>
                    </div>
                </form>
            } else {
                <p id="task-panel-text">{ &d.task.text }</p>
                <p class="muted" id="task-panel-meta">{ format!("{} — chủ trì: {} — hạn {}", d.task.status.label_vi(), if d.task.lead.is_empty() { "—".to_string() } else { d.task.lead.join("; ") }, opt_date_vn(&d.task.deadline)) }</p>
                { task_facts(&d.task) }
                <div class="actions" style="margin-top:0">
                    <button class="secondary" type="button" id="task-edit" onclick={start_edit}>{ "Sửa nhiệm vụ" }</button>
                    <button class="secondary" type="button" id="task-delete" onclick={ask(&doomed, Deletion::Task, d.task.id, task_question)}>{ "Xóa nhiệm vụ" }</button>
                </div>
            }
            { pending_bar(&doomed, delete) }
            { error_box(&error) }
            if !d.checkins.is_empty() {
                <p>{ "Báo cáo định kỳ: " }{ for d.checkins.iter().map(|c| html! {
                    <span class={classes!("tag", (!c.done).then_some("late"))} title={format!("hạn {}", date_vn(&c.due))}>{ format!("{} {}", c.period, if c.done { "✓" } else { "chưa" }) }</span>
                }) }</p>
            }
            <h3>{ "Tiến độ" }</h3>
            <ul class="notes" id="task-notes">{ for d.notes.iter().map(|n| html! {
                <li>{ match &n.author {
                        Some(a) => format!("{} — {a}: {}", opt_date_vn(&n.date), n.text),
                        None => format!("{}: {}", opt_date_vn(&n.date), n.text),
                    } }
                    <button class="link note-delete" type="button" title="Xóa ghi chú" onclick={ask(&doomed, Deletion::Note, n.id, "Xóa ghi chú tiến độ này?".into())}>{ "xóa" }</button></li>
            }) }</ul>
            <form onsubmit={add_note} id="note-form">
                <div class="row">
                    <input id="note-text" placeholder="Ghi tiến độ thực hiện…" value={(*note).clone()} oninput={bind(&note)} />
                    <input id="note-author" style="flex:0 0 180px" placeholder="Người ghi" value={(*author).clone()} oninput={bind(&author)} />
                    <div style="flex:0"><button class="secondary" type="submit" id="note-add">{ "Ghi" }</button></div>
                </div>
            </form>
            <h3>{ "Minh chứng" }</h3>
            <ul id="task-evidence">{ for d.evidence.iter().map(|e| html! {
                <li>{ format!("Văn bản {} ngày {}", e.number.clone().unwrap_or_default(), opt_date_vn(&e.date)) }
                    { e.file_name.as_ref().map(|f| format!(" — tệp {f}")).unwrap_or_default() }
                    <button class="link evidence-delete" type="button" title="Xóa minh chứng" onclick={ask(&doomed, Deletion::Evidence, e.id, "Xóa minh chứng này? (Tệp đính kèm vẫn được giữ lại.)".into())}>{ "xóa" }</button></li>
            }) }</ul>
            <form onsubmit={add_evidence} class="row">
                <input placeholder="Số văn bản (15/QĐ-UBND)" value={(*ev_number).clone()} oninput={bind(&ev_number)} />
                <input placeholder="Ngày (07/04/2023)" value={(*ev_date).clone()} oninput={bind(&ev_date)} />
                <div style="flex:0"><button class="secondary" type="submit">{ "Thêm minh chứng…" }</button></div>
            </form>
            <details id="task-history">
                <summary>{ format!("Lịch sử thay đổi ({})", d.history.len()) }</summary>
                <ul class="history">{ for d.history.iter().map(|h| html! {
                    <li class={classes!((!h.current).then_some("muted"))}>
                        { format!("{} · {} · ", local_time(&h.at), h.who()) }
                        <strong>{ format!("{}: ", h.label) }</strong>{ &h.value }
                    </li>
                }) }</ul>
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub plan_id: Uuid,
    pub version: u32,
    pub on_change: Callback<()>,
}

/// The plan's checklists (imported appendices, catalogues it attached), ticked item by item.
#[function_component(ChecklistPanel)]
pub fn checklist_panel(p: &ChecklistProps) -> Html {
    let lists = use_state(Vec::<Checklist>::new);
    let error = use_state(|| None::<String>);
    let key = use_state(|| "services".to_string());
    let pending = use_state(|| None::<Doomed>);
    let delete = confirm_delete(&pending, &error, p.on_change.reform(|_| ()));
    {
        let (lists, error) = (lists.clone(), error.clone());
        use_effect_with((p.plan_id, p.version), move |(id, _)| {
            let plan_id = Some(*id);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::Checklists { plan_id }).await {
                    Ok(l) => lists.set(l),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let attach = {
        let (key, error, on_change, plan_id) = (key.clone(), error.clone(), p.on_change.clone(), p.plan_id);
        Callback::from(move |_| {
            let (k, error, on_change) = ((*key).clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::AttachCatalogue { plan_id, key: k }).await {
                    Ok(_) => on_change.emit(()),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let item = |it: &ChecklistItem| {
        let (error, on_change, id, done) = (error.clone(), p.on_change.clone(), it.id, it.done);
        let toggle = Callback::from(move |_| {
            let (error, on_change) = (error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::TickItem { id, done: !done, date: None, evidence: None }).await {
                    Ok(_) => on_change.emit(()),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
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
    html! {
        <div class="card" id="checklists">
            <h2 style="margin-top:0">{ "Danh mục theo dõi" }</h2>
            { pending_bar(&pending, delete) }
            { error_box(&error) }
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

/// "tháng 5/2023: 1.234/1.500 (82,3%)", "tháng 5/2023: 1.250 hồ sơ", "tháng 5/2023: có".
fn figure_line(t: &Target, v: &TargetValue) -> String {
    let figure = format_figure_vi(t.kind, v.value, v.numerator, v.denominator, t.unit.as_deref());
    format!("{}: {figure}", month_label_vi(&v.period))
}

#[derive(Properties, PartialEq)]
struct TargetRowProps {
    target: Target,
    pending: UseStateHandle<Pending>,
    error: UseStateHandle<Option<String>>,
    on_change: Callback<()>,
}

/// One target: its goal, its figures month by month, and the form for a month's figure by
/// the target's kind — a number; a numerator and a denominator for a percentage (a bare
/// percentage too for one outside the catalogue, as imported plans have); a box to tick for
/// yes/no.
#[function_component(TargetRow)]
fn target_row(p: &TargetRowProps) -> Html {
    let t = &p.target;
    let period = use_state(String::new);
    let value = use_state(String::new);
    let numerator = use_state(String::new);
    let denominator = use_state(String::new);
    let yes = use_state(|| false);
    let editing_goal = use_state(|| false);
    let goal_text = use_state(String::new);
    let save_goal = {
        let (editing, goal_text, error, on_change, id) =
            (editing_goal.clone(), goal_text.clone(), p.error.clone(), p.on_change.clone(), t.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args = cmd::SetTargetGoal { id, value: (*goal_text).clone() };
            let (editing, error, on_change) = (editing.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(_) => {
                        error.set(None);
                        editing.set(false);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
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
        let (error, on_change, id, kind) = (p.error.clone(), p.on_change.clone(), t.id, t.kind);
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
            let args = cmd::RecordTargetValue { id, period: (*period).clone(), figure };
            let (error, on_change) = (error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(_) => {
                        error.set(None);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
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

/// The plan's targets (chỉ tiêu) with the figure of each period, a form to add one of a kind,
/// and the standard Đề án 06 indicators to attach.
#[function_component(TargetPanel)]
pub fn target_panel(p: &ChecklistProps) -> Html {
    let list = use_state(Vec::<Target>::new);
    let error = use_state(|| None::<String>);
    let new_text = use_state(String::new);
    let new_value = use_state(String::new);
    let new_unit = use_state(String::new);
    let new_kind = use_state(|| IndicatorKind::Count);
    let pending = use_state(|| None::<Doomed>);
    let delete = confirm_delete(&pending, &error, p.on_change.reform(|_| ()));
    {
        let (list, error) = (list.clone(), error.clone());
        use_effect_with((p.plan_id, p.version), move |(id, _)| {
            let plan_id = Some(*id);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::Targets { plan_id }).await {
                    Ok(l) => list.set(l),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let add = {
        let (text, value, unit, kind, error, on_change, plan_id) = (
            new_text.clone(),
            new_value.clone(),
            new_unit.clone(),
            new_kind.clone(),
            error.clone(),
            p.on_change.clone(),
            p.plan_id,
        );
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
            let (text, value, error, on_change) = (text.clone(), value.clone(), error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(_) => {
                        error.set(None);
                        text.set(String::new());
                        value.set(String::new());
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let attach = {
        let (error, on_change, plan_id) = (error.clone(), p.on_change.clone(), p.plan_id);
        Callback::from(move |_| {
            let (error, on_change) = (error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::AttachIndicators { plan_id }).await {
                    Ok(_) => {
                        error.set(None);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let pick_kind = {
        let kind = new_kind.clone();
        Callback::from(move |e: Event| {
            kind.set(IndicatorKind::parse(&select_value(&e)).unwrap_or_default());
        })
    };
    let kind = *new_kind;
    html! {
        <div class="card" id="targets">
            <h2 style="margin-top:0">{ "Chỉ tiêu" }</h2>
            { pending_bar(&pending, delete) }
            { error_box(&error) }
            if !list.is_empty() {
                <table><thead><tr><th style="width:34%">{ "Chỉ tiêu" }</th><th style="width:10%">{ "Mục tiêu" }</th><th style="width:18%">{ "Số liệu theo kỳ" }</th><th style="width:38%">{ "Ghi số liệu tháng (tháng/năm)" }</th></tr></thead>
                <tbody>{ for list.iter().map(|t| html! {
                    <TargetRow key={t.id.to_string()} target={t.clone()} pending={pending.clone()} error={error.clone()} on_change={p.on_change.clone()} />
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

#[derive(Properties, PartialEq)]
pub struct UnitsProps {
    pub version: u32,
    pub on_change: Callback<()>,
}

/// The commune's unit directory: aliases, and merging two entries that are one unit.
#[function_component(UnitDirectory)]
pub fn unit_directory(p: &UnitsProps) -> Html {
    let units = use_state(Vec::<kehoach_model::UnitEntry>::new);
    let error = use_state(|| None::<String>);
    let from = use_state(String::new);
    let into = use_state(String::new);
    let alias = use_state(String::new);
    {
        let (units, error) = (units.clone(), error.clone());
        use_effect_with(p.version, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::UnitDirectory {}).await {
                    Ok(u) => units.set(u),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }
    let merge = {
        let (from, into, error, on_change) = (from.clone(), into.clone(), error.clone(), p.on_change.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args = cmd::MergeUnits { from: (*from).clone(), into: (*into).clone() };
            let (error, on_change) = (error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(_) => {
                        error.set(None);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let add_alias = {
        let (into, alias, error, on_change) = (into.clone(), alias.clone(), error.clone(), p.on_change.clone());
        Callback::from(move |_| {
            let args = cmd::AddUnitAlias { unit: (*into).clone(), alias: (*alias).clone() };
            let (error, on_change) = (error.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(_) => {
                        error.set(None);
                        on_change.emit(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let options = units.iter().map(|u| html! { <option value={u.unit.name.clone()} /> });
    html! {
        <div class="card" id="units">
            <h2 style="margin-top:0">{ "Danh bạ đơn vị" }</h2>
            { error_box(&error) }
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
