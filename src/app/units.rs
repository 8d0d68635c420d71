//! `tlkc check --units PARENT`: the units checked by [`crate::run::units`];
//! here each unit's own report is written and the progress drawn as it
//! comes, and the combined report printed.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::check::{check_options, progress_bar, say};
use super::{emit, refuse, tr, use_color, Exit};
use crate::cli::CheckArgs;
use crate::findings::Lang;
use crate::report::{self, Format};
use crate::run::units::list as units;
use crate::run::units::ranking::{Digest, UnitOutcome, UnitResult, UnitsReport};
use crate::run::units::{UnitDone, UnitsOptions};

pub(super) fn check_units(
    args: CheckArgs,
    parent: &Path,
    output_dir: Option<&Path>,
    lang: Lang,
) -> Result<Exit> {
    if !report::units::supports(args.format) {
        return Err(refuse(lang, "--units: báo cáo tổng hợp chỉ có định dạng human, json, html, junit, markdown, csv và xlsx",
                "--units: the combined report comes in the human, json, html, junit, markdown, csv and xlsx formats"));
    }
    let spreadsheet = matches!(args.format, Format::Csv | Format::Xlsx);
    if args.format == Format::Xlsx && args.output.is_none() {
        return Err(refuse(
            lang,
            "--format xlsx ghi ra tệp: thêm --output bang-xep-hang.xlsx",
            "--format xlsx writes a file: add --output ranking.xlsx",
        ));
    }
    if spreadsheet && output_dir.is_some() {
        return Err(refuse(lang, "--output-dir: báo cáo riêng của từng đơn vị không có định dạng csv, xlsx; chọn định dạng khác cho --output-dir",
                "--output-dir: a unit's own report does not come as csv or xlsx; choose another format with --output-dir"));
    }
    if args.trail.db.is_some() {
        return Err(refuse(
            lang,
            "--units: không dùng được --db vì mỗi đơn vị có chỉ mục riêng",
            "--units: --db cannot be used, each unit keeps its own index",
        ));
    }
    let found = units::units_of(parent)?;
    if let Some(out) = &args.output {
        found.refuse_inside("--output", out, false, parent)?;
    }
    let targets = found.report_targets(output_dir, parent, args.format.extension())?;
    say(&found.notices(), args.quiet, lang);
    let specs = found.units;
    let opts = UnitsOptions {
        parent: parent.to_path_buf(),
        base: check_options(&args, lang)?,
    };
    let bar =
        (std::io::stderr().is_terminal() && !args.no_progress && args.quiet == 0).then(|| {
            progress_bar(
                specs.len() as u64,
                &tr(lang, "Đang kiểm tra các đơn vị", "Checking units"),
            )
        });
    let on_unit = |done: UnitDone| {
        let r = keep(done, &targets, &args, lang);
        if let Some(b) = &bar {
            b.inc(1);
        }
        r
    };
    let (mut results, ocr_missing) = crate::run::units::check_units(&opts, &specs, &on_unit)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    say(ocr_missing.as_slice(), args.quiet, lang);
    for u in &mut results {
        if let Some(f) = &u.report_file {
            u.report_link = Some(report::html::link_to_file(
                args.output.as_deref(),
                Path::new(f),
            ));
        }
    }
    let combined = UnitsReport::new(results);
    let to_stdout = args.output.is_none();
    let opts = report::Options {
        lang,
        color: to_stdout && use_color(std::io::stdout().is_terminal()),
        ..Default::default()
    };
    if args.quiet == 0 || !to_stdout {
        emit(args.output.as_deref(), lang, |out| {
            report::units::render(args.format, &combined, &opts, out)
        })?;
    }
    let verdict_in_report = to_stdout && args.format == Format::Human && args.quiet == 0;
    if args.quiet < 2 && !verdict_in_report {
        eprintln!("{}", report::units::verdict_line(&combined, lang));
    }
    if combined.checked() == 0 {
        eprintln!(
            "tlkc: {}",
            tr(
                lang,
                "không kiểm tra được đơn vị nào",
                "no unit could be checked"
            )
        );
        return Ok(Exit::Failure);
    }
    Ok(if combined.all_ready() {
        Exit::Ready
    } else {
        Exit::Findings
    })
}

/// What is kept of one unit: its own report written (`--output-dir`), its
/// notices said, a digest. A unit that cannot be checked is a result, not
/// an error; only failing to write its report stops the run.
fn keep(
    done: UnitDone,
    targets: &[Option<PathBuf>],
    args: &CheckArgs,
    lang: Lang,
) -> Result<UnitResult> {
    let spec = done.spec;
    let mut result = UnitResult {
        name: spec.name.clone(),
        root: spec.path.display().to_string(),
        outcome: UnitOutcome::Failed(String::new()),
        report_file: None,
        report_link: None,
    };
    let run = match done.run {
        Ok(run) => run,
        Err(e) => {
            result.outcome = UnitOutcome::Failed(report::errors::render(&e, lang));
            return Ok(result);
        }
    };
    say(&run.notices, args.quiet, lang);
    let report = run.report;
    if let Some(path) = targets[done.index].as_deref() {
        let opts = report::Options {
            lang,
            color: false,
            link_base: if args.format == Format::Html {
                report::html::link_base(Some(path), &spec.path)
            } else {
                String::new()
            },
            explanations: args.explanations,
            verbose: false,
        };
        emit(Some(path), lang, |out| {
            report::render_with(args.format, &report, &opts, out)
        })?;
        result.report_file = Some(path.display().to_string());
    }
    let mut json = Vec::new();
    report::json::render(&report, lang, &mut json)?;
    let value: serde_json::Value =
        serde_json::from_slice(&json).context("re-reading the unit's JSON summary")?;
    let summary = value
        .get("summary")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    result.outcome = UnitOutcome::Checked(Box::new(Digest::of(&report, summary)));
    Ok(result)
}
