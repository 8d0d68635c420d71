//! The CLI edge: turns parsed arguments into pipeline calls, files and
//! exit codes. The only module using `anyhow`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use chrono::{NaiveDate, Utc};

use crate::checks::{self, docs};
use crate::cli::{
    CheckArgs, Cli, Command, DiffArgs, ExportArgs, InspectArgs, LangArg, LogArgs, RulesCommand,
    RulesFormat, SubmitArgs, TrailArgs, TrailFormat, VerifyArgs,
};
use crate::config::FolderConfig;
use crate::findings::{Code, Finding, Lang, Severity};
use crate::index::ledger::Stamp;
use crate::index::{Index, IndexError};
use crate::inspect::ocr::{OcrOptions, Tesseract};
use crate::inspect::{InspectOptions, TrustAnchors};
use crate::report::{self, Format};
use crate::rules::{self, Ruleset};
use crate::run::{self, CheckInput};
use crate::trail;

mod units;

/// Process exit status (see `cli::EXIT_CODES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ready = 0,
    Findings = 1,
    Failure = 2,
}

pub const DEFAULT_RULESET: &str = "kon-tum-2022-huyen";

pub fn run(cli: Cli) -> Result<Exit> {
    let lang = resolve_lang(cli.lang);
    match cli.command {
        Command::Check(c) => match c.units {
            Some(parent) => units::check_units(c.check, &parent, c.output_dir.as_deref(), lang),
            None => check(c.check, lang),
        },
        Command::Inspect(args) => inspect(args, lang),
        Command::Rules(cmd) => rules_cmd(cmd, lang),
        Command::Explain { code } => explain(&code, lang),
        Command::Submit(args) => submit(args, lang),
        Command::Log(args) => log(args, lang),
        Command::Diff(args) => diff(args, lang),
        Command::Verify(args) => verify(args, lang),
        Command::Export(args) => export(args, lang),
        Command::Init(args) => init(args, lang),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "tlkc", &mut std::io::stdout());
            Ok(Exit::Ready)
        }
        Command::Man => {
            std::io::stdout().write_all(crate::docgen::man_page()?.as_bytes())?;
            Ok(Exit::Ready)
        }
    }
}

