//! What a `--units` run keeps of each unit (a [`Digest`] of its report,
//! so the full report can be dropped as soon as it is written) and the
//! combined [`UnitsReport`]: units ranked, and the sub-criteria many units
//! lose. Which folders are units is [`super::list`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::findings::{Code, Severity, Status};
use crate::run::{round2, Report, Summary};

/// What a province report keeps of one checked unit: the numbers, and
/// per scorable unit of its ruleset the status and the error codes. The
/// files and findings themselves are dropped once the unit's own report
/// is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// `unit` of the folder's tlkc.toml: the unit's name as it calls itself.
    pub unit: Option<String>,
    pub ruleset_id: String,
    pub ruleset_title: String,
    pub as_of: NaiveDate,
    pub summary: Summary,
    /// The single-run JSON report's `summary` object, verbatim, so that
    /// everything a single run reports there (e.g. an estimated score) is
    /// carried into the combined report unchanged.
    pub summary_json: serde_json::Value,
    pub score: Option<Score>,
    pub criteria: Vec<CriterionDigest>,
}

/// The self-estimated score, when the single-run report has one
/// (`summary.score`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Score {
    pub estimated: f64,
    pub max: f64,
    /// Units the estimate could not score (the single-run report's list;
    /// once read as a number, which made every score unreadable).
    #[serde(default)]
    pub not_estimated: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionDigest {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub points_at_risk: f64,
    /// Active error findings of this sub-criterion, by code.
    pub errors: BTreeMap<Code, usize>,
}

impl Digest {
    /// Digest `report`; `summary_json` is its single-run JSON `summary`.
    pub fn of(report: &Report, summary_json: serde_json::Value) -> Digest {
        let titles: BTreeMap<&str, &str> = report
            .rules
            .scorables()
            .map(|(_, s)| (s.id.as_str(), s.title.as_str()))
            .collect();
        let mut errors: BTreeMap<&str, BTreeMap<Code, usize>> = BTreeMap::new();
        for f in &report.findings {
            if let (Severity::Error, true, Some(c)) =
                (f.severity, f.is_active(), f.criterion.as_deref())
            {
                *errors.entry(c).or_default().entry(f.code).or_default() += 1;
            }
        }
        let criteria = report
            .outcomes
            .iter()
            .map(|o| CriterionDigest {
                id: o.id.clone(),
                title: titles.get(o.id.as_str()).unwrap_or(&"").to_string(),
                status: o.status,
                points_at_risk: round2(o.points_at_risk),
                errors: errors.remove(o.id.as_str()).unwrap_or_default(),
            })
            .collect();
        let score = summary_json
            .get("score")
            .and_then(|s| Score::deserialize(s).ok());
        Digest {
            unit: report
                .unit
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            ruleset_id: report.rules.framework.id.clone(),
            ruleset_title: report.rules.framework.title.clone(),
            as_of: report.as_of,
            summary: report.summary(),
            summary_json,
            score,
            criteria,
        }
    }

    /// Sub-criteria whose points are at risk.
    pub fn lost(&self) -> impl Iterator<Item = &CriterionDigest> {
        self.criteria
            .iter()
            .filter(|c| c.status == Status::Failing && c.points_at_risk > 0.0)
    }
}

/// One unit of the province report.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResult {
    pub name: String,
    /// The evidence folder as given.
    pub root: String,
    pub outcome: UnitOutcome,
    /// Where the unit's own full report was written (`--output-dir`).
    pub report_file: Option<String>,
    /// [`Self::report_file`] as a link relative to the combined report.
    pub report_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnitOutcome {
    Checked(Box<Digest>),
    /// The unit could not be checked (missing folder, bad tlkc.toml, …).
    Failed(String),
}

impl UnitResult {
    pub fn digest(&self) -> Option<&Digest> {
        match &self.outcome {
            UnitOutcome::Checked(d) => Some(d),
            UnitOutcome::Failed(_) => None,
        }
    }

    /// The name a report shows: the unit's own (`unit` in its tlkc.toml)
    /// when it has one, else its name in the list or its folder's.
    /// With the folder's name beside it, as two folders may name one unit.
    pub fn label(&self) -> String {
        match self.digest().and_then(|d| d.unit.as_deref()) {
            Some(u) if u != self.name => format!("{u} ({})", self.name),
            _ => self.name.clone(),
        }
    }

    /// Checked and without error findings.
    pub fn ready(&self) -> bool {
        self.digest().is_some_and(|d| d.summary.errors == 0)
    }
}

