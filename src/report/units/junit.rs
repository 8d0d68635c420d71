//! The province report as JUnit XML: one test suite per unit, one test
//! case per sub-criterion (failing when it has an error finding, as in a
//! single run), and an `<error>` for a unit that could not be checked.

use std::io::{self, Write};

use super::t;
use crate::findings::Lang;
use crate::findings::Status;
use crate::report::escape::xml;
use crate::report::points;
use crate::run::units::ranking::{UnitOutcome, UnitResult, UnitsReport};

pub fn render(report: &UnitsReport, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut body = Vec::new();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for u in &report.units {
        let (a, b, c, d) = suite(u, lang, &mut body)?;
        tests += a;
        failures += b;
        errors += c;
        skipped += d;
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="tlkc units" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}">"#
    )?;
    out.write_all(&body)?;
    writeln!(out, "</testsuites>")
}

/// One unit's suite; returns (tests, failures, errors, skipped).
fn suite(
    u: &UnitResult,
    lang: Lang,
    out: &mut Vec<u8>,
) -> io::Result<(usize, usize, usize, usize)> {
    let d = match &u.outcome {
        UnitOutcome::Failed(e) => {
            writeln!(
                out,
                r#"  <testsuite name="{}" tests="1" failures="0" errors="1" skipped="0">"#,
                xml(&u.label())
            )?;
            writeln!(
                out,
                r#"    <testcase classname="{}" name="{}">"#,
                xml(&u.label()),
                xml(t(lang, "đọc thư mục đơn vị", "read the unit's folder"))
            )?;
            writeln!(
                out,
                r#"      <error message="{}" type="unreadable">{}</error>"#,
                xml(super::first_line(e)),
                xml(e)
            )?;
            writeln!(out, "    </testcase>\n  </testsuite>")?;
            return Ok((1, 0, 1, 0));
        }
        UnitOutcome::Checked(d) => d,
    };
    let mut cases = Vec::new();
    let mut criterion_errors = 0;
    for c in &d.criteria {
        let n: usize = c.errors.values().sum();
        criterion_errors += n;
        let failure = (n > 0).then(|| {
            let codes: Vec<&str> = c.errors.keys().map(|c| c.as_str()).collect();
            let msg = match lang {
                Lang::Vi => format!(
                    "{n} lỗi; {} điểm có nguy cơ mất",
                    points(c.points_at_risk, lang)
                ),
                Lang::En => format!(
                    "{n} error(s); {} points at risk",
                    points(c.points_at_risk, lang)
                ),
            };
            (msg, codes.join(","))
        });
        let skip = c.status == Status::NotCheckable;
        cases.push((format!("{} {}", c.id, c.title), failure, skip));
    }
    // Errors on files filed under no sub-criterion.
    let loose = d.summary.errors.saturating_sub(criterion_errors);
    if loose > 0 {
        cases.push((
            t(
                lang,
                "Tệp và thư mục (không gắn tiêu chí)",
                "Files and folders (no sub-criterion)",
            )
            .to_string(),
            Some((
                format!("{loose} {}", t(lang, "lỗi", "error(s)")),
                String::new(),
            )),
            false,
        ));
    }
    let fails = cases.iter().filter(|c| c.1.is_some()).count();
    let skips = cases.iter().filter(|c| c.2).count();
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{fails}" errors="0" skipped="{skips}">"#,
        xml(&u.label()),
        cases.len()
    )?;
    let class = format!("{}.{}", u.label(), d.ruleset_id);
    for (name, failure, skip) in &cases {
        write!(
            out,
            r#"    <testcase classname="{}" name="{}""#,
            xml(&class),
            xml(name)
        )?;
        match (failure, skip) {
            (Some((msg, ty)), _) => writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\"/>\n    </testcase>",
                xml(msg),
                xml(ty)
            )?,
            (None, true) => writeln!(out, ">\n      <skipped/>\n    </testcase>")?,
            (None, false) => writeln!(out, "/>")?,
        }
    }
    writeln!(out, "  </testsuite>")?;
    Ok((cases.len(), fails, 0, skips))
}
