//! Targets (chỉ tiêu): indicators of a kind — a count, a percentage with its numerator and
//! denominator, or yes/no — with a goal for a period; the actual figure recorded each month;
//! progress = latest figure against the goal. Standard Đề án 06 indicators come from the
//! built-in catalogue (`catalogue`) with a code, so communes' figures add up by it.

use chrono::{Datelike, NaiveDate};
use kehoach_model::{
    format_number_vi, indicator_key, is_percent_unit, IndicatorFigure, IndicatorKind, NewFigure, NewTarget, Target,
    TargetValue,
};
use rusqlite::OptionalExtension;
use serde_json::Value;
use uuid::Uuid;

use super::{derived_id, non_empty, parse_uuid};
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

pub mod catalogue;

/// Reads a number as officers write it (Vietnamese: dot for thousands, comma for decimals):
/// "1,5" is one and a half; "1.500" and "1.500.000" are thousands (a single dot followed by
/// exactly three digits groups thousands, as in Vietnamese); "1.5" is still one and a half;
/// "1,500,000" (several commas) is a million and a half.
pub fn parse_number(s: &str) -> Result<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || CoreError::invalid(format!("số liệu không hợp lệ: {s:?}"));
    let (dots, commas) = (t.matches('.').count(), t.matches(',').count());
    let normal = match (dots, commas) {
        (0, 0) => t.clone(),
        (_, 0) if dots > 1 => t.replace('.', ""),
        (0, _) if commas > 1 => t.replace(',', ""),
        (_, 0) if t.rsplit('.').next().is_some_and(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())) => {
            t.replace('.', "")
        }
        (_, 0) => t.clone(),
        (0, _) => t.replace(',', "."),
        // Both: the last one is the decimal mark.
        _ if t.rfind(',') > t.rfind('.') => t.replace('.', "").replace(',', "."),
        _ => t.replace(',', ""),
    };
    let v: f64 = normal.parse().map_err(|_| bad())?;
    if !v.is_finite() {
        return Err(bad());
    }
    Ok(v)
}

/// The goal, or a figure recorded without a base, checked against its kind.
fn check_value(what: &str, v: f64, kind: IndicatorKind) -> Result<()> {
    if !v.is_finite() {
        return Err(CoreError::invalid(format!("{what} không hợp lệ")));
    }
    if v < 0.0 {
        return Err(CoreError::invalid(format!("{what} không được âm: {v}")));
    }
    match kind {
        IndicatorKind::Percent if v > 100.0 => {
            Err(CoreError::invalid(format!("{what} tính theo % không được vượt quá 100: {v}")))
        }
        IndicatorKind::YesNo if v != 0.0 && v != 1.0 => {
            Err(CoreError::invalid(format!("{what} của chỉ tiêu Có/Không là 1 (có) hoặc 0 (chưa), không phải {v}")))
        }
        _ => Ok(()),
    }
}

/// A monthly reporting period as officers write it — "05/2023", "5/2023", "tháng 5/2023",
/// "tháng 5 năm 2023" — or as stored, "2023-05"; checked and returned as stored.
pub fn check_period(p: &str) -> Result<String> {
    let typed = p.trim();
    let bad = || {
        CoreError::invalid(format!(
            "kỳ báo cáo không hợp lệ: {typed:?} (ghi tháng/năm, ví dụ 05/2023 hoặc tháng 5/2023)"
        ))
    };
    let lower = typed.to_lowercase();
    let rest = lower.strip_prefix("tháng").unwrap_or(&lower).trim();
    let (year, month) = if let Some((y, m)) = rest.split_once('-').filter(|(y, _)| y.len() == 4) {
        (y.trim(), m.trim())
    } else if let Some((m, y)) = rest.split_once('/').or_else(|| rest.split_once("năm")) {
        (y.trim(), m.trim())
    } else {
        return Err(bad());
    };
    let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>()) else { return Err(bad()) };
    if !(1900..=9999).contains(&year) || NaiveDate::from_ymd_opt(year, month, 1).is_none() {
        return Err(bad());
    }
    Ok(format!("{year:04}-{month:02}"))
}

