//! The layouts plans are written in, each on a small made-up plan (none of the fixtures' text).

use std::io::Write;

use kehoach_import::{parse_docx, parse_text, DueKind};

const HEADER: &str = "ỦY BAN NHÂN DÂN HUYỆN ĐỒNG XUÂN\nỦY BAN NHÂN DÂN XÃ TÂN LẬP\nSố: 15/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTân Lập, ngày 10 tháng 01 năm 2024\nKẾ HOẠCH\nTriển khai Đề án 06 trên địa bàn xã năm 2024\nCăn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ;\nThực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND huyện Đồng Xuân về triển khai Đề án 06,\nUBND xã Tân Lập ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n1. Phấn đấu 100% công dân đủ tuổi được cấp thẻ Căn cước.\n2. Phấn đấu trên 1,5 triệu tài khoản định danh điện tử được kích hoạt trên địa bàn tỉnh.\n";
const FOOTER: &str = "III. TỔ CHỨC THỰC HIỆN\n1. Công an xã tổng hợp, báo cáo kết quả về UBND huyện trước ngày 20 hàng tháng.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn An\n";

#[test]
fn header_reporting_targets() {
    let text = format!("{HEADER}II. NHIỆM VỤ\n1. Rà soát dữ liệu dân cư. Hoàn thành trong quý I/2024.\n{FOOTER}");
    let p = parse_text(&text);
    assert_eq!(p.doc.issuer.as_deref(), Some("UBND xã Tân Lập"));
    assert_eq!(p.doc.number.as_deref(), Some("15/KH-UBND"));
    assert_eq!(p.doc.date.as_deref(), Some("2024-01-10"));
    assert_eq!(p.doc.place.as_deref(), Some("Tân Lập"));
    assert_eq!(p.doc.title.as_deref(), Some("Triển khai Đề án 06 trên địa bàn xã năm 2024"));
    assert_eq!(p.doc.signer.as_deref(), Some("Trần Văn An"));
    assert_eq!(
        p.doc.basis,
        vec![
            "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ".to_string(),
            "Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND huyện Đồng Xuân".to_string()
        ]
    );
    assert_eq!(p.reporting.len(), 1);
    assert_eq!(p.reporting[0].day_of_month, Some(20));
    assert_eq!(p.reporting[0].who.as_deref(), Some("Công an xã"));
    assert_eq!(p.reporting[0].to.as_deref(), Some("UBND huyện"));
    assert!(p.targets.iter().any(|t| t.value == Some(100.0) && t.unit.as_deref() == Some("%")));
    assert!(p.targets.iter().any(|t| t.value == Some(1_500_000.0)));
    // Objectives and the duties under "Tổ chức thực hiện" are not tasks.
    assert_eq!(p.tasks.len(), 1);
}

#[test]
fn agency_line_with_inline_time() {
    let text = format!(
        "{HEADER}II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Công tác chỉ đạo\n1.1. Ban hành Quyết định thành lập Tổ công tác triển khai Đề án 06 của xã.\nCơ quan thực hiện: Công an xã chủ trì, phối hợp với Văn phòng - Thống kê xã. Thời gian hoàn thành: Trong tháng 02/2024.\n1.2. Xây dựng quy chế hoạt động của Tổ công tác.\nCơ quan thực hiện: Văn phòng - Thống kê xã chủ trì, phối hợp với Công an xã. Thời gian hoàn thành: Trước ngày 15/3.\n{FOOTER}"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 2);
    assert_eq!(p.tasks[0].reference.as_deref(), Some("1.1"));
    assert_eq!(p.tasks[0].section.as_deref(), Some("Công tác chỉ đạo"));
    assert_eq!(p.tasks[0].lead, vec!["Công an xã"]);
    assert_eq!(p.tasks[0].coord, vec!["Văn phòng - Thống kê xã"]);
    assert_eq!(p.tasks[0].due.kind, DueKind::Month { year: 2024, month: 2 });
    // The plan's year fills a date written without one.
    assert_eq!(p.tasks[1].due.kind, DueKind::Date { date: "2024-03-15".into() });
}

