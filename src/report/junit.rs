//! JUnit XML (`--format junit`): one test suite per area, one test case per
//! scorable unit. A unit fails when it has an active error finding and is
//! skipped when it is scored from statistics (not checkable from files).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{escape::xml, findings_of, loose_findings, points, severity_label};
use crate::findings::Status;
use crate::findings::{Finding, Lang, Severity};
use crate::run::Report;

struct Case {
    classname: String,
    name: String,
    failure: Option<(String, String, String)>,
    skipped: Option<String>,
    output: String,
}

fn details(fs: &[&Finding], lang: Lang) -> String {
    let mut s = String::new();
    for f in fs {
        let _ = writeln!(
            s,
            "{} {}: {}",
            severity_label(f.severity, lang),
            f.code,
            f.message.get(lang)
        );
    }
    s
}

pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let fw = &report.rules.framework.id;
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    for (area, s) in report.rules.scorables() {
        let Some(o) = report.outcomes.iter().find(|o| o.id == s.id) else {
            continue;
        };
        let all: Vec<&Finding> = findings_of(report, &s.id).collect();
        let errors: Vec<&Finding> = all
            .iter()
            .copied()
            .filter(|f| f.severity == Severity::Error && f.is_active())
            .collect();
        let others: Vec<&Finding> = all
            .iter()
            .copied()
            .filter(|f| !(f.severity == Severity::Error && f.is_active()))
            .collect();
        let failure = (!errors.is_empty()).then(|| {
            let msg = match lang {
                Lang::Vi => format!(
                    "{} lỗi; {} điểm có nguy cơ mất",
                    errors.len(),
                    points(o.points_at_risk, lang)
                ),
                Lang::En => format!(
                    "{} error(s); {} points at risk",
                    errors.len(),
                    points(o.points_at_risk, lang)
                ),
            };
            let codes: Vec<&str> = errors.iter().map(|f| f.code.as_str()).collect();
            (msg, codes.join(","), details(&errors, lang))
        });
        let skipped = (o.status == Status::NotCheckable)
            .then(|| super::status_label(o.status, lang).to_string());
        let area_name = if area.id.is_empty() {
            match lang {
                Lang::Vi => "Điểm trừ".to_string(),
                Lang::En => "Deductions".to_string(),
            }
        } else {
            format!("{} {}", area.id, area.title)
        };
        let case = Case {
            classname: format!("{fw}.{}", if area.id.is_empty() { "DT" } else { &area.id }),
            name: format!("{} {}", s.id, s.title),
            failure,
            skipped,
            output: details(&others, lang),
        };
        match suites.last_mut() {
            Some((name, cases)) if *name == area_name => cases.push(case),
            _ => suites.push((area_name, vec![case])),
        }
    }
    let loose: Vec<&Finding> = loose_findings(report).collect();
    if !loose.is_empty() {
        let errors: Vec<&Finding> = loose
            .iter()
            .copied()
            .filter(|f| f.severity == Severity::Error && f.is_active())
            .collect();
        let name = match lang {
            Lang::Vi => "Tệp và thư mục (không gắn tiêu chí)",
            Lang::En => "Files and folders (no sub-criterion)",
        };
        let failure = (!errors.is_empty()).then(|| {
            let codes: Vec<&str> = errors.iter().map(|f| f.code.as_str()).collect();
            (
                format!("{} {}", errors.len(), severity_label(Severity::Error, lang)),
                codes.join(","),
                details(&errors, lang),
            )
        });
        suites.push((
            name.to_string(),
            vec![Case {
                classname: format!("{fw}.files"),
                name: name.to_string(),
                failure,
                skipped: None,
                output: details(&loose, lang),
            }],
        ));
    }
    let count = |cases: &[Case]| {
        (
            cases.len(),
            cases.iter().filter(|c| c.failure.is_some()).count(),
            cases.iter().filter(|c| c.skipped.is_some()).count(),
        )
    };
    let (mut t, mut fl, mut sk) = (0, 0, 0);
    for (_, cases) in &suites {
        let (a, b, c) = count(cases);
        t += a;
        fl += b;
        sk += c;
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="tlkc {}" tests="{t}" failures="{fl}" errors="0" skipped="{sk}">"#,
        xml(fw)
    )?;
    for (name, cases) in &suites {
        let (a, b, c) = count(cases);
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{a}" failures="{b}" errors="0" skipped="{c}">"#,
            xml(name)
        )?;
        for case in cases {
            write!(
                out,
                r#"    <testcase classname="{}" name="{}""#,
                xml(&case.classname),
                xml(&case.name)
            )?;
            if case.failure.is_none() && case.skipped.is_none() && case.output.is_empty() {
                writeln!(out, "/>")?;
                continue;
            }
            writeln!(out, ">")?;
            if let Some((msg, ty, text)) = &case.failure {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(msg),
                    xml(ty),
                    xml(text)
                )?;
            }
            if let Some(msg) = &case.skipped {
                writeln!(out, r#"      <skipped message="{}"/>"#, xml(msg))?;
            }
            if !case.output.is_empty() {
                writeln!(out, "      <system-out>{}</system-out>", xml(&case.output))?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
