//! The check of an upload: the library's own check (the same pipeline,
//! findings and score as `tlkc check`), called with plain data. This file
//! is the ONE place the server calls the library's check; when the
//! `run::check` API of issue 26 lands, only [`check_folder`] changes.
//!
//! The province's settings come first: the ruleset and trust anchors are
//! the server's. An uploaded tlkc.toml is read for what a unit may say
//! (see [`confine`]); the folder it reads is the upload itself (links into
//! the store under `DIR/units/N/work`), so every path it names is inside
//! the upload.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::FolderConfig;
use crate::findings::Lang;
use crate::index::ledger::Stamp;
use crate::index::Index;
use crate::inspect::guard::Progress;
use crate::inspect::ocr::OcrOptions;
use crate::inspect::signature::TrustAnchors;
use crate::inspect::InspectOptions;
use crate::report::{self, Format};
use crate::rules::Ruleset;
use crate::run::{CheckInput, Report};

use super::db::CheckResult;
use super::ServerError;

/// What the server decides for every check (loaded once at start).
#[derive(Clone)]
pub struct Settings {
    /// The builtin government CAs and `server init --trust-anchor` files.
    pub trust: TrustAnchors,
    pub ocr: OcrOptions,
}

/// One check of one unit's upload.
pub struct UnitCheck<'a> {
    /// The upload, laid out as a folder.
    pub root: &'a Path,
    /// The unit's index: facts of files already seen are reused.
    pub index_db: &'a Path,
    pub rules: &'a Ruleset,
    /// The unit's fixed day of evaluation (`unit add --as-of`), else the
    /// upload's tlkc.toml `as_of`, else `today`.
    pub as_of: Option<NaiveDate>,
    pub today: NaiveDate,
    /// Who uploaded (the index's ledger).
    pub actor: &'a str,
}

/// What a unit's tlkc.toml may say on the server: its name, assignments,
/// local deadlines, metrics and task register (and its manual scores and
/// waivers, which it states about its own evidence and which the report
/// shows as such). The ruleset, trust anchors, CRLs, inspection limits and
/// signature-algorithm policy are the province's: a unit's settings for
/// those are dropped. Assignment paths are clean relative paths (checked
/// when read); the folder holds only the upload, so they stay inside it.
pub fn confine(mut config: FolderConfig) -> FolderConfig {
    config.rules = None;
    config.trust_anchors.clear();
    config.trust_anchors_at = None;
    config.crls.clear();
    config.crls_at = None;
    config.no_builtin_trust = false;
    config.limits = Default::default();
    config.algorithm_policy = None;
    config
}

/// Check the folder `req.root` as `tlkc check` does with its index.
pub fn check_folder(
    req: &UnitCheck,
    settings: &Settings,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<Report, ServerError> {
    let config = confine(FolderConfig::load_dir(req.root)?);
    let as_of = req.as_of.or(config.as_of).unwrap_or(req.today);
    let mut trust = settings.trust.clone();
    trust.pinned_sha256.extend(
        req.rules
            .framework
            .trusted_roots
            .iter()
            .map(|r| r.sha256.clone()),
    );
    let input = CheckInput {
        root: req.root.to_path_buf(),
        rules: req.rules.clone(),
        inspect: InspectOptions {
            limits: config.limits.clone(),
            trust,
            ocr: settings.ocr.clone(),
        },
        config,
        as_of,
    };
    let mut index =
        Index::open_for(req.root, Some(req.index_db)).map_err(crate::trail::TrailError::from)?;
    let stamp = Stamp {
        utc: chrono::Utc::now(),
        actor: req.actor.to_string(),
    };
    let run = crate::trail::indexed_check(&input, &mut index, &stamp, false, true, observe)?;
    Ok(run.report)
}

/// The reports kept for an upload: the JSON of `tlkc check --format json`
/// and the HTML of `--format html`, its file links pointing at `link_base`.
pub fn render(report: &Report, link_base: &str) -> Result<CheckResult, ServerError> {
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
    })
}

/// The trust anchors of the data folder: the builtin government CAs and
/// every certificate file in `DIR/trust`.
pub fn load_trust(dir: &Path) -> Result<TrustAnchors, ServerError> {
    let mut t = TrustAnchors::builtin().map_err(ServerError::Invalid)?;
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).map_err(ServerError::io(&f))?;
        let certs = TrustAnchors::from_pem_or_der(&bytes).map_err(|e| {
            ServerError::Invalid(format!(
                "{}: không phải chứng thư số (PEM hoặc DER) đọc được: {e}",
                f.display()
            ))
        })?;
        t.certs_der.extend(certs);
    }
    Ok(t)
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
