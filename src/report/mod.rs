//! Renderers: a [`Report`] in, text out. They never decide anything.

pub mod errors;
pub mod escape;
pub(crate) mod explain_draft;
/// The fixed report of the snapshot tests, also used by unit tests here. It
/// lives in the test crate (`tests/fixture.rs`), not in the shipped library.
#[cfg(test)]
#[path = "../../tests/fixture.rs"]
pub(crate) mod fixture;
pub(crate) mod github;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod inspect;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod rules;
pub(crate) mod sarif;
pub(crate) mod score;
pub(crate) mod trail;
pub(crate) mod trust;
pub(crate) mod units;

use std::io::{self, Write};

use crate::findings::Lang;
use crate::run::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// One self-contained, printable HTML page.
    Html,
    /// SARIF 2.1.0 for code-scanning platforms.
    Sarif,
    /// JUnit XML: one test case per scorable unit.
    Junit,
    /// GitHub Actions workflow commands (`::error file=…::…`).
    Github,
    /// Markdown summary (e.g. for $GITHUB_STEP_SUMMARY).
    Markdown,
    /// With --units: the ranking and common losses as CSV (UTF-8 with BOM, for Excel).
    Csv,
    /// With --units: the ranking and common losses as an Excel workbook (needs --output).
    Xlsx,
}

impl Format {
    /// The file extension of a report in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Human | Format::Github => "txt",
            Format::Json => "json",
            Format::Html => "html",
            Format::Sarif => "sarif",
            Format::Junit => "xml",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How to render, beyond the format itself. Decided once by the CLI.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub lang: Lang,
    /// ANSI colours (terminal only, never with NO_COLOR).
    pub color: bool,
    /// Prefix that turns a path relative to the evidence root into a link
    /// relative to where the report is written (percent-encoded, ends in `/`
    /// or is empty).
    pub link_base: String,
    /// Add the giải trình drafts (`--explanations`).
    pub explanations: bool,
    /// Show each finding's technical detail (`--verbose`), in English as
    /// the verifier wrote it.
    pub verbose: bool,
}

/// The only place that chooses a renderer.
pub fn render(format: Format, report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let opts = Options {
        lang,
        ..Options::default()
    };
    render_with(format, report, &opts, out)
}

/// [`render`] with every option.
pub fn render_with(
    format: Format,
    report: &Report,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render_with(report, opts, out),
        Format::Json => json::render_with(report, opts, out),
        Format::Html => html::render(report, opts, out),
        Format::Sarif => sarif::render(report, opts.lang, out),
        Format::Junit => junit::render(report, opts.lang, out),
        Format::Github => github::render(report, opts.lang, out),
        Format::Markdown => markdown::render(report, opts, out),
        Format::Csv | Format::Xlsx => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "csv and xlsx are the --units ranking's formats",
        )),
    }
}

/// Severity label as an officer reads it.
pub fn severity_label(s: crate::findings::Severity, lang: Lang) -> &'static str {
    use crate::findings::Severity;
    match (s, lang) {
        (Severity::Error, Lang::Vi) => "LỖI",
        (Severity::Warning, Lang::Vi) => "CẢNH BÁO",
        (Severity::Info, Lang::Vi) => "LƯU Ý",
        (Severity::Error, Lang::En) => "ERROR",
        (Severity::Warning, Lang::En) => "WARNING",
        (Severity::Info, Lang::En) => "INFO",
    }
}

/// Status of a scorable unit in words.
pub fn status_label(s: crate::findings::Status, lang: Lang) -> &'static str {
    use crate::findings::Status;
    match (s, lang) {
        (Status::Ok, Lang::Vi) => "Đạt",
        (Status::Failing, Lang::Vi) => "Có nguy cơ mất điểm",
        (Status::Pending, Lang::Vi) => "Chưa đến hạn",
        (Status::NotCheckable, Lang::Vi) => "Chấm theo số liệu hệ thống",
        (Status::Ok, Lang::En) => "OK",
        (Status::Failing, Lang::En) => "Points at risk",
        (Status::Pending, Lang::En) => "Not yet due",
        (Status::NotCheckable, Lang::En) => "Scored from system statistics",
    }
}

