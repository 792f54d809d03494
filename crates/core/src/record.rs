//! What each kind of record may hold: its fields and the type of each field's value. One
//! declaration, checked by [`check_op`] wherever an op is written — a local edit, a bundle, a
//! hub pull, a merged backup — and by the hub on every push, so an op no PC could apply (a
//! plan whose title is null, a number where a text belongs, a field no kind has) is refused
//! where it first appears instead of stopping every PC of the commune (issue 14, point 3).
//!
//! Each field's name is a constant of its kind's module (`record::plan::TITLE`), which the
//! declaration and the code of other crates use, so a misspelt name does not compile. A field
//! this PC's own edit names but its kind lacks is an error of `Store::commit`; one arriving from
//! another PC is set aside (it may come from a newer version, and is tried again after an update).
//!
//! The projection tables (migrations) hold most fields as columns; tests hold the two equal
//! both ways: every column is declared here with a type its STRICT column accepts (a NOT NULL
//! column `required`), and every declared field is a column — or is listed in [`OP_LOG_ONLY`]
//! (a report's signature and issue, a plan's period cut-off) and has none.

use serde_json::Value;

/// The field every kind has: its tombstone (`true` once the record is deleted).
pub use crate::op::DELETED;
use crate::op::{Kind, Op};

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

// The names of each kind's fields, one constant each: the declarations below and every
// reader or writer of a field name it through these, so a misspelt name does not compile.
/// The field names of `org` records.
pub mod org {
    pub const COMMUNE: &str = "commune";
    pub const PARENT: &str = "parent";
    pub const PLACE: &str = "place";
    pub const SIGNER: &str = "signer";
    pub const SIGNER_TITLE: &str = "signer_title";
    pub const LEVEL: &str = "level";
}

/// The field names of `unit` records.
pub mod unit {
    pub const NAME: &str = "name";
    pub const ALIASES: &str = "aliases";
    pub const MERGED_INTO: &str = "merged_into";
}

/// The field names of `user` records.
pub mod user {
    pub const NAME: &str = "name";
    pub const TITLE: &str = "title";
    pub const UNIT: &str = "unit";
    pub const APP_VERSION: &str = "app_version";
    pub const PLATFORM: &str = "platform";
    pub const ADMISSION: &str = "admission";
    pub const REVOKED: &str = "revoked";
}

/// The field names of `plan` records.
pub mod plan {
    pub const TITLE: &str = "title";
    pub const NUMBER: &str = "number";
    pub const DATE: &str = "date";
    pub const ISSUER: &str = "issuer";
    pub const SIGNER: &str = "signer";
    pub const PLACE: &str = "place";
    pub const BASIS: &str = "basis";
    pub const REPORTING: &str = "reporting";
    pub const CREATED_AT: &str = "created_at";
    pub const PERIOD_CUTOFF: &str = "period_cutoff";
    pub const PARENT: &str = "parent";
}

/// The field names of `section` records.
pub mod section {
    pub const PLAN_ID: &str = "plan_id";
    pub const REF: &str = "ref";
    pub const TITLE: &str = "title";
    pub const POS: &str = "pos";
}

/// The field names of `task` records.
pub mod task {
    pub const PLAN_ID: &str = "plan_id";
    pub const SECTION: &str = "section";
    pub const REF: &str = "ref";
    pub const TEXT: &str = "text";
    pub const LEAD: &str = "lead";
    pub const COORD: &str = "coord";
    pub const MONITOR: &str = "monitor";
    pub const TIME_TEXT: &str = "time_text";
    pub const DUE: &str = "due";
    pub const PRODUCT: &str = "product";
    pub const APPENDIX: &str = "appendix";
    pub const STATUS: &str = "status";
    pub const STATUS_REASON: &str = "status_reason";
    pub const POS: &str = "pos";
    pub const GROUP: &str = "group";
    pub const DUE_BY_LEVEL: &str = "due_by_level";
    pub const BUDGET: &str = "budget";
    pub const PARENT_TASK: &str = "parent_task";
    pub const PARENT_REF: &str = "parent_ref";
}

