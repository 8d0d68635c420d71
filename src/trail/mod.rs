//! The audit trail: what a check is recorded as (submit), and what the
//! ledger says back (log, diff, verify, export): index + ledger + bag.
//! The trail runs no check — [`crate::run::check`] does, and the trail
//! records it. Human renderings of what it returns live in
//! `report::trail`.

pub(crate) mod diff;
pub(crate) mod export;
pub(crate) mod log;
pub(crate) mod submit;
pub(crate) mod verify;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::bag::BagError;
use crate::discover::Discovery;
use crate::index::ledger::{self, Submission};
use crate::index::{Index, IndexError};
use crate::run::RunError;

pub use diff::{diff, Diff};
pub use export::{export, ExportRequest};
pub use log::{log_events, LogFilter};
pub use submit::record_submission;
pub use verify::{verify, Verification};

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
    /// The index folder or database is a symbolic link.
    #[error("{path} is a symbolic link: tlkc does not open an index through a link, as it may be another folder's. Remove the link (tlkc check then makes this folder's own index) and run again.")]
    Linked { path: String },
    /// A command that reads the ledger on a folder never checked.
    #[error("{db}: no index yet; run `tlkc check` or `tlkc submit` on {dir} first")]
    NoIndex { db: String, dir: String },
    /// The index could not be opened.
    #[error("{db}")]
    Open {
        db: String,
        #[source]
        source: IndexError,
    },
}

/// `--db`, else `DIR/.tlkc/tlkc.db`.
pub fn db_path(dir: &Path, explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::index::default_path(dir))
}

/// The index of evidence folder `dir` (`--db` when given), created when
/// missing; never through a symbolic link (that ledger is not this folder's).
pub fn open_index(dir: &Path, explicit: Option<&Path>) -> Result<Index, TrailError> {
    crate::run::must_be_folder(dir)?;
    match Index::open_for(dir, explicit) {
        Ok(index) => Ok(index),
        Err(IndexError::Symlinked { path }) => Err(TrailError::Linked { path }),
        Err(source) => Err(TrailError::Open {
            db: db_path(dir, explicit).display().to_string(),
            source,
        }),
    }
}

/// [`open_index`] for the commands that read the ledger: the index must
/// already exist, they never create one.
pub fn existing_index(dir: &Path, explicit: Option<&Path>) -> Result<Index, TrailError> {
    let db = db_path(dir, explicit);
    // symlink_metadata: a dangling link is "there" and refused by the opening.
    if std::fs::symlink_metadata(&db).is_err() {
        crate::run::must_be_folder(dir)?;
        return Err(TrailError::NoIndex {
            db: db.display().to_string(),
            dir: dir.display().to_string(),
        });
    }
    open_index(dir, explicit)
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
    use crate::run::{CheckInput, CheckRun, IndexChoice};

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
        /// The check `submit` decides on: every file read and hashed, no fixity.
        pub fn submit_check(&mut self, minute: u32) -> CheckRun {
            let mut input = self.input();
            input.stamp = stamp(minute);
            input.rehash = true;
            input.fixity = false;
            crate::run::check_in(&input, Some(&mut self.index), &|_| {}).expect("check")
        }
    }

    pub fn input_for(root: &Path) -> CheckInput {
        CheckInput {
            root: root.to_path_buf(),
            rules: crate::rules::load_str(TINY_RULES, "tiny.toml").expect("rules"),
            config: FolderConfig::default(),
            as_of: NaiveDate::from_ymd_opt(2022, 12, 31).expect("date"),
            inspect: Default::default(),
            index: IndexChoice::None,
            stamp: stamp(0),
            rehash: false,
            fixity: true,
            notices: Vec::new(),
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
