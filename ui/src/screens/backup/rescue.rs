//! Shown instead of everything else when the data file could not be opened at start: why, and
//! the ways on (a daily backup, a backup file, an empty file).

use kehoach_model::contract::{self as cmd, DataFileProblem};
use yew::prelude::*;

use crate::ipc;
use crate::screens::{error_box, non_blank, password_field, use_action};

#[derive(Properties, PartialEq)]
pub struct RescueProps {
    /// What the shell said at start (`startup_problem`).
    pub problem: DataFileProblem,
    /// Called once a data file is open again.
    pub on_rescued: Callback<()>,
}

/// Shown instead of everything else when the data file could not be opened at start.
#[function_component(RescueScreen)]
pub fn rescue_screen(p: &RescueProps) -> Html {
    let action = use_action();
    let pass = use_state(String::new);
    // `Pick`: a backup chosen in the file dialog; `Auto(path)`: one of the app's daily backups;
    // `Fresh`: none.
    #[derive(Clone)]
    enum Source {
        Pick,
        Auto(String),
        Fresh,
    }
    let act = |from: Source| {
        let (action, on_rescued, pass) = (action.clone(), p.on_rescued.clone(), pass.clone());
        Callback::from(move |_| {
            let (on_rescued, from) = (on_rescued.clone(), from.clone());
            let passphrase = non_blank(&pass);
            let step = async move {
                let backup = match from {
                    Source::Pick => match ipc::pick_open("Chọn bản sao lưu").await? {
                        Some(path) => Some(path),
                        None => return Ok(None),
                    },
                    Source::Auto(path) => Some(path),
                    Source::Fresh => None,
                };
                Ok(Some(ipc::call(&cmd::Rescue { backup, passphrase }).await?))
            };
            action.run(step, move || on_rescued.emit(()))
        })
    };
    let message = p.problem.message.clone();
    let can_set_aside = p.problem.can_set_aside;
    let autos: Vec<(String, String)> =
        p.problem.auto_backups.iter().map(|b| (b.path.clone(), crate::fmt::date_vn(&b.date))).collect();
    let auto_buttons = autos.iter().enumerate().map(|(i, (path, date))| {
        let class = if i == 0 { "primary" } else { "secondary" };
        html! {
            <button class={class} id={format!("rescue-auto-{i}")} onclick={act(Source::Auto(path.clone()))} disabled={*action.busy}>
                { format!("Bản tự động ngày {date}") }
            </button>
        }
    });
    html! {
        <main class="setup" id="startup-problem">
            <h1>{ "Không mở được dữ liệu" }</h1>
            <div class="error" role="alert" id="startup-reason">{ message }</div>
            if can_set_aside {
                <p>{ "Có thể làm tiếp theo một trong các cách dưới đây. Tệp không mở được sẽ được đổi tên và giữ lại bên cạnh (đuôi “.hong-…”), không bị xóa." }</p>
                if !autos.is_empty() {
                    <div class="card" id="rescue-autos">
                        <h2 style="margin-top:0">{ "Bản sao lưu tự động trên máy này" }</h2>
                        <p class="muted">{ "Phần mềm tự sao lưu mỗi ngày một lần. Chọn bản gần nhất; những thay đổi sau ngày đó sẽ được lấy lại từ các máy khác của xã hoặc máy chủ khi đồng bộ." }</p>
                        <div class="actions">{ for auto_buttons }</div>
                    </div>
                }
                <div class="card">
                    <h2 style="margin-top:0">{ "Khôi phục từ bản sao lưu" }</h2>
                    <p class="muted">{ "Chọn tệp sao lưu gần nhất (thường trên USB). Dữ liệu từ sau lần sao lưu đó sẽ được lấy lại từ các máy khác của xã hoặc máy chủ khi đồng bộ." }</p>
                    { password_field("rescue-passphrase", "Mật khẩu của bản sao lưu (nếu có)", &pass) }
                    <div class="actions"><button class={if autos.is_empty() { "primary" } else { "secondary" }} id="rescue-restore" onclick={act(Source::Pick)} disabled={*action.busy}>{ "Khôi phục từ bản sao lưu…" }</button></div>
                </div>
                <div class="card">
                    <h2 style="margin-top:0">{ "Bắt đầu với dữ liệu trống" }</h2>
                    <p class="muted">{ "Khi không có bản sao lưu: mở dữ liệu mới, rồi nhập thông tin của xã hoặc tham gia xã bằng lời mời từ máy khác để nhận lại dữ liệu." }</p>
                    <div class="actions"><button class="secondary" id="rescue-fresh" onclick={act(Source::Fresh)} disabled={*action.busy}>{ "Bắt đầu với dữ liệu trống" }</button></div>
                </div>
            }
            { error_box(&action.error) }
        </main>
    }
}