#[test]
fn lead_sentence_with_parenthesised_time_and_umbrella() {
    let text = format!(
        "{HEADER}II. NHIỆM VỤ CỤ THỂ\n1. Phát triển công dân số\na) Công an xã chủ trì, phối hợp Đoàn Thanh niên xã thực hiện hướng dẫn người dân kích hoạt tài khoản định danh điện tử (Thời gian thực hiện: Quý II/2024).\nb) Bưu điện xã chủ trì, phối hợp Hội Phụ nữ xã thực hiện hỗ trợ người cao tuổi cài đặt ứng dụng VNeID (*Thời gian thực hiện: Thường xuyên*).\ng) Văn phòng - Thống kê xã chủ trì, phối hợp các ban, ngành thực hiện:\n- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực (Thời gian thực hiện: Năm 2024).\n- Cập nhật dữ liệu hộ tịch lên hệ thống dùng chung của tỉnh (Thời gian thực hiện: 6 tháng đầu năm 2024).\n{FOOTER}"
    );
    let p = parse_text(&text);
    let texts: Vec<&str> = p.tasks.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(p.tasks.len(), 4, "{texts:#?}");
    assert_eq!(p.tasks[0].lead, vec!["Công an xã"]);
    assert_eq!(p.tasks[0].coord, vec!["Đoàn Thanh niên xã"]);
    assert_eq!(p.tasks[0].due.kind, DueKind::Quarter { year: 2024, quarter: 2 });
    assert!(!p.tasks[0].text.contains("Thời gian"));
    assert_eq!(p.tasks[1].due.kind, DueKind::Recurring);
    // The umbrella item is no task; its sub-items inherit its units.
    assert_eq!(p.tasks[2].lead, vec!["Văn phòng - Thống kê xã"]);
    assert_eq!(p.tasks[2].due.kind, DueKind::Year { year: 2024 });
    assert_eq!(p.tasks[3].due.kind, DueKind::Half { year: 2024, half: 1 });
    assert_eq!(p.tasks[3].reference.as_deref(), Some("g"));
}

