//! Tổng hợp các xã: for a district or province PC, its communes' reports for one period —
//! who sent, on time or late, accepted or returned — with completeness and timeliness at the
//! top, the year's communes × months grid, each commune's signed report and the district's
//! decision on it; printable and exportable. Works with the hub (the copies are fetched from
//! it) and without (the bundles communes send on a USB stick).

mod commune;
mod enrol;
mod grid;
mod publish;
mod types;
mod view;

use kehoach_model::contract as cmd;
use kehoach_model::{format_number_vi, RollupStatus};
use uuid::Uuid;
use yew::prelude::*;

use super::{bind, error_box, use_action};
use crate::ipc;
use types::{DeviceKey, RollupView};

/// The month before today as YYYY-MM: the report being collected most of the time.
fn last_month() -> String {
    let d = js_sys::Date::new_0();
    let (y, m) = (d.get_full_year() as i32, d.get_month() as i32); // month 0-based: this is last month 1-based
    if m == 0 {
        format!("{}-12", y - 1)
    } else {
        format!("{y}-{m:02}")
    }
}

/// "66,7%".
pub(crate) fn pct(ratio: f64) -> String {
    format!("{}%", format_number_vi(ratio * 100.0))
}

/// A state as a badge in its colour (the same colours as on paper).
pub(crate) fn badge(status: RollupStatus, text: String) -> Html {
    // Light grey (a draft) takes dark text; the other colours are dark enough for white.
    let fg = if status == RollupStatus::Draft { "#1f2933" } else { "#fff" };
    html! {
        <span class="state" data-state={status.as_str()} style={format!("background:{};color:{fg}", status.colour())}>{ text }</span>
    }
}

/// A number the clerk gave ("24/BC-UBND"), not the blank a draft carries ("/BC-UBND").
pub(crate) fn has_number(n: &str) -> bool {
    n.split('/').next().is_some_and(|h| h.chars().any(|c| c.is_ascii_digit()))
}

#[function_component(RollupScreen)]
pub fn rollup_screen() -> Html {
    let period = use_state(last_month);
    let data = use_state(|| None::<RollupView>);
    let key = use_state(|| None::<DeviceKey>);
    let open = use_state(|| None::<Uuid>);
    let action = use_action();
    // Bumped to load the period again (after an import or a decision).
    let reload = use_state(|| 0u32);

    {
        let key = key.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(k) = ipc::call(&cmd::SyncStatus {}).await {
                    key.set(Some(k));
                }
            });
        });
    }
    // The screen loads last month as it opens, and the officer may ask for another period
    // before that answer comes (a hub can be slow): only the latest load's answer is shown.
    let latest = use_mut_ref(|| 0u32);
    let loading = use_state(|| false);
    let load_error = use_state(|| None::<String>);
    let load = {
        let (period, data, latest, loading, load_error) =
            (period.clone(), data.clone(), latest.clone(), loading.clone(), load_error.clone());
        Callback::from(move |_: ()| {
            let (p, data, latest, loading, load_error) =
                ((*period).trim().to_string(), data.clone(), latest.clone(), loading.clone(), load_error.clone());
            let ticket = {
                let mut l = latest.borrow_mut();
                *l += 1;
                *l
            };
            loading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let r = ipc::call(&cmd::Rollup { period: p }).await;
                if *latest.borrow() != ticket {
                    return;
                }
                loading.set(false);
                match r {
                    Ok(v) => {
                        load_error.set(None);
                        data.set(Some(v));
                    }
                    Err(e) => {
                        load_error.set(Some(e.into()));
                        data.set(None);
                    }
                }
            });
        })
    };
    {
        // On opening, and again after an import or a decision.
        let load = load.clone();
        use_effect_with(*reload, move |_| load.emit(()));
    }
    let pick_month = {
        let (period, reload) = (period.clone(), reload.clone());
        Callback::from(move |code: String| {
            period.set(code);
            reload.set(*reload + 1);
        })
    };
    let submit = {
        let load = load.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            load.emit(());
        })
    };
    let import = {
        let (action, reload) = (action.clone(), reload.clone());
        Callback::from(move |_| {
            let reload = reload.clone();
            action.run(
                async move {
                    let Some(path) = ipc::pick_open("Chọn tệp của xã").await? else { return Ok(None) };
                    let r = ipc::call(&cmd::RollupImport { path, accept_device: false }).await?;
                    let name = if r.name.is_empty() { r.commune.to_string() } else { r.name.clone() };
                    Ok(Some(format!(
                        "Đã nhập tệp của {name}{}: {} thay đổi mới, {} tệp đính kèm.",
                        if r.new_commune { " (xã mới trên máy này)" } else { "" },
                        r.applied.applied,
                        r.attachments
                    )))
                },
                move || reload.set(*reload + 1),
            );
        })
    };
    let export = |format: &'static str, title: &'static str| {
        let (action, period) = (action.clone(), period.clone());
        Callback::from(move |_| {
            let p = (*period).trim().to_string();
            action.run(
                async move {
                    let name = format!("tong-hop-{p}.{format}");
                    let Some(path) = ipc::pick_save(title, &name).await? else { return Ok(None) };
                    let args = cmd::RollupExport { period: p, format: format.into(), path };
                    let saved = ipc::call(&args).await?;
                    Ok(Some(format!("Đã lưu bảng tổng hợp: {saved}")))
                },
                || {},
            );
        })
    };
    let busy = *action.busy;
    let hub_error = (*data).as_ref().and_then(|v| v.hub_error.clone());

    let body = match &*data {
        None => html! {},
        Some(v) => view::rollup_view(v, &open, &reload, &pick_month),
    };
    let enrol = (*key).as_ref().map(enrol::enrol_card).unwrap_or_default();
    html! {
        <>
            <h1>{ "Tổng hợp các xã" }</h1>
            <p class="muted">{ "Dành cho huyện/tỉnh: xã nào đã gửi báo cáo kỳ này, đúng hạn hay muộn; mở báo cáo đã ký, chấp nhận hoặc trả lại. Dữ liệu của xã chỉ xem, không sửa." }</p>
            <form class="card toolbar" onsubmit={submit}>
                <div class="period">
                    <label for="rollup-period">{ "Kỳ báo cáo (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY)" }</label>
                    <input id="rollup-period" value={(*period).clone()} oninput={bind(&period)} />
                </div>
                <button class="primary" id="rollup-load" type="submit">{ "Xem" }</button>
                <button class="secondary" id="rollup-import" type="button" onclick={import} disabled={busy}>{ "Nhập tệp của xã…" }</button>
                <span class="spacer"></span>
                <button class="secondary" id="rollup-print" type="button" onclick={export("pdf", "Lưu bảng tổng hợp")} disabled={busy || data.is_none()}>{ "Lưu PDF để in…" }</button>
                <button class="secondary" id="rollup-xlsx" type="button" onclick={export("xlsx", "Lưu bảng tổng hợp Excel")} disabled={busy || data.is_none()}>{ "Lưu Excel…" }</button>
            </form>
            { action.outcome("rollup-notice") }
            { error_box(&load_error) }
            if let Some(e) = hub_error {
                <div class="reminder" id="rollup-hub-error">{ format!("Không lấy được số liệu mới từ máy chủ ({e}): đang xem dữ liệu đã có trên máy này.") }</div>
            }
            if busy || *loading { <div class="bar"><div class="indeterminate"></div></div> }
            { body }
            <publish::PublishPanel />
            { enrol }
        </>
    }
}
