//! Inspection under guard: every file is inspected on a worker with panic
//! isolation and a wall-clock budget, so one hostile file becomes facts about
//! that file (PDF001/PDF005 later), never a stalled or aborted run.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};

use rayon::prelude::*;

use super::budget::Budget;
use super::signature::filehash::FileHash;
use super::InspectOptions;
use crate::discover::{Discovery, Evidence};
use crate::facts::{FileFacts, FileKind, PdfFacts};

/// What a long check tells whoever watches (the CLI's progress bar).
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Discovery is done: this many files will be inspected.
    Files(u64),
    /// One more file inspected.
    Inspected,
    /// One more scanned page read by OCR.
    OcrPage,
}

/// Inspect every discovered file in parallel; output keeps discovery order.
/// Each file's facts go through `keep` as soon as they exist: what it
/// returns is all that is held of them, collected straight into `C` (a
/// pair of lists for a pair, without a list of pairs in between).
pub fn inspect_all<T: Send, C: FromParallelIterator<T>>(
    d: &Discovery,
    opts: &InspectOptions,
    observe: &(dyn Fn(Progress) + Sync),
    keep: &(dyn Fn(FileFacts) -> T + Sync),
) -> C {
    d.files
        .par_iter()
        .map(|e| {
            let f = inspect_evidence(e, opts);
            if f.document.source == Some(crate::facts::ReadSource::Ocr) {
                observe(Progress::OcrPage);
            }
            observe(Progress::Inspected);
            keep(f)
        })
        .collect()
}

/// Read and inspect one file. A failure, even a panic or a blown time
/// budget, becomes facts about that file.
pub fn inspect_evidence(e: &Evidence, opts: &InspectOptions) -> FileFacts {
    match read_file(&e.abs) {
        Ok(bytes) => inspect_with_budget(e.rel.clone(), bytes, opts),
        Err(err) => unreadable(e.rel.clone(), e.size, format!("cannot read: {err}")),
    }
}

/// [`inspect_guarded`] on a watchdog thread: a file that is still being
/// inspected when `limits.time_budget_ms` runs out is reported as too
/// complex (PDF005) and abandoned, so one file can never hang the run. A
/// thread cannot be killed: the watchdog cancels the file's [`Budget`], and the
/// long loops of the abandoned worker (image decoding, turning, enlarging,
/// the OCR child's wait) see it and stop within a row, freeing what they hold.
pub fn inspect_with_budget(rel: String, bytes: Vec<u8>, opts: &InspectOptions) -> FileFacts {
    inspect_with_budget_sha(rel, bytes, None, opts)
}

/// One file handed to an [`Inspector`]'s worker.
struct Job {
    rel: String,
    bytes: Arc<Vec<u8>>,
    hash: Option<FileHash>,
    opts: InspectOptions,
    budget: Budget,
}

/// A worker thread that inspects the files one caller thread hands it, in
/// turn. Kept by that caller between files (a thread-local): starting a
/// thread per file cost more than many a small file's whole inspection
/// (a new thread's stack, arena and first-touched pages, then their
/// release). A worker the watchdog gives up on is dropped: it ends after
/// its file, when it finds nobody waiting, and the next file gets a new one.
struct Inspector {
    jobs: mpsc::SyncSender<Job>,
    done: mpsc::Receiver<FileFacts>,
}

