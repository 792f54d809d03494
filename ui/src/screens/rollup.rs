//! Tổng hợp các xã: for a district or province PC, its communes' reports for one period —
//! who sent, on time or late, accepted or returned — with completeness and timeliness at the
//! top, the year's communes × months grid, each commune's signed report and the district's
//! decision on it; printable and exportable. Works with the hub (the copies are fetched from
//! it) and without (the bundles communes send on a USB stick).

mod commune;
mod grid;
mod publish;
mod types;

use kehoach_model::contract as cmd;
use kehoach_model::{format_number_vi, RollupStatus, RollupTotals};
use uuid::Uuid;
use yew::prelude::*;

use super::{bind, error_box, use_action};
use crate::ipc;
use commune::CommunePanel;
use grid::{legend, YearGridView};
use types::{CommuneRow, DeviceKey, RollupView};

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

/// Completeness and timeliness, large: what a district head reads first.
fn rates(t: &RollupTotals) -> Html {
    let tile = |id: &'static str, label: &'static str, n: u32, ratio: f64, colour: &'static str| {
        html! {
            <div class="rate" id={id}>
                <div class="l">{ label }</div>
                <div class="n">{ format!("{n}/{} xã", t.expected) }<span class="p">{ pct(ratio) }</span></div>
                <div class="bar"><div style={format!("width:{:.1}%;background:{colour}", ratio * 100.0)}></div></div>
            </div>
        }
    };
    html! {
        <div class="rates">
            { tile("rate-received", "Đã gửi báo cáo", t.received, t.completeness, RollupStatus::Accepted.colour()) }
            { tile("rate-on-time", "Gửi đúng hạn", t.on_time, t.timeliness, RollupStatus::OnTime.colour()) }
            <p class="sr" id="rollup-reported">{ format!(
                "Đã gửi {}/{} xã — {}; đúng hạn {}/{} — {}",
                t.received, t.expected, pct(t.completeness), t.on_time, t.expected, pct(t.timeliness)
            ) }</p>
        </div>
    }
}

/// A number the clerk gave ("24/BC-UBND"), not the blank a draft carries ("/BC-UBND").
pub(crate) fn has_number(n: &str) -> bool {
    n.split('/').next().is_some_and(|h| h.chars().any(|c| c.is_ascii_digit()))
}

