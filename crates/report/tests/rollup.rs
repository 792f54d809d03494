//! The printed roll-up for the level above, checked with the real poppler tools (pdftotext,
//! pdffonts, pdfinfo, pdftoppm).

// Skipped by rustfmt, so formatting this file leaves the shared fixtures as they are.
#[rustfmt::skip]
mod common;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};
use common::{contains_run, out_dir, page_count, page_text, run, words};
use kehoach_report::*;
use unicode_normalization::UnicodeNormalization;

fn printed_on() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2024, 6, 3, 9, 15, 0).unwrap()
}

fn commune(name: &str, tasks: u32, done: u32, overdue: u32, report: RollupReport) -> RollupCommune {
    RollupCommune {
        name: name.into(),
        tasks,
        done,
        overdue,
        report,
        status: None,
        late_days: None,
        issued_at: None,
        reason: None,
    }
}

/// The nine communes of Ia Pa district in May 2024: seven have reported.
fn ia_pa() -> RollupPrint {
    use RollupReport::*;
    RollupPrint {
        title: String::new(),
        unit: "UBND huyện Ia Pa".into(),
        period: "2024-05".into(),
        as_of: "2024-05-31".into(),
        reported: 7,
        communes: vec![
            commune("Xã Chư Răng", 24, 15, 2, Issued),
            commune("Xã Ia Tul", 22, 18, 0, Issued),
            commune("Xã Ia Mrơn", 25, 11, 4, Draft),
            commune("Xã Kim Tân", 21, 21, 0, Issued),
            commune("Xã Pờ Tó", 23, 9, 6, Missing),
            commune("Xã Ia Trốk", 20, 14, 1, Issued),
            commune("Xã Ia Broăi", 22, 10, 3, Draft),
            commune("Xã Chư Mố", 19, 7, 5, NotSynced),
            commune("Xã Ia Kdăm", 24, 20, 1, Issued),
        ],
        targets: vec![
            RollupTarget {
                text: "Tài khoản định danh điện tử mức độ 2 được kích hoạt".into(),
                unit: "tài khoản".into(),
                target: 12345.0,
                actual: 10234.5,
                communes: 9,
            },
            RollupTarget {
                text: "Hồ sơ dịch vụ công trực tuyến toàn trình".into(),
                unit: "hồ sơ".into(),
                target: 2400.0,
                actual: 1987.25,
                communes: 7,
            },
            RollupTarget {
                text: "Tỷ lệ thẻ Căn cước được cấp".into(),
                unit: "%".into(),
                target: 900.0,
                actual: 871.6,
                communes: 9,
            },
        ],
        totals: None,
        grid: Vec::new(),
        grid_year: None,
    }
}

fn write(dir: &Path, r: &RollupPrint) -> PathBuf {
    let bytes = render_rollup_pdf(r, printed_on()).expect("renders");
    let path = dir.join("rollup.pdf");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The `-layout` line that holds `key`, and the words after it.
fn row_after<'a>(layout: &'a str, key: &str) -> Vec<&'a str> {
    let line = layout.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("no line with {key:?} in:\n{layout}"));
    line[line.find(key).unwrap() + key.len()..].split_whitespace().collect()
}

