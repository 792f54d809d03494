//! Prints the text the importer reads from a PDF: `cargo run -p kehoach-import --example pdf_text -- FILE.pdf`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: pdf_text FILE.pdf");
    let bytes = std::fs::read(&path).expect("readable file");
    match kehoach_import::pdf_text(&bytes) {
        Ok(t) => print!("{t}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
