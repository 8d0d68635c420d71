//! GitHub Actions workflow commands (`--format github`): one annotation per
//! active finding. Waived findings are accepted, so they are not annotated.

use std::io::{self, Write};

use super::{ci_location, escape};
use crate::findings::{Lang, Severity};
use crate::run::Report;

pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for f in report.findings.iter().filter(|f| f.is_active()) {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (file, line) = ci_location(report, f);
        let line = line.map(|l| format!(",line={l}")).unwrap_or_default();
        let title = match &f.criterion {
            Some(c) => format!("{} {c}", f.code),
            None => f.code.to_string(),
        };
        writeln!(
            out,
            "::{kind} file={}{line},title={}::{}",
            escape::gh_property(&file),
            escape::gh_property(&title),
            escape::gh_data(f.message.get(lang))
        )?;
    }
    // The estimate and the best fixes, once, as a run-level notice.
    let (head, _) = super::score::what_if(report, lang);
    let text = match head {
        Some(h) => format!("{} {h}", super::score::total_line(report, lang)),
        None => super::score::total_line(report, lang),
    };
    writeln!(out, "::notice title=tlkc::{}", escape::gh_data(&text))
}
