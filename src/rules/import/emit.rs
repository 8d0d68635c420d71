//! [`ImportedSet`] → ruleset TOML (docs/rules.md), drafted items marked
//! `inferred = true`, every point mismatch and note written as a `# CHECK`
//! comment, comments in the run's language ([`Meta::lang`]).
//!
//! A criteria table is someone else's text: a cell, a sheet name or a file
//! name may carry line breaks and `[algorithm_policy]`-looking lines. So the
//! draft is built as data first ([`Block`]s of typed values); the text is
//! rendered from that data with every string escaped on one line and every
//! comment reduced to one line without control characters; and the text is
//! parsed back and compared with the data — and, when it validates, loaded
//! with the ruleset loader and compared again — before anyone may keep it.
//! A difference is [`ImportError::RoundTrip`], never a file.

use chrono::NaiveDate;
use toml::{Table, Value};

use super::draft::{Draft, DraftDeadline, DraftReq};
use super::{ImportError, ImportedSet, Level, Node};
use crate::findings::Lang;
use crate::rules::{Ruleset, SignatureRule};

/// What the table does not say: the new set's id, title and evaluated year.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub year: i32,
    /// Shown in the header comment (the imported file's name).
    pub source: String,
    /// The language of the comments.
    pub lang: Lang,
}

/// How a signature rule is written in a ruleset.
pub fn signature_name(r: SignatureRule) -> &'static str {
    match r {
        SignatureRule::None => "none",
        SignatureRule::Required => "required",
        SignatureRule::PersonAndOrganization => "person_and_organization",
    }
}

const NO_TITLE: &str = "(không có dòng riêng trong bảng)";

/// The ruleset TOML for `set`, checked to read back as exactly the draft.
pub fn to_toml(set: &ImportedSet, meta: &Meta) -> Result<String, ImportError> {
    let (header, blocks) = draft(set, meta);
    let text = render(&header, &blocks);
    verify(&text, &blocks, meta)?;
    Ok(text)
}

/// One `[table]` or `[[array.of.tables]]` of the output, as data.
#[derive(Debug, Clone)]
struct Block {
    /// Shown above the table, one line each.
    comments: Vec<String>,
    /// "framework", "area", "area.criterion.sub.document", …
    path: &'static str,
    /// `[path]` (false) or `[[path]]` (true).
    array: bool,
    fields: Vec<(&'static str, Value)>,
    /// Shown after the fields (a deadline that is not a date).
    trailing: Vec<String>,
}

impl Block {
    fn new(path: &'static str, array: bool) -> Block {
        Block {
            comments: Vec::new(),
            path,
            array,
            fields: Vec::new(),
            trailing: Vec::new(),
        }
    }

