//! The cached inspection stage: what `tlkc check` runs instead of
//! [`crate::inspect::guard::inspect_all`] when it has an index.
//!
//! A file whose stat data (size, mtime, change time, inode, device; see
//! [`super::stat`]) match its row in `files`, and whose row is not racy,
//! keeps its stored hash; facts are looked up by (hash, tool version,
//! options fingerprint). Before anything is trusted the index is claimed for
//! the folder ([`Index::claim`]): an index written elsewhere vouches for
//! nothing. Workers (rayon) hash and inspect; one writer thread stores new
//! facts in transactions of up to 64 files or one second's worth, so a
//! killed run keeps the inspections it finished but the last second's. The file rows and file events are written at
//! the end in one transaction, in path order, so the ledger order does not
//! depend on thread timing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::json;

use super::owner::Claim;
use super::stat::{self, Stat};
use super::{options_fingerprint, Index, IndexError};
use crate::discover::{Discovery, Evidence};
use crate::facts::{FileFacts, KeptFacts};
use crate::findings::Finding;
use crate::index::judged;
use crate::index::ledger::{self, Kind, Stamp};
use crate::inspect::InspectOptions;
use crate::VERSION;

/// Facts stored per writer transaction: small enough that a kill loses little.
const BATCH: usize = 64;

/// A file's row in `files`: its state when last indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// Unknown fields (rows from schema 1) are 0 and never match.
    pub stat: Stat,
    pub sha256: String,
    /// When the row was written (ns since the epoch); `None` = it vouches
    /// for nothing (claimed from another installation, or schema 1).
    pub indexed_ns: Option<i64>,
}

/// Every row of `files`.
pub fn load_files(conn: &Connection) -> Result<BTreeMap<String, FileRow>, IndexError> {
    let mut st = conn.prepare(
        "SELECT path, size, mtime_ns, sha256, ctime_ns, dev, ino, indexed_ns FROM files",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            FileRow {
                stat: Stat {
                    size: r.get::<_, i64>(1)?.max(0) as u64,
                    mtime_ns: r.get(2)?,
                    ctime_ns: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                    // Stored as the same 64 bits in SQLite's signed integer.
                    dev: r.get::<_, Option<i64>>(5)?.unwrap_or(0) as u64,
                    ino: r.get::<_, Option<i64>>(6)?.unwrap_or(0) as u64,
                },
                sha256: r.get(3)?,
                indexed_ns: r.get(7)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
}

/// The hash of a file whose stat data are `now`, if its stored row can
/// vouch for it without reading the file: every stat field known and
/// equal, and the row not racy.
pub fn trusted_hash(now: &Stat, row: Option<&FileRow>) -> Option<String> {
    let row = row?;
    let written = row.indexed_ns?;
    (now.complete() && row.stat == *now && !stat::is_racy(row.stat.mtime_ns, written))
        .then(|| row.sha256.clone())
}

/// Nanoseconds since the epoch of the run's stamp: when its rows are written.
fn stamp_ns(stamp: &Stamp) -> i64 {
    stamp.utc.timestamp_nanos_opt().unwrap_or(0)
}

/// One file's way through the stage.
struct Item {
    /// Stat data read just before the bytes; `None` when even that failed.
    stat: Option<Stat>,
    sha256: Option<String>,
    /// The facts were made in this run (read or inspected), not taken from the cache.
    fresh: bool,
    /// The bytes were read and hashed in this run.
    hashed: bool,
    /// The bytes read were not the size stat saw: the file moved under us.
    unstable: bool,
    /// The file's own findings, until the stage hands them over.
    found: Vec<Finding>,
}

/// A file's own checks, and the key their results are kept under in the index.
pub struct Judge<'a> {
    /// The file's own checks on its whole facts, and what the run keeps of
    /// the facts ([`crate::evaluate::check_file`]).
    pub check: &'a (dyn Fn(FileFacts) -> (KeptFacts, Vec<Finding>) + Sync),
    /// Everything besides the facts those checks read
    /// ([`judged::judge_fingerprint`]).
    pub fingerprint: String,
}

/// What the writer thread stores.
enum Write {
    /// (sha256, facts JSON)
    Facts(String, String),
    Judged(judged::Row),
}

/// What the index stage did: how many files it read and hashed, how many
/// it inspected, and how many reused cached facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexCounters {
    pub files: usize,
    pub hashed: usize,
    pub inspected: usize,
    pub reused: usize,
    /// The index was written for another folder or on another machine:
    /// nothing it held was trusted (FIX003).
    pub foreign: bool,
}

