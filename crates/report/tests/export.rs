//! A report composed from a real plan (the Chư Răng plan of 2023, imported through the core),
//! rendered to PDF, DOCX and XLSX: the PDF's text comes back, LibreOffice opens the DOCX and
//! the XLSX, and a report missing its signer or place is refused with nothing rendered.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use kehoach_core::{queries, reports, Store};
use kehoach_model::{ReportContent, Settings, TaskFilter, TaskStatus};
use kehoach_report::{render_report_docx, render_report_pdf, render_report_xlsx, report_document, RenderError};

const PLAN: &str = include_str!("../../../tests/fixtures/plans/xa-chu-rang-2023.txt");

/// The monthly report (April 2023) of the Chư Răng plan, statuses set as an officer would.
pub fn composed_report(settings: bool) -> ReportContent {
    let mut store = Store::open_in_memory().unwrap();
    if settings {
        kehoach_core::save_settings(
            &mut store,
            &Settings {
                commune: Some("UBND xã Chư Răng".into()),
                parent: Some("UBND huyện Ia Pa".into()),
                place: Some("Chư Răng".into()),
                signer: Some("Ksor Y Phương".into()),
                signer_title: Some("Chủ tịch".into()),
                level: None,
            },
        )
        .unwrap();
    }
    let plan = kehoach_core::import_plan(&mut store, &kehoach_import::parse_text(PLAN)).unwrap();
    let tasks = queries::list_tasks(&store, &TaskFilter { plan_id: Some(plan.id), ..Default::default() }).unwrap();
    for (i, t) in tasks.iter().enumerate() {
        let st = match i % 3 {
            0 => TaskStatus::Done,
            1 => TaskStatus::InProgress,
            _ => continue,
        };
        kehoach_core::set_task_status(&mut store, t.id, st, None).unwrap();
    }
    let d = reports::draft_report(&mut store, plan.id, &reports::parse_period("2023-04").unwrap(), Some("2023-05-08"))
        .unwrap();
    d.content
}

fn soffice_converts(file: &Path, dir: &Path) -> std::path::PathBuf {
    let out = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .env("HOME", dir) // a private LibreOffice profile: tests may run side by side
        .output()
        .expect("soffice (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let pdf = dir.join(file.with_extension("pdf").file_name().unwrap());
    assert!(pdf.exists(), "soffice wrote no PDF for {}: {}", file.display(), String::from_utf8_lossy(&out.stdout));
    pdf
}

#[test]
fn composed_report_pdf_text_comes_back() {
    let c = composed_report(true);
    let dir = out_dir("composed-pdf");
    let path = dir.join("report.pdf");
    std::fs::write(&path, render_report_pdf(&c, created()).unwrap()).unwrap();
    let first = words(&page_text(&path, 1));
    for needle in [
        "UBND HUYỆN IA PA",
        "ỦY BAN NHÂN DÂN",
        "XÃ CHƯ RĂNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Chư Răng, ngày 08 tháng 5 năm 2023",
        "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 tháng 4 năm 2023",
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
    ] {
        assert!(contains_run(&first, &words(needle)), "page 1 lacks {needle:?}");
    }
    assert!(contains_run(&first, &words("Số:")) && contains_run(&first, &words("/BC-UBND")));
    let n = page_count(&path);
    let all: Vec<String> = (1..=n).flat_map(|p| words(&page_text(&path, p))).collect();
    for needle in [
        "II. KẾT QUẢ THỰC HIỆN",
        "III. KHÓ KHĂN, VƯỚNG MẮC",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 5 NĂM 2023",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "Ksor Y Phương",
        "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 4 NĂM 2023",
        "(Kèm theo Báo cáo số",
    ] {
        assert!(contains_run(&all, &words(needle)), "the PDF lacks {needle:?}");
    }
    // Every appendix row's result is in the table.
    assert!(contains_run(&all, &words("Hoàn thành")));
    assert!(contains_run(&all, &words("Chậm tiến độ (hạn")));
}

#[test]
fn libreoffice_opens_the_docx_and_the_xlsx() {
    let c = composed_report(true);
    let dir = out_dir("composed-office");
    let docx = dir.join("report.docx");
    let xlsx = dir.join("appendix.xlsx");
    std::fs::write(&docx, render_report_docx(&c).unwrap()).unwrap();
    std::fs::write(&xlsx, render_report_xlsx(&c).unwrap()).unwrap();

    let from_docx = soffice_converts(&docx, &dir);
    let text: Vec<String> = (1..=page_count(&from_docx)).flat_map(|p| words(&page_text(&from_docx, p))).collect();
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Chư Răng, ngày 08 tháng 5 năm 2023",
        "BÁO CÁO",
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Ksor Y Phương",
        "Nơi nhận:",
        "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 4 NĂM 2023",
    ] {
        assert!(contains_run(&text, &words(needle)), "the DOCX lacks {needle:?}");
    }
    // A4 in LibreOffice too.
    let info = run("pdfinfo", &[from_docx.to_str().unwrap()]);
    assert!(info.contains("595.") && info.contains("841."), "{info}");

    let from_xlsx = soffice_converts(&xlsx, &dir);
    let text: Vec<String> = (1..=page_count(&from_xlsx)).flat_map(|p| words(&page_text(&from_xlsx, p))).collect();
    for needle in ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Kết quả", "Hoàn thành", "1.1"] {
        assert!(contains_run(&text, &words(needle)), "the XLSX lacks {needle:?}");
    }
}

#[test]
fn a_report_missing_its_signer_or_place_is_refused() {
    let c = composed_report(false);
    for e in [
        report_document(&c).unwrap_err(),
        render_report_pdf(&c, created()).unwrap_err(),
        render_report_docx(&c).unwrap_err(),
        render_report_xlsx(&c).unwrap_err(),
    ] {
        let msg = e.to_string();
        assert!(matches!(e, RenderError::Incomplete(_)), "{e:?}");
        assert!(msg.starts_with("Chưa có: ") && msg.contains("họ tên người ký") && msg.contains("địa danh"), "{msg}");
    }
}

#[test]
fn a_character_the_font_lacks_is_named_in_every_format() {
    let mut c = composed_report(true);
    c.parts[4].text = "Đề nghị hỗ trợ 漢 kinh phí.".into();
    for e in [render_report_pdf(&c, created()).unwrap_err(), render_report_docx(&c).unwrap_err()] {
        let msg = e.to_string();
        assert!(msg.contains("'漢'") && msg.contains("U+6F22"), "{msg}");
    }
}

#[test]
fn composed_report_renders_to_png() {
    let c = composed_report(true);
    let dir = out_dir("composed-png");
    let path = dir.join("report.pdf");
    std::fs::write(&path, render_report_pdf(&c, created()).unwrap()).unwrap();
    run("pdftoppm", &["-png", "-r", "60", path.to_str().unwrap(), dir.join("page").to_str().unwrap()]);
    assert!(dir.join("page-01.png").exists());
}
