//! The desktop shell. Each command is a few lines that call the core; no logic lives here.
//! Every command takes one `req` argument, its request type from `kehoach_model::contract`,
//! and answers that type's answer or a `CommandError`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

mod autobackup;
mod backup;
mod console;
#[cfg(test)]
mod contract_check;
mod devices;
mod error;
mod publish;
mod reminders;
mod report;
mod rescue;
mod rollup;
mod sync;
mod tracking;
mod update;
mod upstream;

use error::{fail, Classify};
use kehoach_core::{queries, Store};
use kehoach_model::contract::{self as cmd, Command, CommandError, ErrorKind};
use tauri::{Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;

pub(crate) struct App {
    /// `None` while the data file could not be opened (see `rescue`).
    store: Mutex<Option<Store>>,
    /// The data file.
    path: PathBuf,
    /// Why the data file could not be opened when the app started, until the officer deals with it.
    problem: Mutex<Option<rescue::StartupProblem>>,
}

/// What every command answers: `C`'s answer, or the one error of the contract.
pub(crate) type Res<T> = Result<T, CommandError>;
pub(crate) type Ans<C> = Res<<C as Command>::Answer>;

/// The screens' store is held by a thread that panicked.
pub(crate) fn poisoned<T>(_: T) -> CommandError {
    CommandError::internal("Lỗi nội bộ: kho dữ liệu bị khóa")
}

/// Runs `f` on the store; any crate's error (core, sync, signing) reaches the UI as its own
/// Vietnamese message, with its kind (see `error`).
pub(crate) fn with<T, E: Classify>(app: &State<App>, f: impl FnOnce(&mut Store) -> Result<T, E>) -> Res<T> {
    let mut store = app.store.lock().map_err(poisoned)?;
    let Some(store) = store.as_mut() else {
        return Err(CommandError::new(ErrorKind::NotOpen, format!("Chưa mở được tệp dữ liệu {}", app.path.display())));
    };
    f(store).map_err(fail)
}

/// Writes a file the officer chose (often on a USB stick).
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Res<()> {
    // Write beside the target and rename, so a pulled-out USB stick never holds half a file
    // under the real name.
    kehoach_sync::write_durably(path, bytes)
        .map_err(|e| CommandError::io(format!("Không ghi được tệp {}: {e}", path.display())))
}

/// Reads a file the officer chose.
pub(crate) fn read_file(path: &std::path::Path) -> Res<Vec<u8>> {
    std::fs::read(path).map_err(|e| CommandError::io(format!("Không đọc được tệp {}: {e}", path.display())))
}

/// Tells every window the data changed, so open screens re-query.
pub(crate) fn changed(handle: &tauri::AppHandle) {
    let _ = handle.emit("changed", ());
}

/// [`with`] for a command that changes data: the screens are told to reload afterwards
/// (also after a refusal, so they show the data as it stands).
pub(crate) fn with_change<T, E: Classify>(
    app: &State<App>,
    handle: &tauri::AppHandle,
    f: impl FnOnce(&mut Store) -> Result<T, E>,
) -> Res<T> {
    let r = with(app, f);
    changed(handle);
    r
}

#[tauri::command]
fn get_settings(app: State<App>, req: cmd::GetSettings) -> Ans<cmd::GetSettings> {
    let cmd::GetSettings {} = req;
    with(&app, |s| queries::settings(s))
}

#[tauri::command]
fn save_settings(app: State<App>, handle: tauri::AppHandle, req: cmd::SaveSettings) -> Ans<cmd::SaveSettings> {
    with_change(&app, &handle, |s| kehoach_core::save_settings(s, &req.settings))
}

/// Who works on this PC (shown in the history of tasks on every PC of the commune).
#[tauri::command]
fn pc_user(app: State<App>, req: cmd::PcUser) -> Ans<cmd::PcUser> {
    let cmd::PcUser {} = req;
    with(&app, |s| kehoach_core::pc_users::this_pc_user(s))
}

#[tauri::command]
fn set_pc_user(app: State<App>, handle: tauri::AppHandle, req: cmd::SetPcUser) -> Ans<cmd::SetPcUser> {
    with_change(&app, &handle, |s| kehoach_core::pc_users::set_pc_user(s, &req.user))
}

#[tauri::command]
fn list_plans(app: State<App>, req: cmd::ListPlans) -> Ans<cmd::ListPlans> {
    let cmd::ListPlans {} = req;
    with(&app, |s| queries::list_plans(s))
}

#[tauri::command]
fn create_plan(app: State<App>, handle: tauri::AppHandle, req: cmd::CreatePlan) -> Ans<cmd::CreatePlan> {
    with_change(&app, &handle, |s| kehoach_core::create_plan(s, &req.plan))
}

#[tauri::command]
fn plan_detail(app: State<App>, req: cmd::PlanDetail) -> Ans<cmd::PlanDetail> {
    with(&app, |s| queries::plan_detail(s, req.id))
}

#[tauri::command]
fn add_task(app: State<App>, handle: tauri::AppHandle, req: cmd::AddTask) -> Ans<cmd::AddTask> {
    let cmd::AddTask { mut task } = req;
    with_change(&app, &handle, |s| {
        let year = queries::plan_year(s, task.plan_id)?;
        if let Some(t) = task.due_text.as_deref() {
            let read = kehoach_import::read_time(t, year, queries::settings(s)?.level.as_deref());
            (task.due, task.due_by_level) = (Some(read.due), read.due_by_level);
        }
        kehoach_core::add_task(s, &task)
    })
}

/// Corrects a task; a new timeframe is read as when adding one.
#[tauri::command]
fn edit_task(app: State<App>, handle: tauri::AppHandle, req: cmd::EditTask) -> Ans<cmd::EditTask> {
    let cmd::EditTask { id, mut edit } = req;
    with_change(&app, &handle, |s| {
        let year = queries::plan_year(s, queries::task(s, id)?.plan_id)?;
        if let Some(t) = edit.due_text.as_deref() {
            let read = kehoach_import::read_time(t, year, queries::settings(s)?.level.as_deref());
            (edit.due, edit.due_by_level) = (Some(read.due), read.due_by_level);
        }
        kehoach_core::edit_task(s, id, &edit)
    })
}

#[tauri::command]
fn delete_task(app: State<App>, handle: tauri::AppHandle, req: cmd::DeleteTask) -> Ans<cmd::DeleteTask> {
    with_change(&app, &handle, |s| kehoach_core::delete_task(s, req.id))
}

#[tauri::command]
fn edit_plan(app: State<App>, handle: tauri::AppHandle, req: cmd::EditPlan) -> Ans<cmd::EditPlan> {
    with_change(&app, &handle, |s| kehoach_core::edit_plan(s, req.id, &req.edit))
}

#[tauri::command]
fn delete_plan(app: State<App>, handle: tauri::AppHandle, req: cmd::DeletePlan) -> Ans<cmd::DeletePlan> {
    with_change(&app, &handle, |s| kehoach_core::delete_plan(s, req.id))
}

#[tauri::command]
fn set_task_status(app: State<App>, handle: tauri::AppHandle, req: cmd::SetTaskStatus) -> Ans<cmd::SetTaskStatus> {
    with_change(&app, &handle, |s| kehoach_core::set_task_status(s, req.id, req.status, req.reason.as_deref()))
}

/// The plan screen's ticked rows: one status for all of them, in one commit.
#[tauri::command]
fn set_tasks_status(app: State<App>, handle: tauri::AppHandle, req: cmd::SetTasksStatus) -> Ans<cmd::SetTasksStatus> {
    with_change(&app, &handle, |s| kehoach_core::set_tasks_status(s, &req.ids, req.status, req.reason.as_deref()))
}

#[tauri::command]
fn list_tasks(app: State<App>, req: cmd::ListTasks) -> Ans<cmd::ListTasks> {
    with(&app, |s| queries::list_tasks(s, &req.filter))
}

#[tauri::command]
fn overview(app: State<App>, req: cmd::Overview) -> Ans<cmd::Overview> {
    with(&app, |s| queries::overview(s, req.as_of.as_deref()))
}

/// Opens the native file dialog; the chosen path is read here in Rust (dialog scopes are
/// in-memory only, and a USB stick's mount point must just work).
#[tauri::command]
async fn pick_plan_file(handle: tauri::AppHandle, req: cmd::PickPlanFile) -> Ans<cmd::PickPlanFile> {
    let cmd::PickPlanFile {} = req;
    let picked = handle
        .dialog()
        .file()
        .set_title("Chọn tệp kế hoạch")
        .add_filter("Kế hoạch (.docx, .pdf, .doc, .txt, .md)", &["docx", "pdf", "doc", "txt", "md"])
        .blocking_pick_file();
    Ok(picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))
}

