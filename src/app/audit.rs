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

pub(super) fn open_index(dir: &Path, t: &TrailArgs, lang: Lang) -> Result<Index> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let db = trail::db_path(dir, t.db.as_deref());
    match Index::open_for(dir, t.db.as_deref()) {
        Ok(index) => Ok(index),
        // The ledger of whatever the link names is not this folder's to write.
        Err(IndexError::Symlinked { path }) => bail!(
            "{}",
            tr(
                lang,
                &format!("{path} là liên kết tượng trưng (symlink): tlkc không mở chỉ mục qua liên kết, vì nó có thể là chỉ mục của thư mục khác. Xoá liên kết (tlkc check sẽ tạo chỉ mục riêng cho thư mục này) rồi chạy lại."),
                &format!("{path} is a symbolic link: tlkc does not open an index through a link, as it may be another folder's. Remove the link (tlkc check then makes this folder's own index) and run again."),
            )
        ),
        Err(e) => Err(e).with_context(|| db.display().to_string()),
    }
}

/// An index that must already exist: reading commands never create one.
pub(super) fn existing_index(dir: &Path, t: &TrailArgs, lang: Lang) -> Result<Index> {
    let db = trail::db_path(dir, t.db.as_deref());
    // symlink_metadata: a dangling link is "there" and refused by the opening.
    if std::fs::symlink_metadata(&db).is_err() {
        bail!(
            "{}: no index yet; run `tlkc check` or `tlkc submit` on {} first",
            db.display(),
            dir.display()
        );
    }
    open_index(dir, t, lang)
}

/// Discovery only (paths and filing), for commands that do not inspect.
pub(super) fn discover_folder(dir: &Path) -> Result<(FolderConfig, crate::discover::Discovery)> {
    let config = FolderConfig::load_dir(dir)?;
    let rules = load_rules(None, Some((&config, dir)))?;
    let d = crate::discover::discover(dir, &rules, &config)?;
    Ok((config, d))
}

pub(super) fn submit(args: SubmitArgs, lang: Lang) -> Result<Exit> {
    let input = check_input(&args.check, lang)?;
    refuse_output_in_evidence(args.check.output.as_deref(), &input.root, lang)?;
    let mut index = open_index(&input.root, &args.check.trail, lang)?;
    let stamp = stamp(&args.check.trail);
    // Every file is read and hashed in this run, whatever the index says.
    let run = trail::check_for_submission(&input, &mut index, &stamp)
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
                if lang == Lang::Vi {
                    "chưa ghi nhận lần nộp: còn lỗi (dùng --force để vẫn ghi nhận)"
                } else {
                    "submission not recorded: the check has errors (use --force to record it anyway)"
                },
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
        &stamp,
        &run,
        &args.note,
        args.force && !report.ready(),
        String::from_utf8_lossy(&json).into_owned(),
        String::from_utf8_lossy(&txt).into_owned(),
    )?;
    if quiet < 2 {
        eprintln!(
            "tlkc: {} {} ({} {})",
            if lang == Lang::Vi {
                "đã ghi nhận lần nộp số"
            } else {
                "recorded submission"
            },
            details.submission,
            details.files.len(),
            if lang == Lang::Vi { "tệp" } else { "files" }
        );
    }
    Ok(Exit::Ready)
}

pub(super) fn log(args: LogArgs, lang: Lang) -> Result<Exit> {
    let index = existing_index(&args.dir, &args.trail, lang)?;
    let since = match &args.since {
        Some(s) => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .with_context(|| format!("--since `{s}`: expected YYYY-MM-DD"))?,
        ),
        None => None,
    };
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
    let index = existing_index(&args.dir, &args.trail, lang)?;
    let (_, d) = discover_folder(&args.dir)?;
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
    let mut index = existing_index(&args.dir, &args.trail, lang)?;
    let (_, d) = discover_folder(&args.dir)?;
    let v = trail::verify(&mut index, &stamp(&args.trail), &args.dir, &d)?;
    emit(None, lang, |out| {
        report::trail::render_verify_human(&v, lang, out)
    })?;
    Ok(if v.ok() { Exit::Ready } else { Exit::Findings })
}

pub(super) fn export(args: ExportArgs, lang: Lang) -> Result<Exit> {
    let mut index = existing_index(&args.dir, &args.trail, lang)?;
    let (config, d) = discover_folder(&args.dir)?;
    let req = trail::ExportRequest {
        root: &args.dir,
        discovery: &d,
        out: &args.bag,
        unit: config.unit.as_deref(),
    };
    let (sub, summary) = trail::export(&mut index, &stamp(&args.trail), &req)?;
    eprintln!(
        "tlkc: {} {} → {} ({} {}, {} bytes)",
        if lang == Lang::Vi {
            "đã xuất lần nộp số"
        } else {
            "exported submission"
        },
        sub.details.submission,
        args.bag.display(),
        summary.files,
        if lang == Lang::Vi { "tệp" } else { "files" },
        summary.bytes
    );
    Ok(Exit::Ready)
}
