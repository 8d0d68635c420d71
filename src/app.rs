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
    }
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
    let dir = args.dir.clone();
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let config = FolderConfig::load_dir(&dir)?;
    let rules = load_rules(args.rules.as_deref(), Some((&config, &dir)))?;
    let as_of = match &args.as_of {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .with_context(|| format!("--as-of `{s}`: expected YYYY-MM-DD"))?,
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
    let report = run::check(&input).with_context(|| format!("checking {}", dir.display()))?;
    emit(args.output.as_deref(), |out| {
        report::render(args.format, &report, lang, out)
    })?;
    Ok(if report.ready() {
        Exit::Ready
    } else {
        Exit::Findings
    })
}

/// Write to `--output FILE` or stdout.
fn emit(
    output: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(p) => {
            let mut buf = Vec::new();
            f(&mut buf)?;
            std::fs::write(p, buf).with_context(|| format!("writing {}", p.display()))?;
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
    emit(None, |out| match args.format {
        Format::Json => crate::report::inspect::json(&rows, lang, out),
        Format::Human => crate::report::inspect::human(&rows, lang, out),
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
                "{}: ok — {} ({}), {n} scorable units",
                file.display(),
                r.framework.title,
                r.framework.id
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
                    "no area, criterion or sub-criterion `{id}` in {}",
                    r.framework.id
                );
            }
        }
    }
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
