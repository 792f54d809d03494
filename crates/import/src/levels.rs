//! Times written per administrative level: "cấp huyện từ ngày 01/7/2023; cấp xã từ ngày
//! 01/10/2023", "Quý II/2023 đối với cấp huyện, quý III/2023 đối với cấp xã", "UBND các xã hoàn
//! thành trước 30/6/2023; UBND huyện tổng hợp trước 15/7/2023". A commune must not be held to the
//! district's date: each level keeps its own, and the importing unit takes its level's.

use std::sync::LazyLock;

use kehoach_model::{Due, DueKind, LevelDue, TimeReading};
use regex::Regex;

use crate::timeframe::parse_due;

/// The level names plans write after "cấp" or "UBND"; "thị xã" before "xã" so it is read whole.
const LEVEL: &str = r"(?:thị xã|thị trấn|thành phố|trung ương|xã|phường|cơ sở|huyện|quận|tỉnh)";

/// "cấp huyện", "UBND các xã", "cấp tỉnh, cấp huyện", "cấp huyện và xã": one group of levels
/// that share what follows (or precedes) it.
static RE_LEVEL_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:cấp|ubnd|[uủ][yỷ] ban nhân dân)\s+(?:các\s+)?{LEVEL}\b(?:\s*(?:,|và|/|-|–)\s*(?:(?:cấp|ubnd)\s+)?(?:các\s+)?{LEVEL}\b)*"
    ))
    .unwrap()
});
static RE_LEVEL_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"(?i)\b{LEVEL}\b")).unwrap());

/// One group of level names and where it stands in the time.
struct Group {
    start: usize,
    end: usize,
    levels: Vec<String>,
}

fn groups(text: &str) -> Vec<Group> {
    RE_LEVEL_GROUP
        .find_iter(text)
        .map(|m| Group {
            start: m.start(),
            end: m.end(),
            levels: RE_LEVEL_WORD
                .find_iter(&m.as_str()[m.as_str().find(char::is_whitespace).unwrap_or(0)..])
                .map(|w| w.as_str().to_lowercase())
                .collect(),
        })
        .collect()
}

fn dated(text: &str, year: Option<i32>) -> Option<Due> {
    let due = parse_due(text, year);
    (due.kind != DueKind::None).then_some(due)
}

/// Pairs the groups of one clause (a part between ";") with their dates. A clause naming one
/// group takes the clause's date; with several, the dates follow the levels ("cấp huyện từ …,
/// cấp xã từ …") or precede them ("Quý II đối với cấp huyện, quý III đối với cấp xã") — whichever
/// leaves no date outside the pieces. A group without a date of its own shares its neighbour's.
fn pair_clause(clause: &str, year: Option<i32>) -> Vec<(Vec<String>, Option<Due>)> {
    let gs = groups(clause);
    match gs.as_slice() {
        [] => Vec::new(),
        [g] => vec![(g.levels.clone(), dated(clause, year))],
        _ => {
            let first = &gs[0];
            let last = &gs[gs.len() - 1];
            let levels_first = dated(&clause[..first.start], year).is_none();
            let dates_first = !levels_first && dated(&clause[last.end..], year).is_none();
            if !levels_first && !dates_first {
                return Vec::new();
            }
            let mut out: Vec<(Vec<String>, Option<Due>)> = gs
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let piece = if levels_first {
                        &clause[g.start..gs.get(i + 1).map_or(clause.len(), |n| n.start)]
                    } else {
                        &clause[if i == 0 { 0 } else { gs[i - 1].end }..g.end]
                    };
                    (g.levels.clone(), dated(piece, year))
                })
                .collect();
            // "cấp tỉnh và UBND các xã hoàn thành …": the undated group shares the next date
            // (levels first) or the previous one (dates first).
            let n = out.len();
            let order: Vec<usize> = if levels_first { (0..n).rev().collect() } else { (0..n).collect() };
            let mut carry: Option<Due> = None;
            for i in order {
                match &out[i].1 {
                    Some(d) => carry = Some(d.clone()),
                    None => out[i].1 = carry.clone(),
                }
            }
            out
        }
    }
}

/// Each level's date when `time` names one per level, in the order written; empty when it
/// names no level, one level, or one date for all of them.
pub fn levels_in(time: &str, year: Option<i32>) -> Vec<LevelDue> {
    split(time, year).0
}

/// The levels' dates, and the date of a clause that names no level ("Trong quý II/2023; riêng
/// cấp xã trong quý III/2023": quý II for every level not named).
fn split(time: &str, year: Option<i32>) -> (Vec<LevelDue>, Option<Due>) {
    if !RE_LEVEL_GROUP.is_match(time) {
        return (Vec::new(), None);
    }
    let mut out: Vec<LevelDue> = Vec::new();
    let mut others: Option<Due> = None;
    let mut dues: Vec<Due> = Vec::new();
    for clause in time.split(';') {
        let pairs = pair_clause(clause, year);
        if pairs.is_empty() {
            if let Some(d) = dated(clause, year) {
                others.get_or_insert(d.clone());
                dues.push(d);
            }
        }
        for (levels, due) in pairs {
            let Some(due) = due else { continue };
            dues.push(due.clone());
            // A level written twice with two dates (a slip in the plan) keeps both, for the
            // officer to see; the first is taken.
            for level in levels {
                let entry = LevelDue { level, due: due.clone() };
                if !out.contains(&entry) {
                    out.push(entry);
                }
            }
        }
    }
    if dues.iter().any(|d| *d != dues[0]) {
        (out, others)
    } else {
        (Vec::new(), None)
    }
}

