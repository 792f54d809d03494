//! The canonical state of a replica, sorted and stable: two databases that hold the same ops
//! dump to the same bytes (`kehoach dump --json`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Serialize, PartialEq)]
pub struct Dump {
    /// Every record by id: its kind and the winning value of each field (tombstones included).
    pub entities: BTreeMap<String, DumpEntity>,
    /// Losing values of concurrent edits: "entity/field" → sorted values.
    pub conflicts: BTreeMap<String, Vec<Value>>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct DumpEntity {
    pub kind: String,
    pub fields: BTreeMap<String, Value>,
}

impl Store {
    pub fn dump(&self) -> Result<Dump> {
        let mut entities: BTreeMap<String, DumpEntity> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT e.id, e.kind, f.field, f.value FROM entities e JOIN field_values f ON f.entity = e.id")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (id, kind, field, value) = row?;
            let e = entities.entry(id).or_insert_with(|| DumpEntity { kind, fields: BTreeMap::new() });
            e.fields.insert(field, serde_json::from_str(&value).unwrap_or(Value::Null));
        }
        let mut conflicts: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut stmt = self.conn.prepare("SELECT entity, field, value FROM conflicts")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (e, f, v) = row?;
            conflicts.entry(format!("{e}/{f}")).or_default().push(serde_json::from_str(&v).unwrap_or(Value::Null));
        }
        for v in conflicts.values_mut() {
            v.sort_by_key(|x| x.to_string());
        }
        Ok(Dump { entities, conflicts })
    }

    /// The dump as pretty JSON with a trailing newline.
    pub fn dump_json(&self) -> Result<String> {
        let mut s = serde_json::to_string_pretty(&self.dump()?).unwrap_or_default();
        s.push('\n');
        Ok(s)
    }
}
