//! "Sao lưu dữ liệu": a backup of this PC on a USB stick, and restoring from one — on the
//! "Cài đặt" screen, and on the first screen of a reinstalled PC.

use kehoach_model::contract::{self as cmd, BackupSummary, RestoreMode};
use kehoach_model::format_size_vi;
use yew::prelude::*;

use super::{error_box, non_blank, password_field, use_action};
use crate::fmt::{local_time, today_iso};
use crate::ipc;

mod rescue;
pub use rescue::RescueScreen;

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
