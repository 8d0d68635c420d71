//! Evidence requirements drafted from a unit's TLKC text, read the way a
//! person reads it (docs/rules.md, "How requirement text is read"):
//!
//! * diacritics are kept where they carry meaning: "quý" (quarter) is not
//!   "quy" (quy định, quy chế, quy trình); "năm" is a period only in a list
//!   of periods ("quý I, 6 tháng, quý III và năm"), never in "hằng năm" or
//!   "năm 2024". A cell written without any diacritics is read folded;
//! * a document kind counts only where a document is named as evidence: at
//!   the start of a clause, after "có"/"ban hành"/a label, or joined to
//!   another named document by ","/"và". Inside a sentence ("đúng hướng dẫn
//!   của…", "theo quy chế…", "kết quả thực hiện kế hoạch"), in a parenthesis
//!   ("(kèm phụ lục…)") or after "Quyết định ban hành …" it names what a
//!   document is about, not a document to file;
//! * ";" and "." separate documents only when the next clause names one; a
//!   clause that does not ("gửi Sở Nội vụ…", "chậm nhất ngày 14…", "bản điện
//!   tử có chữ ký số") qualifies the document before it;
//! * "(hoặc X)", "hoặc", "/" between kinds: one requirement, several types;
//! * a cell labelled "Yêu cầu: …" and "TLKC: …" names its documents in the
//!   TLKC part only; the Yêu cầu part (and the scoring guide) may give their
//!   deadline.
//!
//! Everything drafted is marked inferred with the sentence it came from,
//! for a person to confirm.

use std::sync::OnceLock;

use regex::Regex;

use crate::rules::model::SignatureRule;
use crate::rules::period::Period;
use crate::text::{fold, nfc};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// Scored from system data: the sentence that says so.
    pub system: Option<String>,
    pub reqs: Vec<DraftReq>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftReq {
    pub id: String,
    pub title: String,
    /// Decree 30 abbreviations ("CV" = công văn), alternatives of one
    /// requirement ("Báo cáo (hoặc Công văn)" → BC, CV); empty = any type.
    pub types: Vec<&'static str>,
    pub title_patterns: Vec<String>,
    pub periods: Vec<Period>,
    pub deadline: Option<DraftDeadline>,
    /// What the text says about signing; `None` = it says nothing (the
    /// ruleset's `[defaults]` apply).
    pub signature: Option<SignatureRule>,
    /// The sentence(s) it was drafted from.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DraftDeadline {
    /// Last allowed day; `year_offset` is relative to the evaluated year
    /// ("năm trước" = -1), `None` year = as written.
    Fixed {
        day: u32,
        month: u32,
        year: Option<i32>,
        year_offset: i32,
    },
    /// Day of each period's last month (inclusive).
    PeriodDay(u32),
}

/// Document kinds as written (lower case, with diacritics): (words,
/// Decree 30 abbreviation or "" for none, id slug). Longer names first.
const KINDS: &[(&str, &str, &str)] = &[
    ("thông báo kết luận", "TB", "thong-bao-ket-luan"),
    ("kế hoạch", "KH", "ke-hoach"),
    ("báo cáo", "BC", "bao-cao"),
    ("quyết định", "QĐ", "quyet-dinh"),
    ("thông báo", "TB", "thong-bao"),
    ("tờ trình", "TTr", "to-trinh"),
    ("công văn", "CV", "cong-van"),
    ("chương trình", "CTr", "chuong-trinh"),
    ("hướng dẫn", "HD", "huong-dan"),
    ("biên bản", "BB", "bien-ban"),
    ("phương án", "PA", "phuong-an"),
    ("đề án", "ĐA", "de-an"),
    ("chỉ thị", "CT", "chi-thi"),
    ("nghị quyết", "NQ", "nghi-quyet"),
    ("quy chế", "QC", "quy-che"),
    ("quy định", "QyĐ", "quy-dinh"),
    ("giấy mời", "GM", "giay-moi"),
    ("công điện", "CĐ", "cong-dien"),
    ("kết luận", "", "ket-luan"),
    // Any type: "Văn bản chỉ đạo, đôn đốc".
    ("văn bản", "", "van-ban"),
];

/// Abbreviations written in tables ("BC CCHC quý", "QĐ kiện toàn"), case-sensitive.
const ABBREVS: &[(&str, &str)] = &[
    ("BC", "báo cáo"),
    ("KH", "kế hoạch"),
    ("QĐ", "quyết định"),
    ("QD", "quyết định"),
    ("CV", "công văn"),
    ("TB", "thông báo"),
    ("TTr", "tờ trình"),
    ("CTr", "chương trình"),
    ("BB", "biên bản"),
    ("NQ", "nghị quyết"),
];

const GENERIC: usize = KINDS.len() - 1;
/// Requirements drafted per unit: a real unit names a handful; a hostile cell
/// must not make thousands (each read against every later clause).
const MAX_REQS: usize = 64;
/// Qualifying clauses kept per requirement, and its source's length.
const MAX_QUALS: usize = 16;
const MAX_SOURCE: usize = 2_000;
/// What a decision issues or approves ("Quyết định ban hành Kế hoạch …"):
/// such a kind after it is the decision's subject, not a second document.
const ISSUABLE: &[&str] = &["KH", "QC", "QyĐ", "CTr", "ĐA", "PA", "HD", "CT"];
const KET_LUAN: usize = KINDS.len() - 2;

/// Words saying the unit is scored from system data, not documents.
const SYSTEM_STRONG: &[&str] = &[
    "dieu tra xa hoi hoc",
    "so lieu tren he thong",
    "trich xuat",
    "theo so lieu",
    "can cu so lieu",
];
const SYSTEM_WEAK: &[&str] = &["so lieu", "he thong"];

