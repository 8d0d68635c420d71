//! Rows → the criteria tree: codes normalised to dotted global ids (I → 1,
//! its criterion 2 → 1.2, that one's 1 → 1.2.1), point sums checked.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::draft;
use super::grid::Budget;
use super::table::Rec;
use super::{ImportError, Level, Mismatch, Node, Note};
use crate::text::fold;

pub struct Built {
    pub nodes: Vec<Node>,
    pub total: Option<(usize, f64)>,
    pub mismatches: Vec<Mismatch>,
    pub notes: Vec<Note>,
    /// Rows that speak about the whole table (under "Ghi chú", or a general
    /// rule such as "TLKC phải là văn bản điện tử có chữ ký số"): (row, text).
    pub remarks: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Code {
    None,
    Roman(u32),
    Dotted(Vec<u32>),
    /// "A.", "B.": a part of the table.
    Section,
    /// "a)", "-", "+": a line of the unit above.
    Detail,
}

#[derive(Default)]
struct State {
    nodes: Vec<Node>,
    index: HashMap<String, usize>,
    area: Option<(u32, bool)>,
    /// Criteria are numbered inside each Roman-numbered area ("1", "2").
    local_style: bool,
    criterion_local: Option<u32>,
    deductions: bool,
    in_notes: bool,
    total: Option<(usize, f64)>,
    notes: Vec<Note>,
    remarks: Vec<(usize, String)>,
    /// Text copied into nodes and remarks so far (titles, evidence, guide):
    /// paid for as rows are read.
    text_bytes: usize,
}

/// Text a unit's requirements are drafted from (TLKC, else the guide): a
/// real cell is a few paragraphs; a longer one is drafted from its start.
const MAX_DRAFT_TEXT: usize = 16 * 1024;
/// A drafted requirement's text is copied into the TOML, parsed back and
/// loaded again before the file is kept: it costs this many times its length.
const DRAFT_COPIES: usize = 8;

/// At most `max` bytes of `s`, cut at a character boundary.
fn clip(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// What a draft will cost once written and read back.
fn draft_cost(d: &draft::Draft) -> usize {
    let reqs: usize = d
        .reqs
        .iter()
        .map(|r| {
            256 + r.id.len()
                + r.title.len()
                + r.source.len()
                + r.title_patterns.iter().map(String::len).sum::<usize>()
        })
        .sum();
    (reqs + d.system.as_ref().map_or(0, String::len)).saturating_mul(DRAFT_COPIES)
}

pub fn build(recs: &[Rec], budget: &Budget) -> Result<Built, ImportError> {
    let mut st = State::default();
    let mut paid = 0;
    for rec in recs {
        st.row(rec);
        budget.spend(st.text_bytes - paid)?;
        paid = st.text_bytes;
    }
    let mismatches = st.check_sums();
    for n in &mut st.nodes {
        n.evidence = n.evidence.trim().to_string();
        n.guide = n.guide.trim().to_string();
    }
    let scored: Vec<bool> = st
        .nodes
        .iter()
        .map(|n| match n.level {
            Level::Sub | Level::Deduction => true,
            Level::Criterion => !st
                .nodes
                .iter()
                .any(|c| c.level == Level::Sub && parent(&c.id) == n.id),
            Level::Area => false,
        })
        .collect();
    let mut clipped = Vec::new();
    for (n, scored) in st.nodes.iter_mut().zip(scored) {
        if scored {
            // Each sentence naming k documents becomes k requirements quoting it:
            // the text drafted is bounded, and what the drafts will cost is paid for.
            let (evidence, guide) = (
                clip(&n.evidence, MAX_DRAFT_TEXT),
                clip(&n.guide, MAX_DRAFT_TEXT),
            );
            if evidence.len() < n.evidence.len() || guide.len() < n.guide.len() {
                clipped.push(Note {
                    row: n.row,
                    text: format!(
                        "{}: the text is longer than {} KB; requirements were drafted from its first {} KB only",
                        n.id,
                        MAX_DRAFT_TEXT >> 10,
                        MAX_DRAFT_TEXT >> 10
                    ),
                    vi: format!(
                        "{}: nội dung dài hơn {} KB; chỉ soạn yêu cầu từ {} KB đầu",
                        n.id,
                        MAX_DRAFT_TEXT >> 10,
                        MAX_DRAFT_TEXT >> 10
                    ),
                });
            }
            let d = draft::draft(evidence, guide);
            // The guide goes into the draft too, whole, as the unit's `note`.
            budget
                .spend(draft_cost(&d).saturating_add(n.guide.len().saturating_mul(DRAFT_COPIES)))?;
            n.draft = Some(d);
        }
    }
    st.notes.extend(clipped);
    Ok(Built {
        nodes: st.nodes,
        total: st.total,
        mismatches,
        notes: st.notes,
        remarks: st.remarks,
    })
}

/// A unit's evidence or guide text stops growing here: a real one is a few
/// paragraphs, and each continuation row searches what is already there.
const MAX_NODE_TEXT: usize = 64 * 1024;

/// `text` on a new line of `dst`, unless it is blank, already there, or `dst` is full.
fn append(dst: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() || dst.len() >= MAX_NODE_TEXT || dst.contains(text) {
        return;
    }
    dst.push('\n');
    dst.push_str(text);
}

fn parent(id: &str) -> &str {
    id.rsplit_once('.').map_or("", |(p, _)| p)
}

/// "0,5", "1.5", "10 điểm", "-1", "(−0,5)" → the number; None when blank or not a number.
pub fn points(text: &str) -> Option<f64> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\(?\s*([-−–]?)\s*(\d{1,4})(?:[.,](\d{1,4}))?")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let c = re.captures(text.trim())?;
    let whole = c.get(2)?.as_str();
    let frac = c.get(3).map_or("0", |m| m.as_str());
    format!("{whole}.{frac}").parse::<f64>().ok()
}

fn roman(s: &str) -> Option<u32> {
    const R: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    R.iter().position(|r| *r == s).map(|i| i as u32 + 1)
}

/// Classify a code token ("1.2", "II", "a", "-").
fn classify(token: &str) -> Code {
    let t = token.trim().trim_end_matches(['.', ')', ':', '/']).trim();
    if t.is_empty() {
        return Code::None;
    }
    if t.split('.')
        .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Code::Dotted(t.split('.').filter_map(|p| p.parse().ok()).collect());
    }
    if let Some(n) = roman(t) {
        return Code::Roman(n);
    }
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_uppercase() => Code::Section,
        (Some(c), None) if c.is_lowercase() || "-+•*–".contains(c) => Code::Detail,
        _ => Code::None,
    }
}

