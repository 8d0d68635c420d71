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

mod audit;
mod check;
pub mod errors;
pub mod help;
mod info;
mod trust;
mod units;

use audit::{diff, export, log, submit, verify};
use check::{check, check_input, checked_report};
use info::{explain, init, inspect, rules_cmd};

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
        Command::Trust(cmd) => trust::trust_cmd(cmd, lang),
        Command::Explain { code } => explain(&code, lang),
        Command::Submit(args) => submit(args, lang),
        Command::Log(args) => log(args, lang),
        Command::Diff(args) => diff(args, lang),
        Command::Verify(args) => verify(args, lang),
        Command::Export(args) => export(args, lang),
        Command::Init(args) => init(args, lang),
        Command::Server(cmd) => {
            crate::server::cli::run(cmd)?;
            Ok(Exit::Ready)
        }
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

/// A day typed on the command line: ISO `2026-11-30` or Vietnamese
/// `30/11/2026` (as tasks.csv accepts).
pub fn parse_day(s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(anyhow::Error::from)
}

/// The evidence folder must be there: a missing one is said to be missing,
/// a file is said not to be a folder.
fn must_be_folder(dir: &Path, lang: Lang) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let (vi, en) = if dir.exists() {
        ("không phải thư mục", "not a folder")
    } else {
        ("thư mục không tồn tại", "the folder does not exist")
    };
    bail!("{}: {}", dir.display(), tr(lang, vi, en))
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
            return Ok(rules::load_file(&folder_rules_path(r, dir))?);
        }
    }
    Ok(rules::load_file(Path::new(&format!(
        "builtin:{DEFAULT_RULESET}"
    )))?)
}

/// Where tlkc.toml's `rules = "…"` points: a file relative to the folder
/// (docs/config.md), else a builtin id. A folder laid out by an older
/// `tlkc init` names the builtin by its file name (`rules/ID.toml`): that
/// still means the builtin when the folder has no such file.
fn folder_rules_path(value: &str, dir: &Path) -> PathBuf {
    let in_folder = dir.join(value);
    if in_folder.exists() {
        return in_folder;
    }
    let id = value.strip_prefix("builtin:").unwrap_or(value);
    let builtin = rules::BUILTIN
        .iter()
        .find(|(bid, file, _)| *bid == id || *file == value.replace('\\', "/"));
    match builtin {
        Some((bid, _, _)) => PathBuf::from(format!("builtin:{bid}")),
        // Not found: the error names the path in the folder, where it was looked for.
        None => in_folder,
    }
}

/// Load what signatures are judged against: the builtin government CAs
/// (unless `builtin` is false), the anchor `files` and the `crls`, each
/// paired with where it was named (`--trust-anchor`, `--crl`, or
/// `tlkc.toml:line:col`) so errors point there.
fn trust_anchors(
    files: &[(PathBuf, String)],
    crls: &[(PathBuf, String)],
    builtin: bool,
    rules: Option<&Ruleset>,
    lang: Lang,
) -> Result<TrustAnchors> {
    let mut t = if builtin {
        TrustAnchors::builtin().map_err(anyhow::Error::msg)?
    } else {
        TrustAnchors::default()
    };
    // Said in the run's language: the parser's own (English) reason stays
    // for --lang en only.
    let unreadable = |named_at: &str, f: &Path, vi: &str, en: &str, why: String| {
        anyhow::anyhow!(
            "{named_at}: {}",
            tr(
                lang,
                &format!("{}: {vi}", f.display()),
                &format!("{en} {}: {why}", f.display())
            )
        )
    };
    for (f, named_at) in files {
        let bytes = std::fs::read(f).with_context(|| {
            format!(
                "{named_at}: {}",
                tr(
                    lang,
                    &format!("đọc chứng thư gốc tin cậy {}", f.display()),
                    &format!("reading trust anchor {}", f.display())
                )
            )
        })?;
        let certs = TrustAnchors::from_pem_or_der(&bytes).map_err(|e| {
            unreadable(
                named_at,
                f,
                "không phải chứng thư số (PEM hoặc DER) đọc được",
                "trust anchor",
                e.to_string(),
            )
        })?;
        t.certs_der.extend(certs);
    }
    for (f, named_at) in crls {
        let bytes = std::fs::read(f).with_context(|| {
            format!(
                "{named_at}: {}",
                tr(
                    lang,
                    &format!("đọc danh sách thu hồi {}", f.display()),
                    &format!("reading revocation list {}", f.display())
                )
            )
        })?;
        let list = TrustAnchors::crls_from_pem_or_der(&bytes).map_err(|e| {
            unreadable(
                named_at,
                f,
                "không phải danh sách thu hồi chứng thư (CRL, PEM hoặc DER) đọc được",
                "revocation list",
                e.to_string(),
            )
        })?;
        t.crls_der.extend(list);
    }
    if let Some(r) = rules {
        t.pinned_sha256
            .extend(r.framework.trusted_roots.iter().map(|r| r.sha256.clone()));
    }
    Ok(t)
}

/// Paths named on the command line, each with the flag that named it.
fn named(paths: &[PathBuf], flag: &str) -> Vec<(PathBuf, String)> {
    paths
        .iter()
        .map(|p| (p.clone(), flag.to_string()))
        .collect()
}

/// Write to `--output FILE` or stdout. The file is created beside its name
/// and renamed over it: a symbolic link standing there is replaced, never
/// written through.
fn emit(
    output: Option<&Path>,
    lang: Lang,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(p) => {
            let mut buf = Vec::new();
            f(&mut buf)?;
            crate::fsguard::write_new_or_replace(p, &buf).with_context(|| {
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

/// Refuse `--output FILE` inside the evidence folder `root` (its own
/// `.tlkc/` excepted), compared once `..` and links are resolved: a report
/// written there would be read as evidence by the next check, or land on
/// an evidence file.
fn refuse_output_in_evidence(output: Option<&Path>, root: &Path, lang: Lang) -> Result<()> {
    let Some(out) = output else {
        return Ok(());
    };
    let resolved =
        crate::fsguard::resolve_file(out).with_context(|| format!("--output {}", out.display()))?;
    // The folder's own .tlkc/ is tlkc's, not evidence (a linked one
    // resolves elsewhere and is then judged where it points).
    let own_state = root
        .canonicalize()
        .map(|r| r.join(crate::discover::STATE_DIR))
        .ok();
    let in_own_state = own_state.is_some_and(|s| resolved.starts_with(s));
    if crate::fsguard::is_inside(&resolved, root) && !in_own_state {
        bail!(
            "{}",
            tr(
                lang,
                &format!(
                    "--output {}: nằm trong thư mục tài liệu kiểm chứng {} ({}); báo cáo ghi vào đó sẽ bị đọc như tài liệu kiểm chứng hoặc đè lên tài liệu. Chọn nơi ghi ngoài thư mục này.",
                    out.display(),
                    root.display(),
                    resolved.display()
                ),
                &format!(
                    "--output {}: inside the evidence folder {} ({}); a report written there would be read as evidence or overwrite it. Choose a place outside this folder.",
                    out.display(),
                    root.display(),
                    resolved.display()
                ),
            )
        );
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
