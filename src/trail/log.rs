//! `tlkc log`: the ledger, filtered by path and date.

use chrono::NaiveDate;
use serde_json::Value;

use super::TrailError;
use crate::index::ledger::{self, Event};
use crate::index::Index;

pub struct LogFilter {
    pub path: Option<String>,
    pub since: Option<NaiveDate>,
}

/// Is the event about `path`: a file event for it, or a submission containing it?
fn mentions(e: &Event, path: &str) -> bool {
    if e.details.get("path").and_then(Value::as_str) == Some(path) {
        return true;
    }
    e.details
        .get("files")
        .and_then(Value::as_array)
        .is_some_and(|fs| {
            fs.iter()
                .any(|f| f.get("path").and_then(Value::as_str) == Some(path))
        })
}

/// Events matching `filter`, newest first. `since` compares the Vietnam date.
pub fn log_events(index: &Index, filter: &LogFilter) -> Result<Vec<Event>, TrailError> {
    let mut evs = ledger::events(index.conn())?;
    evs.retain(|e| {
        filter.path.as_deref().is_none_or(|p| mentions(e, p))
            && filter.since.is_none_or(|d| {
                chrono::DateTime::parse_from_rfc3339(&e.local)
                    .map(|t| t.date_naive() >= d)
                    .unwrap_or(true)
            })
    });
    evs.reverse();
    Ok(evs)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{stamp, Fixture};
    use super::*;
    use crate::index::ledger::Kind;

    #[test]
    fn filters_by_path_and_date_newest_first() {
        let mut f = Fixture::new(&[]);
        let early = stamp(1);
        let late = crate::index::ledger::Stamp {
            utc: early.utc + chrono::Duration::days(3),
            actor: "tester".into(),
        };
        f.index
            .record(
                &early,
                Kind::FirstSeen,
                serde_json::json!({"path": "a.pdf"}),
            )
            .unwrap();
        f.index
            .record(&late, Kind::FirstSeen, serde_json::json!({"path": "b.pdf"}))
            .unwrap();
        f.index
            .record(
                &late,
                Kind::Submission,
                serde_json::json!({"files": [{"path": "a.pdf"}]}),
            )
            .unwrap();
        let all = LogFilter {
            path: None,
            since: None,
        };
        let seqs: Vec<i64> = log_events(&f.index, &all)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [3, 2, 1]);
        let about_a = LogFilter {
            path: Some("a.pdf".into()),
            since: None,
        };
        let seqs: Vec<i64> = log_events(&f.index, &about_a)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(
            seqs,
            [3, 1],
            "the submission containing a.pdf, and its first_seen"
        );
        let recent = LogFilter {
            path: None,
            since: Some(late.utc.date_naive()),
        };
        assert_eq!(log_events(&f.index, &recent).unwrap().len(), 2);
    }
}