/// A code leading the title cell ("1.1.1. Ban hành…", "TCTP 1.1.1", "II. CÔNG TÁC…"):
/// the token and the rest of the title.
fn leading_code(title: &str) -> Option<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?s)^\s*(?i:(?:tiêu chí thành phần|tiêu chí|tctp|tc|lĩnh vực|phần|mục)\s*)?(?:(\d{1,3}(?:\.\d{1,3})+)\.?\s+|(\d{1,3}|[IVX]{1,5}|[A-ZĐ]|[a-zđ])\s*[.):\-–]\s*|([-+•*–])\s*)(.*)$",
        )
        .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let c = re.captures(title)?;
    let token = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().to_string();
    Some((
        token,
        c.get(4).map_or("", |m| m.as_str()).trim().to_string(),
    ))
}

impl State {
    fn remark(&mut self, rec: &Rec) {
        let text: Vec<&str> = [rec.code.as_str(), &rec.title, &rec.evidence, &rec.guide]
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if !text.is_empty() {
            let text = text.join(" ");
            self.text_bytes += std::mem::size_of::<(usize, String)>() + text.len();
            self.remarks.push((rec.row, text));
        }
    }

    fn note(&mut self, row: usize, vi: String, text: String) {
        self.notes.push(Note { row, text, vi });
    }