/// Pick the Vietnamese or English text of a CLI message.
pub fn tr(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `--lang`, else TLKC_LANG, else LANG (vi_VN → vi, other set locales → en), else vi.
pub fn resolve_lang(arg: Option<LangArg>) -> Lang {
    if let Some(a) = arg {
        return match a {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        };
    }
    let from = |v: &str| {
        let v = v.to_ascii_lowercase();
        if v.starts_with("vi") {
            Some(Lang::Vi)
        } else if v.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    };
    std::env::var("TLKC_LANG")
        .ok()
        .and_then(|v| from(&v))
        .or_else(|| std::env::var("LANG").ok().and_then(|v| from(&v)))
        .unwrap_or(Lang::Vi)
}

fn today_in_vietnam() -> NaiveDate {
    Utc::now().with_timezone(&crate::time::VIETNAM).date_naive()
}

fn load_rules(explicit: Option<&Path>, config: Option<(&FolderConfig, &Path)>) -> Result<Ruleset> {
    if let Some(p) = explicit {
        return Ok(rules::load_file(p)?);
    }
    if let Some((cfg, dir)) = config {
        if let Some(r) = &cfg.rules {
            let candidate = dir.join(r);
            let path = if candidate.exists() {
                candidate
            } else {
                PathBuf::from(r)
            };
            return Ok(rules::load_file(&path)?);
        }
    }
    Ok(rules::load_file(Path::new(&format!(
        "builtin:{DEFAULT_RULESET}"
    )))?)
}

/// Load trust anchors; `files` pairs each path with where it was named
/// (`--trust-anchor`, or `tlkc.toml:line:col`) so errors point there.
fn trust_anchors(files: &[(PathBuf, String)], rules: Option<&Ruleset>) -> Result<TrustAnchors> {
    let mut t = TrustAnchors::default();
    for (f, named_at) in files {
        let bytes = std::fs::read(f)
            .with_context(|| format!("{named_at}: reading trust anchor {}", f.display()))?;
        let certs = TrustAnchors::from_pem_or_der(&bytes)
            .with_context(|| format!("{named_at}: trust anchor {}", f.display()))?;
        t.certs_der.extend(certs);
    }
    if let Some(r) = rules {
        t.pinned_sha256
            .extend(r.framework.trusted_roots.iter().map(|r| r.sha256.clone()));
    }
    Ok(t)
}

fn check_input(args: &CheckArgs, lang: Lang) -> Result<CheckInput> {
    let dir = args.dir.clone();
    if !dir.is_dir() {
        bail!(
            "{}: {}",
            dir.display(),
            tr(lang, "không phải thư mục", "not a folder")
        );
    }
    let config = FolderConfig::load_dir(&dir)?;
    let rules = load_rules(args.rules.as_deref(), Some((&config, &dir)))?;
    let as_of = match &args.as_of {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| {
            tr(
                lang,
                &format!("--as-of `{s}`: cần ngày dạng YYYY-MM-DD"),
                &format!("--as-of `{s}`: expected YYYY-MM-DD"),
            )
        })?,
        None => config.as_of.unwrap_or_else(today_in_vietnam),
    };
    let mut anchor_files: Vec<(PathBuf, String)> = args
        .trust_anchors
        .iter()
        .map(|a| (a.clone(), "--trust-anchor".to_string()))
        .collect();
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
    let inspect = InspectOptions {
        limits: config.limits.clone(),
        trust: trust_anchors(&anchor_files, Some(&rules))?,
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

fn check(args: CheckArgs, lang: Lang) -> Result<Exit> {
    use std::io::IsTerminal;
    let input = check_input(&args, lang)?;
    let dir = &input.root;
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
    let observe = |p: run::Progress| {
        if let Some(bar) = &bar {
            match p {
                run::Progress::Files(n) => bar.set_length(n),
                run::Progress::Inspected => bar.inc(1),
                run::Progress::OcrPage => {
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
    let report = checked_report(&input, &args, lang, &observe)?;
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

/// The report of one folder, as `tlkc check DIR` makes it: with the index
/// and a `check_run` ledger event, or without the index when the folder is
/// read-only.
fn checked_report(
    input: &CheckInput,
    args: &CheckArgs,
    lang: Lang,
    observe: &(dyn Fn(run::Progress) + Sync),
) -> Result<run::Report> {
    let dir = &input.root;
    let checking = || {
        tr(
            lang,
            &format!("kiểm tra {}", dir.display()),
            &format!("checking {}", dir.display()),
        )
    };
    let db = trail::db_path(dir, args.trail.db.as_deref());
    let report = match Index::open(&db) {
        Ok(mut index) => {
            let stamp = stamp(&args.trail);
            let run = trail::indexed_check(input, &mut index, &stamp, args.rehash, true, observe)
                .with_context(checking)?;
            run.report
        }
        // A read-only folder can still be checked, just not remembered.
        Err(IndexError::CreateDir { path, source }) if args.trail.db.is_none() => {
            eprintln!(
                "tlkc: {}: {path}: {source}; {}",
                tr(lang, "cảnh báo", "warning"),
                tr(
                    lang,
                    "kiểm tra mà không dùng chỉ mục",
                    "checking without the index"
                )
            );
            run::check_with(input, &mut run::Uncached, None, observe).with_context(checking)?
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

/// Who acts and when, read here at the edge: the library never reads the
/// clock or the environment.
fn stamp(t: &TrailArgs) -> Stamp {
    Stamp {
        utc: Utc::now(),
        actor: actor(t.actor.as_deref()),
    }
}

/// `--actor`, else the OS user (USER, USERNAME), else "unknown".
fn actor(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn open_index(dir: &Path, t: &TrailArgs) -> Result<Index> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let db = trail::db_path(dir, t.db.as_deref());
    Index::open(&db).with_context(|| db.display().to_string())
}

/// An index that must already exist: reading commands never create one.
fn existing_index(dir: &Path, t: &TrailArgs) -> Result<Index> {
    let db = trail::db_path(dir, t.db.as_deref());
    if !db.is_file() {
        bail!(
            "{}: no index yet; run `tlkc check` or `tlkc submit` on {} first",
            db.display(),
            dir.display()
        );
    }
    open_index(dir, t)
}

/// Discovery only (paths and filing), for commands that do not inspect.
fn discover_folder(dir: &Path) -> Result<(FolderConfig, crate::discover::Discovery)> {
    let config = FolderConfig::load_dir(dir)?;
    let rules = load_rules(None, Some((&config, dir)))?;
    let d = crate::discover::discover(dir, &rules, &config)?;
    Ok((config, d))
}

fn submit(args: SubmitArgs, lang: Lang) -> Result<Exit> {
    let input = check_input(&args.check, lang)?;
    let mut index = open_index(&input.root, &args.check.trail)?;
    let stamp = stamp(&args.check.trail);
    // Every file is read and hashed in this run, whatever the index says.
    let run = trail::check_for_submission(&input, &mut index, &stamp)
        .with_context(|| format!("checking {}", input.root.display()))?;
    let report = &run.report;
    emit(args.check.output.as_deref(), lang, |out| {
        report::render(args.check.format, report, lang, out)
    })?;
    if !report.ready() && !args.force {
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "tlkc: {}",
            if lang == Lang::Vi {
                "chưa ghi nhận lần nộp: còn lỗi (dùng --force để vẫn ghi nhận):"
            } else {
                "submission not recorded: the check has errors (use --force to record it anyway):"
            }
        )?;
        report::trail::write_blockers(report, lang, &mut err)?;
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
    Ok(Exit::Ready)
}

fn log(args: LogArgs, lang: Lang) -> Result<Exit> {
    let index = existing_index(&args.dir, &args.trail)?;
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

fn diff(args: DiffArgs, lang: Lang) -> Result<Exit> {
    let index = existing_index(&args.dir, &args.trail)?;
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

fn verify(args: VerifyArgs, lang: Lang) -> Result<Exit> {
    let mut index = existing_index(&args.dir, &args.trail)?;
    let (_, d) = discover_folder(&args.dir)?;
    let v = trail::verify(&mut index, &stamp(&args.trail), &args.dir, &d)?;
    emit(None, lang, |out| {
        report::trail::render_verify_human(&v, lang, out)
    })?;
    Ok(if v.ok() { Exit::Ready } else { Exit::Findings })
}

fn export(args: ExportArgs, lang: Lang) -> Result<Exit> {
    let mut index = existing_index(&args.dir, &args.trail)?;
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

/// Write to `--output FILE` or stdout.
fn emit(
    output: Option<&Path>,
    lang: Lang,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(p) => {
            let mut buf = Vec::new();
            f(&mut buf)?;
            std::fs::write(p, buf).with_context(|| {
                tr(
                    lang,
                    &format!("ghi tệp {}", p.display()),
                    &format!("writing {}", p.display()),
                )
            })?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            f(&mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}

/// OCR with Tesseract when it is installed and not turned off; when it is
/// missing, say so once for the whole run (scans then go unread, as before).
fn ocr_options(no_ocr: bool, quiet: bool, lang: Lang) -> OcrOptions {
    if no_ocr {
        return OcrOptions::default();
    }
    match Tesseract::detect() {
        Ok(engine) => OcrOptions {
            engine: Some(engine),
        },
        Err(why) => {
            if !quiet {
                eprintln!(
                    "tlkc: {}",
                    tr(
                        lang,
                        &format!("không có OCR ({why}): bản quét sẽ không được đọc; cài tesseract-ocr và tesseract-ocr-vie, hoặc dùng --no-ocr"),
                        &format!("OCR unavailable ({why}): scans will not be read; install tesseract-ocr and tesseract-ocr-vie, or pass --no-ocr"),
                    )
                );
            }
            OcrOptions::default()
        }
    }
}

fn inspect(args: InspectArgs, lang: Lang) -> Result<Exit> {
    let opts = InspectOptions {
        ocr: ocr_options(args.no_ocr, false, lang),
        trust: trust_anchors(
            &args
                .trust_anchors
                .iter()
                .map(|a| (a.clone(), "--trust-anchor".to_string()))
                .collect::<Vec<_>>(),
            None,
        )?,
        ..Default::default()
    };
    let facts = run::inspect_paths(&args.files, &opts);
    let mut any_error = false;
    let rows: Vec<(crate::facts::FileFacts, Vec<Finding>)> = facts
        .into_iter()
        .map(|f| {
            let mut problems = Vec::new();
            checks::pdf::check(&f, &mut problems);
            // The evaluated year is unknown here: judge the date against its own year.
            let year = f
                .document
                .date
                .map(|d| chrono::Datelike::year(&d))
                .unwrap_or(0);
            checks::document::check(&f, year, &mut problems);
            // No ruleset or folder here: the default algorithm policy, judged today.
            checks::signature::check(
                &f,
                &crate::rules::AlgorithmPolicy::default(),
                today_in_vietnam(),
                &mut problems,
            );
            any_error |= problems.iter().any(|p| p.severity == Severity::Error);
            (f, problems)
        })
        .collect();
    if !matches!(args.format, Format::Json | Format::Human) {
        bail!(
            "{}",
            tr(
                lang,
                "tlkc inspect chỉ có định dạng human và json",
                "tlkc inspect supports the human and json formats only"
            )
        );
    }
    emit(None, lang, |out| match args.format {
        Format::Json => crate::report::inspect::json(&rows, lang, out),
        _ => crate::report::inspect::human(&rows, lang, out),
    })?;
    Ok(if any_error {
        Exit::Findings
    } else {
        Exit::Ready
    })
}

fn rules_cmd(cmd: RulesCommand, lang: Lang) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::Validate { file } => {
            let r = rules::load_file(&file)?;
            let n = r.scorables().count();
            writeln!(
                out,
                "{}: ok — {} ({}), {n} {}",
                file.display(),
                r.framework.title,
                r.framework.id,
                tr(lang, "tiêu chí thành phần được chấm", "scorable units")
            )?;
            let inferred = r.inferred_count();
            if inferred > 0 {
                writeln!(
                    out,
                    "{}",
                    tr(
                        lang,
                        &format!("{inferred} mục còn đánh dấu inferred = true (do `tlkc rules import` suy ra): rà soát rồi xoá dấu."),
                        &format!("{inferred} items are still marked inferred = true (drafted by `tlkc rules import`): review them, then remove the flag.")
                    )
                )?;
            }
        }
        RulesCommand::List { rules, format } => {
            let r = load_rules(rules.as_deref(), None)?;
            match format {
                RulesFormat::Human => crate::report::rules::list(&r, lang, &mut out)?,
                RulesFormat::Json => {
                    let v = crate::report::rules::json(&r, None).unwrap_or_default();
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                }
            }
        }
        RulesCommand::Show { id, rules, format } => {
            let r = load_rules(rules.as_deref(), None)?;
            let found = match format {
                RulesFormat::Human => crate::report::rules::show(&r, &id, lang, &mut out)?,
                RulesFormat::Json => match crate::report::rules::json(&r, Some(&id)) {
                    Some(v) => {
                        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                        true
                    }
                    None => false,
                },
            };
            if !found {
                bail!(
                    "{}",
                    tr(
                        lang,
                        &format!(
                            "không có lĩnh vực, tiêu chí hoặc tiêu chí thành phần `{id}` trong {}",
                            r.framework.id
                        ),
                        &format!(
                            "no area, criterion or sub-criterion `{id}` in {}",
                            r.framework.id
                        )
                    )
                );
            }
        }
        RulesCommand::Import {
            file,
            id,
            title,
            year,
            sheet,
            output,
            force,
        } => {
            let meta = rules::import::Meta {
                id,
                title,
                year,
                source: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            };
            return rules_import(&file, &meta, sheet.as_deref(), &output, force, lang);
        }
    }
    Ok(Exit::Ready)
}

fn rules_import(
    file: &Path,
    meta: &rules::import::Meta,
    sheet: Option<&str>,
    output: &Path,
    force: bool,
    lang: Lang,
) -> Result<Exit> {
    use rules::import::{self, Kind};
    let kind = Kind::from_path(file).with_context(|| {
        format!(
            "{}: {}",
            file.display(),
            tr(
                lang,
                "không phải .xlsx, .ods, .csv hay .docx",
                "not a .xlsx, .ods, .csv or .docx file"
            )
        )
    })?;
    if output.exists() && !force {
        bail!(
            "{}: {}",
            output.display(),
            tr(
                lang,
                "đã có; dùng --force để ghi đè",
                "exists; use --force to overwrite it"
            )
        );
    }
    if !(2000..=2100).contains(&meta.year) {
        bail!(
            "--year {}: {}",
            meta.year,
            tr(lang, "không phải năm hợp lệ", "not a plausible year")
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    let set = import::import(&bytes, kind, sheet).with_context(|| format!("{}", file.display()))?;
    let text = import::to_toml(&set, meta);
    std::fs::write(output, &text).with_context(|| format!("{}", output.display()))?;
    let mut out = std::io::stdout().lock();
    crate::report::rules::import_summary(&set, &output.display().to_string(), lang, &mut out)?;
    let valid = rules::load_str(&text, &output.display().to_string());
    if let Err(e) = &valid {
        writeln!(
            out,
            "{} {e}",
            tr(
                lang,
                "Bản nháp chưa hợp lệ, sửa rồi chạy `tlkc rules validate`:",
                "The draft does not validate yet; fix it, then run `tlkc rules validate`:"
            )
        )?;
    }
    Ok(if valid.is_err() || !set.mismatches.is_empty() {
        Exit::Findings
    } else {
        Exit::Ready
    })
}

fn init(args: crate::cli::InitArgs, lang: Lang) -> Result<Exit> {
    let rules = load_rules(args.rules.as_deref(), None)?;
    let done = crate::init::init(&args.dir, &rules)?;
    let mut out = std::io::stdout().lock();
    crate::init::print_summary(&done, &args.dir, lang, &mut out)?;
    Ok(Exit::Ready)
}

fn explain(code: &str, lang: Lang) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    if code.eq_ignore_ascii_case("all") {
        for c in Code::ALL {
            let d = docs::doc(*c);
            writeln!(
                out,
                "{}  {:<8} {}",
                c.as_str(),
                c.severity().as_str(),
                d.summary(lang)
            )?;
        }
        return Ok(Exit::Ready);
    }
    let c: Code = code.parse().map_err(anyhow::Error::msg)?;
    let d = docs::doc(c);
    writeln!(out, "{} ({}) — {}", c.as_str(), c.name(), d.summary(lang))?;
    let sev = match (c.severity(), lang) {
        (Severity::Error, Lang::Vi) => "lỗi: sẽ bị mất điểm / chặn việc nộp",
        (Severity::Warning, Lang::Vi) => "cảnh báo: cần người kiểm tra",
        (Severity::Info, Lang::Vi) => "lưu ý: thực hành tốt",
        (Severity::Error, Lang::En) => "error: points will be lost / blocks submission",
        (Severity::Warning, Lang::En) => "warning: needs a human look",
        (Severity::Info, Lang::En) => "info: best practice",
    };
    writeln!(
        out,
        "{}: {sev}",
        if lang == Lang::Vi {
            "Mức độ"
        } else {
            "Severity"
        }
    )?;
    writeln!(out)?;
    writeln!(out, "{}", d.explanation(lang))?;
    Ok(Exit::Ready)
}
