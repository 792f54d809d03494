//! The preview of a real kehoach report, checked against poppler (pdfinfo, pdftoppm; install
//! them with `apt-get install poppler-utils`).

// The report crate's fixtures: the sample monthly report and the poppler helpers. (Skipped
// by rustfmt, which would otherwise reformat that file, which belongs to the report crate.)
#[rustfmt::skip]
#[path = "../../report/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::{created, monthly_report, out_dir, page_count, run};
use kehoach_preview::{page_count as preview_page_count, render_page, render_pages, PreviewError};

/// The sample report (three pages of text and an appendix table) as PDF, in memory and on disk.
fn report(dir: &Path) -> (Vec<u8>, PathBuf) {
    let bytes = kehoach_report::render_pdf(&monthly_report(), created()).expect("renders");
    let path = dir.join("report.pdf");
    std::fs::write(&path, &bytes).unwrap();
    (bytes, path)
}

/// A decoded image as 8-bit grey levels (0 black, 255 white), transparency over white.
struct Grey {
    width: u32,
    height: u32,
    px: Vec<u8>,
}

impl Grey {
    fn at(&self, x: u32, y: u32) -> u8 {
        self.px[(y * self.width + x) as usize]
    }

    /// Share of the pixels of rows [y0, y1) darker than mid-grey.
    fn dark_share(&self, y0: u32, y1: u32) -> f64 {
        let rows = &self.px[(y0 * self.width) as usize..(y1 * self.width) as usize];
        rows.iter().filter(|&&g| g < 128).count() as f64 / rows.len() as f64
    }
}

fn decode(png_bytes: &[u8]) -> Grey {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let buf = &buf[..info.buffer_size()];
    let luma = |r: u8, g: u8, b: u8| (0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64).round();
    let over_white = |v: f64, a: u8| (v * a as f64 + 255.0 * (255 - a) as f64) / 255.0;
    let px: Vec<u8> = match info.color_type {
        png::ColorType::Grayscale => buf.to_vec(),
        png::ColorType::GrayscaleAlpha => buf.chunks(2).map(|p| over_white(p[0] as f64, p[1]).round() as u8).collect(),
        png::ColorType::Rgb => buf.chunks(3).map(|p| luma(p[0], p[1], p[2]) as u8).collect(),
        png::ColorType::Rgba => buf.chunks(4).map(|p| over_white(luma(p[0], p[1], p[2]), p[3]).round() as u8).collect(),
        png::ColorType::Indexed => unreachable!("expanded"),
    };
    assert_eq!(px.len(), (info.width * info.height) as usize);
    Grey { width: info.width, height: info.height, px }
}

/// Mean of |a − b| over the pixels both images have (they may differ by a row or column of
/// rounding), in grey levels out of 255.
fn mean_abs_diff(a: &Grey, b: &Grey) -> f64 {
    let (w, h) = (a.width.min(b.width), a.height.min(b.height));
    let mut sum = 0u64;
    for y in 0..h {
        for x in 0..w {
            sum += (a.at(x, y) as i32 - b.at(x, y) as i32).unsigned_abs() as u64;
        }
    }
    sum as f64 / (w as u64 * h as u64) as f64
}

/// The same, after averaging each image over blocks of `n` × `n` pixels: what is left is where
/// the ink is, not how each renderer anti-aliases the edges of glyphs.
fn block_diff(a: &Grey, b: &Grey, n: u32) -> f64 {
    let (w, h) = (a.width.min(b.width) / n, a.height.min(b.height) / n);
    let mean = |g: &Grey, bx: u32, by: u32| {
        let mut s = 0u32;
        for y in by * n..(by + 1) * n {
            for x in bx * n..(bx + 1) * n {
                s += g.at(x, y) as u32;
            }
        }
        s as f64 / (n * n) as f64
    };
    let mut sum = 0.0;
    for by in 0..h {
        for bx in 0..w {
            sum += (mean(a, bx, by) - mean(b, bx, by)).abs();
        }
    }
    sum / (w * h) as f64
}

