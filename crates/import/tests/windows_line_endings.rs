//! A plan saved on Windows (Notepad, or Word's "Plain text") has CRLF line endings, often a BOM
//! and sometimes UTF-16: it must read exactly as the same text saved on Linux.

use std::path::Path;

use kehoach_import::read_file;

#[test]
fn a_plan_saved_with_windows_line_endings_reads_the_same() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/plans/xa-chu-rang-2023.txt");
    let text = std::fs::read_to_string(&fixture).unwrap().replace("\r\n", "\n");
    // A folder with a space and Vietnamese letters, as under a Windows user's Documents.
    let dir = std::env::temp_dir().join(format!("kehoach tài liệu {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let unix = read_file(&write("ke hoach.txt", text.clone().into_bytes())).unwrap();
    assert!(unix.tasks.len() > 10);
    let crlf = text.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for u in crlf.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    for (name, bytes) in
        [("kế hoạch crlf.txt", crlf.clone().into_bytes()), ("kế hoạch bom.txt", bom), ("kế hoạch utf16.txt", utf16)]
    {
        let windows = read_file(&write(name, bytes)).unwrap();
        assert_eq!(windows, unix, "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
