//! "Đã ký tay và gửi": the report was printed, signed by hand and sent. The officer gives the
//! number the clerk wrote on it, the date on the paper and, if there is one, a scan of it; the
//! saved version becomes issued.

use kehoach_model::contract as cmd;
use kehoach_model::ReportDraft;
use yew::prelude::*;

use crate::fmt::{date_vn, iso_from_vn};
use crate::ipc;
use crate::screens::{non_blank, text_field, use_action};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: ReportDraft,
    /// The editor holds changes not saved yet: what would be issued is the saved version.
    pub unsaved: bool,
    /// The report as issued.
    pub on_issued: Callback<ReportDraft>,
}

#[function_component(HandIssuePanel)]
pub fn hand_issue_panel(p: &Props) -> Html {
    let c = &p.draft.content;
    let number = use_state(|| c.header.number.clone());
    let date = use_state(|| date_vn(&c.header.date));
    let scan = use_state(String::new);
    let action = use_action();

    let pick = {
        let scan = scan.clone();
        Callback::from(move |_| {
            let scan = scan.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(path)) = ipc::pick_open("Chọn bản quét văn bản đã ký (PDF, ảnh)").await {
                    scan.set(path);
                }
            });
        })
    };
    let submit = {
        let (number, date, scan, action, on_issued, id) =
            (number.clone(), date.clone(), scan.clone(), action.clone(), p.on_issued.clone(), p.draft.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args = cmd::IssueByHand {
                id,
                number: non_blank(&number),
                date: non_blank(&date).map(|d| iso_from_vn(&d)),
                scan: non_blank(&scan),
            };
            let on_issued = on_issued.clone();
            action.run(
                async move {
                    // The editor says so: this panel closes once the report is issued.
                    let d = ipc::call(&args).await?;
                    on_issued.emit(d);
                    Ok(None)
                },
                || {},
            );
        })
    };
    html! {
        <div class="card" id="hand-issue" style="margin-top:16px">
            <h2 style="margin-top:0">{ "Đã ký tay và gửi" }</h2>
            <p class="muted">{ "Báo cáo đã in, lãnh đạo ký tay, đóng dấu và gửi đi: ghi số văn thư cấp, ngày trên văn bản và (nếu có) bản quét. Bản đã lưu được ghi nhận là đã ban hành." }</p>
            { action.outcome("hand-issue-notice") }
            <form onsubmit={submit}>
                <div class="row">
                    { text_field("hand-number", "Số, ký hiệu", "24/BC-UBND", &number) }
                    { text_field("hand-date", "Ngày trên văn bản (ngày/tháng/năm)", "07/04/2023", &date) }
                </div>
                <label for="hand-scan">{ "Bản quét văn bản đã ký (PDF, PNG, JPEG) — không bắt buộc" }</label>
                <div class="row">
                    <input id="hand-scan" value={(*scan).clone()} readonly=true placeholder="chưa chọn" />
                    <div style="flex:0"><button class="secondary" id="hand-pick-scan" type="button" onclick={pick}>{ "Chọn…" }</button></div>
                </div>
                if p.unsaved {
                    <div class="error" id="hand-unsaved">{ "Còn sửa đổi chưa lưu: bấm “Lưu (tạo bản mới)” trước, để bản được ghi nhận là bản đã in." }</div>
                }
                <div class="actions"><button class="primary" id="hand-submit" type="submit" disabled={*action.busy || p.unsaved}>{ "Ghi nhận đã ký tay và gửi" }</button></div>
            </form>
        </div>
    }
}
