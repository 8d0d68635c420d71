//! `tlkc check DIR`: arguments → [`CheckOptions`] → [`run::check`] → the
//! report printed (units: [`super::units`]).

use super::audit::actor;
use super::*;
use crate::inspect::guard::Progress;
use crate::run::{CheckOptions, IndexChoice, Notice, OcrChoice, RulesChoice, TrustChoice};

/// The check the arguments ask for, as plain data.
pub(super) fn check_options(args: &CheckArgs, lang: Lang) -> Result<CheckOptions> {
    let mut o = CheckOptions::new(&args.dir, Utc::now());
    o.as_of = parse_day("--as-of", args.as_of.as_deref(), lang)?;
    if let Some(r) = &args.rules {
        o.rules = RulesChoice::File(r.clone());
    }
    o.actor = actor(args.trail.actor.as_deref());
    o.trust = TrustChoice {
        builtin: !args.no_builtin_trust,
        anchors: named(&args.trust_anchors, "--trust-anchor"),
        crls: named(&args.crls, "--crl"),
    };
    o.ocr = if args.no_ocr {
        OcrChoice::Off
    } else {
        OcrChoice::Detect
    };
    if let Some(db) = &args.trail.db {
        o.index = IndexChoice::At(db.clone());
    }
    o.rehash = args.rehash;
    Ok(o)
}

/// Say the notices of a run on standard error, as `-q`/`-qq` allow.
pub(super) fn say(notices: &[Notice], quiet: u8, lang: Lang) {
    for n in notices {
        if quiet == 0 || (quiet < 2 && n.is_warning()) {
            eprintln!("tlkc: {}", n.text(lang));
        }
    }
}

/// "checking DIR", the context of a failed check.
pub(super) fn checking(dir: &Path, lang: Lang) -> String {
    tr(
        lang,
        &format!("kiểm tra {}", dir.display()),
        &format!("checking {}", dir.display()),
    )
}

pub(super) fn check(args: CheckArgs, lang: Lang) -> Result<Exit> {
    use std::io::IsTerminal;
    if matches!(args.format, Format::Csv | Format::Xlsx) {
        return Err(refuse(
            lang,
            "--format csv và xlsx dành cho bảng xếp hạng các đơn vị (--units THƯ_MỤC_CHA)",
            "--format csv and xlsx are for the units ranking (--units PARENT)",
        ));
    }
    let input = CheckInput::resolve(&check_options(&args, lang)?)?;
    say(&input.notices, args.quiet, lang);
    let dir = &input.root;
    refuse_output_in_evidence(args.output.as_deref(), dir)?;
    let bar =
        (std::io::stderr().is_terminal() && !args.no_progress && args.quiet == 0).then(|| {
            progress_bar(
                0,
                &tr(lang, "Đang đọc tài liệu kiểm chứng", "Reading evidence"),
            )
        });
    let ocr_pages = std::sync::atomic::AtomicU64::new(0);
    let observe = |p: Progress| {
        let Some(bar) = &bar else { return };
        match p {
            Progress::Files(n) => bar.set_length(n),
            Progress::Inspected => bar.inc(1),
            Progress::OcrPage => {
                let n = ocr_pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                bar.set_message(tr(
                    lang,
                    &format!("Đang đọc tài liệu kiểm chứng (OCR {n} trang)"),
                    &format!("Reading evidence (OCR of {n} page(s))"),
                ));
            }
        }
    };
    let run = match run::check(&input, &observe) {
        Ok(run) => run,
        // The index asked for (--db) is named, not the folder.
        Err(e @ run::RunError::OpenIndex { .. }) => return Err(e.into()),
        Err(e) => return Err(anyhow::Error::new(e).context(checking(dir, lang))),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    say(&run.notices, args.quiet, lang);
    if let (true, Some(c), Some(db)) = (args.verbose, run.report.index, &run.db) {
        eprintln!(
            "tlkc: index {}: {} files, {} hashed, {} inspected, {} reused",
            db.display(),
            c.files,
            c.hashed,
            c.inspected,
            c.reused
        );
    }
    let report = run.report;
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

/// A progress bar on standard error.
pub(super) fn progress_bar(len: u64, message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}
