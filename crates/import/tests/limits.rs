//! No input takes more than linear time or unbounded memory: a zip bomb, tables nested two
//! hundred deep and an oversized text end in a clear error; a 10 MB text is read. (Speed is
//! measured in the benchmark, `cargo run --release -p kehoach-import --example bench`.)

use std::io::{Cursor, Write};

use kehoach_import::{parse_docx, read_file, ImportError};

fn docx_with(document_xml: &dyn Fn(&mut dyn Write)) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).unwrap();
        document_xml(&mut zip);
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kehoach-import-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // 40 MB of XML that packs into a few tens of kilobytes.
    let bytes = docx_with(&|w| {
        w.write_all(b"<w:document xmlns:w=\"w\"><w:body>").unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..40 {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"</w:body></w:document>").unwrap();
    });
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    let e = parse_docx(&bytes).unwrap_err();
    assert!(matches!(e, ImportError::CorruptDocx(_)));
    assert!(e.to_string().contains("quá lớn khi giải nén"), "{e}");
}

#[test]
fn tables_nested_two_hundred_deep_are_refused() {
    let bytes = docx_with(&|w| {
        w.write_all(b"<w:document xmlns:w=\"w\"><w:body>").unwrap();
        for _ in 0..200 {
            w.write_all(b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1. R\xc3\xa0 so\xc3\xa1t</w:t></w:r></w:p>").unwrap();
        }
        for _ in 0..200 {
            w.write_all(b"</w:tc></w:tr></w:tbl>").unwrap();
        }
        w.write_all(b"</w:body></w:document>").unwrap();
    });
    let e = parse_docx(&bytes).unwrap_err();
    assert!(e.to_string().contains("bảng lồng trong bảng quá sâu"), "{e}");
}

#[test]
fn a_table_in_a_cell_is_still_read() {
    let bytes = docx_with(&|w| {
        w.write_all(
            "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>II. NHIỆM VỤ</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:t>1. Rà soát dữ liệu dân cư trên địa bàn xã. Hoàn thành trong quý II/2023.</w:t></w:r></w:p>\
             </w:body></w:document>"
                .as_bytes(),
        )
        .unwrap();
    });
    assert_eq!(parse_docx(&bytes).unwrap().tasks.len(), 1);
}

fn plan_text(target_bytes: usize) -> String {
    let mut s = String::from("II. NHIỆM VỤ\n");
    let mut i = 0;
    while s.len() < target_bytes {
        i += 1;
        s.push_str(&format!(
            "- Rà soát, cập nhật dữ liệu dân cư của thôn số {i} vào Cơ sở dữ liệu quốc gia. Cơ quan thực hiện: Công an xã chủ trì, phối hợp với Văn phòng – Thống kê xã. Thời gian hoàn thành: Trong quý II/2023.\n"
        ));
    }
    s
}

#[test]
fn a_ten_megabyte_text_is_read() {
    let p = temp("lon.txt", plan_text(10 * 1024 * 1024).as_bytes());
    let plan = read_file(&p).unwrap();
    assert!(plan.tasks.len() > 40_000, "{}", plan.tasks.len());
    assert_eq!(plan.tasks[0].lead, vec!["Công an xã"]);
}

#[test]
fn one_paragraph_of_forty_thousand_lines_is_read() {
    // Each wrapped line continues the one above: joined in place, not copied once per line.
    let mut s = String::from("II. NHIỆM VỤ\n1. Rà soát");
    for _ in 0..40_000 {
        s.push_str("\ncác hồ sơ thủ tục hành chính tại bộ phận một cửa");
    }
    s.push_str(". Thời gian hoàn thành: Trong quý II/2023.\n");
    let plan = kehoach_import::parse_text(&s);
    assert_eq!(plan.tasks.len(), 1);
}

#[test]
fn a_text_too_large_for_a_plan_is_refused() {
    let p = temp("qua-lon.txt", &vec![b'a'; kehoach_import::MAX_TEXT_BYTES + 1]);
    let e = read_file(&p).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge(_)));
    assert!(e.to_string().starts_with("Tệp quá lớn để là một kế hoạch"), "{e}");
}
