//! What each kind of record may hold: its fields and the type of each field's value. One
//! declaration, checked by [`check_op`] wherever an op is written — a local edit, a bundle, a
//! hub pull, a merged backup — and by the hub on every push, so an op no PC could apply (a
//! plan whose title is null, a number where a text belongs, a field no kind has) is refused
//! where it first appears instead of stopping every PC of the commune (issue 14, point 3).
//!
//! The projection tables (migrations) hold most fields as columns; a test checks that every
//! column is declared here with a type its STRICT column accepts, and that a NOT NULL column is
//! `required`. Some fields live in the op log only (a report's signature and issue, a plan's
//! period cut-off) and are declared here alone.

use serde_json::Value;

use crate::op::{Kind, Op, DELETED};

/// The JSON type a field's value must have. `null` is allowed unless the field is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Text,
    /// A whole number (i64).
    Int,
    /// Any number.
    Real,
    /// `true`/`false` (0 and 1 read the same).
    Bool,
    /// A JSON list (unit ids, aliases, reporting rules, …), kept as JSON text.
    List,
    /// A JSON object (a task's due, a report's parts), kept as JSON text.
    Object,
    /// A JSON object or list whose shape its reader checks (a report's review).
    Json,
}

impl Ty {
    fn accepts(self, v: &Value) -> bool {
        match self {
            Ty::Text => v.is_string(),
            Ty::Int => v.is_i64(),
            Ty::Real => v.is_number(),
            Ty::Bool => v.is_boolean() || matches!(v.as_i64(), Some(0 | 1)),
            Ty::List => v.is_array(),
            Ty::Object => v.is_object(),
            Ty::Json => v.is_object() || v.is_array(),
        }
    }

    fn label_vi(self) -> &'static str {
        match self {
            Ty::Text => "chữ",
            Ty::Int => "số nguyên",
            Ty::Real => "số",
            Ty::Bool => "đúng/sai",
            Ty::List => "danh sách",
            Ty::Object | Ty::Json => "dữ liệu có cấu trúc",
        }
    }
}

/// One field of a kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// `null` refused (its column is NOT NULL, or its readers need it).
    pub required: bool,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty, required: false }
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field { name, ty, required: true }
}

use Ty::*;

const ORG: &[Field] = &[
    f("commune", Text),
    f("parent", Text),
    f("place", Text),
    f("signer", Text),
    f("signer_title", Text),
    f("level", Text),
];
const UNIT: &[Field] = &[req("name", Text), req("aliases", List), f("merged_into", Text)];
const USER: &[Field] = &[
    req("name", Text),
    f("title", Text),
    f("unit", Text),
    f("app_version", Text),
    f("platform", Text),
    // Signed statements about the device (issue 14, point 5), checked by the sync layer.
    f("admission", Object),
    f("revoked", Object),
];
const PLAN: &[Field] = &[
    req("title", Text),
    f("number", Text),
    f("date", Text),
    f("issuer", Text),
    f("signer", Text),
    f("place", Text),
    req("basis", List),
    req("reporting", List),
    f("created_at", Text),
    // Op log only.
    f("period_cutoff", Text),
    // The level above's plan this one implements (issue 17).
    f("parent", Object),
];
const SECTION: &[Field] = &[req("plan_id", Text), f("ref", Text), req("title", Text), req("pos", Int)];
const TASK: &[Field] = &[
    req("plan_id", Text),
    f("section", Text),
    f("ref", Text),
    req("text", Text),
    req("lead", List),
    req("coord", List),
    req("monitor", List),
    f("time_text", Text),
    req("due", Object),
    f("product", Text),
    f("appendix", Text),
    req("status", Text),
    f("status_reason", Text),
    req("pos", Int),
    f("group", Text),
    req("due_by_level", List),
    f("budget", Text),
    // The level above's task this one implements: its id when known, its number always.
    f("parent_task", Text),
    f("parent_ref", Text),
    // `deadline` is a column derived from `due`, never a field.
];
const NOTE: &[Field] = &[req("task_id", Text), f("date", Text), f("author", Text), req("text", Text)];
const CHECKLIST: &[Field] = &[f("plan_id", Text), req("title", Text), f("source", Text)];
const CHECKLIST_ITEM: &[Field] = &[
    req("checklist_id", Text),
    f("ref", Text),
    req("text", Text),
    f("level", Text),
    f("lead", Text),
    f("time_text", Text),
    req("done", Bool),
    f("done_date", Text),
    f("evidence", Text),
    req("pos", Int),
];
const TARGET: &[Field] = &[
    f("plan_id", Text),
    req("text", Text),
    f("value", Real),
    f("unit", Text),
    f("period", Text),
    f("kind", Text),
    f("code", Text),
];
const TARGET_VALUE: &[Field] =
    &[req("target_id", Text), req("period", Text), f("value", Real), f("numerator", Real), f("denominator", Real)];
const REPORT: &[Field] = &[
    f("plan_id", Text),
    f("period", Text),
    f("number", Text),
    f("title", Text),
    req("parts", Object),
    req("status", Text),
    req("version", Int),
    f("date", Text),
    f("saved_at", Text),
    // Op log only: its issue, signature and the level above's review.
    f("issued_version", Int),
    f("issued_at", Text),
    f("first_issued_at", Text),
    f("issued_method", Text),
    f("scan_file", Text),
    f("scan_kind", Text),
    f("review", Json),
    f("signed_sha256", Text),
    f("signed_version", Int),
    f("signed_by", Text),
    f("signed_at", Text),
    f("signed_pdf", Text),
];
const EVIDENCE: &[Field] = &[
    f("task_id", Text),
    f("checklist_item_id", Text),
    f("number", Text),
    f("date", Text),
    f("file_name", Text),
    f("sha256", Text),
    f("size", Int),
    f("text", Text),
];

