//! Versioned migrations (PRAGMA user_version, through rusqlite_migration).
//! Add a new `M::up` at the end for every change of schema; never edit a shipped one.

use rusqlite_migration::{Migrations, M};

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_init.sql")),
        M::up(include_str!("migrations/002_tracking.sql")),
        M::up(include_str!("migrations/003_reports.sql")),
        M::up(include_str!("migrations/004_search_rows.sql")),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
