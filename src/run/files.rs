//! `tlkc inspect FILE…`: files judged on their own, without a folder or a
//! ruleset — the file, document and signature checks only.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use crate::checks;
use crate::facts::FileFacts;
use crate::findings::Finding;
use crate::inspect::InspectOptions;

/// The facts of each file and what the checks say of it on `today`: its
/// date is judged against its own year (the evaluated year is unknown),
/// its signatures against the default algorithm policy.
pub fn inspect_files(
    paths: &[PathBuf],
    opts: &InspectOptions,
    today: NaiveDate,
) -> Vec<(FileFacts, Vec<Finding>)> {
    crate::inspect::guard::inspect_paths(paths, opts)
        .into_iter()
        .map(|f| {
            let mut problems = Vec::new();
            checks::pdf::check(&f, &mut problems);
            let year = f.document.date.map(|d| d.year()).unwrap_or(0);
            checks::document::check(&f, year, &mut problems);
            checks::signature::check(
                &f,
                &crate::rules::AlgorithmPolicy::default(),
                today,
                &mut problems,
            );
            (f, problems)
        })
        .collect()
}
