//! Schema versions of the index database and the migrations between them.
//!
//! `PRAGMA user_version` is the version a database is at; the `migrations`
//! table records when and by which tlkc each step was applied. A database
//! whose version is above [`LATEST`] was written by a newer tlkc: it is
//! refused before anything is written to it.

use rusqlite::{Connection, TransactionBehavior};

use super::IndexError;

/// The schema version this tlkc writes.
pub const LATEST: i64 = 4;

/// `(version, SQL)`: applying every step above a database's version brings it to [`LATEST`].
/// Steps are never edited once released; a change is a new step.
const MIGRATIONS: &[(i64, &str)] = &[(1, V1), (2, V2), (3, V3), (4, V4)];

const V1: &str = "
CREATE TABLE files (
    path      TEXT PRIMARY KEY NOT NULL,
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE facts (
    sha256       TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    options_fp   TEXT NOT NULL,
    facts        TEXT NOT NULL,
    PRIMARY KEY (sha256, tool_version, options_fp)
) WITHOUT ROWID;

CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    utc       TEXT NOT NULL,
    local     TEXT NOT NULL,
    actor     TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- Guards against accidental edits only: whoever holds the file can drop
-- them. Tampering is caught by the hash chain, not by these.
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the tlkc ledger is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the tlkc ledger is append-only'); END;

-- The last event written, kept apart from the chain so that cutting rows
-- off the end of the chain is noticed too.
CREATE TABLE chain_head (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Rendered reports of the check a submission was made from (bag tag
-- files); their SHA-256 is in the submission event.
CREATE TABLE submission_reports (
    submission  INTEGER PRIMARY KEY,
    report_json TEXT NOT NULL,
    report_txt  TEXT NOT NULL
);
";

/// Stat data as git keeps it (see `index::stat`), when each row was written
/// (git's racy rule), and who owns the database: a random installation id
/// made with it and the identity of the folder it indexes. Rows from v1
/// lack the new columns, so they vouch for nothing until read again.
const V2: &str = "
ALTER TABLE files ADD COLUMN ctime_ns INTEGER;
ALTER TABLE files ADD COLUMN dev INTEGER;
ALTER TABLE files ADD COLUMN ino INTEGER;
ALTER TABLE files ADD COLUMN indexed_ns INTEGER;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('installation', lower(hex(randomblob(16))));
";

/// What the last check made of each file (`index::judged`): its own
/// findings and the facts the run keeps of it, under the key they hold for.
/// A rowid table: its rows (2–4 KB) fit in its leaf pages, where a table
/// without rowid would spill each one into overflow pages.
const V3: &str = "
CREATE TABLE judged (
    path     TEXT PRIMARY KEY NOT NULL,
    key      TEXT NOT NULL,
    kept     TEXT NOT NULL,
    findings TEXT NOT NULL
);
";

/// Two questions every check asks, answered without reading every row
/// (issue 25): which files have facts cached for this build and these
/// options (SQLite scanned the whole `facts` table, every file's facts
/// JSON: 11 MB at 2,000 files, read again by each warm check), and which
/// events are submissions or index take-overs (a scan of the whole ledger,
/// one event per file first seen).
const V4: &str = "
CREATE INDEX facts_by_build ON facts (tool_version, options_fp, sha256);
CREATE INDEX events_by_kind ON events (kind, seq);
";

/// Refuse a database from a newer tlkc, then apply pending migrations in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), IndexError> {
    check_not_newer(conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS migrations (
            version      INTEGER PRIMARY KEY,
            applied_utc  TEXT NOT NULL,
            tool_version TEXT NOT NULL
        );",
    )?;
    // Read again under the write lock: another tlkc may have migrated meanwhile.
    let current = user_version(&tx)?;
    if current > LATEST {
        return Err(IndexError::TooNew {
            found: current,
            supported: LATEST,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO migrations (version, applied_utc, tool_version) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                version,
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                crate::VERSION
            ],
        )?;
    }
    if current < LATEST {
        tx.pragma_update(None, "user_version", LATEST)?;
    }
    tx.commit()?;
    Ok(())
}

pub fn check_not_newer(conn: &Connection) -> Result<(), IndexError> {
    let found = user_version(conn)?;
    if found > LATEST {
        return Err(IndexError::TooNew {
            found,
            supported: LATEST,
        });
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64, IndexError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database of schema 3 is brought to 4 in place: its cached facts
    /// are kept, and the check's questions (which files have facts for this
    /// build, which events are submissions) are answered from the new
    /// indexes, not a scan of every row.
    #[test]
    fn schema_3_gets_the_lookup_indexes_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        {
            let c = Connection::open(&p).unwrap();
            for (_, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= 3) {
                c.execute_batch(sql).unwrap();
            }
            c.execute(
                "INSERT INTO facts (sha256, tool_version, options_fp, facts) VALUES ('ab', 'v', 'fp', '{}')",
                [],
            )
            .unwrap();
            c.pragma_update(None, "user_version", 3).unwrap();
        }
        let ix = crate::index::Index::open(&p).unwrap();
        let c = ix.conn();
        assert_eq!(user_version(c).unwrap(), 4);
        let plan: Vec<String> = c
            .prepare("EXPLAIN QUERY PLAN SELECT sha256 FROM facts WHERE tool_version = ?1 AND options_fp = ?2")
            .unwrap()
            .query_map(["v", "fp"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|s| s.contains("COVERING INDEX facts_by_build")),
            "{plan:?}"
        );
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM facts WHERE tool_version = 'v'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
        let plan: Vec<String> = c
            .prepare("EXPLAIN QUERY PLAN SELECT max(seq) FROM events WHERE kind = ?1")
            .unwrap()
            .query_map(["submission"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|s| s.contains("INDEX events_by_kind")),
            "{plan:?}"
        );
    }
}