#[test]
fn the_overview_prints_its_title_communes_counts_and_sums() {
    let dir = out_dir("rollup_text");
    let r = ia_pa();
    let pdf = write(&dir, &r);
    assert_eq!(page_count(&pdf), 1, "nine communes and three targets fit on one page");

    let text = page_text(&pdf, 1);
    assert_eq!(text.nfc().collect::<String>(), text, "pdftotext gives NFC text");
    let all = words(&text);
    for expected in [
        "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH ĐỀ ÁN 06 CỦA CÁC XÃ",
        "UBND huyện Ia Pa",
        "Kỳ báo cáo: tháng 5 năm 2024",
        "Tính đến ngày 31/05/2024",
        "Đã có báo cáo: 7/9 xã.",
        "1. Tình hình thực hiện nhiệm vụ và báo cáo của các xã",
        "2. Chỉ tiêu của các xã (cộng)",
        "Ngày in: 03/06/2024",
    ] {
        assert!(contains_run(&all, &words(expected)), "not in the PDF text: {expected:?}\n\n{text}");
    }

    // Row by row, as the page lays them out.
    let layout = run("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(row_after(&layout, "STT")
        .starts_with(&["Xã", "Nhiệm", "vụ", "Hoàn", "thành", "Quá", "hạn", "Báo", "cáo", "kỳ"]));
    for (i, c) in r.communes.iter().enumerate() {
        let rest = row_after(&layout, &c.name);
        let mut expected = vec![c.tasks.to_string(), c.done.to_string(), c.overdue.to_string()];
        expected.extend(c.report.label_vi().split(' ').map(str::to_string));
        assert_eq!(rest, expected, "row of {}", c.name);
        let line = layout.lines().find(|l| l.contains(&c.name)).unwrap();
        assert_eq!(line.split_whitespace().next(), Some((i + 1).to_string().as_str()), "STT of {}", c.name);
    }
    assert_eq!(row_after(&layout, "Cộng"), ["200", "125", "22", "7/9"]);
    for (label, n) in [("đã ban hành", 5), ("bản nháp", 2), ("chưa có", 1), ("chưa đồng bộ", 1)] {
        assert_eq!(layout.matches(label).count(), n, "{label}");
    }

    // The targets, summed figures written the Vietnamese way.
    assert_eq!(row_after(&layout, "tài khoản"), ["12.345", "10.234,5", "9"]);
    assert_eq!(row_after(&layout, "hồ sơ"), ["2.400", "1.987,3", "7"]);
    assert_eq!(row_after(&layout, " % "), ["900", "871,6", "9"]);
    for t in &r.targets {
        assert!(contains_run(&all, &words(&t.text)), "{}", t.text);
    }
}

#[test]
fn the_overview_is_a4_with_its_font_embedded() {
    let dir = out_dir("rollup_fonts");
    let pdf = write(&dir, &ia_pa());
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.lines().any(|l| l.starts_with("Page size:") && l.contains("(A4)")), "{info}");
    assert!(info.contains("kehoach-rollup") && info.contains("kehoach-period=2024-05"), "{info}");

    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    // name, type, encoding, emb, sub, uni, object ID: two header lines, then one per font.
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.iter().any(|l| l.contains("LiberationSerif")), "{fonts}");
    for l in &rows {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, with a ToUnicode map: {l}");
    }
    // Regular (table), bold (title, header row, "Cộng"), italic (period line, date), each once.
    let names: Vec<&str> = rows.iter().map(|l| l.split_whitespace().next().unwrap()).collect();
    for face in ["LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"] {
        let n = names.iter().filter(|n| n.split_once('+').map_or(**n, |(_, f)| f) == face).count();
        assert_eq!(n, 1, "{face}: {fonts}");
    }
}

#[test]
fn sixty_communes_run_over_pages_with_the_header_row_repeated() {
    let dir = out_dir("rollup_pages");
    let mut r = ia_pa();
    let statuses = [RollupReport::Issued, RollupReport::Draft, RollupReport::Missing, RollupReport::NotSynced];
    r.communes = (1..=60)
        .map(|i| commune(&format!("Xã Thử Nghiệm Số {i}"), 20 + i % 7, 10 + i % 5, i % 4, statuses[i as usize % 4]))
        .collect();
    r.reported = 30;
    let pdf = write(&dir, &r);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "60 communes need more than one page, got {pages}");

    let header = words("STT Xã Nhiệm vụ Hoàn thành Quá hạn Báo cáo kỳ");
    let mut seen = Vec::new();
    for n in 1..=pages {
        let w = words(&page_text(&pdf, n));
        if n == 1 {
            assert_ne!(w[0], "1", "no page number on page 1");
        } else {
            assert_eq!(w[0], n.to_string(), "page {n} starts with its number");
        }
        if n == 2 {
            // The page number, then straight away the table's header row again.
            assert_eq!(&w[1..1 + header.len()], header.as_slice(), "header row repeated on page 2: {w:?}");
        }
        let text = page_text(&pdf, n);
        for i in 1..=60 {
            let name = format!("Xã Thử Nghiệm Số {i}\n");
            if text.contains(&name) {
                seen.push((i, n));
            }
        }
    }
    let order: Vec<u32> = seen.iter().map(|(i, _)| *i).collect();
    assert_eq!(order, (1..=60).collect::<Vec<_>>(), "each commune once, in order");
    assert!(seen.iter().any(|(_, p)| *p == 2), "the table runs onto page 2");

    let layout = run("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let tasks: u32 = r.communes.iter().map(|c| c.tasks).sum();
    let done: u32 = r.communes.iter().map(|c| c.done).sum();
    let overdue: u32 = r.communes.iter().map(|c| c.overdue).sum();
    assert_eq!(
        row_after(&layout, "Cộng"),
        [format_number_vi(tasks as f64), format_number_vi(done as f64), overdue.to_string(), "30/60".into()]
    );
    assert_eq!(format_number_vi(tasks as f64), "1.378", "a sum over a thousand has its dot");
}

