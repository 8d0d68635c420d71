//! `tlkc check --units PARENT`: the units checked by [`crate::run::units`];
//! here each unit's own report is written and the progress drawn as it
//! comes, and the combined report printed.

use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use super::check::{check_options, progress_bar, say};
use super::{emit, tr, use_color, Exit};
use crate::cli::CheckArgs;
use crate::findings::Lang;
use crate::report::{self, Format};
use crate::run::units::list::{self as units, UnitSpec};
use crate::run::units::ranking::{Digest, UnitOutcome, UnitResult, UnitsReport};
use crate::run::units::{UnitDone, UnitsOptions};

/// File extension of a unit's own report in `format`.
fn extension(format: Format) -> &'static str {
    match format {
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

pub(super) fn check_units(
    args: CheckArgs,
    parent: &Path,
    output_dir: Option<&Path>,
    lang: Lang,
) -> Result<Exit> {
    if !report::units::supports(args.format) {
        bail!(
            "{}",
            tr(
                lang,
                "--units: báo cáo tổng hợp chỉ có định dạng human, json, html, junit, markdown, csv và xlsx",
                "--units: the combined report comes in the human, json, html, junit, markdown, csv and xlsx formats"
            )
        );
    }
    let spreadsheet = matches!(args.format, Format::Csv | Format::Xlsx);
    if args.format == Format::Xlsx && args.output.is_none() {
        bail!(
            "{}",
            tr(
                lang,
                "--format xlsx ghi ra tệp: thêm --output bang-xep-hang.xlsx",
                "--format xlsx writes a file: add --output ranking.xlsx"
            )
        );
    }
    if spreadsheet && output_dir.is_some() {
        bail!(
            "{}",
            tr(
                lang,
                "--output-dir: báo cáo riêng của từng đơn vị không có định dạng csv, xlsx; chọn định dạng khác cho --output-dir",
                "--output-dir: a unit's own report does not come as csv or xlsx; choose another format with --output-dir"
            )
        );
    }
    if args.trail.db.is_some() {
        bail!(
            "{}",
            tr(
                lang,
                "--units: không dùng được --db vì mỗi đơn vị có chỉ mục riêng",
                "--units: --db cannot be used, each unit keeps its own index"
            )
        );
    }
    let found = units::units_of(parent)?;
    let specs = found.units;
    let listed = parent.join(units::FILE_NAME).is_file();
    if let Some(out) = &args.output {
        refuse_inside_units("--output", out, false, &specs, parent, listed, lang)?;
    }
    let targets = report_targets(&specs, parent, listed, output_dir, args.format, lang)?;
    if args.quiet < 2 {
        for link in &found.skipped_links {
            eprintln!(
                "tlkc: {}: {}",
                tr(lang, "cảnh báo", "warning"),
                tr(
                    lang,
                    &format!("bỏ qua {}: là liên kết tượng trưng (symlink), không phải thư mục của một đơn vị; nếu đúng là một đơn vị, ghi nó vào {}", link.display(), units::FILE_NAME),
                    &format!("skipping {}: a symbolic link, not a unit's folder; if it is a unit, list it in {}", link.display(), units::FILE_NAME),
                )
            );
        }
        for spec in specs.iter().filter(|s| s.linked) {
            eprintln!(
                "tlkc: {}: {}",
                tr(lang, "cảnh báo", "warning"),
                tr(
                    lang,
                    &format!("đơn vị {} ({}) đi qua liên kết tượng trưng: kiểm tra mà không dùng chỉ mục, không ghi gì vào thư mục liên kết trỏ tới", spec.name, spec.path.display()),
                    &format!("unit {} ({}) is reached through a symbolic link: checked without the index, nothing is written where the link points", spec.name, spec.path.display()),
                )
            );
        }
    }
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

/// Refuse an output (`what` = `--output` or `--output-dir`, `is_dir` for
/// the latter) inside a unit's folder, or, when the units are PARENT's
/// subfolders, inside a subfolder that the next run would take for a unit.
/// Compared once `..` and links are resolved; returns the resolved path.
fn refuse_inside_units(
    what: &str,
    given: &Path,
    is_dir: bool,
    specs: &[UnitSpec],
    parent: &Path,
    listed: bool,
    lang: Lang,
) -> Result<PathBuf> {
    let resolved = if is_dir {
        crate::fsguard::resolve(given)
    } else {
        crate::fsguard::resolve_file(given)
    }
    .with_context(|| format!("{what} {}", given.display()))?;
    if let Some(s) = specs
        .iter()
        .find(|s| crate::fsguard::is_inside(&resolved, &s.path))
    {
        bail!(
            "{}",
            tr(
                lang,
                &format!(
                    "{what} {}: nằm trong thư mục của đơn vị {} ({}); báo cáo ghi vào đó sẽ bị đọc như tài liệu kiểm chứng hoặc đè lên tài liệu. Chọn nơi ghi ngoài thư mục các đơn vị.",
                    given.display(),
                    s.name,
                    resolved.display()
                ),
                &format!(
                    "{what} {}: inside the folder of unit {} ({}), where reports would be read as evidence or overwrite it. Choose a place outside the units' folders.",
                    given.display(),
                    s.name,
                    resolved.display()
                )
            )
        );
    }
    // Without a list every visible subfolder of PARENT is a unit: a report
    // folder created there would be checked as one next time.
    let new_unit = (!listed)
        .then(|| parent.canonicalize().ok())
        .flatten()
        .and_then(|p| resolved.strip_prefix(p).ok().map(Path::to_path_buf))
        .filter(|rel| rel.components().count() > usize::from(!is_dir))
        .and_then(|rel| rel.components().next().map(|c| c.as_os_str().to_owned()))
        .filter(|first| !first.to_string_lossy().starts_with('.'));
    if let Some(first) = new_unit {
        let folder = parent.join(first);
        bail!(
            "{}",
            tr(
                lang,
                &format!(
                    "{what} {}: nằm trong {}, một thư mục con của {} mà lần chạy sau sẽ coi là một đơn vị. Chọn nơi ghi ngoài {} (hoặc thư mục bắt đầu bằng dấu chấm).",
                    given.display(),
                    folder.display(),
                    parent.display(),
                    parent.display()
                ),
                &format!(
                    "{what} {}: inside {}, a subfolder of {} that the next run would take for a unit. Choose a place outside {} (or a folder whose name starts with a dot).",
                    given.display(),
                    folder.display(),
                    parent.display(),
                    parent.display()
                )
            )
        );
    }
    Ok(resolved)
}

/// Where each unit's own report goes (`--output-dir`), one unique file per
/// unit, in the folder as resolved (so `x/../out` creates no `x`).
fn report_targets(
    specs: &[UnitSpec],
    parent: &Path,
    listed: bool,
    output_dir: Option<&Path>,
    format: Format,
    lang: Lang,
) -> Result<Vec<Option<PathBuf>>> {
    let Some(given) = output_dir else {
        return Ok(vec![None; specs.len()]);
    };
    let dir = refuse_inside_units("--output-dir", given, true, specs, parent, listed, lang)?;
    std::fs::create_dir_all(&dir).with_context(|| {
        tr(
            lang,
            &format!("tạo thư mục {}", given.display()),
            &format!("creating {}", given.display()),
        )
    })?;
    let mut taken = BTreeSet::new();
    Ok(specs
        .iter()
        .map(|s| {
            let stem = units::file_stem(&s.name, &mut taken);
            Some(dir.join(format!("{stem}.{}", extension(format))))
        })
        .collect())
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
