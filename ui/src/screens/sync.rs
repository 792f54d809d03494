//! Đồng bộ: hub settings and status, USB bundles, invitations, conflicts. One file per card;
//! the cards share one busy bar and one message line ([`steps::Steps`]).

use kehoach_model::contract::{self as cmd, JoinReport};
use yew::prelude::*;

use super::devices::CommuneDevices;
use super::join::joined_message;
use super::{error_box, use_action};
use crate::hooks::use_query;
use crate::ipc;
use labels::{set_aside_table, summary};

mod conflicts;
mod hub;
mod labels;
mod status;
mod steps;
mod usb;

#[function_component(SyncScreen)]
pub fn sync_screen() -> Html {
    let reload = use_state(|| 0u32);
    let status = use_query(*reload, |_| cmd::SyncStatus {});
    let action = use_action();
    let steps = steps::Steps { action: action.clone(), reload: reload.clone() };

    {
        // Listened to once: a listener added at every data change would pile up, each asking
        // for the status again at every sync.
        let data = status.data.clone();
        use_effect_with((), move |_| {
            ipc::listen("sync-state", move || {
                let data = data.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(s) = ipc::call(&cmd::SyncStatus {}).await {
                        data.set(Some(s));
                    }
                });
            });
        });
    }
    let joined = {
        let (notice, reload) = (action.notice.clone(), reload.clone());
        Callback::from(move |r: JoinReport| {
            notice.set(Some(format!("{} {}", joined_message(&r), summary(&r.applied))));
            reload.set(*reload + 1);
        })
    };

    // The steps' error first, else the status's.
    let error = (*action.error).clone().or_else(|| (*status.error).clone());
    let Some(s) = (*status.data).clone() else {
        return html! { <>{ error_box(&error) }<p class="muted">{ "Đang tải…" }</p></> };
    };
    html! {
        <>
            <h1>{ "Đồng bộ" }</h1>
            { error_box(&error) }
            if let Some(n) = &*action.notice { <div class="notice" id="sync-notice">{ n }</div> }
            if *action.busy { <div class="bar" id="sync-busy"><div class="indeterminate"></div></div> }
            <status::StatusCard status={s.clone()} steps={steps.clone()} />
            <hub::HubCard hub_url={s.state.hub_url.clone()} hub_ca={s.hub_ca} steps={steps.clone()} />
            <usb::UsbCard steps={steps.clone()} on_joined={joined} />
            <CommuneDevices reload={*reload} />
            <conflicts::ConflictList conflicts={s.conflicts.clone()} {steps} />
            if !s.set_aside.is_empty() { { set_aside_table(&s.set_aside) } }
        </>
    }
}
