use kehoach_model::contract::{self as cmd, ErrorKind, JoinReport, SyncOverview};
use serde_json::Value;
use yew::prelude::*;

use super::devices::CommuneDevices;
use super::join::{joined_message, JoinWithInvitation};
use super::{bind, error_box, password_field};
use crate::hooks::use_data_version;
use crate::ipc;
use labels::{field_label, set_aside_table, summary};

mod labels;

/// "2026-11-24T08:05:00+00:00" → "08:05 ngày 24/11/2026" (UTC as stored; good enough to see
/// whether sync is recent).
fn when(ts: &Option<String>) -> String {
    let Some(t) = ts else { return "chưa lần nào".into() };
    crate::fmt::local_time(t)
}

/// A field's value as the officer reads it (statuses by their Vietnamese names).
fn show(field: &str, v: &Value) -> String {
    if field == "status" {
        if let Some(st) = v.as_str().and_then(kehoach_model::TaskStatus::parse) {
            return st.label_vi().to_string();
        }
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(trống)".into(),
        other => other.to_string(),
    }
}

/// Đồng bộ: hub settings and status, USB bundles, invitations, conflicts.
#[function_component(SyncScreen)]
pub fn sync_screen() -> Html {
    let version = use_data_version();
    let status = use_state(|| None::<SyncOverview>);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let url = use_state(String::new);
    let reload = use_state(|| 0u32);
    // The invitation dialog is open; its optional passphrase.
    let inviting = use_state(|| false);
    let invite_pass = use_state(String::new);

    {
        // Listened to once: a listener added at every data change would pile up, each asking
        // for the status again at every sync.
        let status = status.clone();
        use_effect_with((), move |_| {
            ipc::listen("sync-state", move || {
                let status = status.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(s) = ipc::call(&cmd::SyncStatus {}).await {
                        status.set(Some(s));
                    }
                });
            });
        });
    }
    {
        let (status, error, url) = (status.clone(), error.clone(), url.clone());
        use_effect_with((version, *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::SyncStatus {}).await {
                    Ok(s) => {
                        url.set(s.state.hub_url.clone().unwrap_or_default());
                        status.set(Some(s));
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }

    // Runs one async action with the busy indicator, showing its message or error.
    let run = {
        let (error, notice, busy, reload) = (error.clone(), notice.clone(), busy.clone(), reload.clone());
        move |fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<String>, String>>>>| {
            let (error, notice, busy, reload) = (error.clone(), notice.clone(), busy.clone(), reload.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match fut.await {
                    Ok(msg) => {
                        error.set(None);
                        notice.set(msg);
                    }
                    Err(e) => {
                        notice.set(None);
                        error.set(Some(e));
                    }
                }
                busy.set(false);
                reload.set(*reload + 1);
            });
        }
    };

    let save_url = {
        let (url, run) = (url.clone(), run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let u = (*url).clone();
            run(Box::pin(async move {
                ipc::call(&cmd::SetHubUrl { url: u }).await?;
                Ok(Some("Đã lưu địa chỉ máy chủ".into()))
            }));
        })
    };
    let install_ca = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move {
                let Some(path) = ipc::pick_open("Chọn tệp chứng chỉ gốc (.pem) của máy chủ").await?
                else {
                    return Ok(None);
                };
                ipc::call(&cmd::SetHubCa { path: Some(path) }).await?;
                Ok(Some("Đã cài chứng chỉ gốc của máy chủ".into()))
            }));
        })
    };
    let remove_ca = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move {
                ipc::call(&cmd::SetHubCa { path: None }).await?;
                Ok(Some("Đã bỏ chứng chỉ gốc riêng; máy chủ được kiểm tra theo hệ điều hành".into()))
            }));
        })
    };
    let sync_now = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move { ipc::call(&cmd::SyncNow {}).await.map(Some).map_err(String::from) }));
        })
    };
    let found = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move {
                let id: String = ipc::call(&cmd::FoundCommune {}).await?;
                Ok(Some(format!("Đã lập mã xã {id}. Các máy khác của xã tham gia bằng lời mời từ máy này.")))
            }));
        })
    };
    let export = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move {
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
            }));
        })
    };
    let import = {
        let run = run.clone();
        Callback::from(move |_| {
            run(Box::pin(async move {
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
            }));
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
        let (run, inviting, invite_pass) = (run.clone(), inviting.clone(), invite_pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pass = Some((*invite_pass).clone()).filter(|p| !p.is_empty());
            let inviting = inviting.clone();
            run(Box::pin(async move {
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
            }));
        })
    };
    let joined = {
        let (notice, reload) = (notice.clone(), reload.clone());
        Callback::from(move |r: JoinReport| {
            notice.set(Some(format!("{} {}", joined_message(&r), summary(&r.applied))));
            reload.set(*reload + 1);
        })
    };

    let Some(s) = (*status).clone() else {
        return html! { <>{ error_box(&error) }<p class="muted">{ "Đang tải…" }</p></> };
    };
    let conflicts = s.conflicts.iter().map(|c| {
        let pick = |v: &Value| {
            let run = run.clone();
            let (entity, field, value) = (c.entity, c.field.clone(), v.clone());
            Callback::from(move |_| {
                let (field, value) = (field.clone(), value.clone());
                run(Box::pin(async move {
                    ipc::call(&cmd::ResolveConflict { entity, field, value }).await?;
                    Ok(Some("Đã chọn giá trị".into()))
                }));
            })
        };
        html! {
            <tr class="conflict-row">
                <td>{ field_label(&c.kind, &c.field) }</td>
                <td>{ show(&c.field, &c.kept) }<div><button class="secondary" onclick={pick(&c.kept)}>{ "Giữ giá trị này" }</button></div></td>
                <td>{ show(&c.field, &c.lost) }<div class="muted">{ format!("từ máy {}", &c.lost_device.to_string()[..8]) }</div>
                    <div><button class="secondary" onclick={pick(&c.lost)}>{ "Dùng giá trị này" }</button></div></td>
            </tr>
        }
    });
    html! {
        <>
            <h1>{ "Đồng bộ" }</h1>
            { error_box(&error) }
            if let Some(n) = &*notice { <div class="notice" id="sync-notice">{ n }</div> }
            if *busy { <div class="bar" id="sync-busy"><div class="indeterminate"></div></div> }
            <div class="card">
                <p>{ "Máy này: " }<code id="device-id">{ &s.device_id }</code>
                    { s.fingerprint.as_ref().map(|f| format!(" — dấu vân tay khóa {f}")).unwrap_or_default() }</p>
                if let Some(c) = &s.commune_id {
                    <p id="commune-id">{ format!("Đã tham gia xã (mã {c}); {} máy khác được tin cậy.", s.trusted_devices) }</p>
                } else {
                    <p>{ "Máy này chưa tham gia xã nào: tạo lời mời trên máy đầu tiên, hoặc tham gia bằng lời mời." }</p>
                    <p class="muted">{ "Máy đầu tiên của xã chỉ đồng bộ qua máy chủ, chưa cần mời máy nào? Lập mã xã tại đây. Các máy khác của xã không lập mã riêng mà tham gia bằng lời mời." }</p>
                    <div class="actions"><button class="secondary" id="found-commune" onclick={found} disabled={*busy}>{ "Đây là máy đầu tiên của xã: lập mã xã" }</button></div>
                }
                if let Some(k) = &s.public_key {
                    <details><summary>{ "Thông tin để đăng ký với máy chủ đồng bộ" }</summary>
                        <p class="muted">{ "Gửi cho người quản trị máy chủ: mã xã, mã máy và khóa công khai." }</p>
                        <p>{ "Khóa công khai: " }<code id="public-key">{ k }</code></p>
                    </details>
                }
                <p>{ "Số thay đổi trong nhật ký đồng bộ: " }<strong id="op-count">{ s.ops }</strong></p>
                <p>{ "Lần đồng bộ thành công gần nhất: " }{ when(&s.state.last_ok) }</p>
                if let Some(e) = &s.state.last_error { <p class="muted">{ format!("Lần thử gần nhất ({}) không thành công: {e}", when(&s.state.last_attempt)) }</p> }
            </div>
            <div class="card">
                <h2 style="margin-top:0">{ "Máy chủ đồng bộ (khi có mạng)" }</h2>
                <form onsubmit={save_url} class="row">
                    <input id="hub-url" placeholder="https://dongbo.tinh.gov.vn hoặc http://192.168.1.10:8080" value={(*url).clone()} oninput={bind(&url)} />
                    <div style="flex:0"><button class="secondary" type="submit" id="hub-url-save">{ "Lưu" }</button></div>
                </form>
                <p class="muted">{ "Khi có mạng, phần mềm tự đồng bộ mỗi 30 giây; mất mạng thì tự thử lại." }</p>
                <p id="hub-ca">{ if s.hub_ca {
                    "Chứng chỉ máy chủ (https): kiểm tra theo chứng chỉ gốc riêng của tỉnh đã cài."
                } else {
                    "Chứng chỉ máy chủ (https): kiểm tra theo hệ điều hành. Nếu tỉnh dùng chứng chỉ gốc riêng, hãy cài tệp đó."
                } }</p>
                <div class="actions">
                    <button class="secondary" id="hub-ca-install" onclick={install_ca} disabled={*busy}>{ "Cài chứng chỉ gốc của máy chủ…" }</button>
                    if s.hub_ca { <button class="secondary" id="hub-ca-remove" onclick={remove_ca} disabled={*busy}>{ "Bỏ chứng chỉ gốc riêng" }</button> }
                </div>
                <div class="actions"><button class="primary" id="sync-now" onclick={sync_now} disabled={*busy}>{ "Đồng bộ ngay" }</button></div>
            </div>
            <div class="card">
                <h2 style="margin-top:0">{ "Đồng bộ bằng USB (khi không có mạng)" }</h2>
                <div class="actions">
                    <button class="primary" id="sync-export" onclick={export} disabled={*busy}>{ "Xuất tệp đồng bộ…" }</button>
                    <button class="secondary" id="sync-import" onclick={import} disabled={*busy}>{ "Nhập tệp đồng bộ…" }</button>
                </div>
                <h2>{ "Thêm máy của xã" }</h2>
                <div class="actions">
                    <button class="secondary" id="sync-invite" onclick={open_invite} disabled={*busy}>{ "Tạo lời mời…" }</button>
                    <JoinWithInvitation button_id="sync-join" class="secondary" on_joined={joined} />
                </div>
                if *inviting {
                    <form class="card" id="invite-dialog" onsubmit={invite}>
                        <p>{ "Lời mời chứa toàn bộ dữ liệu của xã và cho một máy mới vào xã trong 7 ngày. Nên đặt mật khẩu: ai nhặt được tệp mà không biết mật khẩu thì không mở được." }</p>
                        { password_field("invite-passphrase", "Mật khẩu cho lời mời (không bắt buộc, ít nhất 8 ký tự)", &invite_pass) }
                        <p class="muted">{ "Báo mật khẩu cho người dùng máy mới riêng (gọi điện, gặp trực tiếp), không ghi cùng tệp." }</p>
                        <div class="actions">
                            <button class="primary" type="submit" id="invite-save" disabled={*busy}>{ "Chọn nơi lưu lời mời…" }</button>
                            <button class="secondary" type="button" id="invite-cancel" onclick={close_invite}>{ "Thôi" }</button>
                        </div>
                    </form>
                }
            </div>
            <CommuneDevices reload={*reload} />
            <h2>{ format!("Xung đột chờ xử lý ({})", s.conflicts.len()) }</h2>
            if s.conflicts.is_empty() {
                <p class="muted">{ "Không có xung đột." }</p>
            } else {
                <p class="muted">{ "Hai máy đã sửa cùng một nội dung khi chưa đồng bộ. Không giá trị nào bị mất: hãy chọn giá trị đúng." }</p>
                <table id="conflicts"><thead><tr><th>{ "Nội dung" }</th><th>{ "Giá trị đang dùng" }</th><th>{ "Giá trị từ máy khác" }</th></tr></thead>
                <tbody>{ for conflicts }</tbody></table>
            }
            if !s.set_aside.is_empty() { { set_aside_table(&s.set_aside) } }
        </>
    }
}
