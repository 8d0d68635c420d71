//! SARIF 2.1.0 (`--format sarif`) for code-scanning platforms. Rules come
//! from the check registry; a finding without a file
//! points at its sub-criterion's table in the ruleset, because platforms
//! reject results without a location.

use std::io::{self, Write};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{ci_location, escape};
use crate::checks::registry;
use crate::findings::{Diag, Finding, Lang, Severity};
use crate::run::Report;
use crate::VERSION;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(d: &Diag, lang: Lang) -> Value {
    let explanation = d.explain.get(lang);
    json!({
        "id": d.code.as_str(),
        "name": d.name,
        "shortDescription": { "text": d.summary.get(lang) },
        "fullDescription": { "text": explanation },
        "help": { "text": explanation },
        "defaultConfiguration": { "level": level(d.severity) },
    })
}

/// Stable across runs and renames: the code plus the file's content hash,
/// or the sub-criterion (and message digest, so two findings of one
/// sub-criterion stay apart) when no file is involved.
fn fingerprint(report: &Report, f: &Finding) -> String {
    let sha = f.path.as_deref().and_then(|p| {
        report
            .files
            .iter()
            .find(|x| x.path == p && !x.sha256.is_empty())
            .map(|x| x.sha256.as_str())
    });
    match sha {
        Some(sha) => format!("{}:{sha}", f.code),
        None => {
            let digest = Sha256::digest(f.message.en.as_bytes());
            let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            format!(
                "{}:{}:{short}",
                f.code,
                f.criterion.as_deref().or(f.path.as_deref()).unwrap_or("-")
            )
        }
    }
}

pub fn to_value(report: &Report, lang: Lang) -> Value {
    let diags = registry::diags();
    let rules: Vec<Value> = diags.iter().map(|d| rule(d, lang)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let (uri, line) = ci_location(report, f);
            let mut physical = json!({ "artifactLocation": { "uri": escape::uri_path(&uri) } });
            if let Some(line) = line {
                physical["region"] = json!({ "startLine": line.max(1) });
            }
            let index = diags.iter().position(|d| d.code == f.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message.get(lang) },
                "locations": [{ "physicalLocation": physical }],
                "partialFingerprints": { "tlkcFinding/v1": fingerprint(report, f) },
            });
            if let Some(c) = &f.criterion {
                result["properties"] = json!({ "criterion": c, "points": f.points });
            }
            if let Some(w) = &f.waived {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.reason,
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tlkc",
                "version": VERSION,
                "semanticVersion": VERSION,
                "rules": rules,
            }},
            "language": match lang { Lang::Vi => "vi-VN", Lang::En => "en-US" },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "ruleset": report.rules.framework.id,
                "asOf": report.as_of.format("%Y-%m-%d").to_string(),
                "ready": report.ready(),
                "pointsAtRisk": report.summary().points_at_risk,
                "score": {
                    "estimated": crate::run::round2(report.score.estimated),
                    "max": crate::run::round2(report.score.max),
                    "notEstimated": report.score.not_estimated,
                },
                "whatIf": report.score.fixes.iter().map(|f| json!({
                    "criterion": f.criterion,
                    "findings": f.findings,
                    "points": crate::run::round2(f.points),
                })).collect::<Vec<_>>(),
            },
        }],
    })
}

pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report, lang)).map_err(io::Error::other)?;
    writeln!(out)
}
