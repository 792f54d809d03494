//! "Sao lưu dữ liệu": a backup of this PC on a USB stick, and restoring from one — on the
//! "Cài đặt" screen, and on the first screen of a reinstalled PC.

use kehoach_model::contract::{self as cmd, BackupSummary, DataFileProblem, RestoreMode};
use kehoach_model::format_size_vi;
use yew::prelude::*;

use super::{error_box, non_blank, password_field, use_action};
use crate::fmt::{local_time, today_iso};
use crate::ipc;

/// Asks for a backup file and restores it; `None` when the officer cancels. The message says
/// what came back.
async fn restore_from_file(passphrase: String) -> Result<Option<String>, String> {
    let Some(path) = ipc::pick_open("Chọn bản sao lưu").await? else { return Ok(None) };
    let r = ipc::call(&cmd::BackupRestore { path, passphrase: non_blank(&passphrase) }).await?;
    let commune = r.commune.as_deref().unwrap_or("xã");
    let files = r.files;
    Ok(Some(if r.mode == RestoreMode::Whole {
        let new_device = if r.new_device {
            " Bản sao lưu không đặt mật khẩu nên không mang khóa của máy cũ: máy này là một máy mới của xã. \
             Hãy nhận lời mời từ một máy khác của xã, hoặc để máy đó chấp nhận tệp đồng bộ đầu tiên của máy này."
        } else {
            ""
        };
        format!("Đã khôi phục dữ liệu của {commune}: {} thay đổi, {files} tệp đính kèm.{new_device}", r.ops)
    } else {
        let applied = r.applied.applied;
        let had = r.applied.duplicates;
        if applied == 0 {
            format!("Máy này đã có đủ dữ liệu trong bản sao lưu ({had} thay đổi); không có gì thay đổi.")
        } else {
            format!("Đã lấy lại {applied} thay đổi còn thiếu từ bản sao lưu ({had} thay đổi máy đã có), {files} tệp đính kèm.")
        }
    }))
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Called after a restore: the data (and, on a reinstalled PC, the commune) changed.
    pub on_restored: Callback<()>,
}

/// The backup card of the "Cài đặt" screen.
#[function_component(BackupPanel)]
pub fn backup_panel(p: &Props) -> Html {
    let last = use_state(|| None::<BackupSummary>);
    let action = use_action();
    let pass = use_state(String::new);
    let reload = {
        let last = last.clone();
        move || {
            let last = last.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(v) = ipc::call(&cmd::BackupLast {}).await {
                    last.set(v);
                }
            });
        }
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload());
    }
    let save = {
        let (action, reload, pass) = (action.clone(), reload.clone(), pass.clone());
        Callback::from(move |_| {
            let passphrase = non_blank(&pass);
            let step = async move {
                let name = format!("kehoach-sao-luu-{}.sqlite3", today_iso());
                let Some(path) = ipc::pick_save("Lưu bản sao lưu", &name).await? else { return Ok(None) };
                let s = ipc::call(&cmd::BackupCreate { path, passphrase }).await?;
                let lock = if s.encrypted { ", có mật khẩu" } else { "" };
                Ok(Some(format!(
                    "Đã sao lưu {} thay đổi và {} tệp đính kèm vào {} ({}{lock}).",
                    s.ops,
                    s.files,
                    s.path,
                    format_size_vi(s.bytes)
                )))
            };
            action.run(step, reload.clone())
        })
    };
    let restore = {
        let (action, on_restored, reload, pass) = (action.clone(), p.on_restored.clone(), reload.clone(), pass.clone());
        Callback::from(move |_| {
            let (on_restored, reload) = (on_restored.clone(), reload.clone());
            action.run(restore_from_file((*pass).clone()), move || {
                reload();
                on_restored.emit(());
            })
        })
    };
    let last_line = match &*last {
        Some(v) => format!(
            "Lần sao lưu gần nhất: {} — {}{}",
            local_time(&v.created_at),
            v.path,
            if v.encrypted { " (có mật khẩu)" } else { "" }
        ),
        None => "Máy này chưa sao lưu lần nào.".into(),
    };
    html! {
        <div class="card" id="backup">
            <h2 style="margin-top:0">{ "Sao lưu dữ liệu" }</h2>
            <p class="muted">{ "Chép toàn bộ dữ liệu của máy này — kế hoạch, báo cáo, tệp đính kèm — vào một tệp, ví dụ trên USB; khi đặt mật khẩu, tệp mang cả khóa của máy (đã mã hóa). Khi máy hỏng hoặc phải cài lại, chọn “Khôi phục từ bản sao lưu…” để lấy lại. Giữ tệp sao lưu cẩn thận như chính máy tính." }</p>
            <p id="backup-last">{ last_line }</p>
            { password_field("backup-passphrase", "Mật khẩu cho bản sao lưu (nên đặt, ít nhất 8 ký tự; có mật khẩu thì khi khôi phục máy vẫn là máy cũ của xã; phải nhập lại khi khôi phục, hãy ghi nhớ)", &pass) }
            { action.outcome("backup-notice") }
            <div class="actions">
                <button class="primary" id="backup-save" onclick={save} disabled={*action.busy}>{ "Sao lưu ra tệp…" }</button>
                <button class="secondary" id="backup-restore" onclick={restore} disabled={*action.busy}>{ "Khôi phục từ bản sao lưu…" }</button>
            </div>
        </div>
    }
}