/// The patterns, compiled once for text with diacritics and once, folded,
/// for text written without any.
struct Lex {
    ascii: bool,
    kind: Regex,
    /// Words a clause may begin with before the document it names.
    lead: Regex,
    /// "Quyết định ban hành", "UBND huyện ban hành": the verb before a document.
    issue_verb: Regex,
    label: Regex,
    period_day: Regex,
    fixed: Regex,
    within: Regex,
    quarter: Regex,
    more_quarter: Regex,
    half: Regex,
    nine: Regex,
    every_quarter: Regex,
    every_month: Regex,
    bare_quarter: Regex,
    year_word: Regex,
    periodic: Regex,
    yearly: Regex,
    sign: Regex,
    sign_both: Regex,
    sign_not: Regex,
    electronic: Regex,
    general: Regex,
}

fn re(src: &str, ascii: bool) -> Regex {
    let src = if ascii { fold(src) } else { src.to_string() };
    Regex::new(&src).unwrap_or_else(|e| unreachable!("static regex: {e}"))
}

const TRIGGER: &str =
    r"(trước|chậm nhất(?: là| vào| đến)?|hạn cuối(?: là)?|không muộn hơn|không quá|đến hết|đến)";
const YEAR_REL: &str = r"(?: (?:của )?năm (trước liền kề|liền trước|trước năm đánh giá|trước|sau|kế tiếp|liền kề|tiếp theo))?";

impl Lex {
    fn get(ascii: bool) -> &'static Lex {
        static VI: OnceLock<Lex> = OnceLock::new();
        static ASCII: OnceLock<Lex> = OnceLock::new();
        let cell = if ascii { &ASCII } else { &VI };
        cell.get_or_init(|| Lex::new(ascii))
    }

    fn new(ascii: bool) -> Lex {
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
        Lex {
            ascii,
            kind: re(&format!(r"\b(?:{})\b", kinds.join("|")), ascii),
            lead: re(
                r"^(?:\s+|[-+•*–—.:;,]+|\(?\d{1,2}[).]|\(?[a-zđ]\)|(?:tlkc|tài liệu kiểm chứng|tài liệu minh chứng|hồ sơ minh chứng|minh chứng|gồm|gồm có|là|có|các|những|bản|một|đủ|đầy đủ|ban hành|xây dựng|gửi|lập|\d{1,3}|sao y|bản sao)\b)*$",
                ascii,
            ),
            issue_verb: re(r"\b(?:ban hành|xây dựng|có|gửi|lập)\s*$", ascii),
            label: re(
                r"(?:^|\n|[;.]\s)[\s\-+•*–]*(yêu cầu|tlkc|tài liệu kiểm chứng|tài liệu minh chứng|hồ sơ minh chứng|minh chứng|cách tính điểm|cách chấm điểm|cách chấm|hướng dẫn chấm điểm|ghi chú)\s*:",
                ascii,
            ),
            period_day: re(
                &format!(
                    r"(?:{TRIGGER} )?ngày (\d{{1,2}}) (?:(?:của |trong )?(?:các |mỗi )?tháng cuối (?:cùng )?(?:của )?(?:mỗi |các |từng )?(kỳ|kì|quý)(?: báo cáo)?|(hằng tháng|hàng tháng|mỗi tháng|của tháng báo cáo))"
                ),
                ascii,
            ),
            fixed: re(
                &format!(
                    r"{TRIGGER} (?:ngày )?(\d{{1,2}}) ?(?:/|-|\.| tháng ) ?(\d{{1,2}})\b(?: ?(?:/|-|\.| năm ) ?(\d{{4}}))?{YEAR_REL}"
                ),
                ascii,
            ),
            within: re(
                &format!(
                    r"(?:trong|hết|trước khi kết thúc|trước hết) (?:(?:quý|qúy) (iv|iii|ii|i|[1-4])\b|tháng (\d{{1,2}})\b|(6|sáu) tháng đầu năm){YEAR_REL}"
                ),
                ascii,
            ),
            quarter: re(r"\b(?:quý|qúy) (iv|iii|ii|i|[1-4])\b", ascii),
            more_quarter: re(r"^\s*(?:,|và|/|-)\s*(iv|iii|ii|i)\b", ascii),
            half: re(r"\b(?:6|sáu) tháng(?: (đầu|cuối) năm)?\b", ascii),
            nine: re(r"\b(?:9|chín) tháng(?: đầu năm)?\b", ascii),
            every_quarter: re(
                r"\b(?:hằng|hàng|mỗi|các|theo|từng|định kỳ hằng|định kỳ hàng) (?:quý|qúy)\b",
                ascii,
            ),
            every_month: re(
                r"\b(?:hằng|hàng|mỗi|theo|từng|định kỳ hằng|định kỳ hàng) tháng\b",
                ascii,
            ),
            bare_quarter: re(r"\b(?:quý|qúy)\b", ascii),
            year_word: re(r"\b(?:cả )?năm\b", ascii),
            periodic: re(r"\bđịnh kỳ\b", ascii),
            yearly: re(r"\b(?:hằng|hàng|mỗi) năm\b", ascii),
            sign: re(r"\b(?:chữ ký số|ký số|ký điện tử|chữ ký điện tử)\b", ascii),
            sign_both: re(
                r"(?:người có thẩm quyền|cá nhân|lãnh đạo)[^.;]{0,30}\b(?:và|cùng)\b[^.;]{0,20}\b(?:cơ quan|tổ chức|đơn vị)|(?:cơ quan|tổ chức)[^.;]{0,30}\b(?:và|cùng)\b[^.;]{0,20}\b(?:cá nhân|người có thẩm quyền)",
                ascii,
            ),
            sign_not: re(
                r"\bkhông (?:cần|bắt buộc|yêu cầu|phải)(?: có| được| phải)? (?:chữ )?ký số\b",
                ascii,
            ),
            electronic: re(r"\b(?:văn bản|bản) điện tử\b", ascii),
            general: re(
                r"\b(?:tlkc|tài liệu kiểm chứng|tài liệu minh chứng|minh chứng|các văn bản|tất cả|văn bản điện tử)\b",
                ascii,
            ),
        }
    }
}