impl Inspector {
    fn spawn() -> Option<Inspector> {
        let (jobs, job_rx) = mpsc::sync_channel::<Job>(0);
        let (done_tx, done) = mpsc::sync_channel::<FileFacts>(1);
        std::thread::Builder::new()
            .name("tlkc-inspect".into())
            .spawn(move || {
                while let Ok(job) = job_rx.recv() {
                    let Job {
                        rel,
                        bytes,
                        hash,
                        opts,
                        budget,
                    } = job;
                    let facts = inspect_guarded_within(rel, &bytes, hash, &opts, &budget);
                    // Dropped before the answer goes out, so the caller then
                    // holds the only reference and can reuse the buffer.
                    drop(bytes);
                    if done_tx.send(facts).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Inspector { jobs, done })
    }
}

thread_local! {
    /// This thread's inspector, between two files.
    static INSPECTOR: RefCell<Option<Inspector>> = const { RefCell::new(None) };
    /// A read buffer given back after its file: the next file is read into
    /// it instead of newly mapped pages.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Largest buffer kept for the next file: a rare huge scan is not held for the
/// rest of the run.
const KEEP_BUFFER: usize = super::heap::MMAP_THRESHOLD;

/// The whole file, read into this thread's spare buffer when there is one
/// (see [`inspect_with_budget_sha`], which gives it back).
pub fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    buf.clear();
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    buf.reserve(size.saturating_add(1));
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

fn give_back(bytes: Arc<Vec<u8>>) {
    if let Ok(buf) = Arc::try_unwrap(bytes) {
        if buf.capacity() <= KEEP_BUFFER {
            BUFFER.with(|b| *b.borrow_mut() = buf);
        }
    }
}

/// [`inspect_with_budget`] with the file's hash ([`super::signature::filehash::hash_file`])
/// when the caller already has it, so the bytes are read and hashed once per run.
pub fn inspect_with_budget_sha(
    rel: String,
    bytes: Vec<u8>,
    sha256: Option<FileHash>,
    opts: &InspectOptions,
) -> FileFacts {
    let budget = Budget::from_limits(&opts.limits);
    let bytes = Arc::new(bytes);
    // The worker takes the kept hash states; the watchdog keeps the digest.
    let digest = sha256.as_ref().map(|h| h.sha256.clone());
    let job = Job {
        rel: rel.clone(),
        bytes: Arc::clone(&bytes),
        hash: sha256,
        opts: opts.clone(),
        budget: budget.clone(),
    };
    let inspector = INSPECTOR
        .with(|i| i.borrow_mut().take())
        .or_else(Inspector::spawn);
    let sent = match inspector {
        Some(inspector) => match inspector.jobs.send(job) {
            Ok(()) => Ok(inspector),
            // The worker is gone (it cannot panic: inspection catches it).
            Err(mpsc::SendError(job)) => Err(job),
        },
        None => Err(job),
    };
    let facts = match sent {
        Ok(inspector) => match inspector.done.recv_timeout(budget.limit()) {
            Ok(facts) => {
                INSPECTOR.with(|i| *i.borrow_mut() = Some(inspector));
                super::heap::relocate(facts)
            }
            Err(_) => {
                // The worker stops at its next look at the budget; dropping
                // the inspector lets it end there instead of taking more work.
                budget.cancel();
                drop(inspector);
                over_budget(rel, &bytes, digest, budget.limit())
            }
        },
        // No thread could be started: inspect here, unguarded by time.
        Err(job) => inspect_guarded_within(job.rel, &job.bytes, job.hash, &job.opts, &budget),
    };
    give_back(bytes);
    super::heap::note_file_done();
    facts
}

/// PDF005 for a file whose inspection outlived its budget. True of this run
/// only (a busy machine, a slow moment): never cached, inspected again next time.
fn over_budget(
    rel: String,
    bytes: &[u8],
    sha256: Option<String>,
    limit: std::time::Duration,
) -> FileFacts {
    let mut f = unreadable(rel, bytes.len() as u64, String::new());
    f.pdf.error = None;
    f.pdf.readable = true;
    f.pdf.limit_hit = Some(format!("time budget of {} ms exceeded", limit.as_millis()));
    f.pdf.transient = true;
    f.sha256 = sha256.unwrap_or_else(|| crate::hash::sha256_hex(bytes));
    f
}

/// Facts that may be stored and reused for the same bytes by later runs:
/// everything but an outcome of this run's moment (see `PdfFacts::transient`).
pub fn cacheable(f: &FileFacts) -> bool {
    !f.pdf.transient
}

/// [`crate::inspect::inspect_bytes`] with a panic turned into an "unreadable" fact.
pub fn inspect_guarded(rel: String, bytes: &[u8], opts: &InspectOptions) -> FileFacts {
    inspect_guarded_sha(rel, bytes, None, opts)
}

/// [`inspect_guarded`] with the hash of `bytes` when the caller already has it.
pub fn inspect_guarded_sha(
    rel: String,
    bytes: &[u8],
    sha256: Option<FileHash>,
    opts: &InspectOptions,
) -> FileFacts {
    inspect_guarded_within(rel, bytes, sha256, opts, &Budget::from_limits(&opts.limits))
}

fn inspect_guarded_within(
    rel: String,
    bytes: &[u8],
    sha256: Option<FileHash>,
    opts: &InspectOptions,
    budget: &Budget,
) -> FileFacts {
    let size = bytes.len() as u64;
    let rel2 = rel.clone();
    let sha2 = sha256.as_ref().map(|h| h.sha256.clone());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let hash =
            sha256.unwrap_or_else(|| super::signature::filehash::hash_file(bytes, &opts.limits));
        super::inspect_bytes_within(rel, bytes, hash, opts, budget)
    }))
    .unwrap_or_else(|_| {
        let mut f = unreadable(
            rel2,
            size,
            "internal error while reading this file (caught)".into(),
        );
        f.sha256 = sha2.unwrap_or_else(|| crate::hash::sha256_hex(bytes));
        f
    })
}