    fn row(&mut self, rec: &Rec) {
        let folded = fold(&format!("{} {}", rec.code, rec.title));
        let folded = folded.trim_start_matches(|c: char| !c.is_alphabetic());
        if is_total(folded) {
            if let Some(p) = points(&rec.max_text) {
                self.total = Some((rec.row, p));
            }
            return;
        }
        if ["ghi chu", "luu y", "chu thich", "chu y"]
            .iter()
            .any(|w| folded.starts_with(w))
        {
            self.in_notes = true;
            self.remark(rec);
            return;
        }
        let (code, title) = self.code_of(rec);
        if code != Code::None && code != Code::Detail {
            self.in_notes = false;
        }
        if matches!(
            code,
            Code::Section | Code::Roman(_) | Code::None | Code::Dotted(_)
        ) && fold(&title).contains("diem tru")
            && !(self.deductions && points(&rec.max_text).is_some() && code != Code::Section)
        {
            self.deductions = true;
            return;
        }
        match code {
            Code::Section => {}
            Code::Roman(n) if !self.deductions => {
                self.area = Some((n, true));
                self.criterion_local = None;
                self.add(rec, n.to_string(), Level::Area, title);
            }
            Code::Dotted(parts) if !self.deductions => self.dotted(rec, parts, title),
            Code::Roman(_) | Code::Dotted(_) | Code::None | Code::Detail
                if self.deductions && points(&rec.max_text).is_some() =>
            {
                let n = self
                    .nodes
                    .iter()
                    .filter(|n| n.level == Level::Deduction)
                    .count()
                    + 1;
                self.add(rec, format!("DT.{n}"), Level::Deduction, title);
            }
            _ if self.in_notes => self.remark(rec),
            // "(*) TLKC phải là văn bản điện tử có chữ ký số": a rule for the whole table.
            Code::None
                if rec.max_text.trim().is_empty() && draft::general_signature(&title).is_some() =>
            {
                self.remark(rec)
            }
            _ => self.continuation(rec, &title),
        }
    }

    /// The code (code column first, else leading the title) and the title without it.
    fn code_of(&self, rec: &Rec) -> (Code, String) {
        let from_title = leading_code(&rec.title);
        if !rec.code.trim().is_empty() {
            let code = classify(&rec.code);
            let title = match &from_title {
                Some((t, rest)) if classify(t) == code => rest.clone(),
                _ => rec.title.clone(),
            };
            return (code, title);
        }
        match from_title {
            Some((t, rest)) => (classify(&t), rest),
            None => (Code::None, rec.title.clone()),
        }
    }

    fn dotted(&mut self, rec: &Rec, mut parts: Vec<u32>, title: String) {
        let roman_area = self.area.filter(|(_, roman)| *roman).map(|(n, _)| n);
        let global: Vec<u32> = match roman_area {
            Some(a) if parts.len() == 1 => {
                self.local_style = true;
                self.criterion_local = parts.first().copied();
                vec![a, parts[0]]
            }
            Some(a) if self.local_style && parts.len() == 2 => vec![a, parts[0], parts[1]],
            Some(a) if parts[0] == a => parts,
            Some(a) => {
                self.note(
                    rec.row,
                    format!(
                        "mã {} không thuộc lĩnh vực {a} ở trên; đọc thành {a}.{}",
                        join(&parts),
                        join(&parts)
                    ),
                    format!(
                        "code {} does not belong to area {a} above it; read as {a}.{}",
                        join(&parts),
                        join(&parts)
                    ),
                );
                std::iter::once(a).chain(parts).collect()
            }
            None => {
                if parts.len() == 1 {
                    self.area = Some((parts[0], false));
                }
                parts.clone()
            }
        };
        parts = global;
        if rec.code_was_number {
            self.unmangle(&mut parts);
        }
        let level = match parts.len() {
            1 => Level::Area,
            2 => Level::Criterion,
            3 => Level::Sub,
            _ => {
                self.note(
                    rec.row,
                    format!(
                        "{}: cấp thứ tư; nội dung được gộp vào {}",
                        join(&parts),
                        join(&parts[..3])
                    ),
                    format!(
                        "{}: a fourth level; its text is kept with {}",
                        join(&parts),
                        join(&parts[..3])
                    ),
                );
                return self.continuation(rec, &format!("{} {}", join(&parts), title));
            }
        };
        self.add(rec, join(&parts), level, title);
    }

