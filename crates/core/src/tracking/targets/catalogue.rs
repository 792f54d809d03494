//! The built-in catalogue of standard Đề án 06 indicators a commune reports monthly
//! (assets/catalogue/indicators.json), attachable to a plan like the checklists.

use std::sync::OnceLock;

use kehoach_model::{CatalogueIndicator, IndicatorKind, Target};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::op::{Change, Kind, DELETED};
use crate::record as field;
use crate::store::Store;
use crate::tracking::derived_id;

/// The key `attach` takes, as `checklist attach --catalogue` takes "services".
pub const INDICATORS: &str = "indicators";

const INDICATORS_JSON: &str = include_str!("../../../../../assets/catalogue/indicators.json");

#[derive(Deserialize)]
struct IndicatorFile {
    indicators: Vec<CatalogueIndicator>,
}

/// The standard indicators, in the catalogue's order.
pub fn indicator_catalogue() -> &'static [CatalogueIndicator] {
    static CAT: OnceLock<Vec<CatalogueIndicator>> = OnceLock::new();
    CAT.get_or_init(|| serde_json::from_str::<IndicatorFile>(INDICATORS_JSON).map(|f| f.indicators).unwrap_or_default())
}

/// The standard indicator of a code.
pub fn indicator(code: &str) -> Option<&'static CatalogueIndicator> {
    indicator_catalogue().iter().find(|i| i.code == code)
}

/// Attaches the standard indicators to a plan as its targets, each with its catalogue code and
/// no goal (the commune sets its own; a yes/no's goal is "yes"). Ids derive from the plan and
/// the code, so attaching on two PCs at once gives one set, and attaching again adds only the
/// indicators the plan lacks (one deleted by mistake comes back, the others are left as they
/// are). Refused when the plan already has them all. Returns the targets added.
pub fn attach_indicators(store: &mut Store, plan_id: Uuid, key: &str) -> Result<Vec<Target>> {
    crate::queries::plan(store, plan_id)?;
    if key != INDICATORS {
        return Err(CoreError::invalid(format!("không có danh mục chỉ tiêu mẫu \"{key}\" (có: {INDICATORS})")));
    }
    let pid = plan_id.to_string();
    let mut changes = Vec::new();
    let mut added = Vec::new();
    for ind in indicator_catalogue() {
        let id = derived_id(&["indicator", &pid, &ind.code]);
        if exists(store, id)? {
            continue;
        }
        let c = |f: &str, v: Value| Change::new(Kind::Target, id, f, v);
        let goal = match ind.kind {
            IndicatorKind::YesNo => Value::from(1.0),
            _ => Value::Null,
        };
        changes.extend([
            c(field::target::PLAN_ID, pid.clone().into()),
            c(field::target::TEXT, ind.text.clone().into()),
            c(field::target::VALUE, goal),
            c(field::target::UNIT, ind.unit.clone().map(Value::from).unwrap_or(Value::Null)),
            c(field::target::PERIOD, Value::Null),
            c(field::target::KIND, ind.kind.as_str().into()),
            c(field::target::CODE, ind.code.clone().into()),
            // A record deleted before and attached again is the same record brought back.
            c(DELETED, false.into()),
        ]);
        added.push(id);
    }
    if added.is_empty() {
        return Err(CoreError::invalid(format!(
            "kế hoạch đã có đủ {} chỉ tiêu của danh mục chỉ tiêu chuẩn Đề án 06",
            indicator_catalogue().len()
        )));
    }
    store.commit(changes)?;
    added.into_iter().map(|id| super::target(store, id)).collect()
}

fn exists(store: &Store, id: Uuid) -> Result<bool> {
    Ok(store.conn.query_row("SELECT 1 FROM targets WHERE id = ?1", [id.to_string()], |_| Ok(())).optional()?.is_some())
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    /// Codes are the district's keys: unique and ASCII; texts are NFC (as everything stored);
    /// a percentage says what its numerator and denominator count.
    #[test]
    fn the_catalogue_is_well_formed() {
        let cat = indicator_catalogue();
        assert!((8..=15).contains(&cat.len()), "{}", cat.len());
        let mut codes: Vec<&str> = cat.iter().map(|i| i.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), cat.len(), "codes are unique");
        for i in cat {
            assert!(i.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{}", i.code);
            for t in
                [Some(&i.text), i.unit.as_ref(), i.numerator.as_ref(), i.denominator.as_ref()].into_iter().flatten()
            {
                assert_eq!(t.nfc().collect::<String>(), *t, "{t} is NFC");
            }
            match i.kind {
                IndicatorKind::Percent => {
                    assert_eq!(i.unit.as_deref(), Some("%"), "{}", i.code);
                    assert!(i.numerator.is_some() && i.denominator.is_some(), "{}", i.code);
                }
                IndicatorKind::Count => assert!(i.unit.as_deref().is_some_and(|u| u != "%"), "{}", i.code),
                IndicatorKind::YesNo => assert!(i.unit.is_none(), "{}", i.code),
            }
        }
        assert!(cat.iter().any(|i| i.kind == IndicatorKind::YesNo));
    }
}
