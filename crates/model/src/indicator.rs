//! Indicators (chỉ tiêu) by kind, and how the level above adds them up.
//!
//! A target is one of three kinds:
//! - a **count** (applications received, accounts activated): communes' figures are summed;
//! - a **percentage** with a numerator and a denominator (accounts activated / citizens aged 14
//!   and over): communes' figures are aggregated as Σ numerator / Σ denominator × 100, never by
//!   adding or averaging percentages;
//! - a **yes/no** (the working group met this month): the communes that said yes are counted.
//!
//! Everything here is pure and builds for wasm32, so the district screen, the CLI, the hub and
//! the printed roll-up add up the same way.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::rollup::format_number_vi;

/// What kind of figure a target takes, and so how communes' figures add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A number of things, summed across communes.
    #[default]
    Count,
    /// A share: numerator / denominator × 100, aggregated as Σ numerator / Σ denominator.
    Percent,
    /// Done or not (1 or 0); the level above counts the yeses.
    YesNo,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 3] = [IndicatorKind::Count, IndicatorKind::Percent, IndicatorKind::YesNo];

    /// The kind of a target stored before kinds existed (imported, or added by hand): a unit
    /// of "%" makes a percentage, anything else a count — what the old code assumed.
    pub fn infer(unit: Option<&str>) -> Self {
        if unit.is_some_and(is_percent_unit) {
            IndicatorKind::Percent
        } else {
            IndicatorKind::Count
        }
    }

    /// `count`, `percent`, `yes_no` — as serde writes it and the CLI takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Count => "count",
            IndicatorKind::Percent => "percent",
            IndicatorKind::YesNo => "yes_no",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        IndicatorKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// As the officer reads it on the form.
    pub fn label_vi(self) -> &'static str {
        match self {
            IndicatorKind::Count => "Số lượng",
            IndicatorKind::Percent => "Tỷ lệ % (tử số/mẫu số)",
            IndicatorKind::YesNo => "Có/Không",
        }
    }
}

/// "%" or "phần trăm".
pub fn is_percent_unit(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "phần trăm")
}

/// A standard indicator of the built-in catalogue (assets/catalogue/indicators.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueIndicator {
    /// Stable key ("cccd_ho_so_tiep_nhan"): communes' figures add up by it, whatever a
    /// commune's copy of the text says.
    pub code: String,
    pub text: String,
    /// What is counted ("hồ sơ", "tài khoản"), "%" for a percentage, none for yes/no.
    #[serde(default)]
    pub unit: Option<String>,
    pub kind: IndicatorKind,
    /// For a percentage: what the numerator counts ("tài khoản định danh điện tử mức độ 2
    /// đã kích hoạt") and the denominator ("công dân từ 14 tuổi trở lên").
    #[serde(default)]
    pub numerator: Option<String>,
    #[serde(default)]
    pub denominator: Option<String>,
    /// The utility group the indicator belongs to (a key of the group table).
    #[serde(default)]
    pub group: Option<String>,
}

/// A figure as the officer enters it, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NewFigure {
    /// A count; for a percentage target without a base (imported, old), the percentage itself.
    Value { value: f64 },
    /// A percentage's numerator and denominator; the percentage is computed from them.
    Ratio { numerator: f64, denominator: f64 },
    /// A yes/no answer, stored as 1 or 0.
    YesNo { yes: bool },
}

/// A figure as typed in the target panel, before the core reads it: a number, a numerator
/// and a denominator ("1.234", "1.500"), or a yes/no; blank fields count as not given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypedFigure {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub numerator: Option<String>,
    #[serde(default)]
    pub denominator: Option<String>,
    #[serde(default)]
    pub yes: Option<bool>,
}

