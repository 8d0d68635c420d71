//! Markdown summary (`--format markdown`), e.g. for $GITHUB_STEP_SUMMARY or
//! a merge-request comment: verdict, a table of sub-criteria, the findings.

use std::io::{self, Write};

use super::escape::markdown as md;
use super::{findings_of, long_date, loose_findings, points, severity_label, status_label};
use crate::findings::Status;
use crate::findings::{Finding, Lang};
use crate::run::Report;

fn mark(s: Status) -> &'static str {
    match s {
        Status::Ok => "✅",
        Status::Failing => "❌",
        Status::Pending => "⏳",
        Status::NotCheckable => "➖",
    }
}

fn finding_line(f: &Finding, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let waived = match (&f.waived, lang) {
        (Some(w), Lang::Vi) => format!(" _(đã miễn trừ: {})_", md(&w.reason)),
        (Some(w), Lang::En) => format!(" _(waived: {})_", md(&w.reason)),
        (None, _) => String::new(),
    };
    writeln!(
        out,
        "- **{} {}**{}: {}{waived}",
        severity_label(f.severity, lang),
        f.code,
        f.criterion
            .as_deref()
            .map(|c| format!(" ({})", md(c)))
            .unwrap_or_default(),
        md(f.message.get(lang))
    )
}

pub fn render(report: &Report, opts: &super::Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    let s = report.summary();
    let vi = lang == Lang::Vi;
    let verdict = match (s.errors == 0, vi) {
        (true, true) => "✅ Sẵn sàng nộp",
        (false, true) => "❌ Chưa sẵn sàng",
        (true, false) => "✅ Ready to submit",
        (false, false) => "❌ Not ready",
    };
    writeln!(
        out,
        "## {verdict} — {} {}",
        points(s.points_at_risk, lang),
        if vi {
            "điểm có nguy cơ mất"
        } else {
            "points at risk"
        }
    )?;
    writeln!(out)?;
    if let Some(u) = report.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        writeln!(out, "**{}**", md(u.trim()))?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} · `{}` · {} {}",
        md(&report.rules.framework.title),
        md(&report.root),
        if vi { "tính đến" } else { "as of" },
        long_date(report.as_of, lang)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{} {}, {} {}, {} {}, {} {}, {} {}.",
        s.errors,
        if vi { "lỗi" } else { "errors" },
        s.warnings,
        if vi { "cảnh báo" } else { "warnings" },
        s.infos,
        if vi { "lưu ý" } else { "infos" },
        s.waived,
        if vi { "đã miễn trừ" } else { "waived" },
        s.files,
        if vi { "tệp" } else { "files" },
    )?;
    writeln!(out)?;
    let mut run_level = false;
    for f in super::run_findings(report) {
        finding_line(f, lang, out)?;
        run_level = true;
    }
    if run_level {
        writeln!(out)?;
    }
    writeln!(out, "{}", md(&super::score::total_line(report, lang)))?;
    writeln!(out)?;
    let (head, fixes) = super::score::what_if(report, lang);
    if let Some(head) = head {
        writeln!(out, "**{}**", md(&head))?;
        writeln!(out)?;
        for l in fixes {
            writeln!(out, "1. {}", md(&l))?;
        }
        writeln!(out)?;
    }
    let (head, late) = super::score::to_explain(report, lang);
    if let Some(head) = head {
        writeln!(out, "**{}**", md(&head))?;
        writeln!(out)?;
        for l in late {
            writeln!(out, "- {}", md(&l))?;
        }
        writeln!(out)?;
    }
    if vi {
        writeln!(
            out,
            "| | Tiêu chí thành phần | Trạng thái | Điểm có nguy cơ mất | Điểm ước tính | Phát hiện |"
        )?;
    } else {
        writeln!(
            out,
            "| | Sub-criterion | Status | Points at risk | Estimated points | Findings |"
        )?;
    }
    writeln!(out, "|---|---|---|---:|---:|---:|")?;
    for (_, sc) in report.rules.scorables() {
        let Some(o) = report.outcomes.iter().find(|o| o.id == sc.id) else {
            continue;
        };
        let n = findings_of(report, &sc.id)
            .filter(|f| f.is_active())
            .count();
        writeln!(
            out,
            "| {} | {} {} | {} | {} | {} | {n} |",
            mark(o.status),
            md(&sc.id),
            md(&sc.title),
            status_label(o.status, lang),
            points(o.points_at_risk, lang),
            md(&super::score::cell(report, &sc.id, sc.max_points, lang))
        )?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "### {}", if vi { "Phát hiện" } else { "Findings" })?;
        writeln!(out)?;
        for (_, sc) in report.rules.scorables() {
            for f in findings_of(report, &sc.id) {
                finding_line(f, lang, out)?;
            }
        }
        for f in loose_findings(report) {
            finding_line(f, lang, out)?;
        }
    }
    if opts.explanations {
        let drafts = super::explain_draft::drafts(report);
        writeln!(out)?;
        writeln!(out, "### {}", super::explain_draft::heading(lang))?;
        writeln!(out)?;
        for d in drafts {
            writeln!(out, "1. **{}** {}", d.code, md(&d.text))?;
        }
    }
    Ok(())
}