#[test]
fn decomposed_names_are_printed_as_nfc() {
    let dir = out_dir("rollup_nfc");
    let mut r = ia_pa();
    r.communes[0].name = "Xa\u{303} Chư Ra\u{306}ng".nfd().collect();
    r.unit = "UBND huye\u{323}\u{302}n Ia Pa".into();
    let text = page_text(&write(&dir, &r), 1);
    assert!(text.contains("Xã Chư Răng") && text.contains("UBND huyện Ia Pa"), "{text}");
}

#[test]
fn numbers_periods_and_statuses_in_vietnamese() {
    for (v, s) in [
        (1234567.0, "1.234.567"),
        (80.25, "80,3"),
        (0.0, "0"),
        (-0.04, "0"),
        (-1234.5, "-1.234,5"),
        (999.96, "1.000"),
        (0.05, "0,1"),
        (12.0, "12"),
        (1000.0, "1.000"),
    ] {
        assert_eq!(format_number_vi(v), s, "{v}");
    }
    for (code, label) in [
        ("2024-05", "tháng 5 năm 2024"),
        ("2024-12", "tháng 12 năm 2024"),
        ("2024-Q2", "quý II năm 2024"),
        ("2024-q4", "quý IV năm 2024"),
        ("2024-H1", "6 tháng đầu năm 2024"),
        ("2024-H2", "6 tháng cuối năm 2024"),
        ("2024", "năm 2024"),
    ] {
        assert_eq!(period_label_vi(code).unwrap(), label, "{code}");
    }
    for bad in ["", "24-05", "2024-13", "2024-5", "2024-Q5", "2024-H3", "2024/05", "tháng 5"] {
        let e = period_label_vi(bad).unwrap_err();
        assert!(matches!(e, RenderError::InvalidPeriod(_)), "{bad}: {e:?}");
        assert!(e.to_string().starts_with("Kỳ báo cáo không hợp lệ"), "{e}");
    }
    assert_eq!(RollupReport::from_wire(Some("issued"), 10), RollupReport::Issued);
    assert_eq!(RollupReport::from_wire(Some("draft"), 10), RollupReport::Draft);
    assert_eq!(RollupReport::from_wire(None, 3), RollupReport::Missing);
    assert_eq!(RollupReport::from_wire(None, 0), RollupReport::NotSynced);
}

#[test]
fn an_unreadable_period_or_day_is_refused() {
    let mut r = ia_pa();
    r.period = "2024-13".into();
    assert_eq!(
        render_rollup_pdf(&r, printed_on()).unwrap_err().to_string(),
        "Kỳ báo cáo không hợp lệ: «2024-13» (dùng YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY)"
    );
    let mut r = ia_pa();
    r.as_of = "31/05/2024".into();
    assert_eq!(
        render_rollup_pdf(&r, printed_on()).unwrap_err().to_string(),
        "Ngày không hợp lệ: «31/05/2024» (dùng YYYY-MM-DD)"
    );
}

#[test]
fn no_targets_and_other_periods() {
    let dir = out_dir("rollup_quarter");
    let mut r = ia_pa();
    r.period = "2024-H1".into();
    r.as_of = "2024-06-30".into();
    r.targets.clear();
    let text = page_text(&write(&dir, &r), 1);
    let w = words(&text);
    assert!(contains_run(&w, &words("Kỳ báo cáo: 6 tháng đầu năm 2024")), "{text}");
    assert!(contains_run(&w, &words("Tính đến ngày 30/06/2024")), "{text}");
    assert!(contains_run(&w, &words("2. Chỉ tiêu: các xã chưa có chỉ tiêu nào trong kỳ.")), "{text}");
    assert!(!text.contains("Đơn vị tính"), "no empty target table: {text}");
}

