//! Tổng hợp các xã: for a district or province PC enrolled at the hub as the parent unit, the
//! communes it oversees for one period — who has reported, overdue tasks, targets summed —
//! read-only, and printable.

use kehoach_model::{format_number_vi, RollupReport};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use super::{bind, error_box};
use crate::ipc::{self, NoArgs};

#[derive(Deserialize, Clone, PartialEq)]
struct CommuneRow {
    name: String,
    tasks: u32,
    done: u32,
    overdue: u32,
    report_status: Option<String>,
    ops: u64,
}

#[derive(Deserialize, Clone, PartialEq)]
struct TargetSum {
    text: String,
    unit: String,
    target: f64,
    actual: f64,
    communes: u32,
}

#[derive(Deserialize, Clone, PartialEq)]
struct Rollup {
    unit: String,
    period: String,
    as_of: String,
    communes: Vec<CommuneRow>,
    reported: u32,
    targets: Vec<TargetSum>,
}

/// What the Đồng bộ screen's status gives this screen: what the hub's administrator needs.
#[derive(Deserialize, Clone, PartialEq)]
struct DeviceKey {
    device_id: String,
    public_key: Option<String>,
    state: HubState,
}
#[derive(Deserialize, Clone, PartialEq)]
struct HubState {
    hub_url: Option<String>,
}

#[derive(Serialize)]
struct PeriodArg {
    period: String,
}

#[derive(Serialize)]
struct PrintArg {
    period: String,
    path: String,
}

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

#[function_component(RollupScreen)]
pub fn rollup_screen() -> Html {
    let period = use_state(last_month);
    let data = use_state(|| None::<Rollup>);
    let key = use_state(|| None::<DeviceKey>);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);

    {
        let key = key.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(k) = ipc::call::<_, DeviceKey>("sync_status", &NoArgs {}).await {
                    key.set(Some(k));
                }
            });
        });
    }

    let load = {
        let (period, data, error, notice, busy) =
            (period.clone(), data.clone(), error.clone(), notice.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (p, data, error, notice, busy) =
                ((*period).trim().to_string(), data.clone(), error.clone(), notice.clone(), busy.clone());
            busy.set(true);
            notice.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call::<_, Rollup>("rollup", &PeriodArg { period: p }).await {
                    Ok(r) => {
                        error.set(None);
                        data.set(Some(r));
                    }
                    Err(e) => {
                        data.set(None);
                        error.set(Some(e));
                    }
                }
                busy.set(false);
            });
        })
    };
    let print = {
        let (data, error, notice, busy) = (data.clone(), error.clone(), notice.clone(), busy.clone());
        Callback::from(move |_| {
            let Some(r) = (*data).clone() else { return };
            let (error, notice, busy) = (error.clone(), notice.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let file_name = format!("tong-hop-{}.pdf", r.period);
                let result = async {
                    let Some(path) = ipc::pick_save("Lưu bảng tổng hợp", &file_name).await? else {
                        return Ok(None);
                    };
                    ipc::call::<_, String>("rollup_pdf", &PrintArg { period: r.period.clone(), path: path.clone() })
                        .await?;
                    Ok::<_, String>(Some(format!("Đã lưu bảng tổng hợp: {path}")))
                }
                .await;
                match result {
                    Ok(msg) => {
                        error.set(None);
                        notice.set(msg);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };

    let body = match &*data {
        None => html! {},
        Some(r) => {
            let rows = r.communes.iter().enumerate().map(|(i, c)| {
                html! {
                    <tr class="rollup-row">
                        <td>{ i + 1 }</td><td>{ &c.name }</td><td class="num">{ c.tasks }</td><td class="num">{ c.done }</td>
                        <td class={classes!("num", (c.overdue > 0).then_some("late"))}>{ c.overdue }</td>
                        <td>{ RollupReport::from_wire(c.report_status.as_deref(), c.ops).label_vi() }</td>
                    </tr>
                }
            });
            let (t, d, o) = r.communes.iter().fold((0, 0, 0), |(t, d, o), c| (t + c.tasks, d + c.done, o + c.overdue));
            let targets = r.targets.iter().enumerate().map(|(i, t)| {
                html! {
                    <tr><td>{ i + 1 }</td><td>{ &t.text }</td><td>{ &t.unit }</td><td class="num">{ format_number_vi(t.target) }</td>
                        <td class="num">{ format_number_vi(t.actual) }</td><td class="num">{ t.communes }</td></tr>
                }
            });
            html! {
                <div id="rollup">
                    <div class="card">
                        <h2 style="margin-top:0">{ &r.unit }</h2>
                        <p>{ format!("Kỳ {} — số liệu tính đến hết ngày {}", r.period, crate::fmt::date_vn(&r.as_of)) }</p>
                        <p id="rollup-reported"><strong>{ format!("Đã có báo cáo: {}/{} xã", r.reported, r.communes.len()) }</strong></p>
                        <div class="actions"><button class="primary" id="rollup-print" onclick={print} disabled={*busy}>{ "Lưu PDF để in…" }</button></div>
                    </div>
                    <table id="rollup-communes">
                        <thead><tr><th>{ "STT" }</th><th>{ "Xã" }</th><th>{ "Nhiệm vụ" }</th><th>{ "Hoàn thành" }</th><th>{ "Quá hạn" }</th><th>{ "Báo cáo kỳ" }</th></tr></thead>
                        <tbody>{ for rows }
                            <tr class="total"><td></td><td>{ "Cộng" }</td><td class="num">{ t }</td><td class="num">{ d }</td><td class="num">{ o }</td>
                                <td>{ format!("{}/{}", r.reported, r.communes.len()) }</td></tr>
                        </tbody>
                    </table>
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
                <p class="muted">{ "Gửi mã thiết bị và khóa công khai dưới đây cho người quản trị máy chủ đồng bộ; người quản trị cấp quyền xem (chỉ đọc) các xã thuộc đơn vị." }</p>
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
            <p class="muted">{ "Dành cho huyện/tỉnh: xem các xã đã gửi báo cáo kỳ này chưa, nhiệm vụ quá hạn và chỉ tiêu cộng dồn. Chỉ xem, không sửa dữ liệu của xã." }</p>
            { error_box(&error) }
            if let Some(n) = &*notice { <div class="notice" id="rollup-notice">{ n }</div> }
            <form class="row card" onsubmit={load}>
                <label>{ "Kỳ báo cáo (YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY)" }
                    <input id="rollup-period" value={(*period).clone()} oninput={bind(&period)} /></label>
                <div style="flex:0"><button class="primary" id="rollup-load" type="submit" disabled={*busy}>{ "Xem" }</button></div>
            </form>
            if *busy { <div class="bar"><div class="indeterminate"></div></div> }
            { body }
            { enrol }
        </>
    }
}
