//! The `check` pipeline: discover → inspect → evaluate, returning a
//! [`Report`] for the renderers.

use std::path::PathBuf;

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
    /// Work done by the index stage; `None` when the run had no index.
    pub index: Option<IndexCounters>,
}

/// What the index stage did: how many files it read and hashed, how many
/// it inspected, and how many reused cached facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexCounters {
    pub files: usize,
    pub hashed: usize,
    pub inspected: usize,
    pub reused: usize,
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
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
}

/// The stage that turns discovered files into facts. [`Uncached`] inspects
/// everything; the index ([`crate::index::store::CachedStage`]) reuses facts.
pub trait InspectStage {
    /// Facts in discovery order. May drop files from `d` that are not evidence (the index's own files).
    fn inspect(
        &mut self,
        d: &mut Discovery,
        opts: &InspectOptions,
        observe: &(dyn Fn(Progress) + Sync),
    ) -> Result<Vec<FileFacts>, RunError>;
    fn counters(&self) -> Option<IndexCounters> {
        None
    }
}

pub struct Uncached;

impl InspectStage for Uncached {
    fn inspect(
        &mut self,
        d: &mut Discovery,
        opts: &InspectOptions,
        observe: &(dyn Fn(Progress) + Sync),
    ) -> Result<Vec<FileFacts>, RunError> {
        Ok(inspect_all(d, opts, observe))
    }
}

/// What a long check tells whoever watches (the CLI's progress bar).
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Discovery is done: this many files will be inspected.
    Files(u64),
    /// One more file inspected.
    Inspected,
    /// One more scanned page read by OCR.
    OcrPage,
}

/// Run discover → inspect → evaluate over `input.root`.
pub fn check(input: &CheckInput) -> Result<Report, RunError> {
    check_with(input, &mut Uncached, None, &|_| {})
}