fn unreadable(path: String, size: u64, error: String) -> FileFacts {
    FileFacts {
        path,
        sha256: String::new(),
        size,
        kind: FileKind::Pdf,
        pdf: PdfFacts {
            readable: false,
            error: Some(error),
            ..Default::default()
        },
        document: Default::default(),
        signatures: vec![],
        unsigned_fields: vec![],
    }
}

/// Inspect files named on the command line (for `tlkc inspect`).
pub fn inspect_paths(paths: &[PathBuf], opts: &InspectOptions) -> Vec<FileFacts> {
    paths
        .iter()
        .map(|p| {
            let rel = crate::text::nfc(&p.to_string_lossy()).replace('\\', "/");
            match read_file(p) {
                Ok(bytes) => inspect_with_budget(rel, bytes, opts),
                Err(err) => unreadable(rel, 0, format!("cannot read: {err}")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_budget_turns_a_slow_file_into_a_finding() {
        // Hashing 24 MiB alone takes well over a millisecond.
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(24 << 20, b'x');
        let mut opts = InspectOptions::default();
        opts.limits.time_budget_ms = 1;
        let f = inspect_with_budget("slow.pdf".into(), bytes, &opts);
        assert!(
            f.pdf
                .limit_hit
                .as_deref()
                .is_some_and(|l| l.contains("time budget")),
            "{:?}",
            f.pdf
        );
        assert!(!f.sha256.is_empty());
        assert!(!cacheable(&f), "a blown budget is true of this run only");
    }

    #[test]
    fn a_worker_given_up_on_is_replaced_for_the_next_file() {
        let mut slow = b"%PDF-1.7\n".to_vec();
        slow.resize(24 << 20, b'x');
        let mut tight = InspectOptions::default();
        tight.limits.time_budget_ms = 1;
        let f = inspect_with_budget("slow.pdf".into(), slow, &tight);
        assert!(f.pdf.limit_hit.is_some(), "{:?}", f.pdf);
        // Same thread, next file: a fresh worker, not the abandoned one.
        let ok = inspect_with_budget("empty.pdf".into(), Vec::new(), &InspectOptions::default());
        assert_eq!(ok.kind, FileKind::Empty);
        assert!(ok.pdf.limit_hit.is_none(), "{:?}", ok.pdf);
        assert!(cacheable(&ok));
    }

    #[test]
    fn a_reused_read_buffer_holds_only_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let (big, small) = (dir.path().join("big.pdf"), dir.path().join("small.pdf"));
        std::fs::write(&big, vec![b'a'; 300_000]).unwrap();
        std::fs::write(&small, b"%PDF-1.4 small").unwrap();
        let first = read_file(&big).unwrap();
        let f = inspect_with_budget("big.pdf".into(), first, &InspectOptions::default());
        assert_eq!(f.size, 300_000);
        let second = read_file(&small).unwrap();
        assert_eq!(second, b"%PDF-1.4 small");
        let f = inspect_with_budget("small.pdf".into(), second, &InspectOptions::default());
        assert_eq!(f.size, 14);
        assert_eq!(f.sha256, crate::hash::sha256_hex(b"%PDF-1.4 small"));
    }
}
