//! JUnit XML (`--format junit`): one test suite per area, one test case per
//! scorable unit. A unit fails when it has an active error finding and is
//! skipped when it is scored from statistics (not checkable from files).
//! Built in two steps: a pure model ([`suites`]), then the XML ([`write_xml`]).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{escape::xml, findings_of, loose_findings, points, severity_label};
use crate::findings::{Finding, Lang, Outcome, Severity, Status};
use crate::rules::{Area, Scorable};
use crate::run::Report;

/// One `<testsuite>`.
pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// One `<testcase>`.
pub struct Case {
    pub classname: String,
    pub name: String,
    pub failure: Option<Failure>,
    pub skipped: Option<String>,
    pub output: String,
}

/// A `<failure>`: its message, its type (the codes) and its text.
pub struct Failure {
    pub message: String,
    pub kind: String,
    pub text: String,
}

impl Suite {
    fn counts(&self) -> (usize, usize, usize) {
        (
            self.cases.len(),
            self.cases.iter().filter(|c| c.failure.is_some()).count(),
            self.cases.iter().filter(|c| c.skipped.is_some()).count(),
        )
    }
}

pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let fw = &report.rules.framework.id;
    let name = match report
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => format!("tlkc {fw} — {u}"),
        None => format!("tlkc {fw}"),
    };
    write_xml(&name, &suites(report, lang), out)
}

/// The report as suites: one per area, then one for findings on no sub-criterion.
pub fn suites(report: &Report, lang: Lang) -> Vec<Suite> {
    let mut suites: Vec<Suite> = Vec::new();
    for (area, s) in report.rules.scorables() {
        let Some(o) = report.outcomes.iter().find(|o| o.id == s.id) else {
            continue;
        };
        let name = area_name(area, lang);
        let case = unit_case(report, area, s, o, lang);
        match suites.last_mut() {
            Some(suite) if suite.name == name => suite.cases.push(case),
            _ => suites.push(Suite {
                name,
                cases: vec![case],
            }),
        }
    }
    suites.extend(loose_suite(report, lang));
    suites
}

fn area_name(area: &Area, lang: Lang) -> String {
    if !area.id.is_empty() {
        return format!("{} {}", area.id, area.title);
    }
    match lang {
        Lang::Vi => "Điểm trừ".to_string(),
        Lang::En => "Deductions".to_string(),
    }
}

fn is_active_error(f: &Finding) -> bool {
    f.severity == Severity::Error && f.is_active()
}

fn unit_case(report: &Report, area: &Area, s: &Scorable, o: &Outcome, lang: Lang) -> Case {
    let fw = &report.rules.framework.id;
    let all: Vec<&Finding> = findings_of(report, &s.id).collect();
    let (errors, others): (Vec<&Finding>, Vec<&Finding>) =
        all.iter().copied().partition(|f| is_active_error(f));
    let failure = (!errors.is_empty()).then(|| {
        let n = errors.len();
        let at_risk = points(o.points_at_risk, lang);
        Failure {
            message: match lang {
                Lang::Vi => format!("{n} lỗi; {at_risk} điểm có nguy cơ mất"),
                Lang::En => format!("{n} error(s); {at_risk} points at risk"),
            },
            kind: codes(&errors),
            text: details(&errors, lang),
        }
    });
    let skipped =
        (o.status == Status::NotCheckable).then(|| super::status_label(o.status, lang).to_string());
    Case {
        classname: format!("{fw}.{}", if area.id.is_empty() { "DT" } else { &area.id }),
        name: format!("{} {}", s.id, s.title),
        failure,
        skipped,
        output: details(&others, lang),
    }
}

fn loose_suite(report: &Report, lang: Lang) -> Option<Suite> {
    let loose: Vec<&Finding> = super::run_findings(report)
        .chain(loose_findings(report))
        .collect();
    if loose.is_empty() {
        return None;
    }
    let errors: Vec<&Finding> = loose
        .iter()
        .copied()
        .filter(|f| is_active_error(f))
        .collect();
    let name = match lang {
        Lang::Vi => "Tệp và thư mục (không gắn tiêu chí)",
        Lang::En => "Files and folders (no sub-criterion)",
    };
    let failure = (!errors.is_empty()).then(|| Failure {
        message: format!("{} {}", errors.len(), severity_label(Severity::Error, lang)),
        kind: codes(&errors),
        text: details(&errors, lang),
    });
    Some(Suite {
        name: name.to_string(),
        cases: vec![Case {
            classname: format!("{}.files", report.rules.framework.id),
            name: name.to_string(),
            failure,
            skipped: None,
            output: details(&loose, lang),
        }],
    })
}

fn codes(fs: &[&Finding]) -> String {
    fs.iter()
        .map(|f| f.code.as_str())
        .collect::<Vec<_>>()
        .join(",")
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

/// Write `<testsuites name="…">` with every suite.
pub fn write_xml(name: &str, suites: &[Suite], out: &mut dyn Write) -> io::Result<()> {
    let (mut t, mut fl, mut sk) = (0, 0, 0);
    for suite in suites {
        let (a, b, c) = suite.counts();
        t += a;
        fl += b;
        sk += c;
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{t}" failures="{fl}" errors="0" skipped="{sk}">"#,
        xml(name)
    )?;
    for suite in suites {
        write_suite(suite, out)?;
    }
    writeln!(out, "</testsuites>")
}

fn write_suite(suite: &Suite, out: &mut dyn Write) -> io::Result<()> {
    let (a, b, c) = suite.counts();
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{a}" failures="{b}" errors="0" skipped="{c}">"#,
        xml(&suite.name)
    )?;
    for case in &suite.cases {
        write_case(case, out)?;
    }
    writeln!(out, "  </testsuite>")
}

fn write_case(case: &Case, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        r#"    <testcase classname="{}" name="{}""#,
        xml(&case.classname),
        xml(&case.name)
    )?;
    if case.failure.is_none() && case.skipped.is_none() && case.output.is_empty() {
        return writeln!(out, "/>");
    }
    writeln!(out, ">")?;
    if let Some(f) = &case.failure {
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            xml(&f.message),
            xml(&f.kind),
            xml(&f.text)
        )?;
    }
    if let Some(msg) = &case.skipped {
        writeln!(out, r#"      <skipped message="{}"/>"#, xml(msg))?;
    }
    if !case.output.is_empty() {
        writeln!(out, "      <system-out>{}</system-out>", xml(&case.output))?;
    }
    writeln!(out, "    </testcase>")
}