pub struct CachedStage<'a> {
    index: &'a mut Index,
    stamp: &'a Stamp,
    root: PathBuf,
    rehash: bool,
    counters: IndexCounters,
    /// What claiming the index for the folder found.
    pub claim: Option<Claim>,
}

impl<'a> CachedStage<'a> {
    /// `rehash`: read and hash every file whatever the index says (`--rehash`, `submit`).
    pub fn new(index: &'a mut Index, stamp: &'a Stamp, root: &Path, rehash: bool) -> Self {
        CachedStage {
            index,
            stamp,
            root: root.to_path_buf(),
            rehash,
            counters: IndexCounters::default(),
            claim: None,
        }
    }
}

impl CachedStage<'_> {
    /// What the run keeps of each file's facts and the file's own findings,
    /// in discovery order. Drops the index's own files from `d` (a `--db`
    /// inside the folder). Each file's facts are judged (`judge.check`) as
    /// soon as they exist (fresh, after they are queued for storage; cached,
    /// as they are loaded): what it returns is all the run holds of them.
    /// A file the index vouches for, judged under the same key before, is
    /// not judged again: its row in `judged` is read instead.
    #[allow(clippy::type_complexity)]
    pub fn inspect(
        &mut self,
        d: &mut Discovery,
        opts: &InspectOptions,
        observe: &(dyn Fn(crate::inspect::guard::Progress) + Sync),
        judge: &Judge<'_>,
    ) -> Result<(Vec<KeptFacts>, Vec<Vec<Finding>>), IndexError> {
        let db = self.index.path.clone();
        d.files.retain(|e| !super::is_index_file(&db, &e.abs));
        let claim = self.index.claim(&self.root, self.stamp)?;
        let fp = options_fingerprint(opts);
        let rows = load_files(self.index.conn())?;
        let cached = cached_keys(self.index.conn(), &fp)?;
        let rehash = self.rehash;

        // Bounded: when the writer falls behind (SQLite on a busy machine), the
        // inspectors wait instead of queueing every file's facts JSON (issue 25).
        let (tx, rx) = mpsc::sync_channel::<Write>(WRITE_QUEUE);
        let conn = &mut self.index.conn;
        let fp_ref = fp.as_str();
        // Each file's facts go straight to their place in the list the run
        // keeps (rayon fills it in order); cached ones are put in by `gather`.
        // Kept beside the items rather than inside them: moving them into a
        // second list at the end cost ~15 MB at 20,000 files (issue 25).
        let ((mut items, mut facts), written) = std::thread::scope(|s| {
            let writer = s.spawn(move || write_facts(conn, fp_ref, rx));
            let pairs: (Vec<Item>, Vec<KeptFacts>) = d
                .files
                .par_iter()
                .map_with(tx, |tx, e| {
                    let (mut item, facts) = item_for(e, rehash, &rows, &cached, opts, tx);
                    observe(crate::inspect::guard::Progress::Inspected);
                    let Some(facts) = facts else {
                        return (item, placeholder());
                    };
                    if facts.document.source == Some(crate::facts::ReadSource::Ocr) {
                        observe(crate::inspect::guard::Progress::OcrPage);
                    }
                    // Stored with the facts, and only then: a judgement of
                    // facts the index does not keep would vouch for nothing.
                    let stored = crate::inspect::guard::cacheable(&facts);
                    let (kept, found) = (judge.check)(facts);
                    if let (true, Some(sha)) = (stored, &item.sha256) {
                        let key = judged::key(fp_ref, &judge.fingerprint, sha, &e.rel);
                        if let Some(row) = judged::encode(&e.rel, key, &kept, &found) {
                            // The writer may have stopped on an error; it reports that itself.
                            let _ = tx.send(Write::Judged(row));
                        }
                    }
                    item.found = found;
                    (item, kept)
                })
                .unzip();
            (pairs, writer.join())
        });
        match written {
            Ok(r) => r?,
            Err(_) => {
                return Err(IndexError::Corrupt {
                    what: "facts writer".into(),
                    message: "the writer thread panicked".into(),
                })
            }
        }
        // As the rows stood when the check began: another tlkc's rows written
        // since are left as they are (they vouch for what it saw).
        let unchanged = unchanged(&rows, d, &items);
        drop(rows);
        drop(cached);
        // What the workers freed (bytes read, facts JSON sent to the writer,
        // whole facts once judged) goes back to the system before the
        // folder-wide work, which allocates on another thread's arena.
        crate::inspect::heap::trim();
        let c = self.gather(d, &mut items, &mut facts, opts, &fp, judge)?;
        if !unchanged {
            record_files(&mut self.index.conn, self.stamp, d, &items)?;
        }
        // Else a warm check of an unchanged folder: no event to log and no
        // row to write, so no write lock to take (issue 25).
        self.counters = IndexCounters {
            foreign: matches!(claim, Claim::Foreign { .. }),
            ..c
        };
        self.claim = Some(claim);
        let found = items.into_iter().map(|i| i.found).collect();
        Ok((facts, found))
    }

    pub fn counters(&self) -> IndexCounters {
        self.counters
    }
    /// Put the cached facts in their place in `facts` (discovery order),
    /// beside the fresh ones the workers put there: what the last check made
    /// of the file when it was judged under the same key, else its cached
    /// facts judged now.
    fn gather(
        &mut self,
        d: &Discovery,
        items: &mut [Item],
        facts: &mut [KeptFacts],
        opts: &InspectOptions,
        fp: &str,
        judge: &Judge<'_>,
    ) -> Result<IndexCounters, IndexError> {
        let mut c = IndexCounters {
            files: d.files.len(),
            hashed: items.iter().filter(|i| i.hashed).count(),
            ..Default::default()
        };
        let mut late = Vec::new();
        let mut late_judged = Vec::new();
        let done = judged_side_by_side(&self.index.path, d, items, facts, fp, judge);
        c.reused += done.iter().filter(|&&d| d).count();
        // The rows' text, read and decoded on the workers, is freed there:
        // its pages go back before the folder-wide work, as after inspection.
        crate::inspect::heap::trim();
        // Everything else, one file after the other. One read transaction for
        // every row read here: outside one, each statement took and released
        // the WAL's read lock on its own (shared memory locks, a file-size check).
        let tx = self.index.conn.unchecked_transaction()?;
        for (i, done) in done.into_iter().enumerate() {
            let (e, item, slot) = (&d.files[i], &mut items[i], &mut facts[i]);
            if done {
                continue;
            }
            if item.fresh {
                c.inspected += 1;
                continue;
            }
            let Some(sha) = &item.sha256 else {
                (*slot, item.found) = (judge.check)(unreachable_facts(e));
                continue;
            };
            let key = judged::key(fp, &judge.fingerprint, sha, &e.rel);
            if let Some((kept, found)) = judged::load(&tx, &e.rel, &key)? {
                c.reused += 1;
                (*slot, item.found) = (kept, found);
                continue;
            }
            let f = match load_facts(&tx, sha, fp)? {
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
                    let f = crate::inspect::guard::inspect_evidence(e, opts);
                    if !crate::inspect::guard::cacheable(&f) {
                        (*slot, item.found) = (judge.check)(f);
                        continue;
                    }
                    if let Ok(j) = serde_json::to_string(&f) {
                        late.push((f.sha256.clone(), j));
                    }
                    f
                }
            };
            let (kept, found) = (judge.check)(f);
            late_judged.extend(judged::encode(&e.rel, key, &kept, &found));
            (*slot, item.found) = (kept, found);
        }
        // Read only: ending it writes nothing.
        tx.commit()?;
        if !late.is_empty() || !late_judged.is_empty() {
            store_facts(&mut self.index.conn, fp, &late, &late_judged, true)?;
        }
        Ok(c)
    }
}

