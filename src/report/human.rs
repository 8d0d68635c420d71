//! The terminal report: grouped by area and sub-criterion, one plain
//! sentence per finding, a closing verdict line.

use std::io::{self, Write};

use super::{long_date, points};
use crate::findings::Status;
use crate::findings::{Finding, Lang, Severity};
use crate::run::Report;

struct Words {
    header: &'static str,
    as_of: &'static str,
    at_risk: &'static str,
    not_checkable: &'static str,
    pending: &'static str,
    unfiled: &'static str,
    ready: &'static str,
    not_ready: &'static str,
    errors: &'static str,
    warnings: &'static str,
    infos: &'static str,
    files: &'static str,
    points_at_risk: &'static str,
    deduction: &'static str,
    waived: &'static str,
    reason: &'static str,
}

const VI: Words = Words {
    header: "Kiểm tra tài liệu kiểm chứng",
    as_of: "tính đến",
    at_risk: "điểm có nguy cơ mất",
    not_checkable: "chấm theo số liệu hệ thống, không kiểm tra từ tệp",
    pending: "chưa đến hạn",
    unfiled: "Tệp và thư mục (không gắn tiêu chí)",
    ready: "SẴN SÀNG NỘP",
    not_ready: "CHƯA SẴN SÀNG",
    errors: "lỗi",
    warnings: "cảnh báo",
    infos: "lưu ý",
    files: "tệp",
    points_at_risk: "điểm có nguy cơ bị trừ",
    deduction: "Điểm trừ",
    waived: "ĐÃ MIỄN TRỪ",
    reason: "lý do",
};

const EN: Words = Words {
    header: "Evidence check",
    as_of: "as of",
    at_risk: "points at risk",
    not_checkable: "scored from system statistics, not checkable from files",
    pending: "not yet due",
    unfiled: "Files and folders (no sub-criterion)",
    ready: "READY TO SUBMIT",
    not_ready: "NOT READY",
    errors: "errors",
    warnings: "warnings",
    infos: "infos",
    files: "files",
    points_at_risk: "points at risk",
    deduction: "Deductions",
    waived: "WAIVED",
    reason: "reason",
};

fn sev(s: Severity, lang: Lang) -> &'static str {
    super::severity_label(s, lang)
}

/// ANSI styling, applied only when the CLI decided colour is wanted.
struct Paint(bool);

impl Paint {
    fn sev(&self, s: Severity, text: &str) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        self.wrap(code, text)
    }
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The closing line every run ends with (also printed alone by `--quiet`).
pub fn verdict_line(report: &Report, lang: Lang) -> String {
    let w = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let s = report.summary();
    let waived = if s.waived > 0 {
        match lang {
            Lang::Vi => format!(", {} đã miễn trừ", s.waived),
            Lang::En => format!(", {} waived", s.waived),
        }
    } else {
        String::new()
    };
    format!(
        "{}: {} — {} {}, {} {}, {} {}{waived}; {} {}; {} {}.",
        if lang == Lang::Vi {
            "Kết luận"
        } else {
            "Verdict"
        },
        if s.errors == 0 { w.ready } else { w.not_ready },
        s.errors,
        w.errors,
        s.warnings,
        w.warnings,
        s.infos,
        w.infos,
        points(s.points_at_risk, lang),
        w.points_at_risk,
        s.files,
        w.files
    )
}

pub fn render_with(report: &Report, opts: &super::Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    let paint = Paint(opts.color);
    let w = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let fw = &report.rules.framework;
    writeln!(
        out,
        "{} — {} — {}",
        super::titled(report, w.header),
        fw.title,
        report.root
    )?;
    writeln!(out, "{} {}", w.as_of, long_date(report.as_of, lang))?;
    if let Some(hint) = super::folder_hint(report, lang) {
        writeln!(out, "{hint}")?;
    }
    for f in super::run_findings(report) {
        writeln!(
            out,
            "  {} {}: {}",
            paint.sev(f.severity, sev(f.severity, lang)),
            f.code,
            f.message.get(lang)
        )?;
    }
    let finding_line = |f: &Finding, out: &mut dyn Write| -> io::Result<()> {
        match &f.waived {
            None => writeln!(
                out,
                "      {} {}: {}",
                paint.sev(f.severity, sev(f.severity, lang)),
                f.code,
                f.message.get(lang)
            )?,
            Some(wv) => writeln!(
                out,
                "      {} {}: {} ({}: {})",
                paint.wrap("2", w.waived),
                f.code,
                f.message.get(lang),
                w.reason,
                wv.reason
            )?,
        }
        // The verifier's own words, for whoever has to dig (`--verbose`).
        match f.facts.get("detail").filter(|_| opts.verbose) {
            Some(d) if lang == Lang::Vi => writeln!(out, "        (chi tiết kỹ thuật: {d})"),
            Some(d) => writeln!(out, "        (detail: {d})"),
            None => Ok(()),
        }
    };
    let mut area_printed: Option<&str> = None;
    for (area, s) in report.rules.scorables() {
        let Some(o) = report.outcomes.iter().find(|o| o.id == s.id) else {
            continue;
        };
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.criterion.as_deref() == Some(&s.id))
            .collect();
        let area_label = if area.id.is_empty() {
            w.deduction.to_string()
        } else {
            format!("{} {}", area.id, area.title)
        };
        if area_printed != Some(area.id.as_str()) {
            writeln!(out)?;
            writeln!(out, "{area_label}")?;
            area_printed = Some(area.id.as_str());
        }
        // No tick on a unit that earns nothing (a person scored it 0).
        let zero = report
            .score
            .of(&s.id)
            .and_then(|e| e.points)
            .is_some_and(|p| p <= 0.0 && s.max_points > 0.0);
        let (mark, extra) = match o.status {
            Status::Ok if zero => ("·".to_string(), String::new()),
            Status::Ok => (paint.wrap("32", "✓"), String::new()),
            Status::Failing => (
                paint.wrap("1;31", "✗"),
                format!(" — {} {}", points(o.points_at_risk, lang), w.at_risk),
            ),
            Status::Pending => (paint.wrap("33", "…"), format!(" — {}", w.pending)),
            Status::NotCheckable => ("·".to_string(), format!(" — {}", w.not_checkable)),
        };
        writeln!(
            out,
            "  {mark} {} {} [{}]{extra}",
            s.id,
            s.title,
            super::score::cell(report, &s.id, s.max_points, lang)
        )?;
        if let Some(e) = report.score.of(&s.id).filter(|e| e.method != "evidence") {
            writeln!(out, "      {}", e.basis.get(lang))?;
        }
        for f in findings {
            finding_line(f, out)?;
        }
    }
    let loose: Vec<&Finding> = super::loose_findings(report).collect();
    if !loose.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", w.unfiled)?;
        for f in loose {
            finding_line(f, out)?;
        }
    }
    if opts.explanations {
        super::explain_draft::human(report, lang, out)?;
    }
    writeln!(out)?;
    for (head, lines) in [
        super::score::what_if(report, lang),
        super::score::to_explain(report, lang),
    ] {
        if let Some(head) = head {
            writeln!(out, "{head}")?;
            for l in lines {
                writeln!(out, "  • {l}")?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", super::score::total_line(report, lang))?;
    writeln!(out, "{}", verdict_line(report, lang))
}
