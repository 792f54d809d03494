//! The year at a glance: communes × months, each cell in its state's colour with a short code
//! (the code survives a black-and-white printout, the colour reads faster on screen).

use kehoach_model::RollupStatus;
use yew::prelude::*;

use super::types::YearGrid;

/// The short code of a state, as on the printed grid.
fn code(s: RollupStatus) -> &'static str {
    s.grid_code()
}

/// Every state's colour and name, for the table and the grid.
pub fn legend() -> Html {
    let items = RollupStatus::ALL.iter().map(|s| {
        let name = match s {
            RollupStatus::None => "chưa có",
            RollupStatus::Draft => "dự thảo (chưa gửi)",
            RollupStatus::OnTime => "đúng hạn",
            RollupStatus::Late => "muộn",
            RollupStatus::Accepted => "đã chấp nhận",
            RollupStatus::Returned => "trả lại",
        };
        html! { <span class="item"><span class="sw" style={format!("background:{}", s.colour())}></span>{ format!("{} {name}", code(*s)) }</span> }
    });
    html! { <p class="legend states" id="rollup-legend">{ for items }</p> }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub grid: YearGrid,
    /// A month clicked: its period ("2026-10"), to show it above.
    pub on_pick: Callback<String>,
}

#[function_component(YearGridView)]
pub fn year_grid(p: &Props) -> Html {
    let g = &p.grid;
    if g.communes.is_empty() {
        return html! {};
    }
    // A month not over yet with nothing sent is not missing: it is left blank, so the grey of
    // "chưa có" stands for reports that are really owed.
    let today = js_sys::Date::new_0();
    let (this_year, this_month) = (today.get_full_year() as i32, today.get_month() as usize + 1);
    let open = |m: usize| g.year > this_year || (g.year == this_year && m + 1 >= this_month);
    let year = g.year;
    let rows = g.communes.iter().map(|r| {
        let cells = r.months.iter().enumerate().map(|(m, s)| {
            let st = s.status;
            if st == RollupStatus::None && open(m) {
                return html! { <td class="cell open" data-state="open" title={format!("Tháng {}/{}: chưa đến kỳ báo cáo", m + 1, g.year)}></td> };
            }
            let fg = if matches!(st, RollupStatus::Draft) { "#1f2933" } else { "#fff" };
            let mut title = format!("Tháng {}/{}: {}", m + 1, g.year, st.label_vi(s.late_days));
            if let Some(reason) = &s.review_reason {
                title += &format!(" — {reason}");
            }
            let onclick = p.on_pick.reform(move |_: MouseEvent| format!("{year:04}-{:02}", m + 1));
            html! { <td class="cell" data-state={st.as_str()} style={format!("background:{};color:{fg}", st.colour())} {title} {onclick}>{ code(st) }</td> }
        });
        html! { <tr><th class="name">{ &r.name }</th>{ for cells }</tr> }
    });
    html! {
        <div class="card" id="rollup-grid">
            <h2 style="margin-top:0">{ format!("Báo cáo hằng tháng năm {}", g.year) }</h2>
            <p class="muted">{ "Bấm vào một tháng để xem các xã của tháng đó." }</p>
            <table class="grid">
                <thead><tr><th>{ "Xã" }</th>{ for (1..=12).map(|m| html! { <th>{ format!("T{m}") }</th> }) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
