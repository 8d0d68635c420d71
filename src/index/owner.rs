//! Whose index is this? A database records the installation that made it (a
//! random id) and the identity of the folder it indexes (device and inode).
//! A folder copied with its `.tlkc/` (a unit's folder received by the
//! province, a restored backup) or a `--db` pointing at another folder's
//! index has another identity: its stored hashes and facts were computed
//! somewhere else and are never reused. Claiming such an index forgets its
//! cached facts, makes every row unable to vouch for its file, and gives
//! the database a new installation id, all in one transaction.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::ledger::{self, Kind, Stamp};
use super::{stat, Index, IndexError};

const INSTALLATION: &str = "installation";
const FOLDER: &str = "folder";

/// What claiming the index for a folder found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The index was written for this folder by this installation.
    Own,
    /// No folder recorded yet (new database, or one from schema 1).
    First,
    /// Written for another folder or on another machine: nothing it held
    /// is trusted; every file is read again.
    Foreign {
        previous_installation: String,
        previous_folder: String,
    },
}

fn get(conn: &Connection, key: &str) -> Result<Option<String>, IndexError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn set(conn: &Connection, key: &str, value: &str) -> Result<(), IndexError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// `dev:ino` of `root` plus the installation id, as stored under `folder`.
fn folder_key(conn: &Connection, root: &Path) -> Result<String, IndexError> {
    let (dev, ino) = stat::folder_identity(root).map_err(|e| IndexError::Corrupt {
        what: format!("folder {}", root.display()),
        message: format!("cannot read its identity: {e}"),
    })?;
    let installation = get(conn, INSTALLATION)?.unwrap_or_default();
    Ok(format!("{installation}:{dev}:{ino}"))
}

impl Index {
    /// The random id of this database's installation.
    pub fn installation(&self) -> Result<String, IndexError> {
        Ok(get(&self.conn, INSTALLATION)?.unwrap_or_default())
    }

    /// Was this index written for `root` by this installation? Read-only:
    /// `diff` asks before trusting stored hashes.
    pub fn is_own(&self, root: &Path) -> Result<bool, IndexError> {
        Ok(get(&self.conn, FOLDER)?.as_deref() == Some(folder_key(&self.conn, root)?.as_str()))
    }

    /// Was this index claimed for a folder other than `root` (or on another
    /// machine)? Then claiming it for `root` will be a take-over
    /// ([`Claim::Foreign`]). Read-only; an index never claimed is not foreign.
    pub fn is_foreign(&self, root: &Path) -> Result<bool, IndexError> {
        Ok(match get(&self.conn, FOLDER)? {
            None => false,
            Some(recorded) => recorded != folder_key(&self.conn, root)?,
        })
    }

    /// Make this index `root`'s: when it was written elsewhere (or never
    /// claimed), forget cached facts and stop every row from vouching for
    /// its file, so the run that follows reads and inspects everything.
    /// Taking over a foreign index is logged as an `index_claimed` event.
    pub fn claim(&mut self, root: &Path, stamp: &Stamp) -> Result<Claim, IndexError> {
        // The common case takes no write lock.
        if self.is_own(root)? {
            return Ok(Claim::Own);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read again under the write lock: another tlkc may have claimed it meanwhile.
        let recorded = get(&tx, FOLDER)?;
        if recorded.as_deref() == Some(folder_key(&tx, root)?.as_str()) {
            return Ok(Claim::Own);
        }
        tx.execute("DELETE FROM facts", [])?;
        tx.execute("DELETE FROM judged", [])?;
        tx.execute("UPDATE files SET indexed_ns = NULL", [])?;
        let claim = match recorded {
            None => Claim::First,
            Some(previous_folder) => {
                let previous_installation = get(&tx, INSTALLATION)?.unwrap_or_default();
                // A copy of a database is another installation from here on.
                let fresh: String =
                    tx.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?;
                set(&tx, INSTALLATION, &fresh)?;
                Claim::Foreign {
                    previous_installation,
                    previous_folder,
                }
            }
        };
        let key = folder_key(&tx, root)?;
        set(&tx, FOLDER, &key)?;
        if let Claim::Foreign {
            previous_installation,
            previous_folder,
        } = &claim
        {
            ledger::append(
                &tx,
                stamp,
                Kind::IndexClaimed,
                serde_json::json!({
                    "previous_installation": previous_installation,
                    "previous_folder": previous_folder,
                    "folder": key,
                }),
            )?;
        }
        tx.commit()?;
        Ok(claim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_trusted(idx: &Index) -> i64 {
        idx.conn()
            .query_row(
                "SELECT count(*) FROM files WHERE indexed_ns IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn stamp() -> Stamp {
        Stamp {
            utc: chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
            actor: "tester".into(),
        }
    }

    #[test]
    fn a_copied_index_is_foreign_once() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let db = tmp.path().join("t.db");
        let mut idx = Index::open(&db).unwrap();
        let first_id = idx.installation().unwrap();
        assert_eq!(first_id.len(), 32);
        assert_eq!(idx.claim(&a, &stamp()).unwrap(), Claim::First);
        assert_eq!(idx.claim(&a, &stamp()).unwrap(), Claim::Own);
        assert!(idx.is_own(&a).unwrap());
        assert!(!idx.is_own(&b).unwrap());
        assert!(!idx.is_foreign(&a).unwrap() && idx.is_foreign(&b).unwrap());
        idx.conn()
            .execute_batch(
                "INSERT INTO files (path, size, mtime_ns, sha256, ctime_ns, dev, ino, indexed_ns)
                 VALUES ('x.pdf', 1, 1, 'ab', 1, 1, 1, 99);
                 INSERT INTO facts (sha256, tool_version, options_fp, facts) VALUES ('ab', 'v', 'fp', '{}');",
            )
            .unwrap();
        match idx.claim(&b, &stamp()).unwrap() {
            Claim::Foreign {
                previous_installation,
                ..
            } => assert_eq!(previous_installation, first_id),
            other => panic!("expected foreign, got {other:?}"),
        }
        assert_ne!(idx.installation().unwrap(), first_id);
        assert_eq!(
            rows_trusted(&idx),
            0,
            "no row vouches after a foreign claim"
        );
        let facts: i64 = idx
            .conn()
            .query_row("SELECT count(*) FROM facts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(facts, 0, "another installation's facts are never reused");
        let logged = ledger::events(idx.conn()).unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(Kind::parse(&logged[0].kind), Some(Kind::IndexClaimed));
        assert_eq!(
            logged[0].details["previous_installation"],
            first_id.as_str()
        );
        assert_eq!(idx.claim(&b, &stamp()).unwrap(), Claim::Own);
    }
}
