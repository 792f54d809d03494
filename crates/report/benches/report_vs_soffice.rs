//! How fast a monthly report is made, against LibreOffice converting the same report.
//!
//! Builds a 50-task plan in a fresh database, then times (median of 30 runs) what the app does
//! when an officer asks for the PDF: compose the draft from the database and render it in the
//! Decree 30 layout. In the same run it exports the report as DOCX and times (median of 3 runs,
//! after one warm-up that creates the profile) `soffice --headless --convert-to pdf` on it, and
//! prints the ratio. `cargo bench -p kehoach-report --bench report_vs_soffice`

use std::process::Command;
use std::time::{Duration, Instant};

use kehoach_core::{reports, Store};
use kehoach_model::{NewPlan, NewTask, Settings, TaskStatus};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut store = Store::open_in_memory().unwrap();
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
    let plan = kehoach_core::create_plan(
        &mut store,
        &NewPlan {
            title: "Kế hoạch triển khai Đề án 06 trên địa bàn xã năm 2023".into(),
            number: Some("24/KH-UBND".into()),
            date: Some("2023-01-10".into()),
            issuer: Some("UBND xã Chư Răng".into()),
        },
    )
    .unwrap();
    let sections = [
        "Cung cấp dịch vụ công trực tuyến",
        "Phát triển kinh tế - xã hội",
        "Phát triển công dân số",
        "Xây dựng hệ sinh thái, dữ liệu dùng chung",
        "Phục vụ công tác chỉ đạo, điều hành",
    ];
    let dues = ["Trong tháng 3/2023", "Trong quý I/2023", "Thường xuyên", "Trong tháng 4/2023", "Trong năm 2023"];
    for i in 0..50 {
        let t = kehoach_core::add_task(
            &mut store,
            &NewTask {
                plan_id: plan.id,
                text: format!(
                    "Nhiệm vụ số {}: rà soát, cập nhật, làm sạch dữ liệu dân cư và hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2 tại thôn {}",
                    i + 1,
                    i % 9 + 1
                ),
                reference: Some(format!("{}.{}", i % 5 + 1, i / 5 + 1)),
                section: Some(sections[i % 5].into()),
                due_text: Some(dues[i % 5].into()),
                due: Some(kehoach_import::parse_due(dues[i % 5], Some(2023))),
                lead: vec![["Công an xã", "Văn phòng – Thống kê", "Tư pháp – Hộ tịch"][i % 3].into()],
                ..Default::default()
            },
        )
        .unwrap();
        let st = [TaskStatus::Done, TaskStatus::InProgress, TaskStatus::NotStarted][i % 3];
        kehoach_core::set_task_status(&mut store, t.id, st, None).unwrap();
    }
    let period = reports::parse_period("2023-03").unwrap();
    let created = chrono::Local::now().fixed_offset();

    // The app: compose from the database, render the PDF.
    let mut ours = Vec::new();
    let mut pdf_len = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let d = reports::compose_report(&store, plan.id, &period, Some("2023-04-07")).unwrap();
        let pdf = kehoach_report::render_report_pdf(&d.content, created).unwrap();
        ours.push(t.elapsed());
        pdf_len = pdf.len();
    }
    let ours = median(ours);

    // LibreOffice converting the DOCX of the same report.
    let d = reports::compose_report(&store, plan.id, &period, Some("2023-04-07")).unwrap();
    let dir = std::env::temp_dir().join(format!("kehoach-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("report.docx");
    std::fs::write(&docx, kehoach_report::render_report_docx(&d.content).unwrap()).unwrap();
    let convert = || {
        let t = Instant::now();
        let out = Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&docx)
            .env("HOME", &dir)
            .output()
            .expect("soffice (apt-get install libreoffice-writer-nogui)");
        assert!(out.status.success() && dir.join("report.pdf").exists(), "soffice failed");
        t.elapsed()
    };
    let cold = convert();
    let theirs = median((0..3).map(|_| convert()).collect());
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "monthly report of a 50-task plan ({} rows in the appendix, PDF {} KiB)",
        d.content.appendix.rows.len(),
        pdf_len / 1024
    );
    println!("  kehoach compose + PDF (median of 30): {:>9.1} ms", ours.as_secs_f64() * 1e3);
    println!(
        "  soffice DOCX → PDF (median of 3):     {:>9.1} ms (first run, new profile: {:.1} ms)",
        theirs.as_secs_f64() * 1e3,
        cold.as_secs_f64() * 1e3
    );
    println!("  ratio: {:.0}× faster (goal: at least 30×)", theirs.as_secs_f64() / ours.as_secs_f64());
}