/// Renders the overview to PNG (pdftoppm -png -r 60) for a person to look at; a checked-in
/// copy is in tests/artefacts/.
#[test]
fn the_overview_renders_to_png() {
    let dir = out_dir("rollup_png");
    let pdf = write(&dir, &ia_pa());
    run("pdftoppm", &["-png", "-r", "60", pdf.to_str().unwrap(), dir.join("rollup").to_str().unwrap()]);
    let mut r = ia_pa();
    r.communes =
        (1..=60).map(|i| commune(&format!("Xã Thử Nghiệm Số {i}"), 20, 10, i % 4, RollupReport::Issued)).collect();
    let long = dir.join("long");
    std::fs::create_dir_all(&long).unwrap();
    let pdf = write(&long, &r);
    run("pdftoppm", &["-png", "-r", "60", pdf.to_str().unwrap(), long.join("rollup-60").to_str().unwrap()]);
    eprintln!("PNG pages in {}", dir.display());
}

/// A commune's line with its state of issue 12.
fn stated(
    name: &str,
    status: RollupStatus,
    late: Option<i64>,
    at: Option<&str>,
    reason: Option<&str>,
) -> RollupCommune {
    let report = if status.received() { RollupReport::Issued } else { RollupReport::Draft };
    RollupCommune {
        status: Some(status),
        late_days: late,
        issued_at: at.map(str::to_string),
        reason: reason.map(str::to_string),
        ..commune(name, 12, 6, 1, report)
    }
}

/// Three communes of Ia Pa in May 2024: one sent on time, one late then returned, one a draft;
/// with the year's grid.
fn three_communes() -> RollupPrint {
    use RollupStatus as S;
    let mut r = ia_pa();
    r.communes = vec![
        stated("UBND xã Chư Răng", S::OnTime, Some(0), Some("2024-06-10T09:30:00+07:00"), None),
        stated("UBND xã Ia Tul", S::Returned, Some(3), Some("2024-06-15T14:05:00+07:00"), Some("Thiếu số liệu mục II")),
        stated("UBND xã Kim Tân", S::Draft, None, None, None),
    ];
    r.reported = 2;
    r.totals =
        Some(RollupTotals { expected: 3, received: 2, on_time: 1, completeness: 2.0 / 3.0, timeliness: 1.0 / 3.0 });
    // Nothing sent for June; July on is not over yet: blank.
    let months = |may: RollupStatus| {
        let mut m = vec![None; 12];
        for (i, s) in [S::Accepted, S::Accepted, S::OnTime, S::Late, may, S::None].into_iter().enumerate() {
            m[i] = Some(s);
        }
        m
    };
    r.grid = vec![
        RollupGridRow { name: "UBND xã Chư Răng".into(), months: months(S::OnTime) },
        RollupGridRow { name: "UBND xã Ia Tul".into(), months: months(S::Returned) },
        RollupGridRow { name: "UBND xã Kim Tân".into(), months: months(S::Draft) },
    ];
    r.grid_year = Some(2024);
    r
}