#[test]
fn every_page_renders_and_is_a4_shaped() {
    let dir = out_dir("preview_pages");
    let (bytes, path) = report(&dir);
    let expected = page_count(&path);
    assert!(expected >= 3, "the sample report has at least 3 pages, pdfinfo says {expected}");
    assert_eq!(preview_page_count(&bytes).unwrap(), expected);

    let pages = render_pages(&bytes, 800).unwrap();
    assert_eq!(pages.len(), expected, "one image per page, as pdfinfo counts them");
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p.index, i);
        assert_eq!(p.width, 800);
        // A4: 297 / 210 × 800 = 1131.4.
        let ratio = p.height as f64 / p.width as f64;
        assert!((ratio - 297.0 / 210.0).abs() < 0.002, "page {i}: {}×{} is not A4-shaped", p.width, p.height);
        let img = decode(&p.png);
        assert_eq!((img.width, img.height), (p.width, p.height), "the PNG has the size announced");
    }
    // Lazy loading gives the same image as the whole run.
    let second = render_page(&bytes, 1, 800).unwrap();
    assert_eq!(second, pages[1]);
}

#[test]
fn the_first_page_shows_its_header_and_is_mostly_paper() {
    let dir = out_dir("preview_first");
    let (bytes, _) = report(&dir);
    let p = render_page(&bytes, 0, 800).unwrap();
    let img = decode(&p.png);
    // The header (issuing body, national name, motto, number and date) and the title fill the
    // band from the 20 mm top margin to about a quarter of the page.
    let top = img.dark_share(img.height * 20 / 297, img.height / 4);
    // The top margin itself is empty on page 1 (no page number).
    let margin = img.dark_share(0, img.height * 15 / 297);
    let overall = img.px.iter().filter(|&&g| g > 230).count() as f64 / img.px.len() as f64;
    eprintln!("page 1: dark share in the header band {top:.4}, in the top margin {margin:.4}, near-white {overall:.4}");
    assert!(top > 0.03, "the header band looks blank: {top:.4} of its pixels are dark");
    assert_eq!(margin, 0.0, "nothing is printed in the top margin of page 1");
    assert!(overall > 0.85, "a page of text is mostly white paper, got {overall:.4}");
}

/// The page width in points, as pdfinfo reads it ("Page size: 595.276 x 841.89 pts (A4)").
fn page_width_pt(pdf: &Path) -> f64 {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let size = info.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap();
    size.split_whitespace().next().unwrap().parse().unwrap()
}

