//! The index: a SQLite database (default `DIR/.tlkc/tlkc.db`) holding the
//! last known state of every evidence file, the inspection facts cached by
//! content, and the ledger (see [`crate::index::ledger`]).

pub(crate) mod judged;
pub(crate) mod ledger;
pub(crate) mod owner;
pub(crate) mod schema;
pub(crate) mod stat;
pub(crate) mod store;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::discover::STATE_DIR;
use crate::inspect::{InspectOptions, TrustAnchors};
use ledger::{Event, Kind, Stamp};

pub const DB_FILE: &str = "tlkc.db";

/// Long enough to wait out another tlkc's write transaction on a big folder.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{path}: cannot create the index folder: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot open the index: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    /// The index folder or database is a symbolic link: opening it would
    /// write wherever the link points (another unit's ledger, a file the
    /// link names but that does not exist yet).
    #[error("{path}: is a symbolic link; tlkc never opens its index through a link")]
    Symlinked { path: String },
    #[error("the index was written by a newer tlkc (schema {found}, this tlkc knows up to {supported}); upgrade tlkc — the index was left untouched")]
    TooNew { found: i64, supported: i64 },
    #[error("the index is busy: another tlkc is writing to it (waited {}s); try again when it has finished", BUSY_TIMEOUT.as_secs())]
    Busy,
    #[error("index database: {0}")]
    Sql(rusqlite::Error),
    #[error("index: stored {what} is not valid: {message}")]
    Corrupt { what: String, message: String },
}

impl From<rusqlite::Error> for IndexError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                IndexError::Busy
            }
            _ => IndexError::Sql(e),
        }
    }
}

/// `DIR/.tlkc/tlkc.db`.
pub fn default_path(dir: &Path) -> PathBuf {
    dir.join(STATE_DIR).join(DB_FILE)
}

/// An open index database.
pub struct Index {
    pub(crate) conn: Connection,
    pub path: PathBuf,
}

/// The database files SQLite opens beside `db`: the database and its journals.
fn db_files(db: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    ["", "-wal", "-shm", "-journal"]
        .into_iter()
        .map(move |suffix| {
            let mut name = db.as_os_str().to_os_string();
            name.push(suffix);
            PathBuf::from(name)
        })
}

impl Index {
    /// Open the index of evidence folder `dir`: `explicit` (`--db`) when
    /// given, else `DIR/.tlkc/tlkc.db`. A `.tlkc` that is a symbolic link is
    /// refused ([`IndexError::Symlinked`]), whether or not its target exists.
    pub fn open_for(dir: &Path, explicit: Option<&Path>) -> Result<Index, IndexError> {
        if let Some(db) = explicit {
            return Index::open(db);
        }
        let state = dir.join(STATE_DIR);
        if crate::fsguard::is_symlink(&state) {
            return Err(IndexError::Symlinked {
                path: state.display().to_string(),
            });
        }
        Index::open(&default_path(dir))
    }

