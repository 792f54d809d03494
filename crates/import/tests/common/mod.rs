//! A faithful Rust port of `shared/tools/score_plan.py`: tasks are paired one to one by text
//! similarity (difflib's SequenceMatcher ratio, autojunk off, or word containment), then their
//! due and units are compared.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

pub const FIXTURES: [&str; 4] =
    ["xa-chu-rang-2023", "xa-lam-hop-2022", "so-ldtbxh-binh-phuoc-2022", "huyen-son-khe-2023"];

pub fn fixture_path(name: &str) -> String {
    format!("{}/../../tests/fixtures/plans/{}", env!("CARGO_MANIFEST_DIR"), name)
}

pub fn norm(s: Option<&str>) -> String {
    let Some(s) = s else { return String::new() };
    let s: String = s.nfc().collect::<String>().to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim_matches([' ', '.', ';', ':', ',', '-', '–']).to_string()
}

fn as_str(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
pub fn seq_ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut b2j: HashMap<char, Vec<usize>> = HashMap::new();
    for (j, c) in b.iter().enumerate() {
        b2j.entry(*c).or_default().push(j);
    }
    let find_longest = |alo: usize, ahi: usize, blo: usize, bhi: usize| -> (usize, usize, usize) {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0usize);
        // difflib keeps j2len in dicts; dense arrays with a list of touched slots give the
        // same values (a missing key reads 0) much faster.
        let mut j2len = vec![0usize; b.len() + 1];
        let mut newj2len = vec![0usize; b.len() + 1];
        let mut touched: Vec<usize> = Vec::new();
        let mut new_touched: Vec<usize> = Vec::new();
        // Indexes as difflib's find_longest_match does, to stay comparable with it line by line.
        #[allow(clippy::needless_range_loop)]
        for i in alo..ahi {
            for &t in &new_touched {
                newj2len[t] = 0;
            }
            new_touched.clear();
            if let Some(js) = b2j.get(&a[i]) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = if j > 0 { j2len[j - 1] } else { 0 } + 1;
                    newj2len[j] = k;
                    new_touched.push(j);
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                }
            }
            for &t in &touched {
                j2len[t] = 0;
            }
            std::mem::swap(&mut j2len, &mut newj2len);
            std::mem::swap(&mut touched, &mut new_touched);
        }
        // No junk: difflib's extension loops only ever extend over equal elements.
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    };
    let mut queue = vec![(0usize, a.len(), 0usize, b.len())];
    let mut matched = 0usize;
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = find_longest(alo, ahi, blo, bhi);
        if k > 0 {
            matched += k;
            if alo < i && blo < j {
                queue.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                queue.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    2.0 * matched as f64 / total as f64
}

pub fn sim(a: Option<&str>, b: Option<&str>) -> f64 {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let ac: Vec<char> = a.chars().take(220).collect();
    let bc: Vec<char> = b.chars().take(220).collect();
    let mut ratio = seq_ratio(&ac, &bc);
    let ta: Vec<&str> = a.split_whitespace().collect();
    let tb: Vec<&str> = b.split_whitespace().collect();
    let (short, long) = if ta.len() <= tb.len() { (&ta, &tb) } else { (&tb, &ta) };
    if short.len() >= 8 {
        let set: HashSet<&str> = long.iter().copied().collect();
        let n = short.len().min(40);
        let inside = short.iter().take(40).filter(|w| set.contains(*w)).count() as f64 / n as f64;
        ratio = ratio.max(inside * 0.95);
    }
    ratio
}

fn expand(s: Option<&str>) -> String {
    let mut s = norm(s);
    for (short, full) in [("ubnd", "ủy ban nhân dân"), ("hđnd", "hội đồng nhân dân")] {
        s = s.replace(short, full);
    }
    s.replace("uỷ", "ủy")
}

fn last_day(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn end_of(d: &Value) -> Option<String> {
    let k = d.get("kind").and_then(Value::as_str).unwrap_or("");
    let y = int(d.get("year"));
    let bad = || Some("invalid".to_string());
    match k {
        "date" => Some(as_str(d.get("date")).unwrap_or_else(|| "None".into())),
        "month" => {
            let (Some(y), Some(m)) = (y, int(d.get("month"))) else { return bad() };
            if !(1..=12).contains(&m) {
                return bad();
            }
            Some(format!("{y}-{m:02}-{:02}", last_day(y, m)))
        }
        "quarter" => {
            let (Some(y), Some(q)) = (y, int(d.get("quarter"))) else { return bad() };
            let m = 3 * q;
            if !(1..=12).contains(&m) {
                return bad();
            }
            Some(format!("{y}-{m:02}-{:02}", last_day(y, m)))
        }
        "half" => {
            let (Some(y), Some(h)) = (y, int(d.get("half"))) else { return bad() };
            Some(if h == 1 { format!("{y}-06-30") } else { format!("{y}-12-31") })
        }
        "year" => {
            let Some(y) = y else { return bad() };
            Some(format!("{y}-12-31"))
        }
        _ => None,
    }
}

pub fn due_key(d: Option<&Value>) -> Vec<String> {
    let Some(d) = d.filter(|d| d.is_object()) else { return vec!["none".into()] };
    let k = d.get("kind").and_then(Value::as_str).unwrap_or("none").to_string();
    let rec = d.get("recurring_after").and_then(Value::as_bool).unwrap_or(false);
    match k.as_str() {
        "date" | "month" | "quarter" | "half" | "year" => {
            vec!["deadline".into(), end_of(d).unwrap_or_else(|| "None".into()), rec.to_string()]
        }
        "from" => vec!["from".into(), as_str(d.get("date")).unwrap_or_else(|| "None".into())],
        "range" => vec![
            "range".into(),
            as_str(d.get("from")).unwrap_or_else(|| "None".into()),
            as_str(d.get("to")).unwrap_or_else(|| "None".into()),
        ],
        _ => vec![k],
    }
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| as_str(Some(x))).map(|s| norm(Some(&s))).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

pub fn units_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (str_list(a), str_list(b));
    if a.len() != b.len() {
        return sim(Some(&a.join(", ")), Some(&b.join(", "))) >= 0.9;
    }
    let mut used: HashSet<usize> = HashSet::new();
    for x in &a {
        let mut best: (f64, Option<usize>) = (0.0, None);
        for (j, y) in b.iter().enumerate() {
            if used.contains(&j) {
                continue;
            }
            let s = sim(Some(x), Some(y));
            // Python's max over (score, index) tuples: ties go to the larger index.
            if best.1.is_none() || s > best.0 || (s == best.0 && Some(j) > best.1) {
                best = (s, Some(j));
            }
        }
        if best.0 < 0.85 {
            return false;
        }
        if let Some(j) = best.1 {
            used.insert(j);
        }
    }
    true
}

fn text_of(t: &Value) -> Option<String> {
    as_str(t.get("text"))
}

pub fn match_tasks(gold: &[Value], pred: &[Value]) -> Vec<(usize, usize)> {
    let mut scored: Vec<(f64, usize, usize)> = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pj, p) in pred.iter().enumerate() {
            let s = sim(text_of(g).as_deref(), text_of(p).as_deref());
            if s >= 0.6 {
                scored.push((s, gi, pj));
            }
        }
    }
    scored.sort_by(|x, y| y.0.partial_cmp(&x.0).unwrap().then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_g, mut used_p, mut pairs) = (HashSet::new(), HashSet::new(), Vec::new());
    for (_, gi, pj) in scored {
        if used_g.contains(&gi) || used_p.contains(&pj) {
            continue;
        }
        used_g.insert(gi);
        used_p.insert(pj);
        pairs.push((gi, pj));
    }
    pairs.sort();
    pairs
}

