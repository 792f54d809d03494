//! Import speed and bounds on large and hostile inputs:
//! `cargo run --release -p kehoach-import --example bench` prints the median of 5 runs per case;
//! `… --example bench -- CASE` runs one case once (to read its peak memory with
//! `/usr/bin/time -f %MKB`). Cases: plan-1mb-txt, plan-1mb-docx, text-10mb, paragraph-40k,
//! zip-bomb, nested-200.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

const SON_KHE: &str = include_str!("../../../tests/fixtures/plans/huyen-son-khe-2023.txt");

/// The plan with its task part repeated until the text is `bytes` long.
fn big_plan(bytes: usize) -> String {
    let lines: Vec<&str> = SON_KHE.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("III.")).unwrap() + 1;
    let end = lines.iter().position(|l| l.starts_with("IV.")).unwrap();
    let mut s = lines[..start].join("\n");
    while s.len() < bytes {
        s.push('\n');
        s.push_str(&lines[start..end].join("\n"));
    }
    s.push('\n');
    s.push_str(&lines[end..].join("\n"));
    s
}

fn docx(document_xml: &[u8]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document_xml).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn plan_docx(bytes: usize) -> Vec<u8> {
    let mut xml = String::from("<w:document xmlns:w=\"w\"><w:body>");
    for line in big_plan(bytes).lines() {
        xml.push_str(&format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(line)));
    }
    xml.push_str("</w:body></w:document>");
    docx(xml.as_bytes())
}

fn case(name: &str) -> Box<dyn Fn() -> String> {
    match name {
        "plan-1mb-txt" => {
            let text = big_plan(1 << 20);
            Box::new(move || format!("{} tasks", kehoach_import::parse_text(&text).tasks.len()))
        }
        "plan-1mb-docx" => {
            let bytes = plan_docx(1 << 20);
            Box::new(move || format!("{} tasks", kehoach_import::parse_docx(&bytes).unwrap().tasks.len()))
        }
        "text-10mb" => {
            let text = big_plan(10 << 20);
            Box::new(move || format!("{} tasks", kehoach_import::parse_text(&text).tasks.len()))
        }
        "paragraph-40k" => {
            let mut text = String::from("II. NHIỆM VỤ\n1. Rà soát");
            for _ in 0..40_000 {
                text.push_str("\ncác hồ sơ thủ tục hành chính tại bộ phận một cửa");
            }
            text.push_str(". Thời gian hoàn thành: Trong quý II/2023.\n");
            Box::new(move || format!("{} tasks", kehoach_import::parse_text(&text).tasks.len()))
        }
        "zip-bomb" => {
            let mut xml = b"<w:document xmlns:w=\"w\"><w:body>".to_vec();
            xml.resize(xml.len() + (1 << 30), b' ');
            xml.extend_from_slice(b"</w:body></w:document>");
            let bytes = docx(&xml);
            drop(xml);
            Box::new(move || {
                format!("{} KB file: {}", bytes.len() / 1024, kehoach_import::parse_docx(&bytes).unwrap_err())
            })
        }
        "nested-200" => {
            let mut xml = String::from("<w:document xmlns:w=\"w\"><w:body>");
            for _ in 0..200 {
                xml.push_str("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1. Rà soát</w:t></w:r></w:p>");
            }
            for _ in 0..200 {
                xml.push_str("</w:tc></w:tr></w:tbl>");
            }
            xml.push_str("</w:body></w:document>");
            let bytes = docx(xml.as_bytes());
            Box::new(move || kehoach_import::parse_docx(&bytes).unwrap_err().to_string())
        }
        other => panic!("unknown case {other}"),
    }
}

const CASES: [&str; 6] = ["plan-1mb-txt", "plan-1mb-docx", "text-10mb", "paragraph-40k", "zip-bomb", "nested-200"];

fn main() {
    if let Some(one) = std::env::args().nth(1) {
        let run = case(&one);
        let t = Instant::now();
        let what = run();
        println!("{one}: {:.1} ms ({what})", t.elapsed().as_secs_f64() * 1e3);
        return;
    }
    for name in CASES {
        let run = case(name);
        let mut times: Vec<Duration> = Vec::new();
        let mut what = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            what = run();
            times.push(t.elapsed());
        }
        times.sort();
        let what: String = what.chars().take(90).collect();
        println!("{name:<14} median {:>8.1} ms  ({what})", times[2].as_secs_f64() * 1e3);
    }
}
