//! Every layout number of the Decree 30/2020/NĐ-CP presentation lives here, so a reviewer can
//! check the page against the decree in one place.
//!
//! References are to Appendix I ("Thể thức, kỹ thuật trình bày văn bản hành chính") of
//! Decree 30/2020/NĐ-CP: Part I, Section I ("Yêu cầu chung": paper, margins, font, page
//! numbers) and Section II ("Thể thức và kỹ thuật trình bày"; items 1–9 below are its numbered
//! components: 1 national name and motto, 2 issuing body, 3 number and symbol, 4 place and
//! date, 5 document type and summary, 6 body, 7 signing authority and signer, 9 recipients).
//! Where the decree gives a range, the value picked is noted.

/// Points per millimetre (1 pt = 1/72 inch).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres to points.
pub const fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

// --- Paper and margins: Appendix I, Part I, Section I, items 3–4 -------------------------
/// A4 (210 × 297 mm), portrait.
pub const PAGE_WIDTH_MM: f32 = 210.0;
pub const PAGE_HEIGHT_MM: f32 = 297.0;
pub const PAGE_WIDTH: f32 = mm(PAGE_WIDTH_MM);
pub const PAGE_HEIGHT: f32 = mm(PAGE_HEIGHT_MM);
/// Top and bottom margins: 20–25 mm. 20 mm keeps more text on a page.
pub const MARGIN_TOP: f32 = mm(20.0);
pub const MARGIN_BOTTOM: f32 = mm(20.0);
/// Left margin: 30–35 mm (binding side).
pub const MARGIN_LEFT: f32 = mm(30.0);
/// Right margin: 15–20 mm.
pub const MARGIN_RIGHT: f32 = mm(15.0);
/// Width of the text area between the margins (165 mm).
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

// --- Page numbers: Appendix I, Part I, Section I, item 6 ---------------------------------
/// Page numbers: 13–14 pt, upright, centred in the top margin, not shown on the first page
/// (appendices are numbered on their own, also from their second page).
pub const PAGE_NUMBER_SIZE: f32 = 13.0;
/// Baseline of the page number, from the top edge: inside the 20 mm top margin.
pub const PAGE_NUMBER_BASELINE: f32 = mm(12.0);

// --- Line spacing ----------------------------------------------------------------------------
/// "Single" spacing for the Times New Roman metrics (ascender + descender + line gap of
/// Liberation Serif = 1.15 em); used where the decree says "dòng đơn" (header, signature).
pub const SINGLE_SPACING: f32 = 1.15;

// --- Header: items 1–4 -----------------------------------------------------------------------
/// Width of the header's left column (issuing body, number); the motto column takes the rest
/// of the text area. Wide enough for "ỦY BAN NHÂN DÂN XÃ ..." on one or two lines while the
/// national name still fits on one line in the right column.
pub const HEADER_LEFT_WIDTH: f32 = mm(62.0);
/// Item 1: national name, upright bold capitals, 12–13 pt. 12 pt so it fits in one line of
/// the right column.
pub const NATIONAL_NAME_SIZE: f32 = 12.0;
/// Item 1: motto, upright bold, 13–14 pt, centred under the national name.
pub const MOTTO_SIZE: f32 = 13.0;
/// Item 2: parent body, upright capitals, 12–13 pt.
pub const PARENT_BODY_SIZE: f32 = 13.0;
/// Item 2: issuing body, upright bold capitals, 12–13 pt.
pub const ISSUING_BODY_SIZE: f32 = 13.0;
/// Item 2: the rule under the issuing body is 1/3–1/2 of the line of text, centred.
pub const ISSUING_BODY_RULE_FRACTION: f32 = 0.4;
/// Item 3: "Số:" line, 13 pt upright.
pub const NUMBER_SIZE: f32 = 13.0;
/// Item 4: place and date, 13–14 pt italic, centred under the motto, on the "Số:" line.
pub const DATE_SIZE: f32 = 14.0;
/// Gap between the baseline-box of a line and the rule drawn under it.
pub const RULE_GAP: f32 = 3.0;
/// Thickness of the rules under the issuing body, the motto and the summary.
pub const RULE_THICKNESS: f32 = 0.6;
/// Space between the rules and the "Số:" / date line.
pub const HEADER_TO_NUMBER_GAP: f32 = 6.0;

