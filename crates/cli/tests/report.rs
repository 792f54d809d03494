//! `kehoach report …` on a real SQLite file: draft → render → the PDF's text; a report
//! missing its signer is refused and no file is written; bad periods get clear messages.

mod common;

use std::path::Path;

use common::*;
use std::process::Command as Std;

use serde_json::Value;

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/plans/xa-chu-rang-2023.txt");

fn setup(db: &Path, signer: bool) {
    setup_chu_rang(db, "Ksor Y Phương");
    if !signer {
        // The signer's name removed afterwards (as a synced edit from another PC could).
        let store = kehoach_core::Store::open(db);
        let mut store = store.unwrap();
        store
            .commit(vec![kehoach_core::Change::new(
                kehoach_core::Kind::Org,
                kehoach_core::SETTINGS_ID,
                "signer",
                Value::Null,
            )])
            .unwrap();
    }
}

fn import(db: &Path) -> String {
    stdout(kehoach(db, &["plan", "import", PLAN])).split('\t').next().unwrap().to_string()
}

fn draft(db: &Path, plan: &str, period: &str) -> Value {
    let out =
        stdout(kehoach(db, &["report", "draft", "--plan", plan, "--period", period, "--date", "2023-05-08", "--json"]));
    serde_json::from_str(&out).unwrap()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn draft_then_render_pdf_docx_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup(&db, true);
    let plan = import(&db);
    let d = draft(&db, &plan, "2023-04");
    let id = d["id"].as_str().unwrap().to_string();
    assert_eq!(d["version"], 1);
    assert_eq!(d["period"]["kind"], "month");
    assert_eq!(d["missing"].as_array().unwrap().len(), 0);
    // The text form starts with the id; drafting again reopens the same report.
    let text = stdout(kehoach(&db, &["report", "draft", "--plan", &plan, "--period", "2023-04"]));
    assert!(text.starts_with(&id), "{text}");
    assert!(text.contains("Kết quả thực hiện Đề án 06 tháng 4 năm 2023"));

    let pdf = dir.path().join("bc.pdf");
    let docx = dir.path().join("bc.docx");
    let xlsx = dir.path().join("bc.xlsx");
    kehoach(
        &db,
        &[
            "report",
            "render",
            &id,
            "--pdf",
            pdf.to_str().unwrap(),
            "--docx",
            docx.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    )
    .success();
    let out = Std::new("pdftotext").args(["-f", "1", "-l", "1", "-enc", "UTF-8"]).arg(&pdf).arg("-").output().unwrap();
    let page1 = words(&String::from_utf8(out.stdout).unwrap());
    for needle in [
        "UBND HUYỆN IA PA",
        "ỦY BAN NHÂN DÂN XÃ CHƯ RĂNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Chư Răng, ngày 08 tháng 5 năm 2023",
        "BÁO CÁO",
    ] {
        assert!(page1.contains(needle), "page 1 lacks {needle:?}: {page1}");
    }
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    // Quarterly and yearly periods; the schedule; issuing.
    assert_eq!(draft(&db, &plan, "2023-Q2")["content"]["title"], "Kết quả thực hiện Đề án 06 quý II năm 2023");
    assert_eq!(draft(&db, &plan, "2023")["content"]["title"], "Kết quả thực hiện Đề án 06 năm 2023");
    let s = stdout(kehoach(&db, &["report", "schedule", "--as-of", "2023-05-20"]));
    assert!(s.contains("2023-05-12\t2023-04\tquá hạn 8 ngày"), "{s}");
    // Signed by hand: the clerk's number is required, then it is issued.
    let e = String::from_utf8(kehoach(&db, &["report", "issue", &id]).failure().get_output().stderr.clone()).unwrap();
    assert!(e.contains("Chưa nhập số của báo cáo"), "{e}");
    kehoach(&db, &["report", "issue", &id, "--number", "27/BC-UBND"]).success();
    let s = stdout(kehoach(&db, &["report", "schedule", "--as-of", "2023-05-20"]));
    assert!(!s.contains("\t2023-04\t"), "{s}");
    let list = stdout(kehoach(&db, &["report", "list", "--plan", &plan]));
    assert_eq!(list.lines().count(), 3, "{list}");
}

#[test]
fn missing_signer_is_an_error_and_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup(&db, false);
    let plan = import(&db);
    let d = draft(&db, &plan, "2023-04");
    assert_eq!(d["missing"], serde_json::json!(["họ tên người ký"]));
    let id = d["id"].as_str().unwrap();
    let text = stdout(kehoach(&db, &["report", "show", id]));
    assert!(text.contains("Chưa có: họ tên người ký"), "{text}");
    let pdf = dir.path().join("bc.pdf");
    let docx = dir.path().join("bc.docx");
    let err = stderr(kehoach(
        &db,
        &["report", "render", id, "--pdf", pdf.to_str().unwrap(), "--docx", docx.to_str().unwrap()],
    ));
    assert!(err.contains("Chưa có: họ tên người ký"), "{err}");
    assert!(!pdf.exists() && !docx.exists());
}

#[test]
fn bad_periods_and_ids_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    setup(&db, true);
    let plan = import(&db);
    for bad in ["2023-13", "2023-Q5", "03/2023"] {
        let err = stderr(kehoach(&db, &["report", "draft", "--plan", &plan, "--period", bad]));
        assert!(err.contains("kỳ báo cáo không hợp lệ") && err.contains("YYYY-Qn"), "{bad}: {err}");
    }
    let err = stderr(kehoach(&db, &["report", "render", "abc", "--pdf", "x.pdf"]));
    assert!(err.contains("mã báo cáo không hợp lệ"), "{err}");
    let err = stderr(kehoach(&db, &["report", "render", &plan]));
    assert!(err.contains("chưa chọn tệp nào"), "{err}");
}
