//! Labelled task fields ("Đơn vị thực hiện:", "Thời gian hoàn thành:", …) and the units they name.

use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Lead,
    Coord,
    Monitor,
    Time,
    Product,
    /// "Kinh phí:", "Nguồn kinh phí:" — the money the task is paid from.
    Budget,
}

/// The fields of one task as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub lead: Vec<String>,
    pub coord: Vec<String>,
    pub monitor: Vec<String>,
    pub time: Option<String>,
    pub product: Option<String>,
    pub budget: Option<String>,
}

impl Fields {
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty()
            && self.coord.is_empty()
            && self.monitor.is_empty()
            && self.time.is_none()
            && self.product.is_none()
            && self.budget.is_none()
    }

    /// Adds one labelled value; a lead value "X chủ trì, phối hợp với Y" fills both lists.
    pub fn add(&mut self, kind: FieldKind, value: &str) {
        let value = value.trim().trim_end_matches([')', '(']).trim();
        if value.is_empty() {
            return;
        }
        match kind {
            FieldKind::Lead => {
                if let Some((lead, coord)) = split_lead_coord(value) {
                    self.lead.extend(split_units(&lead));
                    if let Some(c) = coord {
                        self.coord.extend(split_units(&c));
                    }
                } else {
                    self.lead.extend(split_units(value));
                }
            }
            FieldKind::Coord => self.coord.extend(split_units(value)),
            FieldKind::Monitor => self.monitor.extend(split_units(value)),
            FieldKind::Time => {
                let v = value.trim_end_matches(['.', ';']).trim().to_string();
                self.time = Some(match self.time.take() {
                    Some(t) => format!("{t}; {v}"),
                    None => v,
                });
            }
            FieldKind::Product => self.product = Some(value.trim_end_matches(['.', ';']).to_string()),
            FieldKind::Budget => {
                let v = value.trim_end_matches(['.', ';']).trim().to_string();
                self.budget = Some(match self.budget.take() {
                    Some(b) => format!("{b}; {v}"),
                    None => v,
                });
            }
        }
    }

    /// Fills what is missing here from `other` (a sub-item inherits its umbrella's units).
    pub fn inherit(&mut self, other: &Fields) {
        if self.lead.is_empty() && self.coord.is_empty() {
            self.lead = other.lead.clone();
            self.coord = other.coord.clone();
        }
        if self.monitor.is_empty() {
            self.monitor = other.monitor.clone();
        }
        if self.time.is_none() {
            self.time = other.time.clone();
        }
        if self.product.is_none() {
            self.product = other.product.clone();
        }
        if self.budget.is_none() {
            self.budget = other.budget.clone();
        }
    }

    pub fn merge(&mut self, other: &Fields) {
        self.lead.extend(other.lead.iter().cloned());
        self.coord.extend(other.coord.iter().cloned());
        self.monitor.extend(other.monitor.iter().cloned());
        if other.time.is_some() {
            self.time = other.time.clone();
        }
        if other.product.is_some() {
            self.product = other.product.clone();
        }
        if other.budget.is_some() {
            self.budget = other.budget.clone();
        }
    }
}