/// NFC, runs of spaces and tabs made one space (lines kept).
fn norm(s: &str) -> String {
    let s = nfc(s);
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// Lower case, char by char, keeping every byte offset (Vietnamese letters
/// have the same UTF-8 length in both cases).
fn lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        })
        .collect()
}

/// A piece of text kept twice: as written (NFC) and lower-cased, offsets shared.
#[derive(Clone)]
struct Text {
    orig: String,
    low: String,
}

impl Text {
    fn new(s: &str, lex: &Lex) -> Text {
        let _ = lex;
        let orig = norm(s);
        let low = lower(&orig);
        Text { orig, low }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    /// Names a document to file.
    Doc,
    /// Another accepted type of the document before it.
    Alt,
    /// Names what something is about: no document.
    Ref,
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    kind: usize,
    status: Status,
}

/// Every kind named in a clause, with its status.
fn mentions(t: &Text, lex: &Lex) -> Vec<Mention> {
    let mut raw: Vec<(usize, usize, usize)> = Vec::new();
    let kinds_low: Vec<String> = KINDS
        .iter()
        .map(|k| {
            if lex.ascii {
                fold(k.0)
            } else {
                k.0.to_string()
            }
        })
        .collect();
    for m in lex.kind.find_iter(&t.low) {
        let Some(k) = kinds_low.iter().position(|w| w == m.as_str()) else {
            continue;
        };
        // "văn bản điện tử", "văn bản giấy": a form, not a document.
        let rest = &t.low[m.end()..];
        if k == GENERIC
            && [" điện tử", " dien tu", " giấy", " giay", " scan"]
                .iter()
                .any(|w| rest.starts_with(w))
        {
            continue;
        }
        raw.push((m.start(), m.end(), k));
    }
    for (start, end, word) in abbreviations(&t.orig) {
        if raw.iter().any(|(s, e, _)| start < *e && end > *s) {
            continue;
        }
        let Some(k) = KINDS.iter().position(|k| k.0 == word) else {
            continue;
        };
        raw.push((start, end, k));
    }
    raw.sort();
    let parens = parens(&t.low);
    let all_upper = !t.orig.chars().any(char::is_lowercase);
    let mut out: Vec<Mention> = Vec::new();
    for (start, _, kind) in raw {
        let counted_before = out.iter().any(|m| m.status == Status::Doc);
        let status =
            if let Some((open, close)) = parens.iter().find(|(o, c)| start > *o && start < *c) {
                let inside = t.low[open + 1..*close].trim_start();
                let alternative = inside.starts_with("hoặc")
                    || inside.starts_with("hoac")
                    || inside.starts_with("hay")
                    || kinds_only(&t.low[open + 1..*close], lex);
                let doc_before = out
                    .iter()
                    .rev()
                    .find(|m| m.start < *open)
                    .is_some_and(|m| m.status != Status::Ref);
                if alternative && doc_before {
                    Status::Alt
                } else {
                    Status::Ref
                }
            } else {
                let before = &t.low[..start];
                let before_t = before.trim_end();
                let connector = connector(before_t);
                let last = out.last().copied();
                if lex.lead.is_match(before) {
                    Status::Doc
                } else if let (Some(c), Some(last)) = (connector, last) {
                    let alternative = matches!(c, Connector::Or);
                    match last.status {
                        Status::Doc | Status::Alt if alternative => Status::Alt,
                        Status::Doc | Status::Alt => Status::Doc,
                        Status::Ref => {
                            // "… thực hiện kế hoạch và Báo cáo …": a capital names a new document,
                            // unless a decision issues the whole list.
                            let capital = t.orig[start..]
                                .chars()
                                .next()
                                .is_some_and(char::is_uppercase);
                            let issued = out
                                .iter()
                                .rev()
                                .find(|m| m.status == Status::Doc)
                                .is_some_and(|m| KINDS[m.kind].1 == "QĐ")
                                && ISSUABLE.contains(&KINDS[kind].1);
                            if capital && !all_upper && !alternative && !issued {
                                Status::Doc
                            } else {
                                Status::Ref
                            }
                        }
                    }
                } else if !counted_before && lex.issue_verb.is_match(before) {
                    Status::Doc
                } else {
                    Status::Ref
                }
            };
        out.push(Mention {
            start,
            kind,
            status,
        });
    }
    out
}

/// "BC", "KH", "QĐ" standing alone (not inside "45/KH-UBND" or "TC-KH").
fn abbreviations(orig: &str) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    let mut start = None;
    let bytes_end = orig.len();
    let is_sep = |c: char| c.is_whitespace() || "(),;:.".contains(c);
    let mut push = |s: usize, e: usize| {
        let tok = &orig[s..e];
        if let Some((_, word)) = ABBREVS.iter().find(|(a, _)| *a == tok) {
            out.push((s, e, *word));
        }
    };
    for (i, c) in orig.char_indices() {
        if is_sep(c) {
            if let Some(s) = start.take() {
                push(s, i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push(s, bytes_end);
    }
    out
}

/// Top-level parentheses: (open, close) byte offsets; an unclosed one runs to the end.
fn parens(low: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, c) in low.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push((open, i));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        out.push((open, low.len()));
    }
    out
}

/// "(Quyết định, Kế hoạch hoặc Công văn)": nothing but kinds and separators.
fn kinds_only(inside: &str, lex: &Lex) -> bool {
    let rest = lex.kind.replace_all(inside, " ");
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    lex.kind.is_match(inside)
        && words
            .iter()
            .all(|w| ["và", "hoặc", "hoac", "va", "hay"].contains(w))
}

enum Connector {
    And,
    Or,
}

fn connector(before: &str) -> Option<Connector> {
    if before.ends_with(',') || before.ends_with('+') || before.ends_with('&') {
        return Some(Connector::And);
    }
    if before.ends_with('/') {
        return Some(Connector::Or);
    }
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    match last {
        "và" | "va" | "cùng" => Some(Connector::And),
        "hoặc" | "hoac" | "hay" => Some(Connector::Or),
        _ => None,
    }
}

/// Lines, ";" and sentence ends ". X".
fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut depth = 0i32;
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let sentence_end = c == '.'
                && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
                && next.is_some_and(|n| n.is_uppercase() || "-+•*–".contains(*n));
            if (c == ';' && depth <= 0) || sentence_end {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            cur.push(c);
        }
        out.push(cur);
    }
    out.into_iter()
        .map(|s| {
            s.trim()
                .trim_end_matches(['.', ',', ';', ':'])
                .trim()
                .to_string()
        })
        .filter(|s| s.chars().any(char::is_alphabetic))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Plain,
    /// "Yêu cầu:": what is asked (deadlines), not the documents.
    Ask,
    /// "TLKC:", "Tài liệu kiểm chứng:": the documents.
    Evidence,
    /// "Cách tính điểm:", "Ghi chú:": scoring text.
    Score,
}

