//! The CLI edge: turns parsed arguments into pipeline calls, files and
//! exit codes. The only module using `anyhow`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use chrono::{NaiveDate, Utc};

use crate::checks::registry;
use crate::cli::{
    CheckArgs, Cli, Command, DiffArgs, ExportArgs, InspectArgs, LogArgs, RulesCommand, RulesFormat,
    SubmitArgs, TrailArgs, TrailFormat, VerifyArgs,
};
use crate::config::FolderConfig;
use crate::findings::{Lang, Severity};
use crate::index::ledger::Stamp;
use crate::inspect::InspectOptions;
use crate::report::{self, Format};
use crate::rules;
use crate::run::{self, load_rules, CheckInput, DEFAULT_RULESET};
use crate::trail;

mod audit;
mod check;
mod info;
mod trust;
mod units;

use audit::{diff, export, log, submit, verify};
use check::check;
use info::{explain, init, inspect, rules_cmd};

/// Process exit status (see `cli::EXIT_CODES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ready = 0,
    Findings = 1,
    Failure = 2,
}

pub fn run(cli: Cli) -> Result<Exit> {
    let lang = crate::cli::resolve_lang(cli.lang);
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

/// A refusal said in the reader's language.
pub fn refuse(lang: Lang, vi: &str, en: &str) -> anyhow::Error {
    anyhow::anyhow!("{}", tr(lang, vi, en))
}

/// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A day typed after `flag` on the command line: ISO `2026-11-30` or
/// Vietnamese `30/11/2026` (as tasks.csv accepts).
pub fn parse_day(flag: &str, s: Option<&str>, lang: Lang) -> Result<Option<NaiveDate>> {
    let Some(s) = s else { return Ok(None) };
    let (vi, en) = ("cần ngày dạng", "expected");
    Ok(Some(crate::time::parse_day(s).with_context(|| {
        format!(
            "{flag} `{s}`: {} YYYY-MM-DD {} dd/mm/yyyy",
            tr(lang, vi, en),
            tr(lang, "hoặc", "or")
        )
    })?))
}

fn today_in_vietnam() -> NaiveDate {
    Utc::now().with_timezone(&crate::time::VIETNAM).date_naive()
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
            // Streamed to the file: a report of 20,000 files is ~13 MB, never held whole.
            crate::fsguard::write_new_or_replace_with(p, f).with_context(|| {
                tr(
                    lang,
                    &format!("ghi tệp {}", p.display()),
                    &format!("writing {}", p.display()),
                )
            })?;
        }
        None => {
            let stdout = std::io::stdout();
            // Standard output flushes at every line: a large report is buffered here.
            let mut lock = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
            f(&mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}

/// Refuse `--output FILE` inside the evidence folder (see [`run::refuse_output_in`]).
fn refuse_output_in_evidence(output: Option<&Path>, root: &Path) -> Result<()> {
    match output {
        Some(out) => Ok(run::refuse_output_in(out, root)?),
        None => Ok(()),
    }
}
