//! The Sở's view: `tlkc check --units` made of each unit's latest stored
//! report, without checking anything again. A unit's JSON report carries
//! all a [`Digest`] keeps (numbers, per sub-criterion status and points,
//! active error codes); units that have not uploaded yet are listed as
//! not checked, with the reason.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::findings::{Code, Status};
use crate::run::units::ranking::{
    CriterionDigest, Digest, Score, UnitOutcome, UnitResult, UnitsReport,
};
use crate::run::Summary;

use super::db::{self, Unit};
use super::ServerError;

pub const NOT_UPLOADED: &str = "Chưa tải lên tài liệu kiểm chứng";

/// The digest of a single-run JSON report (`tlkc check --format json`).
pub fn digest_of_json(v: &Value) -> Option<Digest> {
    let s = v.get("summary")?;
    let num = |k: &str| s.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let summary = Summary {
        files: num("files"),
        errors: num("errors"),
        warnings: num("warnings"),
        infos: num("infos"),
        waived: num("waived"),
        points_at_risk: s
            .get("points_at_risk")
            .and_then(Value::as_f64)
            .unwrap_or(0.0),
    };
    let mut errors: BTreeMap<String, BTreeMap<Code, usize>> = BTreeMap::new();
    for f in v.get("findings")?.as_array()? {
        let active = f.get("waived").is_none_or(Value::is_null);
        if f.get("severity").and_then(Value::as_str) != Some("error") || !active {
            continue;
        }
        let (Some(c), Some(code)) = (
            f.get("criterion").and_then(Value::as_str),
            f.get("code")
                .and_then(Value::as_str)
                .and_then(|c| c.parse::<Code>().ok()),
        ) else {
            continue;
        };
        *errors
            .entry(c.to_string())
            .or_default()
            .entry(code)
            .or_default() += 1;
    }
    let criteria = v
        .get("criteria")?
        .as_array()?
        .iter()
        .filter_map(|c| {
            let id = c.get("id")?.as_str()?.to_string();
            Some(CriterionDigest {
                title: c.get("title")?.as_str()?.to_string(),
                status: status(c.get("status")?.as_str()?)?,
                points_at_risk: c.get("points_at_risk")?.as_f64()?,
                errors: errors.remove(&id).unwrap_or_default(),
                id,
            })
        })
        .collect();
    let score = s
        .get("score")
        .and_then(|sc| serde::Deserialize::deserialize(sc).ok())
        .map(|sc: Score| sc);
    Some(Digest {
        unit: v
            .get("unit")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        ruleset_id: v.pointer("/ruleset/id")?.as_str()?.to_string(),
        ruleset_title: v.pointer("/ruleset/title")?.as_str()?.to_string(),
        as_of: chrono::NaiveDate::parse_from_str(v.get("as_of")?.as_str()?, "%Y-%m-%d").ok()?,
        summary,
        summary_json: s.clone(),
        score,
        criteria,
    })
}

fn status(s: &str) -> Option<Status> {
    Some(match s {
        "ok" => Status::Ok,
        "failing" => Status::Failing,
        "pending" => Status::Pending,
        "not_checkable" => Status::NotCheckable,
        _ => return None,
    })
}

/// The province report: every unit, its latest checked upload or why not.
pub fn report(c: &rusqlite::Connection) -> Result<(UnitsReport, Vec<Unit>), ServerError> {
    let units = db::units(c)?;
    let latest: BTreeMap<i64, (i64, String)> = db::latest_reports(c)?
        .into_iter()
        .map(|(unit, upload, json)| (unit, (upload, json)))
        .collect();
    let results = units
        .iter()
        .map(|u| {
            let (outcome, link) = match latest.get(&u.id) {
                Some((upload, json)) => {
                    let parsed = serde_json::from_str::<Value>(json).ok();
                    match parsed.as_ref().and_then(digest_of_json) {
                        Some(d) => (
                            UnitOutcome::Checked(Box::new(d)),
                            Some(format!("/units/{}/uploads/{upload}/report.html", u.slug)),
                        ),
                        None => (
                            UnitOutcome::Failed("báo cáo lưu không đọc được".into()),
                            None,
                        ),
                    }
                }
                None => (UnitOutcome::Failed(NOT_UPLOADED.into()), None),
            };
            UnitResult {
                name: u.name.clone(),
                root: format!("/units/{}", u.slug),
                outcome,
                report_file: link.clone(),
                report_link: link,
            }
        })
        .collect();
    Ok((UnitsReport::new(results), units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_reads_what_the_json_report_says() {
        let v = serde_json::json!({
            "unit": "UBND xã A", "as_of": "2022-11-30",
            "ruleset": {"id": "r", "title": "R"},
            "summary": {"files": 3, "errors": 1, "warnings": 0, "infos": 0, "waived": 0,
                        "points_at_risk": 1.5, "score": {"estimated": 10.0, "max": 12.0, "not_estimated": []}},
            "criteria": [{"id": "1.1", "title": "T", "status": "failing", "points_at_risk": 1.5}],
            "findings": [{"code": "SIG001", "severity": "error", "criterion": "1.1"},
                         {"code": "SIG001", "severity": "error", "criterion": "1.1", "waived": {"reason": "x"}}]
        });
        let d = digest_of_json(&v).unwrap();
        assert_eq!(d.unit.as_deref(), Some("UBND xã A"));
        assert_eq!(d.summary.errors, 1);
        assert_eq!(d.score.as_ref().unwrap().estimated, 10.0);
        assert_eq!(d.criteria[0].status, Status::Failing);
        assert_eq!(d.criteria[0].errors.values().sum::<usize>(), 1);
    }
}
