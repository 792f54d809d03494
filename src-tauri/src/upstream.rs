//! "Kế hoạch cấp trên" (issue 17): the level above's plans received on this commune PC, the
//! derive step, a new version's changes. The steps are `kehoach_cli::flow` and
//! `kehoach_sync::publish`, shared with the `kehoach` command.

use kehoach_core::upstream;
use kehoach_model::contract::{self as cmd, CommandError};
use tauri::State;

use crate::{read_file, with, with_change, Ans, App};

#[tauri::command]
pub fn upstream_plans(app: State<App>, req: cmd::UpstreamPlans) -> Ans<cmd::UpstreamPlans> {
    let cmd::UpstreamPlans {} = req;
    with(&app, |s| upstream::list(s))
}

/// The commune's plan proposed from a received plan of the level above.
#[tauri::command]
pub fn derive_proposal(app: State<App>, req: cmd::DeriveProposal) -> Ans<cmd::DeriveProposal> {
    with(&app, |s| kehoach_cli::flow::proposal(s, req.parent))
}

/// The commune's plan proposed from the level above's document being imported.
#[tauri::command]
pub fn derive_from_imported(app: State<App>, req: cmd::DeriveFromImported) -> Ans<cmd::DeriveFromImported> {
    with(&app, |s| kehoach_core::queries::settings(s).map(|st| kehoach_import::derive::from_imported(&req.plan, &st)))
}

/// A plan of the level above from a file (a USB stick); `accept` trusts a first PC of the
/// level above after the officer compared its fingerprint.
#[tauri::command]
pub fn receive_upstream_file(
    app: State<App>,
    handle: tauri::AppHandle,
    req: cmd::ReceiveUpstreamFile,
) -> Ans<cmd::ReceiveUpstreamFile> {
    let bytes = read_file(std::path::Path::new(&req.path))?;
    if bytes.len() > kehoach_sync::publish::MAX_BYTES {
        return Err(CommandError::invalid("Tệp quá lớn, không phải kế hoạch cấp trên"));
    }
    with_change(&app, &handle, |s| kehoach_sync::publish::receive_all(s, &[bytes], req.accept))
}

/// The plans of the level above the hub keeps for this commune.
#[tauri::command]
pub fn receive_upstream_hub(
    app: State<App>,
    handle: tauri::AppHandle,
    req: cmd::ReceiveUpstreamHub,
) -> Ans<cmd::ReceiveUpstreamHub> {
    with_change(&app, &handle, |s| {
        let Some(url) = kehoach_sync::hub_url(s)? else {
            return Err(kehoach_sync::SyncError::Hub(
                "chưa đặt địa chỉ máy chủ đồng bộ (màn hình Đồng bộ); hoặc nhận kế hoạch từ tệp".into(),
            ));
        };
        let client = kehoach_sync::HubClient::for_store(s, &url)?;
        let files = kehoach_sync::publish::fetch_bytes(&client, s)?;
        kehoach_sync::publish::receive_all(s, &files, req.accept)
    })
}

/// What a newer version of the level above's plan changes for the commune's plan `plan`.
#[tauri::command]
pub fn plan_amendment(app: State<App>, req: cmd::PlanAmendment) -> Ans<cmd::PlanAmendment> {
    with(&app, |s| kehoach_cli::flow::amendment(s, req.plan))
}

/// Carries the ticked changes into the commune's plan.
#[tauri::command]
pub fn carry_amendment(
    app: State<App>,
    handle: tauri::AppHandle,
    req: cmd::CarryAmendment,
) -> Ans<cmd::CarryAmendment> {
    with_change(&app, &handle, |s| kehoach_cli::flow::carry(s, &req.amendment))
}
