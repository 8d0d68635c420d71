//! The JSON contract (`--format json`). Wire types are private and
//! serialize-only so internal changes cannot silently change the output.

use std::io::{self, Write};

use serde::Serialize;

use crate::findings::Lang;
use crate::run::{round2, Report};
use crate::VERSION;

/// Bumped on any incompatible change of the wire format.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    tool: &'static str,
    version: &'static str,
    schema: u32,
    ruleset: WireRuleset<'a>,
    /// The evaluated unit (`unit` in tlkc.toml); null when not set.
    unit: Option<&'a str>,
    root: &'a str,
    as_of: String,
    ready: bool,
    summary: WireSummary<'a>,
    criteria: Vec<WireCriterion<'a>>,
    findings: WireFindings<'a>,
    /// Fixes that win back most points first.
    what_if: Vec<WireFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<WireTask<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanations: Option<Vec<super::explain_draft::Draft>>,
}

#[derive(Serialize)]
struct WireRuleset<'a> {
    id: &'a str,
    title: &'a str,
    year: i32,
    source: &'a str,
}

#[derive(Serialize)]
struct WireSummary<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    waived: usize,
    points_at_risk: f64,
    score: WireScore<'a>,
    /// Only when the ruleset states grade bands and every unit was estimated.
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
    /// Work of the index stage; absent when the run had no index.
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<WireIndex>,
}

#[derive(Serialize)]
struct WireScore<'a> {
    estimated: f64,
    max: f64,
    not_estimated: Vec<&'a str>,
    /// Requirements not yet due: their points are not in `estimated`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pending: Vec<WirePending<'a>>,
}

#[derive(Serialize)]
struct WirePending<'a> {
    criterion: &'a str,
    points: f64,
}

#[derive(Serialize)]
struct WireFix<'a> {
    criterion: &'a str,
    findings: usize,
    files: usize,
    documents: usize,
    points: f64,
}

#[derive(Serialize)]
struct WireTask<'a> {
    criterion: &'a str,
    number: &'a str,
    deadline: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    released: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_late: Option<i64>,
}

#[derive(Serialize)]
struct WireIndex {
    hashed: usize,
    inspected: usize,
    reused: usize,
}

#[derive(Serialize)]
struct WireCriterion<'a> {
    id: &'a str,
    title: &'a str,
    area: &'a str,
    max_points: f64,
    status: crate::findings::Status,
    points_at_risk: f64,
    /// `null` when not estimated.
    estimated_points: Option<f64>,
    method: &'static str,
    basis: &'a str,
    files: &'a [String],
}

#[derive(Serialize)]
struct WireFinding<'a> {
    code: &'static str,
    severity: &'static str,
    criterion: Option<&'a str>,
    path: Option<&'a str>,
    message: &'a str,
    points: Option<f64>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    facts: &'a std::collections::BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<&'a crate::findings::Waived>,
}

/// The findings, each made into its wire form as it is written: a report of
/// 27,000 findings never holds a second list of them (issue 25).
struct WireFindings<'a> {
    findings: &'a [crate::findings::Finding],
    lang: Lang,
}

impl Serialize for WireFindings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.findings.iter().map(|f| WireFinding {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            criterion: f.criterion.as_deref(),
            path: f.path.as_deref(),
            message: f.message.get(self.lang),
            points: f.points.map(round2),
            facts: &f.facts,
            waived: f.waived.as_ref(),
        }))
    }
}

pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let opts = super::Options {
        lang,
        ..Default::default()
    };
    render_with(report, &opts, out)
}

pub fn render_with(report: &Report, opts: &super::Options, out: &mut dyn Write) -> io::Result<()> {
    let lang = opts.lang;
    let s = report.summary();
    let scorables: Vec<_> = report.rules.scorables().collect();
    let criteria = report
        .outcomes
        .iter()
        .filter_map(|o| {
            let (area, sc) = scorables.iter().find(|(_, s)| s.id == o.id)?;
            let est = report.score.of(&o.id);
            Some(WireCriterion {
                estimated_points: est.and_then(|e| e.points).map(round2),
                method: est.map_or(sc.method.name(), |e| e.method),
                basis: est.map_or("", |e| e.basis.get(lang)),
                id: &o.id,
                title: &sc.title,
                area: &area.id,
                max_points: sc.max_points,
                status: o.status,
                points_at_risk: round2(o.points_at_risk),
                files: &o.files,
            })
        })
        .collect();
    let wire = Wire {
        tool: "tlkc",
        version: VERSION,
        schema: SCHEMA,
        ruleset: WireRuleset {
            id: &report.rules.framework.id,
            title: &report.rules.framework.title,
            year: report.rules.framework.year,
            source: &report.rules.source,
        },
        unit: report.unit.as_deref(),
        root: &report.root,
        as_of: report.as_of.format("%Y-%m-%d").to_string(),
        ready: s.errors == 0,
        summary: WireSummary {
            files: s.files,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            waived: s.waived,
            points_at_risk: s.points_at_risk,
            score: WireScore {
                estimated: round2(report.score.estimated),
                max: round2(report.score.max),
                not_estimated: report
                    .score
                    .not_estimated
                    .iter()
                    .map(String::as_str)
                    .collect(),
                pending: report
                    .score
                    .pending
                    .iter()
                    .map(|(c, p)| WirePending {
                        criterion: c,
                        points: round2(*p),
                    })
                    .collect(),
            },
            grade: report.score.grade.as_deref(),
            index: report.index.map(|c| WireIndex {
                hashed: c.hashed,
                inspected: c.inspected,
                reused: c.reused,
            }),
        },
        criteria,
        findings: WireFindings {
            findings: &report.findings,
            lang,
        },
        what_if: report
            .score
            .fixes
            .iter()
            .map(|f| WireFix {
                criterion: &f.criterion,
                findings: f.findings,
                files: f.files,
                documents: f.documents,
                points: round2(f.points),
            })
            .collect(),
        tasks: wire_tasks(report),
        explanations: opts
            .explanations
            .then(|| super::explain_draft::drafts(report)),
    };
    serde_json::to_writer_pretty(&mut *out, &wire).map_err(io::Error::other)?;
    writeln!(out)
}

fn wire_tasks(report: &Report) -> Vec<WireTask<'_>> {
    use crate::checks::tasks::TaskStatus as S;
    let mut out = Vec::new();
    for r in &report.tasks {
        for t in &r.tasks {
            let (status, reply, released, days_late) = match &t.status {
                S::OnTime { reply, date } => ("on_time", Some(reply.as_str()), Some(*date), None),
                S::Late { reply, date, days } => {
                    ("late", Some(reply.as_str()), Some(*date), Some(*days))
                }
                S::Missing => ("missing", None, None, None),
                S::Pending => ("pending", None, None, None),
                S::Undated { reply } => ("undated", Some(reply.as_str()), None, None),
            };
            out.push(WireTask {
                criterion: &r.criterion,
                number: &t.number,
                deadline: t.deadline.format("%Y-%m-%d").to_string(),
                status,
                reply,
                released: released.map(|d| d.format("%Y-%m-%d").to_string()),
                days_late,
            });
        }
    }
    out
}