/// The judged rows of the files the index vouches for, read and decoded by
/// the workers side by side, each through a read-only connection of its own
/// (one per worker, one read transaction each): reading and decoding them is
/// most of a warm check (issue 25). Returns, per file, whether its row was
/// found under its key and put in place; anything else (no row, another key,
/// a connection that could not be opened) is left to `gather`'s own loop.
fn judged_side_by_side(
    db: &Path,
    d: &Discovery,
    items: &mut [Item],
    facts: &mut [KeptFacts],
    fp: &str,
    judge: &Judge<'_>,
) -> Vec<bool> {
    let per_worker = d
        .files
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    d.files
        .par_iter()
        .zip(items.par_iter_mut())
        .zip(facts.par_iter_mut())
        .with_min_len(per_worker)
        .map_init(
            || reader(db),
            |conn, ((e, item), slot)| {
                let (Some(conn), false, Some(sha)) = (conn, item.fresh, item.sha256.as_deref())
                else {
                    return false;
                };
                let key = judged::key(fp, &judge.fingerprint, sha, &e.rel);
                match judged::load(conn, &e.rel, &key) {
                    Ok(Some((kept, found))) => {
                        (*slot, item.found) = (kept, found);
                        true
                    }
                    _ => false,
                }
            },
        )
        .collect()
}

