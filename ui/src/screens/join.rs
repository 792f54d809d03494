//! Joining the commune with an invitation file, shared by the first screen of a new install
//! and the Đồng bộ screen. An invitation protected by a passphrase (issue 14, point 5) is
//! recognised once chosen, and the passphrase asked for before anything is read into the data;
//! a wrong one is refused with the shell's message and the officer can type it again.

use kehoach_model::contract::{self as cmd, JoinReport};
use yew::prelude::*;

use super::{password_field, use_action};
use crate::ipc;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The id of the "Tham gia xã bằng lời mời…" button.
    pub button_id: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    /// With the join report, once this PC has joined.
    pub on_joined: Callback<JoinReport>,
}

/// "Đã tham gia xã." with the devices the invitation made known ("Máy mới: …").
pub fn joined_message(r: &JoinReport) -> String {
    let mut msg = "Đã tham gia xã.".to_string();
    for line in &r.new_devices {
        msg += &format!("\n{line}");
    }
    msg
}

#[function_component(JoinWithInvitation)]
pub fn join_with_invitation(p: &Props) -> Html {
    let action = use_action();
    // The protected invitation chosen, waiting for its passphrase.
    let protected = use_state(|| None::<String>);
    let passphrase = use_state(String::new);
    let pick = {
        let (action, protected, passphrase, on_joined) =
            (action.clone(), protected.clone(), passphrase.clone(), p.on_joined.clone());
        Callback::from(move |_| {
            let (protected, passphrase, on_joined) = (protected.clone(), passphrase.clone(), on_joined.clone());
            let step = async move {
                let Some(path) = ipc::pick_open("Chọn tệp lời mời").await? else { return Ok(None) };
                if ipc::call(&cmd::InvitationNeedsPassphrase { path: path.clone() }).await? {
                    passphrase.set(String::new());
                    protected.set(Some(path));
                    return Ok(Some(
                        "Lời mời này có mật khẩu: nhập mật khẩu do người tạo lời mời báo cho bạn rồi bấm “Tham gia”."
                            .into(),
                    ));
                }
                let r = ipc::call(&cmd::SyncJoin { path, passphrase: None }).await?;
                let msg = joined_message(&r);
                on_joined.emit(r);
                Ok(Some(msg))
            };
            action.run(step, || {})
        })
    };
    let join = {
        let (action, protected, passphrase, on_joined) =
            (action.clone(), protected.clone(), passphrase.clone(), p.on_joined.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(path) = (*protected).clone() else { return };
            let (protected, on_joined) = (protected.clone(), on_joined.clone());
            let pass = (*passphrase).clone();
            let step = async move {
                let r = ipc::call(&cmd::SyncJoin { path, passphrase: Some(pass) }).await?;
                protected.set(None);
                let msg = joined_message(&r);
                on_joined.emit(r);
                Ok(Some(msg))
            };
            action.run(step, || {})
        })
    };
    let cancel = {
        let (protected, action) = (protected.clone(), action.clone());
        Callback::from(move |_| {
            protected.set(None);
            action.notice.set(None);
            action.error.set(None);
        })
    };
    html! {
        <>
            <button class={p.class.clone()} id={p.button_id.clone()} onclick={pick} disabled={*action.busy}>{ "Tham gia xã bằng lời mời…" }</button>
            { action.outcome("join-notice") }
            if protected.is_some() {
                <form class="row" id="join-passphrase-form" onsubmit={join}>
                    { password_field("join-passphrase", "Mật khẩu của lời mời", &passphrase) }
                    <div style="flex:0;align-self:flex-end" class="actions">
                        <button class="primary" type="submit" id="join-with-passphrase" disabled={*action.busy}>{ "Tham gia" }</button>
                        <button class="secondary" type="button" id="join-cancel" onclick={cancel}>{ "Thôi" }</button>
                    </div>
                </form>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct JoinProps {
    /// Called once this PC has joined: the commune's settings came with the invitation.
    pub on_joined: Callback<()>,
}

/// On the first screen of a new install: a PC of a commune that already uses kehoach joins it
/// with an invitation file instead of typing the commune's settings again.
#[function_component(JoinFromInvitation)]
pub fn join_from_invitation(p: &JoinProps) -> Html {
    let joined = p.on_joined.reform(|_: JoinReport| ());
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Máy của xã đã dùng phần mềm?" }</h2>
            <p class="muted">{ "Trên máy đã dùng, vào Đồng bộ → “Tạo lời mời…”, chép tệp lời mời sang máy này rồi chọn tệp đó. Thông tin của xã và dữ liệu sẽ được chép sang." }</p>
            <div class="actions"><JoinWithInvitation button_id="join-invite" class="secondary" on_joined={joined} /></div>
        </div>
    }
}
