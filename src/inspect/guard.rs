//! Inspection under guard: every file is inspected on a worker with panic
//! isolation and a wall-clock budget, so one hostile file becomes facts about
//! that file (PDF001/PDF005 later), never a stalled or aborted run.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::budget::Budget;
use super::signature::filehash::FileHash;
use super::InspectOptions;
use crate::config::Limits;
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
    match load_evidence(&e.abs, &opts.limits) {
        Ok(Loaded::Whole(bytes)) => inspect_with_budget(e.rel.clone(), bytes, opts),
        Ok(Loaded::TooLarge(passed)) => too_large(e.rel.clone(), passed, &opts.limits),
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

/// A file as read for inspection.
pub enum Loaded {
    /// The whole file, in this thread's spare buffer when there was one
    /// (see [`inspect_with_budget_sha`], which gives it back).
    Whole(Vec<u8>),
    /// Larger than `limits.max_file_bytes`: hashed on the way through, never
    /// held whole (a multi-gigabyte video dropped into the folder, or a file
    /// growing while it is read, must not take the machine's memory).
    TooLarge(Passed),
}

/// What was learnt of a file read past `max_file_bytes` without keeping it.
#[derive(Debug, Clone, PartialEq)]
pub struct Passed {
    pub sha256: String,
    pub size: u64,
    /// From the first bytes, as [`super::sniff`] reads them.
    pub kind: FileKind,
}

/// Chunk in which a file too large to keep is hashed.
const PASS_CHUNK: usize = 1 << 20;

/// Read `path`, named by the user (`tlkc inspect FILE`), for inspection: a
/// link is followed. See [`load_opened`].
pub fn load_file(path: &std::path::Path, limits: &Limits) -> std::io::Result<Loaded> {
    load_opened(std::fs::File::open(path)?, limits)
}

/// Read `path`, found by discovery in the evidence folder, for inspection.
/// Discovery skips links, but the name may have been made one since: the
/// open never follows a final link (and never waits on a FIFO), so nothing
/// outside the folder is read in a file's name. See [`load_opened`].
pub fn load_evidence(path: &std::path::Path, limits: &Limits) -> std::io::Result<Loaded> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    load_opened(options.open(path)?, limits)
}

