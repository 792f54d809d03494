//! Other inputs: a PDF made by LibreOffice reads like its text, a scanned PDF is refused with a
//! message saying so, a legacy .doc goes through LibreOffice, legacy Vietnamese encodings are
//! named.

mod common;

use std::path::Path;

use common::fixture_path;
use kehoach_import::{parse_pdf, read_file, ImportError};
use lopdf::{dictionary, Document, Object, Stream};

#[test]
fn a_pdf_reads_like_its_text() {
    for name in common::FIXTURES {
        let txt = read_file(Path::new(&fixture_path(&format!("{name}.txt")))).unwrap();
        let pdf = read_file(Path::new(&fixture_path(&format!("{name}.pdf")))).unwrap();
        assert_eq!(txt.doc, pdf.doc, "{name}");
        assert_eq!(txt.reporting.len(), pdf.reporting.len(), "{name}");
        assert_eq!(txt.tasks.len(), pdf.tasks.len(), "{name}");
    }
    // Wrapped lines are joined again: a task's text is whole.
    let pdf = read_file(Path::new(&fixture_path("huyen-son-khe-2023.pdf"))).unwrap();
    assert_eq!(
        pdf.tasks[1].text,
        "Hướng dẫn công chức Bộ phận Một cửa cấp xã tra cứu, khai thác thông tin công dân trên ứng dụng VNeID thay cho việc yêu cầu xuất trình giấy tờ khi giải quyết thủ tục hành chính."
    );
}

/// A one-page PDF whose page only paints an image, as a scanner makes it.
fn scanned_pdf() -> Vec<u8> {
    one_page_pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q".to_vec(), false)
}

fn one_page_pdf(content: Vec<u8>, compress: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0u8],
    );
    let image_id = doc.add_object(image);
    let mut content = Stream::new(dictionary! {}, content);
    if compress {
        content.compress().unwrap();
    }
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_scanned_pdf_is_refused_with_a_message() {
    let e = parse_pdf(&scanned_pdf()).unwrap_err();
    assert!(matches!(e, ImportError::ScannedPdf));
    assert!(e.to_string().starts_with("Tệp PDF là ảnh quét, không có chữ để đọc"), "{e}");
}

#[test]
fn a_pdf_page_that_unpacks_past_the_limit_is_refused() {
    // 24 MB of page content packed into a few tens of kilobytes.
    let pdf = one_page_pdf(vec![b' '; 24 << 20], true);
    assert!(pdf.len() < 1 << 20, "{}", pdf.len());
    let e = parse_pdf(&pdf).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge(_)), "{e:?}");
}

#[test]
fn a_damaged_pdf_is_refused_with_a_message() {
    let e = parse_pdf(b"%PDF-1.4\nnot really").unwrap_err();
    assert!(matches!(e, ImportError::CorruptPdf(_)), "{e:?}");
    assert!(e.to_string().starts_with("Tệp PDF bị hỏng"), "{e}");
}

#[test]
fn a_legacy_doc_is_converted_by_libreoffice() {
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("skipped: LibreOffice (soffice) not installed");
        return;
    }
    let doc = read_file(Path::new(&fixture_path("huyen-son-khe-2023.doc"))).unwrap();
    let docx = read_file(Path::new(&fixture_path("huyen-son-khe-2023.docx"))).unwrap();
    assert_eq!(doc.tasks.len(), docx.tasks.len());
    assert_eq!(doc.doc, docx.doc);
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kehoach-import-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn legacy_vietnamese_encodings_are_named() {
    // "Ủy ban nhân dân xã Chư Răng ban hành Kế hoạch thực hiện các nhiệm vụ của Đề án" typed
    // with .VnTime (TCVN3), then with VNI-Times.
    let tcvn3 = b"II. NHI\xd6M V\xf4\n1. \xa6y ban nh\xa9n d\xa9n x\xb7 Ch\xad R\xa8ng ban h\xb5nh K\xd5 ho\xb9ch th\xf9c hi\xd6n c\xb8c nhi\xd6m v\xf4 c\xf1a \xae\xd2 \xb8n. Ho\xb5n th\xb5nh trong qu\xfd II/2023.\n";
    let e = read_file(&temp("tcvn3.txt", tcvn3)).unwrap_err();
    assert!(matches!(e, ImportError::LegacyEncoding("TCVN3 (ABC)")), "{e:?}");
    assert!(e.to_string().contains("bảng mã cũ TCVN3"), "{e}");
    let vni = b"1. U\xdby ban nhaa\xe2n da\xe2n xa\xf5 Ch\xf6 Ra\xeang ban ha\xf8nh Ke\xe1 hoa\xefch th\xf6\xefc hie\xe4n ca\xf9c nhie\xe4m vu\xef. Hoa\xf8n tha\xf8nh trong quy\xf9 II/2023.\n";
    let e = read_file(&temp("vni.txt", vni)).unwrap_err();
    assert!(matches!(e, ImportError::LegacyEncoding("VNI")), "{e:?}");
}
