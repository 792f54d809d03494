//! End-to-end checks of the PDF with the real poppler tools (pdftotext, pdffonts, pdfinfo,
//! pdftoppm). Install them with `apt-get install poppler-utils`.

mod common;

use common::*;
use kehoach_report::*;

/// Every paragraph, heading, header line and closing line of the sample report must come
/// back from pdftotext word for word, in order. Page numbers are checked and taken out
/// first, since they sit between the last line of one page and the first of the next.
#[test]
fn sample_report_text_comes_back_word_for_word() {
    let dir = out_dir("sample_text");
    let doc = monthly_report();
    let pdf = write_pdf(&dir, &doc);
    let pages = page_count(&pdf);
    assert!(pages >= 3, "report + appendix should take at least 3 pages, got {pages}");

    let mut all = Vec::new();
    for n in 1..=pages {
        let mut w = words(&page_text(&pdf, n));
        // The page number (if any) is the first thing on the page.
        if w.first().is_some_and(|f| f.chars().all(|c| c.is_ascii_digit())) {
            w.remove(0);
        }
        all.extend(w);
    }
    let mut expected: Vec<String> = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(t) | Block::Paragraph(t) => expected.push(t.clone()),
            Block::Table(_) => {}
        }
    }
    expected.extend([
        "BÁO CÁO".to_string(),
        doc.title.clone(),
        NATIONAL_NAME.to_string(),
        MOTTO.to_string(),
        "Số: 24/BC-UBND".to_string(),
        "Chư Răng, ngày 07 tháng 4 năm 2023".to_string(),
        "UBND HUYỆN IA PA".to_string(),
        "ỦY BAN NHÂN DÂN".to_string(),
        "XÃ CHƯ RĂNG".to_string(),
        "Nơi nhận:".to_string(),
        "- UBND huyện Ia Pa (b/c);".to_string(),
        "- Lưu: VT, CA.".to_string(),
        "TM. ỦY BAN NHÂN DÂN".to_string(),
        "CHỦ TỊCH".to_string(),
        "Ksor Y Phương".to_string(),
        "Phụ lục".to_string(),
        "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐỀ ÁN 06 THÁNG 3 NĂM 2023".to_string(),
        doc.appendices[0].note.clone(),
    ]);
    for text in &expected {
        assert!(contains_run(&all, &words(text)), "not found in the PDF text: {text:?}\n\nPDF words: {all:?}");
    }
    // The parts come in the document's order.
    let pos = |needle: &str| {
        let n = words(needle);
        all.windows(n.len()).position(|w| w == n.as_slice()).unwrap()
    };
    assert!(pos("I. CÔNG TÁC CHỈ ĐẠO,") < pos("II. KẾT QUẢ THỰC HIỆN"));
    assert!(pos("II. KẾT QUẢ THỰC HIỆN") < pos("III. TỒN TẠI,"));
    assert!(pos("III. TỒN TẠI,") < pos("IV. PHƯƠNG HƯỚNG,"));
    assert!(pos("IV. PHƯƠNG HƯỚNG,") < pos("V. ĐỀ XUẤT,"));
    assert!(pos("V. ĐỀ XUẤT,") < pos("Phụ lục"));
}

