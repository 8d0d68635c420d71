//! Memory guard (issue 25): what `tlkc check` keeps per file, measured as the
//! slope of peak resident memory between a folder of 100 and one of 800 small
//! signed PDFs. Memory is not noisy the way time is: this tests retention, not
//! speed. On this corpus the slope was 59–74 KB per file with the glibc arena
//! regression, 13–16 KB once it was fixed (every file's facts held whole for
//! evaluation), and 7–8 KB with facts streamed (each file's own checks run as
//! its facts arrive; the rest of the run keeps its findings, its document facts
//! and its index row), and 6.0–6.6 KB once kept lists are made to their length,
//! the report is streamed to its file and the facts go straight to the list
//! the run keeps (issue 25, third round), and 4.6–5.1 KB once the run keeps
//! a compact form of each file's facts (`facts::KeptFacts`) and its own
//! findings at their exact number (issue 25, third pass; release builds on
//! the same corpus: 7.0–7.2 KB before, 4.5–4.9 KB after).
//! Peak memory is read by GNU time (`/usr/bin/time -v`); without it the test
//! says so and passes, except under CI=true.

use std::path::Path;

use crate::util::TestCommand;

/// The most a run may keep per file, in KB: 4.6–5.1 KB measured, plus
/// margin; holding every file's facts whole again (13–16 KB), or the room of
/// lists grown by doubling (~2.4 KB more per signed file), fails it.
const MAX_KB_PER_FILE: f64 = 7.0;

const TIME: &str = "/usr/bin/time";
const GNU_TIME_HOW: &str = "apt-get install time";

/// Peak RSS in KB of `tlkc check --no-ocr` over `n` generated files, or
/// `None` when GNU time is not there to measure it.
fn peak_rss_kb(n: usize) -> Option<u64> {
    let tmp = tempfile::tempdir().unwrap();
    samplegen::bench::write_small_corpus(tmp.path(), n).unwrap();
    let ev = tmp.path().join("evidence");
    let db = tmp.path().join("index.db");
    let tlkc = TestCommand::new();
    let mut cmd = std::process::Command::new(TIME);
    cmd.arg("-v")
        .arg(tlkc.get_program())
        .args(["check", "--no-ocr", "--no-progress", "-qq", "--db"])
        .arg(&db)
        .arg(&ev);
    for (k, v) in tlkc.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("Maximum resident set size"))?;
    // tlkc exits 1 on findings (the corpus has cut files): it must have run, not failed.
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "tlkc check over {n} files failed: {err}"
    );
    Some(line.rsplit(':').next()?.trim().parse().unwrap())
}

#[test]
fn peak_memory_per_file_stays_small() {
    if !Path::new(TIME).exists() {
        crate::util::missing(
            &format!("{TIME} (GNU time, reads peak memory)"),
            GNU_TIME_HOW,
        );
        return;
    }
    let (Some(small), Some(large)) = (peak_rss_kb(100), peak_rss_kb(800)) else {
        crate::util::missing(
            &format!("GNU time at {TIME} ({TIME} -v printed no peak memory)"),
            GNU_TIME_HOW,
        );
        return;
    };
    let slope = (large as f64 - small as f64) / 700.0;
    eprintln!("peak RSS {small} KB at 100 files, {large} KB at 800: {slope:.1} KB/file");
    assert!(
        slope <= MAX_KB_PER_FILE,
        "peak RSS grew {slope:.1} KB per file ({small} KB at 100 files, {large} KB at 800): \
         something per file is kept for the whole run (bound {MAX_KB_PER_FILE} KB/file)"
    );
}
