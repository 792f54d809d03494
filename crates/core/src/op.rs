use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::hlc::Hlc;

/// The commune's settings are one record shared by every device of the commune.
pub const SETTINGS_ID: Uuid = Uuid::from_u128(0x6b65686f_6163_0000_0000_000000000001);

/// The kinds of record, each projected into its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Org,
    Unit,
    User,
    Plan,
    Section,
    Task,
    Note,
    Checklist,
    ChecklistItem,
    Target,
    TargetValue,
    Report,
    /// Proof of work done (issue 4): document number/date, attached file.
    Evidence,
    /// A plan of the level above as published to this commune, one record per version
    /// (issue 17): read-only, its signed snapshot kept whole.
    Publication,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Org,
        Kind::Unit,
        Kind::User,
        Kind::Plan,
        Kind::Section,
        Kind::Task,
        Kind::Note,
        Kind::Checklist,
        Kind::ChecklistItem,
        Kind::Target,
        Kind::TargetValue,
        Kind::Report,
        Kind::Evidence,
        Kind::Publication,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Unit => "unit",
            Kind::User => "user",
            Kind::Plan => "plan",
            Kind::Section => "section",
            Kind::Task => "task",
            Kind::Note => "note",
            Kind::Checklist => "checklist",
            Kind::ChecklistItem => "checklist_item",
            Kind::Target => "target",
            Kind::TargetValue => "target_value",
            Kind::Report => "report",
            Kind::Evidence => "evidence",
            Kind::Publication => "publication",
        }
    }

    pub fn parse(s: &str) -> Result<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::BadOp(format!("loại bản ghi không rõ: {s}")))
    }

    /// The kind as an officer calls it, in messages.
    pub fn label_vi(self) -> &'static str {
        // Named once, in the model, where the screens read them too.
        kehoach_model::kind_label_vi(self.as_str()).unwrap_or(self.as_str())
    }

    /// The projection table of this kind.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Unit => "units",
            Kind::User => "users",
            Kind::Plan => "plans",
            Kind::Section => "sections",
            Kind::Task => "tasks",
            Kind::Note => "notes",
            Kind::Checklist => "checklists",
            Kind::ChecklistItem => "checklist_items",
            Kind::Target => "targets",
            Kind::TargetValue => "target_values",
            Kind::Report => "reports",
            Kind::Evidence => "evidence",
            Kind::Publication => "publications",
        }
    }
}

/// How far ahead of this PC's clock an incoming op may be stamped: one day covers PCs whose
/// clocks are wrong by a time zone or a few hours. A stamp further ahead would win every later
/// edit of its field until that day came (a year-5000 stamp: for ever), so it is refused.
pub const MAX_CLOCK_DRIFT_MS: u64 = 24 * 60 * 60 * 1000;

/// The field whose `true` value is a record's tombstone.
pub const DELETED: &str = "deleted";

/// One change of one field of one record, as it travels between devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: Uuid,
    pub entity: Uuid,
    pub kind: Kind,
    pub field: String,
    pub value: Value,
    pub hlc: Hlc,
    pub device: Uuid,
    /// The stamp of the value this edit replaced, as its author's device saw it. An op whose
    /// `prev` is older than a rival's stamp was made without seeing the rival: a conflict.
    pub prev: Hlc,
    /// Its author device's Ed25519 signature (hex) over [`Op::signing_bytes`] (issue 14, point
    /// 4): added by the sync layer before the op first leaves its PC, checked by every receiver
    /// against the author's key. The core keeps it and never needs a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

