//! A .doc on a PC without LibreOffice: a message says to save it as .docx. Alone in its test
//! binary, because it empties PATH for the whole process.

use std::path::Path;

use kehoach_import::{read_file, ImportError};

#[test]
fn a_doc_without_libreoffice_asks_for_a_docx() {
    // SAFETY of the test: no other test runs in this binary, so no thread reads PATH meanwhile.
    unsafe { std::env::set_var("PATH", "/nonexistent") };
    let path = format!("{}/../../tests/fixtures/plans/huyen-son-khe-2023.doc", env!("CARGO_MANIFEST_DIR"));
    let e = read_file(Path::new(&path)).unwrap_err();
    assert!(matches!(e, ImportError::DocNeedsLibreOffice), "{e:?}");
    assert!(e.to_string().contains("lưu lại dạng .docx"), "{e}");
}
