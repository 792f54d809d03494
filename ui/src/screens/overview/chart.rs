//! The dashboard's bars: each utility group's tasks split into done, in progress on time,
//! overdue, not yet due and cannot do, with the legend naming the colours.

use kehoach_model::GroupProgress;
use yew::prelude::*;

/// The parts a group's bar is split into, in drawing order: none overlaps another, so an
/// in-progress task past its deadline is counted once, as overdue.
const PARTS: [(&str, &str); 5] = [
    ("hoàn thành", "#2e7d32"),
    ("đang thực hiện, còn hạn", "#f9a825"),
    ("quá hạn", "#c62828"),
    ("chưa đến hạn", "#90a4ae"),
    ("không thực hiện được", "#5d4037"),
];

fn parts(g: &GroupProgress) -> [u32; 5] {
    [g.done, g.in_progress_on_time, g.overdue, g.not_yet_due, g.cannot_do]
}

/// Horizontal bars, one per utility group, split by [`PARTS`] out of the group's total.
pub fn group_chart(groups: &[GroupProgress]) -> Html {
    let rows: Vec<&GroupProgress> = groups.iter().filter(|g| g.total > 0).collect();
    // Each group: its full name on one line, the bar under it (names are long).
    let h = 48 * rows.len().max(1) + 6;
    let width = 640.0;
    let bars = rows.iter().enumerate().map(|(i, g)| {
        let y = 6 + i * 48;
        let bar_y = (y + 20).to_string();
        let counts = parts(g);
        let summary: Vec<String> =
            PARTS.iter().zip(counts).filter(|(_, n)| *n > 0).map(|((label, _), n)| format!("{n} {label}")).collect();
        let mut x = 0.0;
        let segments = PARTS.iter().zip(counts).filter(|(_, n)| *n > 0).map(|((label, colour), n)| {
            let w = width * n as f64 / g.total.max(1) as f64;
            let seg = html! {
                <rect class="bar-part" data-part={*label} data-count={n.to_string()} x={x.to_string()} y={bar_y.clone()}
                    width={w.to_string()} height="18" fill={*colour} />
            };
            x += w;
            seg
        });
        html! {
            <g class="group-bar" data-group={g.key.clone()}>
                <title>{ format!("{}: {}", g.label, summary.join(", ")) }</title>
                <text x="0" y={(y + 13).to_string()} font-size="14">{ format!("{} — {}/{} nhiệm vụ hoàn thành", g.label, g.done, g.total) }</text>
                <rect x="0" y={bar_y.clone()} width={width.to_string()} height="18" fill="#e6e9ed" rx="3" />
                { for segments }
                <text x={(width + 10.0).to_string()} y={(y + 34).to_string()} font-size="14">{ format!("{:.0}%", g.percent) }</text>
            </g>
        }
    });
    html! {
        <svg id="group-chart" viewBox={format!("0 0 740 {h}")} width="100%" role="img" aria-label="Tiến độ theo nhóm tiện ích">
            { for bars }
        </svg>
    }
}

pub fn chart_legend() -> Html {
    html! {
        <p class="muted legend" id="group-legend">{ for PARTS.iter().map(|(label, colour)| html! {
            <span class="legend-item"><span class="sw" style={format!("background:{colour}")}></span>{ format!(" {label}") }</span>
        }) }</p>
    }
}
