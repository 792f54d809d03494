//! Targets (chỉ tiêu): a value in % or a count of something, for a period; the actual figure
//! recorded each reporting period; progress = latest figure against the target.

use chrono::NaiveDate;
use kehoach_model::{NewTarget, Target, TargetValue};
use rusqlite::OptionalExtension;
use serde_json::Value;
use uuid::Uuid;

use super::{derived_id, non_empty, parse_uuid};
use crate::error::{CoreError, Result};
use crate::op::{Change, Kind};
use crate::store::Store;

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

fn is_percent(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "phần trăm")
}

fn check_value(what: &str, v: f64, unit: &str) -> Result<()> {
    if !v.is_finite() {
        return Err(CoreError::invalid(format!("{what} không hợp lệ")));
    }
    if v < 0.0 {
        return Err(CoreError::invalid(format!("{what} không được âm: {v}")));
    }
    if is_percent(unit) && v > 100.0 {
        return Err(CoreError::invalid(format!("{what} tính theo % không được vượt quá 100: {v}")));
    }
    Ok(())
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

pub fn add_target(store: &mut Store, t: &NewTarget) -> Result<Target> {
    crate::queries::plan(store, t.plan_id)?;
    let text = non_empty(Some(&t.text)).ok_or_else(|| CoreError::invalid("nội dung chỉ tiêu để trống"))?;
    let unit = non_empty(Some(&t.unit))
        .ok_or_else(|| CoreError::invalid("chưa nhập đơn vị tính của chỉ tiêu (% hoặc đơn vị đếm)"))?;
    check_value("Giá trị chỉ tiêu", t.value, &unit)?;
    let id = Uuid::now_v7();
    let c = |f: &str, v: Value| Change::new(Kind::Target, id, f, v);
    store.commit(vec![
        c("plan_id", t.plan_id.to_string().into()),
        c("text", text.into()),
        c("value", t.value.into()),
        c("unit", unit.into()),
        c("period", non_empty(t.period.as_deref()).map(Value::from).unwrap_or(Value::Null)),
    ])?;
    target(store, id)
}

/// Records the actual figure of a period. One figure per target and period: recording the
/// same period again replaces it (the id derives from both, so two PCs converge).
pub fn record_target_value(store: &mut Store, target_id: Uuid, period: &str, value: f64) -> Result<Target> {
    if super::is_deleted(store, target_id)? {
        return Err(CoreError::invalid(format!("chỉ tiêu {target_id} đã bị xóa")));
    }
    let t = target(store, target_id)?;
    let period = check_period(period)?;
    check_value("Số liệu thực hiện", value, t.unit.as_deref().unwrap_or(""))?;
    let id = derived_id(&["target_value", &target_id.to_string(), &period]);
    let c = |f: &str, v: Value| Change::new(Kind::TargetValue, id, f, v);
    store.commit(vec![
        c("target_id", target_id.to_string().into()),
        c("period", period.into()),
        c("value", value.into()),
    ])?;
    target(store, target_id)
}

fn values(store: &Store, target_id: &str) -> Result<Vec<TargetValue>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT id, target_id, period, value FROM target_values WHERE target_id = ?1 ORDER BY period",
    )?;
    let rows = stmt.query_map([target_id], |r| {
        Ok(TargetValue {
            id: parse_uuid(&r.get::<_, String>(0)?).unwrap_or_default(),
            target_id: parse_uuid(&r.get::<_, String>(1)?).unwrap_or_default(),
            period: r.get(2)?,
            value: r.get::<_, Option<f64>>(3)?.unwrap_or(0.0),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

type Row = (String, Option<String>, String, Option<f64>, Option<String>, Option<String>);

fn build(store: &Store, (id, plan, text, value, unit, period): Row) -> Result<Target> {
    let values = values(store, &id)?;
    let latest = values.last().cloned();
    let progress = match (&latest, value) {
        (Some(l), Some(v)) if v > 0.0 => Some((l.value / v * 1000.0).round() / 10.0),
        _ => None,
    };
    Ok(Target {
        id: parse_uuid(&id).unwrap_or_default(),
        plan_id: plan.as_deref().and_then(parse_uuid),
        text,
        value,
        unit,
        period,
        values,
        latest,
        progress,
    })
}

const COLS: &str = "id, plan_id, text, value, unit, period";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
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