#[test]
fn assignment_table_with_bold_sections_and_split_rows() {
    let text = format!(
        "{HEADER}II. NHIỆM VỤ\nNhiệm vụ cụ thể tại Phụ lục II kèm theo.\n{FOOTER}PHỤ LỤC II\nDANH MỤC NHIỆM VỤ TRIỂN KHAI\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tSản phẩm\nI\t**Công tác chỉ đạo**\t\t\t\t\n1\tBan hành kế hoạch triển khai Đề án 06 năm 2024 trên địa bàn\tUBND xã\tCông an xã\tQuý I/2024\tKế hoạch\n2\tTổ chức hội nghị sơ kết việc thực hiện Đề án 06 và đề xuất khen thưởng các tập thể,\tCông an xã\tVăn phòng - Thống kê xã\t6 tháng đầu năm 2024\tBáo cáo sơ kết\n\tcá nhân có thành tích xuất sắc\t\t\t\t\nSTT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tSản phẩm\n<b>II</b>\t<b>Dịch vụ công trực tuyến</b>\n3\tRà soát thủ tục hành chính có yêu cầu xuất trình sổ hộ khẩu\tTư pháp - Hộ tịch xã\t\tTừ tháng 3 đến tháng 6/2024\tDanh mục thủ tục\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 3, "{:#?}", p.tasks);
    let t = &p.tasks[1];
    assert!(t.text.ends_with("các tập thể, cá nhân có thành tích xuất sắc"), "{}", t.text);
    assert_eq!(t.section.as_deref(), Some("Công tác chỉ đạo"));
    assert_eq!(t.product.as_deref(), Some("Báo cáo sơ kết"));
    assert_eq!(t.appendix.as_deref(), Some("Phụ lục II"));
    assert_eq!(p.tasks[2].section.as_deref(), Some("Dịch vụ công trực tuyến"));
    assert_eq!(p.tasks[2].due.kind, DueKind::Range { from: "2024-03-01".into(), to: "2024-06-30".into() });
    assert_eq!(p.tasks[0].lead, vec!["UBND xã"]);
}

#[test]
fn public_service_list_is_a_checklist() {
    let text = format!(
        "{HEADER}II. NHIỆM VỤ\n1. Rà soát dữ liệu dân cư. Hoàn thành trong quý I/2024.\n{FOOTER}Phụ lục I\nDANH MỤC DỊCH VỤ CÔNG THIẾT YẾU\nSTT\tTên dịch vụ công\tMức độ\tĐơn vị thực hiện\n1\tĐăng ký khai sinh\t4\tTư pháp - Hộ tịch xã\n2\tĐăng ký thường trú\tMức độ 4\tCông an xã\n3\tCấp lại thẻ Căn cước công dân\t3\tCông an huyện\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.checklists.len(), 1);
    let items = &p.checklists[0].items;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].text, "Đăng ký thường trú");
    assert_eq!(items[1].level.as_deref(), Some("4"));
    assert_eq!(items[2].lead.as_deref(), Some("Công an huyện"));
    assert_eq!(p.tasks.len(), 1);
}

/// A Word file with real list numbering and a real table (merged cells included).
#[test]
fn docx_numbering_and_tables() {
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let num = |lvl: u32, t: &str| {
        format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let span = |t: &str, n: u32| {
        format!("<w:tc><w:tcPr><w:gridSpan w:val=\"{n}\"/></w:tcPr><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{t}</w:t></w:r></w:p></w:tc>")
    };
    let row = |cells: Vec<String>| format!("<w:tr>{}</w:tr>", cells.concat());
    let mut body = String::new();
    for l in HEADER.lines() {
        body.push_str(&para(l));
    }
    body.push_str(&para("II. NHIỆM VỤ"));
    body.push_str(&num(0, "Công tác tuyên truyền"));
    body.push_str(&num(1, "Tuyên truyền về lợi ích của tài khoản định danh điện tử."));
    body.push_str(&para("Đơn vị thực hiện: Công chức Văn hóa - Xã hội."));
    body.push_str(&para("Thời gian thực hiện: Thường xuyên."));
    body.push_str(&num(1, "Tổ chức tập huấn cho cán bộ thôn về dịch vụ công trực tuyến."));
    body.push_str(&para("Đơn vị thực hiện: Công an xã."));
    body.push_str(&para("Thời gian hoàn thành: Trong quý II/2024."));
    body.push_str(&num(0, "Các nhiệm vụ khác"));
    body.push_str("<w:tbl>");
    body.push_str(&row(vec![cell("TT"), cell("Nội dung"), cell("Đơn vị chủ trì"), cell("Thời gian")]));
    body.push_str(&row(vec![
        cell("1"),
        cell("Kết nối hệ thống một cửa điện tử với dữ liệu dân cư"),
        cell("Văn phòng - Thống kê xã"),
        cell("Tháng 5/2024"),
    ]));
    body.push_str(&row(vec![span("Ứng dụng thẻ căn cước", 4)]));
    body.push_str(&row(vec![
        cell("2"),
        cell("Triển khai khám chữa bệnh bằng thẻ căn cước tại trạm y tế"),
        cell("Trạm Y tế xã"),
        cell("Năm 2024"),
    ]));
    body.push_str("</w:tbl>");
    for l in FOOTER.lines() {
        body.push_str(&para(l));
    }
    let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>");
    let numbering = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%2.\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", o).unwrap();
        z.write_all(document.as_bytes()).unwrap();
        z.start_file("word/numbering.xml", o).unwrap();
        z.write_all(numbering.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let p = parse_docx(buf.get_ref()).unwrap();
    assert_eq!(p.doc.number.as_deref(), Some("15/KH-UBND"));
    assert_eq!(p.tasks.len(), 4, "{:#?}", p.tasks);
    assert_eq!(p.tasks[0].reference.as_deref(), Some("1.1"));
    assert_eq!(p.tasks[0].section.as_deref(), Some("Công tác tuyên truyền"));
    assert_eq!(p.tasks[1].reference.as_deref(), Some("1.2"));
    assert_eq!(p.tasks[1].due.kind, DueKind::Quarter { year: 2024, quarter: 2 });
    let table: Vec<_> = p.tasks.iter().filter(|t| t.reference.as_deref() == Some("2")).collect();
    assert_eq!(table.len(), 1);
    assert_eq!(table[0].section.as_deref(), Some("Ứng dụng thẻ căn cước"));
    assert_eq!(table[0].lead, vec!["Trạm Y tế xã"]);
    assert_eq!(table[0].due.kind, DueKind::Year { year: 2024 });
}
