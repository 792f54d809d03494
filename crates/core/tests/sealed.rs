//! The core's tables are sealed behind its API (issue 15, point 2): `Store` hands out no
//! connection, and no other crate of the workspace links SQLite into its own code, so nothing
//! but the core can run SQL on a PC's data. The hub links it for its own database (not a PC's
//! data). Tests and benches may (as dev-dependencies): they forge hostile files from outside,
//! as an attacker or a failing disk would.

use std::path::{Path, PathBuf};

/// The crates that may link SQLite for their own code.
const ALLOWED: [&str; 2] = ["crates/core", "crates/hub"];

/// The workspace members' manifests, by the member's path (`crates/sync`, `src-tauri`, …).
fn manifests(root: &Path) -> Vec<(String, PathBuf)> {
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = workspace.split("members = [").nth(1).unwrap().split(']').next().unwrap();
    members
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty())
        .map(|m| (m.clone(), root.join(&m).join("Cargo.toml")))
        .collect()
}

/// Whether `manifest` names rusqlite among the dependencies its code is built with (not its
/// dev-dependencies).
fn links_sqlite(manifest: &str) -> bool {
    let mut section = String::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        let built = section == "dependencies" || (section.starts_with("target.") && section.ends_with(".dependencies"));
        if built && (line.starts_with("rusqlite ") || line.starts_with("rusqlite=") || line.starts_with("rusqlite.")) {
            return true;
        }
    }
    false
}

#[test]
fn no_crate_but_core_and_the_hub_links_sqlite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let members = manifests(&root);
    assert!(members.iter().any(|(m, _)| m == "crates/sync"), "members read from the workspace: {members:?}");
    let linking: Vec<String> = members
        .iter()
        .filter(|(_, path)| links_sqlite(&std::fs::read_to_string(path).unwrap()))
        .map(|(m, _)| m.clone())
        .collect();
    assert_eq!(linking, ALLOWED, "only the core runs SQL on a PC's data; add a named function to kehoach-core");
}

#[test]
fn the_reading_of_a_manifest_tells_dependencies_from_dev_dependencies() {
    assert!(links_sqlite("[dependencies]\nserde = \"1\"\nrusqlite = { version = \"0.40\" }\n"));
    assert!(links_sqlite("[target.'cfg(windows)'.dependencies]\nrusqlite = \"0.40\"\n"));
    assert!(!links_sqlite("[dependencies]\nserde = \"1\"\n[dev-dependencies]\nrusqlite = \"0.40\"\n"));
    assert!(!links_sqlite("[dependencies]\nrusqlite_migration = \"2\"\n"));
}
