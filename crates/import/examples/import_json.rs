//! Prints the plan-import JSON of a document: `cargo run -p kehoach-import --example import_json -- FILE`.
//! Handy to score a parse with the scorer without building the whole CLI.

fn main() {
    let path = std::env::args().nth(1).expect("usage: import_json FILE");
    match kehoach_import::read_file(std::path::Path::new(&path)) {
        Ok(plan) => println!("{}", serde_json::to_string_pretty(&plan).expect("serialisable")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