/// On the first screen: a reinstalled or replaced PC takes its data back from a backup.
#[function_component(RestoreFromBackup)]
pub fn restore_from_backup(p: &Props) -> Html {
    let action = use_action();
    let pass = use_state(String::new);
    let restore = {
        let (action, on_restored, pass) = (action.clone(), p.on_restored.clone(), pass.clone());
        Callback::from(move |_| {
            let on_restored = on_restored.clone();
            action.run(restore_from_file((*pass).clone()), move || on_restored.emit(()))
        })
    };
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Máy cài lại hoặc thay máy mới?" }</h2>
            <p class="muted">{ "Nếu có bản sao lưu của máy cũ (tệp .sqlite3 tạo bằng “Sao lưu ra tệp…”), chọn tệp đó: dữ liệu và thông tin của xã được lấy lại; bản sao lưu có mật khẩu còn mang khóa của máy, nên máy vẫn là máy cũ của xã." }</p>
            { password_field("restore-passphrase", "Mật khẩu của bản sao lưu (nếu có)", &pass) }
            { error_box(&action.error) }
            <div class="actions"><button class="secondary" id="restore-backup" onclick={restore} disabled={*action.busy}>{ "Khôi phục từ bản sao lưu…" }</button></div>
        </div>
    }
}

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

/// Days after which "Tổng quan" reminds the officer to copy the data to a USB stick again.
const REMIND_AFTER_DAYS: f64 = 30.0;

#[derive(Properties, PartialEq)]
pub struct ReminderProps {
    /// Opens "Cài đặt", where the backup button is.
    pub on_open: Callback<()>,
}

/// On "Tổng quan": a reminder when this PC has never been backed up to a file, or not for a
/// month. The daily automatic backup sits on the same disk; only a copy elsewhere survives
/// the disk.
#[function_component(BackupReminder)]
pub fn backup_reminder(p: &ReminderProps) -> Html {
    // `None` while loading; `Some(None)` when there is no reminder to show.
    let text = use_state(|| None::<Option<String>>);
    {
        let text = text.clone();
        // Read when "Tổng quan" opens; a backup is made on another screen, so data changes
        // while it is open cannot end the reminder.
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(last) = ipc::call(&cmd::BackupLast {}).await else { return };
                let msg = match last.as_ref().map(|b| b.created_at.as_str()) {
                    None => Some("Dữ liệu của máy này chưa được sao lưu ra USB lần nào.".to_string()),
                    Some(at) => {
                        let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(at)).get_time();
                        let days = ((js_sys::Date::now() - then) / 86_400_000.0).floor();
                        (days >= REMIND_AFTER_DAYS)
                            .then(|| format!("Đã {days} ngày kể từ lần sao lưu ra USB gần nhất ({}).", local_time(at)))
                    }
                };
                text.set(Some(msg));
            });
        });
    }
    let Some(Some(msg)) = &*text else { return html! {} };
    let on_open = p.on_open.clone();
    html! {
        <div class="reminder" id="backup-reminder">
            <span>{ msg.clone() }{ " Nếu máy hỏng, chỉ bản sao lưu để ở nơi khác mới giữ được dữ liệu." }</span>
            <button class="secondary" id="backup-reminder-go" onclick={Callback::from(move |_| on_open.emit(()))}>{ "Sao lưu ngay…" }</button>
        </div>
    }
}
