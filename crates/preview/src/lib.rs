//! Page images of a PDF for the app's preview of a rendered report.
//!
//! The pages are rasterised by `hayro`, a PDF renderer in pure Rust (no poppler, no PDFium to
//! ship with the app), onto a white background, and encoded as PNG. The caller picks the
//! width in pixels; the height follows the page's proportions (an A4 page 800 px wide is
//! 1131 px high).
//!
//! [`render_pages`] renders every page; [`page_count`] and [`render_page`] let the app load
//! a long document page by page as the officer scrolls.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::page::Page;
use hayro::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{render_into, RenderCache, RenderSettings};

/// The narrowest and widest page images made, in pixels. Below 16 px nothing can be seen;
/// the rasteriser addresses at most 65 535 px a side, and 10 000 px (about 1 200 dpi for an
/// A4 page) is far more than a preview needs.
pub const MIN_WIDTH_PX: u32 = 16;
pub const MAX_WIDTH_PX: u32 = 10_000;

/// One page as a PNG image (8-bit RGB, or RGBA should a page leave pixels transparent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePng {
    /// 0-based page number.
    pub index: usize,
    /// Size of the image in pixels.
    pub width: u32,
    pub height: u32,
    /// The PNG file.
    pub png: Vec<u8>,
}

/// Why no preview could be made. Messages are for the officer, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("Không đọc được tệp PDF: {0}")]
    Unreadable(String),
    #[error("Không đọc được tệp PDF: tệp được bảo vệ bằng mật khẩu")]
    Encrypted,
    #[error("Tệp PDF không có trang nào")]
    NoPages,
    #[error("Tệp PDF chỉ có {count} trang, không có trang {}", .index + 1)]
    NoSuchPage { index: usize, count: usize },
    #[error("Độ rộng ảnh xem trước không hợp lệ: {0} điểm ảnh (cho phép từ {MIN_WIDTH_PX} đến {MAX_WIDTH_PX})")]
    Width(u32),
    #[error("Không hiển thị được trang {} của tệp PDF: {reason}", .index + 1)]
    Render { index: usize, reason: String },
}

fn open(pdf: &[u8]) -> Result<Pdf, PreviewError> {
    if pdf.is_empty() {
        return Err(PreviewError::Unreadable("tệp rỗng".into()));
    }
    // hayro is young: should it panic on a malformed file, the app gets an error rather than
    // losing its window.
    let loaded = catch_unwind(AssertUnwindSafe(|| Pdf::new(Arc::new(pdf.to_vec()))))
        .map_err(|_| PreviewError::Unreadable("tệp hỏng hoặc không phải PDF".into()))?;
    match loaded {
        Ok(doc) => Ok(doc),
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => Err(PreviewError::Encrypted),
        Err(LoadPdfError::Decryption(_)) => {
            Err(PreviewError::Unreadable("tệp được mã hóa theo cách chưa hỗ trợ".into()))
        }
        Err(LoadPdfError::Invalid) => Err(PreviewError::Unreadable("tệp hỏng hoặc không phải PDF".into())),
    }
}

fn check_width(width_px: u32) -> Result<(), PreviewError> {
    if (MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
        Ok(())
    } else {
        Err(PreviewError::Width(width_px))
    }
}

/// How many pages the PDF has.
pub fn page_count(pdf: &[u8]) -> Result<usize, PreviewError> {
    let doc = open(pdf)?;
    let n = doc.pages().len();
    if n == 0 {
        return Err(PreviewError::NoPages);
    }
    Ok(n)
}

/// Renders every page, `width_px` pixels wide.
pub fn render_pages(pdf: &[u8], width_px: u32) -> Result<Vec<PagePng>, PreviewError> {
    check_width(width_px)?;
    let doc = open(pdf)?;
    let pages = doc.pages();
    if pages.is_empty() {
        return Err(PreviewError::NoPages);
    }
    // One cache for the document: fonts and glyph outlines are parsed once for all pages.
    let cache = RenderCache::new();
    pages.iter().enumerate().map(|(i, page)| render_one(page, i, &cache, width_px)).collect()
}

/// Renders page `index` (0-based), `width_px` pixels wide.
pub fn render_page(pdf: &[u8], index: usize, width_px: u32) -> Result<PagePng, PreviewError> {
    check_width(width_px)?;
    let doc = open(pdf)?;
    let pages = doc.pages();
    if pages.is_empty() {
        return Err(PreviewError::NoPages);
    }
    let page = pages.get(index).ok_or(PreviewError::NoSuchPage { index, count: pages.len() })?;
    render_one(page, index, &RenderCache::new(), width_px)
}

fn render_one<'a>(
    page: &'a Page<'a>,
    index: usize,
    cache: &RenderCache<'a>,
    width_px: u32,
) -> Result<PagePng, PreviewError> {
    let fail = |reason: &str| PreviewError::Render { index, reason: reason.to_string() };
    // The page as shown: crop box, with its rotation applied.
    let (w_pt, h_pt) = page.render_dimensions();
    if !(w_pt > 0.0 && h_pt > 0.0) {
        return Err(fail("trang có kích thước bằng 0"));
    }
    let scale = width_px as f64 / w_pt as f64;
    let height_px = (h_pt as f64 * scale).round().max(1.0);
    if height_px > u16::MAX as f64 {
        return Err(fail("trang quá dài so với độ rộng đã chọn"));
    }
    let (w, h) = (width_px as u16, height_px as u16);
    let png = catch_unwind(AssertUnwindSafe(|| {
        let mut ctx = RenderContext::new(w, h);
        // Exactly `width_px` wide: `hayro::render` truncates page size × scale, which can
        // lose the last pixel column.
        let transform = Affine::scale(scale) * page.initial_transform(true).to_kurbo();
        render_into(page, cache, &InterpreterSettings::default(), &RenderSettings::default(), &mut ctx, transform);
        ctx.flush();
        let mut pixmap = Pixmap::new(w, h);
        ctx.render_with(
            &mut pixmap,
            &mut Resources::default(),
            RasterizerSettings { target_init: TargetInit::Clear(WHITE), ..Default::default() },
        );
        pixmap.into_png()
    }))
    .map_err(|_| fail("lỗi khi vẽ trang"))?
    .map_err(|e| fail(&format!("không tạo được ảnh PNG ({e})")))?;
    Ok(PagePng { index, width: w as u32, height: h as u32, png })
}
