//! `kehoach`: the command-line face of the core, for scripting, district IT staff and tests.

use std::path::PathBuf;
use std::process::ExitCode;

pub mod flow;
mod flow_cmd;
mod report_cmd;
mod rollup_cmd;
mod sync_cmd;
mod tracking_cmd;
mod update_cmd;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use kehoach_core::{queries, Store};
use kehoach_model::{NewPlan, NewTask, PlanEdit, Settings, TaskEdit, TaskFilter, TaskStatus};
use serde::Serialize;
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "kehoach", version, about = "kehoach — Đề án 06 plans, tasks and reports of a commune")]
struct Cli {
    /// The SQLite data file (default: the desktop app's own data file).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// The commune's settings, as in the app's first-run setup.
    Setup {
        #[arg(long)]
        commune: String,
        #[arg(long)]
        parent: String,
        #[arg(long)]
        place: String,
        #[arg(long)]
        signer: String,
        #[arg(long)]
        signer_title: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Plans.
    Plan {
        #[command(subcommand)]
        cmd: PlanCmd,
    },
    /// Tasks.
    Task {
        #[command(subcommand)]
        cmd: TaskCmd,
    },
    /// Print the canonical state of every record, sorted and stable.
    Dump {
        #[arg(long)]
        json: bool,
    },
    /// Print the path of the data file in use.
    DbPath,
    /// Sync with the commune's other PCs: bundle files and the hub.
    Sync {
        #[command(subcommand)]
        cmd: sync_cmd::SyncCmd,
    },
    /// This PC's identity, invitations for new PCs, trusted devices.
    Device {
        #[command(subcommand)]
        cmd: sync_cmd::DeviceCmd,
    },
    /// Make this install a PC of the commune that wrote the invitation.
    Join(sync_cmd::JoinArgs),
    /// Write a backup of this PC (data, keys, attachment files) to one file, e.g. on a USB stick.
    Backup(sync_cmd::BackupArgs),
    /// Restore a backup: an empty PC becomes the PC it was made on; a PC with data of the same
    /// commune gets back what it lacks. A file that is not a sound backup changes nothing.
    Restore(sync_cmd::RestoreArgs),
    /// Updates of kehoach: check one (from the hub or a USB stick) before installing it.
    Update {
        #[command(subcommand)]
        cmd: update_cmd::UpdateCmd,
    },
    /// A district or province PC: which communes reported for a period (on time, late,
    /// accepted, returned), their tasks and targets, from the hub or from the communes' bundles;
    /// accept or return a commune's report.
    Rollup(rollup_cmd::RollupArgs),
    /// Periodic reports: schedule, drafts, PDF/DOCX/XLSX.
    Report {
        #[command(subcommand)]
        cmd: report_cmd::ReportCmd,
    },
    /// Checklists: the Đề án 06 catalogue and a plan's own lists.
    Checklist {
        #[command(subcommand)]
        cmd: tracking_cmd::ChecklistCmd,
    },
    /// Targets (chỉ tiêu) and their figures per period.
    Target {
        #[command(subcommand)]
        cmd: tracking_cmd::TargetCmd,
    },
    /// The commune's units: aliases, merging duplicates.
    Unit {
        #[command(subcommand)]
        cmd: tracking_cmd::UnitCmd,
    },
    /// The dashboard: progress per group, overdue, due this month, next report, targets.
    Overview(tracking_cmd::OverviewArgs),
    /// Search tasks, progress notes and checklist items (diacritics optional).
    Search(tracking_cmd::SearchArgs),
}

#[derive(Subcommand)]
enum PlanCmd {
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        number: Option<String>,
        /// Date of issue, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Correct a plan's header; an empty --number, --date or --issuer clears it.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        number: Option<String>,
        /// Date of issue, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        /// What a monthly report covers: `calendar` (the month) or `decree09` (15th of the
        /// previous month to the 14th, Decree 09/2019/NĐ-CP).
        #[arg(long, value_parser = parse_cutoff)]
        period_cutoff: Option<kehoach_model::PeriodCutoff>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a plan with its tasks, notes, evidence, checklists and targets (refused while
    /// the plan has reports).
    Delete { id: String },
    /// Set the plan's monthly reporting day (the commune reports; --to names the recipient);
    /// --replace drops the plan's other rules.
    Reporting {
        id: String,
        #[arg(long)]
        day: u32,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// Read a plan document (.txt, .md, .docx, .pdf, .doc) and store it as a plan with its tasks.
    Import {
        file: PathBuf,
        /// Print what was read (the plan-import JSON) and store nothing.
        #[arg(long)]
        dry_run: bool,
        /// The document is the level above's plan: make the commune's plan derived from it (its
        /// tasks that concern the commune, worded for it, linked by the document's number and
        /// date); with --dry-run, print the proposal (to edit and pass to `plan derive --create
        /// --proposal`).
        #[arg(long)]
        derive: bool,
        #[arg(long)]
        json: bool,
    },
    /// Plans flowing down from the level above (derive, publish, receive, changes, coverage).
    #[command(flatten)]
    Flow(flow_cmd::FlowCmd),
}

#[derive(Subcommand)]
enum TaskCmd {
    Add {
        #[arg(long)]
        plan: String,
        #[arg(long)]
        text: String,
        #[arg(long = "ref")]
        reference: Option<String>,
        /// The timeframe as written in the plan, e.g. "Trong quý I/2023".
        #[arg(long)]
        due_text: Option<String>,
        /// Lead unit (repeatable).
        #[arg(long)]
        lead: Vec<String>,
        /// Coordinating unit (repeatable).
        #[arg(long)]
        coord: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Set {
        id: String,
        #[arg(long)]
        status: String,
        /// Reason (required for cannot_do).
        #[arg(long)]
        reason: Option<String>,
        /// A progress note saved with the status change.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Correct a task: any of its text, timeframe, lead units.
    Edit {
        id: String,
        #[arg(long)]
        text: Option<String>,
        /// The timeframe as written; "" clears the deadline.
        #[arg(long)]
        due_text: Option<String>,
        /// Lead unit (repeatable; replaces the task's lead units).
        #[arg(long)]
        lead: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a task with its notes and evidence.
    Delete { id: String },
    /// Delete one progress note.
    DeleteNote { id: String },
    /// Delete one piece of evidence (its file stays among the attachments).
    DeleteEvidence { id: String },
    /// Add a dated progress note.
    Note(tracking_cmd::NoteArgs),
    /// Add evidence: a document's number and date, optionally a file.
    Evidence(tracking_cmd::EvidenceArgs),
    /// A task with its notes, evidence, group and check-ins.
    Show(tracking_cmd::ShowArgs),
    /// File a task under a utility group by hand ("auto" = by the keyword table).
    Group(tracking_cmd::GroupArgs),
    /// Open tasks due this month, or within --within N days.
    Due(tracking_cmd::DueArgs),
}

/// A timeframe as this unit reads it: a time written per level gives its own level's date.
fn read_time(store: &Store, text: &str, year: Option<i32>) -> Result<kehoach_model::TimeReading> {
    Ok(kehoach_import::read_time(text, year, queries::settings(store)?.level.as_deref()))
}

fn parse_id(s: &str, what: &str) -> Result<Uuid> {
    Uuid::parse_str(s.trim()).with_context(|| format!("mã {what} không hợp lệ: {s:?}"))
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text(value));
    }
}

fn run(cli: Cli) -> Result<()> {
    let path = match cli.db {
        Some(p) => p,
        None => kehoach_core::default_db_path()?,
    };
    if let Cmd::DbPath = cli.cmd {
        println!("{}", path.display());
        return Ok(());
    }
    // Updates concern the program, not the data: no data file is opened.
    if let Cmd::Update { cmd } = &cli.cmd {
        return update_cmd::update(cmd);
    }
    // A dry run reads the document only: no data file is opened or created.
    if let Cmd::Plan { cmd: PlanCmd::Import { file, dry_run: true, json, derive: false } } = &cli.cmd {
        let read = kehoach_import::read_file(file)?;
        print(*json, &read, |p| {
            format!(
                "{} nhiệm vụ, {} danh mục, {} chỉ tiêu (chưa lưu)",
                p.tasks.len(),
                p.checklists.len(),
                p.targets.len()
            )
        });
        return Ok(());
    }
    let mut store = Store::open(&path)?;
    match cli.cmd {
        Cmd::DbPath | Cmd::Update { .. } => unreachable!(),
        Cmd::Setup { commune, parent, place, signer, signer_title, json } => {
            let s = kehoach_core::save_settings(
                &mut store,
                &Settings {
                    commune: Some(commune),
                    parent: Some(parent),
                    place: Some(place),
                    signer: Some(signer),
                    signer_title,
                    level: None,
                },
            )?;
            print(json, &s, |s| format!("Đã lưu thiết lập: {}", s.commune.clone().unwrap_or_default()));
        }
        Cmd::Plan { cmd } => match cmd {
            PlanCmd::Flow(cmd) => flow_cmd::run(&mut store, cmd)?,
            PlanCmd::Create { title, number, date, issuer, json } => {
                let p = kehoach_core::create_plan(&mut store, &NewPlan { title, number, date, issuer })?;
                print(json, &p, |p| format!("{}\t{}", p.id, p.title));
            }
            PlanCmd::List { json } => {
                let plans = queries::list_plans(&store)?;
                print(json, &plans, |ps| {
                    ps.iter()
                        .map(|p| format!("{}\t{}/{}\t{}", p.id, p.done_count, p.task_count, p.title))
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            PlanCmd::Import { file, json, dry_run, derive: true } => {
                let read = kehoach_import::read_file(&file)?;
                let p = kehoach_import::derive::from_imported(&read, &queries::settings(&store)?);
                if dry_run {
                    print(json, &p, |p| format!("{} nhiệm vụ đề xuất cho xã (chưa lưu)", p.tasks.len()));
                } else {
                    let plan = flow::create_derived(&mut store, &p)?;
                    print(json, &plan, |p| format!("{}\t{} nhiệm vụ\t{}", p.id, p.task_count, p.title));
                }
            }
            PlanCmd::Import { file, json, .. } => {
                let mut read = kehoach_import::read_file(&file)?;
                // A time with one date per level gives this unit its own level's date.
                kehoach_import::due_for_level(&mut read, queries::settings(&store)?.level.as_deref());
                let p = kehoach_core::import_plan(&mut store, &read)?;
                print(json, &p, |p| format!("{}\t{} nhiệm vụ\t{}", p.id, p.task_count, p.title));
            }
            PlanCmd::Edit { id, title, number, date, issuer, period_cutoff, json } => {
                let id = parse_id(&id, "kế hoạch")?;
                let p =
                    kehoach_core::edit_plan(&mut store, id, &PlanEdit { title, number, date, issuer, period_cutoff })?;
                print(json, &p, |p| format!("{}\t{}\t{}", p.id, p.number.as_deref().unwrap_or("-"), p.title));
            }
            PlanCmd::Reporting { id, day, to, replace, json } => {
                let id = parse_id(&id, "kế hoạch")?;
                let p = kehoach_core::set_plan_reporting(&mut store, id, day, to.as_deref(), replace)?;
                print(json, &p, |p| {
                    p.reporting
                        .iter()
                        .map(|r| {
                            format!(
                                "ngày {}\t{}\t{}",
                                r.day_of_month.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                                r.who.as_deref().unwrap_or("-"),
                                r.to.as_deref().unwrap_or("-")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            PlanCmd::Delete { id } => {
                let id = parse_id(&id, "kế hoạch")?;
                let title = queries::plan(&store, id)?.title;
                kehoach_core::delete_plan(&mut store, id)?;
                println!("Đã xóa kế hoạch “{title}”.");
            }
            PlanCmd::Show { id, json } => {
                let d = queries::plan_detail(&store, parse_id(&id, "kế hoạch")?)?;
                print(json, &d, |d| {
                    let mut s = format!("{}\n", d.plan.title);
                    for t in &d.tasks {
                        s += &format!(
                            "{}\t{}\t{}\n",
                            t.reference.as_deref().unwrap_or("-"),
                            t.status.label_vi(),
                            t.text
                        );
                    }
                    s
                });
            }
        },
        Cmd::Task { cmd } => match cmd {
            TaskCmd::Add { plan, text, reference, due_text, lead, coord, json } => {
                let plan_id = parse_id(&plan, "kế hoạch")?;
                let year = queries::plan_year(&store, plan_id)?;
                let read = due_text.as_deref().map(|t| read_time(&store, t, year)).transpose()?.unwrap_or_default();
                let (due, due_by_level) = (due_text.is_some().then_some(read.due), read.due_by_level);
                let t = kehoach_core::add_task(
                    &mut store,
                    &NewTask {
                        plan_id,
                        text,
                        reference,
                        due_text,
                        due,
                        due_by_level,
                        lead,
                        coord,
                        ..Default::default()
                    },
                )?;
                print(json, &t, |t| format!("{}\t{}", t.id, t.text));
            }
            TaskCmd::List { plan, status, unit, overdue, as_of, search, json } => {
                let status = match status {
                    Some(s) => Some(parse_status(&s)?),
                    None => None,
                };
                let f = TaskFilter {
                    plan_id: plan.map(|p| parse_id(&p, "kế hoạch")).transpose()?,
                    status,
                    unit,
                    overdue_only: overdue,
                    search,
                    as_of,
                };
                let tasks = queries::list_tasks(&store, &f)?;
                print(json, &tasks, |ts| {
                    ts.iter()
                        .map(|t| {
                            format!(
                                "{}\t{}\t{}\t{}{}",
                                t.id,
                                t.status.label_vi(),
                                t.deadline.as_deref().unwrap_or("-"),
                                if t.overdue { "[quá hạn] " } else { "" },
                                t.text
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            TaskCmd::Set { id, status, reason, note, json } => {
                tracking_cmd::set_status(&mut store, &id, parse_status(&status)?, reason.as_deref(), note, json)?
            }
            TaskCmd::Edit { id, text, due_text, lead, json } => {
                let id = parse_id(&id, "nhiệm vụ")?;
                let year = queries::plan_year(&store, queries::task(&store, id)?.plan_id)?;
                let read = due_text.as_deref().map(|t| read_time(&store, t, year)).transpose()?.unwrap_or_default();
                let (due, due_by_level) = (due_text.is_some().then_some(read.due), read.due_by_level);
                let lead = (!lead.is_empty()).then_some(lead);
                let t = kehoach_core::edit_task(&mut store, id, &TaskEdit { text, due_text, due, due_by_level, lead })?;
                print(json, &t, |t| format!("{}\t{}\t{}", t.id, t.deadline.as_deref().unwrap_or("-"), t.text));
            }
            TaskCmd::Delete { id } => {
                kehoach_core::delete_task(&mut store, parse_id(&id, "nhiệm vụ")?)?;
                println!("Đã xóa nhiệm vụ cùng ghi chú và minh chứng của nó.");
            }
            TaskCmd::DeleteNote { id } => {
                kehoach_core::delete_note(&mut store, parse_id(&id, "ghi chú")?)?;
                println!("Đã xóa ghi chú.");
            }
            TaskCmd::DeleteEvidence { id } => {
                kehoach_core::delete_evidence(&mut store, parse_id(&id, "minh chứng")?)?;
                println!("Đã xóa minh chứng.");
            }
            TaskCmd::Note(a) => tracking_cmd::note(&mut store, a)?,
            TaskCmd::Evidence(a) => tracking_cmd::add_evidence(&mut store, a)?,
            TaskCmd::Show(a) => tracking_cmd::show(&store, a)?,
            TaskCmd::Group(a) => tracking_cmd::set_group(&mut store, a)?,
            TaskCmd::Due(a) => tracking_cmd::due(&store, a)?,
        },
        Cmd::Dump { json: _ } => {
            print!("{}", store.dump_json()?);
        }
        Cmd::Sync { cmd } => sync_cmd::sync(&mut store, cmd)?,
        Cmd::Device { cmd } => sync_cmd::device(&mut store, cmd)?,
        Cmd::Join(args) => sync_cmd::join(&mut store, args)?,
        Cmd::Backup(args) => sync_cmd::backup(&store, args)?,
        Cmd::Restore(args) => sync_cmd::restore(&mut store, args)?,
        Cmd::Rollup(args) => rollup_cmd::rollup(&mut store, args)?,
        Cmd::Report { cmd } => report_cmd::report(&mut store, cmd)?,
        Cmd::Checklist { cmd } => tracking_cmd::checklist(&mut store, cmd)?,
        Cmd::Target { cmd } => tracking_cmd::target(&mut store, cmd)?,
        Cmd::Unit { cmd } => tracking_cmd::unit(&mut store, cmd)?,
        Cmd::Overview(a) => tracking_cmd::overview(&store, a)?,
        Cmd::Search(a) => tracking_cmd::search_cmd(&store, a)?,
    }
    Ok(())
}

/// A secret (a password, a PIN, a passphrase) from the environment variable the officer named,
/// so it never shows in the shell's history or the process list.
pub(crate) fn env_secret(var: &str, what: &str) -> Result<String> {
    std::env::var(var).with_context(|| format!("biến môi trường {var} (chứa {what}) chưa được đặt"))
}

fn parse_status(s: &str) -> Result<TaskStatus> {
    match TaskStatus::parse(s) {
        Some(st) => Ok(st),
        None => bail!("trạng thái không hợp lệ: {s:?} (dùng not_started, in_progress, done hoặc cannot_do)"),
    }
}

/// Runs the `kehoach` command line `args` (the program's name first). The crate is a library
/// so that the desktop app's binary can be this command too: one program to build, ship and
/// start, `kehoach` with a subcommand acting here and without one opening the window.
pub fn run_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // `kehoach … | head` closes the pipe before the output ends: stop quietly there, as other
    // command-line tools do, instead of panicking in println!.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse_from(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn parse_cutoff(s: &str) -> std::result::Result<kehoach_model::PeriodCutoff, String> {
    kehoach_model::PeriodCutoff::parse(s)
        .ok_or_else(|| format!("{s:?}: dùng calendar (theo tháng) hoặc decree09 (15 tháng trước đến 14)"))
}
