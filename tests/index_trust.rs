//! The index never vouches for bytes it did not read (issue 17), on the
//! real binary: an edit that keeps size and mtime, a submission right after
//! one, a folder received with its index, and an edit in the same second as
//! the index write.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use samplegen::fixtures::{default_time, example_spec, signed};
use samplegen::TestPki;

use crate::trail::{age, code, counters, set_mtime, text, Folder};

/// Rewrite one byte in the middle of `p` (`x` → `y`), then put its mtime
/// back: size and mtime are as before, only the change time moved.
fn edit_keeping_size_and_mtime(p: &Path) {
    let before = fs::metadata(p).expect("stat");
    let mtime = before.modified().expect("mtime");
    let mut bytes = fs::read(p).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] = if bytes[mid] == b'x' { b'y' } else { b'x' };
    fs::write(p, &bytes).expect("write");
    set_mtime(p, mtime);
    let after = fs::metadata(p).expect("stat");
    assert_eq!(after.len(), before.len());
    assert_eq!(
        after.modified().expect("mtime"),
        mtime,
        "mtime restored to the ns"
    );
}

fn codes_for(report: &serde_json::Value, path: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn has_code(report: &serde_json::Value, c: &str) -> bool {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["code"] == c)
}

/// A folder holding one validly signed report, its test root trusted
/// through a tlkc.toml (the root PEM sits outside the folder).
fn signed_folder() -> Folder {
    let spec = example_spec();
    let pdf = signed(&spec, default_time(&spec)).expect("signed fixture");
    let f = Folder::new(&[("bc.pdf", &pdf)]);
    let root = f.dir.parent().expect("parent").join("root.pem");
    fs::write(&root, TestPki::get().root_pem()).expect("root");
    fs::write(
        f.dir.join("tlkc.toml"),
        "[trust]\nanchors = [\"../root.pem\"]\n",
    )
    .expect("toml");
    f
}

#[test]
fn an_edit_keeping_size_and_mtime_is_caught_by_check() {
    let f = signed_folder();
    let before = f.check_json(&[]);
    assert!(
        !codes_for(&before, "bc.pdf")
            .iter()
            .any(|c| c.starts_with("SIG")),
        "the intact document has sound signatures: {:?}",
        codes_for(&before, "bc.pdf")
    );
    assert_eq!(counters(&f.check_json(&[])), (0, 0, 1), "warm");
    edit_keeping_size_and_mtime(&f.dir.join("bc.pdf"));
    let after = f.check_json(&[]);
    assert_eq!(counters(&after).0, 1, "the file was read again");
    let sig: Vec<String> = codes_for(&after, "bc.pdf")
        .into_iter()
        .filter(|c| c.starts_with("SIG"))
        .collect();
    assert!(
        sig.iter().any(|c| c == "SIG002" || c == "SIG003"),
        "the broken signature is reported: {sig:?}"
    );
    assert_ne!(after["summary"]["ready"], true);
}