const PUBLICATION: &[Field] = &[
    req("plan_id", Text),
    req("version", Int),
    f("publisher", Text),
    f("published_at", Text),
    req("signed", Object),
    f("received_at", Text),
];

/// The fields of a `user` record (keyed by its device's id) only that device may write (issue
/// 14, point 4): who works on a PC is said by that PC. Its `admission` and `revoked` are
/// statements other devices sign, checked by the sync layer.
const OWN_USER_FIELDS: &[&str] = &["name", "title", "unit", "app_version", "platform", DELETED];

/// The fields of `kind` (besides [`DELETED`], which every kind has).
pub fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Org => ORG,
        Kind::Unit => UNIT,
        Kind::User => USER,
        Kind::Plan => PLAN,
        Kind::Section => SECTION,
        Kind::Task => TASK,
        Kind::Note => NOTE,
        Kind::Checklist => CHECKLIST,
        Kind::ChecklistItem => CHECKLIST_ITEM,
        Kind::Target => TARGET,
        Kind::TargetValue => TARGET_VALUE,
        Kind::Report => REPORT,
        Kind::Evidence => EVIDENCE,
        Kind::Publication => PUBLICATION,
    }
}

/// The declaration of `kind`'s field `name`, if it has one.
pub fn field(kind: Kind, name: &str) -> Option<Field> {
    if name == DELETED {
        return Some(req(DELETED, Bool));
    }
    fields(kind).iter().find(|f| f.name == name).copied()
}

/// Why `op` cannot be applied to any replica, in words for the officer; `Ok` when its field is
/// one its kind has and its value has the field's type. (A change of a record's kind needs the
/// record's history and is checked where it is applied.)
pub fn check_op(op: &Op) -> Result<(), String> {
    let kind = op.kind.label_vi();
    if op.kind == Kind::User && OWN_USER_FIELDS.contains(&op.field.as_str()) && op.device != op.entity {
        return Err(format!(
            "máy {} sửa trường “{}” của người dùng máy {}: mỗi máy chỉ được ghi người dùng của chính mình",
            op.device, op.field, op.entity
        ));
    }
    let Some(field) = field(op.kind, &op.field) else {
        return Err(format!(
            "{kind} không có trường “{}” (có thể thao tác do một phiên bản kehoach mới hơn tạo ra)",
            op.field
        ));
    };
    if op.value.is_null() {
        if field.required {
            return Err(format!("trường “{}” của {kind} không được để trống", op.field));
        }
        return Ok(());
    }
    if !field.ty.accepts(&op.value) {
        return Err(format!(
            "trường “{}” của {kind} phải là {}, nhưng nhận được {}",
            op.field,
            field.ty.label_vi(),
            shown(&op.value)
        ));
    }
    Ok(())
}

/// What a receiver that holds no replica (the hub) checks of a batch of ops before storing
/// it: each op's stamps, clock bound and record ([`Op::validate_incoming`]), and no record
/// given another kind than `known` (the kinds its records have so far) or than earlier in the
/// batch. The first op that fails is named by its place.
pub fn check_incoming(
    ops: &[Op],
    now_ms: u64,
    known: &std::collections::HashMap<uuid::Uuid, Kind>,
) -> crate::Result<()> {
    let mut kinds = known.clone();
    for (i, op) in ops.iter().enumerate() {
        let at = |e: String| {
            crate::CoreError::BadOp(format!("thao tác thứ {} ({} “{}”): {e}", i + 1, op.kind.label_vi(), op.field))
        };
        op.validate_incoming(now_ms).map_err(|e| match e {
            crate::CoreError::BadOp(why) => at(why),
            other => at(other.to_string()),
        })?;
        if let Some(first) = kinds.insert(op.entity, op.kind).filter(|k| *k != op.kind) {
            return Err(at(format!(
                "bản ghi {} là {}, thao tác lại ghi nó như {}",
                op.entity,
                first.label_vi(),
                op.kind.label_vi()
            )));
        }
    }
    Ok(())
}

/// A value as the message shows it: its type, and a short text's content.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() <= 40 => format!("chữ “{s}”"),
        Value::String(_) => "một đoạn chữ".into(),
        Value::Number(n) => format!("số {n}"),
        Value::Bool(b) => format!("giá trị {b}"),
        Value::Array(_) => "một danh sách".into(),
        Value::Object(_) => "dữ liệu có cấu trúc".into(),
        Value::Null => "giá trị trống".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column of every projection table is declared, with a type its STRICT column
    /// takes, and a NOT NULL column is required: a migration that adds a column without
    /// declaring it fails here instead of refusing that field's ops everywhere.
    #[test]
    fn every_column_is_declared() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrations().to_latest(&mut conn).unwrap();
        for kind in Kind::ALL {
            let mut stmt = conn
                .prepare(&format!("SELECT name, type, \"notnull\" FROM pragma_table_info('{}')", kind.table()))
                .unwrap();
            let cols: Vec<(String, String, bool)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for (name, sql_type, not_null) in cols {
                if name == "id" || (kind == Kind::Task && name == "deadline") {
                    continue;
                }
                let decl = field(kind, &name).unwrap_or_else(|| panic!("{}.{name} is not declared", kind.table()));
                let fits = match decl.ty {
                    Text | List | Object | Json => sql_type == "TEXT",
                    Int | Bool => sql_type == "INTEGER",
                    Real => sql_type == "REAL",
                };
                assert!(fits, "{}.{name} is {sql_type}, declared {:?}", kind.table(), decl.ty);
                assert_eq!(decl.required, not_null, "{}.{name}: NOT NULL and required differ", kind.table());
            }
        }
    }
}