/// Read an opened file for inspection: whole when it holds at most
/// `limits.max_file_bytes`, otherwise only hashed ([`Loaded::TooLarge`]).
/// Only a regular file is read (a device such as /dev/zero never ends).
/// Memory stays within the limit even for a file that grows while it is
/// read, and the read stops at the size it had plus the limit: a file
/// growing without end is hashed up to there, its size then differs from
/// its stat and the next run reads it again.
fn load_opened(mut file: std::fs::File, limits: &Limits) -> std::io::Result<Loaded> {
    use std::io::Read;
    let max = limits.max_file_bytes;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let size = meta.len();
    let stop_at = size.max(max).saturating_add(max);
    let mut buf = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    buf.clear();
    if size <= max {
        buf.reserve(usize::try_from(size).unwrap_or(0).saturating_add(1));
        (&mut file)
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)?;
        if buf.len() as u64 <= max {
            return Ok(Loaded::Whole(buf));
        }
    }
    // Too large (now or by the time it was read): hash what is already in
    // the buffer, then the rest chunk by chunk.
    let mut hasher = Sha256::new();
    let mut head = [0u8; 1024];
    let mut head_len = buf.len().min(head.len());
    head[..head_len].copy_from_slice(&buf[..head_len]);
    hasher.update(&buf);
    let mut total = buf.len() as u64;
    buf.clear();
    buf.resize(PASS_CHUNK, 0);
    while total < stop_at {
        let room = usize::try_from(stop_at - total).unwrap_or(usize::MAX);
        let want = buf.len().min(room);
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if head_len < head.len() {
            let take = n.min(head.len() - head_len);
            head[head_len..head_len + take].copy_from_slice(&buf[..take]);
            head_len += take;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    buf.clear();
    if buf.capacity() <= KEEP_BUFFER {
        BUFFER.with(|b| *b.borrow_mut() = buf);
    }
    Ok(Loaded::TooLarge(Passed {
        sha256: crate::hash::hex(&hasher.finalize()),
        size: total,
        kind: super::sniff(&head[..head_len]),
    }))
}

/// The facts of a file read past `limits.max_file_bytes`: what any other
/// file is when it is not a PDF; a PDF005 (reported like a blown time
/// budget, but true of the bytes, so cacheable) when it is one.
pub fn too_large(rel: String, passed: Passed, limits: &Limits) -> FileFacts {
    let Passed { sha256, size, kind } = passed;
    if kind != FileKind::Pdf {
        return super::not_pdf(rel, sha256, size, kind);
    }
    let limit = format!(
        "file of {size} bytes is larger than max_file_bytes ({})",
        limits.max_file_bytes
    );
    let mut f = stopped_at_limit(rel, size, sha256, limit);
    f.pdf.over_size_limit = Some(limits.max_file_bytes);
    f
}

/// A PDF whose reading stopped at a limit before anything was learnt of it
/// (PDF005; no claim about its contents).
fn stopped_at_limit(path: String, size: u64, sha256: String, limit: String) -> FileFacts {
    let mut f = unreadable(path, size, String::new());
    f.pdf.error = None;
    f.pdf.readable = true;
    f.pdf.limit_hit = Some(limit);
    f.sha256 = sha256;
    f
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
                facts
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
    let sha256 = sha256.unwrap_or_else(|| crate::hash::sha256_hex(bytes));
    let limit = format!("time budget of {} ms exceeded", limit.as_millis());
    let mut f = stopped_at_limit(rel, bytes.len() as u64, sha256, limit);
    f.pdf.transient = true;
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
            match load_file(p, &opts.limits) {
                // Kept whole for the rest of the command: copied off the
                // worker's arena (`tlkc check` keeps a fresh KeptFacts instead).
                Ok(Loaded::Whole(bytes)) => {
                    super::heap::relocate(inspect_with_budget(rel, bytes, opts))
                }
                Ok(Loaded::TooLarge(passed)) => too_large(rel, passed, &opts.limits),
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

    fn limited(max_file_bytes: u64) -> Limits {
        Limits {
            max_file_bytes,
            ..Limits::default()
        }
    }

    #[test]
    fn a_pdf_over_max_file_bytes_is_hashed_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.pdf");
        // Over the limit and over one hashing chunk, so the rest is read in chunks.
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(PASS_CHUNK * 2 + 123, b'x');
        std::fs::write(&p, &bytes).unwrap();
        let limits = limited(4096);
        let Loaded::TooLarge(passed) = load_file(&p, &limits).unwrap() else {
            panic!("read whole past the limit");
        };
        assert_eq!(
            passed,
            Passed {
                sha256: crate::hash::sha256_hex(&bytes),
                size: bytes.len() as u64,
                kind: FileKind::Pdf,
            }
        );
        let f = too_large("big.pdf".into(), passed, &limits);
        assert!(f.pdf.readable, "{:?}", f.pdf);
        assert_eq!(f.pdf.over_size_limit, Some(4096));
        let hit = f.pdf.limit_hit.as_deref().unwrap_or_default();
        assert!(hit.contains("max_file_bytes (4096)"), "{hit}");
        assert_eq!(f.size, bytes.len() as u64);
        assert!(cacheable(&f), "the size is a fact about the bytes");
        // At the limit exactly, the file is read and inspected as usual.
        let Loaded::Whole(whole) = load_file(&p, &limited(bytes.len() as u64)).unwrap() else {
            panic!("a file at the limit is read whole");
        };
        assert_eq!(whole, bytes);
    }

    /// A name discovery found may have been made a link, a FIFO or a device
    /// since: reading it in the folder's name reads nothing else, waits on
    /// nothing and never reads without end.
    #[cfg(unix)]
    #[test]
    fn an_evidence_file_is_read_only_if_it_is_a_regular_file_there() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.pdf");
        std::fs::write(&outside, b"%PDF-1.7 secret").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let limits = Limits::default();
        assert!(
            load_evidence(&link, &limits).is_err(),
            "a link is not followed"
        );
        // Named by the user on the command line, a link is followed.
        assert!(
            matches!(load_file(&link, &limits), Ok(Loaded::Whole(b)) if b == b"%PDF-1.7 secret")
        );
        let fifo = dir.path().join("fifo.pdf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(
                load_evidence(&fifo, &limits).is_err(),
                "a FIFO is refused, not waited on"
            );
        }
        // A device never ends: refused before a byte is read.
        let err = load_file(std::path::Path::new("/dev/zero"), &limited(4096))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn another_file_over_max_file_bytes_has_the_facts_of_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("video.mp4");
        let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        let limits = limited(1000);
        let Loaded::TooLarge(passed) = load_file(&p, &limits).unwrap() else {
            panic!("read whole past the limit");
        };
        let f = too_large("video.mp4".into(), passed, &limits);
        // Exactly what inspecting the whole file says of it.
        let whole =
            super::super::inspect_bytes("video.mp4".into(), &bytes, &InspectOptions::default());
        assert_eq!(f, whole);
        assert_eq!(f.kind, FileKind::Other);
        assert_eq!(f.pdf.over_size_limit, None);
    }

    #[test]
    fn a_reused_read_buffer_holds_only_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let (big, small) = (dir.path().join("big.pdf"), dir.path().join("small.pdf"));
        std::fs::write(&big, vec![b'a'; 300_000]).unwrap();
        std::fs::write(&small, b"%PDF-1.4 small").unwrap();
        let whole = |p: &std::path::Path| match load_file(p, &Limits::default()).unwrap() {
            Loaded::Whole(bytes) => bytes,
            Loaded::TooLarge(p) => panic!("{p:?}"),
        };
        let first = whole(&big);
        let f = inspect_with_budget("big.pdf".into(), first, &InspectOptions::default());
        assert_eq!(f.size, 300_000);
        let second = whole(&small);
        assert_eq!(second, b"%PDF-1.4 small");
        let f = inspect_with_budget("small.pdf".into(), second, &InspectOptions::default());
        assert_eq!(f.size, 14);
        assert_eq!(f.sha256, crate::hash::sha256_hex(b"%PDF-1.4 small"));
    }
}