fn due_ok(g: &Value, p: &Value) -> bool {
    let got = due_key(p.get("due"));
    let mut want = vec![g.get("due").cloned().unwrap_or(Value::Null)];
    if let Some(alts) = g.get("due_alt").and_then(Value::as_array) {
        want.extend(alts.iter().cloned());
    }
    want.iter().any(|w| due_key(Some(w)) == got)
}

#[derive(Debug, Clone)]
pub struct Score {
    pub gold_tasks: usize,
    pub got_tasks: usize,
    pub recall: f64,
    pub precision: f64,
    pub due: f64,
    pub lead: f64,
    pub coord: f64,
    pub doc_ok: usize,
    pub doc_fields: usize,
    pub report_days_ok: bool,
    pub checklist_items: (usize, usize),
    /// The --verbose lines of the Python scorer.
    pub details: Vec<String>,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "tasks gold={} got={} recall={:.2} precision={:.2} due={:.2} lead={:.2} coord={:.2} doc={}/{} report_days={} checklist_items={}/{}",
            self.gold_tasks,
            self.got_tasks,
            self.recall,
            self.precision,
            self.due,
            self.lead,
            self.coord,
            self.doc_ok,
            self.doc_fields,
            if self.report_days_ok { "ok" } else { "differ" },
            self.checklist_items.0,
            self.checklist_items.1
        )
    }
}