/// [`check`] with a chosen inspection stage, the last submission (FIX001/FIX002)
/// when there is one, and a progress observer (called from worker threads).
pub fn check_with(
    input: &CheckInput,
    stage: &mut dyn InspectStage,
    last_submission: Option<&crate::checks::fixity::LastSubmission>,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<Report, RunError> {
    let mut discovery = discover::discover(&input.root, &input.rules, &input.config)?;
    observe(Progress::Files(discovery.files.len() as u64));
    let files = stage.inspect(&mut discovery, &input.inspect, observe)?;
    let ctx = Context {
        rules: &input.rules,
        config: &input.config,
        as_of: input.as_of,
    };
    let Evaluation {
        mut findings,
        outcomes,
    } = evaluate(&files, &discovery, &ctx);
    if let Some(last) = last_submission {
        crate::checks::fixity::check(last, &files, &mut findings);
        crate::findings::sort_findings(&mut findings);
    }
    let mut report = Report {
        root: input.root.display().to_string(),
        as_of: input.as_of,
        rules: input.rules.clone(),
        files,
        findings,
        outcomes,
        index: stage.counters(),
    };
    crate::waiver::apply(&mut report, &input.config.waivers);
    Ok(report)
}

/// Inspect every discovered file in parallel; output keeps discovery order.
pub fn inspect_all(
    d: &Discovery,
    opts: &InspectOptions,
    observe: &(dyn Fn(Progress) + Sync),
) -> Vec<FileFacts> {
    d.files
        .par_iter()
        .map(|e| {
            let f = inspect_evidence(e, opts);
            if f.document.source == Some(crate::facts::ReadSource::Ocr) {
                observe(Progress::OcrPage);
            }
            observe(Progress::Inspected);
            f
        })
        .collect()
}

/// Read and inspect one file. A failure, even a panic or a blown time
/// budget, becomes facts about that file.
pub fn inspect_evidence(e: &Evidence, opts: &InspectOptions) -> FileFacts {
    match std::fs::read(&e.abs) {
        Ok(bytes) => inspect_with_budget(e.rel.clone(), bytes, opts),
        Err(err) => unreadable(e.rel.clone(), e.size, format!("cannot read: {err}")),
    }
}

/// [`inspect_guarded`] on a watchdog thread: a file that is still being
/// inspected when `limits.time_budget_ms` runs out is reported as too
/// complex and abandoned, so one file can never hang the run. (A thread
/// cannot be killed; the abandoned one ends with the process.)
pub fn inspect_with_budget(rel: String, bytes: Vec<u8>, opts: &InspectOptions) -> FileFacts {
    inspect_with_budget_sha(rel, bytes, None, opts)
}

/// [`inspect_with_budget`] with the file's SHA-256 (lower-case hex) when the caller
/// already has it, so the bytes are hashed once per run.
pub fn inspect_with_budget_sha(
    rel: String,
    bytes: Vec<u8>,
    sha256: Option<String>,
    opts: &InspectOptions,
) -> FileFacts {
    let budget = std::time::Duration::from_millis(opts.limits.time_budget_ms.max(1));
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_opts = opts.clone();
    let worker_rel = rel.clone();
    let bytes = std::sync::Arc::new(bytes);
    let worker_bytes = std::sync::Arc::clone(&bytes);
    let worker_sha = sha256.clone();
    let spawned = std::thread::Builder::new()
        .name("tlkc-inspect".into())
        .spawn(move || {
            let _ = tx.send(inspect_guarded_sha(
                worker_rel,
                &worker_bytes,
                worker_sha,
                &worker_opts,
            ));
        });
    if spawned.is_err() {
        return inspect_guarded_sha(rel, &bytes, sha256, opts);
    }
    match rx.recv_timeout(budget) {
        Ok(facts) => facts,
        Err(_) => {
            let mut f = unreadable(rel, bytes.len() as u64, String::new());
            f.pdf.error = None;
            f.pdf.readable = true;
            f.pdf.limit_hit = Some(format!("time budget of {} ms exceeded", budget.as_millis()));
            f.sha256 = sha256.unwrap_or_else(|| inspect::sha256_hex(&bytes));
            f
        }
    }
}

/// [`inspect::inspect_bytes`] with a panic turned into an "unreadable" fact.
pub fn inspect_guarded(rel: String, bytes: &[u8], opts: &InspectOptions) -> FileFacts {
    inspect_guarded_sha(rel, bytes, None, opts)
}

/// [`inspect_guarded`] with the SHA-256 of `bytes` when the caller already has it.
pub fn inspect_guarded_sha(
    rel: String,
    bytes: &[u8],
    sha256: Option<String>,
    opts: &InspectOptions,
) -> FileFacts {
    let size = bytes.len() as u64;
    let rel2 = rel.clone();
    let sha2 = sha256.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match sha256 {
        Some(sha) => inspect::inspect_bytes_with_sha(rel, bytes, sha, opts),
        None => inspect::inspect_bytes(rel, bytes, opts),
    }))
    .unwrap_or_else(|_| {
        let mut f = unreadable(
            rel2,
            size,
            "internal error while reading this file (caught)".into(),
        );
        f.sha256 = sha2.unwrap_or_else(|| inspect::sha256_hex(bytes));
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
                Ok(bytes) => inspect_with_budget(rel, bytes, opts),
                Err(err) => unreadable(rel, 0, format!("cannot read: {err}")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_budget_turns_a_slow_file_into_a_finding() {
        // Hashing 24 MiB alone takes well over a millisecond.
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(24 << 20, b'x');
        let mut opts = InspectOptions::default();
        opts.limits.time_budget_ms = 1;
        let f = inspect_with_budget("slow.pdf".into(), bytes, &opts);
        assert!(
            f.pdf
                .limit_hit
                .as_deref()
                .is_some_and(|l| l.contains("time budget")),
            "{:?}",
            f.pdf
        );
        assert!(!f.sha256.is_empty());
    }
}