#[test]
fn submit_right_after_such_an_edit_records_the_bytes_and_verify_passes() {
    let f = Folder::new(&[("a.txt", b"alpha"), ("b.txt", b"bravo")]);
    assert_eq!(code(&f.check(&[])), 0);
    edit_keeping_size_and_mtime(&f.dir.join("a.txt"));
    let o = f.submit(&[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 0, "verify after submit: {}", text(&v));
    // The submission holds the hash the file has now.
    let log = f.cmd("log", &["--format", "json"]);
    let events: serde_json::Value = serde_json::from_slice(&log.stdout).expect("log json");
    let sub = events
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "submission")
        .expect("a submission");
    let a = sub["details"]["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|x| x["path"] == "a.txt")
        .expect("a.txt");
    let now = fs::read(f.dir.join("a.txt")).expect("read");
    assert_ne!(now, b"alpha");
    assert_eq!(a["sha256"], sha256_hex(&now));
}

#[test]
fn submit_judges_the_bytes_it_records() {
    let f = signed_folder();
    // A ready folder, checked and indexed…
    let o = f.check(&[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // …whose signed report is then broken behind unchanged size and mtime.
    edit_keeping_size_and_mtime(&f.dir.join("bc.pdf"));
    let o = f.submit(&[]);
    assert_eq!(code(&o), 1, "the gate uses fresh facts: {}", text(&o));
    assert!(text(&o).contains("SIG00"), "{}", text(&o));
}

#[test]
fn a_folder_received_with_its_index_is_not_trusted() {
    let f = Folder::new(&[("a.txt", b"alpha"), ("sub/b.txt", b"bravo")]);
    assert_eq!(counters(&f.check_json(&[])), (2, 2, 0));
    // The unit sends its folder, .tlkc/ included; the province copies it.
    let received = f.dir.parent().expect("parent").join("received");
    copy_tree(&f.dir, &received);
    // The copy keeps mtimes, as archivers and `cp -p` do.
    for rel in ["a.txt", "sub/b.txt"] {
        let t = fs::metadata(f.dir.join(rel))
            .and_then(|m| m.modified())
            .expect("mtime");
        set_mtime(&received.join(rel), t);
    }
    edit_keeping_size_and_mtime(&received.join("a.txt"));
    let r = received.to_str().expect("utf-8");
    let check = |extra: &[&str]| {
        let mut a = vec![
            "check",
            r,
            "--rules",
            f.r(),
            "--as-of",
            "2022-12-31",
            "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        let o = crate::trail::tlkc(&a);
        assert_ne!(code(&o), 2, "{}", text(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
    };
    let first = check(&[]);
    assert_eq!(
        counters(&first),
        (2, 2, 0),
        "read and inspected again, nothing reused"
    );
    assert!(has_code(&first, "FIX003"), "says so: {}", first["findings"]);
    let log = crate::trail::tlkc(&["log", r, "--format", "json"]);
    let log = String::from_utf8_lossy(&log.stdout).to_string();
    assert!(
        log.contains("\"index_claimed\""),
        "the take-over is logged: {log}"
    );
    let second = check(&[]);
    assert_eq!(
        counters(&second),
        (0, 0, 2),
        "once: the index is now this folder's"
    );
    assert!(!has_code(&second, "FIX003"));
    // The sender's own index is still its own.
    let back = f.check_json(&[]);
    assert_eq!(counters(&back), (0, 0, 2));
    assert!(!has_code(&back, "FIX003"));
}

#[test]
fn a_file_written_in_the_same_second_as_the_index_is_read_again() {
    let f = Folder::new(&[("a.txt", b"alpha")]);
    let p = f.dir.join("a.txt");
    // Written now and checked at once: the row is written in the same
    // second as the file's mtime, so it is racy…
    fs::write(&p, b"alpha").expect("write");
    assert_eq!(counters(&f.check_json(&[])).0, 1);
    // …and an edit right after, keeping size and mtime, is caught.
    edit_keeping_size_and_mtime(&p);
    let r = f.check_json(&[]);
    assert_eq!(counters(&r).0, 1, "re-hashed");
    let log = f.cmd("log", &["--format", "json"]);
    assert!(
        String::from_utf8_lossy(&log.stdout).contains("\"changed\""),
        "the edit is logged as a change"
    );
    // The racy rule itself, independent of machine speed: an mtime that is
    // not clearly older than the run (here: in the future) is never
    // trusted, however often the row is rewritten.
    set_mtime(&p, SystemTime::now() + Duration::from_secs(600));
    assert_eq!(counters(&f.check_json(&[])).0, 1);
    assert_eq!(counters(&f.check_json(&[])).0, 1, "still racy: read again");
    // Once the file is clearly older than its row, the index vouches again.
    age(&p);
    assert_eq!(
        counters(&f.check_json(&[])).0,
        1,
        "the mtime moved: read once more"
    );
    assert_eq!(counters(&f.check_json(&[])), (0, 0, 1), "then trusted");
}

#[test]
fn another_folders_submissions_are_not_this_folders_faults() {
    // Folder A submits 14 files…
    let files: Vec<(String, Vec<u8>)> = (0..14)
        .map(|i| (format!("a{i}.txt"), format!("file {i} of A").into_bytes()))
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let a = Folder::new(&refs);
    let o = a.submit(&[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // …and its index is copied into folder B, which holds other files.
    let b = Folder::new(&[("b.txt", b"bravo"), ("a0.txt", b"changed in B")]);
    copy_tree(&a.dir.join(".tlkc"), &b.dir.join(".tlkc"));
    let fix = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .filter(|c| c.starts_with("FIX"))
            .map(str::to_string)
            .collect()
    };
    let first = b.check_json(&[]);
    assert_eq!(fix(&first), ["FIX003"], "{:#}", first["findings"]);
    let msg = first["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "FIX003")
        .and_then(|f| f["message"].as_str())
        .unwrap_or("")
        .to_string();
    assert!(msg.contains("not compared with this folder"), "{msg}");
    // Not on the next run either: the index is B's now, A's submission is still A's.
    let second = b.check_json(&[]);
    assert!(fix(&second).is_empty(), "{:#}", second["findings"]);
    // B's own submission is what B is held to from now on.
    let o = b.submit(&[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    fs::write(b.dir.join("b.txt"), b"BRAVO").expect("write");
    let third = b.check_json(&[]);
    assert_eq!(fix(&third), ["FIX001"], "{:#}", third["findings"]);
    // A's own index still holds A to its submission.
    fs::remove_file(a.dir.join("a1.txt")).expect("rm");
    assert_eq!(fix(&a.check_json(&[])), ["FIX002"]);
}

fn sha256_hex(b: &[u8]) -> String {
    tlkc::hash::sha256_hex(b)
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}
