//! Deriving a commune's plan from the level above's (issue 17): which of the parent plan's tasks
//! concern a commune, and how the commune names their units.
//!
//! Pure text rules over unit names as plans write them; no database. The rules:
//! - A unit is cut into bodies at ";" and at "," / "và" before a capitalised word ("Phòng Tư
//!   pháp huyện, UBND các xã" is two bodies), never inside a list of levels ("xã, phường, thị
//!   trấn") or of commune names ("UBND các xã Ia Tul, Chư Răng").
//! - A body concerns the communes when it names the commune level: "xã", "phường", "thị trấn",
//!   "đặc khu" (since 2025), "cấp cơ sở" — after "các"/"cấp" or alone ("Công an xã" in a district plan is every
//!   commune's police), alone or in a list with other levels ("cấp huyện, cấp xã"). "thị xã"
//!   (a district-level town), "xã hội" (society), "hợp tác xã" (a cooperative) and "cơ sở"
//!   without "cấp" (cơ sở dữ liệu) do not.
//! - A level followed by capitalised names ("UBND xã Chư Răng", "các xã Ia Tul, Chư Răng")
//!   concerns only the communes named.
//! - "địa phương" ("các cơ quan, đơn vị, địa phương") may concern communes: proposed, unticked.
//! - The commune's wording: the list of levels (with its "các"/"cấp" and any names) becomes the
//!   commune's own level word — "xã", "phường" or "thị trấn", from the settings' level or the
//!   commune's name — and a trailing "trên địa bàn …", "thuộc …", "(có) liên quan" goes; a body
//!   that is only the level ("Các xã, thị trấn") becomes "UBND xã". Bodies of other levels are
//!   not the commune's and are left out of its task (the parent's units stay visible beside it).
//! - The derived task keeps the parent's lead/coordinating roles; when no lead body concerns
//!   the commune, its coordinating ones lead (the commune carries the task at its level).
//! - The date is the commune level's of a time written per level, else the parent task's.

use kehoach_model::{Concern, DeriveProposal, ImportedTask, ParentLink, ProposedTask};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

/// The commune a plan is derived for: its own name (without "UBND xã") and its level word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// "Chư Răng" — compared with names in units without case or diacritics.
    pub name: String,
    /// "xã", "phường", "thị trấn" or "đặc khu".
    pub word: &'static str,
    /// The settings' level ("commune", "ward", "township"), for per-level dates.
    pub level: &'static str,
}

impl Commune {
    /// From the settings: `commune` as entered ("UBND xã Chư Răng", "Phường Tây Sơn", "Chư
    /// Răng") and `level` ("commune", "ward", "township"; unset: read from the name, else xã).
    pub fn from_settings(commune: Option<&str>, level: Option<&str>) -> Commune {
        let raw: String = commune.unwrap_or("").nfc().collect();
        let mut rest = raw.trim();
        for head in ["ủy ban nhân dân", "uỷ ban nhân dân", "ubnd"] {
            if let Some(r) = strip_prefix_ci(rest, head) {
                rest = r.trim_start();
            }
        }
        let mut named_word = None;
        for (w, lvl) in [("thị trấn", "township"), ("phường", "ward"), ("đặc khu", "special"), ("xã", "commune")]
        {
            if let Some(r) = strip_prefix_ci(rest, w) {
                if r.is_empty() || r.starts_with(char::is_whitespace) {
                    rest = r.trim_start();
                    named_word = Some(lvl);
                    break;
                }
            }
        }
        let level = match level {
            Some("ward") => "ward",
            Some("township") => "township",
            Some("commune") if named_word != Some("special") => "commune",
            _ => named_word.unwrap_or("commune"),
        };
        let word = match level {
            "ward" => "phường",
            "township" => "thị trấn",
            "special" => "đặc khu",
            _ => "xã",
        };
        // A special zone takes the commune level's dates.
        let level = if level == "special" { "commune" } else { level };
        Commune { name: rest.to_string(), word, level }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let head: String = s.chars().take(n).collect();
    (head.to_lowercase() == prefix).then(|| &s[head.len()..])
}

/// Lower case without diacritics ("đ" → "d"), for names.
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .collect::<String>()
        .to_lowercase()
}