/// The field names of `note` records.
pub mod note {
    pub const TASK_ID: &str = "task_id";
    pub const DATE: &str = "date";
    pub const AUTHOR: &str = "author";
    pub const TEXT: &str = "text";
}

/// The field names of `checklist` records.
pub mod checklist {
    pub const PLAN_ID: &str = "plan_id";
    pub const TITLE: &str = "title";
    pub const SOURCE: &str = "source";
}

/// The field names of `checklist_item` records.
pub mod checklist_item {
    pub const CHECKLIST_ID: &str = "checklist_id";
    pub const REF: &str = "ref";
    pub const TEXT: &str = "text";
    pub const LEVEL: &str = "level";
    pub const LEAD: &str = "lead";
    pub const TIME_TEXT: &str = "time_text";
    pub const DONE: &str = "done";
    pub const DONE_DATE: &str = "done_date";
    pub const EVIDENCE: &str = "evidence";
    pub const POS: &str = "pos";
}

/// The field names of `target` records.
pub mod target {
    pub const PLAN_ID: &str = "plan_id";
    pub const TEXT: &str = "text";
    pub const VALUE: &str = "value";
    pub const UNIT: &str = "unit";
    pub const PERIOD: &str = "period";
    pub const KIND: &str = "kind";
    pub const CODE: &str = "code";
}

/// The field names of `target_value` records.
pub mod target_value {
    pub const TARGET_ID: &str = "target_id";
    pub const PERIOD: &str = "period";
    pub const VALUE: &str = "value";
    pub const NUMERATOR: &str = "numerator";
    pub const DENOMINATOR: &str = "denominator";
}

/// The field names of `report` records.
pub mod report {
    pub const PLAN_ID: &str = "plan_id";
    pub const PERIOD: &str = "period";
    pub const NUMBER: &str = "number";
    pub const TITLE: &str = "title";
    pub const PARTS: &str = "parts";
    pub const STATUS: &str = "status";
    pub const VERSION: &str = "version";
    pub const DATE: &str = "date";
    pub const SAVED_AT: &str = "saved_at";
    pub const ISSUED_VERSION: &str = "issued_version";
    pub const ISSUED_AT: &str = "issued_at";
    pub const FIRST_ISSUED_AT: &str = "first_issued_at";
    pub const ISSUED_METHOD: &str = "issued_method";
    pub const SCAN_FILE: &str = "scan_file";
    pub const SCAN_KIND: &str = "scan_kind";
    pub const REVIEW: &str = "review";
    pub const SIGNED_SHA256: &str = "signed_sha256";
    pub const SIGNED_VERSION: &str = "signed_version";
    pub const SIGNED_BY: &str = "signed_by";
    pub const SIGNED_AT: &str = "signed_at";
    pub const SIGNED_PDF: &str = "signed_pdf";
}

/// The field names of `evidence` records.
pub mod evidence {
    pub const TASK_ID: &str = "task_id";
    pub const CHECKLIST_ITEM_ID: &str = "checklist_item_id";
    pub const NUMBER: &str = "number";
    pub const DATE: &str = "date";
    pub const FILE_NAME: &str = "file_name";
    pub const SHA256: &str = "sha256";
    pub const SIZE: &str = "size";
    pub const TEXT: &str = "text";
}

/// The field names of `publication` records.
pub mod publication {
    pub const PLAN_ID: &str = "plan_id";
    pub const VERSION: &str = "version";
    pub const PUBLISHER: &str = "publisher";
    pub const PUBLISHED_AT: &str = "published_at";
    pub const SIGNED: &str = "signed";
    pub const RECEIVED_AT: &str = "received_at";
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty, required: false }
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field { name, ty, required: true }
}

use Ty::*;

