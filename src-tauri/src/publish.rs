//! "Gửi kế hoạch xuống các xã" on a district (or province) PC (issue 17): its plans with the
//! version last sent, sending one (through the hub when one is set, and/or as a file for a
//! commune's USB stick), and which communes have taken on each of its tasks. The steps are
//! `kehoach_sync::publish` and `kehoach_cli::flow`, shared with `kehoach plan publish|coverage`.
//! Network work runs on the sync side's connection, as the roll-up does.

use kehoach_core::queries;
use kehoach_model::contract::{self as cmd, CommandError};
use kehoach_model::{PublishOutcome, PublishedSummary};
use tauri::State;

use crate::error::fail;
use crate::rollup::{hub_url, on_side};
use crate::sync::SyncSide;
use crate::Ans;

#[tauri::command]
pub async fn published_plans(side: State<'_, SyncSide>, req: cmd::PublishedPlans) -> Ans<cmd::PublishedPlans> {
    let cmd::PublishedPlans {} = req;
    on_side(&side, |s| {
        let mut out = Vec::new();
        for plan in queries::list_plans(s).map_err(fail)? {
            let last = kehoach_sync::publish::last_published(s, plan.id).map_err(fail)?;
            out.push(PublishedSummary {
                version: last.as_ref().map(|l| l.version),
                published_at: last.as_ref().map(|l| l.published_at.clone()),
                communes: last.map_or(0, |l| l.communes.len() as u32),
                plan,
            });
        }
        Ok(out)
    })
    .await
}

/// Sends plan `plan` to every commune this PC keeps a copy of: through the hub when one is set,
/// and to the file `path` when given.
#[tauri::command]
pub async fn publish_plan(side: State<'_, SyncSide>, req: cmd::PublishPlan) -> Ans<cmd::PublishPlan> {
    let cmd::PublishPlan { plan, path } = req;
    on_side(&side, move |s| {
        let communes = kehoach_cli::flow::known_communes(s).map_err(fail)?;
        if communes.is_empty() {
            return Err(CommandError::invalid("Máy này chưa có dữ liệu của xã nào (nhập tệp của xã, hoặc đồng bộ với máy chủ ở mục Tổng hợp các xã) nên chưa biết gửi cho xã nào"));
        }
        let signed = kehoach_sync::publish::publish(s, plan, &communes).map_err(fail)?;
        let version = kehoach_core::upstream::parse(&signed).map_err(fail)?.version;
        let (mut hub_communes, mut hub_error) = (None, None);
        if let Some(url) = hub_url(s)? {
            let sent = kehoach_sync::HubClient::for_store(s, &url)
                .and_then(|c| kehoach_sync::publish::post(&c, s, &signed));
            match sent {
                Ok(p) => hub_communes = Some(p.communes),
                Err(e) => hub_error = Some(e.to_string()),
            }
        }
        if let Some(p) = &path {
            kehoach_sync::publish::write_file(std::path::Path::new(p), &signed).map_err(fail)?;
        }
        Ok(PublishOutcome { version, communes: communes.len() as u32, hub_communes, hub_error, file: path })
    })
    .await
}

/// Which communes have taken on each task of the published plan `plan`, from the copies this
/// PC keeps (brought up to date from the hub first when one is set).
#[tauri::command]
pub async fn plan_coverage(side: State<'_, SyncSide>, req: cmd::PlanCoverage) -> Ans<cmd::PlanCoverage> {
    let plan = req.plan;
    on_side(&side, move |s| {
        if let (Some(url), Some(last)) = (hub_url(s)?, kehoach_sync::publish::last_published(s, plan).map_err(fail)?) {
            // A hub that does not answer leaves the copies as they are.
            if let Ok(client) = kehoach_sync::HubClient::for_store(s, &url) {
                let _ = kehoach_sync::district::sync_from_hub(s, &client, &last.communes);
            }
        }
        kehoach_cli::flow::coverage(s, plan, queries::today()).map_err(fail)
    })
    .await
}
