//! `kehoach plan derive|publish|receive|upstream|changes|carry|coverage`: plans flow down from
//! the level above to its communes (issue 17). The steps are in [`crate::flow`], shared with the
//! desktop app; here are their arguments and their printing.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use kehoach_core::{upstream, Store};
use kehoach_model::{Amendment, Coverage, DeriveProposal};
use kehoach_sync::publish;
use serde::Serialize;
use uuid::Uuid;

use crate::{flow, parse_id, print};

#[derive(Subcommand)]
pub enum FlowCmd {
    /// The commune's plan proposed from a plan of the level above (a received one, or the level
    /// above's document imported here): the tasks that concern the commune, their units worded
    /// for it, its level's dates. With --create, makes the plan (from --proposal, the proposal
    /// as edited, else as proposed).
    Derive {
        /// The plan of the level above (not needed with --proposal).
        parent_id: Option<String>,
        #[arg(long)]
        create: bool,
        /// A proposal as printed by --json and edited (tick with "selected", change any field).
        #[arg(long)]
        proposal: Option<PathBuf>,
        /// The commune plan's title (default: "Kế hoạch thực hiện Kế hoạch số … của …").
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A district or province PC: publish a plan to its communes, through the hub (this PC
    /// enrolled there as their parent unit) and/or as a file for a commune's USB stick.
    Publish {
        id: String,
        #[arg(long)]
        hub: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        /// A commune it goes to (repeatable; default: every commune this PC keeps a copy of).
        #[arg(long)]
        commune: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// A commune PC: receive the level above's plans from a file, or from the hub.
    Receive {
        file: Option<PathBuf>,
        #[arg(long)]
        hub: Option<String>,
        /// Trust the level above's PC that signed it (the first time; compare its fingerprint).
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        json: bool,
    },
    /// The plans of the level above received here ("Kế hoạch cấp trên").
    Upstream {
        #[arg(long)]
        json: bool,
    },
    /// What a newer version of the level above's plan changes for a commune plan derived from it.
    Changes {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Carry a newer version's changes into the commune plan: the ticked ones (--defaults), or
    /// the items named by number (--item, repeatable, as `changes` lists them).
    Carry {
        id: String,
        #[arg(long)]
        defaults: bool,
        #[arg(long)]
        item: Vec<usize>,
        #[arg(long)]
        json: bool,
    },
    /// A district PC: which communes have taken on each task of a published plan, and which
    /// communes have derived nothing a month after publication.
    Coverage {
        id: String,
        /// Bring the communes' copies up to date from the hub first.
        #[arg(long)]
        hub: Option<String>,
        /// The day judged on (YYYY-MM-DD; default today).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn proposal_text(p: &DeriveProposal) -> String {
    let mut s = format!("{}\n", p.title);
    for (i, t) in p.tasks.iter().enumerate() {
        s += &format!(
            "{}. [{}] {} {}\n   Cấp trên: {}\n   Xã: chủ trì {}{}; thời hạn: {}\n",
            i + 1,
            if t.selected { "x" } else { " " },
            t.task.parent_ref.as_deref().unwrap_or("-"),
            t.task.text,
            t.parent_units,
            t.task.lead.join("; "),
            if t.task.coord.is_empty() { String::new() } else { format!(", phối hợp {}", t.task.coord.join("; ")) },
            t.task.time_text.as_deref().unwrap_or("-"),
        );
    }
    if !p.left_out.is_empty() {
        s += &format!("Không đề xuất ({} nhiệm vụ của cấp khác):\n", p.left_out.len());
        for l in &p.left_out {
            s += &format!("   {l}\n");
        }
    }
    s
}

fn amendment_text(a: &Amendment) -> String {
    let mut s = format!("Phiên bản {} → {}\n", a.from_version, a.to_version);
    for (i, it) in a.items.iter().enumerate() {
        s += &format!(
            "{}. [{}] {}: {} {}{}\n",
            i + 1,
            if it.selected { "x" } else { " " },
            it.kind.label_vi(),
            it.parent_ref.as_deref().unwrap_or("-"),
            it.text,
            match (&it.before, &it.after) {
                (Some(b), Some(a)) => format!(" ({b} → {a})"),
                _ => String::new(),
            }
        );
    }
    s
}

fn coverage_text(c: &Coverage) -> String {
    let mut s = format!("{} (phiên bản {})\n", c.title, c.version);
    for r in &c.rows {
        s += &format!("{}/{}\t{} {}\n", r.covered, r.expected, r.reference.as_deref().unwrap_or("-"), r.text);
        for st in &r.communes {
            s += &format!("\t  {}: {}{}\n", st.name, st.status.label_vi(), if st.overdue { " (quá hạn)" } else { "" });
        }
    }
    for d in &c.communes {
        let state = match (d.plan, d.flagged) {
            (Some(_), _) => format!("đã lập kế hoạch (phiên bản {})", d.version.map_or("-".into(), |v| v.to_string())),
            (None, true) => "CHƯA LẬP KẾ HOẠCH sau một tháng".into(),
            (None, false) => "chưa lập kế hoạch".into(),
        };
        s += &format!("{}\t{}\n", d.name, state);
    }
    s
}

#[derive(Serialize)]
struct Published {
    plan_id: Uuid,
    version: u32,
    communes: Vec<Uuid>,
    hub_communes: Option<u32>,
    file: Option<PathBuf>,
}

#[derive(Serialize)]
struct ReceivedOut {
    plan_id: Uuid,
    version: u32,
    unit: String,
    new: bool,
    newly_trusted: bool,
    changes: Option<kehoach_model::PlanChanges>,
}

fn received(r: &publish::Received) -> ReceivedOut {
    ReceivedOut {
        plan_id: r.publication.plan_id,
        version: r.publication.version,
        unit: r.publication.unit.clone(),
        new: r.new,
        newly_trusted: r.newly_trusted,
        changes: r.changes.clone(),
    }
}

fn received_text(r: &ReceivedOut) -> String {
    format!("{}\tphiên bản {}\t{}{}", r.plan_id, r.version, r.unit, if r.new { "" } else { " (đã có, không đổi)" })
}

pub fn run(store: &mut Store, cmd: FlowCmd) -> Result<()> {
    match cmd {
        FlowCmd::Derive { parent_id, create, proposal, title, json } => {
            let mut p = match &proposal {
                Some(file) => {
                    let text =
                        std::fs::read_to_string(file).with_context(|| format!("không đọc được {}", file.display()))?;
                    serde_json::from_str::<DeriveProposal>(&text).with_context(|| {
                        format!("{} không phải đề xuất kế hoạch (kehoach plan derive --json)", file.display())
                    })?
                }
                None => match &parent_id {
                    Some(id) => flow::proposal(store, parse_id(id, "kế hoạch cấp trên")?)?,
                    None => bail!("cần mã kế hoạch cấp trên hoặc --proposal TỆP"),
                },
            };
            if let Some(t) = title {
                p.title = t;
            }
            if create {
                let plan = flow::create_derived(store, &p)?;
                print(json, &plan, |p| format!("{}\t{} nhiệm vụ\t{}", p.id, p.task_count, p.title));
            } else {
                print(json, &p, proposal_text);
            }
        }
        FlowCmd::Publish { id, hub, out, commune, json } => {
            if hub.is_none() && out.is_none() {
                bail!("cần --hub URL hoặc --out TỆP (hoặc cả hai)");
            }
            let id = parse_id(&id, "kế hoạch")?;
            let communes: Vec<Uuid> = if commune.is_empty() {
                flow::known_communes(store)?
            } else {
                commune.iter().map(|c| kehoach_sync::district::find_commune(store, c)).collect::<Result<_, _>>()?
            };
            let signed = publish::publish(store, id, &communes)?;
            let version = upstream::parse(&signed)?.version;
            let hub_communes = match &hub {
                Some(url) => {
                    let client = kehoach_sync::HubClient::for_store(store, url)?;
                    Some(publish::post(&client, store, &signed)?.communes)
                }
                None => None,
            };
            if let Some(path) = &out {
                publish::write_file(path, &signed)?;
            }
            let r = Published { plan_id: id, version, communes, hub_communes, file: out };
            print(json, &r, |r| {
                format!(
                    "Đã gửi phiên bản {} cho {} xã{}{}",
                    r.version,
                    r.communes.len(),
                    r.hub_communes.map(|n| format!("; máy chủ giữ cho {n} xã")).unwrap_or_default(),
                    r.file.as_ref().map(|f| format!("; tệp {}", f.display())).unwrap_or_default()
                )
            });
        }
        FlowCmd::Receive { file, hub, accept, json } => {
            let mut out = Vec::new();
            let mut refused = Vec::new();
            if let Some(path) = &file {
                let bytes = std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
                out.push(received(&publish::receive(store, &bytes, accept)?));
            }
            if let Some(url) = &hub {
                let client = kehoach_sync::HubClient::for_store(store, url)?;
                for r in publish::fetch(&client, store, accept)? {
                    match r {
                        Ok(r) => out.push(received(&r)),
                        Err(e) => refused.push(e.to_string()),
                    }
                }
            }
            if file.is_none() && hub.is_none() {
                bail!("cần tệp kế hoạch cấp trên hoặc --hub URL");
            }
            print(json, &out, |o| o.iter().map(received_text).collect::<Vec<_>>().join("\n"));
            if !refused.is_empty() {
                bail!("không nhận: {}", refused.join("; "));
            }
        }
        FlowCmd::Upstream { json } => {
            let list = upstream::list(store)?;
            print(json, &list, |l| {
                l.iter()
                    .map(|u| {
                        format!(
                            "{}\tphiên bản {}\t{}\t{}\t{}",
                            u.publication.plan_id,
                            u.publication.version,
                            u.publication.unit,
                            u.publication.plan.title,
                            if u.derived.is_empty() {
                                "chưa lập kế hoạch của xã"
                            } else {
                                "đã lập kế hoạch của xã"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        FlowCmd::Changes { id, json } => {
            let a = flow::amendment(store, parse_id(&id, "kế hoạch")?)?;
            print(json, &a, |a| match a {
                Some(a) => amendment_text(a),
                None => "Kế hoạch đã theo phiên bản mới nhất của cấp trên.".into(),
            });
        }
        FlowCmd::Carry { id, defaults, item, json } => {
            let Some(mut a) = flow::amendment(store, parse_id(&id, "kế hoạch")?)? else {
                bail!("không có thay đổi nào của cấp trên để cập nhật");
            };
            if !defaults {
                if item.is_empty() {
                    bail!("chọn mục để cập nhật: --item N (theo số thứ tự của kehoach plan changes) hoặc --defaults");
                }
                for (i, it) in a.items.iter_mut().enumerate() {
                    it.selected = item.contains(&(i + 1));
                }
                if let Some(n) = item.iter().find(|n| **n == 0 || **n > a.items.len()) {
                    bail!("không có mục {n} (có {} mục)", a.items.len());
                }
            }
            let plan = flow::carry(store, &a)?;
            print(json, &plan, |p| format!("{}\t{} nhiệm vụ\t{}", p.id, p.task_count, p.title));
        }
        FlowCmd::Coverage { id, hub, as_of, json } => {
            let id = parse_id(&id, "kế hoạch")?;
            if let Some(url) = &hub {
                let client = kehoach_sync::HubClient::for_store(store, url)?;
                let communes = publish::last_published(store, id)?.map(|l| l.communes).unwrap_or_default();
                kehoach_sync::district::sync_from_hub(store, &client, &communes)?;
            }
            let today = match as_of {
                Some(d) => kehoach_core::check_iso_date("Ngày xem", &d)?,
                None => kehoach_core::queries::today(),
            };
            let c = flow::coverage(store, id, today)?;
            print(json, &c, coverage_text);
        }
    }
    Ok(())
}