const ORG: &[Field] = &[
    f(org::COMMUNE, Text),
    f(org::PARENT, Text),
    f(org::PLACE, Text),
    f(org::SIGNER, Text),
    f(org::SIGNER_TITLE, Text),
    f(org::LEVEL, Text),
];
const UNIT: &[Field] = &[req(unit::NAME, Text), req(unit::ALIASES, List), f(unit::MERGED_INTO, Text)];
const USER: &[Field] = &[
    req(user::NAME, Text),
    f(user::TITLE, Text),
    f(user::UNIT, Text),
    f(user::APP_VERSION, Text),
    f(user::PLATFORM, Text),
    // Signed statements about the device (issue 14, point 5), checked by the sync layer.
    f(user::ADMISSION, Object),
    f(user::REVOKED, Object),
];
const PLAN: &[Field] = &[
    req(plan::TITLE, Text),
    f(plan::NUMBER, Text),
    f(plan::DATE, Text),
    f(plan::ISSUER, Text),
    f(plan::SIGNER, Text),
    f(plan::PLACE, Text),
    req(plan::BASIS, List),
    req(plan::REPORTING, List),
    f(plan::CREATED_AT, Text),
    // Op log only.
    f(plan::PERIOD_CUTOFF, Text),
    // The level above's plan this one implements (issue 17).
    f(plan::PARENT, Object),
];
const SECTION: &[Field] =
    &[req(section::PLAN_ID, Text), f(section::REF, Text), req(section::TITLE, Text), req(section::POS, Int)];
const TASK: &[Field] = &[
    req(task::PLAN_ID, Text),
    f(task::SECTION, Text),
    f(task::REF, Text),
    req(task::TEXT, Text),
    req(task::LEAD, List),
    req(task::COORD, List),
    req(task::MONITOR, List),
    f(task::TIME_TEXT, Text),
    req(task::DUE, Object),
    f(task::PRODUCT, Text),
    f(task::APPENDIX, Text),
    req(task::STATUS, Text),
    f(task::STATUS_REASON, Text),
    req(task::POS, Int),
    f(task::GROUP, Text),
    req(task::DUE_BY_LEVEL, List),
    f(task::BUDGET, Text),
    // The level above's task this one implements: its id when known, its number always.
    f(task::PARENT_TASK, Text),
    f(task::PARENT_REF, Text),
    // `deadline` is a column derived from `due`, never a field.
];
const NOTE: &[Field] = &[req(note::TASK_ID, Text), f(note::DATE, Text), f(note::AUTHOR, Text), req(note::TEXT, Text)];
const CHECKLIST: &[Field] = &[f(checklist::PLAN_ID, Text), req(checklist::TITLE, Text), f(checklist::SOURCE, Text)];
const CHECKLIST_ITEM: &[Field] = &[
    req(checklist_item::CHECKLIST_ID, Text),
    f(checklist_item::REF, Text),
    req(checklist_item::TEXT, Text),
    f(checklist_item::LEVEL, Text),
    f(checklist_item::LEAD, Text),
    f(checklist_item::TIME_TEXT, Text),
    req(checklist_item::DONE, Bool),
    f(checklist_item::DONE_DATE, Text),
    f(checklist_item::EVIDENCE, Text),
    req(checklist_item::POS, Int),
];
const TARGET: &[Field] = &[
    f(target::PLAN_ID, Text),
    req(target::TEXT, Text),
    f(target::VALUE, Real),
    f(target::UNIT, Text),
    f(target::PERIOD, Text),
    f(target::KIND, Text),
    f(target::CODE, Text),
];
const TARGET_VALUE: &[Field] = &[
    req(target_value::TARGET_ID, Text),
    req(target_value::PERIOD, Text),
    f(target_value::VALUE, Real),
    f(target_value::NUMERATOR, Real),
    f(target_value::DENOMINATOR, Real),
];
const REPORT: &[Field] = &[
    f(report::PLAN_ID, Text),
    f(report::PERIOD, Text),
    f(report::NUMBER, Text),
    f(report::TITLE, Text),
    req(report::PARTS, Object),
    req(report::STATUS, Text),
    req(report::VERSION, Int),
    f(report::DATE, Text),
    f(report::SAVED_AT, Text),
    // Op log only: its issue, signature and the level above's review.
    f(report::ISSUED_VERSION, Int),
    f(report::ISSUED_AT, Text),
    f(report::FIRST_ISSUED_AT, Text),
    f(report::ISSUED_METHOD, Text),
    f(report::SCAN_FILE, Text),
    f(report::SCAN_KIND, Text),
    f(report::REVIEW, Json),
    f(report::SIGNED_SHA256, Text),
    f(report::SIGNED_VERSION, Int),
    f(report::SIGNED_BY, Text),
    f(report::SIGNED_AT, Text),
    f(report::SIGNED_PDF, Text),
];
const EVIDENCE: &[Field] = &[
    f(evidence::TASK_ID, Text),
    f(evidence::CHECKLIST_ITEM_ID, Text),
    f(evidence::NUMBER, Text),
    f(evidence::DATE, Text),
    f(evidence::FILE_NAME, Text),
    f(evidence::SHA256, Text),
    f(evidence::SIZE, Int),
    f(evidence::TEXT, Text),
];