/// "05/3/2022" (Decree 30 short form) or "2022-03-05".
pub fn short_date(d: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => crate::time::vi_date(d),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// Findings about the whole run (the ruleset does not fit the folder),
/// said once at the top of every report, before any sub-criterion.
pub fn run_findings(report: &Report) -> impl Iterator<Item = &crate::findings::Finding> {
    report.findings.iter().filter(|f| is_run_finding(f))
}

fn is_run_finding(f: &crate::findings::Finding) -> bool {
    crate::checks::registry::diag(f.code).handling.role == crate::findings::Role::RunWide
}

/// Findings that belong to no scorable unit of the ruleset (the run's own
/// findings excepted: [`run_findings`] heads the report).
pub fn loose_findings(report: &Report) -> impl Iterator<Item = &crate::findings::Finding> {
    report.findings.iter().filter(|f| {
        !is_run_finding(f)
            && f.criterion
                .as_deref()
                .is_none_or(|c| report.rules.find(c).is_none())
    })
}

/// One line when the folder looks like the wrong one: no file at all, or
/// most files filed under no sub-criterion (then every requirement is
/// "missing" and twenty errors hide the real cause).
pub fn folder_hint(report: &Report, lang: Lang) -> Option<String> {
    let files = report.files.len();
    let unfiled = report
        .findings
        .iter()
        .filter(|f| {
            crate::checks::registry::diag(f.code).handling.role == crate::findings::Role::Unfiled
        })
        .count();
    if files == 0 {
        return Some(match lang {
            Lang::Vi => format!("Gợi ý: thư mục {} không có tệp nào. Có đúng là thư mục tài liệu kiểm chứng không? Tạo sẵn các thư mục tiêu chí bằng `tlkc init`.", report.root),
            Lang::En => format!("Hint: folder {} holds no file. Is it the evidence folder? Lay one out with `tlkc init`.", report.root),
        });
    }
    (unfiled * 2 > files).then(|| match lang {
        Lang::Vi => format!("Gợi ý: {unfiled}/{files} tệp không nằm trong thư mục mang mã tiêu chí nào. Có đúng là thư mục tài liệu kiểm chứng không? Xếp tệp vào thư mục \"MÃ Tên tiêu chí\" (tạo sẵn bằng `tlkc init`) hoặc khai báo `[[assign]]` trong tlkc.toml."),
        Lang::En => format!("Hint: {unfiled}/{files} files are in no folder named after a sub-criterion. Is it the evidence folder? File them in \"CODE Title\" folders (laid out by `tlkc init`) or add `[[assign]]` to tlkc.toml."),
    })
}

/// The report's title line: "UBND huyện Đắk Glei — Kiểm tra tài liệu kiểm
/// chứng" when tlkc.toml names the unit.
pub fn titled(report: &Report, title: &str) -> String {
    match report
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => format!("{u} — {title}"),
        None => title.to_string(),
    }
}

/// Findings of one scorable unit.
pub fn findings_of<'a>(
    report: &'a Report,
    id: &'a str,
) -> impl Iterator<Item = &'a crate::findings::Finding> + 'a {
    report
        .findings
        .iter()
        .filter(move |f| f.criterion.as_deref() == Some(id))
}

/// Where a finding points for CI tools: the evidence file, or the
/// scorable unit's table in the ruleset. Paths are joined with the root
/// when the root is relative, so they are relative to where tlkc ran
/// (usually the repository root).
pub fn ci_location(report: &Report, f: &crate::findings::Finding) -> (String, Option<usize>) {
    match &f.path {
        Some(p) => (
            join_root(&report.root, p),
            f.facts.get("line").and_then(|l| l.parse().ok()),
        ),
        None => {
            let line = f
                .criterion
                .as_deref()
                .and_then(|c| report.rules.find(c))
                .and_then(|s| s.line)
                .unwrap_or(1);
            (ruleset_path(&report.rules.source), Some(line))
        }
    }
}

/// `builtin:ID` is embedded from this repository's `rules/ID.toml`.
pub fn ruleset_path(source: &str) -> String {
    match source.strip_prefix("builtin:") {
        Some(id) => format!("rules/{id}.toml"),
        None => source.replace('\\', "/"),
    }
}

fn join_root(root: &str, rel: &str) -> String {
    let root = root.replace('\\', "/");
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." || std::path::Path::new(root).is_absolute() {
        rel.to_string()
    } else {
        format!("{}/{rel}", root.trim_start_matches("./"))
    }
}

/// "0,5" in Vietnamese, "0.5" in English; at most two decimals.
pub fn points(x: f64, lang: Lang) -> String {
    // −0 (a deduction of nothing, a rounding) is 0.
    let x = if crate::run::round2(x) == 0.0 { 0.0 } else { x };
    let s = format!("{:.2}", crate::run::round2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// "ngày 05 tháng 3 năm 2022" (Decree 30 padding) or "2022-03-05".
pub fn long_date(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Vi => {
            let month = if d.month() <= 2 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn vietnamese_numbers_and_dates() {
        assert_eq!(points(0.5, Lang::Vi), "0,5");
        assert_eq!(points(13.0, Lang::Vi), "13");
        assert_eq!(points(2.19, Lang::En), "2.19");
        let d = NaiveDate::from_ymd_opt(2022, 3, 5).unwrap();
        assert_eq!(long_date(d, Lang::Vi), "ngày 05 tháng 3 năm 2022");
        let d = NaiveDate::from_ymd_opt(2022, 2, 14).unwrap();
        assert_eq!(long_date(d, Lang::Vi), "ngày 14 tháng 02 năm 2022");
    }
}
