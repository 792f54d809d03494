//! Versioned migrations (PRAGMA user_version, through rusqlite_migration).
//! Add a new `M::up` at the end for every change of schema; never edit a shipped one.

use rusqlite_migration::{Migrations, M};

const STEPS: [&str; 13] = [
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_tracking.sql"),
    include_str!("migrations/003_reports.sql"),
    include_str!("migrations/004_search_rows.sql"),
    include_str!("migrations/005_slim_fields.sql"),
    include_str!("migrations/006_indicators.sql"),
    include_str!("migrations/007_program_version.sql"),
    include_str!("migrations/008_task_levels_budget.sql"),
    include_str!("migrations/009_set_aside.sql"),
    include_str!("migrations/010_plan_links.sql"),
    include_str!("migrations/011_op_signatures.sql"),
    include_str!("migrations/012_ops_field_stamp_index.sql"),
    include_str!("migrations/013_set_aside_refused.sql"),
];

/// The `user_version` of a database this build has migrated: a file with a larger one was
/// written by a newer kehoach and is not opened by this one.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

/// Every schema object (type, name, SQL) our migrations make up to `version`, sorted: what a
/// database claiming that version may hold — a file that holds more (a planted trigger, a view
/// redefined) is not one of ours.
pub fn schema_objects(version: i64) -> crate::Result<Vec<(String, String, String)>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    let version = version.clamp(0, SCHEMA_VERSION) as usize;
    migrations().to_version(&mut conn, version).map_err(|e| crate::CoreError::invalid(e.to_string()))?;
    objects(&conn)
}

/// The schema objects of `conn` (SQLite's own excluded), sorted.
pub fn objects(conn: &rusqlite::Connection) -> crate::Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    /// A replica made before 005 keeps every winning value, device and op id, now read
    /// through `field_values`, and its references hold.
    #[test]
    fn slimming_fields_keeps_the_winners() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 4).unwrap();
        conn.execute_batch(
            r#"INSERT INTO entities(id, kind) VALUES ('t1', 'task');
               INSERT INTO ops(id, entity, field, value, hlc, device, prev, seq) VALUES
                 ('o1', 't1', 'text', '"Rà soát"', 10, 'd1', 0, 1),
                 ('o2', 't1', 'text', '"Rà soát dữ liệu"', 12, 'd2', 10, 2),
                 ('o3', 't1', 'status', '"done"', 11, 'd1', 0, 3);
               INSERT INTO fields(entity, field, value, hlc, device, op_id, prev) VALUES
                 ('t1', 'text', '"Rà soát dữ liệu"', 12, 'd2', 'o2', 10),
                 ('t1', 'status', '"done"', 11, 'd1', 'o3', 0);"#,
        )
        .unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let mut stmt = conn
            .prepare("SELECT field, value, hlc, device, op_id, prev, seq FROM field_values ORDER BY field")
            .unwrap();
        let rows: Vec<(String, String, i64, String, String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                ("status".into(), "\"done\"".into(), 11, "d1".into(), "o3".into(), 0, 3),
                ("text".into(), "\"Rà soát dữ liệu\"".into(), 12, "d2".into(), "o2".into(), 10, 2),
            ]
        );
        let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(broken, 0);
    }
}