/// Reads a plan document for the review screen; stores nothing.
#[tauri::command]
fn read_plan_file(app: State<App>, req: cmd::ReadPlanFile) -> Ans<cmd::ReadPlanFile> {
    let mut plan = kehoach_import::read_file(&PathBuf::from(req.path)).map_err(fail)?;
    // A time with one date per level gives this unit its own level's date (a commune: cấp xã).
    let level = with(&app, |s| queries::settings(s))?.level;
    kehoach_import::due_for_level(&mut plan, level.as_deref());
    Ok(plan)
}

/// Stores a reviewed plan in one commit.
#[tauri::command]
fn save_imported_plan(
    app: State<App>,
    handle: tauri::AppHandle,
    req: cmd::SaveImportedPlan,
) -> Ans<cmd::SaveImportedPlan> {
    with_change(&app, &handle, |s| kehoach_core::import_plan(s, &req.plan))
}

/// Re-reads a timeframe the officer corrected on the review screen, as this unit reads it (a
/// time per level gives its own level's date).
#[tauri::command]
fn parse_due(app: State<App>, req: cmd::ParseDue) -> Ans<cmd::ParseDue> {
    let level = with(&app, |s| queries::settings(s))?.level;
    Ok(kehoach_import::read_time(&req.text, req.year, level.as_deref()))
}

