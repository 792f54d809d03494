//! Every bad input gives a clear error in Vietnamese.

use std::io::Write;
use std::path::PathBuf;

use kehoach_import::{read_file, ImportError};

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kehoach-import-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn unsupported_extension() {
    let p = temp("ke-hoach.xls", b"\xd0\xcf\x11\xe0");
    let e = read_file(&p).unwrap_err();
    assert!(matches!(e, ImportError::UnsupportedFormat(_)));
    assert_eq!(e.to_string(), "Định dạng tệp không được hỗ trợ: .xls (chỉ nhận .txt, .md, .docx, .pdf, .doc)");
    let e = read_file(&temp("ke-hoach", b"x")).unwrap_err();
    assert!(e.to_string().starts_with("Định dạng tệp không được hỗ trợ"));
}

#[test]
fn missing_file() {
    let e = read_file(std::path::Path::new("/khong/co/tep/nay.txt")).unwrap_err();
    assert!(matches!(e, ImportError::Unreadable { .. }));
    assert!(e.to_string().starts_with("Không đọc được tệp /khong/co/tep/nay.txt"), "{e}");
}

#[test]
fn invalid_utf8() {
    // "Kế hoạch" in Windows-1258 bytes is not UTF-8.
    let p = temp("cp1258.txt", b"K\xea\xd2 ho\xb9ch 1.1. Nhi\xd2m v\xf5");
    let e = read_file(&p).unwrap_err();
    assert!(matches!(e, ImportError::InvalidUtf8(_)));
    assert!(e.to_string().contains("không phải văn bản mã hóa UTF-8"), "{e}");
}

#[test]
fn corrupt_docx() {
    let e = read_file(&temp("hong.docx", b"PK\x03\x04 not really a zip")).unwrap_err();
    assert!(matches!(e, ImportError::CorruptDocx(_)));
    assert!(e.to_string().starts_with("Tệp Word (.docx) bị hỏng"), "{e}");
    // A zip without word/document.xml is not a Word document either.
    let e = kehoach_import::parse_docx(&empty_zip()).unwrap_err();
    assert!(matches!(e, ImportError::CorruptDocx(_)));
}

fn empty_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(b"hello").unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn no_task_found() {
    let p = temp("thu-moi.txt", "GIẤY MỜI\nKính mời các đồng chí dự họp.\n".as_bytes());
    let e = read_file(&p).unwrap_err();
    assert!(matches!(e, ImportError::NoTasks));
    assert_eq!(e.to_string(), "Không tìm thấy nhiệm vụ nào trong tài liệu");
    let p = temp("rong.md", b"");
    assert!(matches!(read_file(&p).unwrap_err(), ImportError::NoTasks));
}

#[test]
fn utf8_bom_and_utf16_are_read() {
    let text = "II. NHIỆM VỤ\n1. Rà soát dữ liệu dân cư trên địa bàn xã. Hoàn thành trong quý II/2023.\n";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(read_file(&temp("bom.txt", &bom)).unwrap().tasks.len(), 1);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(read_file(&temp("utf16.txt", &utf16)).unwrap().tasks.len(), 1);
}