/// A cell split at its labels.
fn parts(text: &str, lex: &Lex) -> Vec<(Part, String)> {
    let low = lower(text);
    let mut marks: Vec<(usize, usize, Part)> = Vec::new();
    for c in lex.label.captures_iter(&low) {
        let (Some(all), Some(word)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let w = fold(word.as_str());
        let part = if w == "yeu cau" {
            Part::Ask
        } else if w.starts_with("cach") || w.starts_with("huong dan") || w == "ghi chu" {
            Part::Score
        } else {
            Part::Evidence
        };
        marks.push((word.start(), all.end(), part));
    }
    let mut out = Vec::new();
    let mut from = 0;
    let mut part = Part::Plain;
    for (start, end, p) in marks {
        out.push((part, text[from..start].to_string()));
        part = p;
        from = end;
    }
    out.push((part, text[from..].to_string()));
    out.retain(|(_, s)| s.chars().any(char::is_alphabetic));
    out
}

/// A requirement being built: its own phrase and the clauses that qualify it.
struct Building {
    kinds: Vec<usize>,
    title: String,
    own: Text,
    quals: Vec<Text>,
    source: String,
}

pub fn draft(evidence: &str, guide: &str) -> Draft {
    let ascii = !evidence.chars().chain(guide.chars()).any(|c| !c.is_ascii());
    let lex = Lex::get(ascii);
    let evidence = norm(evidence);
    let guide = norm(guide);
    let cell = parts(&evidence, lex);
    let labelled = cell.iter().any(|(p, _)| *p == Part::Evidence);
    let mut doc_text: Vec<String> = Vec::new();
    let mut context: Vec<String> = Vec::new();
    for (p, s) in &cell {
        match p {
            Part::Evidence => doc_text.push(s.clone()),
            Part::Plain if !labelled => doc_text.push(s.clone()),
            Part::Plain | Part::Ask => context.push(s.clone()),
            Part::Score => {}
        }
    }
    let mut building: Vec<Building> = Vec::new();
    // Clauses before any document: they speak about the whole cell.
    let mut orphans: Vec<Text> = Vec::new();
    let mut general_sign: Option<(SignatureRule, String)> = None;
    for text in &doc_text {
        let mut last_group: Option<(usize, usize)> = None;
        for clause in clauses(text) {
            let t = Text::new(&clause, lex);
            let ms = mentions(&t, lex);
            let docs: Vec<usize> = ms
                .iter()
                .enumerate()
                .filter(|(_, m)| m.status == Status::Doc)
                .map(|(i, _)| i)
                .collect();
            if docs.is_empty() {
                if lex.general.is_match(&t.low) || last_group.is_none() {
                    if let Some(rule) = signature_of(&t.low, lex) {
                        general_sign.get_or_insert((rule, clause.clone()));
                    }
                }
                match last_group {
                    Some((a, b)) => {
                        for r in &mut building[a..b] {
                            if r.quals.len() < MAX_QUALS {
                                r.quals.push(t.clone());
                            }
                            if r.source.len() < MAX_SOURCE {
                                r.source = format!("{}; {}", r.source, clause);
                            }
                        }
                    }
                    None => orphans.push(t),
                }
                continue;
            }
            let first = building.len();
            for (k, &i) in docs.iter().enumerate() {
                if building.len() >= MAX_REQS {
                    break;
                }
                let start = ms[i].start;
                let end = docs.get(k + 1).map_or(t.orig.len(), |&j| ms[j].start);
                let mut kinds = vec![ms[i].kind];
                for m in &ms[i + 1..] {
                    if m.start >= end {
                        break;
                    }
                    if m.status == Status::Alt && !kinds.contains(&m.kind) {
                        kinds.push(m.kind);
                    }
                }
                let own = Text {
                    orig: t.orig[start..end].to_string(),
                    low: t.low[start..end].to_string(),
                };
                let title = own
                    .orig
                    .trim()
                    .trim_end_matches([',', ';', ':', '.', '-', '+', '/'])
                    .trim_end()
                    .trim_end_matches(" và")
                    .trim_end_matches(" hoặc")
                    .trim()
                    .to_string();
                building.push(Building {
                    kinds,
                    title,
                    own,
                    quals: Vec::new(),
                    source: clause.chars().take(MAX_SOURCE).collect(),
                });
            }
            last_group = Some((first, building.len()));
        }
    }
    let mut d = Draft::default();
    for b in &building {
        d.reqs.push(requirement(b, lex, general_sign.as_ref()));
    }
    number_ids(&mut d.reqs);
    // Deadlines given apart from the documents: the Yêu cầu part, clauses
    // before the first document, then the scoring guide.
    let mut ctx_texts: Vec<String> = context;
    ctx_texts.extend(orphans.iter().map(|t| t.orig.clone()));
    apply_context(&mut d.reqs, &ctx_texts, lex, true);
    apply_context(&mut d.reqs, std::slice::from_ref(&guide), lex, false);
    if d.reqs.is_empty() {
        let all = fold(&format!("{evidence} {guide}"));
        let strong = SYSTEM_STRONG.iter().any(|w| all.contains(w));
        let weak = SYSTEM_WEAK.iter().any(|w| all.contains(w));
        if strong || weak {
            let words: Vec<&str> = SYSTEM_STRONG.iter().chain(SYSTEM_WEAK).copied().collect();
            let sentences: Vec<String> = clauses(&evidence)
                .into_iter()
                .chain(clauses(&guide))
                .collect();
            let source = sentences
                .iter()
                .find(|s| words.iter().any(|w| fold(s).contains(w)))
                .or_else(|| sentences.first())
                .cloned()
                .unwrap_or_else(|| guide.trim().to_string());
            d.system = Some(source);
            return d;
        }
        let text = doc_text.join("\n");
        d.reqs.push(DraftReq {
            id: "tai-lieu".into(),
            title: "Tài liệu kiểm chứng (ít nhất một văn bản)".into(),
            types: Vec::new(),
            title_patterns: Vec::new(),
            periods: Vec::new(),
            deadline: None,
            signature: general_sign.map(|(r, _)| r),
            source: if text.trim().is_empty() {
                "(bảng không ghi tài liệu kiểm chứng)".into()
            } else {
                text.trim().chars().take(300).collect()
            },
        });
    }
    d
}

fn requirement(b: &Building, lex: &Lex, general: Option<&(SignatureRule, String)>) -> DraftReq {
    let mut types: Vec<&'static str> = Vec::new();
    let mut any_type = false;
    for (i, &k) in b.kinds.iter().enumerate() {
        match KINDS[k].1 {
            "" if k == KET_LUAN => {}
            // "Văn bản chỉ đạo (Quyết định, Kế hoạch hoặc Công văn)": the list says which;
            // "Báo cáo (hoặc văn bản khác)": any type.
            "" if i == 0 && b.kinds.len() > 1 => {}
            "" => any_type = true,
            t if !types.contains(&t) => types.push(t),
            _ => {}
        }
    }
    if any_type {
        types.clear();
    }
    let first = b.kinds[0];
    let title_patterns = if first == KET_LUAN && types.is_empty() {
        vec!["kết luận".to_string()]
    } else {
        Vec::new()
    };
    // The document's own words first; what qualifies it after.
    let mut reading = b.own.clone();
    for q in &b.quals {
        reading.orig.push_str(" ; ");
        reading.orig.push_str(&q.orig);
        reading.low.push_str(" ; ");
        reading.low.push_str(&q.low);
    }
    let (deadline, hint, rest) = deadline_in(&reading.low, lex);
    let mut periods = periods_in(&rest, lex);
    if let Some(DraftDeadline::PeriodDay(_)) = deadline {
        if periods.is_empty() {
            periods = match hint {
                Hint::Quarter => Period::QUARTERS.to_vec(),
                Hint::Month => Period::MONTHS.to_vec(),
                Hint::Term => Period::PERIODIC.to_vec(),
            };
        }
    } else if periods.len() < 2 {
        // One period alone is not a series: any one document will do.
        periods.clear();
    }
    let signature = signature_of(&reading.low, lex).or(general.map(|g| g.0));
    let mut source = b.source.clone();
    if let Some((_, s)) = general {
        if signature_of(&reading.low, lex).is_none() && !source.contains(s.as_str()) {
            source = format!("{source}; {s}");
        }
    }
    DraftReq {
        id: KINDS[first].2.to_string(),
        title: title_of(&b.title),
        types,
        title_patterns,
        periods,
        deadline,
        signature,
        source,
    }
}

/// "ke-hoach", "ke-hoach-2", …
fn number_ids(reqs: &mut [DraftReq]) {
    let mut seen: Vec<String> = Vec::new();
    for r in reqs.iter_mut() {
        let n = seen.iter().filter(|s| **s == r.id).count();
        seen.push(r.id.clone());
        if n > 0 {
            r.id = format!("{}-{}", r.id, n + 1);
        }
    }
}

/// Deadlines (and signing) written apart from the documents: a clause naming a
/// kind gives that kind's deadline ("Kế hoạch ban hành trước ngày 31/12"),
/// one naming none gives the deadline of a unit's only document.
fn apply_context(reqs: &mut [DraftReq], texts: &[String], lex: &Lex, signing: bool) {
    let single = reqs.len() == 1;
    for text in texts {
        for clause in clauses(text) {
            let t = Text::new(&clause, lex);
            let kinds: Vec<&str> = mentions(&t, lex)
                .iter()
                .map(|m| KINDS[m.kind].1)
                .filter(|a| !a.is_empty())
                .collect();
            let (deadline, _, _) = deadline_in(&t.low, lex);
            let sign = if signing {
                signature_of(&t.low, lex)
            } else {
                None
            };
            for r in reqs.iter_mut() {
                let mine =
                    kinds.iter().any(|k| r.types.contains(k)) || issues_named(r, &kinds, lex);
                let applies = mine || (kinds.is_empty() && single);
                let mut used = false;
                if let Some(dl) = deadline {
                    let fits = !matches!(dl, DraftDeadline::PeriodDay(_)) || !r.periods.is_empty();
                    if r.deadline.is_none() && applies && fits {
                        r.deadline = Some(dl);
                        used = true;
                    }
                }
                if let Some(s) = sign {
                    if r.signature.is_none() && (mine || kinds.is_empty()) {
                        r.signature = Some(s);
                        used = true;
                    }
                }
                if used && r.source.len() < MAX_SOURCE && !r.source.contains(&clause) {
                    r.source = format!("{}; {clause}", r.source);
                }
            }
        }
    }
}

/// "Ban hành quy chế phối hợp trong quý I" speaks of the decision that
/// issues it: "Quyết định ban hành quy chế phối hợp".
fn issues_named(r: &DraftReq, kinds: &[&str], lex: &Lex) -> bool {
    if r.types != ["QĐ"] || kinds.is_empty() || !kinds.iter().all(|k| ISSUABLE.contains(k)) {
        return false;
    }
    let title = lower(&norm(&r.title));
    let title = if lex.ascii { fold(&title) } else { title };
    KINDS
        .iter()
        .filter(|(_, abbrev, _)| kinds.contains(abbrev))
        .any(|(word, _, _)| {
            let word = if lex.ascii {
                fold(word)
            } else {
                (*word).to_string()
            };
            title.contains(&word)
        })
}

fn title_of(s: &str) -> String {
    let t: String = s.chars().take(160).collect();
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => t,
    }
}

