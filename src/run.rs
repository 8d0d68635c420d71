//! The `check` pipeline: discover → inspect → evaluate, returning a
//! [`Report`] for the renderers.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::checks::score::{self, Score};
use crate::checks::tasks::TaskReport;
use crate::checks::Context;
use crate::config::FolderConfig;
use crate::discover::{self, Discovery};
use crate::evaluate::{evaluate, Evaluation};
use crate::facts::FileFacts;
use crate::findings::Outcome;
use crate::findings::{Finding, Severity};
use crate::inspect::guard::{inspect_all, Progress};
use crate::inspect::InspectOptions;
use crate::rules::Ruleset;

pub mod units;

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
    /// The evaluated unit (`unit` in tlkc.toml), heading every report.
    pub unit: Option<String>,
    pub as_of: NaiveDate,
    pub rules: Ruleset,
    pub files: Vec<FileFacts>,
    pub findings: Vec<Finding>,
    pub outcomes: Vec<Outcome>,
    /// Work done by the index stage; `None` when the run had no index.
    pub index: Option<IndexCounters>,
    /// The assigned-task register as judged.
    pub tasks: Vec<TaskReport>,
    /// The self-scoring estimate (after waivers).
    pub score: Score,
}

/// What the index stage did: how many files it read and hashed, how many
/// it inspected, and how many reused cached facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexCounters {
    pub files: usize,
    pub hashed: usize,
    pub inspected: usize,
    pub reused: usize,
    /// The index was written for another folder or on another machine:
    /// nothing it held was trusted (FIX003).
    pub foreign: bool,
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

    /// The findings that block a submission: active (not waived) errors.
    /// The one definition of "blocking": [`Report::ready`] and the list
    /// `submit` prints both use it.
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.is_active())
    }

    /// Ready to submit: nothing blocking.
    pub fn ready(&self) -> bool {
        self.blocking().next().is_none()
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    /// A failure of the inspection stage (the index implements it, so `run`
    /// never names the index's error type).
    #[error(transparent)]
    Stage(Box<dyn std::error::Error + Send + Sync>),
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

/// Run discover → inspect → evaluate over `input.root`.
pub fn check(input: &CheckInput) -> Result<Report, RunError> {
    check_with(input, &mut Uncached, None, &|_| {})
}

/// [`check`] with a chosen inspection stage, the last submission (FIX001/FIX002)
/// when there is one, and a progress observer (called from worker threads).
pub fn check_with(
    input: &CheckInput,
    stage: &mut dyn InspectStage,
    last_submission: Option<&crate::facts::LastSubmission>,
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
    let mut evaluation = evaluate(&files, &discovery, &ctx);
    if let Some(last) = last_submission {
        crate::checks::fixity::check(last, &files, &mut evaluation.findings);
    }
    if stage.counters().is_some_and(|c| c.foreign) {
        evaluation
            .findings
            .push(crate::checks::fixity::foreign_index());
    }
    crate::findings::sort_findings(&mut evaluation.findings);
    crate::evaluate::waivers::apply(&mut evaluation, &input.config.waivers, input.as_of);
    // The estimate counts what is left after waivers.
    let mut notes = Vec::new();
    let score = score::estimate(
        &input.rules,
        &evaluation.outcomes,
        &evaluation.findings,
        &evaluation.tasks,
        &input.config,
        &mut notes,
    );
    if !notes.is_empty() {
        evaluation.findings.extend(notes);
        crate::findings::sort_findings(&mut evaluation.findings);
    }
    let Evaluation {
        findings,
        outcomes,
        tasks,
    } = evaluation;
    let report = Report {
        root: input.root.display().to_string(),
        unit: input.config.unit.clone(),
        as_of: input.as_of,
        rules: input.rules.clone(),
        files,
        findings,
        outcomes,
        index: stage.counters(),
        tasks,
        score,
    };
    Ok(report)
}
