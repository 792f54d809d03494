//! One period's roll-up as the district reads it: the rates, the communes' table (a commune's
//! panel opened in place), the year's grid and the targets summed.

use kehoach_model::{format_number_vi, RollupStatus, RollupTotals};
use uuid::Uuid;
use yew::prelude::*;

use super::commune::CommunePanel;
use super::grid::{legend, YearGridView};
use super::types::{CommuneRow, RollupView};
use super::{badge, has_number, pct};

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

fn commune_state(c: &CommuneRow) -> Html {
    if c.ops == 0 {
        return badge(RollupStatus::None, "chưa đồng bộ".into());
    }
    badge(c.state.status, c.state.status.label_vi(c.state.late_days))
}

/// The period's roll-up; `open` is the commune whose panel is open, `reload` moved after a
/// decision, `pick_month` a month picked in the year's grid.
pub fn rollup_view(
    v: &RollupView,
    open: &UseStateHandle<Option<Uuid>>,
    reload: &UseStateHandle<u32>,
    pick_month: &Callback<String>,
) -> Html {
    let r = &v.rollup;
    let cols = 7;
    let rows = r.communes.iter().enumerate().map(|(i, c)| {
        let id = c.commune;
        let toggle = {
            let open = open.clone();
            Callback::from(move |_| open.set(if *open == Some(id) { None } else { Some(id) }))
        };
        let is_open = **open == Some(id);
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
