//! [`ImportedSet`] → ruleset TOML (docs/rules.md), drafted items marked
//! `inferred = true`, every point mismatch and note written as a `# CHECK` comment.

use std::fmt::Write;

use chrono::NaiveDate;

use super::draft::{Draft, DraftDeadline, DraftReq};
use super::{ImportedSet, Level, Node};

/// What the table does not say: the new set's id, title and evaluated year.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub year: i32,
    /// Shown in the header comment (the imported file's name).
    pub source: String,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn num(p: f64) -> String {
    let s = format!("{p}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

const NO_TITLE: &str = "(không có dòng riêng trong bảng)";

pub fn to_toml(set: &ImportedSet, meta: &Meta) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Drafted by `tlkc rules import` from {} ({}, header row {}).",
        meta.source, set.table, set.header_row
    );
    let cols: Vec<String> = set
        .columns
        .iter()
        .map(|(r, c)| format!("{r} = {c}"))
        .collect();
    let _ = writeln!(out, "# Columns: {}.", cols.join(", "));
    if let Some(enc) = set.encoding {
        let _ = writeln!(out, "# Text encoding: {enc}.");
    }
    let _ = writeln!(
        out,
        "# {} drafted items carry `inferred = true`: check each against the decision, then delete the flag.",
        set.inferred_count()
    );
    for m in &set.mismatches {
        let _ = writeln!(
            out,
            "# CHECK row {}: {} states {} but its parts add up to {}.",
            m.row, m.id, m.stated, m.sum
        );
    }
    for n in &set.notes {
        let _ = writeln!(out, "# NOTE row {}: {}", n.row, n.text);
    }
    let _ = writeln!(
        out,
        "\n[framework]\nid = {}\ntitle = {}\nyear = {}",
        q(&meta.id),
        q(&meta.title),
        meta.year
    );
    let children = |id: &str, level: Level| -> Vec<&Node> {
        set.nodes
            .iter()
            .filter(|n| n.level == level && n.id.rsplit_once('.').is_some_and(|(p, _)| p == id))
            .collect()
    };
    for a in set.nodes.iter().filter(|n| n.level == Level::Area) {
        let crits = children(&a.id, Level::Criterion);
        node(&mut out, "area", a, &crits, meta.year);
        for c in &crits {
            let subs = children(&c.id, Level::Sub);
            node(&mut out, "area.criterion", c, &subs, meta.year);
            for s in &subs {
                node(&mut out, "area.criterion.sub", s, &[], meta.year);
            }
        }
    }
    for d in set.nodes.iter().filter(|n| n.level == Level::Deduction) {
        node(&mut out, "deduction", d, &[], meta.year);
    }
    out
}

fn node(out: &mut String, table: &str, n: &Node, kids: &[&Node], year: i32) {
    let sum: f64 = kids.iter().filter_map(|k| k.max_points).sum();
    let _ = writeln!(out, "\n# row {}", n.row);
    let max = match n.max_points {
        Some(m) => m,
        None if !kids.is_empty() => {
            let _ = writeln!(
                out,
                "# CHECK: no maximum in the table; the sum of its parts is used"
            );
            sum
        }
        None => {
            let _ = writeln!(out, "# CHECK: no maximum in the table");
            0.0
        }
    };
    let title = if n.title.is_empty() {
        NO_TITLE
    } else {
        &n.title
    };
    let _ = writeln!(
        out,
        "[[{table}]]\nid = {}\ntitle = {}\nmax_points = {}",
        q(&n.id),
        q(title),
        num(max)
    );
    if let Some(d) = &n.draft {
        scoring(out, table, d, max, year);
    }
}

fn scoring(out: &mut String, table: &str, d: &Draft, max: f64, year: i32) {
    if let Some(source) = &d.system {
        let _ = writeln!(out, "statistics = {}\ninferred = true", q(source));
        return;
    }
    for r in &d.reqs {
        requirement(out, table, r, max, year);
    }
}

fn requirement(out: &mut String, table: &str, r: &DraftReq, max: f64, year: i32) {
    let _ = writeln!(
        out,
        "\n[[{table}.document]]\nid = {}\ntitle = {}",
        q(&r.id),
        q(&r.title)
    );
    if !r.types.is_empty() {
        let t: Vec<String> = r.types.iter().map(|t| q(t)).collect();
        let _ = writeln!(out, "types = [{}]", t.join(", "));
    }
    if !r.title_patterns.is_empty() {
        let t: Vec<String> = r.title_patterns.iter().map(|t| q(t)).collect();
        let _ = writeln!(out, "title_patterns = [{}]", t.join(", "));
    }
    if !r.periods.is_empty() {
        let p: Vec<String> = r.periods.iter().map(|p| q(p.as_str())).collect();
        let _ = writeln!(out, "periods = [{}]", p.join(", "));
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
                    let _ = writeln!(out, "deadline = {{ fixed = \"{date}\" }}");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "# CHECK: the deadline {day:02}/{month:02}/{y} is not a date"
                    );
                }
            }
        }
        Some(DraftDeadline::PeriodDay(day)) => {
            let _ = writeln!(out, "deadline = {{ period_day = {day} }}");
        }
        None => {}
    }
    let sig = if r.signature { "required" } else { "none" };
    let _ = writeln!(
        out,
        "signature = \"{sig}\"\npoints = {}\ninferred = true\nsource = {}",
        num(max),
        q(&r.source)
    );
}
