//! The province report as one self-contained HTML page: a ranking table
//! (each unit linking to its own report page when `--output-dir` wrote
//! one) and the sub-criteria most units lose. Same style as a single run.

use std::io::{self, Write};

use super::{first_line, score_text, state_label, t, verdict_line, SHOWN_LOSSES};
use crate::findings::Lang;
use crate::report::escape::html as esc;
use crate::report::html::CSS;
use crate::report::{long_date, points, Options};
use crate::run::units::ranking::{UnitOutcome, UnitsReport};
use crate::VERSION;

pub fn render(report: &UnitsReport, opts: &Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    let title = t(
        lang,
        "Kiểm tra tài liệu kiểm chứng theo đơn vị",
        "Evidence check by unit",
    );
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        r#"<html lang="{}">"#,
        if lang == Lang::Vi { "vi" } else { "en" }
    )?;
    writeln!(out, r#"<head><meta charset="utf-8">"#)?;
    writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(out, "<title>{}</title>", esc(title))?;
    writeln!(out, "<style>{CSS}</style></head>")?;
    writeln!(out, "<body>")?;
    let ready = report.all_ready();
    writeln!(
        out,
        r#"<header class="verdict {}">"#,
        if ready { "ready" } else { "not-ready" }
    )?;
    writeln!(out, "<h1>{}</h1>", esc(title))?;
    writeln!(
        out,
        r#"<p class="risk">{}</p>"#,
        esc(&verdict_line(report, lang))
    )?;
    writeln!(out, "</header>")?;
    if let Some(d) = report.as_of {
        writeln!(
            out,
            r#"<p class="meta">{} {}</p>"#,
            t(lang, "Đánh giá tại", "As of"),
            esc(&long_date(d, lang))
        )?;
    }
    ranking(report, lang, out)?;
    losses(report, lang, out)?;
    writeln!(
        out,
        "<footer>tlkc {VERSION} — {}</footer>",
        esc(t(
            lang,
            "mỗi đơn vị được kiểm tra như một lần chạy riêng; số liệu trùng với báo cáo riêng của đơn vị.",
            "each unit is checked as a run of its own; its numbers are those of its own report."
        ))
    )?;
    writeln!(out, "</body></html>")
}

fn ranking(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let show_score = report.has_scores();
    writeln!(
        out,
        "<h2>{}</h2>",
        t(lang, "Xếp hạng đơn vị", "Units ranked")
    )?;
    writeln!(out, r#"<table class="ranking"><thead><tr>"#)?;
    write!(
        out,
        "<th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        t(lang, "Đơn vị", "Unit"),
        t(lang, "Lỗi", "Errors"),
        t(lang, "Cảnh báo", "Warnings"),
        t(lang, "Điểm có nguy cơ mất", "Points at risk")
    )?;
    if show_score {
        write!(
            out,
            "<th>{}</th>",
            t(lang, "Điểm ước tính", "Estimated score")
        )?;
    }
    writeln!(
        out,
        "<th>{}</th></tr></thead><tbody>",
        t(lang, "Tình trạng", "State")
    )?;
    for (i, u) in report.units.iter().enumerate() {
        let name = match &u.report_link {
            Some(link) => format!(r#"<a href="{}">{}</a>"#, esc(link), esc(&u.label())),
            None => esc(&u.label()),
        };
        write!(out, r#"<tr><td class="num">{}</td><td>{name}"#, i + 1)?;
        if let Some(d) = u.digest() {
            write!(
                out,
                r#"<br><small>{}</small></td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>"#,
                esc(&d.ruleset_id),
                d.summary.errors,
                d.summary.warnings,
                points(d.summary.points_at_risk, lang)
            )?;
        } else {
            write!(
                out,
                r#"</td><td class="num">—</td><td class="num">—</td><td class="num">—</td>"#
            )?;
        }
        if show_score {
            write!(
                out,
                r#"<td class="num">{}</td>"#,
                esc(&score_text(u, lang).unwrap_or_else(|| "—".into()))
            )?;
        }
        let (class, detail) = match &u.outcome {
            UnitOutcome::Failed(e) => ("b-error", format!("<br>{}", esc(first_line(e)))),
            UnitOutcome::Checked(_) if u.ready() => ("st-ok", String::new()),
            UnitOutcome::Checked(_) => ("st-failing", String::new()),
        };
        writeln!(
            out,
            r#"<td><span class="badge {class}">{}</span>{detail}</td></tr>"#,
            esc(state_label(u, lang))
        )?;
    }
    writeln!(out, "</tbody></table>")
}

fn losses(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<h2>{}</h2>",
        t(
            lang,
            "Tiêu chí thành phần nhiều đơn vị mất điểm",
            "Sub-criteria most units lose"
        )
    )?;
    if report.common_losses.is_empty() {
        return writeln!(
            out,
            "<p>{}</p>",
            t(
                lang,
                "Không đơn vị nào có tiêu chí thành phần bị mất điểm.",
                "No unit loses points on any sub-criterion."
            )
        );
    }
    writeln!(
        out,
        "<table class=\"losses\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "Tiêu chí thành phần", "Sub-criterion"),
        t(lang, "Số đơn vị", "Units"),
        t(lang, "Đơn vị", "Which"),
        t(lang, "Tổng điểm nguy cơ mất", "Points at risk, all units"),
        t(lang, "Lỗi", "Errors")
    )?;
    let n = report.checked();
    for l in report.common_losses.iter().take(SHOWN_LOSSES) {
        let codes: Vec<String> = l
            .findings
            .iter()
            .map(|(c, units, count)| {
                let named = super::code_count(*c, *count, lang);
                let name = named
                    .strip_prefix(c.as_str())
                    .unwrap_or(&named)
                    .trim_start()
                    .to_string();
                format!(
                    "<code>{}</code> {} ({units} {})",
                    c.as_str(),
                    esc(&name),
                    t(lang, "đơn vị", "units")
                )
            })
            .collect();
        writeln!(
            out,
            r#"<tr><td class="code">{} <small>{}</small></td><td class="num">{}/{n}</td><td>{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            esc(&l.criterion),
            esc(&l.title),
            l.units.len(),
            esc(&l.units.join(", ")),
            points(l.points_at_risk, lang),
            codes.join("<br>")
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if report.common_losses.len() > SHOWN_LOSSES {
        writeln!(
            out,
            "<p class=\"meta\">… {} {}</p>",
            report.common_losses.len() - SHOWN_LOSSES,
            t(
                lang,
                "tiêu chí khác (xem --format json)",
                "more (see --format json)"
            )
        )?;
    }
    Ok(())
}
