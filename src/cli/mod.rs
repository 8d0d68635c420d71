//! Command-line interface (clap). Parsing only, and its help in the
//! reader's language ([`help`]); `main.rs` runs it through `app`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::findings::Lang;
use crate::report::Format;

pub mod help;

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

pub const EXIT_CODES: &str = "\
Exit codes:
  0  no error-level findings (ready to submit)
  1  error-level findings (points will be lost)
  2  tlkc could not do its job (bad arguments, unreadable rules or config, I/O failure on the folder)";

/// tlkc — kiểm tra tài liệu kiểm chứng Chỉ số CCHC trước khi nộp.
///
/// Pre-submission checker for PAR Index evidence (tài liệu kiểm chứng): indexes an
/// evidence folder, inspects every PDF (digital signatures, number, type and date per
/// Decree 30/2020/NĐ-CP) and reports which sub-criteria will lose points, and why.
#[derive(Debug, Parser)]
#[command(name = "tlkc", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Language of messages [default: from TLKC_LANG or LANG, else vi].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an evidence folder against a ruleset (the main job); with --units, every unit's folder.
    #[command(after_help = UNITS_EXIT_CODES)]
    Check(CheckCommand),
    /// Show what tlkc reads in each PDF: document facts and signatures.
    Inspect(InspectArgs),
    /// Browse or validate rulesets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Show the certificates signatures are judged against (the builtin government CAs).
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Print the long explanation of a finding code (e.g. SIG001).
    Explain {
        /// Finding code (SIG001) or name (signature-missing); `all` lists every code.
        code: String,
    },
    /// Check, then record exactly which files (and bytes) are being submitted.
    #[command(after_help = EXIT_CODES)]
    Submit(SubmitArgs),
    /// Show the audit trail (ledger), newest first.
    Log(LogArgs),
    /// Files added, changed and removed since a submission (exit 1 when any).
    Diff(DiffArgs),
    /// Check the ledger's hash chain and re-hash every file of the latest submission.
    Verify(VerifyArgs),
    /// Export the latest submission as a BagIt 1.0 bag (RFC 8493).
    Export(ExportArgs),
    /// Lay out an empty evidence folder for a ruleset: one folder per sub-criterion
    /// with a HUONG-DAN.txt guide, and a commented tlkc.toml. Never overwrites.
    Init(InitArgs),
    /// Host tlkc for a province: units upload their folders in the browser, the Sở sees them all.
    #[command(subcommand)]
    Server(crate::server::cli::ServerCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    #[command(hide = true)]
    Man,
}

pub const UNITS_EXIT_CODES: &str = "\
Exit codes:
  0  no error-level findings (ready to submit)
  1  error-level findings (points will be lost)
  2  tlkc could not do its job (bad arguments, unreadable rules or config, I/O failure on the folder)
With --units: 1 when any unit has an error finding or could not be checked; 2 only when no
unit could be checked, or the arguments or tlkc.units.toml are wrong.";

/// `tlkc check`: one folder, or every unit of a province with `--units`.
#[derive(Debug, Args)]
pub struct CheckCommand {
    #[command(flatten)]
    pub check: CheckArgs,
    /// Check every unit under PARENT: each immediate subfolder (named after it; symbolic
    /// links are skipped), or the units listed in PARENT/tlkc.units.toml. Each unit is checked as a run of its own
    /// (its tlkc.toml, index and ledger); the report ranks the units and lists the
    /// sub-criteria most of them lose.
    #[arg(long, value_name = "PARENT", conflicts_with = "dir")]
    pub units: Option<PathBuf>,
    /// With --units: also write each unit's own full report, in --format, to DIR
    /// (one file per unit, named after it); the combined report links to them. Refused
    /// inside a unit's folder.
    #[arg(long, value_name = "DIR", requires = "units")]
    pub output_dir: Option<PathBuf>,
}