/// The data file: `KEHOACH_DB` when set (tests, portable installs), else the app-data dir.
fn db_path(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(p) = std::env::var_os("KEHOACH_DB") {
        return Ok(PathBuf::from(p));
    }
    Ok(app.path().app_data_dir()?.join("kehoach.sqlite3"))
}

/// The background sync, the report reminders and the daily backup, on their own connection to
/// the data file.
pub(crate) fn start_background(
    handle: &tauri::AppHandle,
    path: &std::path::Path,
) -> Result<(), kehoach_core::CoreError> {
    let sync_store = std::sync::Arc::new(Mutex::new(Store::open(path)?));
    sync::start_worker(handle.clone(), sync_store.clone());
    reminders::start(handle.clone(), sync_store.clone());
    autobackup::start(sync_store.clone());
    handle.manage(sync::SyncSide { store: sync_store });
    Ok(())
}

fn main() -> std::process::ExitCode {
    // One program is both the app and the `kehoach` command: with arguments it is the command
    // (`kehoach --version`, `kehoach dump --json`), without them it opens the window. Shipping one
    // binary halves the download and the release build.
    if std::env::args_os().len() > 1 {
        console::attach();
        return kehoach_cli::run_args(std::env::args_os());
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let path = db_path(app)?;
            // A data file that cannot be opened must not end the app unseen: the window comes
            // up and says why, and offers a way on (see `rescue`). One already open in another
            // window is only reported (see `kehoach_core::instance`).
            let (store, problem) = match kehoach_core::instance::lock_waiting(&path, std::time::Duration::from_secs(3))
                .and_then(|lock| {
                    // Held until the process ends; the OS lets go of it then, even after a crash.
                    std::mem::forget(lock);
                    let store = Store::open(&path)?;
                    // Unencrypted copies a backup killed halfway left behind (with the keys).
                    kehoach_sync::clean_leftovers(&store);
                    // Keys an older version kept in plain text go into the OS keystore (Windows).
                    if let Err(e) = kehoach_sync::Device::seal_at_rest(&store) {
                        eprintln!("kehoach: the device's keys stay as they were: {e}");
                    }
                    Ok(store)
                }) {
                Ok(store) => (Some(store), None),
                Err(e) => (None, Some(rescue::startup_problem_of(&path, &e))),
            };
            let opened = store.is_some();
            app.manage(App { store: Mutex::new(store), path: path.clone(), problem: Mutex::new(problem) });
            if opened {
                start_background(app.handle(), &path)?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            get_settings,
            save_settings,
            pc_user,
            set_pc_user,
            list_plans,
            create_plan,
            plan_detail,
            add_task,
            edit_task,
            delete_task,
            edit_plan,
            delete_plan,
            set_task_status,
            set_tasks_status,
            list_tasks,
            overview,
            pick_plan_file,
            read_plan_file,
            upstream::upstream_plans,
            upstream::derive_proposal,
            upstream::derive_from_imported,
            upstream::receive_upstream_file,
            upstream::receive_upstream_hub,
            upstream::plan_amendment,
            upstream::carry_amendment,
            publish::published_plans,
            publish::publish_plan,
            publish::plan_coverage,
            save_imported_plan,
            parse_due,
            sync::sync_status,
            sync::set_hub_url,
            sync::set_hub_ca,
            sync::sync_now,
            sync::pick_save_path,
            sync::pick_open_path,
            sync::sync_export,
            sync::sync_import,
            sync::sync_invite,
            sync::sync_join,
            sync::invitation_needs_passphrase,
            devices::commune_devices,
            devices::revoke_device,
            sync::resolve_conflict,
            sync::found_commune,
            backup::backup_create,
            backup::backup_last,
            backup::backup_restore,
            rescue::startup_problem,
            update::check_update_file,
            update::install_update,
            update::update_offer,
            update::download_update,
            rescue::rescue,
            rollup::rollup,
            rollup::rollup_import,
            rollup::rollup_decide,
            rollup::rollup_decision_file,
            rollup::rollup_open_document,
            rollup::rollup_export,
            report::issue_by_hand,
            report::report_schedule,
            report::list_reports,
            report::draft_report,
            report::get_report,
            report::save_report,
            report::export_report,
            report::open_report_pdf,
            report::preview_report,
            report::sign_report,
            report::tsa_url,
            report::open_signed_pdf,
            report::check_signed_pdf,
            tracking::dashboard,
            tracking::search,
            tracking::task_detail,
            tracking::add_note,
            tracking::add_evidence,
            tracking::delete_note,
            tracking::delete_evidence,
            tracking::delete_checklist,
            tracking::delete_target,
            tracking::checklists,
            tracking::attach_catalogue,
            tracking::tick_item,
            tracking::targets,
            tracking::add_target,
            tracking::record_target_value,
            tracking::attach_indicators,
            tracking::set_target_goal,
            tracking::unit_directory,
            tracking::add_unit_alias,
            tracking::merge_units,
        ])
        .run(tauri::generate_context!())
        .expect("kehoach could not start");
    std::process::ExitCode::SUCCESS
}
