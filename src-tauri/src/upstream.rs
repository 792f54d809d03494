//! "Kế hoạch cấp trên" (issue 17): the level above's plans received on this commune PC, the
//! derive step, a new version's changes. The steps are `kehoach_cli::flow` and
//! `kehoach_sync::publish`, shared with the `kehoach` command.

use kehoach_core::upstream;
use kehoach_model::{Amendment, DeriveProposal, ImportedPlan, Plan, ReceiveOutcome, UpstreamPlan};
use tauri::State;
use uuid::Uuid;

use crate::{with, with_change, App, Res};

#[tauri::command]
pub fn upstream_plans(app: State<App>) -> Res<Vec<UpstreamPlan>> {
    with(&app, |s| upstream::list(s))
}

/// The commune's plan proposed from a received plan of the level above.
#[tauri::command]
pub fn derive_proposal(app: State<App>, parent: Uuid) -> Res<DeriveProposal> {
    with(&app, |s| kehoach_cli::flow::proposal(s, parent))
}

/// The commune's plan proposed from the level above's document being imported.
#[tauri::command]
pub fn derive_from_imported(app: State<App>, plan: ImportedPlan) -> Res<DeriveProposal> {
    with(&app, |s| kehoach_core::queries::settings(s).map(|st| kehoach_import::derive::from_imported(&plan, &st)))
}

/// A plan of the level above from a file (a USB stick); `accept` trusts a first PC of the
/// level above after the officer compared its fingerprint.
#[tauri::command]
pub fn receive_upstream_file(
    app: State<App>,
    handle: tauri::AppHandle,
    path: String,
    accept: bool,
) -> Res<ReceiveOutcome> {
    let bytes = std::fs::read(&path).map_err(|e| format!("Không đọc được tệp {path}: {e}"))?;
    if bytes.len() > kehoach_sync::publish::MAX_BYTES {
        return Err("Tệp quá lớn, không phải kế hoạch cấp trên".into());
    }
    with_change(&app, &handle, |s| kehoach_sync::publish::receive_all(s, &[bytes], accept))
}

/// The plans of the level above the hub keeps for this commune.
#[tauri::command]
pub fn receive_upstream_hub(app: State<App>, handle: tauri::AppHandle, accept: bool) -> Res<ReceiveOutcome> {
    with_change(&app, &handle, |s| {
        let Some(url) = kehoach_sync::hub_url(s)? else {
            return Err(kehoach_sync::SyncError::Hub(
                "chưa đặt địa chỉ máy chủ đồng bộ (màn hình Đồng bộ); hoặc nhận kế hoạch từ tệp".into(),
            ));
        };
        let client = kehoach_sync::HubClient::for_store(s, &url)?;
        let files = kehoach_sync::publish::fetch_bytes(&client, s)?;
        kehoach_sync::publish::receive_all(s, &files, accept)
    })
}

/// What a newer version of the level above's plan changes for the commune's plan `plan`.
#[tauri::command]
pub fn plan_amendment(app: State<App>, plan: Uuid) -> Res<Option<Amendment>> {
    with(&app, |s| kehoach_cli::flow::amendment(s, plan))
}

/// Carries the ticked changes into the commune's plan.
#[tauri::command]
pub fn carry_amendment(app: State<App>, handle: tauri::AppHandle, amendment: Amendment) -> Res<Plan> {
    with_change(&app, &handle, |s| kehoach_cli::flow::carry(s, &amendment))
}
