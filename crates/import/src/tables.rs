//! Tab-separated tables (from text exports or from real Word tables): assignment tables
//! (STT / Nội dung / Đơn vị chủ trì / Đơn vị phối hợp / Thời gian / Sản phẩm) become tasks,
//! lists of public services with a level column become checklists.

use kehoach_model::{ImportedChecklist, ImportedChecklistItem, ImportedTask};

use crate::fields::split_units;
use crate::normalize::Line;
use crate::timeframe::parse_due;
use kehoach_model::{Due, DueKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Ref,
    Text,
    Lead,
    Coord,
    Monitor,
    TimeStart,
    TimeEnd,
    Product,
    /// "Kinh phí", "Nguồn kinh phí thực hiện": not a unit column, though it says "thực hiện".
    Budget,
    Level,
    Other,
}

fn col_of(header: &str) -> Option<Col> {
    let h = header.to_lowercase();
    let h = h.trim();
    if h.is_empty() {
        return None;
    }
    Some(if h == "stt" || h == "tt" || h == "số tt" || h == "số thứ tự" {
        Col::Ref
    } else if h.contains("kinh phí") || h.contains("nguồn vốn") {
        Col::Budget
    } else if h.contains("mức độ") || h.contains("cấp độ") {
        Col::Level
    } else if ["thời gian", "thời hạn", "tiến độ", "hoàn thành", "kết thúc"].iter().any(|w| h.contains(w))
    {
        Col::TimeEnd
    } else if h.contains("bắt đầu") {
        Col::TimeStart
    } else if h.contains("phối hợp") {
        Col::Coord
    } else if h.contains("theo dõi") {
        Col::Monitor
    } else if h.contains("chủ trì") || h.contains("đơn vị") || h.contains("cơ quan") || h.contains("thực hiện")
    {
        Col::Lead
    } else if h.contains("sản phẩm") || h.contains("kết quả") {
        Col::Product
    } else if h.contains("nội dung")
        || h.contains("nhiệm vụ")
        || h.contains("tên")
        || h.contains("dịch vụ")
        || h.contains("thủ tục")
    {
        Col::Text
    } else {
        Col::Other
    })
}

#[derive(Debug, Clone)]
struct Layout {
    cols: Vec<Option<Col>>,
}

impl Layout {
    fn find(&self, c: Col) -> Vec<usize> {
        self.cols.iter().enumerate().filter(|(_, x)| **x == Some(c)).map(|(i, _)| i).collect()
    }
}

/// A header row names the content column and at least one other known column.
fn header_layout(cells: &[String]) -> Option<Layout> {
    let cols: Vec<Option<Col>> = cells.iter().map(|c| col_of(c)).collect();
    let has_text = cols.contains(&Some(Col::Text));
    let known = cols.iter().filter(|c| matches!(c, Some(x) if *x != Col::Other && *x != Col::Text)).count();
    (has_text && known >= 1 && cells.iter().all(|c| c.chars().count() < 80)).then_some(Layout { cols })
}

/// A second header row ("Thực hiện | Hoàn thành" under "Thời gian") refines the time columns.
fn refine_with_subheader(layout: &mut Layout, cells: &[String]) -> bool {
    let nonempty: Vec<(usize, &String)> = cells.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()).collect();
    if nonempty.is_empty() || nonempty.iter().any(|(_, c)| c.chars().count() > 30) {
        return false;
    }
    let all_known = nonempty.iter().all(|(_, c)| {
        let l = c.to_lowercase();
        ["thực hiện", "hoàn thành", "bắt đầu", "kết thúc", "chủ trì", "phối hợp", "từ", "đến"]
            .iter()
            .any(|w| l.contains(w))
    });
    if !all_known {
        return false;
    }
    if layout.cols.len() < cells.len() {
        layout.cols.resize(cells.len(), None);
    }
    for (i, c) in nonempty {
        let l = c.to_lowercase();
        let under_time = matches!(layout.cols[i], Some(Col::TimeEnd) | Some(Col::TimeStart) | None);
        if l.contains("hoàn thành") || l.contains("kết thúc") || l == "đến" {
            if under_time {
                layout.cols[i] = Some(Col::TimeEnd);
            }
        } else if l.contains("thực hiện") || l.contains("bắt đầu") || l == "từ" {
            if under_time {
                layout.cols[i] = Some(Col::TimeStart);
            }
        } else if l.contains("chủ trì") {
            layout.cols[i] = Some(Col::Lead);
        } else if l.contains("phối hợp") {
            layout.cols[i] = Some(Col::Coord);
        }
    }
    true
}

fn cell<'a>(cells: &'a [String], idx: &[usize]) -> Vec<&'a str> {
    idx.iter().filter_map(|&i| cells.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty()).collect()
}

fn is_row_ref(s: &str) -> bool {
    let s = s.trim().trim_end_matches('.');
    !s.is_empty()
        && s.chars().count() <= 8
        && (s.chars().all(|c| c.is_ascii_digit() || c == '.')
            || s.chars().all(|c| "IVXivx".contains(c))
            || (s.chars().count() == 1 && s.chars().all(|c| c.is_alphabetic())))
}

