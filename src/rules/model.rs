//! The validated ruleset model. Only [`super::load`] builds these.

use chrono::NaiveDate;
use serde::Serialize;

use super::period::Period;
pub use super::policy::AlgorithmPolicy;

#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    pub framework: Framework,
    pub areas: Vec<Area>,
    /// Deductions outside the criteria set ("điểm trừ").
    pub deductions: Vec<Scorable>,
    /// Which signature algorithms count (`[algorithm_policy]`).
    pub algorithm_policy: AlgorithmPolicy,
    /// Where the ruleset came from (file path, or `builtin:ID`).
    pub source: String,
    /// `[defaults]`: what a requirement that does not say gets.
    pub defaults: Defaults,
}

/// `[defaults]` of a ruleset.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Defaults {
    /// `None` when the ruleset gives no default (requirements then need no signature).
    pub signature: Option<SignatureRule>,
    /// Drafted by `tlkc rules import` and not yet reviewed by a person.
    pub inferred: bool,
    /// The table sentence it was drafted from.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub id: String,
    pub title: String,
    pub year: i32,
    pub legal_basis: Vec<String>,
    /// Unit level scored ("huyện", "sở").
    pub level: Option<String>,
    pub province: Option<String>,
    /// SHA-256 fingerprints (hex) of root certificates trusted by default.
    pub trusted_roots: Vec<TrustedRoot>,
    /// Grade bands of the whole index, highest first; empty when the sources do not state them.
    pub grades: Vec<super::scoring::Grade>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrustedRoot {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub id: String,
    pub title: String,
    pub max_points: f64,
    pub criteria: Vec<Criterion>,
}

/// A criterion (tiêu chí). Either it has sub-criteria, or it is itself
/// scored (then `scorable` is set).
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub max_points: f64,
    pub sub: Vec<Scorable>,
    pub scorable: Option<Scorable>,
    pub note: Option<String>,
}

/// A unit that is scored on its own: a sub-criterion (tiêu chí thành phần),
/// a criterion without sub-criteria, or a deduction.
#[derive(Debug, Clone, Serialize)]
pub struct Scorable {
    pub id: String,
    pub title: String,
    pub max_points: f64,
    pub scoring: Scoring,
    /// How its points are estimated (`score = { method = … }`).
    pub method: super::scoring::Method,
    pub note: Option<String>,
    /// Its `statistics` classification was drafted by `tlkc rules import`.
    pub inferred: bool,
    /// 1-based line of its table in the ruleset file (for SARIF locations).
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scoring {
    /// Scored from evidence documents.
    Documents { requirements: Vec<Requirement> },
    /// Scored from system statistics: not checkable from files.
    Statistics { source: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    /// Accepted type abbreviations (Phụ lục III); "CV" = công văn. Empty = any.
    pub types: Vec<String>,
    /// Folded (lower-case, no diacritics) patterns matched against the
    /// document's title and file name. Empty = any.
    pub title_patterns: Vec<String>,
    pub count: u32,
    /// Periodic reports: one document per period.
    pub periods: Vec<Period>,
    pub deadline: Option<Deadline>,
    pub signature: SignatureRule,
    /// The signature rule came from `[defaults]`, not the requirement itself.
    pub signature_from_defaults: bool,
    pub points: f64,
    pub basis: Option<String>,
    /// Drafted by `tlkc rules import` and not yet reviewed by a person.
    pub inferred: bool,
    /// The table text it was drafted from.
    pub source: Option<String>,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    /// Last day allowed (inclusive).
    Fixed {
        date: NaiveDate,
        basis: Option<String>,
    },
    /// Day `day` of each period's last month ("chậm nhất ngày 14 của tháng cuối kỳ").
    PeriodDay { day: u32, basis: Option<String> },
    /// Supplied by the folder's `tlkc.toml` `[deadlines]` under this key.
    Local { key: String, basis: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureRule {
    /// No signature required.
    None,
    /// Must be digitally signed (any signer).
    Required,
    /// Must carry both the competent person's and the organisation's signature (Decree 30 Điều 5, 13.7).
    PersonAndOrganization,
}

impl Ruleset {
    /// Every scorable unit in tree order (sub-criteria, criteria scored alone, deductions).
    pub fn scorables(&self) -> impl Iterator<Item = (&Area, &Scorable)> + '_ {
        let tree = self.areas.iter().flat_map(|area| {
            area.criteria.iter().flat_map(move |c| {
                c.scorable
                    .iter()
                    .chain(c.sub.iter())
                    .map(move |s| (area, s))
            })
        });
        tree.chain(self.deductions.iter().map(|d| (&DEDUCTION_AREA, d)))
    }

    /// Drafted items a person has not yet reviewed: requirements and
    /// statistics classifications marked `inferred = true`.
    pub fn inferred_count(&self) -> usize {
        self.scorables()
            .map(|(_, s)| {
                let reqs = match &s.scoring {
                    Scoring::Documents { requirements } => {
                        requirements.iter().filter(|r| r.inferred).count()
                    }
                    Scoring::Statistics { .. } => 0,
                };
                reqs + usize::from(s.inferred)
            })
            .sum::<usize>()
            + usize::from(self.defaults.inferred)
    }

    pub fn find(&self, id: &str) -> Option<&Scorable> {
        self.scorables().map(|(_, s)| s).find(|s| s.id == id)
    }

    /// Every id a file may be filed under (areas, criteria, scorables).
    pub fn all_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for a in &self.areas {
            ids.push(&a.id);
            for c in &a.criteria {
                ids.push(&c.id);
                ids.extend(c.sub.iter().map(|s| s.id.as_str()));
            }
        }
        ids.extend(self.deductions.iter().map(|d| d.id.as_str()));
        ids
    }
}

/// Pseudo-area that groups deductions in reports.
pub static DEDUCTION_AREA: Area = Area {
    id: String::new(),
    title: String::new(),
    max_points: 0.0,
    criteria: Vec::new(),
};
