//! The audit-trail commands: submit, log, diff, verify, export; and who acts
//! when (the actor is resolved here, at the edge).

use super::*;

/// Who acts and when, read here at the edge: the library never reads the
/// clock or the environment.
pub(super) fn stamp(t: &TrailArgs) -> Stamp {
    Stamp {
        utc: Utc::now(),
        actor: actor(t.actor.as_deref()),
    }
}

/// `--actor`, else the OS user (USER, USERNAME), else "unknown".
pub(super) fn actor(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

pub(super) fn submit(args: SubmitArgs, lang: Lang) -> Result<Exit> {
    let mut opts = check::check_options(&args.check, lang)?;
    // Every file is read and hashed in this run, whatever the index says;
    // a new submission is not judged against the last one.
    (opts.rehash, opts.fixity) = (true, false);
    let input = CheckInput::resolve(&opts)?;
    check::say(&input.notices, args.check.quiet, lang);
    refuse_output_in_evidence(args.check.output.as_deref(), &input.root)?;
    let mut index = trail::open_index(&input.root, args.check.trail.db.as_deref())?;
    let run = run::check_in(&input, Some(&mut index), &|_| {})
        .with_context(|| format!("checking {}", input.root.display()))?;
    let report = &run.report;
    let quiet = args.check.quiet;
    // As with check: -q and -qq keep standard output clean; a file asked for is still written.
    if quiet == 0 || args.check.output.is_some() {
        emit(args.check.output.as_deref(), lang, |out| {
            report::render(args.check.format, report, lang, out)
        })?;
    }
    if !report.ready() && !args.force {
        if quiet < 2 {
            let mut err = std::io::stderr().lock();
            writeln!(
                err,
                "tlkc: {}{}",
                tr(
                    lang,
                    "chưa ghi nhận lần nộp: còn lỗi (dùng --force để vẫn ghi nhận)",
                    "submission not recorded: the check has errors (use --force to record it anyway)"
                ),
                if quiet == 0 { ":" } else { "." }
            )?;
            // -q: the closing line only; the errors are in the report.
            if quiet == 0 {
                report::trail::write_blockers(report, lang, &mut err)?;
            }
        }
        return Ok(Exit::Findings);
    }
    let mut json = Vec::new();
    report::render(Format::Json, report, lang, &mut json)?;
    let mut txt = Vec::new();
    report::render(Format::Human, report, lang, &mut txt)?;
    let details = trail::record_submission(
        &mut index,
        &input.stamp,
        &run,
        &args.note,
        args.force && !report.ready(),
        String::from_utf8_lossy(&json).into_owned(),
        String::from_utf8_lossy(&txt).into_owned(),
    )?;
    if quiet < 2 {
        eprintln!(
            "tlkc: {} {} ({} {})",
            tr(lang, "đã ghi nhận lần nộp số", "recorded submission"),
            details.submission,
            details.files.len(),
            tr(lang, "tệp", "files")
        );
    }
    Ok(Exit::Ready)
}

pub(super) fn log(args: LogArgs, lang: Lang) -> Result<Exit> {
    let index = trail::existing_index(&args.dir, args.trail.db.as_deref())?;
    let since = parse_day("--since", args.since.as_deref(), lang)?;
    let filter = trail::LogFilter {
        path: args.path.as_deref().map(crate::text::nfc),
        since,
    };
    let events = trail::log_events(&index, &filter)?;
    emit(None, lang, |out| match args.format {
        TrailFormat::Human => report::trail::render_log_human(&events, lang, out),
        TrailFormat::Json => report::trail::render_log_json(&events, out),
    })?;
    Ok(Exit::Ready)
}

pub(super) fn diff(args: DiffArgs, lang: Lang) -> Result<Exit> {
    let index = trail::existing_index(&args.dir, args.trail.db.as_deref())?;
    let (_, d) = run::discover_only(&args.dir)?;
    let diff = trail::diff(&index, &args.dir, &d, args.submission)?;
    emit(None, lang, |out| match args.format {
        TrailFormat::Human => report::trail::render_diff_human(&diff, lang, out),
        TrailFormat::Json => trail::write_json(&diff, out),
    })?;
    Ok(if diff.is_empty() {
        Exit::Ready
    } else {
        Exit::Findings
    })
}

pub(super) fn verify(args: VerifyArgs, lang: Lang) -> Result<Exit> {
    let mut index = trail::existing_index(&args.dir, args.trail.db.as_deref())?;
    let (_, d) = run::discover_only(&args.dir)?;
    let v = trail::verify(&mut index, &stamp(&args.trail), &args.dir, &d)?;
    emit(None, lang, |out| {
        report::trail::render_verify_human(&v, lang, out)
    })?;
    Ok(if v.ok() { Exit::Ready } else { Exit::Findings })
}

pub(super) fn export(args: ExportArgs, lang: Lang) -> Result<Exit> {
    let mut index = trail::existing_index(&args.dir, args.trail.db.as_deref())?;
    let (config, d) = run::discover_only(&args.dir)?;
    let req = trail::ExportRequest {
        root: &args.dir,
        discovery: &d,
        out: &args.bag,
        unit: config.unit.as_deref(),
    };
    let (sub, summary) = trail::export(&mut index, &stamp(&args.trail), &req)?;
    eprintln!(
        "tlkc: {} {} → {} ({} {}, {} bytes)",
        tr(lang, "đã xuất lần nộp số", "exported submission"),
        sub.details.submission,
        args.bag.display(),
        summary.files,
        tr(lang, "tệp", "files"),
        summary.bytes
    );
    Ok(Exit::Ready)
}