    /// Excel stores "1.10" as the number 1.1: after sibling 1.9, read 1.1 as 1.10.
    fn unmangle(&mut self, parts: &mut [u32]) {
        let Some((last, head)) = parts.split_last_mut() else {
            return;
        };
        let prefix = join(head);
        let prev = self
            .nodes
            .iter()
            .rev()
            .filter(|n| parent(&n.id) == prefix && !prefix.is_empty())
            .find_map(|n| n.id.rsplit('.').next().and_then(|s| s.parse::<u32>().ok()));
        if let Some(p) = prev {
            if p >= 9 && *last * 10 == p + 1 {
                *last *= 10;
            }
        }
    }

    fn add(&mut self, rec: &Rec, mut id: String, level: Level, title: String) {
        if level == Level::Sub || level == Level::Criterion {
            self.ensure_parent(rec.row, &id, level);
        }
        if let Some(&first) = self.index.get(&id) {
            let was = self.nodes[first].row;
            self.note(
                rec.row,
                format!("{id} trùng dòng {was}; giữ thành {id}~r{}", rec.row),
                format!("{id} repeats row {was}; kept as {id}~r{}", rec.row),
            );
            id = format!("{id}~r{}", rec.row);
        }
        let mut max = points(&rec.max_text).map(f64::abs);
        if max.is_none() && !rec.max_text.trim().is_empty() {
            self.note(
                rec.row,
                format!(
                    "{id}: điểm tối đa \"{}\" không phải là số",
                    rec.max_text.trim()
                ),
                format!("{id}: maximum \"{}\" is not a number", rec.max_text.trim()),
            );
            max = None;
        }
        self.index.insert(id.clone(), self.nodes.len());
        self.text_bytes +=
            std::mem::size_of::<Node>() + title.len() + rec.evidence.len() + rec.guide.len();
        self.nodes.push(Node {
            id,
            level,
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            max_points: max,
            row: rec.row,
            evidence: rec.evidence.clone(),
            guide: rec.guide.clone(),
            draft: None,
        });
    }

    fn ensure_parent(&mut self, row: usize, id: &str, level: Level) {
        let p = parent(id).to_string();
        if p.is_empty() || self.index.contains_key(&p) {
            return;
        }
        let plevel = if level == Level::Sub {
            Level::Criterion
        } else {
            Level::Area
        };
        if plevel == Level::Criterion {
            self.ensure_parent(row, &p, Level::Criterion);
        }
        self.note(
            row,
            format!("{id} không có dòng cho mục cha {p}: đã thêm {p} không tên, không điểm"),
            format!("{id} has no row for its parent {p}: added one without title or points"),
        );
        self.index.insert(p.clone(), self.nodes.len());
        self.nodes.push(Node {
            id: p,
            level: plevel,
            title: String::new(),
            max_points: None,
            row,
            evidence: String::new(),
            guide: String::new(),
            draft: None,
        });
    }

    /// A row without a code of its own: more text for the unit above.
    fn continuation(&mut self, rec: &Rec, title: &str) {
        let Some(last) = self.nodes.last_mut() else {
            if !title.trim().is_empty() {
                self.note(
                    rec.row,
                    format!("\"{}\" đứng trước mọi dòng có mã: bỏ qua", short(title)),
                    format!(
                        "\"{}\" comes before any numbered row: skipped",
                        short(title)
                    ),
                );
            }
            return;
        };
        let before = last.guide.len() + last.evidence.len();
        append(&mut last.guide, title);
        append(&mut last.evidence, &rec.evidence);
        append(&mut last.guide, &rec.guide);
        self.text_bytes += last.guide.len() + last.evidence.len() - before;
    }

