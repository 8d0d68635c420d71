//! The province report in Markdown (e.g. for $GITHUB_STEP_SUMMARY): the
//! ranking table and the sub-criteria most units lose.

use std::io::{self, Write};

use super::{first_line, score_text, state_label, t, verdict_line, SHOWN_LOSSES};
use crate::findings::Lang;
use crate::report::escape::markdown as md;
use crate::report::{long_date, points};
use crate::run::units::ranking::{UnitOutcome, UnitsReport};

pub fn render(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "## tlkc — {} ({} {})",
        t(lang, "Kiểm tra theo đơn vị", "Units checked"),
        report.units.len(),
        t(lang, "đơn vị", "units")
    )?;
    writeln!(out)?;
    if let Some(d) = report.as_of {
        writeln!(
            out,
            "{} {}\n",
            t(lang, "Đánh giá tại", "As of"),
            long_date(d, lang)
        )?;
    }
    writeln!(out, "**{}**\n", md(&verdict_line(report, lang)))?;
    let show_score = report.has_scores();
    write!(
        out,
        "| # | {} | {} | {} | {} |",
        t(lang, "Đơn vị", "Unit"),
        t(lang, "Lỗi", "Errors"),
        t(lang, "Cảnh báo", "Warnings"),
        t(lang, "Điểm nguy cơ mất", "Points at risk")
    )?;
    if show_score {
        write!(out, " {} |", t(lang, "Điểm ước tính", "Est. score"))?;
    }
    writeln!(out, " {} |", t(lang, "Tình trạng", "State"))?;
    writeln!(
        out,
        "|---:|---|---:|---:|---:|{}---|",
        if show_score { "---:|" } else { "" }
    )?;
    for (i, u) in report.units.iter().enumerate() {
        let name = match &u.report_link {
            Some(link) => format!("[{}]({link})", md(&u.label())),
            None => md(&u.label()),
        };
        let (e, w, p) = match u.digest() {
            Some(d) => (
                d.summary.errors.to_string(),
                d.summary.warnings.to_string(),
                points(d.summary.points_at_risk, lang),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        write!(out, "| {} | {name} | {e} | {w} | {p} |", i + 1)?;
        if show_score {
            write!(
                out,
                " {} |",
                score_text(u, lang).unwrap_or_else(|| "—".into())
            )?;
        }
        let mut state = state_label(u, lang).to_string();
        if let UnitOutcome::Failed(err) = &u.outcome {
            state = format!("{state}: {}", first_line(err));
        }
        writeln!(out, " {} |", md(&state))?;
    }
    if report.common_losses.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n### {}\n",
        t(
            lang,
            "Tiêu chí thành phần bị mất điểm",
            "Sub-criteria losing points"
        )
    )?;
    writeln!(
        out,
        "| {} | {} | {} | {} |",
        t(lang, "Tiêu chí", "Criterion"),
        t(lang, "Số đơn vị", "Units"),
        t(lang, "Đơn vị", "Which"),
        t(lang, "Mã lỗi", "Error codes")
    )?;
    writeln!(out, "|---|---:|---|---|")?;
    let n = report.checked();
    for l in report.common_losses.iter().take(SHOWN_LOSSES) {
        let codes: Vec<String> = l
            .findings
            .iter()
            .map(|(c, _, count)| super::code_count(*c, *count, lang))
            .collect();
        writeln!(
            out,
            "| {} {} | {}/{n} | {} | {} |",
            md(&l.criterion),
            md(&l.title),
            l.units.len(),
            md(&l.units.join(", ")),
            md(&codes.join(", "))
        )?;
    }
    Ok(())
}