#[test]
fn the_states_print_with_the_rates_the_reasons_and_the_year() {
    let dir = out_dir("rollup_states");
    let r = three_communes();
    let pdf = write(&dir, &r);
    let text = page_text(&pdf, 1);
    let all = words(&text);
    for expected in [
        "Đã gửi báo cáo: 2/3 xã (66,7%); đúng hạn: 1/3 xã (33,3%).",
        "đã gửi đúng hạn",
        "trả lại: Thiếu số liệu mục II",
        "dự thảo",
        "3. Báo cáo hằng tháng của các xã năm 2024",
        GRID_LEGEND,
    ] {
        assert!(contains_run(&all, &words(expected)), "not in the PDF text: {expected:?}\n\n{text}");
    }
    let layout = run("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(row_after(&layout, "STT").ends_with(&["Báo", "cáo", "kỳ", "Gửi", "lúc"]), "{layout}");
    // Row by row: done out of all, overdue, the state, the day it was sent (its time wraps
    // under it).
    assert_eq!(row_after(&layout, "UBND xã Chư Răng"), ["6/12", "1", "đã", "gửi", "đúng", "hạn", "10/06/2024"]);
    assert_eq!(row_after(&layout, "UBND xã Kim Tân")[..3], ["6/12", "1", "dự"]);
    assert_eq!(row_after(&layout, "Cộng"), ["18/36", "3", "2/3"]);
    // The grid: a row per commune, a code per month (the colours carry the same); the months
    // not over yet are blank.
    let grid: Vec<&str> = layout.lines().filter(|l| l.contains("UBND xã") && l.contains("CN")).collect();
    assert_eq!(grid.len(), 3, "{layout}");
    assert!(
        grid[1].split_whitespace().collect::<Vec<_>>().ends_with(&["CN", "CN", "ĐH", "M", "TL", "–"]),
        "{}",
        grid[1]
    );
    // Colour: the page, rendered, holds each state's colour (the strips and the grid's cells).
    let seen = colours_of_page(&pdf, &dir);
    for s in [
        RollupStatus::OnTime,
        RollupStatus::Late,
        RollupStatus::Accepted,
        RollupStatus::Returned,
        RollupStatus::Draft,
        RollupStatus::None,
    ] {
        assert!(seen.contains(&hex(s.colour())), "no {} ({:?}) on the page", s.colour(), s);
    }
}

fn hex(c: &str) -> (u8, u8, u8) {
    let v = |i: usize| u8::from_str_radix(&c[i..i + 2], 16).unwrap();
    (v(1), v(3), v(5))
}

/// The colours of page 1's pixels (pdftoppm's PPM at 40 dpi: the fills are solid inside).
fn colours_of_page(pdf: &Path, dir: &Path) -> std::collections::HashSet<(u8, u8, u8)> {
    let root = dir.join("colours");
    run("pdftoppm", &["-r", "40", "-f", "1", "-l", "1", pdf.to_str().unwrap(), root.to_str().unwrap()]);
    let ppm = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("colours") && p.extension().is_some_and(|e| e == "ppm")
        })
        .expect("pdftoppm wrote a PPM");
    let bytes = std::fs::read(&ppm).unwrap();
    // "P6\n<w> <h>\n255\n" then RGB triples.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    bytes[at + 1..].chunks_exact(3).map(|p| (p[0], p[1], p[2])).collect()
}

#[test]
fn the_rates_read_the_vietnamese_way() {
    let r = three_communes();
    assert_eq!(totals_line(r.totals.as_ref().unwrap()), "Đã gửi báo cáo: 2/3 xã (66,7%); đúng hạn: 1/3 xã (33,3%)");
    assert_eq!(r.communes[1].state_label(), "trả lại: Thiếu số liệu mục II");
    assert_eq!(r.communes[1].sent_label(), "15/06/2024 14:05");
    assert_eq!(r.communes[1].colour(), "#e53935");
    assert_eq!(stated("X", RollupStatus::Late, Some(3), None, None).state_label(), "đã gửi muộn 3 ngày");
    assert_eq!(percent_vi(1.0), "100%");
}

/// The workbook opens in LibreOffice Calc with the states, the rates and the colours.
#[test]
fn the_states_go_to_excel_with_their_colours() {
    let dir = out_dir("rollup_xlsx");
    let bytes = render_rollup_xlsx(&three_communes()).expect("writes");
    let path = dir.join("tong-hop.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&path)
        .env("HOME", &dir) // a private LibreOffice profile: tests may run side by side
        .output()
        .expect("soffice (apt-get install libreoffice-calc-nogui)");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let pdf = dir.join("tong-hop.pdf");
    let text: Vec<String> = (1..=page_count(&pdf)).flat_map(|p| words(&page_text(&pdf, p))).collect();
    for s in [
        "Đã gửi báo cáo: 2/3 xã (66,7%); đúng hạn: 1/3 xã (33,3%)",
        "trả lại: Thiếu số liệu mục",
        "đã gửi đúng hạn",
        "UBND xã Kim Tân",
        "ĐH",
        "TL",
    ] {
        assert!(contains_run(&text, &words(s)), "{s:?} not in the workbook: {text:?}");
    }
    let seen = colours_of_page(&pdf, &dir);
    assert!(seen.contains(&hex(RollupStatus::OnTime.colour())) && seen.contains(&hex(RollupStatus::Returned.colour())));
}