/// One commune's figure of one indicator for a period: the input of `aggregate_indicators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorFigure {
    /// What communes' figures add up by: see `indicator_key`.
    pub key: String,
    /// The catalogue code, when the target came from the catalogue.
    #[serde(default)]
    pub code: Option<String>,
    pub text: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub kind: IndicatorKind,
    /// The figure: a count, a percentage, or 1/0 for yes/no; none when nothing was recorded.
    #[serde(default)]
    pub value: Option<f64>,
    /// A percentage's base, when it was recorded with one.
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    /// The commune's goal for the indicator (a count, a percentage, 1 for yes/no).
    #[serde(default)]
    pub target: Option<f64>,
    /// The month (`YYYY-MM`) the figure was recorded for.
    #[serde(default)]
    pub period: Option<String>,
}

/// The communes' figures of one indicator, added up by its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSum {
    pub key: String,
    #[serde(default)]
    pub code: Option<String>,
    pub text: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub kind: IndicatorKind,
    /// Count: Σ value. Percent: Σ numerator / Σ denominator × 100 (none when no commune gave a
    /// base). Yes/no: the number of communes that said yes.
    #[serde(default)]
    pub value: Option<f64>,
    /// Percent only: Σ numerator and Σ denominator of the communes counted.
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    /// Count: Σ of the communes' goals. Percent: the goals weighted by each commune's
    /// denominator (Σ goal × denominator / Σ denominator), over the communes counted.
    /// Yes/no: how many communes have the goal "yes". None when no counted commune set one.
    #[serde(default)]
    pub target: Option<f64>,
    /// Communes whose figure went into `value` (for yes/no: that answered, yes or no).
    pub communes: u32,
    /// Percent only: communes that recorded a percentage without its numerator and
    /// denominator ("96,8%" typed on an imported target). Such a figure is left out of the
    /// sum — there is no right way to add it — and counted here so the page can say so.
    #[serde(default)]
    pub without_base: u32,
    /// Communes that have the indicator but recorded no figure.
    #[serde(default)]
    pub missing: u32,
}

/// Collapses runs of whitespace, so "Tỷ lệ  hồ sơ\n" and "Tỷ lệ hồ sơ" are one indicator.
pub fn tidy_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key communes' figures add up by: the catalogue code when there is one; otherwise the
/// tidied text and unit ("Tài khoản VNeID mức 2 [tài khoản]"), as communes typed or imported
/// them.
pub fn indicator_key(code: Option<&str>, text: &str, unit: Option<&str>) -> String {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => format!("{} [{}]", tidy_text(text), tidy_text(unit.unwrap_or(""))),
    }
}

/// A percentage from its base, when the base allows one (denominator > 0).
pub fn percent_of(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0 && numerator.is_finite() && denominator.is_finite()).then(|| numerator / denominator * 100.0)
}

impl IndicatorFigure {
    /// The figure's base when it has a usable one (both parts, denominator > 0).
    fn base(&self) -> Option<(f64, f64)> {
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) if d > 0.0 && n.is_finite() && d.is_finite() => Some((n, d)),
            _ => None,
        }
    }
}

