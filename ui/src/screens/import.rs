use kehoach_model::{Due, ImportedPlan, Plan, TimeReading};
use serde::Serialize;
use yew::prelude::*;

use super::{bind, error_box, non_blank};
use crate::fmt::date_vn;
use crate::ipc::{self, NoArgs, PathArg};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_saved: Callback<Plan>,
}

#[derive(Serialize)]
struct PlanArg {
    plan: ImportedPlan,
}
#[derive(Serialize)]
struct DueArg {
    text: String,
    year: Option<i32>,
}

fn split_units(s: &str) -> Vec<String> {
    s.split(';').filter_map(non_blank).collect()
}

/// Nhập kế hoạch: read a document, review what was understood, fix it, save it.
#[function_component(ImportScreen)]
pub fn import_screen(p: &Props) -> Html {
    let path = use_state(String::new);
    let plan = use_state(|| None::<ImportedPlan>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    let read = {
        let (plan, error, busy) = (plan.clone(), error.clone(), busy.clone());
        Callback::from(move |p: String| {
            let (plan, error, busy) = (plan.clone(), error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, ImportedPlan>("read_plan_file", &PathArg { path: p }).await {
                    Ok(pl) => {
                        error.set(None);
                        plan.set(Some(pl));
                    }
                    Err(e) => {
                        plan.set(None);
                        error.set(Some(e));
                    }
                }
                busy.set(false);
            });
        })
    };
    let pick = {
        let (path, read, error) = (path.clone(), read.clone(), error.clone());
        Callback::from(move |_| {
            let (path, read, error) = (path.clone(), read.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Option<String>>("pick_plan_file", &NoArgs {}).await {
                    Ok(Some(p)) => {
                        path.set(p.clone());
                        read.emit(p);
                    }
                    Ok(None) => {}
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let open_typed = {
        let (path, read) = (path.clone(), read.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            read.emit((*path).clone());
        })
    };
    let save = {
        let (plan, error, on_saved) = (plan.clone(), error.clone(), p.on_saved.clone());
        Callback::from(move |_| {
            let Some(pl) = (*plan).clone() else { return };
            let (plan, error, on_saved) = (plan.clone(), error.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Plan>("save_imported_plan", &PlanArg { plan: pl }).await {
                    Ok(saved) => {
                        plan.set(None);
                        on_saved.emit(saved);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let review = (*plan).clone().map(|pl| {
        let year = pl.doc.date.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
        let rows = pl.tasks.iter().enumerate().map(|(i, t)| {
            let set_lead = {
                let plan = plan.clone();
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    if let Some(mut pl) = (*plan).clone() {
                        pl.tasks[i].lead = split_units(&v);
                        plan.set(Some(pl));
                    }
                })
            };
            let set_time = {
                let plan = plan.clone();
                let error = error.clone();
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    let (plan, error) = (plan.clone(), error.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match ipc::call::<_, TimeReading>("parse_due", &DueArg { text: v.clone(), year }).await {
                            Ok(read) => {
                                if let Some(mut pl) = (*plan).clone() {
                                    pl.tasks[i].time_text = non_blank(&v);
                                    pl.tasks[i].due = read.due;
                                    pl.tasks[i].due_by_level = read.due_by_level;
                                    plan.set(Some(pl));
                                }
                            }
                            Err(e) => error.set(Some(e)),
                        }
                    });
                })
            };
            html! {
                <tr class="review-row">
                    <td>{ t.reference.clone().unwrap_or_default() }</td>
                    <td>{ &t.text }<div class="muted">{ t.section.clone().unwrap_or_default() }</div></td>
                    <td><input class="review-lead" value={t.lead.join("; ")} onchange={set_lead} /></td>
                    <td><input class="review-time" value={t.time_text.clone().unwrap_or_default()} onchange={set_time} />
                        <div class="muted">{ describe_due(&t.due) }</div></td>
                </tr>
            }
        });
        html! {
            <div class="card" id="import-review">
                <h2 style="margin-top:0">{ pl.doc.title.clone().unwrap_or_else(|| "(không có tiêu đề)".into()) }</h2>
                <p class="muted">
                    { pl.doc.issuer.clone().unwrap_or_default() }
                    { pl.doc.number.clone().map(|n| format!(" — Số {n}")).unwrap_or_default() }
                    { pl.doc.date.as_deref().map(|d| format!(" — ngày {}", date_vn(d))).unwrap_or_default() }
                </p>
                <p id="import-count">{ format!("Đọc được {} nhiệm vụ, {} danh mục, {} chỉ tiêu. Kiểm tra và sửa đơn vị, thời hạn trước khi lưu.",
                    pl.tasks.len(), pl.checklists.len(), pl.targets.len()) }</p>
                <table class="review">
                    <thead><tr><th>{ "Số" }</th><th>{ "Nội dung" }</th><th>{ "Đơn vị chủ trì (ngăn cách bằng ;)" }</th><th>{ "Thời gian" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                <div class="actions"><button class="primary" id="import-save" onclick={save}>{ "Lưu kế hoạch" }</button></div>
            </div>
        }
    });

    html! {
        <>
            <h1>{ "Nhập kế hoạch từ tệp" }</h1>
            <div class="card">
                <p>{ "Chọn tệp kế hoạch (.docx, .pdf có chữ, .doc, .txt, .md) do cấp trên gửi. Phần mềm đọc nhiệm vụ, đơn vị, thời hạn để bạn kiểm tra trước khi lưu." }</p>
                <div class="actions"><button class="primary" id="import-pick" onclick={pick} disabled={*busy}>{ "Chọn tệp…" }</button></div>
                <form onsubmit={open_typed} class="row" style="margin-top:12px">
                    <input id="import-path" placeholder="hoặc nhập đường dẫn tệp" value={(*path).clone()} oninput={bind(&path)} />
                    <div style="flex:0"><button class="secondary" type="submit" id="import-open">{ "Đọc" }</button></div>
                </form>
                if *busy { <p class="muted">{ "Đang đọc tệp…" }</p> }
                { error_box(&error) }
            </div>
            { review.unwrap_or_default() }
        </>
    }
}

fn describe_due(d: &Due) -> String {
    use kehoach_model::DueKind::*;
    let base = match &d.kind {
        Date { date } => format!("trước ngày {}", date_vn(date)),
        Month { year, month } => format!("tháng {month}/{year}"),
        Quarter { year, quarter } => format!("quý {quarter}/{year}"),
        Half { year, half } => format!("{} tháng {} năm {year}", 6, if *half == 1 { "đầu" } else { "cuối" }),
        Year { year } => format!("năm {year}"),
        From { date } => format!("từ {}", date_vn(date)),
        Range { from, to } => format!("từ {} đến {}", date_vn(from), date_vn(to)),
        Recurring => "thường xuyên".into(),
        OnRequest => "theo yêu cầu".into(),
        AfterEvent { event } => format!("sau khi: {event}"),
        None => "chưa rõ thời hạn".into(),
    };
    if d.recurring_after {
        format!("{base}, sau đó duy trì thường xuyên")
    } else {
        base
    }
}
