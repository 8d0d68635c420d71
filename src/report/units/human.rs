//! The province report for a terminal: one line per unit, then the
//! sub-criteria most units lose.

use std::io::{self, Write};

use super::{first_line, score_text, state_label, t, verdict_line, SHOWN_LOSSES};
use crate::report::{long_date, points, Options};
use crate::run::units::ranking::{UnitOutcome, UnitsReport};

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn rpad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{}{s}", " ".repeat(width.saturating_sub(n)))
}

pub fn render(report: &UnitsReport, opts: &Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    writeln!(
        out,
        "{} — {} {}",
        t(lang, "Kiểm tra theo đơn vị", "Units checked"),
        report.units.len(),
        t(lang, "đơn vị", "units")
    )?;
    if let Some(d) = report.as_of {
        writeln!(
            out,
            "{} {}",
            t(lang, "Đánh giá tại", "As of"),
            long_date(d, lang)
        )?;
    }
    writeln!(out)?;
    let show_score = report.has_scores();
    let head_unit = t(lang, "Đơn vị", "Unit");
    let name_w = report
        .units
        .iter()
        .map(|u| u.label().chars().count())
        .chain([head_unit.chars().count()])
        .max()
        .unwrap_or(0);
    let cols = [
        t(lang, "Lỗi", "Errors"),
        t(lang, "Cảnh báo", "Warnings"),
        t(lang, "Điểm nguy cơ mất", "Points at risk"),
    ];
    let mut head = format!(" #  {}", pad(head_unit, name_w));
    for c in cols {
        head.push_str(&format!("  {c}"));
    }
    if show_score {
        head.push_str(&format!("  {}", t(lang, "Điểm ước tính", "Est. score")));
    }
    head.push_str(&format!("  {}", t(lang, "Tình trạng", "State")));
    writeln!(out, "{head}")?;
    for (i, u) in report.units.iter().enumerate() {
        let mut line = format!("{:>2}  {}", i + 1, pad(&u.label(), name_w));
        let nums: [String; 3] = match u.digest() {
            Some(d) => [
                d.summary.errors.to_string(),
                d.summary.warnings.to_string(),
                points(d.summary.points_at_risk, lang),
            ],
            None => ["—".into(), "—".into(), "—".into()],
        };
        for (c, v) in cols.iter().zip(nums.iter()) {
            line.push_str(&format!("  {}", rpad(v, c.chars().count())));
        }
        if show_score {
            let s = score_text(u, lang).unwrap_or_else(|| "—".into());
            line.push_str(&format!(
                "  {}",
                rpad(&s, t(lang, "Điểm ước tính", "Est. score").chars().count())
            ));
        }
        line.push_str(&format!("  {}", state_label(u, lang)));
        if let UnitOutcome::Failed(e) = &u.outcome {
            line.push_str(&format!(": {}", first_line(e)));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    if !report.common_losses.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            t(
                lang,
                "Tiêu chí thành phần bị mất điểm (nhiều đơn vị nhất trước):",
                "Sub-criteria losing points (most units first):"
            )
        )?;
        let n = report.checked();
        for l in report.common_losses.iter().take(SHOWN_LOSSES) {
            let codes: Vec<String> = l
                .findings
                .iter()
                .map(|(c, _, count)| super::code_count(*c, *count, lang))
                .collect();
            writeln!(
                out,
                "  {} {} — {}/{n} {}: {}{}",
                l.criterion,
                l.title,
                l.units.len(),
                t(lang, "đơn vị", "units"),
                l.units.join(", "),
                if codes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", codes.join(", "))
                }
            )?;
        }
        if report.common_losses.len() > SHOWN_LOSSES {
            writeln!(
                out,
                "  … {} {}",
                report.common_losses.len() - SHOWN_LOSSES,
                t(
                    lang,
                    "tiêu chí khác (xem --format json)",
                    "more (see --format json)"
                )
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", verdict_line(report, lang))
}