const PUBLICATION: &[Field] = &[
    req(publication::PLAN_ID, Text),
    req(publication::VERSION, Int),
    f(publication::PUBLISHER, Text),
    f(publication::PUBLISHED_AT, Text),
    req(publication::SIGNED, Object),
    f(publication::RECEIVED_AT, Text),
];

/// The fields of a `user` record (keyed by its device's id) only that device may write (issue
/// 14, point 4): who works on a PC is said by that PC. Its `admission` and `revoked` are
/// statements other devices sign, checked by the sync layer.
const OWN_USER_FIELDS: &[&str] = &[user::NAME, user::TITLE, user::UNIT, user::APP_VERSION, user::PLATFORM, DELETED];

/// The declared fields that live in the op log only, with no column in their kind's table:
/// their readers take them from the winning ops (`field_values`). Every other declared field
/// is a column, and the projection writes it (a test holds both).
pub const OP_LOG_ONLY: &[(Kind, &str)] = &[
    (Kind::Plan, plan::PERIOD_CUTOFF),
    (Kind::Report, report::ISSUED_VERSION),
    (Kind::Report, report::ISSUED_AT),
    (Kind::Report, report::FIRST_ISSUED_AT),
    (Kind::Report, report::ISSUED_METHOD),
    (Kind::Report, report::SCAN_FILE),
    (Kind::Report, report::SCAN_KIND),
    (Kind::Report, report::REVIEW),
    (Kind::Report, report::SIGNED_SHA256),
    (Kind::Report, report::SIGNED_VERSION),
    (Kind::Report, report::SIGNED_BY),
    (Kind::Report, report::SIGNED_AT),
    (Kind::Report, report::SIGNED_PDF),
];

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

    /// The other way round: every declared field is a column of its kind's table, or is
    /// listed as living in the op log only (and then has no column) — a field declared with a
    /// typo, or a column dropped by a migration, fails here. Each table has its `id`, and the
    /// write path's view of the columns (read from the schema at open) is the same.
    #[test]
    fn every_declared_field_is_a_column_or_op_log_only() {
        let store = crate::Store::open_in_memory().unwrap();
        for kind in Kind::ALL {
            let mut stmt =
                store.conn.prepare(&format!("SELECT name FROM pragma_table_info('{}')", kind.table())).unwrap();
            let cols: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
            assert!(cols.iter().any(|c| c == "id"), "{} has no id", kind.table());
            for f in fields(kind) {
                let column = cols.iter().any(|c| c == f.name);
                let op_log_only = OP_LOG_ONLY.contains(&(kind, f.name));
                assert!(
                    column != op_log_only,
                    "{}.{}: column {column}, op log only {op_log_only}",
                    kind.table(),
                    f.name
                );
            }
            let mut seen = std::collections::HashSet::new();
            assert!(fields(kind).iter().all(|f| seen.insert(f.name)), "{} declares a field twice", kind.table());
            let projected: Vec<&str> = store.columns[&kind].iter().map(String::as_str).collect();
            let expected: Vec<&str> = cols.iter().map(String::as_str).filter(|c| *c != "id").collect();
            assert_eq!(projected, expected, "{}", kind.table());
        }
        for (kind, name) in OP_LOG_ONLY {
            assert!(field(*kind, name).is_some(), "{}.{name} listed as op log only but not declared", kind.table());
        }
    }

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
