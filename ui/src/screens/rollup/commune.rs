//! One commune's report for the period, opened from its row: the facts (number, version, when
//! sent, due day, how late), its signed document opened in the system viewer with the
//! signature checked in place, and the district's decision — accept, return with a reason,
//! reopen — sent through the hub or written to a file for the commune.

use kehoach_model::contract as cmd;
use kehoach_model::{CommuneReportState, ReviewDecision, RollupStatus};
use uuid::Uuid;
use yew::prelude::*;

use super::types::DocumentCheck;
use crate::fmt::{date_vn, local_time, period_vi};
use crate::ipc;
use crate::screens::signatures::signature_items;
use crate::screens::{bind, use_action};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub commune: Uuid,
    pub name: String,
    pub period: String,
    pub state: CommuneReportState,
    /// A hub is set: a decision goes to it at once.
    pub hub: bool,
    pub on_decided: Callback<()>,
}

/// The signature check, in place: signer, time, intact or not; then, as `kehoach report
/// verify` prints them, the chain to a trusted root, the validity when it signed, revocation.
fn check_view(c: &DocumentCheck) -> Html {
    html! {
        <div class="doc-check" id="doc-check">
            if c.kind != "pdf" {
                <p>{ "Bản quét văn bản ký tay (ảnh): không có chữ ký số để kiểm tra." }</p>
            } else if c.signatures.is_empty() {
                <p class="sig bad">{ "Tệp PDF không có chữ ký số." }</p>
            } else {
                <ul>{ signature_items(&c.signatures) }</ul>
            }
            if let Some(e) = &c.open_error { <p class="muted">{ e }</p> }
        </div>
    }
}

#[function_component(CommunePanel)]
pub fn commune_panel(p: &Props) -> Html {
    let reason = use_state(String::new);
    let check = use_state(|| None::<DocumentCheck>);
    let action = use_action();
    let s = &p.state;
    let busy = *action.busy;

    let open_doc = {
        let (action, check, doc) = (action.clone(), check.clone(), s.document.clone());
        Callback::from(move |_| {
            let (check, document) = (check.clone(), doc.clone().unwrap_or_default());
            action.run(
                async move {
                    let c = ipc::call(&cmd::RollupOpenDocument { document }).await?;
                    check.set(Some(c));
                    Ok(Some("Đã mở báo cáo của xã trong trình xem.".into()))
                },
                || {},
            );
        })
    };
    let decide = |decision: ReviewDecision| {
        let (action, reason, on_decided) = (action.clone(), reason.clone(), p.on_decided.clone());
        let (commune, period) = (p.commune, p.period.clone());
        Callback::from(move |_| {
            let r = (*reason).trim().to_string();
            if decision == ReviewDecision::Returned && r.is_empty() {
                action.error.set(Some("Trả lại báo cáo cần ghi lý do để xã biết phải sửa gì.".into()));
                return;
            }
            let args = cmd::RollupDecide { commune, period: period.clone(), decision, reason: r };
            let on_decided = on_decided.clone();
            action.run(async move { ipc::call(&args).await.map(Some).map_err(String::from) }, move || {
                on_decided.emit(())
            });
        })
    };
    let write_file = {
        let (action, commune, name) = (action.clone(), p.commune, format!("quyet-dinh-{}.khsync", p.period));
        Callback::from(move |_| {
            let name = name.clone();
            action.run(
                async move {
                    let Some(path) = ipc::pick_save("Lưu tệp quyết định cho xã", &name).await? else {
                        return Ok(None);
                    };
                    let saved = ipc::call(&cmd::RollupDecisionFile { commune, path }).await?;
                    Ok(Some(format!("Đã ghi quyết định ra tệp {saved}: gửi tệp này cho xã (Đồng bộ → Nhập tệp).")))
                },
                || {},
            );
        })
    };

    let issued = matches!(s.status, RollupStatus::OnTime | RollupStatus::Late);
    let facts = html! {
        <dl class="facts">
            <dt>{ "Tình trạng" }</dt><dd>{ super::badge(s.status, s.status.label_vi(s.late_days)) }</dd>
            if let Some(n) = s.number.as_ref().filter(|n| super::has_number(n)) { <dt>{ "Số, ký hiệu" }</dt><dd>{ n }</dd> }
            if let Some(v) = s.version { <dt>{ "Phiên bản" }</dt><dd>{ v }</dd> }
            <dt>{ "Gửi lúc" }</dt><dd>{ s.issued_at.as_deref().map(local_time).unwrap_or_else(|| "chưa gửi".into()) }</dd>
            <dt>{ "Hạn gửi" }</dt><dd>{ s.due.as_deref().map(date_vn).unwrap_or_else(|| "—".into()) }
                { match s.late_days { Some(n) if n > 0 => format!(" — muộn {n} ngày"), Some(_) => " — đúng hạn".into(), None => String::new() } }</dd>
            if let Some(r) = &s.review_reason { <dt>{ "Lý do trả lại" }</dt><dd class="reason">{ r }</dd> }
        </dl>
    };
    html! {
        <div class="commune-panel" id="commune-panel">
            <h3>{ format!("{} — báo cáo {}", p.name, period_vi(&p.period)) }</h3>
            { facts }
            <div class="actions">
                if s.document.is_some() {
                    <button class="secondary" id="commune-doc-open" onclick={open_doc} disabled={busy}>{ "Mở báo cáo đã ký" }</button>
                } else if s.status.received() {
                    <span class="muted">{ "Xã gửi báo cáo ký tay không kèm bản quét: chưa có tệp để mở." }</span>
                }
            </div>
            if let Some(c) = &*check { { check_view(c) } }
            if issued || s.status == RollupStatus::Accepted {
                <div class="decision">
                    <label for="decision-reason">{ "Lý do (bắt buộc khi trả lại; xã sẽ thấy)" }</label>
                    <textarea id="decision-reason" rows="2" value={(*reason).clone()} oninput={bind(&reason)} />
                    <div class="actions">
                        if issued {
                            <button class="primary" id="decision-accept" onclick={decide(ReviewDecision::Accepted)} disabled={busy}>{ "Chấp nhận" }</button>
                            <button class="danger" id="decision-return" onclick={decide(ReviewDecision::Returned)} disabled={busy}>{ "Trả lại" }</button>
                        }
                        if s.status == RollupStatus::Accepted {
                            <button class="secondary" id="decision-reopen" onclick={decide(ReviewDecision::Reopened)} disabled={busy}>{ "Mở lại" }</button>
                        }
                    </div>
                </div>
            }
            <div class="actions">
                <button class="secondary" id="decision-file" onclick={write_file} disabled={busy}>{ "Ghi quyết định ra tệp…" }</button>
                <span class="muted">{ if p.hub { "Quyết định được gửi lên máy chủ ngay; tệp dùng khi xã không có mạng." } else { "Chưa có máy chủ: ghi quyết định ra tệp và gửi cho xã bằng USB." } }</span>
            </div>
            { action.outcome("commune-notice") }
        </div>
    }
}
