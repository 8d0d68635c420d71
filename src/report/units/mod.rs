//! Renderers of the province report (`tlkc check --units`): a
//! [`UnitsReport`] in, text out. Each unit's own full report is rendered by
//! the single-run renderers; these only show the ranking and the
//! sub-criteria many units lose.

pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod table;

use std::io::{self, Write};

use super::{Format, Options};
use crate::findings::Lang;
use crate::run::units::ranking::{UnitResult, UnitsReport};

/// Formats the combined report comes in. SARIF and GitHub annotations are
/// per file: ask for them per unit with `--output-dir`.
pub fn supports(format: Format) -> bool {
    matches!(
        format,
        Format::Human
            | Format::Json
            | Format::Html
            | Format::Junit
            | Format::Markdown
            | Format::Csv
            | Format::Xlsx
    )
}

/// The only place that chooses a combined renderer.
pub fn render(
    format: Format,
    report: &UnitsReport,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, opts, out),
        Format::Json => json::render(report, out),
        Format::Html => html::render(report, opts, out),
        Format::Junit => junit::render(report, opts.lang, out),
        Format::Markdown => markdown::render(report, opts.lang, out),
        Format::Csv => table::csv(report, opts.lang, out),
        Format::Xlsx => table::xlsx(report, opts.lang, out),
        Format::Sarif | Format::Github => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this format has no combined --units report",
        )),
    }
}

/// How many common losses the short formats list (JSON has them all).
pub const SHOWN_LOSSES: usize = 10;

fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// "Sẵn sàng" / "Có lỗi" / "Không kiểm tra được".
pub fn state_label(u: &UnitResult, lang: Lang) -> &'static str {
    match (u.digest(), u.ready()) {
        (None, _) => t(lang, "Không kiểm tra được", "Could not be checked"),
        (Some(_), true) => t(lang, "Sẵn sàng", "Ready"),
        (Some(_), false) => t(lang, "Có lỗi", "Has errors"),
    }
}

/// The closing line: how many units are ready.
pub fn verdict_line(report: &UnitsReport, lang: Lang) -> String {
    let n = report.units.len();
    let ready = report.units.iter().filter(|u| u.ready()).count();
    let failed = n - report.checked();
    let with_errors = report.checked() - ready;
    match lang {
        Lang::Vi => format!(
            "{ready}/{n} đơn vị sẵn sàng nộp; {with_errors} đơn vị có lỗi; {failed} đơn vị không kiểm tra được."
        ),
        Lang::En => format!(
            "{ready}/{n} units ready to submit; {with_errors} with errors; {failed} could not be checked."
        ),
    }
}

/// "72,5/100" when the unit's single-run report estimated a score.
pub fn score_text(u: &UnitResult, lang: Lang) -> Option<String> {
    let s = u.digest()?.score.as_ref()?;
    Some(format!(
        "{}/{}",
        super::points(s.estimated, lang),
        super::points(s.max, lang)
    ))
}

/// "EVD001 thiếu tài liệu kiểm chứng bắt buộc ×6": a code with its name
/// in the reader's language.
pub fn code_count(code: crate::findings::Code, count: usize, lang: Lang) -> String {
    let summary = crate::checks::registry::diag(code).summary.get(lang);
    let mut c = summary.chars();
    let name: String = match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    };
    format!("{code} {name} ×{count}")
}

/// The first line of a failure, for tables.
pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