#[derive(Default)]
pub struct TableOutput {
    pub tasks: Vec<ImportedTask>,
    pub checklists: Vec<ImportedChecklist>,
}

/// Reads every table of the document. `appendix_of(line index)` names the appendix a table
/// sits in ("Phụ lục II"), if any.
pub fn parse_tables(
    lines: &[Line],
    default_year: Option<i32>,
    appendix_of: &dyn Fn(usize) -> Option<(String, String)>,
) -> TableOutput {
    let mut out = TableOutput::default();
    let mut i = 0;
    while i < lines.len() {
        let Some(cells) = &lines[i].cells else {
            i += 1;
            continue;
        };
        let Some(mut layout) = header_layout(cells) else {
            i += 1;
            continue;
        };
        let appendix = appendix_of(i);
        let header_cells = cells.clone();
        i += 1;
        if let Some(next) = lines.get(i).and_then(|l| l.cells.as_ref()) {
            if refine_with_subheader(&mut layout, next) {
                i += 1;
            }
        }
        let checklist = !layout.find(Col::Level).is_empty();
        let mut rows: Vec<Vec<String>> = Vec::new();
        while i < lines.len() {
            let Some(c) = &lines[i].cells else {
                // Page furniture between two parts of a table (a lone page number) is skipped.
                let t = lines[i].text.trim();
                if t.chars().count() <= 4 && t.chars().all(|c| c.is_ascii_digit()) {
                    i += 1;
                    continue;
                }
                break;
            };
            // A header repeated on the next page.
            if *c == header_cells
                || header_layout(c).is_some() && c.iter().zip(&header_cells).filter(|(a, b)| a == b).count() >= 2
            {
                i += 1;
                continue;
            }
            rows.push(c.clone());
            i += 1;
        }
        if checklist {
            out.checklists.push(read_checklist(&layout, &rows, appendix));
        } else {
            out.tasks.extend(read_tasks(&layout, &rows, default_year, appendix.map(|a| a.0)));
        }
    }
    out
}

struct RowData {
    reference: Option<String>,
    text: String,
    lead: Vec<String>,
    coord: Vec<String>,
    monitor: Vec<String>,
    start: Option<String>,
    end: Option<String>,
    product: Option<String>,
    budget: Option<String>,
}

fn read_row(layout: &Layout, cells: &[String]) -> RowData {
    let join = |c: Col| cell(cells, &layout.find(c)).join(" ");
    let opt = |s: String| (!s.is_empty()).then_some(s);
    let mut text = join(Col::Text);
    let mut reference = opt(join(Col::Ref));
    if layout.find(Col::Ref).is_empty() {
        // No STT column: a leading "1." in the content is the number.
        if let Some((crate::markers::Marker::Num(n, _), rest)) = crate::markers::split_marker(&text) {
            reference = Some(n);
            text = rest;
        }
    }
    RowData {
        reference: reference.map(|r| r.trim_end_matches('.').to_string()),
        text,
        lead: join_units(cells, &layout.find(Col::Lead)),
        coord: join_units(cells, &layout.find(Col::Coord)),
        monitor: join_units(cells, &layout.find(Col::Monitor)),
        start: opt(join(Col::TimeStart)),
        end: opt(join(Col::TimeEnd)),
        product: opt(join(Col::Product)),
        budget: opt(join(Col::Budget)),
    }
}

fn join_units(cells: &[String], idx: &[usize]) -> Vec<String> {
    cell(cells, idx).into_iter().flat_map(split_units).collect()
}

fn read_tasks(layout: &Layout, rows: &[Vec<String>], dy: Option<i32>, appendix: Option<String>) -> Vec<ImportedTask> {
    let mut tasks: Vec<ImportedTask> = Vec::new();
    let mut section: Option<String> = None;
    let mut last_was_task = false;
    for cells in rows {
        let r = read_row(layout, cells);
        let has_data = !r.lead.is_empty()
            || !r.coord.is_empty()
            || !r.monitor.is_empty()
            || r.start.is_some()
            || r.end.is_some()
            || r.product.is_some()
            || r.budget.is_some();
        let starts_lower = r.text.chars().next().is_some_and(|c| c.is_lowercase());
        // A row cut by a page break: no number, and its text goes on mid-sentence (or is empty).
        if r.reference.is_none() && last_was_task && (starts_lower || r.text.is_empty()) {
            if let Some(t) = tasks.last_mut() {
                continue_task(t, r, dy);
                continue;
            }
        }
        if !has_data {
            if r.text.is_empty() {
                // A row merged across the table ("Ứng dụng thẻ căn cước") heads a section.
                let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
                if let [only] = filled.as_slice() {
                    if !is_row_ref(only) {
                        section = Some(only.trim().trim_end_matches(':').to_string());
                        last_was_task = false;
                    }
                }
                continue;
            }
            if r.reference.as_deref().is_some_and(is_row_ref) || r.reference.is_none() {
                section = Some(r.text.trim().trim_end_matches(':').to_string());
                last_was_task = false;
                continue;
            }
        }
        if r.text.is_empty() {
            continue;
        }
        let time_text = match (&r.start, &r.end) {
            (_, Some(e)) => Some(e.clone()),
            (Some(s), None) => Some(s.clone()),
            _ => None,
        };
        let due = due_of(r.start.as_deref(), r.end.as_deref(), dy);
        tasks.push(ImportedTask {
            reference: r.reference,
            section: section.clone(),
            text: r.text,
            lead: r.lead,
            coord: r.coord,
            monitor: r.monitor,
            time_text,
            due,
            product: r.product,
            budget: r.budget,
            appendix: appendix.clone(),
            due_by_level: Vec::new(),
            parent_task: None,
            parent_ref: None,
        });
        last_was_task = true;
    }
    tasks
}

