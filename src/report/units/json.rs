//! The combined JSON report of `--units`. Each unit's `summary` is its
//! single-run JSON `summary`, verbatim.

use std::io::{self, Write};

use serde::Serialize;

use crate::run::units::ranking::{UnitOutcome, UnitsReport};
use crate::VERSION;

/// Bumped on any incompatible change of this wire format.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    tool: &'static str,
    version: &'static str,
    schema: u32,
    /// The day of evaluation when every checked unit shares it.
    as_of: Option<String>,
    units_checked: usize,
    units: Vec<WireUnit<'a>>,
    common_losses: Vec<WireLoss<'a>>,
}

#[derive(Serialize)]
struct WireUnit<'a> {
    name: &'a str,
    root: &'a str,
    ruleset: Option<WireRuleset<'a>>,
    as_of: Option<String>,
    ready: bool,
    summary: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct WireRuleset<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct WireLoss<'a> {
    ruleset: &'a str,
    criterion: &'a str,
    title: &'a str,
    units: &'a [String],
    points_at_risk: f64,
    findings: Vec<WireCode>,
}

#[derive(Serialize)]
struct WireCode {
    code: &'static str,
    name: &'static str,
    /// Units with this error on the sub-criterion.
    units: usize,
    /// Error findings in all those units.
    count: usize,
}

pub fn render(report: &UnitsReport, out: &mut dyn Write) -> io::Result<()> {
    let units = report
        .units
        .iter()
        .map(|u| {
            let d = u.digest();
            WireUnit {
                name: &u.name,
                root: &u.root,
                ruleset: d.map(|d| WireRuleset {
                    id: &d.ruleset_id,
                    title: &d.ruleset_title,
                }),
                as_of: d.map(|d| d.as_of.format("%Y-%m-%d").to_string()),
                ready: u.ready(),
                summary: d.map(|d| &d.summary_json),
                score: d.and_then(|d| d.summary_json.get("score")),
                report: u.report_file.as_deref(),
                error: match &u.outcome {
                    UnitOutcome::Failed(e) => Some(e),
                    UnitOutcome::Checked(_) => None,
                },
            }
        })
        .collect();
    let common_losses = report
        .common_losses
        .iter()
        .map(|l| WireLoss {
            ruleset: &l.ruleset,
            criterion: &l.criterion,
            title: &l.title,
            units: &l.units,
            points_at_risk: l.points_at_risk,
            findings: l
                .findings
                .iter()
                .map(|(c, units, count)| WireCode {
                    code: c.as_str(),
                    name: c.name(),
                    units: *units,
                    count: *count,
                })
                .collect(),
        })
        .collect();
    let wire = Wire {
        tool: "tlkc",
        version: VERSION,
        schema: SCHEMA,
        as_of: report.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        units_checked: report.checked(),
        units,
        common_losses,
    };
    serde_json::to_writer_pretty(&mut *out, &wire).map_err(io::Error::other)?;
    writeln!(out)
}
