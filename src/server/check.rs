//! The check of an upload: the library's own check (`run::check`, the
//! same pipeline, findings and score as `tlkc check`), called with plain
//! data ([`CheckOptions`]). This file is the ONE place the server calls
//! the library's check.
//!
//! The province's settings come first: the ruleset and trust anchors are
//! the server's, the uploaded tlkc.toml is read in the
//! [`ConfigScope::Confined`] scope (what a unit may say: its name,
//! assignments, local deadlines, metrics, task register, manual scores;
//! every file it names must be inside the upload; trust, limits, the
//! algorithm policy, the day of evaluation and waivers are the server's). The folder it reads is the
//! upload itself (links into the store under `DIR/units/N/work`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::ConfigScope;
use crate::findings::Lang;
use crate::inspect::guard::Progress;
use crate::inspect::ocr::OcrOptions;
use crate::inspect::TrustAnchors;
use crate::report::{self, Format};
use crate::rules::Ruleset;
use crate::run::{
    CheckInput, CheckOptions, IndexChoice, OcrChoice, Report, RulesChoice, TrustChoice,
};

use super::db::CheckResult;
use super::ServerError;

/// What the server decides for every check (loaded once at start).
#[derive(Clone)]
pub struct Settings {
    /// `server init --trust-anchor` files (kept in DIR/trust), beside the
    /// builtin government CAs; each with where it was named.
    pub anchors: Vec<(PathBuf, String)>,
    pub ocr: OcrOptions,
}

/// One check of one unit's upload.
pub struct UnitCheck<'a> {
    /// The upload, laid out as a folder.
    pub root: &'a Path,
    /// The unit's index: facts of files already seen are reused.
    pub index_db: &'a Path,
    pub rules: &'a Ruleset,
    /// The unit's fixed day of evaluation (`unit add --as-of`), else
    /// `today` (an uploaded tlkc.toml's `as_of` is not read).
    pub as_of: Option<NaiveDate>,
    pub today: NaiveDate,
    /// Who uploaded (the index's ledger).
    pub actor: &'a str,
}

/// Check the folder `req.root` as `tlkc check` does with its index.
/// Returns the report and what the check said on the side (in Vietnamese),
/// e.g. the tlkc.toml settings left unread because they are the server's.
pub fn check_folder(
    req: &UnitCheck,
    settings: &Settings,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<(Report, Vec<String>), ServerError> {
    let mut opts = CheckOptions::new(req.root, chrono::Utc::now());
    opts.rules = RulesChoice::Loaded(Box::new(req.rules.clone()));
    opts.as_of = req.as_of;
    opts.today = req.today;
    opts.actor = req.actor.to_string();
    opts.trust = TrustChoice {
        builtin: true,
        anchors: settings.anchors.clone(),
        crls: Vec::new(),
    };
    opts.ocr = OcrChoice::Use(settings.ocr.clone());
    opts.index = IndexChoice::At(req.index_db.to_path_buf());
    opts.config = ConfigScope::Confined;
    opts.limits = None;
    opts.rehash = false;
    opts.fixity = true;
    let input = CheckInput::resolve(&opts)?;
    let run = crate::run::check(&input, observe)?;
    let notes = input
        .notices
        .iter()
        .chain(&run.notices)
        .map(|n| n.text(Lang::Vi))
        .collect();
    Ok((run.report, notes))
}

/// The reports kept for an upload: the JSON of `tlkc check --format json`
/// and the HTML of `--format html`, its file links pointing at `link_base`.
pub fn render(
    report: &Report,
    notes: Vec<String>,
    link_base: &str,
) -> Result<CheckResult, ServerError> {
    let io = |e: std::io::Error| ServerError::Invalid(e.to_string());
    let mut json = Vec::new();
    let opts = report::Options {
        lang: Lang::Vi,
        ..Default::default()
    };
    report::render_with(Format::Json, report, &opts, &mut json).map_err(io)?;
    let mut html = Vec::new();
    let html_opts = report::Options {
        link_base: link_base.to_string(),
        ..opts
    };
    report::render_with(Format::Html, report, &html_opts, &mut html).map_err(io)?;
    let s = report.summary();
    Ok(CheckResult {
        ready: report.ready(),
        estimated: report.score.estimated,
        max: report.score.max,
        errors: s.errors as i64,
        warnings: s.warnings as i64,
        report_json: String::from_utf8_lossy(&json).into_owned(),
        report_html: String::from_utf8_lossy(&html).into_owned(),
        notes,
    })
}

/// The extra trust anchors of the data folder: every certificate file in
/// `DIR/trust`, checked readable at start.
pub fn load_trust(dir: &Path) -> Result<Vec<(PathBuf, String)>, ServerError> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f).map_err(ServerError::io(f))?;
        TrustAnchors::from_pem_or_der(&bytes).map_err(|e| {
            ServerError::Invalid(format!(
                "{}: không phải chứng thư số (PEM hoặc DER) đọc được: {e}",
                f.display()
            ))
        })?;
    }
    Ok(files
        .into_iter()
        .map(|f| (f, "server init --trust-anchor".to_string()))
        .collect())
}

/// OCR as `tlkc check` does: Tesseract when installed.
pub fn detect_ocr() -> OcrOptions {
    match crate::inspect::ocr::Tesseract::detect() {
        Ok(engine) => OcrOptions {
            engine: Some(engine),
        },
        Err(_) => OcrOptions::default(),
    }
}
