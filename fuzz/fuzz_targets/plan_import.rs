//! The plan importer on any bytes: as text, as a .docx and as a PDF (the first byte picks).
//! Nothing may panic, hang or grow without bound; a refusal is an `Err`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    match pick % 3 {
        0 => {
            let _ = kehoach_import::parse_text(&String::from_utf8_lossy(rest));
        }
        1 => {
            let _ = kehoach_import::parse_docx(rest);
        }
        _ => {
            let _ = kehoach_import::parse_pdf(rest);
        }
    }
});