/// A field label: who leads, coordinates or follows up, when, what comes out, with what money.
/// Plans vary the wording ("Đơn vị/Cơ quan thực hiện/chủ trì", "Thời gian/Thời hạn hoàn
/// thành", "Tiến độ", "Sản phẩm", "Kinh phí"); up to three more words may stand before the
/// colon ("Thời gian thực hiện/hoàn thành:", "Đơn vị chủ trì thực hiện:").
static RE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?:đơn vị|cơ quan|bộ phận)\s+(?:thực hiện|chủ trì|phối hợp|theo dõi|đôn đốc|chịu trách nhiệm|đầu mối|được giao|tham mưu)|chủ trì|phối hợp|theo dõi(?:,?\s*đôn đốc)?|thời gian|thời hạn|tiến độ|sản phẩm|kết quả đầu ra|kết quả|(?:nguồn\s+)?kinh phí)(?:[ ,/]+(?:và\s+)?[\p{Ll}]+){0,3}?\s*:",
    )
    .unwrap()
});
static RE_PAREN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*((?:đơn vị|cơ quan|thời gian|thời hạn|tiến độ|sản phẩm)[^:()]{0,30}:[^()]*)\)").unwrap()
});
static RE_CHU_TRI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Giao\s+)?(\p{Lu}[^:;()]{1,140}?)\s+(?:chủ trì|làm đầu mối)(?:\s*[,;]\s*|\s+)(?:(?:và\s+)?phối hợp(?:\s+với)?\s+(.+?)(?:\s+(?:để\s+)?(?:thực hiện|triển khai|tổ chức|tham mưu|xây dựng|hướng dẫn|rà soát|nghiên cứu|chỉ đạo|cập nhật|tiếp tục|đẩy mạnh|hoàn thành|kiểm tra|theo dõi|bảo đảm|đảm bảo)\b|[.;:]|$))?",
    )
    .unwrap()
});

fn kind_of(label: &str) -> FieldKind {
    let l = label.to_lowercase();
    if l.contains("kinh phí") {
        FieldKind::Budget
    } else if l.contains("theo dõi") || l.contains("đôn đốc") {
        FieldKind::Monitor
    } else if l.contains("phối hợp") {
        FieldKind::Coord
    } else if l.starts_with("thời") || l.starts_with("tiến độ") {
        FieldKind::Time
    } else if l.starts_with("sản phẩm") || l.starts_with("kết quả") {
        FieldKind::Product
    } else {
        FieldKind::Lead
    }
}

/// Reads a line that starts with a field label, with any further labels inline
/// ("Cơ quan thực hiện: X chủ trì, phối hợp với Y. Thời gian hoàn thành: …").
pub fn parse_field_line(line: &str) -> Option<Vec<(FieldKind, String)>> {
    let body = line.trim_start_matches(['-', '+', '•', '*', ' ']);
    let first = RE_LABEL.find(body)?;
    if first.start() != 0 {
        return None;
    }
    Some(split_labelled(body))
}

/// Where a label may stand: at the start, or after a sentence or clause ends (".", ";", "(",
/// "," — with or without a space: "…các cấp.Cơ quan thực hiện: …").
fn label_marks(body: &str) -> Vec<(usize, usize, FieldKind)> {
    let mut marks: Vec<(usize, usize, FieldKind)> = Vec::new();
    for m in RE_LABEL.find_iter(body) {
        let before = body[..m.start()].trim_end();
        let capital = m.as_str().chars().next().is_some_and(char::is_uppercase);
        // Mid-text, a label opens a new sentence: it is capitalised ("… Thời gian: …"); a
        // lowercase "thời gian:" after a comma is ordinary prose.
        let boundary = before.ends_with(['.', ';', '(']) || (before.ends_with(',') && capital);
        if m.start() == 0 || (boundary && (capital || before.ends_with(';'))) {
            marks.push((m.start(), m.end(), kind_of(m.as_str())));
        }
    }
    marks
}

/// Splits labelled text at every label that starts it or follows ".", ";" or "(".
fn split_labelled(body: &str) -> Vec<(FieldKind, String)> {
    let marks = label_marks(body);
    let mut out = Vec::new();
    for (i, &(_, end, kind)) in marks.iter().enumerate() {
        let stop = marks.get(i + 1).map(|m| m.0).unwrap_or(body.len());
        let value = body[end..stop].trim().trim_end_matches(['(', ';', ',']).trim();
        out.push((kind, value.to_string()));
    }
    out
}

/// Reads the labels written inside a task's paragraph: "… theo quy định. Cơ quan thực hiện:
/// X chủ trì, phối hợp với Y. Thời gian hoàn thành: …". The task's text ends where its first
/// label begins; None when no label stands at a sentence boundary.
pub fn take_inline_labels(text: &str) -> Option<(String, Vec<(FieldKind, String)>)> {
    let first = *label_marks(text).first()?;
    let head = text[..first.0].trim_end().trim_end_matches(['(', ';']).trim_end();
    // "Trong đó:" or a bare number before the label is no task text of its own.
    let fields = split_labelled(&text[first.0..]);
    Some((head.to_string(), fields))
}