    /// Open (creating when absent) the database at `path`, creating its
    /// parent folder. The database and its journals must not be symbolic
    /// links: SQLite would follow one (and create a file at a dangling
    /// link's target).
    pub fn open(path: &Path) -> Result<Index, IndexError> {
        let display = path.display().to_string();
        if let Some(link) = db_files(path).find(|p| crate::fsguard::is_symlink(p)) {
            return Err(IndexError::Symlinked {
                path: link.display().to_string(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| IndexError::CreateDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let open_err = |source| IndexError::Open {
            path: display.clone(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // Before anything that writes: a newer tlkc's database must stay as it is.
        schema::check_not_newer(&conn).map_err(|e| match e {
            IndexError::Sql(source) => open_err(source),
            other => other,
        })?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        }
        // NORMAL in WAL mode loses no committed transaction when the process
        // dies (kill -9); only a power cut may lose the last ones, never consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Append one event to the ledger in its own write transaction.
    pub fn record(
        &mut self,
        stamp: &Stamp,
        kind: Kind,
        details: Value,
    ) -> Result<Event, IndexError> {
        self.record_with(stamp, kind, |_| Ok(details))
    }

    /// [`Index::record`] whose details are built under the write lock, in
    /// the same transaction as the event: what they read from the database
    /// (the next submission number) and write to it (the stored reports)
    /// cannot race another tlkc.
    pub fn record_with(
        &mut self,
        stamp: &Stamp,
        kind: Kind,
        details: impl FnOnce(&Connection) -> Result<Value, IndexError>,
    ) -> Result<Event, IndexError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let details = details(&tx)?;
        let event = ledger::append(&tx, stamp, kind, details)?;
        tx.commit()?;
        Ok(event)
    }
}

/// Is `file` the database at `db` or one of its journals? Only when `--db`
/// points inside the evidence folder, where discovery would otherwise take
/// the index for evidence.
pub fn is_index_file(db: &Path, file: &Path) -> bool {
    let (Some(db_name), Some(name)) = (db.file_name(), file.file_name()) else {
        return false;
    };
    let db_name = db_name.to_string_lossy();
    let name = name.to_string_lossy();
    let ours = ["", "-wal", "-shm", "-journal"]
        .iter()
        .any(|suffix| name == format!("{db_name}{suffix}"));
    if !ours {
        return false;
    }
    let dir = |p: &Path| {
        p.parent()
            .filter(|q| !q.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok()
    };
    dir(db).is_some() && dir(db) == dir(file)
}

/// Fingerprint of everything besides the bytes that shapes inspection facts:
/// cached facts are reused only under the same fingerprint (and tool version).
pub fn options_fingerprint(opts: &InspectOptions) -> String {
    // Destructured in full so that a new option fails to compile here
    // instead of silently sharing cache entries with different facts.
    let InspectOptions { limits, trust, ocr } = opts;
    let TrustAnchors {
        certs_der,
        pinned_sha256,
        intermediates_der,
        missing,
        crls_der,
    } = trust;
    let hashes = |ders: &[Vec<u8>]| {
        let mut v: Vec<String> = ders.iter().map(|c| crate::hash::sha256_hex(c)).collect();
        v.sort();
        v.dedup();
        v
    };
    let certs = hashes(certs_der);
    let mut pinned: Vec<String> = pinned_sha256.iter().map(|p| p.to_lowercase()).collect();
    pinned.sort();
    pinned.dedup();
    let value = serde_json::json!({
        "build": build_identity(),
        "limits": limits,
        "trust_certs": certs,
        "trust_pinned": pinned,
        "trust_intermediates": hashes(intermediates_der),
        "trust_missing": missing,
        "crls": hashes(crls_der),
        // Facts read with OCR differ from facts read without it, and between engine versions.
        "ocr": ocr.engine.as_ref().map(|t| t.version.clone()),
    });
    let mut h = Sha256::new();
    h.update(crate::hash::canonical_json(&value).as_bytes());
    crate::hash::hex(&h.finalize())
}

/// Which build of tlkc produced cached facts: the version alone is not
/// enough, since inspection code changes between builds of one version.
/// The executable's size and modification time tell builds apart cheaply.
fn build_identity() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = exe
            .ok()
            .map(|m| {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                format!("{}-{mtime}", m.len())
            })
            .unwrap_or_default();
        format!("{}+{stamp}", crate::VERSION)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_follows_trust_anchors() {
        let a = InspectOptions::default();
        let mut b = InspectOptions::default();
        assert_eq!(options_fingerprint(&a), options_fingerprint(&b));
        b.trust.certs_der.push(vec![0x30, 1, 2]);
        assert_ne!(options_fingerprint(&a), options_fingerprint(&b));
        // A CRL changes revocation verdicts, so cached facts are not reused.
        let mut r = InspectOptions::default();
        r.trust.crls_der.push(vec![0x30, 1, 2]);
        assert_ne!(options_fingerprint(&a), options_fingerprint(&r));
        let mut c = InspectOptions::default();
        c.limits.max_signatures = 1;
        assert_ne!(options_fingerprint(&a), options_fingerprint(&c));
        // Facts read with OCR are not reused without it, nor across engine versions.
        let engine = |v: &str| crate::inspect::ocr::Tesseract {
            program: "tesseract".into(),
            version: v.into(),
        };
        let mut d = InspectOptions::default();
        d.ocr.engine = Some(engine("tesseract 5.3.0"));
        let mut e = InspectOptions::default();
        e.ocr.engine = Some(engine("tesseract 5.5.0"));
        assert_ne!(options_fingerprint(&a), options_fingerprint(&d));
        assert_ne!(options_fingerprint(&d), options_fingerprint(&e));
    }

    #[test]
    fn refuses_newer_schema_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let before = std::fs::read(&p).unwrap();
        assert!(matches!(
            Index::open(&p),
            Err(IndexError::TooNew { found: 99, .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[cfg(unix)]
    #[test]
    fn never_opens_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let ev = tmp.path().join("ev");
        std::fs::create_dir_all(&ev).unwrap();
        // A dangling database link: nothing may appear at its target.
        std::fs::create_dir_all(ev.join(STATE_DIR)).unwrap();
        let target = tmp.path().join("elsewhere.db");
        std::os::unix::fs::symlink(&target, default_path(&ev)).unwrap();
        assert!(matches!(
            Index::open_for(&ev, None),
            Err(IndexError::Symlinked { .. })
        ));
        assert!(!target.exists());
        // A linked index folder, even to a real index.
        let other = tmp.path().join("other");
        drop(Index::open(&default_path(&other)).unwrap());
        let before = std::fs::read(default_path(&other)).unwrap();
        let ev2 = tmp.path().join("ev2");
        std::fs::create_dir_all(&ev2).unwrap();
        std::os::unix::fs::symlink(other.join(STATE_DIR), ev2.join(STATE_DIR)).unwrap();
        assert!(matches!(
            Index::open_for(&ev2, None),
            Err(IndexError::Symlinked { .. })
        ));
        assert_eq!(std::fs::read(default_path(&other)).unwrap(), before);
        // A journal planted as a link.
        let db = tmp.path().join("j/t.db");
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("j/t.db-wal")).unwrap();
        assert!(matches!(
            Index::open(&db),
            Err(IndexError::Symlinked { .. })
        ));
        assert!(!target.exists() && !db.exists());
    }

    /// After a run `tlkc.db` stands alone, however little was written: a
    /// backup of it put back later is never read through a newer WAL
    /// (which corrupts the index and makes `verify` cry tampering).
    #[test]
    fn a_closed_index_leaves_no_wal_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        let wal = dir.path().join("t.db-wal");
        drop(Index::open(&p).unwrap());
        let ix = Index::open(&p).unwrap();
        ix.conn()
            .execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])
            .unwrap();
        drop(ix);
        assert!(!wal.exists(), "one row written: moved into the database");
        let only_db = Connection::open(&p).unwrap();
        let v: String = only_db
            .query_row("SELECT value FROM meta WHERE key = 'k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v");
    }

    #[test]
    fn migrates_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x").join("t.db");
        drop(Index::open(&p).unwrap());
        let idx = Index::open(&p).unwrap();
        let n: i64 = idx
            .conn()
            .query_row("SELECT count(*) FROM migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, schema::LATEST);
    }
}
