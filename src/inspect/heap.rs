//! Keeping a long run's memory flat under glibc's allocator (issue 25).
//!
//! Each file is inspected on a worker thread (the watchdog of
//! [`crate::inspect::guard`]; one long-lived worker per caller thread, replaced
//! when the watchdog gives up on it), and glibc gives every thread an arena. The file's
//! parse (lopdf objects, decoded streams, the bytes) comes and goes there, but
//! the few kilobytes of facts that outlive it used to be allocated among those
//! short-lived blocks, and each kept a page of the arena resident: about 80 KB
//! of resident memory per file for 5 KB of facts, 1.5 GB at 20,000 files.
//! Three things undo it: what is kept of the facts is copied out of the
//! inspection thread's arena as soon as they arrive (a fresh
//! `facts::KeptFacts` for `tlkc check`, [`relocate`] for the whole facts
//! `tlkc inspect` keeps); every [`TRIM_EVERY`] files
//! the free pages in the middle of the arenas go back to the system
//! ([`note_file_done`]), which glibc does only at an arena's top on its own;
//! and the mmap threshold is fixed ([`tune`]), so a huge block (a big file's
//! bytes, a large decoded stream) always gets pages of its own instead of a
//! hole between the facts kept.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::facts::FileFacts;

/// Files between two trims: rare enough to cost nothing measurable, often
/// enough that what accumulates in between stays a few megabytes.
pub const TRIM_EVERY: usize = 64;

static DONE: AtomicUsize = AtomicUsize::new(0);

/// A copy of `facts` made on the calling thread, so that what a run keeps
/// does not pin the pages of the finished inspection thread's arena.
pub fn relocate(facts: FileFacts) -> FileFacts {
    facts.clone()
}

/// Count one inspected file; every [`TRIM_EVERY`] files, hand free memory back.
pub fn note_file_done() {
    if DONE.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
        trim();
    }
}

/// Blocks of [`MMAP_THRESHOLD`] bytes or more are mapped on their own and
/// unmapped when freed. glibc starts at 128 KiB but raises the threshold each
/// time such a block is freed (up to 32 MiB), after which a huge file's bytes
/// are carved from the arenas and leave holes that the facts kept pin down.
/// 4 MiB and not glibc's 128 KiB: a file's bytes are read into a buffer
/// reused from file to file (up to 4 MiB, `guard::read_file`), and what
/// lopdf allocates lives on the inspection worker's arena, which keeps
/// nothing (the facts are copied off it); below 4 MiB, fresh pages for every
/// stream copy cost page faults and unmapping for nothing (e-office bench,
/// 2,000 files: 89k → 68k page faults, same peak RSS at 2,000 and 20,000 files).
/// Called once, first thing, by the binary.
pub const MMAP_THRESHOLD: usize = 4 << 20;

/// Free memory at the top of an arena that glibc keeps mapped instead of
/// returning it at once. Fixing the mmap threshold (above) also fixes this at
/// glibc's initial 128 KiB, so each file's parse (a few hundred KiB to a few
/// MiB on the worker's arena) was handed back when it was freed and faulted
/// in again for the next file. At the mmap threshold: a larger block has its
/// own mapping anyway. Measured (e-office, release): 2,000 files 65k → 13k
/// minor faults, 0.55 → 0.33 s system time; 20,000 files 689k → 137k faults,
/// 5.5 → 4.4 s system time, same peak RSS (124 MB both). The periodic
/// [`trim`] still returns what lies free below the top.
pub const TRIM_THRESHOLD: usize = MMAP_THRESHOLD;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt takes two integers and only changes allocator settings;
    // a fixed threshold also turns glibc's dynamic adjustment off.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD as std::ffi::c_int);
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD as std::ffi::c_int);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

/// Return the free pages of every malloc arena to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn trim() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim takes no pointer, is thread-safe (it locks each
    // arena in turn), and only releases pages that hold no allocation.
    unsafe {
        malloc_trim(0);
    }
}

/// Other allocators (musl, macOS, Windows) return free memory on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn trim() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocated_facts_are_equal() {
        let f = FileFacts {
            sha256: "ab".repeat(32),
            ..FileFacts::pdf("a/b.pdf")
        };
        assert_eq!(relocate(f.clone()), f);
    }

    #[test]
    fn trimming_keeps_live_memory_intact() {
        let keep: Vec<String> = (0..1000).map(|i| format!("giữ {i}")).collect();
        for _ in 0..TRIM_EVERY {
            note_file_done();
        }
        trim();
        assert_eq!(keep[999], "giữ 999");
    }
}
