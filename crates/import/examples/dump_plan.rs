//! Prints the plan read from a document as JSON: `cargo run -p kehoach-import --example dump_plan FILE`.
//! Used to cross-check the parser with `score_plan.py GOLD PRED`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_plan FILE");
        std::process::exit(2);
    };
    match kehoach_import::read_file(std::path::Path::new(&path)) {
        Ok(plan) => println!("{}", serde_json::to_string_pretty(&plan).unwrap()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