/// A worker's page cache, in KiB (SQLite's negative `cache_size`): the
/// b-tree's inner pages, which every lookup walks.
const READER_CACHE_KIB: i64 = -512;

/// A read-only connection to the index at `db`, inside a read transaction
/// (its rows are read from one snapshot, without a lock per statement).
fn reader(db: &Path) -> Option<Connection> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(db, flags).ok()?;
    conn.busy_timeout(super::BUSY_TIMEOUT).ok()?;
    // Each row is read once: a page cache of SQLite's default 2 MB per
    // worker would only add to the check's memory.
    conn.pragma_update(None, "cache_size", READER_CACHE_KIB)
        .ok()?;
    conn.execute_batch("BEGIN").ok()?;
    Some(conn)
}

/// What stands in a file's place in the list of facts until `gather` puts
/// its cached facts there (no allocation).
fn placeholder() -> KeptFacts {
    KeptFacts::of(&FileFacts::other(""))
}

/// Facts for a file that could not be read (reported as PDF001 by the checks).
fn unreachable_facts(e: &Evidence) -> FileFacts {
    crate::inspect::guard::inspect_evidence(e, &InspectOptions::default())
}

/// One file: its stored hash when its row vouches for it and facts are
/// cached for that hash, else read (and inspected unless cached).
fn item_for(
    e: &Evidence,
    rehash: bool,
    rows: &BTreeMap<String, FileRow>,
    cached: &HashSet<String>,
    opts: &InspectOptions,
    tx: &mpsc::SyncSender<Write>,
) -> (Item, Option<FileFacts>) {
    // Discovery's stat, read before the bytes are (as the racy rule needs):
    // a file changed since then has another change time next run.
    let Some(now) = e.stat.or_else(|| stat::stat(&e.abs).ok()) else {
        return unreadable_item(e, opts);
    };
    let stored = if rehash {
        None
    } else {
        trusted_hash(&now, rows.get(&e.rel))
    };
    match stored {
        Some(sha) if cached.contains(&sha) => (
            Item {
                stat: Some(now),
                sha256: Some(sha),
                fresh: false,
                hashed: false,
                unstable: false,
                found: Vec::new(),
            },
            None,
        ),
        _ => read_item(e, now, opts, cached, tx),
    }
}

