//! Inspection under guard: every file is inspected on a worker with panic
//! isolation and a wall-clock budget, so one hostile file becomes facts about
//! that file (PDF001/PDF005 later), never a stalled or aborted run.

use std::path::PathBuf;

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
/// returns is all that is held of them.
pub fn inspect_all(
    d: &Discovery,
    opts: &InspectOptions,
    observe: &(dyn Fn(Progress) + Sync),
    keep: &(dyn Fn(FileFacts) -> FileFacts + Sync),
) -> Vec<FileFacts> {
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
    match std::fs::read(&e.abs) {
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

/// [`inspect_with_budget`] with the file's hash ([`super::signature::filehash::hash_file`])
/// when the caller already has it, so the bytes are read and hashed once per run.
pub fn inspect_with_budget_sha(
    rel: String,
    bytes: Vec<u8>,
    sha256: Option<FileHash>,
    opts: &InspectOptions,
) -> FileFacts {
    let budget = Budget::from_limits(&opts.limits);
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_opts = opts.clone();
    let worker_rel = rel.clone();
    let bytes = std::sync::Arc::new(bytes);
    let worker_bytes = std::sync::Arc::clone(&bytes);
    // The worker takes the kept hash states; the watchdog keeps the digest.
    let digest = sha256.as_ref().map(|h| h.sha256.clone());
    let worker_sha = sha256;
    let worker_budget = budget.clone();
    let spawned = std::thread::Builder::new()
        .name("tlkc-inspect".into())
        .spawn(move || {
            let _ = tx.send(inspect_guarded_within(
                worker_rel,
                &worker_bytes,
                worker_sha,
                &worker_opts,
                &worker_budget,
            ));
        });
    if spawned.is_err() {
        let hash = digest.map(FileHash::only);
        return inspect_guarded_within(rel, &bytes, hash, opts, &budget);
    }
    let facts = match rx.recv_timeout(budget.limit()) {
        Ok(facts) => super::heap::relocate(facts),
        Err(_) => {
            // The worker stops at its next look at the budget.
            budget.cancel();
            over_budget(rel, &bytes, digest, budget.limit())
        }
    };
    drop(bytes);
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
            match std::fs::read(p) {
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
}
