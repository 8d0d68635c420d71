//! The ruleset TOML as written: serde types only, no checks. [`super::load`]
//! validates these into the model; `deny_unknown_fields` makes a misspelt key an error.

use serde::Deserialize;
use toml::Spanned;

use super::period::Period;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleset {
    /// A builtin id or a path (relative to this file): start from that set.
    pub(super) extends: Option<Spanned<String>>,
    /// Ids (areas, criteria, sub-criteria, deductions) of the base set to drop.
    #[serde(default)]
    pub(super) remove: Vec<Spanned<String>>,
    pub(super) framework: RawFramework,
    #[serde(default)]
    pub(super) area: Vec<Spanned<RawArea>>,
    #[serde(default)]
    pub(super) deduction: Vec<Spanned<RawScorable>>,
    pub(super) algorithm_policy: Option<Spanned<super::policy::RawAlgorithmPolicy>>,
    /// Values for every requirement that does not set its own.
    pub(super) defaults: Option<Spanned<RawDefaults>>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDefaults {
    pub(super) signature: Option<String>,
    /// Drafted by `tlkc rules import` (from a note under the title), not yet reviewed.
    #[serde(default)]
    pub(super) inferred: bool,
    /// The sentence of the criteria table it was read from.
    pub(super) source: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFramework {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) year: i32,
    #[serde(default)]
    pub(super) legal_basis: Vec<String>,
    pub(super) level: Option<String>,
    pub(super) province: Option<String>,
    #[serde(default)]
    pub(super) trusted_root: Vec<Spanned<RawTrustedRoot>>,
    #[serde(default)]
    pub(super) grade: Vec<super::scoring::Grade>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrustedRoot {
    pub(super) name: String,
    pub(super) sha256: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArea {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) max_points: f64,
    #[serde(default)]
    pub(super) criterion: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) max_points: f64,
    pub(super) note: Option<String>,
    #[serde(default)]
    pub(super) sub: Vec<Spanned<RawScorable>>,
    /// A criterion scored on its own carries these directly.
    pub(super) statistics: Option<String>,
    pub(super) score: Option<Spanned<super::scoring::RawScore>>,
    /// `statistics` was drafted by `tlkc rules import`: a person should confirm it.
    #[serde(default)]
    pub(super) inferred: bool,
    #[serde(default)]
    pub(super) document: Vec<Spanned<RawRequirement>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScorable {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) max_points: f64,
    pub(super) note: Option<String>,
    pub(super) statistics: Option<String>,
    pub(super) score: Option<Spanned<super::scoring::RawScore>>,
    /// `statistics` was drafted by `tlkc rules import`: a person should confirm it.
    #[serde(default)]
    pub(super) inferred: bool,
    #[serde(default)]
    pub(super) document: Vec<Spanned<RawRequirement>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRequirement {
    pub(super) id: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) types: Vec<String>,
    #[serde(default)]
    pub(super) title_patterns: Vec<String>,
    pub(super) count: Option<u32>,
    #[serde(default)]
    pub(super) periods: Vec<Period>,
    pub(super) deadline: Option<Spanned<RawDeadline>>,
    /// Unset: `[defaults] signature`, else "none".
    pub(super) signature: Option<String>,
    pub(super) points: f64,
    pub(super) basis: Option<String>,
    /// Drafted by `tlkc rules import` from the table's text, not yet reviewed.
    #[serde(default)]
    pub(super) inferred: bool,
    /// The sentence of the criteria table it was drafted from.
    pub(super) source: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeadline {
    /// Last allowed day, YYYY-MM-DD.
    pub(super) fixed: Option<String>,
    /// Day of each period's last month.
    pub(super) period_day: Option<u32>,
    /// Key under `[deadlines]` in the folder's tlkc.toml.
    pub(super) local: Option<String>,
    pub(super) basis: Option<String>,
}
