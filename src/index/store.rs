//! The cached inspection stage: what `tlkc check` runs instead of
//! [`crate::run::inspect_all`] when it has an index.
//!
//! A file whose size and mtime match its row in `files` keeps its stored
//! hash; facts are looked up by (hash, tool version, options fingerprint).
//! Workers (rayon) hash and inspect; one writer thread stores new facts in
//! small transactions as they come, so a killed run keeps the inspections
//! it finished. The file rows and file events are written at the end in one
//! transaction, in path order, so the ledger order does not depend on
//! thread timing.

use std::collections::{BTreeMap, HashSet};
use std::sync::mpsc;

use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::json;

use super::{options_fingerprint, Index, IndexError};
use crate::discover::{Discovery, Evidence};
use crate::facts::FileFacts;
use crate::index::ledger::{self, Kind, Stamp};
use crate::inspect::{sha256_hex, InspectOptions};
use crate::run::{self, IndexCounters, InspectStage, RunError, VERSION};

/// Facts stored per writer transaction: small enough that a kill loses little.
const BATCH: usize = 64;

/// A file's row in `files`: its state when last indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub size: u64,
    pub mtime_ns: i64,
    pub sha256: String,
}

/// Every row of `files`.
pub fn load_files(conn: &Connection) -> Result<BTreeMap<String, FileRow>, IndexError> {
    let mut st = conn.prepare("SELECT path, size, mtime_ns, sha256 FROM files")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            FileRow {
                size: r.get::<_, i64>(1)?.max(0) as u64,
                mtime_ns: r.get(2)?,
                sha256: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
}

/// The hash of `e` if its stored row can vouch for it without reading the file.
pub fn trusted_hash(e: &Evidence, row: Option<&FileRow>) -> Option<String> {
    let row = row?;
    let mtime = i64::try_from(e.mtime_ns).ok()?;
    // mtime 0 means "unknown": such a row never vouches for anything.
    (mtime != 0 && row.mtime_ns == mtime && row.size == e.size).then(|| row.sha256.clone())
}

/// One file's way through the stage.
struct Item {
    sha256: Option<String>,
    facts: Option<FileFacts>,
    /// The bytes were read and hashed in this run.
    hashed: bool,
    /// The bytes read were not the size discovery saw: the file moved under us.
    unstable: bool,
}

pub struct CachedStage<'a> {
    index: &'a mut Index,
    stamp: &'a Stamp,
    rehash: bool,
    counters: IndexCounters,
    /// (path, criteria) of every file of the run, for `submit`.
    pub filed: Vec<(String, Vec<String>)>,
}

impl<'a> CachedStage<'a> {
    pub fn new(index: &'a mut Index, stamp: &'a Stamp, rehash: bool) -> Self {
        CachedStage {
            index,
            stamp,
            rehash,
            counters: IndexCounters::default(),
            filed: Vec::new(),
        }
    }
}

impl InspectStage for CachedStage<'_> {
    fn inspect(
        &mut self,
        d: &mut Discovery,
        opts: &InspectOptions,
        observe: &(dyn Fn(run::Progress) + Sync),
    ) -> Result<Vec<FileFacts>, RunError> {
        let db = self.index.path.clone();
        d.files.retain(|e| !super::is_index_file(&db, &e.abs));
        let fp = options_fingerprint(opts);
        let rows = load_files(self.index.conn())?;
        let cached = cached_keys(self.index.conn(), &fp)?;
        let rehash = self.rehash;

        let (tx, rx) = mpsc::channel::<(String, String)>();
        let conn = &mut self.index.conn;
        let fp_ref = fp.as_str();
        let (items, written) = std::thread::scope(|s| {
            let writer = s.spawn(move || write_facts(conn, fp_ref, rx));
            let items: Vec<Item> = d
                .files
                .par_iter()
                .map_with(tx, |tx, e| {
                    let stored = if rehash {
                        None
                    } else {
                        trusted_hash(e, rows.get(&e.rel))
                    };
                    observe(run::Progress::Inspected);
                    match stored {
                        Some(sha) if cached.contains(&sha) => Item {
                            sha256: Some(sha),
                            facts: None,
                            hashed: false,
                            unstable: false,
                        },
                        _ => read_item(e, opts, &cached, tx),
                    }
                })
                .collect();
            (items, writer.join())
        });
        match written {
            Ok(r) => r?,
            Err(_) => {
                return Err(RunError::from(IndexError::Corrupt {
                    what: "facts writer".into(),
                    message: "the writer thread panicked".into(),
                }))
            }
        }

        let mut c = IndexCounters {
            files: d.files.len(),
            ..Default::default()
        };
        let mut out = Vec::with_capacity(items.len());
        let mut late = Vec::new();
        for (e, item) in d.files.iter().zip(&items) {
            let facts = match (&item.facts, &item.sha256) {
                (Some(f), _) => {
                    c.inspected += 1;
                    f.clone()
                }
                (None, Some(sha)) => match load_facts(self.index.conn(), sha, &fp)? {
                    Some(mut f) => {
                        c.reused += 1;
                        // Facts are stored by content; the same bytes may sit at another path.
                        f.path = e.rel.clone();
                        f
                    }
                    None => {
                        // Unreadable cache entry (e.g. written by a development build):
                        // inspect again and replace it.
                        c.inspected += 1;
                        let f = run::inspect_evidence(e, opts);
                        if let Ok(j) = serde_json::to_string(&f) {
                            late.push((f.sha256.clone(), j));
                        }
                        f
                    }
                },
                (None, None) => unreachable_facts(e),
            };
            out.push(facts);
        }
        c.hashed = items.iter().filter(|i| i.hashed).count();
        if !late.is_empty() {
            store_facts(&mut self.index.conn, &fp, &late, true)?;
        }
        record_files(&mut self.index.conn, self.stamp, d, &items)?;
        self.filed = d
            .files
            .iter()
            .map(|e| (e.rel.clone(), e.criteria.clone()))
            .collect();
        self.counters = c;
        Ok(out)
    }

    fn counters(&self) -> Option<IndexCounters> {
        Some(self.counters)
    }
}