fn continue_task(t: &mut ImportedTask, r: RowData, dy: Option<i32>) {
    if !r.text.is_empty() {
        t.text = format!("{} {}", t.text, r.text);
    }
    t.lead = glue_units(std::mem::take(&mut t.lead), r.lead);
    t.coord = glue_units(std::mem::take(&mut t.coord), r.coord);
    t.monitor.extend(r.monitor);
    if let Some(e) = r.end.or(r.start) {
        let tt = match t.time_text.take() {
            Some(x) => format!("{x} {e}"),
            None => e,
        };
        t.due = parse_due(&tt, dy);
        t.time_text = Some(tt);
    }
    if let Some(p) = r.product {
        t.product = Some(match t.product.take() {
            Some(x) => format!("{x} {p}"),
            None => p,
        });
    }
    if let Some(b) = r.budget {
        t.budget = Some(match t.budget.take() {
            Some(x) => format!("{x} {b}"),
            None => b,
        });
    }
}

/// The second half of a unit cut by a page break goes on the last unit when it starts lowercase.
fn glue_units(mut a: Vec<String>, b: Vec<String>) -> Vec<String> {
    for u in b {
        match a.last_mut() {
            Some(last) if u.chars().next().is_some_and(|c| c.is_lowercase()) => {
                last.push(' ');
                last.push_str(&u);
            }
            _ => a.push(u),
        }
    }
    a
}

/// A start column alone means "from then on"; an end column is the deadline.
fn due_of(start: Option<&str>, end: Option<&str>, dy: Option<i32>) -> Due {
    match (start, end) {
        (Some(s), Some(e)) => {
            let (ds, de) = (parse_due(s, dy), parse_due(e, dy));
            match (first_day(&ds.kind), last_day_of(&de)) {
                (Some(from), Some(to)) => Due::new(DueKind::Range { from, to }),
                _ => de,
            }
        }
        (None, Some(e)) => parse_due(e, dy),
        (Some(s), None) => {
            let d = parse_due(s, dy);
            match first_day(&d.kind) {
                Some(date) if !matches!(d.kind, DueKind::From { .. }) => Due::new(DueKind::From { date }),
                _ => d,
            }
        }
        (None, None) => Due::default(),
    }
}

fn first_day(k: &DueKind) -> Option<String> {
    Some(match k {
        DueKind::Date { date } | DueKind::From { date } => date.clone(),
        DueKind::Month { year, month } => format!("{year:04}-{month:02}-01"),
        DueKind::Quarter { year, quarter } => format!("{year:04}-{:02}-01", quarter * 3 - 2),
        DueKind::Half { year, half } => format!("{year:04}-{:02}-01", if *half == 1 { 1 } else { 7 }),
        DueKind::Year { year } => format!("{year:04}-01-01"),
        _ => return None,
    })
}

fn last_day_of(d: &Due) -> Option<String> {
    let (y, m) = match &d.kind {
        DueKind::Date { date } => return Some(date.clone()),
        DueKind::Month { year, month } => (*year, *month),
        DueKind::Quarter { year, quarter } => (*year, quarter * 3),
        DueKind::Half { year, half } => (*year, half * 6),
        DueKind::Year { year } => (*year, 12),
        _ => return None,
    };
    let last = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some(format!("{y:04}-{m:02}-{last:02}"))
}

fn read_checklist(layout: &Layout, rows: &[Vec<String>], appendix: Option<(String, String)>) -> ImportedChecklist {
    let title = appendix.map(|a| a.1).unwrap_or_else(|| "Danh mục".to_string());
    let mut items = Vec::new();
    for cells in rows {
        let r = read_row(layout, cells);
        let level = cell(cells, &layout.find(Col::Level)).join(" ");
        if r.text.is_empty() {
            continue;
        }
        // Group rows ("I. Lĩnh vực hộ tịch") carry no level.
        if level.is_empty() && r.lead.is_empty() && r.end.is_none() && r.start.is_none() {
            continue;
        }
        items.push(ImportedChecklistItem {
            reference: r.reference,
            text: r.text,
            level: (!level.is_empty())
                .then(|| level.trim_start_matches(|c: char| !c.is_ascii_digit()).to_string())
                .filter(|s| !s.is_empty())
                .or(Some(level))
                .filter(|s| !s.is_empty()),
            lead: (!r.lead.is_empty()).then(|| r.lead.join("; ")),
            time_text: r.end.or(r.start),
        });
    }
    ImportedChecklist { title, items }
}