fn tasks_of(v: &Value) -> Vec<Value> {
    v.get("tasks").and_then(Value::as_array).cloned().unwrap_or_default()
}

fn days(v: &Value) -> Vec<i64> {
    let mut d: Vec<i64> = v
        .get("reporting")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|r| int(r.get("day_of_month"))).collect())
        .unwrap_or_default();
    d.sort();
    d.dedup();
    d
}

fn items(v: &Value) -> usize {
    v.get("checklists")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| c.get("items").and_then(Value::as_array).map_or(0, Vec::len)).sum())
        .unwrap_or(0)
}

pub fn score(gold: &Value, pred: &Value) -> Score {
    let (gt, pt) = (tasks_of(gold), tasks_of(pred));
    let pairs = match_tasks(&gt, &pt);
    let n = pairs.len();
    let ratio = |k: usize| if n > 0 { k as f64 / n as f64 } else { 0.0 };
    let recall = if gt.is_empty() { 1.0 } else { n as f64 / gt.len() as f64 };
    let precision = if pt.is_empty() { 0.0 } else { n as f64 / pt.len() as f64 };
    let due_right = pairs.iter().filter(|(g, p)| due_ok(&gt[*g], &pt[*p])).count();
    let lead_ok = pairs.iter().filter(|(g, p)| units_equal(gt[*g].get("lead"), pt[*p].get("lead"))).count();
    let coord_ok = pairs.iter().filter(|(g, p)| units_equal(gt[*g].get("coord"), pt[*p].get("coord"))).count();
    let empty = Value::Object(Default::default());
    let gd = gold.get("doc").unwrap_or(&empty);
    let pd = pred.get("doc").filter(|d| !d.is_null()).unwrap_or(&empty);
    let doc_fields: Vec<&str> = ["number", "date", "issuer", "signer"]
        .into_iter()
        .filter(|f| as_str(gd.get(*f)).is_some_and(|s| !s.is_empty()))
        .collect();
    let doc_ok = doc_fields
        .iter()
        .filter(|f| {
            sim(Some(&expand(as_str(gd.get(**f)).as_deref())), Some(&expand(as_str(pd.get(**f)).as_deref()))) >= 0.85
        })
        .count();

    let mut details = Vec::new();
    let matched: HashSet<usize> = pairs.iter().map(|p| p.0).collect();
    for (gi, g) in gt.iter().enumerate() {
        if !matched.contains(&gi) {
            let t: String = norm(text_of(g).as_deref()).chars().take(100).collect();
            details.push(format!("MISSED: {:?} {}", as_str(g.get("ref")), t));
        }
    }
    for &(g, p) in &pairs {
        if !due_ok(&gt[g], &pt[p]) {
            details.push(format!(
                "DUE: {:?} {:?} gold {:?} got {:?}",
                as_str(gt[g].get("ref")),
                as_str(gt[g].get("time_text")),
                due_key(gt[g].get("due")),
                due_key(pt[p].get("due"))
            ));
        }
        if !units_equal(gt[g].get("lead"), pt[p].get("lead")) {
            details.push(format!(
                "LEAD: {:?} {:?} got {:?}",
                as_str(gt[g].get("ref")),
                gt[g].get("lead"),
                pt[p].get("lead")
            ));
        }
    }
    Score {
        gold_tasks: gt.len(),
        got_tasks: pt.len(),
        recall,
        precision,
        due: ratio(due_right),
        lead: ratio(lead_ok),
        coord: ratio(coord_ok),
        doc_ok,
        doc_fields: doc_fields.len(),
        report_days_ok: days(gold) == days(pred),
        checklist_items: (items(pred), items(gold)),
        details,
    }
}
