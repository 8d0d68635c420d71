//! The `check` pipeline: discover → inspect → evaluate, returning a
//! [`Report`] for the renderers.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::checks::evidence::Outcome;
use crate::checks::Context;
use crate::config::FolderConfig;
use crate::discover::{self, Discovery, Evidence};
use crate::evaluate::{evaluate, Evaluation};
use crate::facts::{FileFacts, FileKind, PdfFacts};
use crate::findings::{Finding, Severity};
use crate::inspect::{self, InspectOptions};
use crate::rules::Ruleset;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything a check run needs, resolved by the CLI.
pub struct CheckInput {
    pub root: PathBuf,
    pub rules: Ruleset,
    pub config: FolderConfig,
    pub as_of: NaiveDate,
    pub inspect: InspectOptions,
}

/// The result of one check run; what every report format renders.
#[derive(Debug, Clone)]
pub struct Report {
    pub root: String,
    pub as_of: NaiveDate,
    pub rules: Ruleset,
    pub files: Vec<FileFacts>,
    pub findings: Vec<Finding>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a `[[waiver]]`; counted in none of the above.
    pub waived: usize,
    pub points_at_risk: f64,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let count = |s| {
            self.findings
                .iter()
                .filter(|f| f.severity == s && f.is_active())
                .count()
        };
        Summary {
            files: self.files.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            waived: self.findings.iter().filter(|f| !f.is_active()).count(),
            points_at_risk: round2(self.outcomes.iter().map(|o| o.points_at_risk).sum()),
        }
    }

    /// Ready to submit: no error-level finding.
    pub fn ready(&self) -> bool {
        self.summary().errors == 0
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
}

/// What a long check tells whoever watches (the CLI's progress bar).
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Discovery is done: this many files will be inspected.
    Files(u64),
    /// One more file inspected.
    Inspected,
}

/// Run discover → inspect → evaluate over `input.root`.
pub fn check(input: &CheckInput) -> Result<Report, RunError> {
    check_observed(input, &|_| {})
}

/// [`check`], reporting progress; `observe` is called from worker threads.
pub fn check_observed(
    input: &CheckInput,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<Report, RunError> {
    let discovery = discover::discover(&input.root, &input.rules, &input.config)?;
    observe(Progress::Files(discovery.files.len() as u64));
    let files: Vec<FileFacts> = discovery
        .files
        .par_iter()
        .map(|e| {
            let f = inspect_evidence(e, &input.inspect);
            observe(Progress::Inspected);
            f
        })
        .collect();
    let ctx = Context {
        rules: &input.rules,
        config: &input.config,
        as_of: input.as_of,
    };
    let Evaluation { findings, outcomes } = evaluate(&files, &discovery, &ctx);
    let mut report = Report {
        root: input.root.display().to_string(),
        as_of: input.as_of,
        rules: input.rules.clone(),
        files,
        findings,
        outcomes,
    };
    crate::waiver::apply(&mut report, &input.config.waivers);
    Ok(report)
}

/// Inspect every discovered file in parallel; output keeps discovery order.
pub fn inspect_all(d: &Discovery, opts: &InspectOptions) -> Vec<FileFacts> {
    d.files
        .par_iter()
        .map(|e| inspect_evidence(e, opts))
        .collect()
}

/// Read and inspect one file. A failure, even a panic, becomes facts about that file.
pub fn inspect_evidence(e: &Evidence, opts: &InspectOptions) -> FileFacts {
    match std::fs::read(&e.abs) {
        Ok(bytes) => inspect_guarded(e.rel.clone(), &bytes, opts),
        Err(err) => unreadable(e.rel.clone(), e.size, format!("cannot read: {err}")),
    }
}

/// [`inspect::inspect_bytes`] with a panic turned into an "unreadable" fact.
pub fn inspect_guarded(rel: String, bytes: &[u8], opts: &InspectOptions) -> FileFacts {
    let size = bytes.len() as u64;
    let rel2 = rel.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        inspect::inspect_bytes(rel, bytes, opts)
    }))
    .unwrap_or_else(|_| {
        let mut f = unreadable(
            rel2,
            size,
            "internal error while reading this file (caught)".into(),
        );
        f.sha256 = inspect::sha256_hex(bytes);
        f
    })
}

fn unreadable(path: String, size: u64, error: String) -> FileFacts {
    FileFacts {
        path,
        sha256: String::new(),
        size,
        kind: FileKind::Pdf,
        pdf: PdfFacts {
            readable: false,
            error: Some(error),
            ..Default::default()
        },
        document: Default::default(),
        signatures: vec![],
        unsigned_fields: vec![],
    }
}

/// Inspect files named on the command line (for `tlkc inspect`).
pub fn inspect_paths(paths: &[PathBuf], opts: &InspectOptions) -> Vec<FileFacts> {
    paths
        .iter()
        .map(|p| {
            let rel = crate::text::nfc(&p.to_string_lossy()).replace('\\', "/");
            match std::fs::read(p) {
                Ok(bytes) => inspect_guarded(rel, &bytes, opts),
                Err(err) => unreadable(rel, 0, format!("cannot read: {err}")),
            }
        })
        .collect()
}

/// The evaluation year's root given on the command line, displayed as the user typed it.
pub fn display_root(p: &Path) -> String {
    crate::text::nfc(&p.display().to_string())
}
