//! `tlkc submit`: the record of the check a submission is decided on.
//!
//! What gets recorded is read now: the check behind a submission
//! ([`crate::run::check_in`] with `rehash` and without `fixity`) hashes
//! every file in the same run, whatever the index says, so a file whose
//! bytes changed behind unchanged stat data is recorded with the hash it
//! has, and judged on facts of those bytes. A new submission is how a
//! changed folder is put right, so it is not judged against the last one.

use std::collections::BTreeMap;

use crate::facts::SubmittedFile;
use crate::hash::sha256_hex;
use crate::index::ledger::{Kind, Stamp, SubmissionDetails};
use crate::index::Index;
use crate::index::IndexError;
use crate::run::CheckRun;

use super::TrailError;

/// Record a submission of exactly the files of `run`. The caller has
/// already decided it may be made (no blocking finding, or `--force`).
pub fn record_submission(
    index: &mut Index,
    stamp: &Stamp,
    run: &CheckRun,
    note: &str,
    forced: bool,
    report_json: String,
    report_txt: String,
) -> Result<SubmissionDetails, TrailError> {
    let files = submitted_files(run)?;
    let s = run.report.summary();
    let mut details = SubmissionDetails {
        submission: 0,
        note: note.to_string(),
        ruleset: run.report.rules.framework.id.clone(),
        as_of: run.report.as_of.format("%Y-%m-%d").to_string(),
        forced,
        errors: s.errors as u64,
        warnings: s.warnings as u64,
        points_at_risk: format!("{:.2}", s.points_at_risk),
        files,
        report_json_sha256: sha256_hex(report_json.as_bytes()),
        report_txt_sha256: sha256_hex(report_txt.as_bytes()),
    };
    index.record_with(stamp, Kind::Submission, |tx| {
        // Numbered under the write lock so two submitters cannot take the same number.
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM events WHERE kind = ?1",
            [Kind::Submission.as_str()],
            |r| r.get(0),
        )?;
        details.submission = n as u64 + 1;
        tx.execute(
            "INSERT OR REPLACE INTO submission_reports (submission, report_json, report_txt) VALUES (?1, ?2, ?3)",
            rusqlite::params![details.submission as i64, report_json, report_txt],
        )?;
        serde_json::to_value(&details).map_err(|e| IndexError::Corrupt {
            what: "submission".into(),
            message: e.to_string(),
        })
    })?;
    Ok(details)
}

/// Every file of the run with the hash it was read with and its filing.
fn submitted_files(run: &CheckRun) -> Result<Vec<SubmittedFile>, TrailError> {
    let criteria: BTreeMap<&str, &Vec<String>> =
        run.filed.iter().map(|(p, c)| (p.as_str(), c)).collect();
    run.report
        .files
        .iter()
        .map(|f| {
            if f.sha256.is_empty() {
                return Err(TrailError::Unreadable(f.path.clone()));
            }
            Ok(SubmittedFile {
                path: f.path.clone(),
                sha256: f.sha256.clone(),
                size: f.size,
                criteria: criteria
                    .get(f.path.as_str())
                    .map(|c| (*c).clone())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{stamp, Fixture};
    use super::*;

    fn submit(f: &mut Fixture, minute: u32) -> SubmissionDetails {
        let st = stamp(minute);
        let run = f.submit_check(minute);
        record_submission(
            &mut f.index,
            &st,
            &run,
            "note",
            false,
            "{}".into(),
            "txt".into(),
        )
        .expect("record")
    }

    #[test]
    fn submissions_are_numbered_and_record_what_was_read() {
        let mut f = Fixture::new(&[("a.txt", b"alpha")]);
        let first = submit(&mut f, 1);
        assert_eq!(first.submission, 1);
        assert_eq!(first.files[0].sha256, sha256_hex(b"alpha"));
        // Same size, and the mtime put back: only the change time moved.
        let p = f.root().join("a.txt");
        let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
        f.write("a.txt", b"alpHa");
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let second = submit(&mut f, 2);
        assert_eq!(second.submission, 2);
        assert_eq!(second.files[0].sha256, sha256_hex(b"alpHa"));
    }

    #[test]
    fn submit_reads_every_file_even_when_the_index_vouches() {
        let mut f = Fixture::new(&[("a.txt", b"alpha"), ("b.txt", b"bravo")]);
        let mut input = f.input();
        input.stamp = stamp(1);
        crate::run::check_in(&input, Some(&mut f.index), &|_| {}).unwrap();
        let run = f.submit_check(2);
        let c = run.report.index.expect("counters");
        assert_eq!((c.hashed, c.inspected, c.reused), (2, 0, 2));
    }
}