/// Where the index is and who is acting (check, submit, log, diff, verify, export).
#[derive(Debug, Clone, Default, Args)]
pub struct TrailArgs {
    /// Index database [default: DIR/.tlkc/tlkc.db].
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who is acting, as recorded in the ledger [default: $USER or $USERNAME, else "unknown"].
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// What is being submitted, and to whom (kept in the ledger).
    #[arg(long, default_value = "")]
    pub note: String,
    /// Record the submission even though the check has error-level findings.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrailFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Evidence folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only events about this file (path relative to the folder).
    #[arg(long, value_name = "P")]
    pub path: Option<String>,
    /// Only events from this day on (YYYY-MM-DD, Vietnam time).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value_t = TrailFormat::Human)]
    pub format: TrailFormat,
    #[command(flatten)]
    pub trail: TrailArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Evidence folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Submission number [default: the latest].
    pub submission: Option<u64>,
    #[arg(long, value_enum, default_value_t = TrailFormat::Human)]
    pub format: TrailFormat,
    #[command(flatten)]
    pub trail: TrailArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Evidence folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub trail: TrailArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Evidence folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Folder to create the bag in (must not exist, or be empty).
    #[arg(long, value_name = "OUT")]
    pub bag: PathBuf,
    #[command(flatten)]
    pub trail: TrailArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to lay out (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Ruleset TOML file or builtin id [default: the embedded kon-tum-2022-huyen].
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Evidence folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Ruleset TOML file or builtin id [default: tlkc.toml `rules`, else the embedded kon-tum-2022-huyen].
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Day the evaluation is made (YYYY-MM-DD); deadlines after it are pending [default: tlkc.toml `as_of`, else today in Vietnam].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output (refused inside the evidence
    /// folder; a symbolic link at FILE is replaced, never written through).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Trust-anchor certificate (PEM or DER), added to the builtin government CAs; repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE")]
    pub trust_anchors: Vec<PathBuf>,
    /// Do not use the builtin government CA certificates (`tlkc trust list`): only --trust-anchor and [trust] anchors.
    #[arg(long)]
    pub no_builtin_trust: bool,
    /// Certificate revocation list (CRL, DER or PEM) downloaded beforehand; repeatable. tlkc never goes online.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// Re-hash every file (full fixity pass) instead of trusting unchanged stat data (size, mtime, change time, inode).
    #[arg(long)]
    pub rehash: bool,
    /// Report index work (files hashed, inspected, reused) on standard error.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub trail: TrailArgs,
    /// Add a draft giải trình (explanation, in Vietnamese) for every error.
    #[arg(long)]
    pub explanations: bool,
    /// No progress bar on standard error (it is shown only on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Do not read scanned pages with OCR (Tesseract), even when it is installed.
    #[arg(long)]
    pub no_ocr: bool,
    /// -q: print only the closing verdict line (on standard error); -qq: print
    /// nothing, the exit code tells. `--output` is still written.
    #[arg(long, short, action = clap::ArgAction::Count)]
    pub quiet: u8,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// PDF files to inspect.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Trust-anchor certificate (PEM or DER), added to the builtin government CAs; repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE")]
    pub trust_anchors: Vec<PathBuf>,
    /// Do not use the builtin government CA certificates (`tlkc trust list`): only --trust-anchor and [trust] anchors.
    #[arg(long)]
    pub no_builtin_trust: bool,
    /// Certificate revocation list (CRL, DER or PEM) downloaded beforehand; repeatable. tlkc never goes online.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// Do not read scanned pages with OCR (Tesseract), even when it is installed.
    #[arg(long)]
    pub no_ocr: bool,
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// List the trusted certificates: name, role, SHA-256 fingerprint, valid until.
    List(TrustListArgs),
}

#[derive(Debug, Args)]
pub struct TrustListArgs {
    /// Evidence folder whose tlkc.toml [trust] settings to include.
    pub dir: Option<PathBuf>,
    /// Also list this certificate (PEM or DER); repeatable.
    #[arg(long = "trust-anchor", value_name = "FILE")]
    pub trust_anchors: Vec<PathBuf>,
    /// Leave out the builtin government CA certificates.
    #[arg(long)]
    pub no_builtin_trust: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the criteria tree of a ruleset (the effective tree when it `extends` another).
    List {
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Show one area, criterion or sub-criterion with its evidence requirements.
    Show {
        id: String,
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Validate a ruleset file (exit 0 when valid, 2 with file:line:col when not).
    Validate { file: PathBuf },
    /// Draft a ruleset from a province's criteria table (.xlsx, .ods, .csv or .docx).
    ///
    /// Columns are found by their Vietnamese headers (STT/TT/Mã, Tiêu chí/Nội dung, Điểm
    /// tối đa/Điểm chuẩn/Thang điểm, Tài liệu kiểm chứng, Hướng dẫn chấm điểm). Evidence
    /// requirements drafted from the text carry `inferred = true`; point sums that do not
    /// add up are listed, never corrected. Exit 1 when there are such mismatches or the
    /// draft does not validate yet.
    Import {
        /// The criteria table: .xlsx, .ods, .csv or .docx.
        file: PathBuf,
        /// Id of the new ruleset, e.g. "ben-tre-2024-huyen".
        #[arg(long)]
        id: String,
        /// Title of the new ruleset.
        #[arg(long)]
        title: String,
        /// The evaluated year (deadlines such as "trước ngày 05/12" fall in it).
        #[arg(long)]
        year: i32,
        /// Worksheet to read [default: the first whose header names criteria and points].
        #[arg(long)]
        sheet: Option<String>,
        /// Where to write the ruleset TOML.
        #[arg(long, short)]
        output: PathBuf,
        /// Overwrite OUTPUT if it exists.
        #[arg(long)]
        force: bool,
        /// Signature rule for every requirement that states none (`[defaults] signature`)
        /// [default: read from a note or title row saying TLKC must be digitally signed
        /// electronic documents ("văn bản điện tử", "chữ ký số", "ký số"), else none].
        #[arg(long, value_enum, value_name = "RULE")]
        signature: Option<SignatureArg>,
    },
}

/// `--signature` of `tlkc rules import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureArg {
    /// Must be digitally signed.
    Required,
    /// Signed by the competent person and by the organisation (Decree 30).
    #[value(name = "person_and_organization")]
    PersonAndOrganization,
    /// No signature needed.
    None,
}

impl From<SignatureArg> for crate::rules::SignatureRule {
    fn from(s: SignatureArg) -> Self {
        match s {
            SignatureArg::Required => Self::Required,
            SignatureArg::PersonAndOrganization => Self::PersonAndOrganization,
            SignatureArg::None => Self::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
}
