//! `tlkc check --units PARENT`: every unit checked as a run of its own, on
//! a bounded pool of workers (one per core), each unit's full report
//! written out and dropped as soon as it is done, so memory holds at most
//! one unit per worker plus small digests.

use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context as _, Result};

use super::check::IndexUse;
use super::{check_input, checked_report, emit, tr, use_color, Exit};
use crate::cli::CheckArgs;
use crate::findings::Lang;
use crate::report::{self, Format};
use crate::run::units::{Digest, UnitOutcome, UnitResult, UnitsReport};
use crate::units::{self, UnitSpec};

/// File extension of a unit's own report in `format`.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Human | Format::Github => "txt",
        Format::Json => "json",
        Format::Html => "html",
        Format::Sarif => "sarif",
        Format::Junit => "xml",
        Format::Markdown => "md",
    }
}

/// What every unit shares: the arguments given once for all of them.
struct Shared<'a> {
    args: &'a CheckArgs,
    parent: &'a Path,
    lang: Lang,
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
                "--units: báo cáo tổng hợp chỉ có định dạng human, json, html, junit và markdown",
                "--units: the combined report comes in the human, json, html, junit and markdown formats"
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
    let shared = Shared {
        args: &args,
        parent,
        lang,
    };
    let mut results = run_pool(&specs, &targets, &shared)?;
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

/// Check the units on as many workers as the inspection pool has threads;
/// results keep the order of `specs`.
fn run_pool(
    specs: &[UnitSpec],
    targets: &[Option<PathBuf>],
    shared: &Shared,
) -> Result<Vec<UnitResult>> {
    let workers = rayon::current_num_threads().clamp(1, specs.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<UnitResult>>>> =
        Mutex::new((0..specs.len()).map(|_| None).collect());
    let bar = progress_bar(specs.len(), shared);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = specs.get(i) else { break };
                let r = check_unit(spec, targets[i].as_deref(), shared);
                slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                if let Some(b) = &bar {
                    b.inc(1);
                }
            });
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| bail!("a unit was not checked")))
        .collect()
}

fn progress_bar(n: usize, shared: &Shared) -> Option<indicatif::ProgressBar> {
    let a = shared.args;
    (std::io::stderr().is_terminal() && !a.no_progress && a.quiet == 0).then(|| {
        let bar = indicatif::ProgressBar::new(n as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(tr(
            shared.lang,
            "Đang kiểm tra các đơn vị",
            "Checking units",
        ));
        bar
    })
}

/// The arguments of `tlkc check UNIT` for this unit: the command line's,
/// else what tlkc.units.toml sets for it (its `rules` relative to PARENT).
fn unit_args(spec: &UnitSpec, shared: &Shared) -> CheckArgs {
    let mut a = shared.args.clone();
    a.dir = spec.path.clone();
    a.output = None;
    if a.rules.is_none() {
        a.rules = spec.rules.as_ref().map(|r| {
            let candidate = shared.parent.join(r);
            if candidate.exists() {
                candidate
            } else {
                PathBuf::from(r)
            }
        });
    }
    if a.as_of.is_none() {
        a.as_of = spec.as_of.map(|d| d.format("%Y-%m-%d").to_string());
    }
    a
}

/// Check one unit. A unit that cannot be checked is a result, not an
/// error; only failing to write its report stops the run.
fn check_unit(spec: &UnitSpec, target: Option<&Path>, shared: &Shared) -> Result<UnitResult> {
    let lang = shared.lang;
    let args = unit_args(spec, shared);
    let mut result = UnitResult {
        name: spec.name.clone(),
        root: spec.path.display().to_string(),
        outcome: UnitOutcome::Failed(String::new()),
        report_file: None,
        report_link: None,
    };
    let use_index = if spec.linked {
        IndexUse::Never
    } else {
        IndexUse::Folder
    };
    let checked = check_input(&args, lang).and_then(|input| {
        Ok((
            checked_report(&input, &args, lang, &|_| {}, use_index)?,
            input.root,
        ))
    });
    let (report, root) = match checked {
        Ok(r) => r,
        Err(e) => {
            result.outcome = UnitOutcome::Failed(format!("{e:#}"));
            return Ok(result);
        }
    };
    if let Some(path) = target {
        let opts = report::Options {
            lang,
            color: false,
            link_base: if args.format == Format::Html {
                report::html::link_base(Some(path), &root)
            } else {
                String::new()
            },
            explanations: args.explanations,
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
