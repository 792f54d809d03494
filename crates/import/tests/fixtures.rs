//! Acceptance: the four plans (three real, one in the inline-label layout), read from their text,
//! from a .docx and from a .pdf that LibreOffice made of it, score recall ≥ 0.95, precision ≥
//! 0.90, due ≥ 0.90, lead ≥ 0.85 against the hand-labelled gold.

mod common;

use std::path::Path;

use common::{fixture_path, score, Score, FIXTURES};
use serde_json::Value;

fn gold(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(&format!("{name}.gold.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn check(name: &str, ext: &str) -> Score {
    let path = fixture_path(&format!("{name}.{ext}"));
    let plan = kehoach_import::read_file(Path::new(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pred = serde_json::to_value(&plan).unwrap();
    let s = score(&gold(name), &pred);
    println!("{name}.{ext}: {s}");
    for d in &s.details {
        println!("  {d}");
    }
    assert!(s.recall >= 0.95, "{name}.{ext}: recall {s}");
    assert!(s.precision >= 0.90, "{name}.{ext}: precision {s}");
    assert!(s.due >= 0.90, "{name}.{ext}: due {s}");
    assert!(s.lead >= 0.85, "{name}.{ext}: lead {s}");
    s
}

#[test]
fn chu_rang_txt() {
    let s = check(FIXTURES[0], "txt");
    assert!(s.report_days_ok);
}

#[test]
fn chu_rang_docx() {
    check(FIXTURES[0], "docx");
}

#[test]
fn lam_hop_txt() {
    let s = check(FIXTURES[1], "txt");
    assert!(s.report_days_ok);
}

#[test]
fn lam_hop_docx() {
    check(FIXTURES[1], "docx");
}

#[test]
fn binh_phuoc_txt() {
    let s = check(FIXTURES[2], "txt");
    assert!(s.report_days_ok);
}

#[test]
fn binh_phuoc_docx() {
    check(FIXTURES[2], "docx");
}

#[test]
fn son_khe_txt() {
    let s = check(FIXTURES[3], "txt");
    assert!(s.report_days_ok);
}

#[test]
fn son_khe_docx() {
    check(FIXTURES[3], "docx");
}

#[test]
fn every_plan_as_pdf() {
    for name in FIXTURES {
        let s = check(name, "pdf");
        assert!(s.report_days_ok, "{name}.pdf: {s}");
        assert_eq!(s.doc_ok, s.doc_fields, "{name}.pdf: {s}");
    }
}

/// The .txt and the .docx made from it must read the same.
#[test]
fn docx_reads_like_its_text() {
    for name in FIXTURES {
        let txt = kehoach_import::read_file(Path::new(&fixture_path(&format!("{name}.txt")))).unwrap();
        let docx = kehoach_import::read_file(Path::new(&fixture_path(&format!("{name}.docx")))).unwrap();
        assert_eq!(txt.tasks.len(), docx.tasks.len(), "{name}");
        assert_eq!(txt.doc, docx.doc, "{name}");
    }
}

/// Header fields and the reporting days, as labelled.
#[test]
fn header_and_reporting() {
    for name in FIXTURES {
        let plan = kehoach_import::read_file(Path::new(&fixture_path(&format!("{name}.txt")))).unwrap();
        let s = score(&gold(name), &serde_json::to_value(&plan).unwrap());
        assert_eq!(s.doc_ok, s.doc_fields, "{name}: {s}");
        assert!(s.report_days_ok, "{name}: {s}");
        assert!(!plan.doc.basis.is_empty(), "{name}");
    }
}

/// Cross-check with the Python scorer (a copy of the project's tools/score_plan.py kept beside
/// the fixtures) when python3 is installed, as in CI.
#[test]
fn python_scorer_agrees() {
    let scorer = fixture_path("score_plan.py");
    if !Path::new(&scorer).exists() || std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: {scorer} or python3 not available");
        return;
    }
    let dir = std::env::temp_dir().join(format!("kehoach-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in FIXTURES {
        for ext in ["txt", "docx", "pdf"] {
            let plan = kehoach_import::read_file(Path::new(&fixture_path(&format!("{name}.{ext}")))).unwrap();
            let out = dir.join(format!("{name}.{ext}.json"));
            std::fs::write(&out, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
            let run = std::process::Command::new("python3")
                .arg(&scorer)
                .arg(fixture_path(&format!("{name}.gold.json")))
                .arg(&out)
                .args(["--min-recall", "0.95", "--min-precision", "0.90", "--min-due", "0.90", "--min-lead", "0.85"])
                .output()
                .unwrap();
            let printed = String::from_utf8_lossy(&run.stdout);
            println!("python {name}.{ext}: {}", printed.trim());
            assert!(run.status.success(), "{name}.{ext}: {printed}");
            // The port must print the same figures as the original.
            let ours = score(&gold(name), &serde_json::to_value(&plan).unwrap()).to_string();
            assert!(printed.trim().ends_with(&ours), "python: {printed}\nrust: {ours}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
