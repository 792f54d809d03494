//! On Windows, `sync_all` (FlushFileBuffers) on a file opened read-only fails with "Access is
//! denied" (os error 5): `kehoach backup` failed that way on every Windows PC. That cannot be
//! reproduced on Linux, where fsync takes any handle, so this test reads the workspace's code
//! for the pattern: a file opened with `File::open` (read-only) and then synced.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() && name != "target" && !name.starts_with('.') {
            rust_files(&p, out);
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

/// `(line number, text)` of each sync of a handle that `File::open` made: on the same line, or
/// through a variable bound to `File::open(…)` a few lines above. A sync inside a
/// `#[cfg(unix)]` block (a directory, which Windows cannot open at all) is allowed.
fn read_only_syncs(src: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = src.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(".sync_all()").or_else(|| line.find(".sync_data()")) else { continue };
        let from = i.saturating_sub(12);
        let unix_only = lines[from..i].iter().any(|l| l.contains("cfg(unix)"));
        if line.contains("File::open(") {
            if !unix_only {
                found.push((i + 1, line.trim().to_string()));
            }
            continue;
        }
        let receiver: String =
            line[..at].chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let receiver: String = receiver.chars().rev().collect();
        if receiver.is_empty() {
            continue;
        }
        let opened_read_only = lines[from..i].iter().any(|l| {
            l.contains("File::open(")
                && (l.contains(&format!("let {receiver} "))
                    || l.contains(&format!("let mut {receiver} "))
                    || l.contains(&format!("Ok({receiver})")))
        });
        if opened_read_only && !unix_only {
            found.push((i + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn the_pattern_is_recognised() {
    assert_eq!(read_only_syncs("std::fs::File::open(&p)?.sync_all()?;").len(), 1);
    assert_eq!(read_only_syncs("let f = File::open(&p)?;\nf.read(&mut b)?;\nf.sync_all()?;").len(), 1);
    assert!(read_only_syncs("let f = File::create(&p)?;\nf.sync_all()?;").is_empty());
    assert!(read_only_syncs("OpenOptions::new().write(true).open(&p)?.sync_all()?;").is_empty());
    assert!(read_only_syncs("#[cfg(unix)]\nif let Ok(d) = std::fs::File::open(dir) {\n    let _ = d.sync_all();\n}")
        .is_empty());
    let dir_sync = "#[cfg(unix)]\nif let Some(dir) = p.parent() {\n    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());\n}";
    assert!(read_only_syncs(dir_sync).is_empty());
    assert_eq!(read_only_syncs("let _ = std::fs::File::open(f).and_then(|d| d.sync_all());").len(), 1);
}

#[test]
fn no_file_opened_read_only_is_synced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri/src", "tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "the workspace's sources were not found from {}", root.display());
    let mut bad = Vec::new();
    for f in files.iter().filter(|f| !f.ends_with("windows_file_sync.rs")) {
        let src = std::fs::read_to_string(f).unwrap_or_default();
        for (n, text) in read_only_syncs(&src) {
            bad.push(format!("{}:{n}: {text}", f.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "open the file for writing before syncing it (Windows refuses otherwise):\n{}",
        bad.join("\n")
    );
}
