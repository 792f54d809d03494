//! A task's panel: its facts, progress notes and evidence, correcting and deleting it.

use kehoach_model::contract as cmd;
use kehoach_model::{NewEvidence, NewNote, Task, TaskEdit};
use uuid::Uuid;
use yew::prelude::*;

use super::delete::{ask, confirm_delete, pending_bar, Deletion, Doomed};
use crate::fmt::{date_vn, describe_due, describe_levels, iso_from_vn, local_time, opt_date_vn};
use crate::hooks::{use_bump, use_command, use_query};
use crate::ipc;
use crate::screens::{bind, changed_text, error_box, non_blank, text_field};

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

#[derive(Properties, PartialEq)]
pub struct TaskPanelProps {
    pub task_id: Uuid,
    /// The task was deleted: close the panel.
    pub on_close: Callback<()>,
}

/// A task's progress notes and evidence, with forms to add both; correcting the task, and
/// deleting it, a note or a piece of evidence.
#[function_component(TaskPanel)]
pub fn task_panel(p: &TaskPanelProps) -> Html {
    let loaded = use_query(p.task_id, |id| cmd::TaskDetail { id: *id });
    let run = use_command();
    // One error line, as before: the commands' (deleting and adding evidence share it), else
    // the load's.
    let error = run.error.clone();
    let editing = use_state(|| false);
    let edit_text = use_state(String::new);
    let edit_due = use_state(String::new);
    let edit_lead = use_state(String::new);
    let doomed = use_state(|| None::<Doomed>);
    let bump = use_bump();
    let delete = {
        let (on_change, on_close) = (bump, p.on_close.clone());
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
    let add_note = {
        let (note, author, run, task_id) = (note.clone(), author.clone(), run.clone(), p.task_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = NewNote { task_id, text: (*note).clone(), author: non_blank(&author), date: None };
            let note = note.clone();
            run.run(cmd::AddNote { note: n }, move |_| note.set(String::new()));
        })
    };
    let add_evidence = {
        let (num, date, run, task_id) = (ev_number.clone(), ev_date.clone(), run.clone(), p.task_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let ev = NewEvidence { task_id, number: (*num).clone(), date: iso_from_vn(&date), file: None, text: None };
            let (num, date, run) = (num.clone(), date.clone(), run.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // An attached file is optional: offer the native dialog, carry on without one.
                let mut ev = ev;
                if let Ok(Some(path)) = ipc::pick_open("Chọn tệp minh chứng (bỏ qua nếu không có)").await {
                    ev.file = Some(path);
                }
                run.run(cmd::AddEvidence { evidence: ev }, move |_| {
                    num.set(String::new());
                    date.set(String::new());
                });
            });
        })
    };
    let Some(d) = (*loaded.data).clone() else { return html! { { error_box(&loaded.error) } } };
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
        let (editing, text, due, lead, run, t) =
            (editing.clone(), edit_text.clone(), edit_due.clone(), edit_lead.clone(), run.clone(), d.task.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = task_edit(&t, &text, &due, &lead);
            let editing = editing.clone();
            run.run(cmd::EditTask { id: t.id, edit }, move |_| editing.set(false));
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
            { error_box(&(*error).clone().or((*loaded.error).clone())) }
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