/// The preview shows what poppler shows: for the first page (header, title, body) and the
/// appendix table (rules and small text), `pdftoppm -r 127` and the preview at the same scale
/// have the same size (±1 px) and the same grey levels.
///
/// 127 dpi is 5 px per mm: A4 is 1050 × 1485 px. pdftoppm makes its image
/// ceil(page size × dpi / 72) pixels, so a page of 595.2756 pt comes out 1051 wide with the
/// page drawn over 1050.0; the preview is asked for the width that keeps the scale the same
/// (1050), and the two are compared where both have pixels. (At a width that is not a whole
/// number of pixels at the dpi, the two scales differ by up to one pixel over the page and the
/// lower right of the page drifts by half a pixel, which the measure below would count.)
///
/// Threshold, from what was measured on these pages (hayro 0.9 against poppler 24.02): the
/// mean absolute difference per pixel is 5.2 (page 1) and 5.6 (appendix) levels out of 255,
/// all of it at the edges of glyphs and rules, which the two hint and anti-alias differently;
/// averaged over 8 × 8 blocks (1.6 mm, about a letter) it is 1.5–1.8. Against poppler's
/// image, a blank page gives 13–17 per pixel and the same preview shifted by a single pixel
/// already gives 11.9–12.5. So 8 per pixel passes a faithful preview with room for another
/// poppler or hayro release and fails a page with a line out of place, another font or lost
/// diacritics; 3 per block fails missing content (a dropped rule, word or table row).
#[test]
fn pages_look_like_poppler_renders_them() {
    const DPI: f64 = 127.0;
    let dir = out_dir("preview_poppler");
    let (bytes, path) = report(&dir);
    let pages = page_count(&path);
    let width = (page_width_pt(&path) * DPI / 72.0).round() as u32;
    assert_eq!(width, 1050);
    for page in [1, pages] {
        let n = page.to_string();
        let stem = dir.join(format!("poppler-{page}"));
        run(
            "pdftoppm",
            &["-png", "-r", "127", "-f", &n, "-l", &n, "-singlefile", path.to_str().unwrap(), stem.to_str().unwrap()],
        );
        let theirs = decode(&std::fs::read(stem.with_extension("png")).unwrap());
        let ours_png = render_page(&bytes, page - 1, width).unwrap();
        std::fs::write(dir.join(format!("preview-{page}.png")), &ours_png.png).unwrap();
        let ours = decode(&ours_png.png);
        assert!(
            ours.width.abs_diff(theirs.width) <= 1 && ours.height.abs_diff(theirs.height) <= 1,
            "page {page}: preview {}×{}, pdftoppm {}×{}",
            ours.width,
            ours.height,
            theirs.width,
            theirs.height
        );
        let d = mean_abs_diff(&ours, &theirs);
        let b = block_diff(&ours, &theirs, 8);
        let blank = Grey { width: theirs.width, height: theirs.height, px: vec![255; theirs.px.len()] };
        let vs_blank = mean_abs_diff(&blank, &theirs);
        let shifted = Grey {
            width: ours.width - 1,
            height: ours.height,
            px: ours.px.chunks(ours.width as usize).flat_map(|r| r[1..].to_vec()).collect(),
        };
        let vs_shifted = mean_abs_diff(&shifted, &theirs);
        eprintln!(
            "page {page}: mean |Δ| {d:.2}/255 per pixel, {b:.2}/255 per 8×8 block; \
             a blank page would give {vs_blank:.2}, the preview shifted 1 px left {vs_shifted:.2}"
        );
        assert!(d < 8.0, "page {page}: the preview differs from pdftoppm by {d:.2}/255 per pixel");
        assert!(b < 3.0, "page {page}: the preview differs from pdftoppm by {b:.2}/255 per 8×8 block");
    }
    eprintln!("images in {}", dir.display());
}

#[test]
fn what_is_not_a_pdf_is_refused_in_vietnamese() {
    for junk in
        [&b"Bao cao thang 3, khong phai PDF"[..], b"", b"%PDF-1.7\n%%EOF", &[0x89, b'P', b'N', b'G', 0, 1, 2][..]]
    {
        let e = render_pages(junk, 800).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("Không đọc được tệp PDF") || e == PreviewError::NoPages, "{junk:?}: {msg}");
        assert!(preview_page_count(junk).is_err());
    }
    let e = render_pages(b"hello", 800).unwrap_err();
    assert_eq!(e.to_string(), "Không đọc được tệp PDF: tệp hỏng hoặc không phải PDF");

    let dir = out_dir("preview_errors");
    let (bytes, _) = report(&dir);
    let n = preview_page_count(&bytes).unwrap();
    assert_eq!(
        render_page(&bytes, n, 800).unwrap_err().to_string(),
        format!("Tệp PDF chỉ có {n} trang, không có trang {}", n + 1)
    );
    assert_eq!(
        render_pages(&bytes, 0).unwrap_err().to_string(),
        "Độ rộng ảnh xem trước không hợp lệ: 0 điểm ảnh (cho phép từ 16 đến 10000)"
    );
}

/// Page 1 and 2 at 800 px, as the app shows them, for a person to look at; the checked-in
/// copies are in tests/artefacts/.
#[test]
fn preview_pages_are_written_for_review() {
    let dir = out_dir("preview_artefacts");
    let (bytes, _) = report(&dir);
    for p in render_pages(&bytes, 800).unwrap().into_iter().take(2) {
        std::fs::write(dir.join(format!("preview-page-{}.png", p.index + 1)), &p.png).unwrap();
    }
    eprintln!("preview pages in {}", dir.display());
}