// --- Document type and summary: item 5 ---------------------------------------------------------
/// Space between the number/date line and the document type.
pub const NUMBER_TO_TYPE_GAP: f32 = 18.0;
/// Item 5a: document type, upright bold capitals, 13–14 pt, centred.
pub const DOC_TYPE_SIZE: f32 = 14.0;
/// Item 5a: summary (title), upright bold, 14 pt, centred under the document type.
pub const TITLE_SIZE: f32 = 14.0;
/// The summary is wrapped narrower than the text area so long titles stay a centred block.
pub const TITLE_MAX_WIDTH: f32 = mm(140.0);
/// Item 5a: a rule 1/3–1/2 of the summary line under it, centred.
pub const TITLE_RULE_FRACTION: f32 = 0.35;
/// Space between the summary's rule and the body.
pub const TITLE_TO_BODY_GAP: f32 = 14.0;

// --- Body: item 6 -----------------------------------------------------------------------------
/// Body text 13–14 pt, justified.
pub const BODY_SIZE: f32 = 14.0;
/// Line spacing: from single to 1.5 lines; 1.25 × the font size (17.5 pt at 14 pt).
pub const BODY_LINE_SPACING: f32 = 1.25;
/// First-line indent 1–1.27 cm.
pub const FIRST_LINE_INDENT: f32 = mm(12.7);
/// Space between paragraphs: at least 6 pt.
pub const PARAGRAPH_SPACING: f32 = 6.0;
/// Headings (parts "I.", sections "1.") are bold at the body size, with the body indent.
pub const HEADING_SIZE: f32 = BODY_SIZE;
/// A heading is kept with at least this many lines of what follows it.
pub const HEADING_KEEP_LINES: f32 = 2.0;

// --- Tables (appendix tables; the decree leaves them to the issuer) ---------------------------
/// Table text one or two points under the body text, as commonly done in appendices.
pub const TABLE_SIZE: f32 = 12.0;
pub const TABLE_LINE_SPACING: f32 = SINGLE_SPACING;
/// Inner padding of a cell, each side.
pub const CELL_PADDING_X: f32 = mm(1.5);
pub const CELL_PADDING_Y: f32 = mm(1.0);
/// Cell borders: a thin solid line.
pub const TABLE_BORDER: f32 = 0.5;
/// Space before a table (the paragraph spacing follows it).
pub const TABLE_SPACING_BEFORE: f32 = 4.0;

// --- Recipients and signature: items 7 and 9 --------------------------------------------------
/// Space between the last body block and the recipients / signature block.
pub const CLOSING_GAP: f32 = 8.0;
/// Left column (recipients) of the closing block; the signature is centred in the rest.
pub const CLOSING_LEFT_WIDTH: f32 = mm(75.0);
/// Item 9a: "Nơi nhận:" 12 pt bold italic.
pub const RECIPIENTS_LABEL_SIZE: f32 = 12.0;
/// Item 9b: the list, 11 pt upright, each line starting with a dash.
pub const RECIPIENTS_SIZE: f32 = 11.0;
/// Item 7a/7b: signing authority ("TM.", "KT.") and title, 13–14 pt upright bold capitals.
pub const SIGNATURE_TITLE_SIZE: f32 = 14.0;
/// Item 7c: the signer's full name, 13–14 pt upright bold.
pub const SIGNER_NAME_SIZE: f32 = 14.0;
/// Space left for the handwritten signature and the seal, between title and name.
pub const SIGNATURE_SPACE: f32 = mm(25.0);

// --- Appendices (Appendix I, Part I, Section II, item on "Phụ lục") ---------------------------
/// "Phụ lục" label: upright bold, centred; its title: upright bold capitals 14 pt; the
/// "(Kèm theo …)" line: italic, centred.
pub const APPENDIX_LABEL_SIZE: f32 = 14.0;
pub const APPENDIX_TITLE_SIZE: f32 = 14.0;
pub const APPENDIX_NOTE_SIZE: f32 = 14.0;
pub const APPENDIX_TO_BODY_GAP: f32 = 12.0;

// --- Font vertical metrics (Liberation Serif = Times New Roman) -------------------------------
/// Ascender and descender as fractions of the em (hhea 1825 / 443 of 2048 units).
pub const ASCENT: f32 = 1825.0 / 2048.0;
pub const DESCENT: f32 = 443.0 / 2048.0;

/// The baseline of a line of text at `size` in a line box of height `line_height`, measured
/// from the top of the box: the glyph extent (ascent + descent) is centred in the box.
pub fn baseline_in_box(size: f32, line_height: f32) -> f32 {
    (line_height - (ASCENT + DESCENT) * size) / 2.0 + ASCENT * size
}