/// Adds up the communes' figures, one `IndicatorSum` per indicator, in the order the
/// indicators first appear.
///
/// The rules:
/// - figures add up by `key` and `kind` together: a commune that made the same text a
///   count and another that made it yes/no are two indicators, not one wrong sum;
/// - a commune contributes at most one figure per indicator: when its list holds several
///   (the same catalogue indicator attached to two plans) the one of the latest period counts;
/// - **count**: value = Σ value of the communes with a figure;
/// - **percent**: value = Σ numerator / Σ denominator × 100 over the communes that recorded both
///   (denominator > 0). A percentage recorded without them is never added, averaged or
///   otherwise mixed in: it is counted in `without_base`. With no base at all the value is none;
/// - **yes/no**: value = the number of communes whose figure is yes (≥ 0.5, stored as 1);
///   `communes` = how many answered;
/// - a commune with the indicator but no figure counts in `missing` and adds nothing.
pub fn aggregate_indicators(per_commune: &[Vec<IndicatorFigure>]) -> Vec<IndicatorSum> {
    #[derive(Default)]
    struct Acc {
        sum: f64,
        num: f64,
        den: f64,
        goal: f64,
        goal_weight: f64,
        goals: u32,
        communes: u32,
        without_base: u32,
        missing: u32,
    }
    let mut order: Vec<(IndicatorSum, Acc)> = Vec::new();
    let mut index: HashMap<(String, IndicatorKind), usize> = HashMap::new();
    for commune in per_commune {
        for f in one_per_key(commune) {
            let i = *index.entry((f.key.clone(), f.kind)).or_insert_with(|| {
                order.push((
                    IndicatorSum {
                        key: f.key.clone(),
                        code: f.code.clone(),
                        text: tidy_text(&f.text),
                        unit: f.unit.clone(),
                        kind: f.kind,
                        value: None,
                        numerator: None,
                        denominator: None,
                        target: None,
                        communes: 0,
                        without_base: 0,
                        missing: 0,
                    },
                    Acc::default(),
                ));
                order.len() - 1
            });
            let acc = &mut order[i].1;
            let Some(v) = f.value.filter(|v| v.is_finite()) else {
                acc.missing += 1;
                continue;
            };
            match f.kind {
                IndicatorKind::Count => {
                    acc.sum += v;
                    acc.communes += 1;
                    if let Some(g) = f.target {
                        acc.goal += g;
                        acc.goals += 1;
                    }
                }
                IndicatorKind::Percent => match f.base() {
                    Some((n, d)) => {
                        acc.num += n;
                        acc.den += d;
                        acc.communes += 1;
                        if let Some(g) = f.target {
                            acc.goal += g * d;
                            acc.goal_weight += d;
                            acc.goals += 1;
                        }
                    }
                    None => acc.without_base += 1,
                },
                IndicatorKind::YesNo => {
                    acc.communes += 1;
                    if v >= 0.5 {
                        acc.sum += 1.0;
                    }
                    if f.target.is_some_and(|g| g >= 0.5) {
                        acc.goal += 1.0;
                        acc.goals += 1;
                    }
                }
            }
        }
    }
    order
        .into_iter()
        .map(|(mut s, acc)| {
            match s.kind {
                IndicatorKind::Count | IndicatorKind::YesNo => {
                    s.value = (acc.communes > 0).then_some(acc.sum);
                    s.target = (acc.goals > 0).then_some(acc.goal);
                }
                IndicatorKind::Percent => {
                    if acc.communes > 0 {
                        s.numerator = Some(acc.num);
                        s.denominator = Some(acc.den);
                        s.value = percent_of(acc.num, acc.den);
                    }
                    s.target = (acc.goal_weight > 0.0).then(|| acc.goal / acc.goal_weight);
                }
            }
            s.communes = acc.communes;
            s.without_base = acc.without_base;
            s.missing = acc.missing;
            s
        })
        .collect()
}

/// One figure per key and kind of one commune: the latest period's, a recorded figure before
/// an empty one; otherwise the first.
fn one_per_key(commune: &[IndicatorFigure]) -> Vec<&IndicatorFigure> {
    let mut out: Vec<&IndicatorFigure> = Vec::new();
    let mut at: HashMap<(&str, IndicatorKind), usize> = HashMap::new();
    let rank = |f: &IndicatorFigure| (f.value.is_some(), f.period.clone());
    for f in commune {
        match at.get(&(f.key.as_str(), f.kind)) {
            Some(&i) => {
                if rank(f) > rank(out[i]) {
                    out[i] = f;
                }
            }
            None => {
                at.insert((f.key.as_str(), f.kind), out.len());
                out.push(f);
            }
        }
    }
    out
}

/// "1.234/1.500 (82,3%)": a percentage with its base, the Vietnamese way.
pub fn format_ratio_vi(numerator: f64, denominator: f64) -> String {
    match percent_of(numerator, denominator) {
        Some(p) => {
            format!("{}/{} ({}%)", format_number_vi(numerator), format_number_vi(denominator), format_number_vi(p))
        }
        None => format!("{}/{}", format_number_vi(numerator), format_number_vi(denominator)),
    }
}