    /// Sub-criteria against their criterion, criteria against their area, areas against the total.
    fn check_sums(&mut self) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let mut sums: HashMap<String, f64> = HashMap::new();
        for n in self.nodes.iter().filter(|n| n.level != Level::Deduction) {
            let p = parent(&n.id);
            if !p.is_empty() {
                *sums.entry(p.to_string()).or_default() += n.max_points.unwrap_or(0.0);
            }
        }
        let mut blank = Vec::new();
        for n in &self.nodes {
            let Some(&sum) = sums.get(&n.id) else {
                continue;
            };
            match n.max_points {
                Some(stated) if (stated - sum).abs() > 1e-6 => out.push(Mismatch {
                    id: n.id.clone(),
                    row: n.row,
                    stated,
                    sum,
                }),
                Some(_) => {}
                None => blank.push((n.row, n.id.clone(), sum)),
            }
        }
        for (row, id, sum) in blank {
            self.note(
                row,
                format!("{id}: bảng không ghi điểm tối đa; các phần cộng lại {sum}"),
                format!("{id}: no maximum in the table; its children add up to {sum}"),
            );
        }
        if let Some((row, stated)) = self.total {
            let sum: f64 = self
                .nodes
                .iter()
                .filter(|n| n.level == Level::Area)
                .filter_map(|n| n.max_points)
                .sum();
            if (stated - sum).abs() > 1e-6 {
                out.push(Mismatch {
                    id: "total".into(),
                    row,
                    stated,
                    sum,
                });
            }
        }
        out
    }
}

/// "Tổng cộng", "Tổng số điểm", "Cộng" — but not "Công tác…" (folded alike).
fn is_total(folded: &str) -> bool {
    let first = folded.split([' ', ':']).next().unwrap_or("");
    first == "tong"
        || (first == "cong"
            && !folded[4..]
                .trim_start_matches([' ', ':'])
                .starts_with(char::is_alphabetic))
}

fn join(parts: &[u32]) -> String {
    parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    s.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_points_as_written() {
        assert_eq!(points("0,5"), Some(0.5));
        assert_eq!(points("1.5"), Some(1.5));
        assert_eq!(points("10 điểm"), Some(10.0));
        assert_eq!(points("-1"), Some(1.0));
        assert_eq!(points("(−0,25)"), Some(0.25));
        assert_eq!(points(""), None);
        assert_eq!(points("x"), None);
    }

    #[test]
    fn total_rows_but_not_cong_tac() {
        assert!(is_total("tong cong"));
        assert!(is_total("cong"));
        assert!(is_total("cong: 100"));
        assert!(!is_total("cong tac chi dao"));
        assert!(!is_total("cong khai tthc"));
    }

    #[test]
    fn codes_leading_titles() {
        assert_eq!(
            leading_code("1.1.1. Ban hành kế hoạch")
                .map(|x| x.0)
                .as_deref(),
            Some("1.1.1")
        );
        assert_eq!(
            leading_code("TCTP 2.1 Báo cáo").map(|x| x.0).as_deref(),
            Some("2.1")
        );
        assert_eq!(
            leading_code("II. CÔNG TÁC").map(|x| x.0).as_deref(),
            Some("II")
        );
        assert_eq!(
            leading_code("a) Ban hành đúng hạn").map(|x| x.0).as_deref(),
            Some("a")
        );
        assert_eq!(leading_code("Ban hành kế hoạch"), None);
        assert_eq!(classify("VIII"), Code::Roman(8));
        assert_eq!(classify("1.2."), Code::Dotted(vec![1, 2]));
        assert_eq!(classify("B"), Code::Section);
        assert_eq!(classify("b"), Code::Detail);
    }
}