/// Text stays inside the Decree 30 margins (left 30 mm, right 15 mm, top and bottom 20 mm;
/// only the page number sits in the top margin), body lines start at the left margin or at
/// the 12.7 mm first-line indent, and justified lines end exactly at the right margin.
#[test]
fn text_is_inside_the_margins_and_justified() {
    let dir = out_dir("margins");
    let pdf = write_pdf(&dir, &monthly_report());
    let pt = |mm: f64| mm * 72.0 / 25.4;
    let (left, right) = (pt(30.0), pt(210.0 - 15.0));
    let (top, bottom) = (pt(20.0), pt(297.0 - 20.0));
    let lines = box_lines(&pdf);
    assert!(!lines.is_empty());
    for l in &lines {
        assert!(l.x_min >= left - 0.01 && l.x_max <= right + 0.05, "outside the side margins: {l:?}");
        if l.y_max < top {
            let is_number = l.words.len() == 1 && l.words[0].chars().all(|c| c.is_ascii_digit());
            assert!(is_number && l.page >= 2, "only a page number, from page 2, in the top margin: {l:?}");
            let centre = (l.x_min + l.x_max) / 2.0;
            assert!((centre - (left + right) / 2.0).abs() < 0.5, "page number centred: {l:?}");
        } else {
            assert!(l.y_min >= top - 0.5 && l.y_max <= bottom + 0.5, "outside top/bottom margins: {l:?}");
        }
    }
    // Body lines of page 2 (all running text): each starts at the margin or the indent, and
    // those that are not the last of their paragraph reach the right margin.
    let body: Vec<&BoxLine> = lines.iter().filter(|l| l.page == 2 && l.y_min > top).collect();
    let indent = left + pt(12.7);
    let mut justified = 0;
    for l in &body {
        assert!((l.x_min - left).abs() < 0.05 || (l.x_min - indent).abs() < 0.05 || l.x_min > pt(100.0), "{l:?}");
        if (l.x_max - right).abs() < 0.05 {
            justified += 1;
        }
    }
    assert!(justified >= 10, "only {justified} lines reach the right margin");
}

/// Decomposed input (combining marks) is written as NFC, so copied text matches.
#[test]
fn decomposed_input_is_normalised_to_nfc() {
    let dir = out_dir("nfc");
    let mut doc = monthly_report();
    doc.appendices.clear();
    doc.blocks = vec![Block::Paragraph(
        "Thu\u{031B}\u{0323}c hie\u{0323}\u{0302}n \u{0110}e\u{0302}\u{0300} a\u{0301}n 06".into(),
    )];
    let pdf = write_pdf(&dir, &doc);
    let text = page_text(&pdf, 1);
    assert!(text.contains("Thực hiện Đề án 06"), "{text}");
}