struct Word {
    lower: String,
    upper_initial: bool,
    start: usize,
    end: usize,
}

fn words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (start, is_word(c) && i < s.len()) {
            (None, true) => start = Some(i),
            (Some(b), false) => {
                let w = &s[b..i];
                out.push(Word {
                    lower: w.to_lowercase(),
                    upper_initial: w.chars().next().is_some_and(char::is_uppercase),
                    start: b,
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Commune,
    Above,
}

/// A group of levels in a unit: "các xã, thị trấn", "cấp huyện và cấp xã", "xã Chư Răng".
#[derive(Debug)]
struct Group {
    start: usize,
    end: usize,
    commune: bool,
    names: Vec<String>,
}

struct Text<'a> {
    s: &'a str,
    w: Vec<Word>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Self {
        Text { s, w: words(s) }
    }

    fn lower(&self, i: usize) -> &str {
        self.w.get(i).map_or("", |w| w.lower.as_str())
    }

    /// The characters between word `i` and word `i + 1`.
    fn gap(&self, i: usize) -> &'a str {
        match (self.w.get(i), self.w.get(i + 1)) {
            (Some(a), Some(b)) => &self.s[a.end..b.start],
            (Some(a), None) => &self.s[a.end..],
            _ => "",
        }
    }

    fn spaced(&self, i: usize) -> bool {
        let g = self.gap(i);
        !g.is_empty() && g.chars().all(char::is_whitespace)
    }

    /// A level name starting at word `i`: its kind and how many words it takes.
    fn level_at(&self, i: usize) -> Option<(Level, usize)> {
        let next = self.lower(i + 1);
        let joined = |w: &str| next == w && self.spaced(i);
        match self.lower(i) {
            "xã" => {
                // "thị xã" is a district-level town, "hợp tác xã" a cooperative.
                let after_thi = i > 0 && matches!(self.lower(i - 1), "thị" | "tác") && self.spaced(i - 1);
                let xa_hoi = joined("hội") || joined("viên");
                (!after_thi && !xa_hoi).then_some((Level::Commune, 1))
            }
            "phường" => Some((Level::Commune, 1)),
            "thị" if joined("trấn") => Some((Level::Commune, 2)),
            // Since 1 July 2025 a special zone (đặc khu) is at the commune level.
            "đặc" if joined("khu") => Some((Level::Commune, 2)),
            "thị" if joined("xã") => Some((Level::Above, 2)),
            "cơ" if joined("sở") && i > 0 && self.lower(i - 1) == "cấp" => Some((Level::Commune, 2)),
            "huyện" | "quận" | "tỉnh" => Some((Level::Above, 1)),
            "thành" if joined("phố") => Some((Level::Above, 2)),
            _ => None,
        }
    }

    fn is_modifier(&self, i: usize) -> bool {
        matches!(self.lower(i), "các" | "cấp") && self.spaced(i)
    }

    /// Words `i..` that are one capitalised name ("Chư Răng", "Ia Tul"): its end (exclusive).
    fn name_at(&self, i: usize) -> Option<usize> {
        let first = self.w.get(i)?;
        if !first.upper_initial || matches!(first.lower.as_str(), "ubnd" | "ủy" | "uỷ" | "hđnd") {
            return None;
        }
        let mut j = i + 1;
        while j < self.w.len() && self.spaced(j - 1) && self.w[j].upper_initial {
            j += 1;
        }
        Some(j)
    }

    fn groups(&self) -> Vec<Group> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.w.len() {
            let mut start = i;
            while self.is_modifier(start) {
                start += 1;
            }
            let Some((first, len)) = self.level_at(start) else {
                i += 1;
                continue;
            };
            let mut commune = first == Level::Commune;
            let mut end = start + len;
            // More levels joined by ",", "/", "-", "và", "hoặc", each with its own "các"/"cấp".
            loop {
                let gap = self.gap(end - 1).trim();
                let mut n = end;
                if gap.is_empty() && matches!(self.lower(n), "và" | "hoặc") && self.spaced(end - 1) {
                    n += 1;
                } else if !matches!(gap, "," | "/" | "-" | "–" | "&") {
                    break;
                }
                while self.is_modifier(n) {
                    n += 1;
                }
                match self.level_at(n) {
                    Some((l, len)) => {
                        commune |= l == Level::Commune;
                        end = n + len;
                    }
                    None => break,
                }
            }
            // Names after the last level: "xã Chư Răng", "các xã Ia Tul, Chư Răng và Ia Broăi".
            let mut names = Vec::new();
            if self.spaced(end - 1) {
                let mut n = end;
                while let Some(e) = self.name_at(n) {
                    names.push(self.s[self.w[n].start..self.w[e - 1].end].to_string());
                    end = e;
                    let gap = self.gap(e - 1).trim();
                    n = if gap == "," {
                        e
                    } else if gap.is_empty() && self.lower(e) == "và" {
                        e + 1
                    } else {
                        break;
                    };
                }
            }
            out.push(Group { start: self.w[i].start, end: self.w[end - 1].end, commune, names });
            i = end;
        }
        out
    }
}