fn unreadable_item(e: &Evidence, opts: &InspectOptions) -> (Item, Option<FileFacts>) {
    let item = Item {
        stat: None,
        sha256: None,
        fresh: true,
        hashed: false,
        unstable: true,
        found: Vec::new(),
    };
    (item, Some(crate::inspect::guard::inspect_evidence(e, opts)))
}

/// Read, hash and (unless cached) inspect one file.
fn read_item(
    e: &Evidence,
    now: Stat,
    opts: &InspectOptions,
    cached: &HashSet<String>,
    tx: &mpsc::SyncSender<Write>,
) -> (Item, Option<FileFacts>) {
    use crate::inspect::guard::{load_evidence, Loaded};
    let bytes = match load_evidence(&e.abs, &opts.limits) {
        Ok(Loaded::Whole(bytes)) => bytes,
        Ok(Loaded::TooLarge(passed)) => return passed_item(e, now, passed, opts, cached, tx),
        Err(_) => return unreadable_item(e, opts),
    };
    // One pass: the file hash, and the states signatures' digests resume from.
    let hash = crate::inspect::signature::filehash::hash_file(&bytes, &opts.limits);
    let sha = hash.sha256.clone();
    let unstable = bytes.len() as u64 != now.size;
    if cached.contains(&sha) {
        let item = Item {
            stat: Some(now),
            sha256: Some(sha),
            fresh: false,
            hashed: true,
            unstable,
            found: Vec::new(),
        };
        return (item, None);
    }
    // The digest just computed is handed down: each file is read once and hashed once.
    // The watchdog bounds the time one hostile file can take, as in the uncached stage.
    let facts =
        crate::inspect::guard::inspect_with_budget_sha(e.rel.clone(), bytes, Some(hash), opts);
    // An outcome of this run's moment (a blown time budget, an OCR deadline
    // or failure) is not a fact about the bytes: the next run tries again.
    if crate::inspect::guard::cacheable(&facts) {
        if let Ok(j) = serde_json::to_string(&facts) {
            // The writer may have stopped on an error; it reports that itself.
            let _ = tx.send(Write::Facts(sha.clone(), j));
        }
    }
    let item = Item {
        stat: Some(now),
        sha256: Some(sha),
        fresh: true,
        hashed: true,
        unstable,
        found: Vec::new(),
    };
    (item, Some(facts))
}

/// [`read_item`] for a file larger than `limits.max_file_bytes`: hashed
/// without being kept, its facts are what the size allows (see
/// [`crate::inspect::guard::too_large`]), stored like any other.
fn passed_item(
    e: &Evidence,
    now: Stat,
    passed: crate::inspect::guard::Passed,
    opts: &InspectOptions,
    cached: &HashSet<String>,
    tx: &mpsc::SyncSender<Write>,
) -> (Item, Option<FileFacts>) {
    let sha = passed.sha256.clone();
    let item = Item {
        stat: Some(now),
        sha256: Some(sha.clone()),
        fresh: !cached.contains(&sha),
        hashed: true,
        unstable: passed.size != now.size,
        found: Vec::new(),
    };
    if !item.fresh {
        return (item, None);
    }
    let facts = crate::inspect::guard::too_large(e.rel.clone(), passed, &opts.limits);
    if let Ok(j) = serde_json::to_string(&facts) {
        // The writer may have stopped on an error; it reports that itself.
        let _ = tx.send(Write::Facts(sha, j));
    }
    (item, Some(facts))
}

