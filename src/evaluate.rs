//! Evaluation: facts + ruleset + as_of → findings and a verdict per
//! scorable unit. Pure: no I/O, no clock.

use std::collections::{BTreeSet, HashMap};

pub mod waivers;

use crate::checks::evidence;
use crate::checks::tasks::TaskReport;
use crate::checks::{self, Context};
use crate::discover::Discovery;
use crate::facts::FileFacts;
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

/// Findings in the order the checks emit them: [`crate::run`] sorts them
/// once, after the fixity findings, waivers and score notes are added.
pub fn evaluate(files: &[FileFacts], discovery: &Discovery, ctx: &Context) -> Evaluation {
    let mut findings = Vec::new();
    let mut file_errors = BTreeSet::new();
    // Path lookups in both directions, so evaluation stays linear in the folder size.
    let filed_under: HashMap<&str, &[String]> = discovery
        .files
        .iter()
        .map(|e| (e.rel.as_str(), e.criteria.as_slice()))
        .collect();
    let facts_of: HashMap<&str, &FileFacts> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    for f in files {
        let start = findings.len();
        checks::file_checks(f, ctx, &mut findings);
        let first_criterion = filed_under
            .get(f.path.as_str())
            .and_then(|c| c.first().cloned());
        for finding in &mut findings[start..] {
            finding.criterion = first_criterion.clone();
            if finding.severity == Severity::Error {
                file_errors.insert(f.path.clone());
            }
        }
    }
    let all: Vec<&FileFacts> = files.iter().collect();
    checks::document::duplicate_numbers(&all, &mut findings);
    checks::signature::revocation_note(&all, &mut findings);
    checks::folder::folder_checks(discovery, files, ctx.rules, &mut findings);
    checks::ruleset_fit::check(
        ctx.rules,
        ctx.config.unit.as_deref(),
        ctx.as_of,
        &mut findings,
    );
    let mut outcomes = Vec::new();
    // Units with an error-level file finding (set above, before the requirement checks).
    let failing: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.criterion.clone())
        .collect();
    let failing: BTreeSet<&str> = failing.iter().map(String::as_str).collect();
    for (_, s) in ctx.rules.scorables() {
        let filed: Vec<&FileFacts> = discovery
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