/// The level names a settings `level` answers to, most specific first ("commune", "ward",
/// "township", "district", "province"; unset: the app's users are communes).
fn level_words(level: Option<&str>) -> &'static [&'static str] {
    match level.unwrap_or("commune") {
        "district" => &["huyện", "quận", "thị xã", "thành phố"],
        "province" => &["tỉnh", "thành phố", "trung ương"],
        "ward" => &["phường", "xã", "cơ sở", "thị trấn"],
        "township" => &["thị trấn", "xã", "cơ sở", "phường"],
        _ => &["xã", "cơ sở", "phường", "thị trấn"],
    }
}

/// The importing unit's own date among the levels' ones, if its level is named.
pub(crate) fn own_due(levels: &[LevelDue], level: Option<&str>) -> Option<Due> {
    level_words(level).iter().find_map(|w| levels.iter().find(|l| l.level == *w)).map(|l| l.due.clone())
}

/// Reads a timeframe for one unit: the deadline as written, or — when the time names one date
/// per level — its own level's, with every level's kept beside it.
pub fn read_time(time: &str, year: Option<i32>, level: Option<&str>) -> TimeReading {
    let (due_by_level, others) = split(time, year);
    let due = own_due(&due_by_level, level).or(others).unwrap_or_else(|| parse_due(time, year));
    TimeReading { due, due_by_level }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(date: &str) -> Due {
        Due::new(DueKind::From { date: date.into() })
    }

    fn quarter(q: u32) -> Due {
        Due::new(DueKind::Quarter { year: 2023, quarter: q })
    }

    fn pairs(time: &str) -> Vec<(String, Due)> {
        levels_in(time, Some(2023)).into_iter().map(|l| (l.level, l.due)).collect()
    }

    #[test]
    fn levels_first_between_semicolons() {
        assert_eq!(
            pairs("cấp huyện từ ngày 01 tháng 7 năm 2023; cấp xã từ ngày 01 tháng 10 năm 2023."),
            vec![("huyện".into(), from("2023-07-01")), ("xã".into(), from("2023-10-01"))]
        );
    }

    #[test]
    fn levels_first_after_commas() {
        assert_eq!(
            pairs("Cấp huyện: trong quý II/2023, cấp xã: trong quý III/2023"),
            vec![("huyện".into(), quarter(2)), ("xã".into(), quarter(3))]
        );
    }

    #[test]
    fn dates_first() {
        assert_eq!(
            pairs("Quý II/2023 đối với cấp huyện, quý III/2023 đối với cấp xã, phường, thị trấn"),
            vec![
                ("huyện".into(), quarter(2)),
                ("xã".into(), quarter(3)),
                ("phường".into(), quarter(3)),
                ("thị trấn".into(), quarter(3))
            ]
        );
    }

    #[test]
    fn grouped_levels_share_a_date() {
        assert_eq!(
            pairs("Cấp tỉnh, cấp huyện hoàn thành trong quý II/2023; UBND các xã hoàn thành trong quý III/2023"),
            vec![("tỉnh".into(), quarter(2)), ("huyện".into(), quarter(2)), ("xã".into(), quarter(3))]
        );
    }

    #[test]
    fn one_date_for_every_level_is_no_list() {
        assert!(pairs("Cấp huyện, cấp xã hoàn thành trong quý II/2023").is_empty());
        assert!(pairs("Trong quý II/2023 (UBND huyện tổng hợp báo cáo UBND tỉnh)").is_empty());
        assert!(pairs("Trong quý II/2023").is_empty());
        assert!(pairs("Bộ phận Một cửa cấp xã, trong quý II/2023").is_empty());
    }

    #[test]
    fn thi_xa_is_not_xa() {
        // "Thị xã:" without "cấp" marks no level: that clause is every other level's date.
        assert_eq!(
            pairs("Thị xã: tháng 5/2023; cấp xã: tháng 8/2023"),
            vec![("xã".into(), Due::new(DueKind::Month { year: 2023, month: 8 }))]
        );
        let p = pairs("cấp thị xã trong tháng 5/2023; cấp xã trong tháng 8/2023");
        assert_eq!(p[0].0, "thị xã");
        assert_eq!(p[1].0, "xã");
    }

    #[test]
    fn each_unit_takes_its_level() {
        let t = "cấp huyện từ ngày 01/7/2023; cấp xã từ ngày 01/10/2023";
        assert_eq!(read_time(t, Some(2023), Some("commune")).due, from("2023-10-01"));
        assert_eq!(read_time(t, Some(2023), Some("ward")).due, from("2023-10-01"));
        assert_eq!(read_time(t, Some(2023), None).due, from("2023-10-01"));
        assert_eq!(read_time(t, Some(2023), Some("district")).due, from("2023-07-01"));
        // A level the time does not name keeps the time's first date.
        assert_eq!(read_time(t, Some(2023), Some("province")).due, from("2023-07-01"));
        assert_eq!(read_time(t, Some(2023), None).due_by_level.len(), 2);
    }

    #[test]
    fn a_special_case_for_communes() {
        let r = read_time("Trong quý II/2023; riêng cấp xã trong quý III/2023", Some(2023), Some("commune"));
        assert_eq!(r.due, quarter(3));
        let r = read_time("Trong quý II/2023; riêng cấp xã trong quý III/2023", Some(2023), Some("district"));
        assert_eq!(r.due, quarter(2));
    }
}
