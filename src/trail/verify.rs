//! `tlkc verify`: the whole chain, then every file of the latest
//! submission read and hashed again (the index is never consulted for
//! them), then the stored reports.

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::export::stored_reports;
use super::{locate, TrailError};
use crate::discover::Discovery;
use crate::hash::sha256_hex;
use crate::index::ledger::verify::{verify_chain, ChainReport};
use crate::index::ledger::{self, Kind, Stamp};
use crate::index::Index;

/// A file of the latest submission that is not there as submitted.
#[derive(Debug, Clone, Serialize)]
pub struct FileFault {
    pub path: String,
    /// Current SHA-256, `None` when the file is missing or unreadable.
    pub found: Option<String>,
    pub expected: String,
}

/// What `tlkc verify` found: the chain, the files, the stored reports.
#[derive(Debug, Default)]
pub struct Verification {
    pub chain: ChainReport,
    pub submission: Option<u64>,
    pub files_checked: usize,
    pub file_faults: Vec<FileFault>,
    pub reports_ok: bool,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.chain.intact() && self.file_faults.is_empty() && self.reports_ok
    }
}

/// Check the chain and re-hash every file of the latest submission; log a `verification` event.
pub fn verify(
    index: &mut Index,
    stamp: &Stamp,
    root: &Path,
    d: &Discovery,
) -> Result<Verification, TrailError> {
    let chain = verify_chain(index.conn())?;
    let mut v = Verification {
        chain,
        reports_ok: true,
        ..Default::default()
    };
    // A ledger whose submission rows were edited may not even parse: the chain fault names them.
    let sub = ledger::submission(index.conn(), None).unwrap_or(None);
    if let Some(sub) = &sub {
        v.submission = Some(sub.details.submission);
        for f in &sub.details.files {
            v.files_checked += 1;
            let found = std::fs::read(locate(root, d, &f.path))
                .ok()
                .map(|b| sha256_hex(&b));
            if found.as_deref() != Some(f.sha256.as_str()) {
                v.file_faults.push(FileFault {
                    path: f.path.clone(),
                    found,
                    expected: f.sha256.clone(),
                });
            }
        }
        v.reports_ok = stored_reports(index, sub).is_ok();
    }
    let details = json!({
        "ok": v.ok(),
        "chain_intact": v.chain.intact(),
        "events": v.chain.events,
        "head_seq": v.chain.head.as_ref().map(|h| h.0),
        "head_hash": v.chain.head.as_ref().map(|h| h.1.clone()),
        "chain_faults": v.chain.faults.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        "submission": v.submission,
        "files_checked": v.files_checked,
        "file_faults": v.file_faults.iter().map(|f| f.path.clone()).collect::<Vec<_>>(),
        "reports_ok": v.reports_ok,
    });
    index.record(stamp, Kind::Verification, details)?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::super::record_submission;
    use super::super::testing::{stamp, Fixture};
    use super::*;

    fn run_verify(f: &mut Fixture, minute: u32) -> Verification {
        let input = f.input();
        let d = crate::discover::discover(&input.root, &input.rules, &input.config).unwrap();
        verify(&mut f.index, &stamp(minute), &input.root, &d).unwrap()
    }

    #[test]
    fn names_changed_files_and_tampered_reports() {
        let mut f = Fixture::new(&[("a.txt", b"alpha"), ("b.txt", b"bravo")]);
        let st = stamp(1);
        let v = run_verify(&mut f, 1);
        assert!(v.ok() && v.submission.is_none(), "empty ledger verifies");
        let run = f.submit_check(1);
        record_submission(&mut f.index, &st, &run, "n", false, "{}".into(), "t".into()).unwrap();
        let v = run_verify(&mut f, 2);
        assert!(v.ok(), "{v:?}");
        assert_eq!(v.files_checked, 2);
        f.write("b.txt", b"BRAVO");
        let v = run_verify(&mut f, 3);
        assert!(!v.ok());
        assert_eq!(v.file_faults.len(), 1);
        assert_eq!(v.file_faults[0].path, "b.txt");
        assert_eq!(
            v.file_faults[0].found.as_deref(),
            Some(sha256_hex(b"BRAVO").as_str())
        );
        f.index
            .conn()
            .execute("UPDATE submission_reports SET report_txt = 'x'", [])
            .unwrap();
        let v = run_verify(&mut f, 4);
        assert!(!v.reports_ok);
        assert!(v.chain.intact(), "the chain itself still holds");
    }
}