fn commune_state(c: &CommuneRow) -> Html {
    if c.ops == 0 {
        return badge(RollupStatus::None, "chưa đồng bộ".into());
    }
    badge(c.state.status, c.state.status.label_vi(c.state.late_days))
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
        Some(v) => {
            let r = &v.rollup;
            let cols = 7;
            let rows = r.communes.iter().enumerate().map(|(i, c)| {
                let id = c.commune;
                let toggle = {
                    let open = open.clone();
                    Callback::from(move |_| open.set(if *open == Some(id) { None } else { Some(id) }))
                };
                let is_open = *open == Some(id);
                let s = &c.state;
                html! {
                    <>
                    <tr class={classes!("rollup-row", is_open.then_some("open"))} data-commune={c.name.clone()}
                        style={format!("border-left:6px solid {}", if c.ops == 0 { RollupStatus::None.colour() } else { s.status.colour() })}>
                        <td>{ i + 1 }</td>
                        <td><strong>{ &c.name }</strong>
                            if let Some(n) = s.number.as_ref().filter(|n| has_number(n)) { <div class="muted">{ format!("Số {n}") }</div> }
                            { old_programs(c) }</td>
                        <td>{ commune_state(c) }
                            if let Some(reason) = &s.review_reason { <div class="reason">{ format!("Lý do: {reason}") }</div> }
                            if let Some(e) = &c.error { <div class="reason">{ format!("Không đọc được dữ liệu của xã: {e}") }</div> }</td>
                        <td>{ s.issued_at.as_deref().map(crate::fmt::local_time).unwrap_or_else(|| "—".into()) }</td>
                        <td>{ s.due.as_deref().map(crate::fmt::date_vn).unwrap_or_else(|| "—".into()) }</td>
                        <td class="num">{ format!("{}/{}", c.done, c.tasks) }
                            if c.overdue > 0 { <div class="late">{ format!("{} quá hạn", c.overdue) }</div> }</td>
                        <td><button class="secondary commune-open" onclick={toggle}>{ if is_open { "Đóng" } else { "Xem, quyết định" } }</button></td>
                    </tr>
                    if is_open {
                        <tr class="rollup-detail"><td colspan={cols.to_string()}>
                            <CommunePanel commune={id} name={c.name.clone()} period={r.period.clone()} state={s.clone()}
                                hub={v.hub} on_decided={let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1))} />
                        </td></tr>
                    }
                    </>
                }
            });
            let targets = r.targets.iter().enumerate().map(|(i, t)| {
                html! {
                    <tr><td>{ i + 1 }</td><td>{ &t.text }</td><td>{ &t.unit }</td><td class="num">{ format_number_vi(t.target) }</td>
                        <td class="num">{ format_number_vi(t.actual) }</td><td class="num">{ t.communes }</td></tr>
                }
            });
            html! {
                <div id="rollup">
                    <div class="card rollup-head">
                        <h2 style="margin-top:0">{ if r.unit.is_empty() { "Các xã".to_string() } else { r.unit.clone() } }</h2>
                        <p class="muted">{ format!("Kỳ {} — số liệu tính đến hết ngày {}", crate::fmt::period_vi(&r.period), crate::fmt::date_vn(&r.as_of)) }</p>
                        { rates(&r.totals) }
                    </div>
                    if r.communes.is_empty() {
                        <p class="muted">{ "Máy này chưa có dữ liệu của xã nào: nhập tệp của xã, hoặc nhập địa chỉ máy chủ ở màn hình Đồng bộ." }</p>
                    } else {
                        <table id="rollup-communes">
                            <thead><tr><th style="width:36px">{ "STT" }</th><th style="width:22%">{ "Xã" }</th><th>{ "Báo cáo kỳ" }</th>
                                <th style="width:11%">{ "Gửi lúc" }</th><th style="width:10%">{ "Hạn gửi" }</th><th style="width:9%">{ "Nhiệm vụ xong" }</th><th style="width:1%"></th></tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                        { legend() }
                    }
                    <YearGridView grid={v.grid.clone()} on_pick={pick_month.clone()} />
                    if !r.targets.is_empty() {
                        <h2>{ "Chỉ tiêu (cộng các xã)" }</h2>
                        <table id="rollup-targets">
                            <thead><tr><th>{ "STT" }</th><th>{ "Chỉ tiêu" }</th><th>{ "Đơn vị tính" }</th><th>{ "Chỉ tiêu (cộng)" }</th><th>{ "Thực hiện (cộng)" }</th><th>{ "Số xã" }</th></tr></thead>
                            <tbody>{ for targets }</tbody>
                        </table>
                    }
                </div>
            }
        }
    };
    let enrol = match &*key {
        Some(k) => html! {
            <details class="card" id="rollup-enrol">
                <summary>{ "Đăng ký máy này với máy chủ để xem các xã" }</summary>
                <p class="muted">{ "Gửi mã thiết bị và khóa công khai dưới đây cho người quản trị máy chủ đồng bộ; người quản trị cấp quyền xem (chỉ đọc) các xã thuộc đơn vị. Không có máy chủ: nhập tệp các xã gửi bằng USB." }</p>
                <p>{ "Mã thiết bị: " }<code id="rollup-device">{ &k.device_id }</code></p>
                <p>{ "Khóa công khai: " }<code id="rollup-key">{ k.public_key.clone().unwrap_or_default() }</code></p>
                <p>{ "Máy chủ: " }{ k.state.hub_url.clone().unwrap_or_else(|| "chưa nhập (màn hình Đồng bộ)".into()) }</p>
            </details>
        },
        None => html! {},
    };
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

/// The commune's PCs that run an older kehoach than this PC, as they said when they last synced:
/// the district's IT staff update them (from the hub or a USB stick).
fn old_programs(c: &CommuneRow) -> Html {
    let old = c.old_programs(env!("CARGO_PKG_VERSION"));
    if old.is_empty() {
        return html! {};
    }
    let who: Vec<String> = old
        .iter()
        .map(|p| format!("{} ({})", p.user.clone().unwrap_or_else(|| "máy chưa đặt tên".into()), p.version))
        .collect();
    html! { <div class="late old-version">{ format!("Phiên bản cũ: {}", who.join(", ")) }</div> }
}
