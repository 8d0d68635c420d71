//! One self-contained HTML page (`--format html`): inline CSS, no script,
//! no network, printable on A4. Big verdict first, then the sub-criteria
//! table with links to the evidence, then every finding as plain sentences
//! (what is wrong, the rule, what to do next).

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use super::escape::{html as esc, uri_path};
use super::{
    findings_of, long_date, loose_findings, points, severity_label, short_date, status_label,
    Options,
};
use crate::checks::registry;
use crate::findings::Status;
use crate::findings::{Finding, Lang, Severity};
use crate::run::Report;
use crate::VERSION;

pub(crate) const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; font-size: 11pt; color: #1b1f24; margin: 0 auto; max-width: 190mm; padding: 10mm 0; line-height: 1.45; }
h1 { font-size: 26pt; margin: 0 0 2mm; letter-spacing: .5px; }
h2 { font-size: 14pt; border-bottom: 2px solid #1b1f24; padding-bottom: 1mm; margin: 8mm 0 3mm; }
h3 { font-size: 11.5pt; margin: 0 0 1.5mm; }
.verdict { border-radius: 3mm; padding: 6mm 7mm; color: #fff; }
.verdict.ready { background: #1e7b34; }
.verdict.not-ready { background: #b3261e; }
.verdict .risk { font-size: 15pt; font-weight: 600; }
.verdict .risk .num { font-size: 22pt; }
.verdict p { margin: 1.5mm 0 0; }
.verdict .unit { font-size: 13pt; font-weight: 600; margin: 0 0 1mm; }
.run-finding { border-left: 2mm solid #c77700; background: #fff7e6; padding: 2mm 3mm; margin: 3mm 0 0; }
.meta { color: #444; margin: 3mm 0 0; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; }
th, td { border: 1px solid #c4c8cc; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
thead th { background: #eef0f2; }
tr { page-break-inside: avoid; break-inside: avoid; }
tr.area th { background: #dfe3e7; font-size: 10.5pt; }
td.num { text-align: right; white-space: nowrap; }
td.code { white-space: nowrap; font-weight: 600; }
.badge { display: inline-block; border-radius: 1.5mm; padding: .3mm 2mm; font-size: 9pt; font-weight: 700; white-space: nowrap; }
.st-ok { background: #d7f0dc; color: #14532d; }
.st-failing { background: #fbd5d2; color: #7f1d1d; }
.st-pending { background: #fdecc8; color: #713f12; }
.st-not_checkable { background: #e5e7eb; color: #374151; }
.sev-error { border-left: 2mm solid #b3261e; }
.sev-warning { border-left: 2mm solid #c77700; }
.sev-info { border-left: 2mm solid #2563a6; }
.b-error { background: #b3261e; color: #fff; }
.b-warning { background: #c77700; color: #fff; }
.b-info { background: #2563a6; color: #fff; }
.b-waived { background: #6b7280; color: #fff; }
.finding { padding: 2mm 3mm; margin: 0 0 3mm; background: #fafafa; page-break-inside: avoid; break-inside: avoid; }
.finding.waived { opacity: .75; border-left-color: #6b7280; }
.finding p { margin: 1mm 0; }
.finding .label { font-weight: 600; }
ul.files { margin: 0; padding-left: 4mm; }
a { color: #0b4f9c; word-break: break-word; }
code { font-family: "Noto Sans Mono", Consolas, monospace; }
.draft { background: #fffbe6; border: 1px dashed #c9a400; padding: 2mm 3mm; margin: 0 0 3mm; page-break-inside: avoid; }
footer { margin-top: 8mm; font-size: 9pt; color: #555; border-top: 1px solid #c4c8cc; padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"#;

struct Words {
    title: &'static str,
    ready: &'static str,
    not_ready: &'static str,
    at_risk: &'static str,
    ruleset: &'static str,
    folder: &'static str,
    as_of: &'static str,
    table: &'static str,
    code: &'static str,
    unit: &'static str,
    status: &'static str,
    max: &'static str,
    risk: &'static str,
    score: &'static str,
    what_if: &'static str,
    evidence: &'static str,
    findings: &'static str,
    no_findings: &'static str,
    file: &'static str,
    rule: &'static str,
    next: &'static str,
    waived: &'static str,
    unfiled: &'static str,
    deductions: &'static str,
    basis: &'static str,
    made_by: &'static str,
    counts: [&'static str; 5],
}

const VI: Words = Words {
    title: "Kiểm tra tài liệu kiểm chứng",
    ready: "SẴN SÀNG NỘP",
    not_ready: "CHƯA SẴN SÀNG NỘP",
    at_risk: "điểm có nguy cơ mất",
    ruleset: "Bộ tiêu chí",
    folder: "Thư mục tài liệu kiểm chứng",
    as_of: "Tính đến",
    table: "Tiêu chí thành phần",
    code: "Mã",
    unit: "Tiêu chí thành phần",
    status: "Trạng thái",
    max: "Điểm tối đa",
    risk: "Điểm có nguy cơ mất",
    score: "Điểm ước tính",
    what_if: "Sửa lỗi nào lấy lại nhiều điểm nhất",
    evidence: "Tài liệu kiểm chứng",
    findings: "Phát hiện và việc cần làm",
    no_findings: "Không có phát hiện nào.",
    file: "Tệp",
    rule: "Quy định",
    next: "Việc cần làm",
    waived: "ĐÃ MIỄN TRỪ",
    unfiled: "Tệp và thư mục (không gắn tiêu chí)",
    deductions: "Điểm trừ",
    basis: "Căn cứ",
    made_by: "Báo cáo do tlkc lập",
    counts: ["lỗi", "cảnh báo", "lưu ý", "đã miễn trừ", "tệp"],
};

const EN: Words = Words {
    title: "Evidence check",
    ready: "READY TO SUBMIT",
    not_ready: "NOT READY",
    at_risk: "points at risk",
    ruleset: "Ruleset",
    folder: "Evidence folder",
    as_of: "As of",
    table: "Sub-criteria",
    code: "Code",
    unit: "Sub-criterion",
    status: "Status",
    max: "Max points",
    risk: "Points at risk",
    score: "Estimated points",
    what_if: "Fixes that win back most points",
    evidence: "Evidence files",
    findings: "Findings and what to do",
    no_findings: "No findings.",
    file: "File",
    rule: "Rule",
    next: "What to do",
    waived: "WAIVED",
    unfiled: "Files and folders (no sub-criterion)",
    deductions: "Deductions",
    basis: "Legal basis",
    made_by: "Report made by tlkc",
    counts: ["errors", "warnings", "infos", "waived", "files"],
};

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Ok => "st-ok",
        Status::Failing => "st-failing",
        Status::Pending => "st-pending",
        Status::NotCheckable => "st-not_checkable",
    }
}

fn link(base: &str, rel: &str) -> String {
    format!(
        r#"<a href="{}">{}</a>"#,
        esc(&format!("{base}{}", uri_path(rel))),
        esc(rel.rsplit('/').next().unwrap_or(rel))
    )
}

/// The docs explanation is "what the rule says\nFix: what to do"; the two
/// halves go to their own sentences in the page.
fn rule_and_fix(f: &Finding, lang: Lang) -> (&'static str, String) {
    let text = registry::diag(f.code).explain.get(lang);
    match text.split_once('\n') {
        Some((rule, fix)) => {
            let fix = fix
                .strip_prefix("Cách xử lý:")
                .or_else(|| fix.strip_prefix("Fix:"))
                .unwrap_or(fix)
                .trim();
            // The label ends the sentence before it, so the fix starts one.
            let mut chars = fix.chars();
            let fix = match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
            (rule.trim(), fix)
        }
        None => (text, String::new()),
    }
}

fn finding(f: &Finding, w: &Words, opts: &Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    let sev = f.severity.as_str();
    let waived = f.waived.is_some();
    writeln!(
        out,
        r#"<article class="finding sev-{sev}{}">"#,
        if waived { " waived" } else { "" }
    )?;
    let badge = if waived {
        format!(r#"<span class="badge b-waived">{}</span>"#, w.waived)
    } else {
        format!(
            r#"<span class="badge b-{sev}">{}</span>"#,
            severity_label(f.severity, lang)
        )
    };
    writeln!(
        out,
        "<h3>{badge} <code>{}</code> {}{}</h3>",
        f.code,
        esc(registry::diag(f.code).summary.get(lang)),
        f.criterion
            .as_deref()
            .map(|c| format!(" — {}", esc(c)))
            .unwrap_or_default()
    )?;
    writeln!(out, r#"<p class="what">{}</p>"#, esc(f.message.get(lang)))?;
    if let Some(p) = &f.path {
        writeln!(
            out,
            r#"<p class="file"><span class="label">{}:</span> {}</p>"#,
            w.file,
            link(&opts.link_base, p)
        )?;
    }
    if let Some(wv) = &f.waived {
        let until = wv
            .until
            .map(|u| {
                format!(
                    " ({} {})",
                    if lang == Lang::Vi { "đến" } else { "until" },
                    short_date(u, lang)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            r#"<p class="waiver"><span class="label">{}:</span> {}{}</p>"#,
            w.waived,
            esc(&wv.reason),
            esc(&until)
        )?;
    }
    let (rule, fix) = rule_and_fix(f, lang);
    writeln!(
        out,
        r#"<p class="rule"><span class="label">{}:</span> {}</p>"#,
        w.rule,
        esc(rule)
    )?;
    if !fix.is_empty() {
        writeln!(
            out,
            r#"<p class="next"><span class="label">{}:</span> {}</p>"#,
            w.next,
            esc(&fix)
        )?;
    }
    writeln!(out, "</article>")
}

pub fn render(report: &Report, opts: &Options, out: &mut dyn Write) -> io::Result<()> {
    let w = match opts.lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    write_head(report, w, opts.lang, out)?;
    write_verdict(report, w, opts.lang, out)?;
    write_what_if(report, w, opts.lang, out)?;
    write_units_table(report, w, opts, out)?;
    write_findings(report, w, opts, out)?;
    if opts.explanations {
        write_drafts(report, opts.lang, out)?;
    }
    write_footer(report, w, out)?;
    writeln!(out, "</body></html>")
}

/// Doctype, `<head>` with the inline stylesheet, and `<body>`.
fn write_head(report: &Report, w: &Words, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
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
    writeln!(
        out,
        "<title>{} — {}</title>",
        esc(&super::titled(report, w.title)),
        esc(&report.root)
    )?;
    writeln!(out, "<style>{CSS}</style></head>")?;
    writeln!(out, "<body>")?;
    Ok(())
}

/// The verdict block (ready or not, points at risk, counts) and the meta line.
fn write_verdict(report: &Report, w: &Words, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let s = report.summary();
    let fw = &report.rules.framework;
    let ready = s.errors == 0;
    writeln!(
        out,
        r#"<header class="verdict {}">"#,
        if ready { "ready" } else { "not-ready" }
    )?;
    if let Some(u) = report.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        writeln!(out, r#"<p class="unit">{}</p>"#, esc(u.trim()))?;
    }
    writeln!(
        out,
        "<h1>{}</h1>",
        if ready { w.ready } else { w.not_ready }
    )?;
    writeln!(
        out,
        r#"<div class="risk"><span class="num">{}</span> {}</div>"#,
        points(s.points_at_risk, lang),
        w.at_risk
    )?;
    writeln!(
        out,
        "<p>{} {}, {} {}, {} {}, {} {} — {} {}</p>",
        s.errors,
        w.counts[0],
        s.warnings,
        w.counts[1],
        s.infos,
        w.counts[2],
        s.waived,
        w.counts[3],
        s.files,
        w.counts[4]
    )?;
    writeln!(
        out,
        r#"<p class="score">{}</p>"#,
        esc(&super::score::total_line(report, lang))
    )?;
    writeln!(out, "</header>")?;
    for f in super::run_findings(report) {
        writeln!(
            out,
            r#"<p class="run-finding"><code>{}</code> {}</p>"#,
            f.code,
            esc(f.message.get(lang))
        )?;
    }
    writeln!(
        out,
        r#"<p class="meta">{}: {} · {}: <code>{}</code> · {} {}</p>"#,
        w.ruleset,
        esc(&fw.title),
        w.folder,
        esc(&report.root),
        w.as_of,
        esc(&long_date(report.as_of, lang))
    )?;

    Ok(())
}

/// The fixes that win back most points, first.
fn write_what_if(report: &Report, w: &Words, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let (head, fixes) = super::score::what_if(report, lang);
    if let Some(head) = head {
        writeln!(out, "<h2>{}</h2>", w.what_if)?;
        writeln!(out, "<p>{}</p><ol>", esc(&head))?;
        for l in fixes {
            writeln!(out, "<li>{}</li>", esc(&l))?;
        }
        writeln!(out, "</ol>")?;
    }
    let (head, late) = super::score::to_explain(report, lang);
    if let Some(head) = head {
        writeln!(out, "<p>{}</p><ul>", esc(&head))?;
        for l in late {
            writeln!(out, "<li>{}</li>", esc(&l))?;
        }
        writeln!(out, "</ul>")?;
    }
    Ok(())
}

/// The status table: one row per scorable unit, grouped by area.
fn write_units_table(
    report: &Report,
    w: &Words,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lang = opts.lang;
    writeln!(out, "<h2>{}</h2>", w.table)?;
    writeln!(
        out,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        w.code, w.unit, w.status, w.max, w.risk, w.score, w.evidence
    )?;
    let mut area_printed: Option<&str> = None;
    for (area, sc) in report.rules.scorables() {
        let Some(o) = report.outcomes.iter().find(|o| o.id == sc.id) else {
            continue;
        };
        if area_printed != Some(area.id.as_str()) {
            let label = if area.id.is_empty() {
                w.deductions.to_string()
            } else {
                format!("{} {}", area.id, area.title)
            };
            writeln!(
                out,
                r#"<tr class="area"><th colspan="7">{}</th></tr>"#,
                esc(&label)
            )?;
            area_printed = Some(area.id.as_str());
        }
        let files: String = o
            .files
            .iter()
            .map(|f| format!("<li>{}</li>", link(&opts.link_base, f)))
            .collect();
        let files = if files.is_empty() {
            "—".to_string()
        } else {
            format!(r#"<ul class="files">{files}</ul>"#)
        };
        let n = findings_of(report, &sc.id)
            .filter(|f| f.is_active() && f.severity == Severity::Error)
            .count();
        let count = if n > 0 {
            format!(" ({n} {})", w.counts[0])
        } else {
            String::new()
        };
        writeln!(
            out,
            r#"<tr><td class="code">{}</td><td>{}</td><td><span class="badge {}">{}</span>{count}</td><td class="num">{}</td><td class="num">{}</td><td class="num" title="{}">{}</td><td>{files}</td></tr>"#,
            esc(&sc.id),
            esc(&sc.title),
            status_class(o.status),
            status_label(o.status, lang),
            points(sc.max_points, lang),
            points(o.points_at_risk, lang),
            esc(super::score::basis(report, &sc.id, lang)),
            esc(&super::score::cell(report, &sc.id, sc.max_points, lang)),
        )?;
    }
    writeln!(out, "</tbody></table>")?;

    Ok(())
}

/// Every finding as a sentence, by sub-criterion, then those on no sub-criterion.
fn write_findings(
    report: &Report,
    w: &Words,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "<h2>{}</h2>", w.findings)?;
    if report.findings.is_empty() {
        writeln!(out, "<p>{}</p>", w.no_findings)?;
    }
    for (_, sc) in report.rules.scorables() {
        for f in findings_of(report, &sc.id) {
            finding(f, w, opts, out)?;
        }
    }
    let loose: Vec<&Finding> = loose_findings(report).collect();
    if !loose.is_empty() {
        writeln!(out, "<h3>{}</h3>", w.unfiled)?;
        for f in loose {
            finding(f, w, opts, out)?;
        }
    }
    Ok(())
}

/// Drafts of the giải trình (explanations) the office may send.
fn write_drafts(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<h2>{}</h2>", esc(super::explain_draft::heading(lang)))?;
    for d in super::explain_draft::drafts(report) {
        writeln!(
            out,
            r#"<p class="draft" lang="vi"><code>{}</code> {}</p>"#,
            d.code,
            esc(&d.text)
        )?;
    }
    Ok(())
}

/// Legal basis and the tool and ruleset that made the page.
fn write_footer(report: &Report, w: &Words, out: &mut dyn Write) -> io::Result<()> {
    let fw = &report.rules.framework;
    writeln!(out, "<footer>")?;
    if !fw.legal_basis.is_empty() {
        writeln!(out, "<p>{}:</p><ul>", w.basis)?;
        for b in &fw.legal_basis {
            writeln!(out, "<li>{}</li>", esc(b))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(
        out,
        "<p>{} {VERSION} · {} ({})</p>",
        w.made_by,
        esc(&fw.id),
        esc(&report.rules.source)
    )?;
    writeln!(out, "</footer>")?;
    Ok(())
}

pub fn link_base(output: Option<&Path>, root: &Path) -> String {
    let abs = |p: &Path| -> PathBuf {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let from = match output.and_then(Path::parent) {
        Some(d) if !d.as_os_str().is_empty() => abs(d),
        _ => abs(Path::new(".")),
    };
    let to = abs(root);
    match relative(&from, &to) {
        Some(rel) => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                String::new()
            } else {
                format!("{}/", uri_path(&rel))
            }
        }
        None => format!(
            "file://{}/",
            uri_path(&to.to_string_lossy().replace('\\', "/"))
        ),
    }
}

/// Link from the report written to `output` (stdout: the current folder)
/// to another file, such as a unit's own report page.
pub fn link_to_file(output: Option<&Path>, file: &Path) -> String {
    link_base(output, file).trim_end_matches('/').to_string()
}

/// Path from directory `from` to `to`; both absolute.
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    if f.first() != t.first() {
        return None;
    }
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(
            relative(Path::new("/a/out"), Path::new("/a/samples/dak glei")),
            Some(PathBuf::from("../samples/dak glei"))
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a")),
            Some(PathBuf::new())
        );
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Hồ sơ 2022");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        let base = link_base(Some(&dir.path().join("out/report.html")), &root);
        assert_eq!(base, "../H%E1%BB%93%20s%C6%A1%202022/");
        assert_eq!(link_base(Some(&root.join("r.html")), &root), "");
    }

    #[test]
    fn escapes_everything_and_links_relative() {
        let r = crate::report::fixture::report();
        let opts = Options {
            link_base: "../samples/dak-glei-2022/".into(),
            ..Default::default()
        };
        let mut out = Vec::new();
        render(&r, &opts, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<nháp>"));
        assert!(html.contains("ghi chú &lt;nháp&gt; &amp; &quot;bản cũ&quot;"));
        assert!(html.contains(
            r#"href="../samples/dak-glei-2022/1.2.1%20B%C3%A1o%20c%C3%A1o%20CCHC/BC%2045%20CCHC%20qu%C3%BD%20I.pdf""#
        ));
        assert!(!html.contains("<script"));
        assert!(html.contains("CHƯA SẴN SÀNG NỘP"));
    }
}