/// What a sentence says about digital signatures.
fn signature_of(low: &str, lex: &Lex) -> Option<SignatureRule> {
    if lex.sign_not.is_match(low) {
        return Some(SignatureRule::None);
    }
    if !lex.sign.is_match(low) {
        return None;
    }
    Some(if lex.sign_both.is_match(low) {
        SignatureRule::PersonAndOrganization
    } else {
        SignatureRule::Required
    })
}

/// A sentence of a title or note row stating the signature rule for all
/// evidence: "TLKC là văn bản điện tử có chữ ký số", "Tài liệu kiểm chứng
/// phải được ký số". `None` when the sentence is about something else.
pub fn general_signature(sentence: &str) -> Option<SignatureRule> {
    let ascii = sentence.is_ascii();
    let lex = Lex::get(ascii);
    let low = lower(&norm(sentence));
    let about_evidence = [
        "tlkc",
        "tài liệu kiểm chứng",
        "tai lieu kiem chung",
        "tài liệu minh chứng",
        "tai lieu minh chung",
        "minh chứng",
        "minh chung",
    ]
    .iter()
    .any(|w| low.contains(w));
    if !about_evidence {
        return None;
    }
    signature_of(&low, lex).or_else(|| {
        // "TLKC là văn bản điện tử" (Decree 30: an electronic document is a digitally signed one).
        lex.electronic
            .is_match(&low)
            .then_some(SignatureRule::Required)
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Hint {
    /// "tháng cuối kỳ": the Decree 09 periods.
    Term,
    Quarter,
    Month,
}

fn roman(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

fn days_in(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn year_rel(s: Option<&str>) -> i32 {
    match s {
        None => 0,
        Some(s) if s.contains("trước") || s.contains("truoc") => -1,
        Some(_) => 1,
    }
}

/// The first deadline in the text, what kind of period its "tháng cuối …"
/// names, and the text with every deadline phrase blanked (so "trong quý I"
/// or "tháng cuối quý" is not read as a period).
fn deadline_in(low: &str, lex: &Lex) -> (Option<DraftDeadline>, Hint, String) {
    let mut rest = low.to_string();
    let mut spans: Vec<(usize, usize, DraftDeadline, Hint)> = Vec::new();
    for c in lex.period_day.captures_iter(low) {
        let (Some(all), Some(day)) = (c.get(0), c.get(2)) else {
            continue;
        };
        let Ok(mut day) = day.as_str().parse::<u32>() else {
            continue;
        };
        if c.get(1)
            .is_some_and(|t| t.as_str() == "trước" || t.as_str() == "truoc")
        {
            day = day.saturating_sub(1);
        }
        let hint = match c.get(3).map(|m| m.as_str()) {
            Some("quý") | Some("quy") => Hint::Quarter,
            Some(_) => Hint::Term,
            None => Hint::Month,
        };
        if (1..=31).contains(&day) {
            spans.push((all.start(), all.end(), DraftDeadline::PeriodDay(day), hint));
        }
    }
    for c in lex.fixed.captures_iter(low) {
        let Some(all) = c.get(0) else { continue };
        if spans
            .iter()
            .any(|(s, e, _, _)| all.start() < *e && all.end() > *s)
        {
            continue;
        }
        let (Some(d), Some(m)) = (
            c.get(2).and_then(|x| x.as_str().parse::<u32>().ok()),
            c.get(3).and_then(|x| x.as_str().parse::<u32>().ok()),
        ) else {
            continue;
        };
        if !(1..=12).contains(&m) || !(1..=days_in(m).max(29)).contains(&d) {
            continue;
        }
        let mut year = c.get(4).and_then(|y| y.as_str().parse::<i32>().ok());
        let mut year_offset = year_rel(c.get(5).map(|x| x.as_str()));
        let (mut day, mut month) = (d, m);
        // "trước ngày X": the last allowed day is the day before X.
        if c.get(1)
            .is_some_and(|t| t.as_str() == "trước" || t.as_str() == "truoc")
        {
            if day > 1 {
                day -= 1;
            } else if month > 1 {
                month -= 1;
                day = days_in(month);
            } else {
                month = 12;
                day = 31;
                match year.as_mut() {
                    Some(y) => *y -= 1,
                    None => year_offset -= 1,
                }
            }
        }
        spans.push((
            all.start(),
            all.end(),
            DraftDeadline::Fixed {
                day,
                month,
                year,
                year_offset,
            },
            Hint::Term,
        ));
    }
    for c in lex.within.captures_iter(low) {
        let Some(all) = c.get(0) else { continue };
        if spans
            .iter()
            .any(|(s, e, _, _)| all.start() < *e && all.end() > *s)
        {
            continue;
        }
        let month = if let Some(q) = c.get(1) {
            roman(q.as_str()).map(|q| q * 3)
        } else if let Some(m) = c.get(2) {
            m.as_str()
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=12).contains(m))
        } else {
            Some(6)
        };
        let Some(month) = month else { continue };
        spans.push((
            all.start(),
            all.end(),
            DraftDeadline::Fixed {
                day: days_in(month),
                month,
                year: None,
                year_offset: year_rel(c.get(4).map(|x| x.as_str())),
            },
            Hint::Term,
        ));
    }
    spans.sort_by_key(|s| s.0);
    for (s, e, _, _) in &spans {
        rest.replace_range(*s..*e, &" ".repeat(e - s));
    }
    match spans.first() {
        Some((_, _, d, h)) => (Some(*d), *h, rest),
        None => (None, Hint::Term, rest),
    }
}

/// Periods named in a (deadline-free) text.
fn periods_in(low: &str, lex: &Lex) -> Vec<Period> {
    // (start, end, what): what = Some(period) or None for "năm"-like markers.
    let mut tokens: Vec<(usize, usize, Option<Period>)> = Vec::new();
    let mut quarterly = false;
    let mut monthly = false;
    for m in lex.every_month.find_iter(low) {
        monthly = true;
        tokens.push((m.start(), m.end(), None));
    }
    for m in lex.every_quarter.find_iter(low) {
        quarterly = true;
        tokens.push((m.start(), m.end(), None));
    }
    for c in lex.quarter.captures_iter(low) {
        let (Some(all), Some(q)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if tokens
            .iter()
            .any(|(s, e, _)| all.start() < *e && all.end() > *s)
        {
            continue;
        }
        let mut end = all.end();
        if let Some(p) = roman(q.as_str()).and_then(quarter) {
            tokens.push((all.start(), end, Some(p)));
        }
        // "quý I, II và III"
        while let Some(more) = lex.more_quarter.captures(&low[end..]) {
            let (Some(a), Some(q)) = (more.get(0), more.get(1)) else {
                break;
            };
            let Some(p) = roman(q.as_str()).and_then(quarter) else {
                break;
            };
            tokens.push((end + a.start(), end + a.end(), Some(p)));
            end += a.end();
        }
    }
    for c in lex.half.captures_iter(low) {
        let Some(all) = c.get(0) else { continue };
        let p = match c.get(1).map(|m| m.as_str()) {
            Some("cuối") | Some("cuoi") => Period::Y,
            _ => Period::H1,
        };
        tokens.push((all.start(), all.end(), Some(p)));
    }
    for m in lex.nine.find_iter(low) {
        tokens.push((m.start(), m.end(), Some(Period::M9)));
    }
    for m in lex.bare_quarter.find_iter(low) {
        if tokens
            .iter()
            .any(|(s, e, _)| m.start() < *e && m.end() > *s)
        {
            continue;
        }
        // Folded text: "quy" of "quy định", "quy chế", "quy trình" is no quarter.
        let next = low[m.end()..].split_whitespace().next().unwrap_or("");
        if lex.ascii
            && [
                "che", "dinh", "trinh", "hoach", "mo", "tac", "chuan", "pham", "uoc", "doi", "tu",
            ]
            .contains(&next)
        {
            continue;
        }
        quarterly = true;
        tokens.push((m.start(), m.end(), None));
    }
    tokens.sort_by_key(|t| t.0);
    // "năm" is the annual report only inside a list of periods.
    let sep = |s: &str| {
        s.split(|c: char| c.is_whitespace() || ",;/()".contains(c))
            .filter(|w| !w.is_empty())
            .all(|w| {
                // "sơ kết 6 tháng, tổng kết năm", "6 tháng và báo cáo năm"
                [
                    "và", "va", "cả", "ca", "hoặc", "hoac", "tổng", "tong", "sơ", "so", "kết",
                    "ket", "báo", "bao", "cáo", "cao",
                ]
                .contains(&w)
            })
    };
    let mut years = Vec::new();
    for m in lex.year_word.find_iter(low) {
        if tokens
            .iter()
            .any(|(s, e, _)| m.start() < *e && m.end() > *s)
        {
            continue;
        }
        let after = low[m.end()..].trim_start();
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let prev = tokens.iter().rev().find(|t| t.1 <= m.start());
        let next = tokens.iter().find(|t| t.0 >= m.end());
        let listed = prev.is_some_and(|p| sep(&low[p.1..m.start()]))
            || next.is_some_and(|n| sep(&low[m.end()..n.0]));
        if listed {
            years.push(Period::Y);
        }
    }
    if monthly {
        return Period::MONTHS.to_vec();
    }
    let mut out: Vec<Period> = tokens.iter().filter_map(|t| t.2).collect();
    out.extend(years);
    if quarterly {
        // "quý, 6 tháng, 9 tháng, năm": each quarter not reported by a longer period.
        for (q, covered) in [
            (Period::Q1, false),
            (Period::Q2, out.contains(&Period::H1)),
            (Period::Q3, out.contains(&Period::M9)),
            (Period::Q4, out.contains(&Period::Y)),
        ] {
            if !covered {
                out.push(q);
            }
        }
    }
    if out.is_empty() && lex.periodic.is_match(low) && !lex.yearly.is_match(low) {
        out = Period::PERIODIC.to_vec();
    }
    out.sort();
    out.dedup();
    out
}

fn quarter(q: u32) -> Option<Period> {
    Period::QUARTERS.get((q as usize).checked_sub(1)?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> DraftReq {
        let d = draft(text, "");
        assert_eq!(d.reqs.len(), 1, "{text}: {:?}", d.reqs);
        d.reqs[0].clone()
    }

    #[test]
    fn plain_types_deadlines_and_signatures() {
        let r = one(
            "Kế hoạch CCHC năm của UBND huyện ban hành trước ngày 05/12 năm trước, có chữ ký số",
        );
        assert_eq!(r.types, vec!["KH"]);
        assert_eq!(r.signature, Some(SignatureRule::Required));
        assert_eq!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 4,
                month: 12,
                year: None,
                year_offset: -1
            })
        );
        let r = one("Báo cáo CCHC định kỳ (quý, 6 tháng, 9 tháng, năm) gửi chậm nhất ngày 14 của tháng cuối kỳ");
        assert_eq!(r.types, vec!["BC"]);
        assert_eq!(r.deadline, Some(DraftDeadline::PeriodDay(14)));
        assert_eq!(
            r.periods,
            vec![Period::Q1, Period::H1, Period::M9, Period::Y]
        );
        let r = one("Tờ trình đề nghị phê duyệt trước ngày 01/01/2023");
        assert_eq!(r.types, vec!["TTr"]);
        assert_eq!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 31,
                month: 12,
                year: Some(2022),
                year_offset: 0
            })
        );
    }

    #[test]
    fn several_documents_and_issuing_decisions() {
        let d = draft("- Kế hoạch kiểm tra CCHC;\n- Báo cáo kết quả kiểm tra\n- Quyết định ban hành Kế hoạch tuyên truyền", "");
        let types: Vec<_> = d.reqs.iter().map(|r| r.types.clone()).collect();
        assert_eq!(types, vec![vec!["KH"], vec!["BC"], vec!["QĐ"]]);
        assert!(d.reqs.iter().all(|r| !r.source.is_empty()));
        let d = draft("Thông báo kết luận kiểm tra; Công văn chỉ đạo", "");
        assert_eq!(d.reqs[0].types, vec!["TB"]);
        assert_eq!(d.reqs[1].types, vec!["CV"]);
    }

    #[test]
    fn a_deadline_in_its_own_line_belongs_to_the_one_document() {
        let r = one("- Ban hành trước ngày 05/12: 1 điểm\n- TLKC: Kế hoạch CCHC năm có chữ ký số");
        assert_eq!(r.types, vec!["KH"]);
        assert_eq!(r.signature, Some(SignatureRule::Required));
        assert!(matches!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 4,
                month: 12,
                ..
            })
        ));
        assert!(r.source.contains("05/12"), "{}", r.source);
    }

    #[test]
    fn a_type_word_inside_a_title_is_not_a_document() {
        let r = one("Báo cáo kết quả thực hiện kế hoạch 6 tháng, năm");
        assert_eq!(r.types, vec!["BC"]);
        assert_eq!(r.periods, vec![Period::H1, Period::Y]);
    }

    #[test]
    fn quy_is_not_quy() {
        let r = one("Quyết định ban hành quy chế làm việc");
        assert_eq!(r.types, vec!["QĐ"]);
        assert!(r.periods.is_empty());
        let r = one("Báo cáo CCHC hằng quý");
        assert_eq!(r.periods, Period::QUARTERS.to_vec());
        let r = one("Bao cao CCHC hang quy gui theo quy che lam viec");
        assert_eq!(r.periods, Period::QUARTERS.to_vec(), "{r:?}");
        let d = draft("Bao cao CCHC hang quy; Quy che lam viec", "");
        assert_eq!(d.reqs.len(), 2, "a clause naming a document is a document");
    }

    #[test]
    fn system_data_and_generic() {
        let d = draft(
            "Căn cứ số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh",
            "",
        );
        assert!(d.system.is_some() && d.reqs.is_empty());
        let d = draft("", "Kết quả điều tra xã hội học");
        assert!(d.system.is_some());
        let d = draft("Có sản phẩm cụ thể", "");
        assert_eq!(d.reqs.len(), 1);
        assert!(d.reqs[0].types.is_empty());
        assert_eq!(d.reqs[0].source, "Có sản phẩm cụ thể");
    }

    #[test]
    fn a_hostile_cell_stays_bounded() {
        let docs = "Báo cáo, ".repeat(1_500);
        let quals = "; gửi Sở Nội vụ".repeat(700);
        let started = std::time::Instant::now();
        let d = draft(&format!("{docs}{quals}"), &"; trước ngày 15/12".repeat(500));
        assert_eq!(d.reqs.len(), MAX_REQS);
        assert!(d
            .reqs
            .iter()
            .all(|r| r.source.chars().count() < 2 * MAX_SOURCE));
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn general_signature_sentences() {
        for s in [
            "Ghi chú: Tài liệu kiểm chứng phải là văn bản điện tử có chữ ký số theo quy định",
            "TLKC là văn bản điện tử",
            "(*) Các TLKC phải được ký số",
        ] {
            assert_eq!(general_signature(s), Some(SignatureRule::Required), "{s}");
        }
        assert_eq!(
            general_signature("TLKC phải có chữ ký số của người có thẩm quyền và của cơ quan"),
            Some(SignatureRule::PersonAndOrganization)
        );
        assert_eq!(
            general_signature("Tỷ lệ văn bản điện tử có ký số"),
            None,
            "a criterion about e-documents is no rule about evidence"
        );
        assert_eq!(general_signature("BỘ TIÊU CHÍ CẤP XÃ NĂM 2026"), None);
    }
}
