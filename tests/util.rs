//! What every integration test shares: the binary under a known environment,
//! and one way to compare output with a committed file.

use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tlkc` with the caller's language and colour settings removed, so output
/// does not depend on who runs the tests (ripgrep's `TestCommand`).
pub struct TestCommand(Command);

impl TestCommand {
    pub fn new() -> Self {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tlkc"));
        for var in ["TLKC_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] {
            c.env_remove(var);
        }
        c.env("NO_COLOR", "1");
        TestCommand(c)
    }
}

impl Default for TestCommand {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for TestCommand {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.0
    }
}

impl DerefMut for TestCommand {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.0
    }
}

/// A path under the package root.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Compare `actual` with the committed file `rel` (snapshots, generated docs).
/// `UPDATE_SNAPSHOTS=1` (or `UPDATE_DOCS=1`) rewrites the file instead.
pub fn assert_matches_file(rel: &str, actual: &str) {
    let path = repo_path(rel);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || std::env::var_os("UPDATE_DOCS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("missing {rel}: run UPDATE_SNAPSHOTS=1 cargo test --test integration")
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or(expected.lines().count().min(actual.lines().count()) + 1);
        panic!(
            "{rel} differs from line {line}; review, then UPDATE_SNAPSHOTS=1 cargo test --test integration\n--- actual ---\n{actual}"
        );
    }
}

/// Whether the tests run under CI (`CI` set, and not to "" / "0" / "false").
/// There a suite that needs something from outside the repository must run.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// The one way a test skips: `what` (../shared, a tool) is missing, and
/// `how` says how to get it. Without CI the test prints why and returns, so
/// a newcomer without `../shared` or Chromium still gets a green run; under
/// `CI=true` it fails, because a skipped conformance suite would look like a
/// passing one.
pub fn missing(what: &str, how: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    let msg = format!("{test}: {what} is missing ({how})");
    if in_ci() {
        panic!("{msg}; CI=true requires it: a skipped suite would look like a passing one");
    }
    // Straight to stderr, not eprintln!: the test harness would swallow it, and
    // the newcomer should see what did not run.
    let _ = writeln!(std::io::stderr(), "skipped {msg}");
}

/// `../shared/REL` (the team's domain material, beside the repository) when
/// it exists; otherwise [`missing`] and `None`.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = repo_path("../shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    missing(
        &format!("../shared/{rel}"),
        "the shared corpus and trust notes live in a folder named `shared` beside this repository; \
         put it there to run this suite",
    );
    None
}

/// How to get OCR for the tests that need it.
pub const TESSERACT_HOW: &str =
    "apt-get install tesseract-ocr tesseract-ocr-vie, or set TLKC_TESSERACT=/path/to/tesseract";
