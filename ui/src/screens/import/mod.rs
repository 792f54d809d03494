//! Nhập kế hoạch: read a document, review what was understood — fix any field of any row,
//! delete, merge, split, add rows, mark what is no task — and save exactly what is shown.

mod inputs;
mod row;
mod state;
mod time;

use kehoach_model::contract as cmd;
use kehoach_model::{DeriveProposal, ImportedPlan, Plan};
use yew::prelude::*;

use super::{bind, error_box};
use crate::fmt::date_vn;
use crate::ipc;
use row::ReviewRow;
use state::{Action, Review};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_saved: Callback<Plan>,
    /// The derive step opened from "Kế hoạch cấp trên": the proposal to review.
    #[prop_or_default]
    pub derive: Option<DeriveProposal>,
}

#[function_component(ImportScreen)]
pub fn import_screen(p: &Props) -> Html {
    let path = use_state(String::new);
    let review = use_reducer(Review::default);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    {
        let d = review.dispatcher();
        use_effect_with(p.derive.clone(), move |derive| {
            if let Some(proposal) = derive {
                d.dispatch(Action::LoadDerived(proposal.clone()));
            }
        });
    }
    // The document read is the level above's plan: propose the commune's plan from it.
    let derive = {
        let (review, error) = (review.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let plan = match review.to_save() {
                Ok(plan) => plan,
                Err(e) => return error.set(Some(e)),
            };
            let (d, error) = (review.dispatcher(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::DeriveFromImported { plan }).await {
                    Ok(p) if p.tasks.is_empty() => error.set(Some(
                        "Không có nhiệm vụ nào của kế hoạch này giao cho cấp xã (chủ trì hoặc phối hợp)".into(),
                    )),
                    Ok(p) => {
                        error.set(None);
                        d.dispatch(Action::LoadDerived(p));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };

    let read = {
        let (d, error, busy) = (review.dispatcher(), error.clone(), busy.clone());
        Callback::from(move |p: String| {
            let (d, error, busy) = (d.clone(), error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::ReadPlanFile { path: p }).await {
                    Ok(pl) => {
                        error.set(None);
                        d.dispatch(Action::Load(pl));
                    }
                    Err(e) => {
                        d.dispatch(Action::Clear);
                        error.set(Some(e.into()));
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
                match ipc::call(&cmd::PickPlanFile {}).await {
                    Ok(Some(p)) => {
                        path.set(p.clone());
                        read.emit(p);
                    }
                    Ok(None) => {}
                    Err(e) => error.set(Some(e.into())),
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
        let (review, error, on_saved) = (review.clone(), error.clone(), p.on_saved.clone());
        Callback::from(move |_| {
            let plan = match review.to_save() {
                Ok(plan) => plan,
                Err(e) => return error.set(Some(e)),
            };
            let (d, error, on_saved) = (review.dispatcher(), error.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::SaveImportedPlan { plan }).await {
                    Ok(saved) => {
                        error.set(None);
                        d.dispatch(Action::Clear);
                        on_saved.emit(saved);
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };

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
                if review.plan.is_none() { { error_box(&error) } }
            </div>
            if let Some(pl) = &review.plan {
                { review_card(pl, &review, &error, save, derive) }
            }
        </>
    }
}

/// The plan as read, its rows, and what saving it will store.
fn review_card(
    pl: &ImportedPlan,
    review: &UseReducerHandle<Review>,
    error: &UseStateHandle<Option<String>>,
    save: Callback<MouseEvent>,
    derive: Callback<MouseEvent>,
) -> Html {
    let year = pl.doc.date.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
    let d = review.dispatcher();
    let (n, excluded) = (review.rows.len(), review.rows.iter().filter(|r| r.not_task).count());
    let add_end = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::AddAfter(None)))
    };
    let undo = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::UndoDelete))
    };
    html! {
        <div class="card" id="import-review">
            if let Some(parent) = &pl.parent {
                <p class="derive-banner" id="derive-banner">{ format!("Lập kế hoạch của xã thực hiện {}. Các nhiệm vụ dưới đây là nhiệm vụ của cấp trên giao cho cấp xã, đã ghi lại đơn vị cho xã và lấy thời hạn của cấp xã; bỏ chọn, sửa hoặc thêm trước khi lưu.", parent.basis_line()) }</p>
            }
            <h2 style="margin-top:0">{ pl.doc.title.clone().unwrap_or_else(|| "(không có tiêu đề)".into()) }</h2>
            <p class="muted">
                { pl.doc.issuer.clone().unwrap_or_default() }
                { pl.doc.number.clone().map(|n| format!(" — Số {n}")).unwrap_or_default() }
                { pl.doc.date.as_deref().map(|d| format!(" — ngày {}", date_vn(d))).unwrap_or_default() }
            </p>
            <p id="import-count">{ format!("Đọc được {} nhiệm vụ, {} danh mục, {} chỉ tiêu. Kiểm tra và sửa từng dòng trước khi lưu: mọi ô đều sửa được; đơn vị ngăn cách bằng dấu ;.",
                n, pl.checklists.len(), pl.targets.len()) }</p>
            <div id="import-rows">
                { for review.rows.iter().enumerate().map(|(i, r)| html! {
                    <ReviewRow key={r.key} row={r.clone()} n={i + 1} last={i + 1 == n} {year} dispatch={d.clone()} />
                }) }
            </div>
            if let Some(msg) = &review.notice { <div class="error" role="alert">{ msg }</div> }
            { error_box(error) }
            <div class="actions review-footer">
                <button class="primary" id="import-save" onclick={save}>{ format!("Lưu kế hoạch ({} nhiệm vụ)", n - excluded) }</button>
                <button class="secondary" id="import-add-end" onclick={add_end}>{ "Thêm nhiệm vụ" }</button>
                if pl.parent.is_none() {
                    <button class="secondary" id="import-derive" onclick={derive} title="Tệp này là kế hoạch của cấp trên: chỉ giữ các nhiệm vụ giao cho cấp xã, ghi lại đơn vị cho xã">{ "Lập kế hoạch của xã từ kế hoạch này" }</button>
                }
                if review.deleted.is_some() {
                    <button class="secondary" id="import-undo-delete" onclick={undo}>{ "Hoàn tác xóa dòng" }</button>
                }
                if excluded > 0 { <span class="muted">{ format!("{excluded} dòng không phải nhiệm vụ sẽ không được lưu.") }</span> }
            </div>
        </div>
    }
}
