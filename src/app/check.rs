//! `tlkc check DIR`: the main job, on one folder (units: [`super::units`]).

use super::audit::stamp;
use super::*;

pub(super) fn check_input(args: &CheckArgs, lang: Lang) -> Result<CheckInput> {
    let dir = args.dir.clone();
    must_be_folder(&dir, lang)?;
    let config = FolderConfig::load_dir(&dir)?;
    let rules = load_rules(args.rules.as_deref(), Some((&config, &dir)))?;
    let as_of = match &args.as_of {
        Some(s) => parse_day(s).with_context(|| {
            tr(
                lang,
                &format!("--as-of `{s}`: cần ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy"),
                &format!("--as-of `{s}`: expected YYYY-MM-DD or dd/mm/yyyy"),
            )
        })?,
        None => config.as_of.unwrap_or_else(today_in_vietnam),
    };
    let mut anchor_files = named(&args.trust_anchors, "--trust-anchor");
    let named_at = config
        .trust_anchors_at
        .clone()
        .unwrap_or_else(|| "tlkc.toml".into());
    anchor_files.extend(
        config
            .trust_anchors
            .iter()
            .map(|a| (dir.join(a), named_at.clone())),
    );
    let mut crl_files = named(&args.crls, "--crl");
    let crls_at = config.crls_at.clone().unwrap_or_else(|| "tlkc.toml".into());
    crl_files.extend(config.crls.iter().map(|c| (dir.join(c), crls_at.clone())));
    let builtin = !(args.no_builtin_trust || config.no_builtin_trust);
    let inspect = InspectOptions {
        limits: config.limits.clone(),
        trust: trust_anchors(&anchor_files, &crl_files, builtin, Some(&rules), lang)?,
        ocr: ocr_options(args.no_ocr, args.quiet > 0, lang),
    };
    Ok(CheckInput {
        root: dir,
        rules,
        config,
        as_of,
        inspect,
    })
}

pub(super) fn check(args: CheckArgs, lang: Lang) -> Result<Exit> {
    use std::io::IsTerminal;
    if matches!(args.format, Format::Csv | Format::Xlsx) {
        bail!(
            "{}",
            tr(
                lang,
                "--format csv và xlsx dành cho bảng xếp hạng các đơn vị (--units THƯ_MỤC_CHA)",
                "--format csv and xlsx are for the units ranking (--units PARENT)"
            )
        );
    }
    let input = check_input(&args, lang)?;
    let dir = &input.root;
    refuse_output_in_evidence(args.output.as_deref(), dir, lang)?;
    let stderr_tty = std::io::stderr().is_terminal();
    let bar = (stderr_tty && !args.no_progress && args.quiet == 0).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(tr(lang, "Đang đọc tài liệu kiểm chứng", "Reading evidence"));
        bar
    });
    let ocr_pages = std::sync::atomic::AtomicU64::new(0);
    let observe = |p: crate::inspect::guard::Progress| {
        if let Some(bar) = &bar {
            match p {
                crate::inspect::guard::Progress::Files(n) => bar.set_length(n),
                crate::inspect::guard::Progress::Inspected => bar.inc(1),
                crate::inspect::guard::Progress::OcrPage => {
                    let n = ocr_pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    bar.set_message(tr(
                        lang,
                        &format!("Đang đọc tài liệu kiểm chứng (OCR {n} trang)"),
                        &format!("Reading evidence (OCR of {n} page(s))"),
                    ));
                }
            }
        }
    };
    let report = checked_report(&input, &args, lang, &observe, IndexUse::Folder)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let to_stdout = args.output.is_none();
    let opts = report::Options {
        lang,
        color: to_stdout && use_color(std::io::stdout().is_terminal()),
        link_base: if args.format == Format::Html {
            report::html::link_base(args.output.as_deref(), dir)
        } else {
            String::new()
        },
        explanations: args.explanations,
        verbose: args.verbose,
    };
    // -q and -qq keep standard output clean; a file asked for is still written.
    if args.quiet == 0 || !to_stdout {
        emit(args.output.as_deref(), lang, |out| {
            report::render_with(args.format, &report, &opts, out)
        })?;
    }
    // The human report already ends with the verdict line; everything else
    // (a file, a machine format) gets it on stderr so stdout stays parseable.
    let verdict_in_report = to_stdout && args.format == Format::Human && args.quiet == 0;
    if args.quiet < 2 && !verdict_in_report {
        let mut line = report::human::verdict_line(&report, lang);
        if let Some(p) = &args.output {
            line = format!(
                "{} {}. {line}",
                tr(lang, "Đã ghi báo cáo vào", "Report written to"),
                p.display()
            );
        }
        eprintln!("{line}");
    }
    Ok(if report.ready() {
        Exit::Ready
    } else {
        Exit::Findings
    })
}