/// A figure of an indicator as written in a report: "1.250 hồ sơ", "96,8%",
/// "1.234/1.500 (82,3%)", "có" / "chưa".
pub fn format_figure_vi(
    kind: IndicatorKind,
    value: f64,
    numerator: Option<f64>,
    denominator: Option<f64>,
    unit: Option<&str>,
) -> String {
    match kind {
        IndicatorKind::YesNo => (if value >= 0.5 { "có" } else { "chưa" }).into(),
        IndicatorKind::Percent => match (numerator, denominator) {
            (Some(n), Some(d)) if d > 0.0 => format_ratio_vi(n, d),
            _ => format!("{}%", format_number_vi(value)),
        },
        IndicatorKind::Count => with_unit(value, unit),
    }
}

/// "1.500 tài khoản", "80%", "12".
pub fn with_unit(value: f64, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) if is_percent_unit(u) => format!("{}%", format_number_vi(value)),
        Some(u) => format!("{} {u}", format_number_vi(value)),
        None => format_number_vi(value),
    }
}

impl IndicatorSum {
    /// The sum as written on the district's page: "3.456 hồ sơ", "2.468/3.000 (82,3%)",
    /// "5/7 xã có"; "chưa có số liệu" when nothing was added.
    pub fn figure_vi(&self) -> String {
        match (self.kind, self.value) {
            (IndicatorKind::YesNo, Some(v)) => format!("{}/{} xã có", format_number_vi(v), self.communes),
            (IndicatorKind::Percent, Some(_)) => {
                format_ratio_vi(self.numerator.unwrap_or(0.0), self.denominator.unwrap_or(0.0))
            }
            (IndicatorKind::Count, Some(v)) => with_unit(v, self.unit.as_deref()),
            (_, None) => "chưa có số liệu".into(),
        }
    }

