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
    Ok(())
}
