//! The CLI edge: turns parsed arguments into pipeline calls, files and
//! exit codes. The only module using `anyhow`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use chrono::{NaiveDate, Utc};

use crate::checks::{self, docs};
use crate::cli::{CheckArgs, Cli, Command, InspectArgs, LangArg, RulesCommand};
use crate::config::FolderConfig;
use crate::findings::{Code, Finding, Lang, Severity};
use crate::inspect::{InspectOptions, TrustAnchors};
use crate::report::{self, Format};
use crate::rules::{self, Ruleset, Scoring};
use crate::run::{self, CheckInput};

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
        Command::Check(args) => check(args, lang),
        Command::Inspect(args) => inspect(args, lang),
        Command::Rules(cmd) => rules_cmd(cmd, lang),
        Command::Explain { code } => explain(&code, lang),
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
    Utc::now()
        .with_timezone(&checks::deadline::vietnam())
        .date_naive()
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

fn trust_anchors(files: &[PathBuf], rules: Option<&Ruleset>) -> Result<TrustAnchors> {
    let mut t = TrustAnchors::default();
    for f in files {
        let bytes =
            std::fs::read(f).with_context(|| format!("reading trust anchor {}", f.display()))?;
        let certs = TrustAnchors::from_pem_or_der(&bytes)
            .with_context(|| format!("trust anchor {}", f.display()))?;
        t.certs_der.extend(certs);
    }
    if let Some(r) = rules {
        t.pinned_sha256
            .extend(r.framework.trusted_roots.iter().map(|r| r.sha256.clone()));
    }
    Ok(t)
}

fn check(args: CheckArgs, lang: Lang) -> Result<Exit> {
    use std::io::IsTerminal;
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
    let mut anchor_files = args.trust_anchors.clone();
    anchor_files.extend(config.trust_anchors.iter().map(|a| dir.join(a)));
    let inspect = InspectOptions {
        limits: config.limits.clone(),
        trust: trust_anchors(&anchor_files, Some(&rules))?,
    };
    let input = CheckInput {
        root: dir.clone(),
        rules,
        config,
        as_of,
        inspect,
    };
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
    let observe = |p: run::Progress| {
        if let Some(bar) = &bar {
            match p {
                run::Progress::Files(n) => bar.set_length(n),
                run::Progress::Inspected => bar.inc(1),
            }
        }
    };
    let report = run::check_observed(&input, &observe).with_context(|| {
        tr(
            lang,
            &format!("kiểm tra {}", dir.display()),
            &format!("checking {}", dir.display()),
        )
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let to_stdout = args.output.is_none();
    let opts = report::Options {
        lang,
        color: to_stdout && use_color(std::io::stdout().is_terminal()),
        link_base: if args.format == Format::Html {
            report::html::link_base(args.output.as_deref(), &dir)
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

fn inspect(args: InspectArgs, lang: Lang) -> Result<Exit> {
    let opts = InspectOptions {
        trust: trust_anchors(&args.trust_anchors, None)?,
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
            checks::signature::check(&f, &mut problems);
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
        }
        RulesCommand::List { rules } => {
            let r = load_rules(rules.as_deref(), None)?;
            crate::report::rules::list(&r, lang, &mut out)?;
        }
        RulesCommand::Show { id, rules } => {
            let r = load_rules(rules.as_deref(), None)?;
            if !crate::report::rules::show(&r, &id, lang, &mut out)? {
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
    }
    Ok(Exit::Ready)
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

/// Statistics-scored units are listed but never judged.
pub fn is_checkable(s: &rules::Scorable) -> bool {
    !matches!(s.scoring, Scoring::Statistics { .. })
}
