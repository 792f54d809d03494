//! The report being written: its text section by section, saving (a new version), the preview
//! of the pages, exporting, printing, signing and the signature's state.

use kehoach_model::contract as cmd;
use kehoach_model::{ReportContent, ReportDraft, ReportStatus};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::hand_issue::HandIssuePanel;
use super::sign::SignPanel;
use crate::fmt::date_vn;
use crate::ipc;
use crate::screens::error_box;
use crate::screens::signatures::{signature_items, SignatureCheck};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub draft: ReportDraft,
}

/// A callback that writes the edited text of an input or textarea into the content.
fn edit(
    content: &UseStateHandle<ReportContent>,
    set: impl Fn(&mut ReportContent, String) + 'static,
) -> Callback<Event> {
    let content = content.clone();
    Callback::from(move |e: Event| {
        let Some(t) = e.target() else { return };
        let v = if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
            i.value()
        } else if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            a.value()
        } else {
            return;
        };
        let mut c = (*content).clone();
        set(&mut c, v);
        content.set(c);
    })
}

#[function_component(ReportEditor)]
pub fn report_editor(p: &EditorProps) -> Html {
    let content = use_state(|| p.draft.content.clone());
    let draft = use_state(|| p.draft.clone());
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let pages = use_state(|| None::<Vec<String>>);
    let c = (*content).clone();
    let d = (*draft).clone();

    let save = {
        let (content, draft, error, notice, pages) =
            (content.clone(), draft.clone(), error.clone(), notice.clone(), pages.clone());
        Callback::from(move |_| {
            let (content, draft, error, notice) = (content.clone(), draft.clone(), error.clone(), notice.clone());
            // The preview showed the version before this save.
            pages.set(None);
            let args = cmd::SaveReport { id: draft.id, content: (*content).clone() };
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&args).await {
                    Ok(nd) => {
                        error.set(None);
                        notice.set(Some(format!("Đã lưu bản {}", nd.version)));
                        content.set(nd.content.clone());
                        draft.set(nd);
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    // "Xem trước": the rendered pages inside the app, from the PDF that would be printed.
    let preview = {
        let (draft, error, busy, pages) = (draft.clone(), error.clone(), busy.clone(), pages.clone());
        Callback::from(move |_| {
            let (id, error, busy, pages) = (draft.id, error.clone(), busy.clone(), pages.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::PreviewReport { id, width: Some(900) }).await {
                    Ok(p) => {
                        error.set(None);
                        pages.set(Some(p));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
                busy.set(false);
            });
        })
    };
    let view = {
        let (draft, error, notice, busy) = (draft.clone(), error.clone(), notice.clone(), busy.clone());
        Callback::from(move |_| {
            let (id, error, notice, busy) = (draft.id, error.clone(), notice.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::OpenReportPdf { id }).await {
                    Ok(_) => notice.set(Some("Đã mở báo cáo trong trình xem PDF; in từ trình xem.".into())),
                    Err(e) => error.set(Some(e.into())),
                }
                busy.set(false);
            });
        })
    };
    let export = |format: &'static str, label: &'static str| {
        let (draft, error, notice, busy) = (draft.clone(), error.clone(), notice.clone(), busy.clone());
        Callback::from(move |_| {
            let (id, error, notice, busy) = (draft.id, error.clone(), notice.clone(), busy.clone());
            let name = format!("bao-cao-{}.{format}", draft.period.code());
            wasm_bindgen_futures::spawn_local(async move {
                let path = match ipc::pick_save(&format!("Lưu {label}"), &name).await {
                    Ok(Some(p)) => p,
                    Ok(None) => return,
                    Err(e) => return error.set(Some(e.into())),
                };
                busy.set(true);
                match ipc::call(&cmd::ExportReport { id, format: format.into(), path }).await {
                    Ok(p) => {
                        error.set(None);
                        notice.set(Some(format!("Đã lưu {p}")));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
                busy.set(false);
            });
        })
    };

    // After a signature: the report as recorded now (signed, frozen).
    let refresh = {
        let draft = draft.clone();
        Callback::from(move |_: ()| {
            let draft = draft.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(nd) = ipc::call(&cmd::GetReport { id: draft.id }).await {
                    draft.set(nd);
                }
            });
        })
    };
    // After "Đã ký tay và gửi": the report as issued (its number and date may be new).
    let issued = {
        let (draft, content, pages, notice) = (draft.clone(), content.clone(), pages.clone(), notice.clone());
        Callback::from(move |nd: ReportDraft| {
            pages.set(None);
            notice.set(Some(format!("Đã ghi nhận: bản {} đã ký tay và gửi.", nd.version)));
            content.set(nd.content.clone());
            draft.set(nd);
        })
    };
    // "Kiểm tra chữ ký": the signed file's signatures, checked by the shell.
    let checked = use_state(|| None::<Vec<SignatureCheck>>);
    let check_signed = {
        let (draft, error, checked) = (draft.clone(), error.clone(), checked.clone());
        Callback::from(move |_| {
            let (id, error, checked) = (draft.id, error.clone(), checked.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::CheckSignedPdf { id }).await {
                    Ok(c) => checked.set(Some(c)),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };
    let open_signed = {
        let (draft, error, notice) = (draft.clone(), error.clone(), notice.clone());
        Callback::from(move |_| {
            let (id, error, notice) = (draft.id, error.clone(), notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::OpenSignedPdf { id }).await {
                    Ok(_) => notice.set(Some("Đã mở bản đã ký số trong trình xem PDF.".into())),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };

    let parts = c.parts.iter().enumerate().map(|(i, part)| {
        let sections = part.sections.iter().enumerate().map(|(j, s)| {
            html! {
                <div class="section-edit">
                    <label>{ &s.heading }</label>
                    <textarea class="part-section" rows="4" value={s.text.clone()}
                        onchange={edit(&content, move |c, v| c.parts[i].sections[j].text = v)} />
                </div>
            }
        });
        html! {
            <div class="card part-edit">
                <strong>{ &part.heading }</strong>
                <textarea class="part-text" rows="4" value={part.text.clone()} onchange={edit(&content, move |c, v| c.parts[i].text = v)} />
                { for sections }
            </div>
        }
    });

    html! {
        <div id="report-editor">
            <h1>{ format!("Báo cáo {}", d.period.label_vi()) }</h1>
            { super::status::status_card(&d) }
            { signed_banner(&d, open_signed, check_signed, checked.as_deref()) }
            { error_box(&error) }
            if let Some(n) = &*notice { <div class="notice" id="report-notice">{ n }</div> }
            if !d.missing.is_empty() {
                <div class="error" id="report-missing">{ format!("Chưa in được. Còn thiếu: {}", d.missing.join(", ")) }</div>
            }
            if *busy { <div class="bar" id="report-busy"><div class="indeterminate"></div></div> }
            // Accepted by the level above: everything shows, nothing can be changed.
            <fieldset class="plain" disabled={d.locked}>
            <div class="card">
                <div class="row">
                    <div><label>{ "Số, ký hiệu" }</label>
                        <input id="report-number" value={c.header.number.clone()} onchange={edit(&content, |c, v| c.header.number = v)} /></div>
                    <div><label>{ "Ngày báo cáo (ngày/tháng/năm)" }</label>
                        <input id="report-date" placeholder="07/04/2023" value={date_vn(&c.header.date)} onchange={edit(&content, |c, v| c.header.date = crate::fmt::iso_from_vn(&v))} /></div>
                    <div><label>{ "Địa danh" }</label>
                        <input value={c.header.place.clone()} onchange={edit(&content, |c, v| c.header.place = v)} /></div>
                </div>
                <label>{ "Trích yếu" }</label>
                <input id="report-title" value={c.title.clone()} onchange={edit(&content, |c, v| c.title = v)} />
                <label>{ "Mở đầu" }</label>
                <textarea rows="3" value={c.intro.clone()} onchange={edit(&content, |c, v| c.intro = v)} />
            </div>
            { for parts }
            <div class="card">
                <label>{ "Kết thúc" }</label>
                <textarea rows="2" value={c.closing.clone()} onchange={edit(&content, |c, v| c.closing = v)} />
                <div class="row">
                    <div>
                        <label>{ "Nơi nhận (mỗi dòng một nơi)" }</label>
                        <textarea rows="5" value={c.recipients.join("\n")}
                            onchange={edit(&content, |c, v| c.recipients = v.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect())} />
                    </div>
                    <div>
                        <label>{ "Thẩm quyền ký (TM./KT./Q.)" }</label>
                        <input value={c.signature.authority.clone()} onchange={edit(&content, |c, v| c.signature.authority = v)} />
                        <label>{ "Chức vụ" }</label>
                        <input value={c.signature.title.clone()} onchange={edit(&content, |c, v| c.signature.title = v)} />
                        <label>{ "Người ký" }</label>
                        <input id="report-signer" value={c.signature.name.clone()} onchange={edit(&content, |c, v| c.signature.name = v)} />
                    </div>
                </div>
            </div>
            </fieldset>
            <p class="muted">{ format!("Phụ lục: {} nhiệm vụ.", c.appendix.rows.len()) }</p>
            <div class="actions">
                <button class="primary" id="report-save" onclick={save} disabled={d.locked}>{ "Lưu (tạo bản mới)" }</button>
                <button class="secondary" id="report-preview" onclick={preview} disabled={*busy || !d.missing.is_empty()}>{ "Xem trước" }</button>
                <button class="secondary" id="report-view" onclick={view} disabled={*busy}>{ "Xem / In" }</button>
                <button class="secondary" onclick={export("pdf", "PDF")} disabled={*busy}>{ "Lưu PDF…" }</button>
                <button class="secondary" onclick={export("docx", "DOCX")} disabled={*busy}>{ "Lưu Word (.docx)…" }</button>
                <button class="secondary" onclick={export("xlsx", "Excel phụ lục")} disabled={*busy}>{ "Lưu phụ lục Excel…" }</button>
            </div>
            if let Some(imgs) = &*pages {
                <h2>{ format!("Xem trước: {} trang (bản {} đã lưu)", imgs.len(), d.version) }</h2>
                <div class="pages" id="report-pages">
                    { for imgs.iter().enumerate().map(|(i, src)| html! { <img src={src.clone()} alt={format!("Trang {}", i + 1)} /> }) }
                </div>
            }
            if d.status == ReportStatus::Draft && !d.locked {
                <HandIssuePanel key={format!("{}-{}", d.id, d.version)} draft={d.clone()} unsaved={c != d.content} on_issued={issued} />
            }
            // A returned version is revised first (saving makes the next version), then signed.
            if d.missing.is_empty() && !d.locked && d.status != ReportStatus::Returned {
                <SignPanel id={d.id} file_name={format!("bao-cao-{}-ky-so.pdf", d.period.code())} on_signed={refresh} />
            }
        </div>
    }
}

/// Where the report stands with its digital signature: the signed version is frozen, an edit
/// after it is a new version that has to be signed again.
fn signed_banner(
    d: &ReportDraft,
    open: Callback<MouseEvent>,
    check: Callback<MouseEvent>,
    checked: Option<&[SignatureCheck]>,
) -> Html {
    let Some(sig) = &d.signed else { return html! {} };
    let when = crate::fmt::date_vn(sig.signed_at.get(..10).unwrap_or(""));
    let text = if d.is_frozen() {
        format!(
            "Bản {} đã được ký số bởi {} ngày {when}. Bản đã ký được giữ nguyên: sửa và lưu sẽ tạo bản mới, cần ký lại.",
            sig.version, sig.signed_by
        )
    } else {
        format!(
            "Bản {} đã được ký số bởi {} ngày {when}; bản hiện tại ({}) đã sửa sau khi ký và chưa được ký.",
            sig.version, sig.signed_by, d.version
        )
    };
    html! {
        <div class={if d.is_frozen() { "notice" } else { "error" }} id="report-signed">
            { text }
            <div class="actions">
                <button class="secondary" id="open-signed" onclick={open}>{ "Mở bản đã ký" }</button>
                <button class="secondary" id="check-signed" onclick={check}>{ "Kiểm tra chữ ký" }</button>
            </div>
            if let Some(sigs) = checked {
                <div class="doc-check" id="signed-check">
                    if sigs.is_empty() {
                        <p class="sig bad">{ "Tệp không có chữ ký số." }</p>
                    } else {
                        <ul>{ signature_items(sigs) }</ul>
                    }
                </div>
            }
        </div>
    }
}
