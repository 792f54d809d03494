//! `kehoach report …`: the reporting schedule, drafts composed from a plan, and their
//! rendering to PDF, DOCX and XLSX. Each command maps onto `kehoach_core::reports` and
//! `kehoach_report`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use kehoach_core::{reports, Store};
use kehoach_model::ReportDraft;

use crate::{parse_id, print};

#[path = "sign_cmd.rs"]
mod sign_cmd;

// Parsed once per run: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum ReportCmd {
    /// Compose (or reopen) the report of a plan for a period and print it with its id.
    Draft {
        #[arg(long)]
        plan: String,
        /// YYYY-MM (month), YYYY-Qn (quarter), YYYY-Hn (six months) or YYYY (year).
        #[arg(long)]
        period: String,
        /// Date of the report, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print a saved report.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Reports saved, newest period first.
    List {
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Late and upcoming reports of every plan.
    Schedule {
        /// The day to judge on, YYYY-MM-DD (default: today).
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Issue a report printed and signed by hand ("Đã ký tay và gửi"): its number and date,
    /// optionally a scan of the signed paper (PDF, PNG or JPEG). A report signed with
    /// `report sign` is issued by the signing.
    Issue {
        id: String,
        /// Number and symbol given by the clerk, e.g. 24/BC-UBND (required unless the report
        /// has one).
        #[arg(long)]
        number: Option<String>,
        /// Date on the paper, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// A scan of the signed paper.
        #[arg(long)]
        scan: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write the report as PDF (Decree 30 layout), DOCX, and its appendix table as XLSX.
    /// Nothing is written unless every file asked for can be made.
    Render {
        id: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        docx: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Sign the report's PDF (PKCS#12 file or PKCS#11 token) and record the signed file.
    Sign(sign_cmd::SignArgs),
    /// Check every signature of a PDF: integrity, the chain to a trusted root, the
    /// certificate's validity when it signed, revocation. Exit code 2: changed after signing;
    /// 3: intact but not from a trusted authority or not valid when it signed.
    Verify(sign_cmd::VerifyArgs),
    /// The root certificates trusted for signatures on this PC (besides the system's).
    Trust {
        #[command(subcommand)]
        cmd: sign_cmd::TrustCmd,
    },
    /// List the PKCS#11 modules, tokens and certificates on this machine.
    Tokens(sign_cmd::TokensArgs),
}

/// The draft as text: id and state, then the document part by part.
fn draft_text(d: &ReportDraft) -> String {
    let c = &d.content;
    let mut s = format!("{}\t{}\tphiên bản {}\t{}\n", d.id, d.period.code(), d.version, d.status.label_vi());
    if let Some(i) = &d.issued {
        s += &format!("Ban hành: {} ({})", i.issued_at, i.method.label_vi());
        match d.late_days {
            Some(n) if n > 0 => s += &format!(", muộn {n} ngày so với hạn {}\n", d.due.as_deref().unwrap_or("-")),
            _ => s += "\n",
        }
    }
    if let Some(r) = &d.review {
        s += &format!("Cấp trên ({}): {} phiên bản {}", r.by, r.decision.label_vi(), r.version);
        s += &if r.reason.is_empty() { "\n".to_string() } else { format!(" — {}\n", r.reason) };
    }
    if !d.missing.is_empty() {
        s += &format!("Chưa có: {}\n", d.missing.join(", "));
    }
    s += &format!("\n{}\n{}\n\n{}\n", c.doc_type, c.title, c.intro);
    for p in &c.parts {
        s += &format!("\n{}\n", p.heading);
        if !p.text.is_empty() {
            s += &format!("{}\n", p.text);
        }
        for sec in &p.sections {
            s += &format!("{}\n{}\n", sec.heading, sec.text);
        }
    }
    s += &format!("\n{}\n", c.closing);
    s += &format!("\nPhụ lục: {} nhiệm vụ\n", c.appendix.rows.len());
    s
}

pub fn report(store: &mut Store, cmd: ReportCmd) -> Result<()> {
    match cmd {
        ReportCmd::Sign(a) => sign_cmd::sign(store, a)?,
        ReportCmd::Verify(a) => sign_cmd::verify(store, a)?,
        ReportCmd::Trust { cmd } => sign_cmd::trust(store, cmd)?,
        ReportCmd::Tokens(a) => sign_cmd::tokens(a)?,
        ReportCmd::Draft { plan, period, date, json } => {
            let period = reports::parse_period(&period)?;
            let d = reports::draft_report(store, parse_id(&plan, "kế hoạch")?, &period, date.as_deref())?;
            print(json, &d, draft_text);
        }
        ReportCmd::Show { id, json } => {
            let d = reports::report(store, parse_id(&id, "báo cáo")?)?;
            print(json, &d, draft_text);
        }
        ReportCmd::List { plan, json } => {
            let plan = plan.map(|p| parse_id(&p, "kế hoạch")).transpose()?;
            let list = reports::list_reports(store, plan)?;
            print(json, &list, |l| {
                l.iter()
                    .map(|r| {
                        let late = match r.late_days {
                            Some(n) if n > 0 => format!(" (muộn {n} ngày)"),
                            _ => String::new(),
                        };
                        format!(
                            "{}\t{}\tphiên bản {}\t{}{late}\t{}",
                            r.id,
                            r.period.code(),
                            r.version,
                            r.status.label_vi(),
                            r.title
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ReportCmd::Schedule { as_of, json } => {
            let s = reports::report_schedule(store, as_of.as_deref())?;
            print(json, &s, |s| {
                s.iter()
                    .map(|e| {
                        let state = match e.state {
                            kehoach_model::ScheduleState::Late => format!("quá hạn {} ngày", -e.days_left),
                            kehoach_model::ScheduleState::Upcoming => format!("còn {} ngày", e.days_left),
                            kehoach_model::ScheduleState::Done => "đã gửi".into(),
                            kehoach_model::ScheduleState::Returned => "cấp trên trả lại".into(),
                        };
                        format!(
                            "{}\t{}\t{}\t{}\t{}",
                            e.due,
                            e.period_code,
                            state,
                            e.plan_title,
                            e.to.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ReportCmd::Issue { id, number, date, scan, json } => {
            let form = reports::HandIssue { number, date, scan: scan.map(|p| p.display().to_string()) };
            let now = chrono::Local::now().fixed_offset();
            let d = reports::issue_by_hand(store, parse_id(&id, "báo cáo")?, &form, now)?;
            print(json, &d, |d| format!("{}\t{}\tphiên bản {}", d.id, d.status.label_vi(), d.version));
        }
        ReportCmd::Render { id, pdf, docx, xlsx } => {
            if pdf.is_none() && docx.is_none() && xlsx.is_none() {
                bail!("chưa chọn tệp nào để xuất (--pdf, --docx, --xlsx)");
            }
            let d = reports::report(store, parse_id(&id, "báo cáo")?)?;
            let created = chrono::Local::now().fixed_offset();
            // Everything is made in memory first: a refusal leaves no file behind.
            let mut files = Vec::new();
            if let Some(p) = pdf {
                files.push((p, kehoach_report::render_report_pdf(&d.content, created)?));
            }
            if let Some(p) = docx {
                files.push((p, kehoach_report::render_report_docx(&d.content)?));
            }
            if let Some(p) = xlsx {
                files.push((p, kehoach_report::render_report_xlsx(&d.content)?));
            }
            for (path, bytes) in files {
                std::fs::write(&path, bytes).with_context(|| format!("không ghi được tệp {}", path.display()))?;
                println!("{}", path.display());
            }
        }
    }
    Ok(())
}