#[test]
fn fonts_are_embedded_and_subset() {
    let dir = out_dir("fonts");
    let pdf = write_pdf(&dir, &monthly_report());
    let out = run("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), 4, "regular, bold, italic and bold italic:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        // name type... encoding emb sub uni object ID: the last five are fixed.
        let (emb, sub, uni) = (cols[cols.len() - 5], cols[cols.len() - 4], cols[cols.len() - 3]);
        assert!(name.contains('+') && name.contains("LiberationSerif"), "subset tag and family: {row}");
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "embedded, subset, with a ToUnicode map: {row}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 300_000, "subsetting keeps the file small, got {size} bytes");
}

#[test]
fn page_is_a4_and_creation_date_is_the_input() {
    let dir = out_dir("info");
    let pdf = write_pdf(&dir, &monthly_report());
    let info = run("pdfinfo", &["-rawdates", pdf.to_str().unwrap()]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    // 08:30 at UTC+7 is 01:30 UTC.
    let created = info.lines().find(|l| l.starts_with("CreationDate:")).expect("has a creation date");
    assert!(created.contains("D:20230407013000"), "{created}");
}

/// Page numbers: none on the first page, centred at the top from page 2; an appendix is
/// numbered on its own.
#[test]
fn page_numbers_start_on_page_two() {
    let dir = out_dir("numbers");
    let pdf = write_pdf(&dir, &monthly_report());
    let pages = page_count(&pdf);
    let firsts: Vec<String> =
        (1..=pages).map(|n| words(&page_text(&pdf, n)).first().cloned().unwrap_or_default()).collect();
    assert_eq!(firsts[0], "UBND", "page 1 starts with the header, no number: {firsts:?}");
    // Find where the appendix begins.
    let appendix = (1..=pages).find(|n| page_text(&pdf, *n).contains("Phụ lục")).unwrap();
    for n in 2..appendix {
        assert_eq!(firsts[n - 1], n.to_string(), "page {n}: {firsts:?}");
    }
    assert_eq!(firsts[appendix - 1], "Phụ", "the appendix's first page has no number");
    for n in appendix + 1..=pages {
        assert_eq!(firsts[n - 1], (n - appendix + 1).to_string(), "appendix page {n}");
    }
}

fn long_table_doc(rows: usize) -> Document {
    let mut doc = monthly_report();
    doc.appendices.clear();
    let rows = (1..=rows)
        .map(|i| {
            vec![
                i.to_string(),
                format!("Nhiệm vụ thử số {i}: rà soát, cập nhật thông tin công dân vào cơ sở dữ liệu"),
                "Công an xã".to_string(),
                "Trong quý II/2023".to_string(),
                format!("Kết quả {i}"),
            ]
        })
        .collect();
    doc.blocks = vec![
        Block::Heading("PHỤ LỤC: DANH SÁCH NHIỆM VỤ".into()),
        Block::Table(Table { columns: task_columns(), rows }),
    ];
    doc
}

/// A 60-row table runs over several pages, every row appears once and in order, and the
/// header row is repeated at the top of each page the table runs onto.
#[test]
fn long_table_splits_and_repeats_its_header() {
    let dir = out_dir("long_table");
    let pdf = write_pdf(&dir, &long_table_doc(60));
    let pages = page_count(&pdf);
    assert!(pages >= 3, "60 rows take more than two pages, got {pages}");
    let mut seen = Vec::new();
    let mut pages_with_rows = 0;
    for n in 1..=pages {
        let w = words(&page_text(&pdf, n));
        let rows: Vec<usize> = w
            .windows(4)
            .filter(|x| x[0] == "Nhiệm" && x[1] == "vụ" && x[2] == "thử" && x[3] == "số")
            .map(|_| 0)
            .collect();
        let mut here = Vec::new();
        for i in 0..w.len().saturating_sub(4) {
            if w[i] == "thử" && w[i + 1] == "số" {
                here.push(w[i + 2].trim_end_matches(':').parse::<usize>().unwrap());
            }
        }
        assert_eq!(rows.len(), here.len());
        if !here.is_empty() {
            pages_with_rows += 1;
            let head = words("STT Nhiệm vụ Đơn vị chủ trì Thời gian hoàn thành Kết quả");
            let first_row = w.iter().position(|x| x == "thử").unwrap();
            let before = &w[..first_row];
            assert!(contains_run(before, &head[..3]), "page {n}: header row before the first row: {before:?}");
            assert!(
                before.contains(&"Thời".to_string()) && before.contains(&"gian".to_string()),
                "page {n}: {before:?}"
            );
        }
        seen.extend(here);
    }
    assert!(pages_with_rows >= 3, "rows on {pages_with_rows} pages");
    assert_eq!(seen, (1..=60).collect::<Vec<_>>(), "every row once, in order");
}

/// A row taller than a page is split between its lines, not cut off.
#[test]
fn a_row_taller_than_a_page_is_split() {
    let dir = out_dir("tall_row");
    let mut doc = monthly_report();
    doc.appendices.clear();
    let long: String = (1..=400).map(|i| format!("từ{i}")).collect::<Vec<_>>().join(" ");
    doc.blocks = vec![Block::Table(Table { columns: task_columns(), rows: vec![vec!["1".into(), long.clone()]] })];
    let pdf = write_pdf(&dir, &doc);
    let pages = page_count(&pdf);
    assert!(pages >= 2);
    // The row starts on the first page, under the header, instead of leaving it empty;
    // its continuation on the next page comes under a repeated header row.
    for n in 1..=2 {
        let w = words(&page_text(&pdf, n));
        let head = w.iter().position(|x| x == "STT").unwrap_or_else(|| panic!("page {n}: {w:?}"));
        let first = w.iter().position(|x| x.starts_with("từ")).unwrap_or_else(|| panic!("page {n}: {w:?}"));
        assert!(head < first, "page {n}");
    }
    let mut all = Vec::new();
    for n in 1..=pages {
        all.extend(words(&page_text(&pdf, n)).into_iter().filter(|w| w.starts_with("từ")));
    }
    assert_eq!(all, words(&long));
}

/// Whatever the length of the body, the page with the signature also carries body text:
/// the last paragraph moves with the signature rather than leave it alone on a page.
#[test]
fn the_signature_never_stands_alone_on_a_page() {
    let dir = out_dir("signature_page");
    let mut doc = monthly_report();
    doc.appendices.clear();
    doc.blocks.clear();
    for i in 1..=34 {
        doc.blocks.push(Block::Paragraph(format!(
            "Đoạn thử số {i}: Công an xã phối hợp với các thôn, làng rà soát, thu nhận hồ sơ cấp thẻ Căn cước công dân."
        )));
        let pdf = dir.join(format!("report-{i}.pdf"));
        std::fs::write(&pdf, render_pdf(&doc, created()).unwrap()).unwrap();
        let pages = page_count(&pdf);
        let last = page_text(&pdf, pages);
        assert!(last.contains("Nơi nhận:"), "{i}: the closing is on the last page");
        assert!(last.contains("Đoạn thử số"), "{i} paragraphs: the signature page has no body text:\n{last}");
    }
}

#[test]
fn a_character_missing_from_the_font_is_an_error() {
    let mut doc = monthly_report();
    doc.blocks.push(Block::Paragraph("Biểu tượng 😀 không có trong phông".into()));
    let err = render_pdf(&doc, created()).unwrap_err();
    assert!(matches!(err, RenderError::MissingGlyph { ch: '😀', code: 0x1F600, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with("Phông chữ không có ký tự '😀' (U+1F600)"), "{msg}");
    assert!(msg.contains("Biểu tượng"), "names the passage: {msg}");

    // Also in a table cell and in the header.
    let mut doc = monthly_report();
    doc.header.place = "漢".into();
    assert!(matches!(render_pdf(&doc, created()), Err(RenderError::MissingGlyph { ch: '漢', .. })));
}

#[test]
fn date_line_follows_the_decree() {
    let d = |year, month, day| DocDate { year, month, day };
    assert_eq!(date_line("Chư Răng", d(2023, 4, 7)).unwrap(), "Chư Răng, ngày 07 tháng 4 năm 2023");
    assert_eq!(date_line("Chư Răng", d(2024, 1, 15)).unwrap(), "Chư Răng, ngày 15 tháng 01 năm 2024");
    assert_eq!(date_line("Ia Pa", d(2024, 2, 29)).unwrap(), "Ia Pa, ngày 29 tháng 02 năm 2024");
    assert_eq!(date_line("Ia Pa", d(2023, 12, 31)).unwrap(), "Ia Pa, ngày 31 tháng 12 năm 2023");
    assert!(matches!(date_line("Ia Pa", d(2023, 2, 29)), Err(RenderError::InvalidDate { .. })));
    assert!(matches!(date_line("Ia Pa", d(2023, 13, 1)), Err(RenderError::InvalidDate { .. })));
}

#[test]
fn invalid_tables_are_refused_in_vietnamese() {
    let mut doc = monthly_report();
    doc.blocks = vec![Block::Table(Table {
        columns: vec![Column { title: "A".into(), width: ColumnWidth::Mm(200.0), align: Align::Left }],
        rows: vec![],
    })];
    let err = render_pdf(&doc, created()).unwrap_err();
    assert!(err.to_string().contains("vượt quá chiều rộng trang"), "{err}");
}

#[test]
fn document_round_trips_through_json() {
    let doc = monthly_report();
    let json = serde_json::to_string(&doc).unwrap();
    let back: Document = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
}

/// Renders the sample to PNG pages (pdftoppm -png -r 60) for a person to look at; the
/// checked-in copies are in tests/artefacts/.
#[test]
fn sample_report_renders_to_png() {
    let dir = out_dir("png");
    let pdf = write_pdf(&dir, &monthly_report());
    run("pdftoppm", &["-png", "-r", "60", pdf.to_str().unwrap(), dir.join("page").to_str().unwrap()]);
    let pngs = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "png"))
        .count();
    assert_eq!(pngs, page_count(&pdf));
    eprintln!("PNG pages in {}", dir.display());
}
