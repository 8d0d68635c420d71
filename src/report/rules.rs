//! `tlkc rules list|show`: a ruleset's tree and requirements.

use std::io::{self, Write};

use super::points;
use crate::findings::Lang;
use crate::rules::{Deadline, Requirement, Ruleset, Scorable, Scoring, SignatureRule};

pub fn list(r: &Ruleset, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let fw = &r.framework;
    writeln!(out, "{} ({}, {}) — {}", fw.title, fw.id, fw.year, r.source)?;
    for a in &r.areas {
        writeln!(out, "{} {} [{}]", a.id, a.title, points(a.max_points, lang))?;
        for c in &a.criteria {
            writeln!(
                out,
                "  {} {} [{}]{}",
                c.id,
                c.title,
                points(c.max_points, lang),
                marker(c.scorable.as_ref(), lang)
            )?;
            for s in &c.sub {
                writeln!(
                    out,
                    "    {} {} [{}]{}",
                    s.id,
                    s.title,
                    points(s.max_points, lang),
                    marker(Some(s), lang)
                )?;
            }
        }
    }
    for d in &r.deductions {
        writeln!(
            out,
            "{} {} [−{}]{}",
            d.id,
            d.title,
            points(d.max_points, lang),
            marker(Some(d), lang)
        )?;
    }
    Ok(())
}

fn marker(s: Option<&Scorable>, lang: Lang) -> String {
    match s.map(|s| &s.scoring) {
        Some(Scoring::Statistics { .. }) => match lang {
            Lang::Vi => " (số liệu hệ thống)".into(),
            Lang::En => " (system statistics)".into(),
        },
        Some(Scoring::Documents { requirements }) => format!(" ({} TLKC)", requirements.len()),
        None => String::new(),
    }
}

/// Print one node; false when the id is unknown.
pub fn show(r: &Ruleset, id: &str, lang: Lang, out: &mut dyn Write) -> io::Result<bool> {
    for a in &r.areas {
        if a.id == id {
            writeln!(out, "{} {} [{}]", a.id, a.title, points(a.max_points, lang))?;
            for c in &a.criteria {
                writeln!(
                    out,
                    "  {} {} [{}]",
                    c.id,
                    c.title,
                    points(c.max_points, lang)
                )?;
            }
            return Ok(true);
        }
        for c in &a.criteria {
            if c.id == id && c.scorable.is_none() {
                writeln!(out, "{} {} [{}]", c.id, c.title, points(c.max_points, lang))?;
                if let Some(n) = &c.note {
                    writeln!(out, "  {n}")?;
                }
                for s in &c.sub {
                    writeln!(
                        out,
                        "  {} {} [{}]{}",
                        s.id,
                        s.title,
                        points(s.max_points, lang),
                        marker(Some(s), lang)
                    )?;
                }
                return Ok(true);
            }
        }
    }
    let Some(s) = r.find(id) else {
        return Ok(false);
    };
    let vi = lang == Lang::Vi;
    writeln!(out, "{} {} [{}]", s.id, s.title, points(s.max_points, lang))?;
    if let Some(n) = &s.note {
        writeln!(out, "  {n}")?;
    }
    writeln!(
        out,
        "  {}: {}",
        if vi {
            "Phương pháp chấm"
        } else {
            "Scoring method"
        },
        method(&s.method, lang)
    )?;
    match &s.scoring {
        Scoring::Statistics { source } => {
            writeln!(
                out,
                "  {}: {source}",
                if vi {
                    "Chấm theo số liệu"
                } else {
                    "Scored from statistics"
                }
            )?;
        }
        Scoring::Documents { requirements } => {
            for req in requirements {
                requirement(req, lang, out)?;
            }
        }
    }
    Ok(true)
}

/// "tasks (late_weight 0,5)", "bands (≥ 100 → 2; ≥ 90 → 1)".
fn method(m: &crate::rules::Method, lang: Lang) -> String {
    use crate::rules::Method;
    let p = |x: f64| super::points(x, lang);
    match m {
        Method::Ratio { target } => format!("ratio (target {})", p(*target)),
        Method::Bands { bands } => {
            let b: Vec<String> = bands
                .iter()
                .map(|b| format!("≥ {} → {}", p(b.min), p(b.points)))
                .collect();
            format!("bands ({})", b.join("; "))
        }
        Method::Tasks { late_weight } => format!("tasks (late_weight {})", p(*late_weight)),
        Method::PerItem { per_item } => format!("per_item ({})", p(*per_item)),
        other => other.name().to_string(),
    }
}

fn requirement(req: &Requirement, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let vi = lang == Lang::Vi;
    writeln!(
        out,
        "  • {} [{}] ({})",
        req.title,
        points(req.points, lang),
        req.id
    )?;
    if !req.types.is_empty() {
        writeln!(
            out,
            "      {}: {}",
            if vi { "loại văn bản" } else { "types" },
            req.types.join(", ")
        )?;
    }
    if !req.title_patterns.is_empty() {
        writeln!(
            out,
            "      {}: {}",
            if vi {
                "trích yếu chứa"
            } else {
                "title contains"
            },
            req.title_patterns.join(" | ")
        )?;
    }
    if !req.periods.is_empty() {
        let p: Vec<&str> = req
            .periods
            .iter()
            .map(|p| if vi { p.label_vi() } else { p.label_en() })
            .collect();
        writeln!(
            out,
            "      {}: {}",
            if vi { "các kỳ" } else { "periods" },
            p.join(", ")
        )?;
    } else if req.count > 1 {
        writeln!(
            out,
            "      {}: {}",
            if vi { "số lượng" } else { "count" },
            req.count
        )?;
    }
    if let Some(d) = &req.deadline {
        let text = match d {
            Deadline::Fixed { date, basis } => format!(
                "{date}{}",
                basis
                    .as_deref()
                    .map(|b| format!(" — {b}"))
                    .unwrap_or_default()
            ),
            Deadline::PeriodDay { day, basis } => format!(
                "{} {day}{}",
                if vi {
                    "ngày trong tháng cuối kỳ:"
                } else {
                    "day of the period's last month:"
                },
                basis
                    .as_deref()
                    .map(|b| format!(" — {b}"))
                    .unwrap_or_default()
            ),
            Deadline::Local { key, basis } => format!(
                "tlkc.toml [deadlines.{key}]{}",
                basis
                    .as_deref()
                    .map(|b| format!(" — {b}"))
                    .unwrap_or_default()
            ),
        };
        writeln!(out, "      {}: {text}", if vi { "hạn" } else { "deadline" })?;
    }
    let sig = match (req.signature, vi) {
        (SignatureRule::None, true) => "không bắt buộc",
        (SignatureRule::Required, true) => "bắt buộc",
        (SignatureRule::PersonAndOrganization, true) => {
            "bắt buộc, của người có thẩm quyền và của cơ quan"
        }
        (SignatureRule::None, false) => "not required",
        (SignatureRule::Required, false) => "required",
        (SignatureRule::PersonAndOrganization, false) => {
            "required, by the competent person and the organisation"
        }
    };
    writeln!(
        out,
        "      {}: {sig}",
        if vi { "ký số" } else { "digital signature" }
    )?;
    if let Some(b) = &req.basis {
        writeln!(out, "      {}: {b}", if vi { "căn cứ" } else { "basis" })?;
    }
    Ok(())
}
