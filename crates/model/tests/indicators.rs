//! The law of percentage indicators: however a district's people and records are split among
//! its communes, the district's figure is Σ numerator / Σ denominator — never the sum (or the
//! plain average) of the communes' percentages.

use kehoach_model::{aggregate_indicators, IndicatorFigure, IndicatorKind};
use proptest::prelude::*;

fn percent(key: &str, n: u64, d: u64) -> IndicatorFigure {
    IndicatorFigure {
        key: key.into(),
        code: Some(key.into()),
        text: "Tỷ lệ công dân từ 14 tuổi trở lên đã kích hoạt tài khoản định danh điện tử mức độ 2".into(),
        unit: Some("%".into()),
        kind: IndicatorKind::Percent,
        value: Some(n as f64 / d as f64 * 100.0),
        numerator: Some(n as f64),
        denominator: Some(d as f64),
        target: None,
        period: Some("2023-05".into()),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Communes' (numerator, denominator) pairs: 1 to 30 communes, each with up to 50,000 people
/// and any share of them counted.
fn communes() -> impl Strategy<Value = Vec<(u64, u64)>> {
    prop::collection::vec((1u64..50_000).prop_flat_map(|d| (0..=d, Just(d))), 1..30)
}

/// Cuts `total` into `parts.len() + 1` pieces at the given fractions.
fn cut(total: u64, fractions: &[f64]) -> Vec<u64> {
    let mut points: Vec<u64> = fractions.iter().map(|f| (f * total as f64) as u64).collect();
    points.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for p in points {
        out.push(p - last);
        last = p;
    }
    out.push(total - last);
    out
}

proptest! {
    #[test]
    fn percent_aggregates_to_sum_of_numerators_over_sum_of_denominators(split in communes()) {
        let per: Vec<Vec<IndicatorFigure>> = split.iter().map(|&(n, d)| vec![percent("dd2", n, d)]).collect();
        let sums = aggregate_indicators(&per);
        prop_assert_eq!(sums.len(), 1);
        let s = &sums[0];
        let (n, d): (u64, u64) = (split.iter().map(|p| p.0).sum(), split.iter().map(|p| p.1).sum());
        prop_assert_eq!(s.numerator, Some(n as f64));
        prop_assert_eq!(s.denominator, Some(d as f64));
        let v = s.value.unwrap();
        prop_assert!(close(v, n as f64 / d as f64 * 100.0), "{} vs {}/{}", v, n, d);
        prop_assert!(v <= 100.0 + 1e-9);
        prop_assert_eq!(s.communes as usize, split.len());
        // Two or more communes with a non-zero share: the sum of their percentages is always
        // larger than the true figure, so a sum of percentages can never pass this.
        let shares: Vec<f64> = split.iter().map(|&(n, d)| n as f64 / d as f64 * 100.0).collect();
        if shares.iter().filter(|p| **p > 0.0).count() >= 2 {
            prop_assert!(v < shares.iter().sum::<f64>() - 1e-9);
        }
    }

    /// The same district totals, cut among the communes in two different ways, give the same
    /// figure; so does one commune holding everything.
    #[test]
    fn any_split_of_the_same_totals_gives_the_same_figure(
        d_total in 1u64..1_000_000,
        share in 0.0f64..=1.0,
        a in prop::collection::vec(0.0f64..1.0, 0..20),
        b in prop::collection::vec(0.0f64..1.0, 0..20),
    ) {
        let n_total = (d_total as f64 * share) as u64;
        let figure = |cuts: &[f64]| {
            // Numerators follow the denominators' cut, each commune getting at most its people.
            let ds = cut(d_total, cuts);
            let mut left = n_total;
            let per: Vec<Vec<IndicatorFigure>> = ds
                .iter()
                .filter(|d| **d > 0)
                .map(|&d| {
                    let n = left.min(d);
                    left -= n;
                    vec![percent("dd2", n, d)]
                })
                .collect();
            aggregate_indicators(&per)[0].value.unwrap()
        };
        let whole = n_total as f64 / d_total as f64 * 100.0;
        prop_assert!(close(figure(&a), whole));
        prop_assert!(close(figure(&b), whole));
        prop_assert!(close(figure(&[]), whole));
    }

    /// A percentage typed without its base never moves the figure, whatever it says.
    #[test]
    fn percentages_without_a_base_are_never_added(split in communes(), typed in prop::collection::vec(0.0f64..=100.0, 1..5)) {
        let mut per: Vec<Vec<IndicatorFigure>> = split.iter().map(|&(n, d)| vec![percent("dd2", n, d)]).collect();
        for p in &typed {
            let mut f = percent("dd2", 0, 1);
            (f.value, f.numerator, f.denominator) = (Some(*p), None, None);
            per.push(vec![f]);
        }
        let s = &aggregate_indicators(&per)[0];
        let (n, d): (u64, u64) = (split.iter().map(|p| p.0).sum(), split.iter().map(|p| p.1).sum());
        prop_assert!(close(s.value.unwrap(), n as f64 / d as f64 * 100.0));
        prop_assert_eq!(s.without_base as usize, typed.len());
        prop_assert_eq!(s.communes as usize, split.len());
    }
}
