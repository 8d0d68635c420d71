//! The audit-trail commands (check with the index, submit, log, diff,
//! verify, export): index + ledger + bag. Human renderings of what they
//! return live in [`crate::report::trail`]; this module decides and records.

pub mod diff;
pub mod export;
pub mod log;
pub mod submit;
pub mod verify;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use crate::bag::BagError;
use crate::discover::Discovery;
use crate::index::ledger::{self, Kind, Stamp, Submission};
use crate::index::store::CachedStage;
use crate::index::{Index, IndexError};
use crate::run::{self, CheckInput, Report, RunError};

pub use crate::report::trail::{Diff, FileFault, Verification};
pub use diff::diff;
pub use export::{export, ExportRequest};
pub use log::{log_events, LogFilter};
pub use submit::{check_for_submission, record_submission};
pub use verify::verify;

#[derive(Debug, thiserror::Error)]
pub enum TrailError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Bag(#[from] BagError),
    #[error("no submission recorded yet: run `tlkc submit` first")]
    NoSubmission,
    #[error("no submission number {0} in the ledger")]
    NoSuchSubmission(u64),
    #[error("{0}: cannot be read, so what is submitted cannot be recorded")]
    Unreadable(String),
    #[error("the reports stored for submission {0} do not match the ledger (SHA-256 differs); run `tlkc verify`")]
    ReportTampered(u64),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// `--db`, else `DIR/.tlkc/tlkc.db`.
pub fn db_path(dir: &Path, explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::index::default_path(dir))
}

/// What an indexed check produced besides the report.
pub struct IndexedRun {
    pub report: Report,
    /// (path, criteria) of every file checked.
    pub filed: Vec<(String, Vec<String>)>,
    pub check_seq: i64,
}

/// `tlkc check` with the index: cached inspection, FIX001/FIX002 against the
/// last submission (when `fixity`), and a `check_run` event. The index is
/// claimed for `input.root` first, so an index written for another folder or
/// on another machine is never trusted (FIX003); every caller gets this.
/// Submissions recorded before the index changed hands were made for the
/// other folder: they are not this folder's last submission.
pub fn indexed_check(
    input: &CheckInput,
    index: &mut Index,
    stamp: &Stamp,
    rehash: bool,
    fixity: bool,
    observe: &(dyn Fn(crate::inspect::guard::Progress) + Sync),
) -> Result<IndexedRun, TrailError> {
    // Asked before the claim below: an index about to be taken over holds
    // only the other folder's submissions.
    let last = if fixity && !index.is_foreign(&input.root)? {
        ledger::own_last_submission(index.conn())?.map(|s| s.last())
    } else {
        None
    };
    let mut stage = CachedStage::new(index, stamp, &input.root, rehash);
    let report = run::check_with(input, &mut stage, last.as_ref(), observe)?;
    let filed = std::mem::take(&mut stage.filed);
    let s = report.summary();
    let details = json!({
        "ruleset": report.rules.framework.id,
        "as_of": report.as_of.format("%Y-%m-%d").to_string(),
        "files": s.files,
        "errors": s.errors,
        "warnings": s.warnings,
        "infos": s.infos,
        "points_at_risk": format!("{:.2}", s.points_at_risk),
        "ready": report.ready(),
        "last_submission": last.as_ref().map(|l| l.number),
        "installation": index.installation()?,
    });
    let ev = index.record(stamp, Kind::CheckRun, details)?;
    Ok(IndexedRun {
        report,
        filed,
        check_seq: ev.seq,
    })
}

/// Serialized first, so that a closed pipe surfaces as the plain io error
/// `main` recognises rather than wrapped in a serde error.
pub fn write_json<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

/// Submission `n`, or the latest when `None`.
fn find_submission(index: &Index, n: Option<u64>) -> Result<Submission, TrailError> {
    match ledger::submission(index.conn(), n)? {
        Some(s) => Ok(s),
        None => Err(match n {
            Some(n) => TrailError::NoSuchSubmission(n),
            None => TrailError::NoSubmission,
        }),
    }
}

/// Where a recorded path is now: discovery's map first (names on disk may be NFD).
fn locate(root: &Path, d: &Discovery, rel: &str) -> PathBuf {
    d.files
        .iter()
        .find(|e| e.rel == rel)
        .map(|e| e.abs.clone())
        .unwrap_or_else(|| rel.split('/').fold(root.to_path_buf(), |p, c| p.join(c)))
}

#[cfg(test)]
pub(crate) mod testing {
    //! A folder, a tiny ruleset and an index for the unit tests of the trail.

    use std::path::{Path, PathBuf};

    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::config::FolderConfig;
    use crate::index::ledger::Stamp;
    use crate::index::Index;
    use crate::run::CheckInput;

    pub const TINY_RULES: &str = r#"
[framework]
id = "tiny-test"
title = "Tiny test ruleset"
year = 2022
level = "huyện"
province = "Test"

[[area]]
id = "1"
title = "Area"
max_points = 1

[[area.criterion]]
id = "1.1"
title = "Statistics only"
max_points = 1
statistics = "system data"
"#;

    pub struct Fixture {
        pub tmp: tempfile::TempDir,
        pub index: Index,
    }

    impl Fixture {
        pub fn new(files: &[(&str, &[u8])]) -> Fixture {
            let tmp = tempfile::tempdir().expect("tempdir");
            let root = tmp.path().join("ev");
            std::fs::create_dir_all(&root).expect("mkdir");
            for (rel, bytes) in files {
                std::fs::write(root.join(rel), bytes).expect("write");
            }
            let index = Index::open(&crate::index::default_path(&root)).expect("index");
            Fixture { tmp, index }
        }
        pub fn root(&self) -> PathBuf {
            self.tmp.path().join("ev")
        }
        pub fn write(&self, rel: &str, bytes: &[u8]) {
            std::fs::write(self.root().join(rel), bytes).expect("write");
        }
        pub fn input(&self) -> CheckInput {
            input_for(&self.root())
        }
    }

    pub fn input_for(root: &Path) -> CheckInput {
        CheckInput {
            root: root.to_path_buf(),
            rules: crate::rules::load_str(TINY_RULES, "tiny.toml").expect("rules"),
            config: FolderConfig::default(),
            as_of: NaiveDate::from_ymd_opt(2022, 12, 31).expect("date"),
            inspect: Default::default(),
        }
    }

    pub fn stamp(minute: u32) -> Stamp {
        Stamp {
            utc: Utc
                .with_ymd_and_hms(2030, 1, 2, 3, minute, 0)
                .single()
                .expect("time"),
            actor: "tester".into(),
        }
    }
}
