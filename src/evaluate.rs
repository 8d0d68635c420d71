//! Evaluation: facts + ruleset + as_of → findings and a verdict per
//! scorable unit. Pure: no I/O, no clock.

use std::collections::{BTreeSet, HashMap};

/// Waivers from tlkc.toml, applied once after evaluation (the run calls this).
pub mod waivers {
    use chrono::NaiveDate;

    use super::Evaluation;
    use crate::config::waiver::Waiver;

    /// Mark waived findings, report expired or unused waivers (CFG001) and
    /// give every sub-criterion the waivers cleared its verdict back.
    pub fn apply(ev: &mut Evaluation, waivers: &[Waiver], as_of: NaiveDate) {
        crate::checks::waivers::apply(&mut ev.findings, &mut ev.outcomes, waivers, as_of);
    }
}

use crate::checks::evidence;
use crate::checks::family::Input;
use crate::checks::registry;
use crate::checks::tasks::TaskReport;
use crate::checks::{self, Context};
use crate::discover::Discovery;
use crate::facts::{FileFacts, KeptFacts};
use crate::findings::{Finding, Severity};
use crate::findings::{Outcome, Status};

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// One per scorable unit, in ruleset order.
    pub outcomes: Vec<Outcome>,
    /// The task register judged, one per task-scored unit.
    pub tasks: Vec<TaskReport>,
}

/// One file's own checks (PDF, document, signatures), run as soon as its
/// facts exist, on the whole facts; then all the run holds of the file is
/// what the folder-wide checks and the reports read ([`KeptFacts`], made
/// afresh): a folder of any size holds every file's facts whole only one
/// file at a time (issue 25).
pub fn check_file(f: FileFacts, ctx: &Context) -> (KeptFacts, Vec<Finding>) {
    let mut own = Vec::new();
    registry::file_checks(&f, ctx, &mut own);
    // Held until the evaluation: a list grown by pushing has room for 4
    // findings (~0.7 KB) where most files have 0 or 1.
    own.shrink_to_fit();
    (KeptFacts::of(&f), own)
}

/// Findings in the order the checks emit them: [`crate::run`] sorts them
/// once, after the fixity findings, waivers and score notes are added.
/// `own` holds each file's own findings, from [`check_file`], in the order
/// of `files`.
pub fn evaluate(
    files: &[KeptFacts],
    own: Vec<Vec<Finding>>,
    discovery: &Discovery,
    ctx: &Context,
) -> Evaluation {
    // The checks that judge facts alone come first: the evidence check
    // below needs to know which files already carry an error. Each file's
    // own judgement was made as soon as its facts existed (`own`).
    let input = Input::new(ctx, files, discovery);
    let mut own = own.into_iter();
    let mut findings = input.per_file(|_, out| out.extend(own.next().unwrap_or_default()));
    findings.extend(registry::ALL.iter().flat_map(|c| c.folder(&input)));
    let file_errors: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.path.clone())
        .collect();
    let facts_of: HashMap<&str, &KeptFacts> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut outcomes = Vec::new();
    // Units with an error-level file finding (set above, before the requirement checks).
    let failing: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.criterion.clone())
        .collect();
    let failing: BTreeSet<&str> = failing.iter().map(String::as_str).collect();
    for (_, s) in ctx.rules.scorables() {
        let filed: Vec<&KeptFacts> = discovery
            .files
            .iter()
            .filter(|e| e.criteria.iter().any(|c| c == &s.id))
            .filter_map(|e| facts_of.get(e.rel.as_str()).copied())
            .collect();
        let mut outcome = evidence::evaluate(s, &filed, &file_errors, ctx, &mut findings);
        if outcome.status != Status::NotCheckable && failing.contains(s.id.as_str()) {
            outcome.status = Status::Failing;
        }
        outcomes.push(outcome);
    }
    let tasks = checks::tasks::evaluate(files, discovery, ctx, &mut findings);
    for r in &tasks {
        task_outcome(r, &findings, &mut outcomes);
    }
    state_costs(&outcomes, &mut findings);
    Evaluation {
        findings,
        outcomes,
        tasks,
    }
}

/// A task-scored unit fails with its TSK errors; its risk is what the formula loses.
fn task_outcome(r: &TaskReport, findings: &[Finding], outcomes: &mut [Outcome]) {
    let Some(o) = outcomes.iter_mut().find(|o| o.id == r.criterion) else {
        return;
    };
    if r.tasks.is_empty() {
        return; // no register: nothing judged, the unit stays "scored from data"
    }
    let (on, late, missing, _) = r.counts();
    let lost = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.criterion.as_deref() == Some(&r.criterion))
        .count();
    let total = on + late + missing;
    o.status = if lost > 0 {
        Status::Failing
    } else if total == 0 {
        Status::Pending
    } else {
        Status::Ok
    };
    if let Some(p) = checks::score::tasks(on, late, total, r.late_weight, r.max) {
        o.points_at_risk = r.max - p;
    }
}

/// Every error finding states the points it costs: one that names none (a
/// broken signature, an unreadable file) costs what its unit has at risk.
fn state_costs(outcomes: &[Outcome], findings: &mut [Finding]) {
    for f in findings
        .iter_mut()
        .filter(|f| f.severity == Severity::Error && f.points.is_none())
    {
        let risk = f
            .criterion
            .as_deref()
            .and_then(|c| outcomes.iter().find(|o| o.id == c))
            .map_or(0.0, |o| o.points_at_risk);
        if risk > 0.0 {
            f.points = Some(risk);
        }
    }
}