/// Whether a check may use the folder's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IndexUse {
    /// `--db`, else `DIR/.tlkc/tlkc.db` (unless it is a link or cannot be created).
    Folder,
    /// The folder is reached through a symbolic link: nothing is written there.
    Never,
}

/// The report of one folder, as `tlkc check DIR` makes it: with the index
/// and a `check_run` ledger event, or without the index when the folder is
/// read-only, its `.tlkc` or database is a symbolic link, or `use_index`
/// says so.
pub(super) fn checked_report(
    input: &CheckInput,
    args: &CheckArgs,
    lang: Lang,
    observe: &(dyn Fn(crate::inspect::guard::Progress) + Sync),
    use_index: IndexUse,
) -> Result<run::Report> {
    let dir = &input.root;
    let checking = || {
        tr(
            lang,
            &format!("kiểm tra {}", dir.display()),
            &format!("checking {}", dir.display()),
        )
    };
    let uncached = || run::check_with(input, &mut run::Uncached, None, observe);
    if use_index == IndexUse::Never {
        return uncached().with_context(checking);
    }
    let db = trail::db_path(dir, args.trail.db.as_deref());
    let warn = |why: String| {
        if args.quiet < 2 {
            eprintln!(
                "tlkc: {}: {why}; {}",
                tr(lang, "cảnh báo", "warning"),
                tr(
                    lang,
                    "kiểm tra mà không dùng chỉ mục",
                    "checking without the index"
                )
            );
        }
    };
    let report = match Index::open_for(dir, args.trail.db.as_deref()) {
        Ok(mut index) => {
            let stamp = stamp(&args.trail);
            let run = trail::indexed_check(input, &mut index, &stamp, args.rehash, true, observe)
                .with_context(checking)?;
            run.report
        }
        // A read-only folder can still be checked, just not remembered.
        Err(IndexError::CreateDir { path, source }) if args.trail.db.is_none() => {
            warn(format!("{path}: {source}"));
            uncached().with_context(checking)?
        }
        // A linked index would be another folder's (or a file created at
        // the link's target): never followed, the check runs without it.
        Err(IndexError::Symlinked { path }) if args.trail.db.is_none() => {
            warn(tr(
                lang,
                &format!("{path} là liên kết tượng trưng (symlink); tlkc không mở chỉ mục qua liên kết để khỏi ghi vào nơi liên kết trỏ tới (có thể là chỉ mục của đơn vị khác). Xoá liên kết để tlkc tạo chỉ mục riêng cho thư mục này"),
                &format!("{path} is a symbolic link; tlkc does not open an index through a link, so as not to write where it points (possibly another unit's index). Remove the link to let tlkc keep this folder's own index"),
            ));
            uncached().with_context(checking)?
        }
        Err(e) => return Err(e).context(db.display().to_string()),
    };
    if args.verbose {
        if let Some(c) = report.index {
            eprintln!(
                "tlkc: index {}: {} files, {} hashed, {} inspected, {} reused",
                db.display(),
                c.files,
                c.hashed,
                c.inspected,
                c.reused
            );
        }
    }
    Ok(report)
}