    /// What the sum leaves out, for a note beside it: "2 xã chỉ ghi tỷ lệ, không có tử số và
    /// mẫu số, không được cộng; 1 xã chưa ghi số liệu".
    pub fn left_out_vi(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.without_base > 0 {
            parts.push(format!("{} xã chỉ ghi tỷ lệ, không có tử số và mẫu số, không được cộng", self.without_base));
        }
        if self.missing > 0 {
            parts.push(format!("{} xã chưa ghi số liệu", self.missing));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(key: &str, kind: IndicatorKind, value: Option<f64>, base: Option<(f64, f64)>) -> IndicatorFigure {
        IndicatorFigure {
            key: key.into(),
            code: None,
            text: key.into(),
            unit: None,
            kind,
            value,
            numerator: base.map(|b| b.0),
            denominator: base.map(|b| b.1),
            target: None,
            period: Some("2023-05".into()),
        }
    }

    #[test]
    fn eighty_and_eighty_percent_make_eighty_not_one_hundred_sixty() {
        let p = IndicatorKind::Percent;
        let sums = aggregate_indicators(&[
            vec![fig("vneid", p, Some(80.0), Some((800.0, 1000.0)))],
            vec![fig("vneid", p, Some(80.0), Some((80.0, 100.0)))],
        ]);
        assert_eq!(sums.len(), 1);
        assert_eq!(sums[0].value, Some(80.0));
        assert_eq!((sums[0].numerator, sums[0].denominator), (Some(880.0), Some(1100.0)));
        assert_eq!(sums[0].figure_vi(), "880/1.100 (80%)");
    }

    #[test]
    fn a_percentage_without_its_base_is_left_out_and_said() {
        let p = IndicatorKind::Percent;
        let sums = aggregate_indicators(&[
            vec![fig("x", p, Some(90.0), Some((9.0, 10.0)))],
            vec![fig("x", p, Some(96.8), None)],
            vec![fig("x", p, None, None)],
        ]);
        assert_eq!(sums[0].value, Some(90.0));
        assert_eq!((sums[0].communes, sums[0].without_base, sums[0].missing), (1, 1, 1));
        assert_eq!(
            sums[0].left_out_vi().unwrap(),
            "1 xã chỉ ghi tỷ lệ, không có tử số và mẫu số, không được cộng; 1 xã chưa ghi số liệu"
        );
        let only = aggregate_indicators(&[vec![fig("x", p, Some(96.8), None)]]);
        assert_eq!((only[0].value, only[0].numerator), (None, None));
        assert_eq!(only[0].figure_vi(), "chưa có số liệu");
    }

    #[test]
    fn counts_sum_and_yeses_are_counted() {
        let (c, y) = (IndicatorKind::Count, IndicatorKind::YesNo);
        let sums = aggregate_indicators(&[
            vec![fig("hs", c, Some(1200.0), None), fig("hop", y, Some(1.0), None)],
            vec![fig("hs", c, Some(34.0), None), fig("hop", y, Some(0.0), None)],
            vec![fig("hop", y, Some(1.0), None)],
        ]);
        assert_eq!(sums[0].value, Some(1234.0));
        assert_eq!(sums[0].communes, 2);
        assert_eq!((sums[1].value, sums[1].communes), (Some(2.0), 3));
        assert_eq!(sums[1].figure_vi(), "2/3 xã có");
    }

    #[test]
    fn same_text_of_another_kind_is_another_indicator() {
        let sums = aggregate_indicators(&[
            vec![fig("họp", IndicatorKind::Count, Some(3.0), None)],
            vec![fig("họp", IndicatorKind::YesNo, Some(1.0), None)],
        ]);
        assert_eq!(sums.len(), 2);
    }

    #[test]
    fn one_figure_per_commune_and_key_the_latest() {
        let mut old = fig("hs", IndicatorKind::Count, Some(5.0), None);
        old.period = Some("2023-04".into());
        let new = fig("hs", IndicatorKind::Count, Some(7.0), None);
        let sums = aggregate_indicators(&[vec![old, new, fig("hs", IndicatorKind::Count, None, None)]]);
        assert_eq!((sums[0].value, sums[0].communes, sums[0].missing), (Some(7.0), 1, 0));
    }

    #[test]
    fn goals_add_up_by_kind() {
        let p = IndicatorKind::Percent;
        let mut a = fig("x", p, Some(50.0), Some((50.0, 100.0)));
        a.target = Some(100.0);
        let mut b = fig("x", p, Some(50.0), Some((150.0, 300.0)));
        b.target = Some(80.0);
        let s = &aggregate_indicators(&[vec![a], vec![b]])[0];
        assert_eq!(s.target, Some(85.0), "(100×100 + 80×300) / 400");
    }

    #[test]
    fn keys_and_kinds() {
        assert_eq!(indicator_key(Some("cccd_ho_so_tiep_nhan"), "x", None), "cccd_ho_so_tiep_nhan");
        assert_eq!(indicator_key(None, " Tỷ lệ  hồ sơ\n", Some("%")), "Tỷ lệ hồ sơ [%]");
        assert_eq!(IndicatorKind::infer(Some(" % ")), IndicatorKind::Percent);
        assert_eq!(IndicatorKind::infer(Some("hồ sơ")), IndicatorKind::Count);
        assert_eq!(IndicatorKind::infer(None), IndicatorKind::Count);
        assert_eq!(IndicatorKind::parse("yes_no"), Some(IndicatorKind::YesNo));
        assert_eq!(serde_json::to_string(&IndicatorKind::YesNo).unwrap(), "\"yes_no\"");
        assert_eq!(format_figure_vi(IndicatorKind::Count, 1250.0, None, None, Some("hồ sơ")), "1.250 hồ sơ");
        assert_eq!(format_figure_vi(IndicatorKind::Percent, 96.8, None, None, Some("%")), "96,8%");
        assert_eq!(format_ratio_vi(1234.0, 1500.0), "1.234/1.500 (82,3%)");
    }
}