/// A sub-criterion lost by one or more units.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonLoss {
    pub ruleset: String,
    pub criterion: String,
    pub title: String,
    /// Names of the units losing it, in ranking order.
    pub units: Vec<String>,
    pub points_at_risk: f64,
    /// The error codes behind it: (code, units with it, findings).
    pub findings: Vec<(Code, usize, usize)>,
}

/// The combined report of a `--units` run.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitsReport {
    /// The day of evaluation when every checked unit shares it.
    pub as_of: Option<NaiveDate>,
    /// Ranked: checked units by estimated score (when known), then points
    /// at risk, errors and warnings; units that could not be checked last.
    pub units: Vec<UnitResult>,
    /// Most units first.
    pub common_losses: Vec<CommonLoss>,
}

impl UnitsReport {
    pub fn new(mut units: Vec<UnitResult>) -> UnitsReport {
        units.sort_by(rank_order);
        let mut as_ofs = units.iter().filter_map(|u| u.digest().map(|d| d.as_of));
        let first = as_ofs.next();
        let as_of = first.filter(|f| as_ofs.all(|d| d == *f));
        let common_losses = common_losses(&units);
        UnitsReport {
            as_of,
            units,
            common_losses,
        }
    }

    pub fn checked(&self) -> usize {
        self.units.iter().filter(|u| u.digest().is_some()).count()
    }

    /// Every unit checked and none with an error finding.
    pub fn all_ready(&self) -> bool {
        self.units.iter().all(UnitResult::ready)
    }

    /// Whether any checked unit has an estimated score (a ranking column).
    pub fn has_scores(&self) -> bool {
        self.units
            .iter()
            .any(|u| u.digest().is_some_and(|d| d.score.is_some()))
    }
}

fn rank_order(a: &UnitResult, b: &UnitResult) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.digest(), b.digest()) {
        (Some(x), Some(y)) => {
            let score = match (&x.score, &y.score) {
                (Some(p), Some(q)) => q.estimated.total_cmp(&p.estimated),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            score
                .then(
                    x.summary
                        .points_at_risk
                        .total_cmp(&y.summary.points_at_risk),
                )
                .then(x.summary.errors.cmp(&y.summary.errors))
                .then(x.summary.warnings.cmp(&y.summary.warnings))
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.name.cmp(&b.name))
}

/// Sub-criteria lost by units, most units first. Units on different
/// rulesets are kept apart: "1.2.1" of a district ruleset is not the
/// department one's.
fn common_losses(ranked: &[UnitResult]) -> Vec<CommonLoss> {
    type Key = (String, String);
    let mut by: BTreeMap<Key, CommonLoss> = BTreeMap::new();
    let mut codes: BTreeMap<Key, BTreeMap<Code, (usize, usize)>> = BTreeMap::new();
    for u in ranked {
        let Some(d) = u.digest() else { continue };
        for c in d.lost() {
            let key = (d.ruleset_id.clone(), c.id.clone());
            let loss = by.entry(key.clone()).or_insert_with(|| CommonLoss {
                ruleset: d.ruleset_id.clone(),
                criterion: c.id.clone(),
                title: c.title.clone(),
                units: Vec::new(),
                points_at_risk: 0.0,
                findings: Vec::new(),
            });
            loss.units.push(u.name.clone());
            loss.points_at_risk = round2(loss.points_at_risk + c.points_at_risk);
            let per = codes.entry(key).or_default();
            for (code, n) in &c.errors {
                let e = per.entry(*code).or_default();
                e.0 += 1;
                e.1 += n;
            }
        }
    }
    let mut out: Vec<CommonLoss> = by
        .into_iter()
        .map(|(key, mut loss)| {
            let mut f: Vec<(Code, usize, usize)> = codes
                .remove(&key)
                .unwrap_or_default()
                .into_iter()
                .map(|(c, (units, n))| (c, units, n))
                .collect();
            f.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
            loss.findings = f;
            loss
        })
        .collect();
    out.sort_by(|a, b| {
        b.units
            .len()
            .cmp(&a.units.len())
            .then(b.points_at_risk.total_cmp(&a.points_at_risk))
            .then_with(|| id_order(&a.criterion, &b.criterion))
            .then_with(|| a.ruleset.cmp(&b.ruleset))
    });
    out
}

/// "1.2.10" after "1.2.9": numeric parts compare as numbers.
fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<(u64, String)> {
        s.split('.')
            .map(|p| (p.parse().unwrap_or(u64::MAX), p.to_string()))
            .collect()
    };
    key(a).cmp(&key(b))
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;