/// Adds a target by hand. Its kind is the one given, or — as for an imported target — read
/// from the unit ("%" → percent, anything else → count). A percentage's unit is "%" (filled in
/// when left empty); a count names what it counts; a yes/no has no unit and the goal 1 (yes).
pub fn add_target(store: &mut Store, t: &NewTarget) -> Result<Target> {
    crate::queries::plan(store, t.plan_id)?;
    let text = non_empty(Some(&t.text)).ok_or_else(|| CoreError::invalid("nội dung chỉ tiêu để trống"))?;
    let typed_unit = non_empty(Some(&t.unit));
    let kind = t.kind.unwrap_or_else(|| IndicatorKind::infer(typed_unit.as_deref()));
    let unit = match (kind, typed_unit) {
        (IndicatorKind::Percent, None) => Some("%".to_string()),
        (IndicatorKind::Percent, Some(u)) if !is_percent_unit(&u) => {
            return Err(CoreError::invalid(format!(
                "chỉ tiêu tỷ lệ tính bằng %, không dùng đơn vị \"{u}\" (muốn đếm {u} thì chọn loại Số lượng)"
            )))
        }
        (IndicatorKind::Count, None) => {
            return Err(CoreError::invalid("chưa nhập đơn vị tính của chỉ tiêu (% hoặc đơn vị đếm)"))
        }
        (IndicatorKind::Count, Some(u)) if is_percent_unit(&u) => {
            return Err(CoreError::invalid("đơn vị % dành cho chỉ tiêu tỷ lệ: chọn loại Tỷ lệ % (tử số/mẫu số)"))
        }
        (IndicatorKind::YesNo, Some(u)) => {
            return Err(CoreError::invalid(format!(
                "chỉ tiêu Có/Không không có đơn vị tính (bỏ \"{u}\" đi, hoặc chọn loại Số lượng)"
            )))
        }
        (_, u) => u,
    };
    check_value("Giá trị chỉ tiêu", t.value, kind)?;
    if kind == IndicatorKind::YesNo && t.value != 1.0 {
        return Err(CoreError::invalid("chỉ tiêu Có/Không có giá trị 1 (có)"));
    }
    let id = Uuid::now_v7();
    let c = |f: &str, v: Value| Change::new(Kind::Target, id, f, v);
    store.commit(vec![
        c(field::target::PLAN_ID, t.plan_id.to_string().into()),
        c(field::target::TEXT, text.into()),
        c(field::target::VALUE, t.value.into()),
        c(field::target::UNIT, unit.map(Value::from).unwrap_or(Value::Null)),
        c(field::target::PERIOD, non_empty(t.period.as_deref()).map(Value::from).unwrap_or(Value::Null)),
        c(field::target::KIND, kind.as_str().into()),
    ])?;
    target(store, id)
}

/// Sets (or corrects) a target's goal: a count ≥ 0, a percentage up to 100. A standard
/// indicator is attached without one, since each commune sets its own. A yes/no's goal is
/// always "yes" and is not set.
pub fn set_target_goal(store: &mut Store, target_id: Uuid, goal: f64) -> Result<Target> {
    if crate::queries::is_deleted(store, target_id)? {
        return Err(CoreError::invalid(format!("chỉ tiêu {target_id} đã bị xóa")));
    }
    let t = target(store, target_id)?;
    if t.kind == IndicatorKind::YesNo {
        return Err(CoreError::invalid(format!(
            "chỉ tiêu \"{}\" là chỉ tiêu Có/Không: mục tiêu luôn là có, không cần nhập",
            t.text
        )));
    }
    check_value("Giá trị chỉ tiêu", goal, t.kind)?;
    store.commit(vec![Change::new(Kind::Target, target_id, field::target::VALUE, goal)])?;
    target(store, target_id)
}

/// Records the actual figure of a period as a plain number: a count, 1/0 for yes/no, or —
/// for a percentage target without a catalogue code (imported, old) — the percentage itself,
/// which then has no base and is never added into the district's sum.
pub fn record_target_value(store: &mut Store, target_id: Uuid, period: &str, value: f64) -> Result<Target> {
    record_target_figure(store, target_id, period, NewFigure::Value { value })
}