    fn set(&mut self, key: &'static str, v: impl Into<Value>) {
        self.fields.push((key, v.into()));
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn str(&self, key: &str) -> &str {
        self.get(key).and_then(Value::as_str).unwrap_or("")
    }
}

/// The header comments and the blocks, in file order.
fn draft(set: &ImportedSet, meta: &Meta) -> (Vec<String>, Vec<Block>) {
    let vi = meta.lang == Lang::Vi;
    let cols = set
        .columns
        .iter()
        .map(|(r, c)| format!("{r} = {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let inferred = set.inferred_count();
    let mut header = Vec::new();
    if vi {
        header.push(format!(
            "Bản nháp do `tlkc rules import` soạn từ {} ({}, dòng tiêu đề {}).",
            meta.source, set.table, set.header_row
        ));
        header.push(format!("Các cột: {cols}."));
        if let Some(enc) = set.encoding {
            header.push(format!("Bảng mã: {enc}."));
        }
        header.push(format!(
            "{inferred} mục suy ra mang `inferred = true`: đối chiếu từng mục với quyết định, rồi xoá dấu đó."
        ));
        for m in &set.mismatches {
            header.push(format!(
                "KIỂM TRA dòng {}: {} ghi {} nhưng các phần cộng lại {}.",
                m.row, m.id, m.stated, m.sum
            ));
        }
        for n in &set.notes {
            header.push(format!("LƯU Ý dòng {}: {}", n.row, n.vi));
        }
    } else {
        header.push(format!(
            "Drafted by `tlkc rules import` from {} ({}, header row {}).",
            meta.source, set.table, set.header_row
        ));
        header.push(format!("Columns: {cols}."));
        if let Some(enc) = set.encoding {
            header.push(format!("Text encoding: {enc}."));
        }
        header.push(format!(
            "{inferred} drafted items carry `inferred = true`: check each against the decision, then delete the flag."
        ));
        for m in &set.mismatches {
            header.push(format!(
                "CHECK row {}: {} states {} but its parts add up to {}.",
                m.row, m.id, m.stated, m.sum
            ));
        }
        for n in &set.notes {
            header.push(format!("NOTE row {}: {}", n.row, n.text));
        }
    }
    let mut fw = Block::new("framework", false);
    fw.set("id", meta.id.as_str());
    fw.set("title", meta.title.as_str());
    fw.set("year", i64::from(meta.year));
    let mut blocks = vec![fw];
    // Without a rule, the next block opens with a comment saying so.
    let no_default = defaults(&mut blocks, set, vi);
    let children = |id: &str, level: Level| -> Vec<&Node> {
        set.nodes
            .iter()
            .filter(|n| n.level == level && n.id.rsplit_once('.').is_some_and(|(p, _)| p == id))
            .collect()
    };
    for a in set.nodes.iter().filter(|n| n.level == Level::Area) {
        let crits = children(&a.id, Level::Criterion);
        node(&mut blocks, "area", a, &crits, meta);
        for c in &crits {
            let subs = children(&c.id, Level::Sub);
            node(&mut blocks, "area.criterion", c, &subs, meta);
            for s in &subs {
                node(&mut blocks, "area.criterion.sub", s, &[], meta);
            }
        }
    }
    for d in set.nodes.iter().filter(|n| n.level == Level::Deduction) {
        node(&mut blocks, "deduction", d, &[], meta);
    }
    if let Some(c) = no_default {
        match blocks.get_mut(1) {
            Some(next) => next.comments.insert(0, c),
            None => blocks[0].trailing.push(c),
        }
    }
    (header, blocks)
}

/// `[defaults]`: the table's (or `--signature`'s) rule for every requirement
/// that does not state its own. When there is none, the comment that says so.
fn defaults(blocks: &mut Vec<Block>, set: &ImportedSet, vi: bool) -> Option<String> {
    let Some(sig) = &set.signature else {
        return Some(if vi {
            "Bảng không nêu quy định chung về chữ ký số: yêu cầu nào không tự ghi thì không bắt buộc ký số (bản quét ký tay không bị báo). Thêm [defaults] signature = \"required\" nếu tỉnh yêu cầu TLKC là văn bản điện tử có chữ ký số."
        } else {
            "The table states no general signature rule: requirements that say nothing need no digital signature (hand-signed scans are not flagged). Add [defaults] signature = \"required\" if the province requires digitally signed electronic TLKC."
        }
        .to_string());
    };
    let mut b = Block::new("defaults", false);
    b.set("signature", signature_name(sig.rule));
    if sig.inferred {
        b.set("inferred", true);
    }
    if let Some(s) = &sig.source {
        b.set("source", s.as_str());
    }
    blocks.push(b);
    None
}

fn node(blocks: &mut Vec<Block>, path: &'static str, n: &Node, kids: &[&Node], meta: &Meta) {
    let vi = meta.lang == Lang::Vi;
    let mut b = Block::new(path, true);
    b.comments
        .push(format!("{} {}", if vi { "dòng" } else { "row" }, n.row));
    let sum: f64 = kids.iter().filter_map(|k| k.max_points).sum();
    let max = match n.max_points {
        Some(m) => m,
        None if !kids.is_empty() => {
            b.comments.push(
                if vi {
                    "KIỂM TRA: bảng không ghi điểm tối đa; dùng tổng các phần"
                } else {
                    "CHECK: no maximum in the table; the sum of its parts is used"
                }
                .into(),
            );
            sum
        }
        None => {
            b.comments.push(
                if vi {
                    "KIỂM TRA: bảng không ghi điểm tối đa"
                } else {
                    "CHECK: no maximum in the table"
                }
                .into(),
            );
            0.0
        }
    };
    let title = if n.title.is_empty() {
        NO_TITLE
    } else {
        &n.title
    };
    b.set("id", n.id.as_str());
    b.set("title", title);
    b.set("max_points", max);
    // The scoring guide ("Cách tính điểm") is kept as the unit's note, never as evidence.
    if n.draft.is_some() && !n.guide.trim().is_empty() {
        b.set("note", n.guide.trim());
    }
    let reqs = match &n.draft {
        Some(Draft {
            system: Some(source),
            ..
        }) => {
            b.set("statistics", source.as_str());
            b.set("inferred", true);
            &[][..]
        }
        Some(d) => &d.reqs[..],
        None => &[][..],
    };
    blocks.push(b);
    let doc_path = match path {
        "area.criterion" => "area.criterion.document",
        "area.criterion.sub" => "area.criterion.sub.document",
        _ => "deduction.document",
    };
    for r in reqs {
        blocks.push(requirement(doc_path, r, max, meta));
    }
}

fn requirement(path: &'static str, r: &DraftReq, max: f64, meta: &Meta) -> Block {
    let (year, vi) = (meta.year, meta.lang == Lang::Vi);
    let mut b = Block::new(path, true);
    let strings = |v: Vec<&str>| Value::Array(v.into_iter().map(Value::from).collect());
    b.set("id", r.id.as_str());
    b.set("title", r.title.as_str());
    if !r.types.is_empty() {
        b.set("types", strings(r.types.clone()));
    }
    if !r.title_patterns.is_empty() {
        b.set(
            "title_patterns",
            strings(r.title_patterns.iter().map(String::as_str).collect()),
        );
    }
    if !r.periods.is_empty() {
        let p = r.periods.iter().map(|p| Value::from(p.as_str())).collect();
        b.set("periods", Value::Array(p));
    }
    match r.deadline {
        Some(DraftDeadline::Fixed {
            day,
            month,
            year: y,
            year_offset,
        }) => {
            let y = y.unwrap_or(year + year_offset);
            match NaiveDate::from_ymd_opt(y, month, day) {
                Some(date) => {
                    let mut t = Table::new();
                    t.insert("fixed".into(), Value::from(date.to_string()));
                    b.set("deadline", Value::Table(t));
                }
                None => b.trailing.push(if vi {
                    format!("KIỂM TRA: hạn {day:02}/{month:02}/{y} không phải là ngày có thật")
                } else {
                    format!("CHECK: the deadline {day:02}/{month:02}/{y} is not a date")
                }),
            }
        }
        Some(DraftDeadline::PeriodDay(day)) => {
            let mut t = Table::new();
            t.insert("period_day".into(), Value::from(i64::from(day)));
            b.set("deadline", Value::Table(t));
        }
        None => {}
    }
    // Unset: `[defaults] signature` applies.
    if let Some(sig) = r.signature {
        b.set("signature", signature_name(sig));
    }
    b.set("points", max);
    b.set("inferred", true);
    b.set("source", r.source.as_str());
    b
}

// ───────────── data → text ─────────────

fn render(header: &[String], blocks: &[Block]) -> String {
    let mut out = String::new();
    for c in header {
        comment(&mut out, c);
    }
    for b in blocks {
        out.push('\n');
        for c in &b.comments {
            comment(&mut out, c);
        }
        if b.array {
            out.push_str(&format!("[[{}]]\n", b.path));
        } else {
            out.push_str(&format!("[{}]\n", b.path));
        }
        for (k, v) in &b.fields {
            out.push_str(&format!("{k} = {}\n", value(v)));
        }
        for c in &b.trailing {
            comment(&mut out, c);
        }
    }
    out
}

/// A comment line: whatever the text holds, it stays one line of comment.
fn comment(out: &mut String, text: &str) {
    out.push_str("# ");
    out.push_str(&crate::text::one_line(text));
    out.push('\n');
}

fn value(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Float(f) => num(*f),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(value).collect::<Vec<_>>().join(", ")),
        Value::Table(t) => format!(
            "{{ {} }}",
            t.iter()
                .map(|(k, v)| format!("{k} = {}", value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Not produced by the draft; the read-back comparison would refuse it anyway.
        Value::Datetime(d) => d.to_string(),
    }
}

/// A TOML basic string on one line: quotes and backslashes escaped, line
/// breaks and every other control, line-separator and bidi character as
/// `\uXXXX` (or its short escape), so no cell can end the string or the line.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if crate::text::is_disruptive(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML float: always with a fraction, never `inf`/`nan` (the draft's
/// points come from at most four digits, so they are finite).
fn num(p: f64) -> String {
    let p = if p.is_finite() { p } else { 0.0 };
    let s = format!("{p}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

// ───────────── text → data, compared ─────────────

/// The TOML data the blocks stand for, built as a TOML reader builds it.
fn expected(blocks: &[Block]) -> Result<Table, String> {
    let mut doc = Table::new();
    for b in blocks {
        let table: Table = b
            .fields
            .iter()
            .map(|(k, v)| (k.to_string(), finite(v)))
            .collect();
        let mut parts: Vec<&str> = b.path.split('.').collect();
        let last = parts.pop().unwrap_or_default();
        let mut at = &mut doc;
        for p in parts {
            at = match at.get_mut(p) {
                Some(Value::Array(a)) => match a.last_mut() {
                    Some(Value::Table(t)) => t,
                    _ => return Err(format!("[[{}]] before its parent", b.path)),
                },
                Some(Value::Table(t)) => t,
                _ => return Err(format!("[[{}]] before its parent", b.path)),
            };
        }
        if b.array {
            match at
                .entry(last.to_string())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(a) => a.push(Value::Table(table)),
                _ => return Err(format!("{} is both a table and an array", b.path)),
            }
        } else {
            at.insert(last.to_string(), Value::Table(table));
        }
    }
    Ok(doc)
}

fn finite(v: &Value) -> Value {
    match v {
        Value::Float(f) if !f.is_finite() => Value::Float(0.0),
        v => v.clone(),
    }
}

/// The first place where two TOML values differ, as a dotted path.
fn first_difference(path: &str, want: &Value, got: &Value) -> Option<String> {
    match (want, got) {
        (Value::Table(w), Value::Table(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    None => return Some(format!("{p} is missing")),
                    Some(gv) => {
                        if let Some(d) = first_difference(&p, wv, gv) {
                            return Some(d);
                        }
                    }
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| format!("{path}.{} appeared", crate::text::one_line(k)))
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Some(format!("{path} has {} entries, not {}", g.len(), w.len()));
            }
            w.iter()
                .zip(g)
                .enumerate()
                .find_map(|(i, (wv, gv))| first_difference(&format!("{path}[{i}]"), wv, gv))
        }
        (w, g) if w == g => None,
        _ => Some(format!("{path} differs")),
    }
}

/// The written text must read back as the blocks: as TOML data, exactly;
/// and through the ruleset loader (when the draft validates), as the same
/// framework, units and requirements, with no trusted root or signature
/// policy that the table did not ask for.
fn verify(text: &str, blocks: &[Block], meta: &Meta) -> Result<(), ImportError> {
    let fail = |why: String| Err(ImportError::RoundTrip(why));
    let want = match expected(blocks) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let got: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => return fail(format!("not TOML: {}", e.message())),
    };
    if let Some(d) = first_difference("", &Value::Table(want), &Value::Table(got)) {
        return fail(d.trim_start_matches('.').to_string());
    }
    // A draft that does not validate yet is the reviewer's to fix (the
    // command says so); its data was just shown to be exactly the table's.
    let Ok(loaded) = crate::rules::load_str(text, "draft") else {
        return Ok(());
    };
    match loaded_difference(&loaded, blocks, meta) {
        Some(d) => fail(d),
        None => Ok(()),
    }
}

fn loaded_difference(r: &Ruleset, blocks: &[Block], meta: &Meta) -> Option<String> {
    let f = &r.framework;
    if (f.id.as_str(), f.title.as_str(), f.year)
        != (meta.id.as_str(), meta.title.as_str(), meta.year)
    {
        return Some("the framework's id, title or year".into());
    }
    if !f.trusted_roots.is_empty() || !f.legal_basis.is_empty() || !f.grades.is_empty() {
        return Some("a trusted root, legal basis or grade the table does not have".into());
    }
    if r.algorithm_policy != crate::rules::policy::AlgorithmPolicy::default() {
        return Some("a signature algorithm policy the table does not have".into());
    }
    // `[defaults]` as drafted: the rule, whether it was inferred, its sentence.
    let defaults = blocks.iter().find(|b| !b.array && b.path == "defaults");
    let want_default = defaults.map(|b| b.str("signature"));
    let d = &r.defaults;
    let got_default = d.signature.map(signature_name);
    let want_source = defaults
        .and_then(|b| b.get("source"))
        .and_then(Value::as_str);
    let want_inferred = defaults
        .and_then(|b| b.get("inferred"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if (got_default, d.inferred, d.source.as_deref()) != (want_default, want_inferred, want_source)
    {
        return Some("[defaults] reads back differently".into());
    }
    // Units and requirements in file order: id, title, source, and the
    // unit's note or the requirement's signature rule (its own, else the default's).
    let mut got: Vec<Read> = Vec::new();
    let unit = |id: &str, title: &str, note: Option<&String>| Read {
        id: id.to_string(),
        title: title.to_string(),
        source: String::new(),
        extra: note.cloned().unwrap_or_default(),
    };
    let reqs = |s: &crate::rules::Scorable, got: &mut Vec<Read>| {
        if let crate::rules::Scoring::Documents { requirements } = &s.scoring {
            for q in requirements {
                got.push(Read {
                    id: q.id.clone(),
                    title: q.title.clone(),
                    source: q.source.clone().unwrap_or_default(),
                    extra: signature_name(q.signature).to_string(),
                });
            }
        }
    };
    for a in &r.areas {
        got.push(unit(&a.id, &a.title, None));
        for c in &a.criteria {
            got.push(unit(&c.id, &c.title, c.note.as_ref()));
            if let Some(s) = &c.scorable {
                reqs(s, &mut got);
            }
            for s in &c.sub {
                got.push(unit(&s.id, &s.title, s.note.as_ref()));
                reqs(s, &mut got);
            }
        }
    }
    for d in &r.deductions {
        got.push(unit(&d.id, &d.title, d.note.as_ref()));
        reqs(d, &mut got);
    }
    let want: Vec<Read> = blocks
        .iter()
        .filter(|b| b.array)
        .map(|b| {
            let is_req = b.path.ends_with(".document");
            let extra = if is_req {
                match b.get("signature").and_then(Value::as_str) {
                    Some(s) => s,
                    None => want_default.unwrap_or("none"),
                }
            } else {
                b.str("note")
            };
            Read {
                id: b.str("id").to_string(),
                title: b.str("title").to_string(),
                source: b.str("source").to_string(),
                extra: extra.to_string(),
            }
        })
        .collect();
    if got != want {
        let at = got
            .iter()
            .zip(&want)
            .position(|(g, w)| g != w)
            .unwrap_or(got.len().min(want.len()));
        return Some(format!(
            "unit or requirement {} of {} reads back differently",
            at + 1,
            want.len()
        ));
    }
    None
}

/// A unit or requirement as the loader reads it back.
#[derive(PartialEq)]
struct Read {
    id: String,
    title: String,
    /// A requirement's source sentence; empty for a unit.
    source: String,
    /// A unit's note, or a requirement's signature rule.
    extra: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character up to U+3000 and the hostile ones, alone and in
    /// company: each reads back as itself, and the quoted form is one line.
    #[test]
    fn quote_reads_back_as_itself_on_one_line() {
        let mut samples: Vec<String> = (0u32..0x3000)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        samples.extend(
            [
                "Điểm tối đa\"\n[algorithm_policy]\nmin_rsa_bits = 512",
                "x\"\"\"\n[[framework.trusted_root]]\nname = \"evil\"",
                "\\\"\\u0041\\",
                "'''",
                "\u{1b}[31mđỏ\u{7}\u{202E}\u{2066}\u{2028}\u{2029}\u{85}\u{feff}",
                "",
            ]
            .map(String::from),
        );
        for s in samples {
            let q = quote(&s);
            assert!(!q.contains('\n') && !q.contains('\r'), "{q:?}");
            let t: Table =
                toml::from_str(&format!("k = {q}\n")).unwrap_or_else(|e| panic!("{q:?}: {e}"));
            assert_eq!(t["k"].as_str(), Some(s.as_str()), "{q:?}");
        }
    }

    #[test]
    fn an_injected_table_is_a_difference() {
        let mut b = Block::new("framework", false);
        b.set("id", "x");
        let blocks = vec![b];
        let meta = Meta {
            id: "x".into(),
            title: "t".into(),
            year: 2024,
            source: "f".into(),
            lang: Lang::En,
        };
        let good = "[framework]\nid = \"x\"\n";
        assert!(verify(good, &blocks, &meta).is_ok());
        let bad = "[framework]\nid = \"x\"\n[algorithm_policy]\nmin_rsa_bits = 512\n";
        let e = verify(bad, &blocks, &meta).unwrap_err();
        assert!(e.to_string().contains("algorithm_policy appeared"), "{e}");
        let bad = "[framework]\nid = \"y\"\n";
        let e = verify(bad, &blocks, &meta).unwrap_err();
        assert!(e.to_string().contains("framework.id differs"), "{e}");
    }
}
