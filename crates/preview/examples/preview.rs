//! Renders every page of a PDF to PNG files and says how long it took:
//! `cargo run --release -p kehoach-preview --example preview -- report.pdf 800 out/`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(pdf), width, out) = (args.next(), args.next(), args.next()) else {
        eprintln!("dùng: preview <tệp.pdf> [độ rộng, mặc định 800] [thư mục ảnh]");
        std::process::exit(2);
    };
    let width: u32 = width.as_deref().unwrap_or("800").parse().expect("độ rộng là một số");
    let bytes = std::fs::read(&pdf).expect("đọc được tệp");
    // Once to warm up (page faults, caches of the first call), then timed.
    let _ = kehoach_preview::render_pages(&bytes, width);
    let runs = 5;
    let start = Instant::now();
    let mut pages = Vec::new();
    for _ in 0..runs {
        pages = kehoach_preview::render_pages(&bytes, width).unwrap_or_else(|e| panic!("{e}"));
    }
    let each = start.elapsed() / runs;
    println!(
        "{} trang, rộng {width} px: {:.0} ms cho cả tệp ({:.0} ms mỗi trang)",
        pages.len(),
        each.as_secs_f64() * 1000.0,
        each.as_secs_f64() * 1000.0 / pages.len() as f64
    );
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir).unwrap();
        for p in &pages {
            std::fs::write(format!("{dir}/page-{}.png", p.index + 1), &p.png).unwrap();
        }
    }
}