/// Records the actual figure of a period, entered by the target's kind:
/// - count: a number ≥ 0;
/// - percent: a numerator ≥ 0 and a denominator > 0, the numerator not above the denominator
///   (every indicator of the catalogue is a part of a whole); the percentage is computed. A
///   bare percentage is taken only for a target outside the catalogue (see
///   `record_target_value`);
/// - yes/no: yes or no, stored as 1 or 0.
///
/// One figure per target and period: recording the same period again replaces it, base
/// included (the id derives from both, so two PCs converge). Bad input changes nothing.
pub fn record_target_figure(store: &mut Store, target_id: Uuid, period: &str, figure: NewFigure) -> Result<Target> {
    if crate::queries::is_deleted(store, target_id)? {
        return Err(CoreError::invalid(format!("chỉ tiêu {target_id} đã bị xóa")));
    }
    let t = target(store, target_id)?;
    let period = check_period(period)?;
    let name = format!("chỉ tiêu \"{}\"", t.text);
    let (value, base) = match (t.kind, figure) {
        (IndicatorKind::Count, NewFigure::Value { value }) => (value, None),
        (IndicatorKind::Count, _) => {
            return Err(CoreError::invalid(format!("{name} là chỉ tiêu số lượng: nhập một số (ví dụ 1.250)")))
        }
        (IndicatorKind::Percent, NewFigure::Ratio { numerator, denominator }) => {
            check_base(numerator, denominator)?;
            (numerator / denominator * 100.0, Some((numerator, denominator)))
        }
        (IndicatorKind::Percent, NewFigure::Value { value }) if t.code.is_none() => (value, None),
        (IndicatorKind::Percent, _) => {
            return Err(CoreError::invalid(format!(
                "{name} là chỉ tiêu tỷ lệ: nhập tử số và mẫu số{} để cấp trên cộng được số liệu các xã",
                match (&t.numerator_label, &t.denominator_label) {
                    (Some(n), Some(d)) => format!(" ({n} / {d})"),
                    _ => String::new(),
                }
            )))
        }
        (IndicatorKind::YesNo, NewFigure::YesNo { yes }) => (if yes { 1.0 } else { 0.0 }, None),
        (IndicatorKind::YesNo, NewFigure::Value { value }) => (value, None),
        (IndicatorKind::YesNo, NewFigure::Ratio { .. }) => {
            return Err(CoreError::invalid(format!("{name} là chỉ tiêu Có/Không: chọn có hoặc chưa")))
        }
    };
    check_value("Số liệu thực hiện", value, t.kind)?;
    let id = derived_id(&["target_value", &target_id.to_string(), &period]);
    let c = |f: &str, v: Value| Change::new(Kind::TargetValue, id, f, v);
    let mut changes = vec![
        c(field::target_value::TARGET_ID, target_id.to_string().into()),
        c(field::target_value::PERIOD, period.into()),
        c(field::target_value::VALUE, value.into()),
    ];
    // Only a percentage has a base; writing null replaces a base recorded earlier for the
    // period when the figure is now a bare percentage.
    if t.kind == IndicatorKind::Percent {
        let (n, d) = base.map_or((Value::Null, Value::Null), |(n, d)| (n.into(), d.into()));
        changes.extend([c(field::target_value::NUMERATOR, n), c(field::target_value::DENOMINATOR, d)]);
    }
    store.commit(changes)?;
    target(store, target_id)
}

fn check_base(numerator: f64, denominator: f64) -> Result<()> {
    if !numerator.is_finite() || !denominator.is_finite() {
        return Err(CoreError::invalid("tử số hoặc mẫu số không hợp lệ"));
    }
    if denominator <= 0.0 {
        return Err(CoreError::invalid(format!("mẫu số phải lớn hơn 0 (đã nhập {denominator})")));
    }
    if numerator < 0.0 {
        return Err(CoreError::invalid(format!("tử số không được âm: {numerator}")));
    }
    if numerator > denominator {
        return Err(CoreError::invalid(format!(
            "tử số ({}) không được lớn hơn mẫu số ({}): tỷ lệ không vượt quá 100%",
            format_number_vi(numerator),
            format_number_vi(denominator)
        )));
    }
    Ok(())
}