impl Op {
    /// What the author device signs: every part of the op that says what changed, where, when
    /// and by whom, one per line (a field name holds no newline, a value is JSON on one line,
    /// its object keys sorted), after a tag that names this encoding.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let value = serde_json::to_string(&self.value).unwrap_or_default();
        format!(
            "kehoach-op-v1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.id,
            self.entity,
            self.kind.as_str(),
            self.field,
            value,
            self.hlc.0,
            self.device,
            self.prev.0
        )
        .into_bytes()
    }

    /// Total order of ops on one field: stamp, then device, then op id.
    pub fn order_key(&self) -> (Hlc, Uuid, Uuid) {
        (self.hlc, self.device, self.id)
    }

    /// Everything about the op itself that must hold wherever it is written: its stamps
    /// ([`Op::check_stamps`]) and its record's shape ([`Op::check_record`]). What the hub runs on
    /// a push (through [`Op::validate_incoming`]).
    pub fn validate(&self) -> Result<()> {
        self.check_stamps()?;
        self.check_record().map_err(|why| CoreError::BadOp(format!("{why} (thiết bị {})", self.device)))
    }

    /// Its stamps are in the one integer domain the database keeps (issue 14, point 1).
    pub fn check_stamps(&self) -> Result<()> {
        if self.hlc.0 == 0 {
            return Err(CoreError::BadOp("thiếu dấu thời gian".into()));
        }
        // Stamps are stored as SQLite integers (i64): one above i64::MAX would read back
        // negative and lose every comparison.
        if self.hlc.0 > i64::MAX as u64 || self.prev.0 > i64::MAX as u64 {
            return Err(CoreError::BadOp(format!("dấu thời gian không hợp lệ: {}", self.hlc.0)));
        }
        Ok(())
    }

    /// Why no replica could apply this op (a field its kind does not have, a value of the wrong
    /// type, a required field emptied), in the officer's words — see [`crate::record`].
    pub fn check_record(&self) -> std::result::Result<(), String> {
        let f = &self.field;
        let ok = !f.is_empty()
            && f.len() <= 64
            && f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok || f == "id" {
            return Err(format!("tên trường không hợp lệ: {:?}", f.chars().take(64).collect::<String>()));
        }
        crate::record::check_op(self)
    }

    /// [`Op::validate`], and the stamp no more than [`MAX_CLOCK_DRIFT_MS`] ahead of `now_ms`
    /// (this PC's wall clock): what every op arriving from elsewhere must pass — a bundle, the
    /// hub, a backup merged in, a push to the hub.
    pub fn validate_incoming(&self, now_ms: u64) -> Result<()> {
        self.validate()?;
        self.check_clock(now_ms)
    }

    /// Its stamps are sound and no more than [`MAX_CLOCK_DRIFT_MS`] ahead of `now_ms`. A PC
    /// refuses a whole batch holding an op that fails this (the sender's clock is wrong);
    /// an op failing [`Op::check_record`] is set aside alone.
    pub fn check_clock(&self, now_ms: u64) -> Result<()> {
        self.check_stamps()?;
        let limit = now_ms.saturating_add(MAX_CLOCK_DRIFT_MS);
        if self.hlc.millis() > limit || self.prev.millis() > limit {
            let when = chrono::DateTime::from_timestamp_millis(self.hlc.millis().min(i64::MAX as u64) as i64)
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "rất xa".into());
            return Err(CoreError::BadOp(format!(
                "thao tác của thiết bị {} mang thời điểm {when}, vượt quá giờ của máy này hơn một ngày: \
                 không nhận (hãy kiểm tra đồng hồ của máy đã gửi)",
                self.device
            )));
        }
        Ok(())
    }
}

/// A local edit before it is stamped: `Store::commit` turns a batch of these into ops.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: Uuid,
    pub kind: Kind,
    pub field: String,
    pub value: Value,
}

impl Change {
    pub fn new(kind: Kind, entity: Uuid, field: &str, value: impl Into<Value>) -> Self {
        Change { entity, kind, field: field.to_string(), value: value.into() }
    }

    pub fn delete(kind: Kind, entity: Uuid) -> Self {
        Change::new(kind, entity, DELETED, true)
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    /// Every kind has its Vietnamese name in the model, where the screens read it: a new kind
    /// without one would show its code name to the officer.
    #[test]
    fn every_kind_is_named_in_vietnamese() {
        for k in Kind::ALL {
            assert!(kehoach_model::kind_label_vi(k.as_str()).is_some(), "{k:?}");
        }
        assert_eq!(kehoach_model::kind_label_vi("a_kind_from_a_newer_version"), None);
    }
}
