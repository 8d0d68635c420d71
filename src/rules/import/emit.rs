//! [`ImportedSet`] → ruleset TOML (docs/rules.md), drafted items marked
//! `inferred = true`, every point mismatch and note written as a `# CHECK` comment.

use std::fmt::Write;

use chrono::NaiveDate;

use super::draft::{Draft, DraftDeadline, DraftReq};
use super::{ImportedSet, Level, Node};
use crate::findings::Lang;
use crate::rules::SignatureRule;

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
    let vi = meta.lang == Lang::Vi;
    let mut out = String::new();
    let cols: Vec<String> = set
        .columns
        .iter()
        .map(|(r, c)| format!("{r} = {c}"))
        .collect();
    let inferred = set.inferred_count();
    if vi {
        let _ = writeln!(
            out,
            "# Bản nháp do `tlkc rules import` soạn từ {} ({}, dòng tiêu đề {}).",
            meta.source, set.table, set.header_row
        );
        let _ = writeln!(out, "# Các cột: {}.", cols.join(", "));
        if let Some(enc) = set.encoding {
            let _ = writeln!(out, "# Bảng mã: {enc}.");
        }
        let _ = writeln!(
            out,
            "# {inferred} mục suy ra mang `inferred = true`: đối chiếu từng mục với quyết định, rồi xoá dấu đó."
        );
        for m in &set.mismatches {
            let _ = writeln!(
                out,
                "# KIỂM TRA dòng {}: {} ghi {} nhưng các phần cộng lại {}.",
                m.row, m.id, m.stated, m.sum
            );
        }
        for n in &set.notes {
            let _ = writeln!(out, "# LƯU Ý dòng {}: {}", n.row, n.vi);
        }
    } else {
        let _ = writeln!(
            out,
            "# Drafted by `tlkc rules import` from {} ({}, header row {}).",
            meta.source, set.table, set.header_row
        );
        let _ = writeln!(out, "# Columns: {}.", cols.join(", "));
        if let Some(enc) = set.encoding {
            let _ = writeln!(out, "# Text encoding: {enc}.");
        }
        let _ = writeln!(
            out,
            "# {inferred} drafted items carry `inferred = true`: check each against the decision, then delete the flag."
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
    }
    let _ = writeln!(
        out,
        "\n[framework]\nid = {}\ntitle = {}\nyear = {}",
        q(&meta.id),
        q(&meta.title),
        meta.year
    );
    defaults(&mut out, set, vi);
    let children = |id: &str, level: Level| -> Vec<&Node> {
        set.nodes
            .iter()
            .filter(|n| n.level == level && n.id.rsplit_once('.').is_some_and(|(p, _)| p == id))
            .collect()
    };
    for a in set.nodes.iter().filter(|n| n.level == Level::Area) {
        let crits = children(&a.id, Level::Criterion);
        node(&mut out, "area", a, &crits, meta);
        for c in &crits {
            let subs = children(&c.id, Level::Sub);
            node(&mut out, "area.criterion", c, &subs, meta);
            for s in &subs {
                node(&mut out, "area.criterion.sub", s, &[], meta);
            }
        }
    }
    for d in set.nodes.iter().filter(|n| n.level == Level::Deduction) {
        node(&mut out, "deduction", d, &[], meta);
    }
    out
}

/// `[defaults]`: the table's (or `--signature`'s) rule for every requirement
/// that does not state its own; a comment when there is none.
fn defaults(out: &mut String, set: &ImportedSet, vi: bool) {
    let Some(sig) = &set.signature else {
        let _ = writeln!(
            out,
            "\n# {}",
            if vi {
                "Bảng không nêu quy định chung về chữ ký số: yêu cầu nào không tự ghi thì không bắt buộc ký số (bản quét ký tay không bị báo). Thêm [defaults] signature = \"required\" nếu tỉnh yêu cầu TLKC là văn bản điện tử có chữ ký số."
            } else {
                "The table states no general signature rule: requirements that say nothing need no digital signature (hand-signed scans are not flagged). Add [defaults] signature = \"required\" if the province requires digitally signed electronic TLKC."
            }
        );
        return;
    };
    let _ = writeln!(
        out,
        "\n[defaults]\nsignature = \"{}\"",
        signature_name(sig.rule)
    );
    if sig.inferred {
        let _ = writeln!(out, "inferred = true");
    }
    if let Some(s) = &sig.source {
        let _ = writeln!(out, "source = {}", q(s));
    }
}

fn node(out: &mut String, table: &str, n: &Node, kids: &[&Node], meta: &Meta) {
    let vi = meta.lang == Lang::Vi;
    let sum: f64 = kids.iter().filter_map(|k| k.max_points).sum();
    let _ = writeln!(out, "\n# {} {}", if vi { "dòng" } else { "row" }, n.row);
    let max = match n.max_points {
        Some(m) => m,
        None if !kids.is_empty() => {
            let _ = writeln!(
                out,
                "# {}",
                if vi {
                    "KIỂM TRA: bảng không ghi điểm tối đa; dùng tổng các phần"
                } else {
                    "CHECK: no maximum in the table; the sum of its parts is used"
                }
            );
            sum
        }
        None => {
            let _ = writeln!(
                out,
                "# {}",
                if vi {
                    "KIỂM TRA: bảng không ghi điểm tối đa"
                } else {
                    "CHECK: no maximum in the table"
                }
            );
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
        // The scoring guide ("Cách tính điểm") is kept as the unit's note, never as evidence.
        if !n.guide.trim().is_empty() {
            let _ = writeln!(out, "note = {}", q(n.guide.trim()));
        }
        scoring(out, table, d, max, meta);
    }
}

fn scoring(out: &mut String, table: &str, d: &Draft, max: f64, meta: &Meta) {
    if let Some(source) = &d.system {
        let _ = writeln!(out, "statistics = {}\ninferred = true", q(source));
        return;
    }
    for r in &d.reqs {
        requirement(out, table, r, max, meta);
    }
}

fn requirement(out: &mut String, table: &str, r: &DraftReq, max: f64, meta: &Meta) {
    let (year, vi) = (meta.year, meta.lang == Lang::Vi);
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
                    let _ = if vi {
                        writeln!(
                            out,
                            "# KIỂM TRA: hạn {day:02}/{month:02}/{y} không phải là ngày có thật"
                        )
                    } else {
                        writeln!(
                            out,
                            "# CHECK: the deadline {day:02}/{month:02}/{y} is not a date"
                        )
                    };
                }
            }
        }
        Some(DraftDeadline::PeriodDay(day)) => {
            let _ = writeln!(out, "deadline = {{ period_day = {day} }}");
        }
        None => {}
    }
    if let Some(sig) = r.signature {
        let _ = writeln!(out, "signature = \"{}\"", signature_name(sig));
    }
    let _ = writeln!(
        out,
        "points = {}\ninferred = true\nsource = {}",
        num(max),
        q(&r.source)
    );
}