/// A figure as typed in a form or on the command line — a number, or a numerator and a
/// denominator, or yes/no — read the Vietnamese way ("1.234", "87,5"). Exactly one of the
/// three; blank fields count as not given. Shared by the CLI and the desktop shell.
pub fn typed_figure(
    value: Option<&str>,
    numerator: Option<&str>,
    denominator: Option<&str>,
    yes: Option<bool>,
) -> Result<NewFigure> {
    fn given(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let (value, numerator, denominator) = (given(value), given(numerator), given(denominator));
    let ratio = numerator.is_some() || denominator.is_some();
    if [value.is_some(), ratio, yes.is_some()].iter().filter(|b| **b).count() > 1 {
        return Err(CoreError::invalid("chỉ nhập một trong ba: số liệu, tử số và mẫu số, hoặc có/chưa"));
    }
    match (value, numerator, denominator, yes) {
        (Some(v), ..) => Ok(NewFigure::Value { value: parse_number(v)? }),
        (_, Some(n), Some(d), _) => Ok(NewFigure::Ratio { numerator: parse_number(n)?, denominator: parse_number(d)? }),
        (_, Some(_), None, _) => Err(CoreError::invalid("chưa nhập mẫu số")),
        (_, None, Some(_), _) => Err(CoreError::invalid("chưa nhập tử số")),
        (.., Some(yes)) => Ok(NewFigure::YesNo { yes }),
        _ => Err(CoreError::invalid("chưa nhập số liệu")),
    }
}

fn values(store: &Store, target_id: &str) -> Result<Vec<TargetValue>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, target_id, period, value, numerator, denominator FROM target_values
         WHERE target_id = ?1 ORDER BY period",
    )?;
    let rows = stmt.query_map([target_id], |r| {
        Ok(TargetValue {
            id: parse_uuid(&r.get::<_, String>(0)?).unwrap_or_default(),
            target_id: parse_uuid(&r.get::<_, String>(1)?).unwrap_or_default(),
            period: r.get(2)?,
            value: r.get::<_, Option<f64>>(3)?.unwrap_or(0.0),
            numerator: r.get(4)?,
            denominator: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

struct Row {
    id: String,
    plan: Option<String>,
    text: String,
    value: Option<f64>,
    unit: Option<String>,
    period: Option<String>,
    kind: Option<String>,
    code: Option<String>,
}

fn build(store: &Store, r: Row) -> Result<Target> {
    let values = values(store, &r.id)?;
    let latest = values.last().cloned();
    let progress = match (&latest, r.value) {
        (Some(l), Some(v)) if v > 0.0 => Some((l.value / v * 1000.0).round() / 10.0),
        _ => None,
    };
    let kind =
        r.kind.as_deref().and_then(IndicatorKind::parse).unwrap_or_else(|| IndicatorKind::infer(r.unit.as_deref()));
    let standard = r.code.as_deref().and_then(catalogue::indicator);
    Ok(Target {
        id: parse_uuid(&r.id).unwrap_or_default(),
        plan_id: r.plan.as_deref().and_then(parse_uuid),
        text: r.text,
        value: r.value,
        unit: r.unit,
        kind,
        numerator_label: standard.and_then(|s| s.numerator.clone()),
        denominator_label: standard.and_then(|s| s.denominator.clone()),
        code: r.code,
        period: r.period,
        values,
        latest,
        progress,
    })
}

const COLS: &str = "id, plan_id, text, value, unit, period, kind, code";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        plan: r.get(1)?,
        text: r.get(2)?,
        value: r.get(3)?,
        unit: r.get(4)?,
        period: r.get(5)?,
        kind: r.get(6)?,
        code: r.get(7)?,
    })
}

pub fn target(store: &Store, id: Uuid) -> Result<Target> {
    let r = store
        .conn
        .query_row(&format!("SELECT {COLS} FROM targets WHERE id = ?1"), [id.to_string()], row)
        .optional()?
        .ok_or(CoreError::NotFound { what: "chỉ tiêu", id: id.to_string() })?;
    build(store, r)
}

/// Targets with their figures: of one plan, or all.
pub fn targets(store: &Store, plan_id: Option<Uuid>) -> Result<Vec<Target>> {
    if let Some(p) = plan_id {
        crate::queries::plan(store, p)?;
    }
    let mut stmt = store.conn.prepare_cached(&format!(
        "SELECT {COLS} FROM targets WHERE ?1 IS NULL OR plan_id = ?1 ORDER BY plan_id, rowid"
    ))?;
    let rows: Vec<Row> = stmt.query_map([plan_id.map(|p| p.to_string())], row)?.collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|r| build(store, r)).collect()
}

/// The latest figure recorded for a month up to `end` (months are `YYYY-MM`, so every month
/// that starts on or before `end` counts).
pub fn latest_up_to(t: &Target, end: NaiveDate) -> Option<&TargetValue> {
    let last = format!("{:04}-{:02}", end.year(), end.month());
    t.values.iter().rev().find(|v| v.period.as_str() <= last.as_str())
}

/// Each target of the commune (every plan) with its latest figure up to the end of a period —
/// what one commune gives the district's roll-up, to be added up with `aggregate_indicators`.
pub fn indicator_figures(store: &Store, period_end: NaiveDate) -> Result<Vec<IndicatorFigure>> {
    Ok(targets(store, None)?
        .iter()
        .map(|t| {
            let v = latest_up_to(t, period_end);
            IndicatorFigure {
                key: indicator_key(t.code.as_deref(), &t.text, t.unit.as_deref()),
                code: t.code.clone(),
                text: t.text.clone(),
                unit: t.unit.clone(),
                kind: t.kind,
                value: v.map(|v| v.value),
                numerator: v.and_then(|v| v.numerator),
                denominator: v.and_then(|v| v.denominator),
                target: t.value,
                period: v.map(|v| v.period.clone()),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::check_period;

    #[test]
    fn periods_as_officers_write_them() {
        for typed in ["2023-05", "05/2023", "5/2023", "tháng 5/2023", "Tháng 5 năm 2023", " tháng 05 / 2023 "] {
            assert_eq!(check_period(typed).unwrap(), "2023-05", "{typed}");
        }
        assert_eq!(check_period("12/2024").unwrap(), "2024-12");
        for bad in ["", "2023", "13/2023", "0/2023", "5/23", "tháng năm", "2023-5-1", "quý II/2023"] {
            let e = check_period(bad).unwrap_err().to_string();
            assert!(e.contains("kỳ báo cáo không hợp lệ"), "{bad}: {e}");
        }
    }
}