/// Takes "(Thời gian thực hiện: …)" and similar labelled parentheses out of a task's text.
pub fn take_paren_fields(text: &str) -> (String, Fields) {
    let mut fields = Fields::default();
    let mut found = false;
    for c in RE_PAREN_FIELD.captures_iter(text) {
        for (k, v) in split_labelled(&c[1]) {
            fields.add(k, &v);
            found = true;
        }
    }
    if !found {
        return (text.to_string(), fields);
    }
    let stripped = RE_PAREN_FIELD.replace_all(text, "");
    let stripped = stripped.split_whitespace().collect::<Vec<_>>().join(" ");
    let stripped = stripped.replace(" .", ".").replace(" ;", ";");
    (stripped.trim().to_string(), fields)
}

/// "X chủ trì, phối hợp (với) Y …" → (X, Some(Y)); None when the text does not open that way.
pub fn split_lead_coord(text: &str) -> Option<(String, Option<String>)> {
    let c = RE_CHU_TRI.captures(text.trim())?;
    let lead = c[1].trim().to_string();
    if lead.split_whitespace().count() > 16 {
        return None;
    }
    let coord = c.get(2).map(|m| m.as_str().trim().to_string()).filter(|s| !s.is_empty());
    Some((lead, coord))
}

/// Units as written, one per entry: split at ";" and at ", " before a capitalised name
/// ("Văn phòng – Thống kê xã, Công an xã"), never inside "Các ban, ngành".
pub fn split_units(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in value.split(';') {
        let mut current = String::new();
        for piece in part.split(", ") {
            let starts_upper = piece.trim_start().chars().next().is_some_and(|c| c.is_uppercase());
            if !current.is_empty() && starts_upper {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push_str(", ");
            }
            current.push_str(piece);
        }
        out.push(current);
    }
    out.into_iter()
        .map(|u| u.trim().trim_end_matches(['.', ',', ';', ':']).trim().to_string())
        .filter(|u| !u.is_empty() && u != "-")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_labels() {
        let f = parse_field_line(
            "Cơ quan thực hiện: Công an xã chủ trì, phối hợp với các ban, ngành. Thời gian hoàn thành: Quý II/2023.",
        )
        .unwrap();
        let mut fields = Fields::default();
        for (k, v) in f {
            fields.add(k, &v);
        }
        assert_eq!(fields.lead, vec!["Công an xã"]);
        assert_eq!(fields.coord, vec!["các ban, ngành"]);
        assert_eq!(fields.time.as_deref(), Some("Quý II/2023"));
    }

    #[test]
    fn units() {
        assert_eq!(
            split_units("Các ban, ngành liên quan; CC Văn hóa Thông tin xã."),
            vec!["Các ban, ngành liên quan", "CC Văn hóa Thông tin xã"]
        );
        assert_eq!(split_units("Văn phòng – Thống kê xã, Công an xã."), vec!["Văn phòng – Thống kê xã", "Công an xã"]);
        assert_eq!(
            split_units("Các ban, ngành liên quan, hệ thống chính trị thôn."),
            vec!["Các ban, ngành liên quan, hệ thống chính trị thôn"]
        );
    }

    #[test]
    fn paren_time() {
        let (t, f) = take_paren_fields(
            "Công an xã chủ trì, phối hợp Văn phòng thực hiện kết nối (Thời gian thực hiện: Quý II/2022).",
        );
        assert_eq!(t, "Công an xã chủ trì, phối hợp Văn phòng thực hiện kết nối.");
        assert_eq!(f.time.as_deref(), Some("Quý II/2022"));
        let (lead, coord) = split_lead_coord(&t).unwrap();
        assert_eq!(lead, "Công an xã");
        assert_eq!(coord.as_deref(), Some("Văn phòng"));
    }
}