/// The first words of a body's name, where "và" starts a second body.
const BODY_HEADS: [&str; 22] = [
    "ubnd", "ủy", "uỷ", "hđnd", "công", "phòng", "ban", "hội", "đoàn", "bộ", "văn", "trung", "chi", "sở", "mặt", "đội",
    "tổ", "các", "chủ", "trạm", "ngân", "bưu",
];

/// The bodies a unit names, as byte ranges: cut at ";" and at "," / "và" before a capitalised
/// word, outside any group of levels and names.
fn bodies(t: &Text, groups: &[Group]) -> Vec<(usize, usize)> {
    let inside = |at: usize| groups.iter().any(|g| g.start <= at && at < g.end);
    let mut cuts = Vec::new(); // (end of the body, start of the next)
    for (i, w) in t.w.iter().enumerate() {
        let Some(next) = t.w.get(i + 1) else { break };
        let gap = t.gap(i);
        if inside(w.end) && inside(next.start.saturating_sub(1)) {
            continue;
        }
        if gap.contains(';') || (gap.trim() == "," && next.upper_initial) {
            cuts.push((w.end, next.start));
        } else if next.lower == "và"
            && t.spaced(i)
            && t.w.get(i + 2).is_some_and(|n| BODY_HEADS.contains(&n.lower.as_str()))
        {
            // "và" joins two bodies only before a body's head word: "Bộ phận Tiếp nhận và Trả
            // kết quả" and "Sở Thông tin và Truyền thông" are one body each.
            cuts.push((w.end, t.w[i + 2].start));
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (end, next) in cuts {
        out.push((from, end));
        from = next;
    }
    out.push((from, t.s.len()));
    out.into_iter().filter(|(a, b)| !t.s[*a..*b].trim().is_empty()).collect()
}

/// How one body of a unit relates to a commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyConcern {
    /// It names the communes in general; the commune's wording.
    Communes(String),
    /// It names this commune; the commune's wording.
    ThisCommune(String),
    /// It names other communes only.
    OtherCommunes,
    /// "địa phương": perhaps the communes.
    Possibly,
    /// Another level's body ("Phòng Tư pháp huyện", "Công an huyện").
    NotCommune,
}

/// Each body of `unit` and how it concerns `commune`.
pub fn unit_bodies(unit: &str, commune: &Commune) -> Vec<BodyConcern> {
    let unit: String = unit.nfc().collect();
    let t = Text::new(&unit);
    let groups = t.groups();
    bodies(&t, &groups)
        .into_iter()
        .map(|(a, b)| {
            let body = &unit[a..b];
            let Some(g) = groups.iter().find(|g| g.commune && g.start >= a && g.end <= b) else {
                return if fold(body).contains("dia phuong") { BodyConcern::Possibly } else { BodyConcern::NotCommune };
            };
            let wording = reword(&unit[a..g.start], &unit[g.end..b], commune.word);
            if g.names.is_empty() {
                BodyConcern::Communes(wording)
            } else if g.names.iter().any(|n| fold(n) == fold(&commune.name)) {
                BodyConcern::ThisCommune(wording)
            } else {
                BodyConcern::OtherCommunes
            }
        })
        .collect()
}

/// The commune's name for a body: what precedes the levels, the commune's level word, and what
/// follows unless it only places the communes ("trên địa bàn huyện", "liên quan").
fn reword(before: &str, after: &str, word: &str) -> String {
    let before = before.trim().trim_start_matches(['-', '–', '+', '•', '*']).trim();
    let after_l = after.trim().to_lowercase();
    const PLACING: [&str; 9] = [
        "trên địa bàn",
        "thuộc ",
        "liên quan",
        "có liên quan",
        "trong huyện",
        "trong toàn",
        "toàn huyện",
        "trong tỉnh",
        "trên toàn",
    ];
    let after = if PLACING.iter().any(|p| after_l.starts_with(p)) { "" } else { after.trim_end() };
    // "Ủy ban nhân dân" is written "UBND" like every other unit name, so both find one unit.
    let head = if before.is_empty() || fold(before) == "uy ban nhan dan" { "UBND" } else { before };
    let s = format!("{head} {word}{after}");
    s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([',', ';', '.', ':']).to_string()
}

/// Whether `units` (lead or coordinating) concern the commune, and its wording of those that do.
fn units_for(units: &[String], commune: &Commune) -> (Vec<String>, Option<Concern>) {
    let mut out: Vec<String> = Vec::new();
    let mut concern = None;
    let mut push = |s: String| {
        if !out.iter().any(|o| fold(o) == fold(&s)) {
            out.push(s);
        }
    };
    for u in units {
        for b in unit_bodies(u, commune) {
            match b {
                BodyConcern::ThisCommune(w) => {
                    push(w);
                    concern = Some(Concern::ThisCommune);
                }
                BodyConcern::Communes(w) => {
                    push(w);
                    if concern != Some(Concern::ThisCommune) {
                        concern = Some(Concern::Communes);
                    }
                }
                BodyConcern::Possibly => {
                    concern.get_or_insert(Concern::Possibly);
                }
                BodyConcern::OtherCommunes | BodyConcern::NotCommune => {}
            }
        }
    }
    (out, concern)
}

fn stronger(a: Option<Concern>, b: Option<Concern>) -> Option<Concern> {
    let rank = |c: Option<Concern>| match c {
        Some(Concern::ThisCommune) => 3,
        Some(Concern::Communes) => 2,
        Some(Concern::Possibly) => 1,
        None => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// "Chủ trì: …; phối hợp: …" as the parent wrote them.
fn parent_units(t: &ImportedTask) -> String {
    let mut parts = Vec::new();
    if !t.lead.is_empty() {
        parts.push(format!("Chủ trì: {}", t.lead.join("; ")));
    }
    if !t.coord.is_empty() {
        parts.push(format!("phối hợp: {}", t.coord.join("; ")));
    }
    parts.join("; ")
}

/// The commune's version of one parent task, or `None` when it does not concern the commune.
/// `parent_id` is the parent task's id when known.
pub fn propose_task(parent_id: Option<Uuid>, t: &ImportedTask, commune: &Commune) -> Option<ProposedTask> {
    let (lead, lead_c) = units_for(&t.lead, commune);
    let (coord, coord_c) = units_for(&t.coord, commune);
    let (monitor, _) = units_for(&t.monitor, commune);
    let mut concern = stronger(lead_c, coord_c);
    if concern.is_none() && t.lead.is_empty() && t.coord.is_empty() {
        // No unit at all: a text that gives the communes the work ("UBND các xã rà soát …").
        let in_text = unit_bodies(&t.text, commune).iter().any(|b| matches!(b, BodyConcern::Communes(_)));
        if in_text {
            concern = Some(Concern::Possibly);
        }
    }
    let concern = concern?;
    let (lead, coord) = match (lead.is_empty(), coord.is_empty()) {
        (true, false) => (coord, Vec::new()),
        (true, true) => (vec![format!("UBND {}", commune.word)], Vec::new()),
        _ => {
            let coord = coord.into_iter().filter(|c| !lead.iter().any(|l| fold(l) == fold(c))).collect();
            (lead, coord)
        }
    };
    let due = if t.due_by_level.is_empty() {
        t.due.clone()
    } else {
        crate::levels::own_due(&t.due_by_level, Some(commune.level)).unwrap_or_else(|| t.due.clone())
    };
    Some(ProposedTask {
        concern,
        selected: concern != Concern::Possibly,
        parent_units: parent_units(t),
        task: ImportedTask {
            lead,
            coord,
            monitor,
            due,
            parent_task: parent_id,
            parent_ref: t.reference.clone(),
            ..t.clone()
        },
    })
}

/// The proposal for a commune's plan from the parent's tasks (with their ids when known).
pub fn propose(parent: ParentLink, tasks: &[(Option<Uuid>, ImportedTask)], commune: &Commune) -> DeriveProposal {
    let mut proposed = Vec::new();
    let mut left_out = Vec::new();
    for (id, t) in tasks {
        match propose_task(*id, t, commune) {
            Some(p) => proposed.push(p),
            None => left_out.push(match &t.reference {
                Some(r) => format!("{r}. {}", t.text),
                None => t.text.clone(),
            }),
        }
    }
    DeriveProposal {
        title: format!("Kế hoạch thực hiện {}", parent.basis_line()), parent, tasks: proposed, left_out
    }
}

/// The proposal from a plan of the level above received as a publication.
pub fn from_publication(p: &kehoach_model::Publication, settings: &kehoach_model::Settings) -> DeriveProposal {
    let tasks: Vec<(Option<Uuid>, ImportedTask)> = p.plan.tasks.iter().map(|t| (Some(t.id), t.task.clone())).collect();
    propose(p.link(), &tasks, &Commune::from_settings(settings.commune.as_deref(), settings.level.as_deref()))
}

/// The proposal from a plan held on this PC (the level above's document imported here): linked
/// by its number and date, and its tasks by their numbers.
pub fn from_plan(d: &kehoach_model::PlanDetail, settings: &kehoach_model::Settings) -> DeriveProposal {
    let link = ParentLink {
        plan_id: None,
        number: d.plan.number.clone(),
        date: d.plan.date.clone(),
        issuer: d.plan.issuer.clone(),
        title: Some(d.plan.title.clone()),
        version: None,
    };
    let tasks: Vec<(Option<Uuid>, ImportedTask)> = d.tasks.iter().map(|t| (None, ImportedTask::from(t))).collect();
    propose(link, &tasks, &Commune::from_settings(settings.commune.as_deref(), settings.level.as_deref()))
}

/// The proposal from a document being imported (the import screen's derive step).
pub fn from_imported(p: &kehoach_model::ImportedPlan, settings: &kehoach_model::Settings) -> DeriveProposal {
    let link = ParentLink {
        plan_id: None,
        number: p.doc.number.clone(),
        date: p.doc.date.clone(),
        issuer: p.doc.issuer.clone(),
        title: p.doc.title.clone(),
        version: None,
    };
    let tasks: Vec<(Option<Uuid>, ImportedTask)> = p.tasks.iter().map(|t| (None, t.clone())).collect();
    propose(link, &tasks, &Commune::from_settings(settings.commune.as_deref(), settings.level.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xa() -> Commune {
        Commune::from_settings(Some("UBND xã Chư Răng"), Some("commune"))
    }

    fn ward() -> Commune {
        Commune::from_settings(Some("Phường Tây Sơn"), None)
    }

    fn town() -> Commune {
        Commune::from_settings(Some("Thị trấn Phú Túc"), None)
    }

    /// The commune's wording of the bodies of `unit` that concern it.
    fn reworded(unit: &str, c: &Commune) -> Vec<String> {
        unit_bodies(unit, c)
            .into_iter()
            .filter_map(|b| match b {
                BodyConcern::Communes(w) | BodyConcern::ThisCommune(w) => Some(w),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn commune_from_settings() {
        assert_eq!(xa(), Commune { name: "Chư Răng".into(), word: "xã", level: "commune" });
        assert_eq!(ward(), Commune { name: "Tây Sơn".into(), word: "phường", level: "ward" });
        assert_eq!(town(), Commune { name: "Phú Túc".into(), word: "thị trấn", level: "township" });
        assert_eq!(Commune::from_settings(Some("Ủy ban nhân dân phường Yên Thế"), None).word, "phường");
        // The settings' level wins over the name.
        assert_eq!(Commune::from_settings(Some("Chư Răng"), Some("ward")).word, "phường");
        assert_eq!(Commune::from_settings(None, None).word, "xã");
        // A name that merely starts like a level word is not one.
        assert_eq!(Commune::from_settings(Some("Xãnh"), None).name, "Xãnh");
    }

    #[test]
    fn people_s_committees_of_the_communes() {
        for unit in [
            "UBND các xã, thị trấn",
            "UBND các xã, phường, thị trấn",
            "UBND xã, phường, thị trấn",
            "UBND cấp xã",
            "Ủy ban nhân dân các xã, thị trấn",
            "Uỷ ban nhân dân cấp xã",
            "UBND các xã",
            "UBND các xã/thị trấn",
            "UBND các xã - thị trấn",
            "UBND các xã và thị trấn",
            "UBND các xã, thị trấn trên địa bàn huyện",
            "UBND các xã, thị trấn thuộc huyện Ia Pa",
            "UBND các xã liên quan",
            "UBND các xã có liên quan",
            "Các xã, thị trấn",
            "Cấp xã",
            "UBND cấp cơ sở",
        ] {
            assert_eq!(reworded(unit, &xa()), vec!["UBND xã"], "{unit}");
        }
    }

    #[test]
    fn other_bodies_of_the_commune_level() {
        let cases = [
            ("Công an các xã", "Công an xã"),
            ("Công an cấp xã", "Công an xã"),
            ("Công an xã", "Công an xã"),
            ("Công an các xã, thị trấn", "Công an xã"),
            ("Công an xã, phường, thị trấn", "Công an xã"),
            ("Bộ phận Một cửa cấp xã", "Bộ phận Một cửa xã"),
            ("Bộ phận Tiếp nhận và Trả kết quả cấp huyện, cấp xã", "Bộ phận Tiếp nhận và Trả kết quả xã"),
            ("Công chức Tư pháp - Hộ tịch các xã, thị trấn", "Công chức Tư pháp - Hộ tịch xã"),
            ("Công chức Văn hóa - Xã hội cấp xã", "Công chức Văn hóa - Xã hội xã"),
            ("Chủ tịch UBND các xã", "Chủ tịch UBND xã"),
            ("Hội Nông dân các xã, thị trấn", "Hội Nông dân xã"),
            ("Tổ công tác Đề án 06 cấp xã", "Tổ công tác Đề án 06 xã"),
            ("Tổ công tác 06 các xã (Công an xã là thường trực)", "Tổ công tác 06 xã (Công an xã là thường trực)"),
        ];
        for (unit, want) in cases {
            assert_eq!(reworded(unit, &xa()), vec![want.to_string()], "{unit}");
        }
    }

    #[test]
    fn capitals_and_decomposed_marks_read_the_same() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "UBND các xã, thị trấn".nfd().collect();
        assert_eq!(reworded(&nfd, &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("UBND CÁC XÃ, THỊ TRẤN", &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("CÔNG AN CẤP XÃ", &xa()), vec!["CÔNG AN xã"]);
    }

    #[test]
    fn special_zones_since_2025() {
        let dk = Commune::from_settings(Some("UBND đặc khu Phú Quý"), Some("commune"));
        assert_eq!((dk.word, dk.level, dk.name.as_str()), ("đặc khu", "commune", "Phú Quý"));
        assert_eq!(reworded("UBND các xã, phường, đặc khu", &dk), vec!["UBND đặc khu"]);
        assert_eq!(reworded("UBND các xã, phường, đặc khu", &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("Công an các đặc khu", &dk), vec!["Công an đặc khu"]);
    }

    #[test]
    fn a_ward_and_a_township_use_their_own_word() {
        assert_eq!(reworded("UBND các xã, thị trấn", &ward()), vec!["UBND phường"]);
        assert_eq!(reworded("Công an các xã", &ward()), vec!["Công an phường"]);
        assert_eq!(reworded("UBND cấp xã", &town()), vec!["UBND thị trấn"]);
        assert_eq!(reworded("Công an xã, phường, thị trấn", &town()), vec!["Công an thị trấn"]);
    }

    #[test]
    fn other_levels_are_not_the_commune() {
        for unit in [
            "UBND huyện",
            "Phòng Tư pháp huyện",
            "Công an huyện",
            "UBND các huyện, thị xã, thành phố",
            "UBND thị xã Ayun Pa",
            "Phòng Lao động - Thương binh và Xã hội",
            "Văn phòng HĐND và UBND huyện",
            "Sở Thông tin và Truyền thông",
            "Trung tâm Văn hóa - Thông tin và Thể thao",
            "Các cơ quan, đơn vị liên quan",
            "Cơ sở dữ liệu quốc gia về dân cư",
            "Bảo hiểm xã hội huyện",
            "Hợp tác xã",
        ] {
            assert!(reworded(unit, &xa()).is_empty(), "{unit}: {:?}", unit_bodies(unit, &xa()));
        }
    }

    #[test]
    fn several_bodies_in_one_unit() {
        assert_eq!(reworded("Phòng Tư pháp huyện, UBND các xã, thị trấn", &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("Phòng Tư pháp huyện và UBND các xã", &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("Công an huyện; Công an các xã", &xa()), vec!["Công an xã"]);
        assert_eq!(reworded("UBND huyện và các xã", &xa()), vec!["UBND xã"]);
        assert_eq!(reworded("Công an cấp huyện và cấp xã", &xa()), vec!["Công an xã"]);
        assert_eq!(
            reworded("Công an các xã, Bộ phận Một cửa cấp xã", &xa()),
            vec!["Công an xã".to_string(), "Bộ phận Một cửa xã".to_string()]
        );
    }

    #[test]
    fn named_communes() {
        assert_eq!(unit_bodies("UBND xã Chư Răng", &xa()), vec![BodyConcern::ThisCommune("UBND xã".into())]);
        assert_eq!(unit_bodies("UBND xã Ia Tul", &xa()), vec![BodyConcern::OtherCommunes]);
        assert_eq!(
            unit_bodies("UBND các xã Ia Tul, Chư Răng và Pờ Tó", &xa()),
            vec![BodyConcern::ThisCommune("UBND xã".into())]
        );
        assert_eq!(unit_bodies("UBND các xã Ia Tul, Pờ Tó", &xa()), vec![BodyConcern::OtherCommunes]);
        // Without diacritics or in another case, the name is the same.
        assert_eq!(unit_bodies("Công an xã CHƯ RĂNG", &xa()), vec![BodyConcern::ThisCommune("Công an xã".into())]);
        assert_eq!(unit_bodies("UBND phường Tây Sơn", &ward()), vec![BodyConcern::ThisCommune("UBND phường".into())]);
    }

    #[test]
    fn localities_may_concern_the_communes() {
        assert_eq!(unit_bodies("Các cơ quan, đơn vị, địa phương", &xa()), vec![BodyConcern::Possibly]);
        assert_eq!(unit_bodies("UBND các địa phương", &xa()), vec![BodyConcern::Possibly]);
    }

    #[test]
    fn thi_xa_and_xa_hoi_are_not_communes() {
        assert!(reworded("UBND thị xã", &xa()).is_empty());
        assert!(reworded("Phòng Văn hóa - Xã hội", &xa()).is_empty());
        // But a list with both levels concerns the communes.
        assert_eq!(reworded("UBND thị xã và các xã", &xa()), vec!["UBND xã"]);
    }

    fn task(lead: &[&str], coord: &[&str]) -> ImportedTask {
        ImportedTask {
            reference: Some("2.3".into()),
            text: "Rà soát, cập nhật dữ liệu dân cư".into(),
            lead: lead.iter().map(|s| s.to_string()).collect(),
            coord: coord.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn tasks_proposed_with_their_roles() {
        let id = Uuid::now_v7();
        let p = propose_task(Some(id), &task(&["UBND các xã, thị trấn"], &["Công an các xã"]), &xa()).unwrap();
        assert_eq!((p.concern, p.selected), (Concern::Communes, true));
        assert_eq!(p.task.lead, vec!["UBND xã"]);
        assert_eq!(p.task.coord, vec!["Công an xã"]);
        assert_eq!((p.task.parent_task, p.task.parent_ref.as_deref()), (Some(id), Some("2.3")));
        assert_eq!(p.parent_units, "Chủ trì: UBND các xã, thị trấn; phối hợp: Công an các xã");

        // The district body leads, the communes coordinate: at the commune it is theirs to lead.
        let p =
            propose_task(None, &task(&["Phòng Tư pháp"], &["UBND các xã, thị trấn", "Công an huyện"]), &xa()).unwrap();
        assert_eq!((p.task.lead.clone(), p.task.coord.clone()), (vec!["UBND xã".to_string()], vec![]));

        // Nothing of the communes: not proposed.
        assert!(propose_task(None, &task(&["Phòng Tư pháp"], &["Công an huyện"]), &xa()).is_none());
        assert!(propose_task(None, &task(&["UBND xã Ia Tul"], &[]), &xa()).is_none());

        // Named: this commune's.
        let p = propose_task(None, &task(&["Công an huyện"], &["UBND xã Chư Răng"]), &xa()).unwrap();
        assert_eq!((p.concern, p.task.lead.clone()), (Concern::ThisCommune, vec!["UBND xã".to_string()]));

        // "các địa phương": proposed, not ticked, led by the commune's committee.
        let p = propose_task(None, &task(&["Các cơ quan, đơn vị, địa phương"], &[]), &xa()).unwrap();
        assert_eq!(
            (p.concern, p.selected, p.task.lead.clone()),
            (Concern::Possibly, false, vec!["UBND xã".to_string()])
        );

        // No unit, a text that gives the communes the work.
        let t = ImportedTask { text: "UBND các xã, thị trấn rà soát hộ tịch".into(), ..Default::default() };
        assert_eq!(propose_task(None, &t, &xa()).unwrap().concern, Concern::Possibly);
    }

    #[test]
    fn the_commune_level_date() {
        use kehoach_model::{Due, DueKind, LevelDue};
        let q = |q| Due::new(DueKind::Quarter { year: 2023, quarter: q });
        let t = ImportedTask {
            time_text: Some("Quý II/2023 đối với cấp huyện, quý III/2023 đối với cấp xã".into()),
            due: q(2),
            due_by_level: vec![
                LevelDue { level: "huyện".into(), due: q(2) },
                LevelDue { level: "xã".into(), due: q(3) },
            ],
            ..task(&["UBND các xã"], &[])
        };
        assert_eq!(propose_task(None, &t, &xa()).unwrap().task.due, q(3));
        assert_eq!(propose_task(None, &t, &ward()).unwrap().task.due, q(3));
        // One date for every level: the parent's.
        let t = ImportedTask { due: q(4), ..task(&["UBND các xã"], &[]) };
        assert_eq!(propose_task(None, &t, &xa()).unwrap().task.due, q(4));
    }

    #[test]
    fn a_proposal_names_its_parent_and_what_it_leaves_out() {
        let parent = ParentLink {
            number: Some("39/KH-UBND".into()),
            date: Some("2023-03-20".into()),
            issuer: Some("UBND huyện Ia Pa".into()),
            ..Default::default()
        };
        let tasks = vec![
            (None, task(&["UBND các xã"], &[])),
            (None, ImportedTask { reference: Some("1.1".into()), ..task(&["Phòng Tư pháp"], &[]) }),
        ];
        let p = propose(parent, &tasks, &xa());
        assert_eq!(p.title, "Kế hoạch thực hiện Kế hoạch số 39/KH-UBND ngày 20/03/2023 của UBND huyện Ia Pa");
        assert_eq!(p.tasks.len(), 1);
        assert_eq!(p.left_out, vec!["1.1. Rà soát, cập nhật dữ liệu dân cư"]);
    }
}
