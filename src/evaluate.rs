//! Evaluation: facts + ruleset + as_of → findings and a verdict per
//! scorable unit. Pure: no I/O, no clock.

use std::collections::BTreeSet;

use crate::checks::evidence::{self, Outcome};
use crate::checks::{self, Context};
use crate::discover::Discovery;
use crate::facts::FileFacts;
use crate::findings::{sort_findings, Finding, Severity};

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// One per scorable unit, in ruleset order.
    pub outcomes: Vec<Outcome>,
}

pub fn evaluate(files: &[FileFacts], discovery: &Discovery, ctx: &Context) -> Evaluation {
    let mut findings = Vec::new();
    let mut file_errors = BTreeSet::new();
    for f in files {
        let start = findings.len();
        checks::file_checks(f, ctx, &mut findings);
        let first_criterion = discovery
            .files
            .iter()
            .find(|e| e.rel == f.path)
            .and_then(|e| e.criteria.first().cloned());
        for finding in &mut findings[start..] {
            finding.criterion = first_criterion.clone();
            if finding.severity == Severity::Error {
                file_errors.insert(f.path.clone());
            }
        }
    }
    let all: Vec<&FileFacts> = files.iter().collect();
    checks::document::duplicate_numbers(&all, &mut findings);
    evidence::folder_checks(discovery, files, &mut findings);
    let mut outcomes = Vec::new();
    for (_, s) in ctx.rules.scorables() {
        let filed: Vec<&FileFacts> = discovery
            .files
            .iter()
            .filter(|e| e.criteria.iter().any(|c| c == &s.id))
            .filter_map(|e| files.iter().find(|f| f.path == e.rel))
            .collect();
        let mut outcome = evidence::evaluate(s, &filed, &file_errors, ctx, &mut findings);
        if outcome.status != evidence::Status::NotCheckable
            && findings.iter().any(|f| {
                f.severity == Severity::Error && f.criterion.as_deref() == Some(s.id.as_str())
            })
        {
            outcome.status = evidence::Status::Failing;
        }
        outcomes.push(outcome);
    }
    sort_findings(&mut findings);
    Evaluation { findings, outcomes }
}
