//! `kehoach rollup …`: the level above's PC (district or province). It keeps a read-only copy of
//! each commune's data — from the hub, or from the bundles communes send on a USB stick — and
//! answers from those copies: who reported for a period, on time or late, the communes × months
//! grid, and its decisions (accept, return, reopen) that travel back to the commune.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use kehoach_core::{reports, Store};
use kehoach_model::{format_number_vi as number, ReviewDecision};
use kehoach_sync::district;
use kehoach_sync::hub_auth::wire::Rollup;
use serde::Serialize;
use uuid::Uuid;

use crate::print;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RollupArgs {
    #[command(subcommand)]
    cmd: Option<RollupCmd>,
    /// The hub, e.g. http://127.0.0.1:8080 (this PC enrolled there with `kehoach-hub
    /// enrol-parent`); without it, the answer comes from the communes' bundles imported here.
    #[arg(long)]
    hub: Option<String>,
    /// YYYY-MM (also YYYY-Qn, YYYY-Hn, YYYY).
    #[arg(long)]
    period: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum RollupCmd {
    /// Take a bundle a commune sent (USB stick) into this PC's read-only copy of that commune.
    Import {
        file: PathBuf,
        /// Accept a sending PC of an already known commune that is not known yet.
        #[arg(long)]
        accept_device: bool,
        #[arg(long)]
        json: bool,
    },
    /// Accept a commune's issued report for a period (locks it).
    Accept(Decision),
    /// Return a commune's issued report with a reason.
    Return(Decision),
    /// Reopen an accepted report so the commune can make a new version.
    Reopen(Decision),
    /// The communes × months grid of a year.
    Grid {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        hub: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The name this PC's unit signs its decisions with, e.g. "UBND huyện Ia Pa".
    Unit { name: Option<String> },
}

#[derive(Args)]
struct Decision {
    /// The commune's name (as in its settings) or id.
    #[arg(long)]
    commune: String,
    #[arg(long)]
    period: String,
    /// Why (required to return a report).
    #[arg(long, default_value = "")]
    reason: String,
    /// Send the decision through this hub at once.
    #[arg(long)]
    hub: Option<String>,
    /// Write the decision into a bundle for the commune (USB stick) to import with `sync import`.
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// Lays out rows as columns padded to their widths (in characters, so Vietnamese lines up).
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, s)| format!("{s}{}", " ".repeat(widths[i] - s.chars().count())))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn percent(r: f64) -> String {
    format!("{}%", number(r * 100.0))
}

/// "dd/mm/yyyy hh:mm" of an RFC 3339 time, as it was written (the sending PC's offset).
fn when(t: &Option<String>) -> String {
    t.as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|d| d.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

fn rollup_text(r: &Rollup) -> String {
    let t = &r.totals;
    let mut s = format!(
        "{} — kỳ {} (tính đến hết ngày {})\nĐã gửi báo cáo: {}/{} xã (đầy đủ {}); đúng hạn: {}/{} xã (kịp thời {})\n\n",
        r.unit,
        r.period,
        r.as_of,
        t.received,
        t.expected,
        percent(t.completeness),
        t.on_time,
        t.expected,
        percent(t.timeliness),
    );
    let mut rows = vec![vec![
        "Xã".to_string(),
        "Nhiệm vụ".into(),
        "Hoàn thành".into(),
        "Quá hạn".into(),
        "Báo cáo kỳ".into(),
        "Gửi lúc".into(),
    ]];
    for c in &r.communes {
        let mut state = c.state.status.label_vi(c.state.late_days);
        if c.ops == 0 {
            state = "chưa đồng bộ".into();
        }
        if let Some(reason) = &c.state.review_reason {
            state += &format!(" ({reason})");
        }
        if let Some(e) = &c.error {
            state = e.clone();
        }
        rows.push(vec![
            c.name.clone(),
            c.tasks.to_string(),
            c.done.to_string(),
            c.overdue.to_string(),
            state,
            when(&c.state.issued_at),
        ]);
    }
    let (tasks, done, overdue) =
        r.communes.iter().fold((0, 0, 0), |(t, d, o), c| (t + c.tasks, d + c.done, o + c.overdue));
    rows.push(vec![
        "Cộng".into(),
        tasks.to_string(),
        done.to_string(),
        overdue.to_string(),
        format!("{}/{}", t.received, t.expected),
    ]);
    s += &table(&rows);
    s += &old_programs_text(r, kehoach_sync::update::PROGRAM_VERSION);
    if !r.indicators.is_empty() {
        let mut rows = vec![vec!["Chỉ tiêu".to_string(), "Đơn vị".into(), "Kết quả (tổng hợp)".into(), "Số xã".into()]];
        for i in &r.indicators {
            rows.push(vec![
                i.text.clone(),
                i.unit.clone().unwrap_or_default(),
                indicator_value(i),
                i.communes.to_string(),
            ]);
        }
        s += "\n\n";
        s += &table(&rows);
        let unbased: u32 = r.indicators.iter().map(|i| i.without_base).sum();
        if unbased > 0 {
            s += &format!("\n({unbased} tỷ lệ nhập không có tử số, mẫu số: không cộng vào tổng hợp)");
        }
    }
    s
}

/// The communes' PCs that run a version older than `current`, one line each; empty when none.
fn old_programs_text(r: &Rollup, current: &str) -> String {
    let mut lines = Vec::new();
    for c in &r.communes {
        for p in c.old_programs(current) {
            let who = p.user.clone().unwrap_or_else(|| format!("máy {}", p.device));
            let on = p.platform.as_deref().map(|x| format!(", {x}")).unwrap_or_default();
            lines.push(format!("- {}: {who} — phiên bản {}{on}", c.name, p.version));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\n\nMáy đang chạy phiên bản cũ (máy này: {current}) — hãy cập nhật:\n{}", lines.join("\n"))
}

/// A sum the way its kind adds up: a count, "Σ tử/Σ mẫu (x%)", or "n xã có".
fn indicator_value(i: &kehoach_model::IndicatorSum) -> String {
    use kehoach_model::IndicatorKind;
    match (i.kind, i.value) {
        (_, None) => "—".into(),
        (IndicatorKind::Percent, Some(v)) => match (i.numerator, i.denominator) {
            (Some(n), Some(d)) => format!("{}/{} ({}%)", number(n), number(d), number(v)),
            _ => format!("{}%", number(v)),
        },
        (IndicatorKind::YesNo, Some(v)) => format!("{} xã có", number(v)),
        (IndicatorKind::Count, Some(v)) => number(v),
    }
}

/// The communes of this PC's unit, from the hub, with their copies brought up to date there.
fn sync_hub(store: &Store, hub: &str, period: &str) -> Result<Vec<Uuid>> {
    let client = kehoach_sync::HubClient::for_store(store, hub)?;
    Ok(district::refresh_from_hub(store, &client, period)?)
}

#[derive(Serialize)]
struct Decided {
    commune: Uuid,
    report: Uuid,
    version: u32,
    status: kehoach_model::ReportStatus,
    reason: String,
    /// Where the decision went: "hub", or the bundle written.
    sent: Vec<String>,
}

fn decide(store: &Store, d: Decision, decision: ReviewDecision) -> Result<()> {
    let period = reports::parse_period(&d.period)?;
    if let Some(hub) = &d.hub {
        sync_hub(store, hub, &d.period)?;
    }
    let commune = district::find_commune(store, &d.commune)?;
    let r = district::decide(store, commune, &period, decision, &d.reason, chrono::Local::now().fixed_offset())?;
    let mut sent = Vec::new();
    if let Some(hub) = &d.hub {
        let client = kehoach_sync::HubClient::for_store(store, hub)?;
        district::sync_from_hub(store, &client, &[commune])?;
        sent.push("hub".to_string());
    }
    if let Some(out) = &d.out {
        let (bytes, _) = district::decision_bundle(store, commune)?;
        crate::sync_cmd::write(out, &bytes)?;
        sent.push(out.display().to_string());
    }
    let out = Decided { commune, report: r.id, version: r.version, status: r.status, reason: d.reason.clone(), sent };
    print(d.json, &out, |o| {
        let mut s = format!("{}: phiên bản {} — {}", o.report, o.version, o.status.label_vi());
        if o.sent.is_empty() {
            s += "\nChưa gửi cho xã: dùng --hub URL hoặc --out TỆP để gửi quyết định.";
        } else {
            s += &format!("\nĐã gửi: {}", o.sent.join(", "));
        }
        s
    });
    Ok(())
}

fn grid_text(g: &district::YearGrid) -> String {
    let mut rows = vec![std::iter::once("Xã".to_string()).chain((1..=12).map(|m| format!("T{m}"))).collect()];
    for r in &g.communes {
        let cells = r.months.iter().map(|m| m.status.grid_code().to_string());
        rows.push(std::iter::once(r.name.clone()).chain(cells).collect());
    }
    format!("Năm {}: ĐH đúng hạn, M muộn, CN đã chấp nhận, TL trả lại, DT dự thảo, – chưa có\n{}", g.year, table(&rows))
}

pub fn rollup(store: &mut Store, args: RollupArgs) -> Result<()> {
    match args.cmd {
        Some(RollupCmd::Import { file, accept_device, json }) => {
            let bytes = std::fs::read(&file).with_context(|| format!("không đọc được {}", file.display()))?;
            let r = district::import_commune_bundle(store, &bytes, accept_device)?;
            print(json, &r, |r| {
                format!(
                    "{}{}: {} thao tác mới, {} đã có; {} tệp đính kèm",
                    if r.name.is_empty() { r.commune.to_string() } else { r.name.clone() },
                    if r.new_commune { " (xã mới trên máy này)" } else { "" },
                    r.applied.applied,
                    r.applied.duplicates,
                    r.attachments
                )
            });
        }
        Some(RollupCmd::Accept(d)) => decide(store, d, ReviewDecision::Accepted)?,
        Some(RollupCmd::Return(d)) => decide(store, d, ReviewDecision::Returned)?,
        Some(RollupCmd::Reopen(d)) => decide(store, d, ReviewDecision::Reopened)?,
        Some(RollupCmd::Grid { year, hub, json }) => {
            let expected = match &hub {
                Some(h) => Some(sync_hub(store, h, &format!("{year:04}-01"))?),
                None => None,
            };
            let g = district::year_grid(store, year, expected.as_deref())?;
            print(json, &g, grid_text);
        }
        Some(RollupCmd::Unit { name }) => match name {
            Some(n) => {
                store.set_local_setting(district::UNIT, n.trim())?;
                println!("{}", n.trim());
            }
            None => println!("{}", store.local_setting(district::UNIT)?.unwrap_or_default()),
        },
        None => {
            let Some(period) = args.period else { bail!("chưa nhập kỳ: --period YYYY-MM") };
            let p = reports::parse_period(&period)?;
            let expected = match &args.hub {
                Some(h) => Some(sync_hub(store, h, &period)?),
                None => None,
            };
            let r = district::rollup(store, &p, expected.as_deref())?;
            print(args.json, &r, rollup_text);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehoach_model::{CommuneReportState, RollupStatus};
    use kehoach_sync::hub_auth::wire::{CommuneRollup, TargetSum};

    #[test]
    fn the_rollup_prints_as_a_table() {
        assert_eq!((number(1234567.0), number(80.25), number(0.0)), ("1.234.567".into(), "80,3".into(), "0".into()));
        let row = |name: &str, status: RollupStatus, late: Option<i64>, ops| CommuneRollup {
            commune: uuid::Uuid::nil(),
            name: name.into(),
            tasks: 5,
            done: 1,
            overdue: 2,
            report: status.received(),
            report_status: None,
            ops,
            state: CommuneReportState {
                status,
                late_days: late,
                issued_at: late.map(|_| "2024-06-12T09:30:00+07:00".to_string()),
                ..CommuneReportState::none()
            },
            programs: Vec::new(),
            error: None,
        };
        let communes = vec![
            row("UBND xã Ia Tul", RollupStatus::OnTime, Some(0), 10),
            row("UBND xã Chư Răng", RollupStatus::Late, Some(3), 3),
            row("Xã mới", RollupStatus::None, None, 0),
        ];
        let totals = kehoach_model::RollupTotals::of(communes.iter().map(|c| &c.state));
        let r = Rollup {
            unit: "UBND huyện Ia Pa".into(),
            period: "2024-05".into(),
            as_of: "2024-05-31".into(),
            communes,
            reported: 2,
            targets: vec![TargetSum {
                text: "Tài khoản định danh mức 2".into(),
                unit: "tài khoản".into(),
                target: 900.0,
                actual: 400.0,
                communes: 2,
            }],
            indicators: kehoach_model::aggregate_indicators(&[
                vec![figure("Tài khoản định danh mức 2", 300.0, None)],
                vec![
                    figure("Tài khoản định danh mức 2", 100.0, None),
                    figure("Tỷ lệ kích hoạt", 0.0, Some((80.0, 100.0))),
                ],
                vec![figure("Tỷ lệ kích hoạt", 0.0, Some((160.0, 200.0)))],
            ]),
            totals,
        };
        let text = rollup_text(&r);
        assert!(
            text.starts_with(
                "UBND huyện Ia Pa — kỳ 2024-05 (tính đến hết ngày 2024-05-31)\n\
                 Đã gửi báo cáo: 2/3 xã (đầy đủ 66,7%); đúng hạn: 1/3 xã (kịp thời 33,3%)"
            ),
            "{text}"
        );
        assert!(
            text.contains("UBND xã Ia Tul    5         1           2        đã gửi đúng hạn     12/06/2024 09:30"),
            "{text}"
        );
        assert!(text.contains("đã gửi muộn 3 ngày"), "{text}");
        assert!(
            text.contains("chưa đồng bộ") && text.contains("Cộng              15        3           6        2/3"),
            "{text}"
        );
        assert!(text.contains("Tài khoản định danh mức 2  tài khoản  400                 2"), "{text}");
        // 80% and 80% make 80% (240/300), never 160%.
        assert!(text.contains("Tỷ lệ kích hoạt            %          240/300 (80%)       2"), "{text}");
    }

    fn figure(text: &str, value: f64, base: Option<(f64, f64)>) -> kehoach_model::IndicatorFigure {
        let kind =
            if base.is_some() { kehoach_model::IndicatorKind::Percent } else { kehoach_model::IndicatorKind::Count };
        kehoach_model::IndicatorFigure {
            key: kehoach_model::indicator_key(None, text, Some(if base.is_some() { "%" } else { "tài khoản" })),
            code: None,
            text: text.into(),
            unit: Some(if base.is_some() { "%" } else { "tài khoản" }.into()),
            kind,
            value: Some(base.map(|(n, d)| n / d * 100.0).unwrap_or(value)),
            numerator: base.map(|b| b.0),
            denominator: base.map(|b| b.1),
            target: None,
            period: Some("2024-05".into()),
        }
    }
}