fn cached_keys(conn: &Connection, fp: &str) -> Result<HashSet<String>, IndexError> {
    let mut st =
        conn.prepare("SELECT sha256 FROM facts WHERE tool_version = ?1 AND options_fp = ?2")?;
    let rows = st.query_map(params![VERSION, fp], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<HashSet<_>, _>>()?)
}

fn load_facts(conn: &Connection, sha: &str, fp: &str) -> Result<Option<FileFacts>, IndexError> {
    // Prepared once per run, not once per file.
    let json: Option<String> = conn
        .prepare_cached(
            "SELECT facts FROM facts WHERE sha256 = ?1 AND tool_version = ?2 AND options_fp = ?3",
        )?
        .query_row(params![sha, VERSION, fp], |r| r.get(0))
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Longest a file's facts wait for the rest of their batch.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The single writer of new facts: batches what the workers send.
/// Facts JSON waiting for the writer, at most (a few batches).
const WRITE_QUEUE: usize = 4 * BATCH;

fn write_facts(
    conn: &mut Connection,
    fp: &str,
    rx: mpsc::Receiver<Write>,
) -> Result<(), IndexError> {
    while let Ok(first) = rx.recv() {
        let (mut facts, mut rows) = (Vec::new(), Vec::new());
        let mut next = Some(first);
        // Waits for a full batch, the last file or BATCH_WAIT after the
        // batch's first item: taking only what was already queued made a
        // transaction of one or two files whenever inspection was slower
        // than the writer, and each commit rewrites the B-tree's upper pages
        // in the WAL (e-office 2,000 files: 33,700 → 23,000 page writes,
        // 48 → 30 fsyncs at checkpoints); the wait bounds what a killed run
        // loses when files are slow (OCR: seconds each).
        let until = std::time::Instant::now() + BATCH_WAIT;
        while let Some(w) = next.take() {
            match w {
                Write::Facts(sha, json) => facts.push((sha, json)),
                Write::Judged(row) => rows.push(row),
            }
            if facts.len() + rows.len() < BATCH {
                let left = until.saturating_duration_since(std::time::Instant::now());
                next = rx.recv_timeout(left).ok();
            }
        }
        store_facts(conn, fp, &facts, &rows, false)?;
    }
    Ok(())
}

/// Store facts (kept when already there unless `replace`) and judged rows
/// (always replaced), in one transaction.
fn store_facts(
    conn: &mut Connection,
    fp: &str,
    batch: &[(String, String)],
    rows: &[judged::Row],
    replace: bool,
) -> Result<(), IndexError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    judged::store(&tx, rows)?;
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

/// Would [`record_files`] change nothing, as `rows` stand? Every file has
/// its row with the same hash, and a row that still vouches for it as it
/// would be written now; every row has its file.
fn unchanged(rows: &BTreeMap<String, FileRow>, d: &Discovery, items: &[Item]) -> bool {
    rows.len() == d.files.len()
        && d.files.iter().zip(items).all(|(e, item)| {
            let (Some(sha), Some(now), Some(row)) = (&item.sha256, &item.stat, rows.get(&e.rel))
            else {
                return false;
            };
            !item.unstable && trusted_hash(now, Some(row)).as_ref() == Some(sha)
        })
}

/// Bring `files` up to date and log first_seen / changed / removed, in one transaction.
fn record_files(
    conn: &mut Connection,
    stamp: &Stamp,
    d: &Discovery,
    items: &[Item],
) -> Result<(), IndexError> {
    let written_ns = stamp_ns(stamp);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read under the write lock: another tlkc may have indexed meanwhile,
    // and its events must not be logged twice.
    let rows = load_files(&tx)?;
    let mut present = HashSet::new();
    for (e, item) in d.files.iter().zip(items) {
        present.insert(e.rel.as_str());
        let (Some(sha), Some(now)) = (&item.sha256, &item.stat) else {
            continue; // unreadable now: keep what was known
        };
        let row = rows.get(&e.rel);
        match row {
            None => {
                ledger::append(
                    &tx,
                    stamp,
                    Kind::FirstSeen,
                    json!({"path": e.rel, "sha256": sha, "size": now.size}),
                )?;
            }
            Some(r) if &r.sha256 != sha => {
                ledger::append(
                    &tx,
                    stamp,
                    Kind::Changed,
                    json!({"path": e.rel, "old_sha256": r.sha256, "new_sha256": sha, "size": now.size}),
                )?;
            }
            Some(_) => {}
        }
        // A file that changed while being read is stored with mtime 0 so the next run reads it again.
        let stored = Stat {
            mtime_ns: if item.unstable { 0 } else { now.mtime_ns },
            ..*now
        };
        // A warm run rewrites nothing; a racy row is rewritten until it is not.
        if row.is_some_and(|r| trusted_hash(&stored, Some(r)).as_ref() == Some(sha)) {
            continue;
        }
        // From the statement cache: prepared once per run, not once per file.
        tx.prepare_cached(
            "INSERT INTO files (path, size, mtime_ns, sha256, ctime_ns, dev, ino, indexed_ns)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                 sha256 = excluded.sha256, ctime_ns = excluded.ctime_ns, dev = excluded.dev,
                 ino = excluded.ino, indexed_ns = excluded.indexed_ns",
        )?
        .execute(params![
            e.rel,
            stored.size as i64,
            stored.mtime_ns,
            sha,
            stored.ctime_ns,
            stored.dev as i64,
            stored.ino as i64,
            written_ns
        ])?;
    }
    for (path, r) in rows.iter().filter(|(p, _)| !present.contains(p.as_str())) {
        ledger::append(
            &tx,
            stamp,
            Kind::Removed,
            json!({"path": path, "sha256": r.sha256}),
        )?;
        tx.execute("DELETE FROM files WHERE path = ?1", params![path])?;
        tx.execute("DELETE FROM judged WHERE path = ?1", params![path])?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_700_000_000_000_000_000;

    fn stat() -> Stat {
        Stat {
            size: 10,
            mtime_ns: T,
            ctime_ns: T,
            dev: 2049,
            ino: 77,
        }
    }

    fn row(stat: Stat, indexed_ns: Option<i64>) -> FileRow {
        FileRow {
            stat,
            sha256: "ab".into(),
            indexed_ns,
        }
    }

    #[test]
    fn a_row_vouches_only_when_every_stat_field_matches() {
        let clearly_later = Some(T + 10 * stat::RACY_MARGIN_NS);
        let r = row(stat(), clearly_later);
        assert_eq!(trusted_hash(&stat(), Some(&r)).as_deref(), Some("ab"));
        assert_eq!(trusted_hash(&stat(), None), None);
        let changed = [
            Stat { size: 11, ..stat() },
            Stat {
                mtime_ns: T + 1,
                ..stat()
            },
            Stat {
                ctime_ns: T + 1,
                ..stat()
            },
            Stat { ino: 78, ..stat() },
            Stat {
                dev: 2050,
                ..stat()
            },
        ];
        for now in changed {
            assert_eq!(trusted_hash(&now, Some(&r)), None, "{now:?}");
        }
    }

    #[test]
    fn unknown_fields_racy_rows_and_claimed_rows_vouch_for_nothing() {
        let later = Some(T + 10 * stat::RACY_MARGIN_NS);
        // A row from schema 1: no change time, inode or device.
        let v1 = Stat {
            ctime_ns: 0,
            dev: 0,
            ino: 0,
            ..stat()
        };
        assert_eq!(trusted_hash(&v1, Some(&row(v1, later))), None);
        // Written in the same second as the file's mtime.
        assert_eq!(
            trusted_hash(&stat(), Some(&row(stat(), Some(T + 500_000_000)))),
            None
        );
        // Claimed from another installation.
        assert_eq!(trusted_hash(&stat(), Some(&row(stat(), None))), None);
    }
}
