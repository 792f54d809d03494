//! `kehoach` subcommands of issue 4: progress notes and evidence on tasks, checklists,
//! targets, the unit directory, the dashboard and search. Each maps one core call.

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use kehoach_core::tracking::targets::catalogue;
use kehoach_core::tracking::{checklists, dashboard, evidence, groups, notes, schedule, search, targets, units};
use kehoach_core::Store;
use kehoach_model::{format_figure_vi, with_unit, IndicatorKind, NewEvidence, NewNote, NewTarget, Target, TaskStatus};

use crate::{parse_id, print};

#[derive(Args)]
pub struct NoteArgs {
    /// The task's id.
    pub id: String,
    #[arg(long)]
    pub text: String,
    #[arg(long)]
    pub author: Option<String>,
    /// YYYY-MM-DD (today by default).
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EvidenceArgs {
    /// The task's id.
    pub id: String,
    /// Number and symbol of the document, e.g. "15/QĐ-UBND".
    #[arg(long)]
    pub number: String,
    /// Date of the document, YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// A file to keep with it (copied into the data directory).
    #[arg(long)]
    pub file: Option<String>,
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    pub id: String,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct GroupArgs {
    pub id: String,
    /// dich_vu_cong, kinh_te_xa_hoi, cong_dan_so, du_lieu_dan_cu, chi_dao_dieu_hanh, chung;
    /// "auto" goes back to the keyword table.
    #[arg(long)]
    pub group: String,
}

#[derive(Args)]
pub struct DueArgs {
    /// Open tasks due within this many days of --as-of (default: this month's).
    #[arg(long)]
    pub within: Option<u32>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ChecklistCmd {
    /// Attach a built-in Đề án 06 catalogue to a plan.
    Attach {
        #[arg(long)]
        plan: String,
        /// services, working_group or seven_ways.
        #[arg(long)]
        catalogue: String,
        #[arg(long)]
        json: bool,
    },
    /// A plan's own checklist: --item repeated.
    Add {
        #[arg(long)]
        plan: String,
        #[arg(long)]
        title: String,
        #[arg(long = "item")]
        items: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a checklist with its items (a catalogue can be attached again later).
    Delete { id: String },
    /// Tick an item (or --undo).
    Tick {
        item_id: String,
        /// YYYY-MM-DD (today by default).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        evidence: Option<String>,
        #[arg(long)]
        undo: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TargetCmd {
    List {
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        plan: String,
        #[arg(long)]
        text: String,
        /// The goal ("1,5" and "1.500.000" are read the Vietnamese way); 1 (yes) by default
        /// for a yes/no indicator.
        #[arg(long, allow_hyphen_values = true)]
        value: Option<String>,
        /// "%" or what is counted ("tài khoản", "hồ sơ"); none for yes/no.
        #[arg(long, default_value = "")]
        unit: String,
        /// count (summed up the chain), percent (numerator/denominator) or yes_no; read from
        /// the unit when left out ("%" → percent, anything else → count).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Attach the standard Đề án 06 indicators (--catalogue indicators) to a plan; attaching
    /// again adds only those the plan lacks.
    Attach {
        #[arg(long)]
        plan: String,
        #[arg(long, default_value = catalogue::INDICATORS)]
        catalogue: String,
        #[arg(long)]
        json: bool,
    },
    /// Set or correct a target's goal (a count, or a percentage up to 100).
    Goal {
        target_id: String,
        #[arg(long, allow_hyphen_values = true)]
        value: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a target with its recorded figures.
    Delete { id: String },
    /// The actual figure of a reporting period, by the target's kind: --value N (a count),
    /// --numerator N --denominator D (a percentage), --yes or --no.
    Record {
        target_id: String,
        /// The month: 05/2023, "tháng 5/2023" or 2023-05.
        #[arg(long)]
        period: String,
        #[arg(long, allow_hyphen_values = true)]
        value: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        numerator: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        denominator: Option<String>,
        #[arg(long, conflicts_with = "no")]
        yes: bool,
        #[arg(long)]
        no: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum UnitCmd {
    List {
        #[arg(long)]
        json: bool,
    },
    Add {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Another name for a unit (--add), or drop one (--remove).
    Alias {
        unit: String,
        #[arg(long)]
        add: Option<String>,
        #[arg(long)]
        remove: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Merge a duplicate unit into another.
    Merge {
        from: String,
        #[arg(long)]
        into: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct OverviewArgs {
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct SearchArgs {
    pub text: String,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long)]
    pub json: bool,
}

/// `task set --note`: the note rides in the same commit as the status.
pub fn set_status(
    store: &mut Store,
    id: &str,
    status: TaskStatus,
    reason: Option<&str>,
    note: Option<String>,
    json: bool,
) -> Result<()> {
    let id = parse_id(id, "nhiệm vụ")?;
    let note = note.map(|text| NewNote { task_id: id, text, ..Default::default() });
    let t = notes::set_task_status_with_note(store, id, status, reason, note.as_ref())?;
    print(json, &t, |t| format!("{}\t{}", t.id, t.status.label_vi()));
    Ok(())
}

pub fn note(store: &mut Store, a: NoteArgs) -> Result<()> {
    let n = NewNote { task_id: parse_id(&a.id, "nhiệm vụ")?, text: a.text, author: a.author, date: a.date };
    let n = notes::add_note(store, &n)?;
    print(a.json, &n, |n| format!("{}\t{}\t{}", n.id, n.date.as_deref().unwrap_or("-"), n.text));
    Ok(())
}

pub fn add_evidence(store: &mut Store, a: EvidenceArgs) -> Result<()> {
    let e = NewEvidence {
        task_id: parse_id(&a.id, "nhiệm vụ")?,
        number: a.number,
        date: a.date,
        file: a.file,
        text: a.text,
    };
    let e = evidence::add_evidence(store, &e)?;
    print(a.json, &e, |e| {
        format!(
            "{}\t{}\t{}\t{}",
            e.id,
            e.number.as_deref().unwrap_or(""),
            e.date.as_deref().unwrap_or(""),
            e.sha256.as_deref().unwrap_or("-")
        )
    });
    Ok(())
}

pub fn show(store: &Store, a: ShowArgs) -> Result<()> {
    let d = dashboard::task_detail(store, parse_id(&a.id, "nhiệm vụ")?, a.as_of.as_deref())?;
    print(a.json, &d, |d| {
        let mut s = format!(
            "{}\n{}\t{}\t{}\n",
            d.task.text,
            d.task.status.label_vi(),
            d.task.deadline.as_deref().unwrap_or("-"),
            d.group
        );
        for n in &d.notes {
            s += &format!("{}\t{}\t{}\n", n.date.as_deref().unwrap_or("-"), n.author.as_deref().unwrap_or("-"), n.text);
        }
        if !d.history.is_empty() {
            s += "Lịch sử thay đổi:\n";
        }
        for h in &d.history {
            s += &format!("{}\t{}\t{}: {}\n", h.at, h.who(), h.label, h.value);
        }
        s
    });
    Ok(())
}

pub fn set_group(store: &mut Store, a: GroupArgs) -> Result<()> {
    let key = (a.group != "auto").then_some(a.group.as_str());
    groups::set_task_group(store, parse_id(&a.id, "nhiệm vụ")?, key)?;
    Ok(())
}

pub fn due(store: &Store, a: DueArgs) -> Result<()> {
    let tasks = match a.within {
        Some(n) => schedule::due_within(store, a.as_of.as_deref(), n)?,
        None => schedule::due_this_month(store, a.as_of.as_deref(), None)?,
    };
    print(a.json, &tasks, |ts| {
        ts.iter()
            .map(|t| format!("{}\t{}\t{}", t.id, t.deadline.as_deref().unwrap_or("-"), t.text))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub fn checklist(store: &mut Store, cmd: ChecklistCmd) -> Result<()> {
    let summary = |c: &kehoach_model::Checklist| format!("{}\t{}/{}\t{}", c.id, c.done_count, c.item_count, c.title);
    match cmd {
        ChecklistCmd::Delete { id } => {
            kehoach_core::delete_checklist(store, parse_id(&id, "danh mục")?)?;
            println!("Đã xóa danh mục cùng các mục của nó.");
        }
        ChecklistCmd::Attach { plan, catalogue, json } => {
            let c = checklists::attach_catalogue(store, parse_id(&plan, "kế hoạch")?, &catalogue)?;
            print(json, &c, summary);
        }
        ChecklistCmd::Add { plan, title, items, json } => {
            let c = checklists::add_checklist(store, parse_id(&plan, "kế hoạch")?, &title, &items)?;
            print(json, &c, summary);
        }
        ChecklistCmd::List { plan, json } => {
            let plan = plan.map(|p| parse_id(&p, "kế hoạch")).transpose()?;
            let cs = checklists::checklists(store, plan)?;
            print(json, &cs, |cs| {
                let mut s = String::new();
                for c in cs {
                    s += &summary(c);
                    s.push('\n');
                    for i in &c.items {
                        s += &format!("  {}\t[{}]\t{}\n", i.id, if i.done { "x" } else { " " }, i.text);
                    }
                }
                s
            });
        }
        ChecklistCmd::Tick { item_id, date, evidence, undo, json } => {
            let i = checklists::tick_item(
                store,
                parse_id(&item_id, "mục danh mục")?,
                !undo,
                date.as_deref(),
                evidence.as_deref(),
            )?;
            print(json, &i, |i| format!("{}\t[{}]\t{}", i.id, if i.done { "x" } else { " " }, i.text));
        }
    }
    Ok(())
}

/// "id  kind  latest (period) / goal  text", e.g.
/// "…\tpercent\t1.234/1.500 (82,3%) (2023-05) / 80%\tTỷ lệ …".
fn target_line(t: &Target) -> String {
    let latest = t
        .latest
        .as_ref()
        .map(|l| {
            format!(
                "{} ({})",
                format_figure_vi(t.kind, l.value, l.numerator, l.denominator, t.unit.as_deref()),
                l.period
            )
        })
        .unwrap_or_else(|| "-".into());
    let goal = t.value.map(|v| with_unit(v, t.unit.as_deref())).unwrap_or_else(|| "-".into());
    format!("{}\t{}\t{latest} / {goal}\t{}", t.id, t.kind.as_str(), t.text)
}

fn lines(ts: &[Target]) -> String {
    ts.iter().map(target_line).collect::<Vec<_>>().join("\n")
}

pub fn target(store: &mut Store, cmd: TargetCmd) -> Result<()> {
    match cmd {
        TargetCmd::Delete { id } => {
            kehoach_core::delete_target(store, parse_id(&id, "chỉ tiêu")?)?;
            println!("Đã xóa chỉ tiêu cùng các số liệu đã ghi.");
        }
        TargetCmd::List { plan, json } => {
            let plan = plan.map(|p| parse_id(&p, "kế hoạch")).transpose()?;
            let ts = targets::targets(store, plan)?;
            print(json, &ts, |ts| lines(ts));
        }
        TargetCmd::Add { plan, text, value, unit, kind, period, json } => {
            let kind = kind
                .map(|k| {
                    IndicatorKind::parse(&k).ok_or_else(|| {
                        anyhow::anyhow!("loại chỉ tiêu không hợp lệ: {k:?} (dùng count, percent hoặc yes_no)")
                    })
                })
                .transpose()?;
            let value = match (value, kind) {
                (Some(v), _) => targets::parse_number(&v)?,
                (None, Some(IndicatorKind::YesNo)) => 1.0,
                (None, _) => bail!("chưa nhập giá trị chỉ tiêu (--value)"),
            };
            let t = NewTarget { plan_id: parse_id(&plan, "kế hoạch")?, text, value, unit, period, kind };
            let t = targets::add_target(store, &t)?;
            print(json, &t, target_line);
        }
        TargetCmd::Goal { target_id, value, json } => {
            let goal = targets::parse_number(&value)?;
            let t = targets::set_target_goal(store, parse_id(&target_id, "chỉ tiêu")?, goal)?;
            print(json, &t, target_line);
        }
        TargetCmd::Attach { plan, catalogue: key, json } => {
            let ts = catalogue::attach_indicators(store, parse_id(&plan, "kế hoạch")?, &key)?;
            print(json, &ts, |ts| lines(ts));
        }
        TargetCmd::Record { target_id, period, value, numerator, denominator, yes, no, json } => {
            let answer = (yes || no).then_some(yes);
            let figure = targets::typed_figure(value.as_deref(), numerator.as_deref(), denominator.as_deref(), answer)?;
            let t = targets::record_target_figure(store, parse_id(&target_id, "chỉ tiêu")?, &period, figure)?;
            print(json, &t, target_line);
        }
    }
    Ok(())
}

pub fn unit(store: &mut Store, cmd: UnitCmd) -> Result<()> {
    let line = |u: &kehoach_model::Unit| format!("{}\t{}\t{}", u.id, u.name, u.aliases.join("; "));
    match cmd {
        UnitCmd::List { json } => {
            let us = units::unit_directory(store)?;
            print(json, &us, |us| {
                us.iter().map(|u| format!("{}\t{}", line(&u.unit), u.task_count)).collect::<Vec<_>>().join("\n")
            });
        }
        UnitCmd::Add { name, json } => {
            let u = units::add_unit(store, &name)?;
            print(json, &u, line);
        }
        UnitCmd::Alias { unit, add, remove, json } => {
            let u = match (add, remove) {
                (Some(a), None) => units::add_unit_alias(store, &unit, &a)?,
                (None, Some(r)) => units::remove_unit_alias(store, &unit, &r)?,
                _ => bail!("dùng đúng một trong hai: --add TÊN hoặc --remove TÊN"),
            };
            print(json, &u, line);
        }
        UnitCmd::Merge { from, into, json } => {
            let u = units::merge_units(store, &from, &into)?;
            print(json, &u, line);
        }
    }
    Ok(())
}

pub fn overview(store: &Store, a: OverviewArgs) -> Result<()> {
    let d = dashboard::dashboard(store, a.as_of.as_deref())?;
    print(a.json, &d, |d| {
        let mut s = format!(
            "Ngày {}: {} nhiệm vụ, {} hoàn thành, {} đang thực hiện, {} quá hạn, {} đến hạn trong tháng\n",
            d.as_of,
            d.overview.tasks,
            d.overview.done,
            d.overview.in_progress,
            d.overview.overdue,
            d.overview.due_this_month
        );
        for g in &d.groups {
            s += &format!("{}\t{}/{}\t{}%\t{} quá hạn\n", g.label, g.done, g.total, g.percent, g.overdue);
        }
        if let Some(r) = &d.next_report {
            s += &format!("Báo cáo kỳ tới: {} ({})\n", r.date, r.plan_title);
        }
        s
    });
    Ok(())
}

pub fn search_cmd(store: &Store, a: SearchArgs) -> Result<()> {
    let hits = search::search(store, &a.text, a.limit)?;
    print(a.json, &hits, |hs| {
        hs.iter().map(|h| format!("{}\t{}\t{}", h.kind, h.id, h.snippet)).collect::<Vec<_>>().join("\n")
    });
    Ok(())
}
