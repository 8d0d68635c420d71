//! `tlkc diff`: the folder now against a submission.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::{find_submission, TrailError};
use crate::discover::Discovery;
use crate::facts::SubmittedFile;
use crate::hash::sha256_hex;
use crate::index::stat;
use crate::index::store::{load_files, trusted_hash};
use crate::index::Index;

/// Files added, changed and removed since a submission.
#[derive(Debug, Default, Serialize)]
pub struct Diff {
    pub submission: u64,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The folder now against submission `n` (latest when `None`). Reads the
/// index but writes nothing: a file the index vouches for (its own index,
/// stat data unchanged, row not racy) is not read again.
pub fn diff(
    index: &Index,
    root: &std::path::Path,
    d: &Discovery,
    n: Option<u64>,
) -> Result<Diff, TrailError> {
    let sub = find_submission(index, n)?;
    // An index written for another folder or elsewhere vouches for nothing.
    let rows = if index.is_own(root)? {
        load_files(index.conn())?
    } else {
        BTreeMap::new()
    };
    let submitted: BTreeMap<&str, &SubmittedFile> = sub
        .details
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mut out = Diff {
        submission: sub.details.submission,
        ..Default::default()
    };
    for e in d
        .files
        .iter()
        .filter(|e| !crate::index::is_index_file(&index.path, &e.abs))
    {
        let Some(s) = submitted.get(e.rel.as_str()) else {
            out.added.push(e.rel.clone());
            continue;
        };
        let vouched = stat::stat(&e.abs)
            .ok()
            .and_then(|now| trusted_hash(&now, rows.get(&e.rel)));
        let now = vouched.or_else(|| std::fs::read(&e.abs).ok().map(|b| sha256_hex(&b)));
        if now.as_deref() == Some(s.sha256.as_str()) {
            out.unchanged += 1;
        } else {
            out.changed.push(e.rel.clone());
        }
    }
    let present: HashSet<&str> = d.files.iter().map(|e| e.rel.as_str()).collect();
    out.removed = submitted
        .keys()
        .filter(|p| !present.contains(**p))
        .map(|p| p.to_string())
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::record_submission;
    use super::super::testing::{stamp, Fixture};
    use super::*;

    #[test]
    fn names_added_changed_removed() {
        let mut f = Fixture::new(&[("a.txt", b"alpha"), ("b.txt", b"bravo"), ("c.txt", b"c")]);
        let st = stamp(1);
        let run = f.submit_check(1);
        record_submission(&mut f.index, &st, &run, "n", false, "{}".into(), "t".into()).unwrap();
        f.write("b.txt", b"BRAVO");
        std::fs::remove_file(f.root().join("c.txt")).unwrap();
        f.write("d.txt", b"delta");
        let input = f.input();
        let d = crate::discover::discover(&input.root, &input.rules, &input.config).unwrap();
        let diff = diff(&f.index, &f.root(), &d, None).unwrap();
        assert_eq!(diff.added, ["d.txt"]);
        assert_eq!(diff.changed, ["b.txt"]);
        assert_eq!(diff.removed, ["c.txt"]);
        assert_eq!(diff.unchanged, 1);
        assert!(!diff.is_empty());
        assert!(matches!(
            super::super::diff(&f.index, &f.root(), &d, Some(9)),
            Err(TrailError::NoSuchSubmission(9))
        ));
    }
}