/// Facts for a file that could not be read (reported as PDF001 by the checks).
fn unreachable_facts(e: &Evidence) -> FileFacts {
    run::inspect_evidence(e, &InspectOptions::default())
}

/// Read, hash and (unless cached) inspect one file.
fn read_item(
    e: &Evidence,
    opts: &InspectOptions,
    cached: &HashSet<String>,
    tx: &mpsc::Sender<(String, String)>,
) -> Item {
    let bytes = match std::fs::read(&e.abs) {
        Ok(b) => b,
        Err(_) => {
            return Item {
                sha256: None,
                facts: Some(run::inspect_evidence(e, opts)),
                hashed: false,
                unstable: true,
            }
        }
    };
    let sha = sha256_hex(&bytes);
    let unstable = bytes.len() as u64 != e.size;
    if cached.contains(&sha) {
        return Item {
            sha256: Some(sha),
            facts: None,
            hashed: true,
            unstable,
        };
    }
    // The digest just computed is handed down: each file is read once and hashed once.
    // The watchdog bounds the time one hostile file can take, as in the uncached stage.
    let facts = run::inspect_with_budget_sha(e.rel.clone(), bytes, Some(sha.clone()), opts);
    if let Ok(j) = serde_json::to_string(&facts) {
        // The writer may have stopped on an error; it reports that itself.
        let _ = tx.send((sha.clone(), j));
    }
    Item {
        sha256: Some(sha),
        facts: Some(facts),
        hashed: true,
        unstable,
    }
}

fn cached_keys(conn: &Connection, fp: &str) -> Result<HashSet<String>, IndexError> {
    let mut st =
        conn.prepare("SELECT sha256 FROM facts WHERE tool_version = ?1 AND options_fp = ?2")?;
    let rows = st.query_map(params![VERSION, fp], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<HashSet<_>, _>>()?)
}

fn load_facts(conn: &Connection, sha: &str, fp: &str) -> Result<Option<FileFacts>, IndexError> {
    let json: Option<String> = conn
        .query_row(
            "SELECT facts FROM facts WHERE sha256 = ?1 AND tool_version = ?2 AND options_fp = ?3",
            params![sha, VERSION, fp],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// The single writer of new facts: batches what the workers send.
fn write_facts(
    conn: &mut Connection,
    fp: &str,
    rx: mpsc::Receiver<(String, String)>,
) -> Result<(), IndexError> {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(x) => batch.push(x),
                Err(_) => break,
            }
        }
        store_facts(conn, fp, &batch, false)?;
    }
    Ok(())
}

fn store_facts(
    conn: &mut Connection,
    fp: &str,
    batch: &[(String, String)],
    replace: bool,
) -> Result<(), IndexError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let sql = if replace {
            "INSERT OR REPLACE INTO facts (sha256, tool_version, options_fp, facts) VALUES (?1, ?2, ?3, ?4)"
        } else {
            "INSERT OR IGNORE INTO facts (sha256, tool_version, options_fp, facts) VALUES (?1, ?2, ?3, ?4)"
        };
        let mut st = tx.prepare(sql)?;
        for (sha, json) in batch {
            st.execute(params![sha, VERSION, fp, json])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Bring `files` up to date and log first_seen / changed / removed, in one transaction.
fn record_files(
    conn: &mut Connection,
    stamp: &Stamp,
    d: &Discovery,
    items: &[Item],
) -> Result<(), IndexError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read under the write lock: another tlkc may have indexed meanwhile,
    // and its events must not be logged twice.
    let rows = load_files(&tx)?;
    let mut present = HashSet::new();
    for (e, item) in d.files.iter().zip(items) {
        present.insert(e.rel.as_str());
        let Some(sha) = &item.sha256 else {
            continue; // unreadable now: keep what was known
        };
        match rows.get(&e.rel) {
            None => {
                ledger::append(
                    &tx,
                    stamp,
                    Kind::FirstSeen,
                    json!({"path": e.rel, "sha256": sha, "size": e.size}),
                )?;
            }
            Some(r) if &r.sha256 != sha => {
                ledger::append(
                    &tx,
                    stamp,
                    Kind::Changed,
                    json!({"path": e.rel, "old_sha256": r.sha256, "new_sha256": sha, "size": e.size}),
                )?;
            }
            Some(_) => {}
        }
        // A file that changed while being read is stored with mtime 0 so the next run reads it again.
        let mtime = if item.unstable {
            0
        } else {
            i64::try_from(e.mtime_ns).unwrap_or(0)
        };
        let unchanged = rows.get(&e.rel).is_some_and(|r| {
            &r.sha256 == sha && r.size == e.size && r.mtime_ns == mtime && mtime != 0
        });
        if unchanged {
            continue; // a warm run rewrites nothing
        }
        tx.execute(
            "INSERT INTO files (path, size, mtime_ns, sha256) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
            params![e.rel, e.size as i64, mtime, sha],
        )?;
    }
    for (path, r) in rows.iter().filter(|(p, _)| !present.contains(p.as_str())) {
        ledger::append(
            &tx,
            stamp,
            Kind::Removed,
            json!({"path": path, "sha256": r.sha256}),
        )?;
        tx.execute("DELETE FROM files WHERE path = ?1", params![path])?;
    }
    tx.commit()?;
    Ok(())
}
