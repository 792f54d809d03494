//! The sync screen's USB card: a bundle written or read, an invitation for a new PC of the
//! commune (with its optional passphrase), and joining with one.

use kehoach_model::contract::{self as cmd, ErrorKind, JoinReport};
use yew::prelude::*;

use super::labels::summary;
use super::steps::Steps;
use crate::ipc;
use crate::screens::join::JoinWithInvitation;
use crate::screens::password_field;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub steps: Steps,
    pub on_joined: Callback<JoinReport>,
}

#[function_component(UsbCard)]
pub fn usb_card(p: &Props) -> Html {
    // The invitation dialog is open; its optional passphrase.
    let inviting = use_state(|| false);
    let invite_pass = use_state(String::new);
    let export = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move {
                let Some(path) = ipc::pick_save("Lưu tệp đồng bộ", "kehoach-dong-bo.khsync").await? else {
                    return Ok(None);
                };
                let s = ipc::call(&cmd::SyncExport { path: path.clone() }).await?;
                let files = s.attachments;
                let missing = s.attachments_missing;
                let mut msg = format!("Đã ghi {} thay đổi và {files} tệp đính kèm vào {path}", s.ops);
                if missing > 0 {
                    msg += &format!(" ({missing} tệp đính kèm không có trên máy này nên không gửi kèm được)");
                }
                Ok(Some(msg))
            });
        })
    };
    let import = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move {
                let Some(path) = ipc::pick_open("Chọn tệp đồng bộ").await? else {
                    return Ok(None);
                };
                let first = ipc::call(&cmd::SyncImport { path: path.clone(), accept_device: false }).await;
                let report = match first {
                    Ok(r) => r,
                    // A sender not trusted yet: the officer compares its fingerprint (in the
                    // message) and may accept it.
                    Err(e) if e.kind == ErrorKind::Untrusted => {
                        let ok = web_sys::window()
                            .and_then(|w| {
                                w.confirm_with_message(&format!("{e}\n\nChấp nhận thiết bị này và nhập dữ liệu?")).ok()
                            })
                            .unwrap_or(false);
                        if !ok {
                            return Err(e.into());
                        }
                        ipc::call(&cmd::SyncImport { path, accept_device: true }).await?
                    }
                    Err(e) => return Err(e.into()),
                };
                let mut msg = format!("{} Tệp đính kèm mới: {}.", summary(&report.applied), report.attachments);
                for line in &report.new_devices {
                    msg += &format!("\n{line}");
                }
                Ok(Some(msg))
            });
        })
    };
    let open_invite = {
        let (inviting, invite_pass) = (inviting.clone(), invite_pass.clone());
        Callback::from(move |_| {
            invite_pass.set(String::new());
            inviting.set(true);
        })
    };
    let close_invite = {
        let inviting = inviting.clone();
        Callback::from(move |_| inviting.set(false))
    };
    let invite = {
        let (steps, inviting, invite_pass) = (p.steps.clone(), inviting.clone(), invite_pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pass = Some((*invite_pass).clone()).filter(|p| !p.is_empty());
            let inviting = inviting.clone();
            steps.run(async move {
                let Some(path) = ipc::pick_save("Lưu lời mời", "loi-moi-kehoach.khinvite").await? else {
                    return Ok(None);
                };
                let protected = pass.is_some();
                ipc::call(&cmd::SyncInvite { path: path.clone(), passphrase: pass }).await?;
                inviting.set(false);
                Ok(Some(if protected {
                    format!("Đã tạo lời mời có mật khẩu: {path}. Mang tệp này sang máy mới và chọn “Tham gia xã”; báo mật khẩu cho người dùng máy mới riêng (gọi điện hoặc gặp trực tiếp), không gửi kèm tệp.")
                } else {
                    format!("Đã tạo lời mời: {path}. Mang tệp này sang máy mới và chọn “Tham gia xã”.")
                }))
            });
        })
    };
    let busy = p.steps.busy();
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Đồng bộ bằng USB (khi không có mạng)" }</h2>
            <div class="actions">
                <button class="primary" id="sync-export" onclick={export} disabled={busy}>{ "Xuất tệp đồng bộ…" }</button>
                <button class="secondary" id="sync-import" onclick={import} disabled={busy}>{ "Nhập tệp đồng bộ…" }</button>
            </div>
            <h2>{ "Thêm máy của xã" }</h2>
            <div class="actions">
                <button class="secondary" id="sync-invite" onclick={open_invite} disabled={busy}>{ "Tạo lời mời…" }</button>
                <JoinWithInvitation button_id="sync-join" class="secondary" on_joined={p.on_joined.clone()} />
            </div>
            if *inviting {
                <form class="card" id="invite-dialog" onsubmit={invite}>
                    <p>{ "Lời mời chứa toàn bộ dữ liệu của xã và cho một máy mới vào xã trong 7 ngày. Nên đặt mật khẩu: ai nhặt được tệp mà không biết mật khẩu thì không mở được." }</p>
                    { password_field("invite-passphrase", "Mật khẩu cho lời mời (không bắt buộc, ít nhất 8 ký tự)", &invite_pass) }
                    <p class="muted">{ "Báo mật khẩu cho người dùng máy mới riêng (gọi điện, gặp trực tiếp), không ghi cùng tệp." }</p>
                    <div class="actions">
                        <button class="primary" type="submit" id="invite-save" disabled={busy}>{ "Chọn nơi lưu lời mời…" }</button>
                        <button class="secondary" type="button" id="invite-cancel" onclick={close_invite}>{ "Thôi" }</button>
                    </div>
                </form>
            }
        </div>
    }
}
