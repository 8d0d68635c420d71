//! The index and audit trail, end to end on the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_tlkc");

/// A ruleset with one statistics-scored unit: a folder of plain files is
/// then ready to submit (warnings only), so `submit` works without --force.
pub(crate) const TINY_RULES: &str = r#"
[framework]
id = "tiny-test"
title = "Tiny test ruleset"
year = 2022
level = "huyện"
province = "Test"

[[area]]
id = "1"
title = "Area"
max_points = 1

[[area.criterion]]
id = "1.1"
title = "Statistics only"
max_points = 1
statistics = "system data"
"#;

pub(crate) fn tlkc(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("TLKC_LANG", "en")
        .env("USER", "tester")
        .stdin(Stdio::null())
        .output()
        .expect("run tlkc")
}

pub(crate) fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub(crate) fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A minimal valid one-page PDF whose page says `words`.
pub(crate) fn pdf(words: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({words}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Set `p`'s mtime an hour back, as files in a real folder are older than
/// the check: a file modified within seconds of an index write is re-read
/// by the next run too (git's racy rule), which the counters would show.
pub(crate) fn age(p: &Path) {
    set_mtime(p, SystemTime::now() - Duration::from_secs(3600));
}

/// Put `p`'s mtime to `t` (its change time still moves: no user can set that).
pub(crate) fn set_mtime(p: &Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(p)
        .and_then(|f| f.set_modified(t))
        .expect("set mtime");
}

/// An evidence folder of plain files plus the tiny ruleset (outside the folder).
pub(crate) struct Folder {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) rules: PathBuf,
}

impl Folder {
    pub(crate) fn new(files: &[(&str, &[u8])]) -> Folder {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("evidence");
        for (rel, bytes) in files {
            let p = dir.join(rel);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, bytes).expect("write");
            age(&p);
        }
        fs::create_dir_all(&dir).expect("mkdir");
        let rules = tmp.path().join("tiny.toml");
        fs::write(&rules, TINY_RULES).expect("write rules");
        Folder {
            _tmp: tmp,
            dir,
            rules,
        }
    }

    pub(crate) fn d(&self) -> &str {
        self.dir.to_str().expect("utf-8 temp path")
    }

    pub(crate) fn r(&self) -> &str {
        self.rules.to_str().expect("utf-8 temp path")
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.join(".tlkc").join("tlkc.db")
    }

    pub(crate) fn check(&self, extra: &[&str]) -> Output {
        let mut a = vec![
            "check",
            self.d(),
            "--rules",
            self.r(),
            "--as-of",
            "2022-12-31",
        ];
        a.extend_from_slice(extra);
        tlkc(&a)
    }

    pub(crate) fn check_json(&self, extra: &[&str]) -> serde_json::Value {
        let mut a = vec!["--format", "json"];
        a.extend_from_slice(extra);
        let o = self.check(&a);
        assert_ne!(code(&o), 2, "{}", text(&o));
        serde_json::from_slice(&o.stdout).expect("json report")
    }

    pub(crate) fn submit(&self, extra: &[&str]) -> Output {
        let mut a = vec![
            "submit",
            self.d(),
            "--rules",
            self.r(),
            "--as-of",
            "2022-12-31",
            "--note",
            "test",
        ];
        a.extend_from_slice(extra);
        tlkc(&a)
    }

    pub(crate) fn cmd(&self, name: &str, extra: &[&str]) -> Output {
        let mut a = vec![name, self.d()];
        a.extend_from_slice(extra);
        tlkc(&a)
    }

    pub(crate) fn sql(&self, sql: &str) {
        let c = rusqlite::Connection::open(self.db()).expect("open db");
        c.execute_batch(sql).expect("sql");
    }
}

pub(crate) fn counters(report: &serde_json::Value) -> (u64, u64, u64) {
    let i = &report["summary"]["index"];
    (
        i["hashed"].as_u64().expect("hashed"),
        i["inspected"].as_u64().expect("inspected"),
        i["reused"].as_u64().expect("reused"),
    )
}

fn three_files() -> Folder {
    Folder::new(&[
        ("a.txt", b"alpha"),
        ("sub/b.txt", b"bravo"),
        ("sub/c.pdf", &pdf("charlie")),
    ])
}

#[test]
fn warm_check_rehashes_nothing() {
    let f = three_files();
    assert_eq!(counters(&f.check_json(&[])), (3, 3, 0));
    assert_eq!(counters(&f.check_json(&[])), (0, 0, 3), "warm run");
    assert_eq!(
        counters(&f.check_json(&["--rehash"])),
        (3, 0, 3),
        "fixity pass"
    );
    fs::write(f.dir.join("a.txt"), b"alpha 2").expect("edit");
    age(&f.dir.join("a.txt"));
    assert_eq!(counters(&f.check_json(&[])), (1, 1, 2), "one edit");
    let o = f.check(&["--verbose"]);
    assert!(
        text(&o).contains("3 files, 0 hashed, 0 inspected, 3 reused"),
        "{}",
        text(&o)
    );
    assert!(f.db().is_file());
}

#[test]
fn changes_are_logged_and_named_by_fix_checks() {
    let f = three_files();
    let o = f.submit(&[]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    fs::write(f.dir.join("sub/b.txt"), b"bravo changed").expect("edit");
    fs::remove_file(f.dir.join("a.txt")).expect("rm");
    fs::write(f.dir.join("d.txt"), b"delta").expect("add");
    let o = f.check(&["--format", "json"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let fix: Vec<(String, String)> = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with("FIX")))
        .map(|f| {
            assert!(f["message"].as_str().unwrap_or("").contains("submission 1"));
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        fix,
        vec![
            ("FIX002".to_string(), "a.txt".to_string()),
            ("FIX001".to_string(), "sub/b.txt".to_string())
        ]
    );
    let log = f.cmd("log", &["--format", "json"]);
    let evs: serde_json::Value = serde_json::from_slice(&log.stdout).expect("log json");
    let kinds: Vec<&str> = evs
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or(""))
        .collect();
    // Newest first: the last check logged d.txt seen, b changed, a removed.
    assert_eq!(
        &kinds[..4],
        &["check_run", "removed", "changed", "first_seen"],
        "{kinds:?}"
    );
    assert_eq!(evs[0]["actor"], "tester");
    assert!(evs[0]["local"].as_str().unwrap_or("").ends_with("+07:00"));
    let only_b = f.cmd("log", &["--path", "sub/b.txt"]);
    let t = text(&only_b);
    assert!(
        t.contains("changed") && t.contains("first_seen") && !t.contains("a.txt"),
        "{t}"
    );
    let future = f.cmd("log", &["--since", "2999-01-01"]);
    assert!(text(&future).contains("No events."), "{}", text(&future));

    let d = f.cmd("diff", &[]);
    assert_eq!(code(&d), 1);
    let t = text(&d);
    assert!(
        t.contains("+ d.txt") && t.contains("~ sub/b.txt") && t.contains("- a.txt"),
        "{t}"
    );
    assert!(t.contains("1 unchanged"), "{t}");
}

#[test]
fn submit_refuses_errors_unless_forced() {
    let f = Folder::new(&[("broken.pdf", b"not a pdf at all")]);
    let o = f.submit(&[]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let t = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        t.contains("submission not recorded") && t.contains("PDF001"),
        "{t}"
    );
    assert!(text(&f.cmd("diff", &[])).contains("no submission"));
    let o = f.submit(&["--force"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("recorded submission 1"));
    let d = f.cmd("diff", &["1"]);
    assert_eq!(code(&d), 0, "{}", text(&d));
}

#[test]
fn submit_honours_quiet_as_check_does() {
    let f = Folder::new(&[("a.txt", b"alpha")]);
    // -q: no report on stdout, the closing line on stderr.
    let o = f.submit(&["-q"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("recorded submission 1"), "{err}");
    // -qq: nothing at all; the exit code tells.
    let o = f.submit(&["-qq"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", text(&o));
    // --output is still written under -qq.
    let report = f.dir.parent().expect("parent").join("submit.json");
    let o = f.submit(&[
        "-qq",
        "--format",
        "json",
        "-o",
        report.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", text(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(&report).expect("report")).expect("json");
    assert_eq!(v["ready"], true);
    let log = f.cmd("log", &["--format", "json"]);
    let events: serde_json::Value = serde_json::from_slice(&log.stdout).expect("log json");
    let submissions = events
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "submission")
        .count();
    assert_eq!(submissions, 3, "every quiet submit was recorded");
    // Refused: one line with -q, nothing with -qq, the report never on stdout.
    let g = Folder::new(&[("broken.pdf", b"not a pdf at all")]);
    let o = g.submit(&["-q"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("submission not recorded"), "{err}");
    let o = g.submit(&["-qq"]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{}", text(&o));
}

#[test]
fn verify_names_changed_and_missing_files() {
    let f = three_files();
    assert_eq!(code(&f.submit(&[])), 0);
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 0, "{}", text(&v));
    assert!(text(&v).contains("RESULT: VERIFIED"));

    let p = f.dir.join("sub/c.pdf");
    let mut bytes = fs::read(&p).expect("read");
    bytes[20] ^= 1;
    fs::write(&p, &bytes).expect("write");
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 1, "{}", text(&v));
    assert!(
        text(&v).contains("FAIL sub/c.pdf: changed since submission 1"),
        "{}",
        text(&v)
    );

    fs::remove_file(f.dir.join("a.txt")).expect("rm");
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 1);
    assert!(text(&v).contains("FAIL a.txt: missing"), "{}", text(&v));
    // The failed verifications were logged too.
    let log = text(&f.cmd("log", &[]));
    assert!(
        log.contains("verification") && log.contains("FAILED"),
        "{log}"
    );
}

/// Tamper with the ledger as someone with the `sqlite3` shell would: the
/// append-only triggers are dropped first, since they guard only against accidents.
fn tampered(sql: &str) -> String {
    let f = three_files();
    assert_eq!(code(&f.submit(&[])), 0);
    assert_eq!(code(&f.cmd("verify", &[])), 0);
    f.sql(&format!(
        "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; {sql}"
    ));
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 1, "{}", text(&v));
    text(&v)
}

#[test]
fn verify_names_an_altered_event() {
    let t = tampered("UPDATE events SET actor = 'mallory' WHERE seq = 2;");
    assert!(
        t.contains("FAIL event #2: its content does not match its hash"),
        "{t}"
    );
}

#[test]
fn verify_names_a_deleted_event() {
    let t = tampered("DELETE FROM events WHERE seq = 3;");
    assert!(t.contains("FAIL event #3: missing"), "{t}");
}

#[test]
fn verify_names_reordered_events() {
    let t = tampered(
        "UPDATE events SET seq = -2 WHERE seq = 2;
         UPDATE events SET seq = 2 WHERE seq = 3;
         UPDATE events SET seq = 3 WHERE seq = -2;",
    );
    assert!(t.contains("FAIL event #2:"), "{t}");
}

#[test]
fn verify_names_events_cut_off_the_end() {
    // The last events are the submission's check and the verification.
    let t = tampered("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);");
    assert!(t.contains("cut off the end"), "{t}");
}

#[test]
fn verify_names_a_rewritten_submission() {
    // Rewriting what was submitted (to hide a later edit) breaks the chain at that event.
    let t = tampered(
        "UPDATE events SET details = replace(details, '\"note\":\"test\"', '\"note\":\"other\"') WHERE kind = 'submission';",
    );
    assert!(t.contains("FAIL event #"), "{t}");
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let f = three_files();
    assert_ne!(code(&f.check(&[])), 2);
    f.sql("PRAGMA user_version = 99;");
    let before = fs::read(f.db()).expect("db");
    let o = f.check(&[]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("newer tlkc"), "{}", text(&o));
    assert_eq!(fs::read(f.db()).expect("db"), before);
}

#[test]
fn db_flag_puts_the_index_elsewhere() {
    let f = three_files();
    let db = f.dir.parent().expect("parent").join("elsewhere.db");
    let dbs = db.to_str().expect("utf-8");
    let o = f.check(&["--db", dbs]);
    assert_ne!(code(&o), 2, "{}", text(&o));
    assert!(db.is_file());
    assert!(!f.dir.join(".tlkc").exists());
    let o = tlkc(&["log", f.d(), "--db", dbs]);
    assert!(text(&o).contains("check_run"), "{}", text(&o));
    // An index kept inside the folder is never taken for evidence.
    let inside = f.dir.join("index.db");
    let o = f.check(&["--db", inside.to_str().expect("utf-8"), "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["summary"]["files"], 3, "{}", text(&o));
}

fn bagit_available() -> bool {
    Command::new("python3")
        .args(["-c", "import bagit"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn exported_bag_is_valid_bagit() {
    let f = Folder::new(&[
        ("1.1 Thống kê/kế hoạch.txt", b"plan"),
        ("odd name (1).txt", b"odd"),
        ("sub/c.pdf", &pdf("charlie")),
    ]);
    fs::write(f.dir.join("tlkc.toml"), "unit = \"UBND huyện Đắk Glei\"\n").expect("toml");
    assert_eq!(code(&f.submit(&[])), 0);
    let out = f.dir.parent().expect("parent").join("bag");
    let o = f.cmd("export", &["--bag", out.to_str().expect("utf-8")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let info = fs::read_to_string(out.join("bag-info.txt")).expect("bag-info");
    assert!(
        info.contains("Source-Organization: UBND huyện Đắk Glei"),
        "{info}"
    );
    assert!(
        info.contains("External-Identifier: tlkc:tiny-test:submission-1"),
        "{info}"
    );
    assert!(info.contains("Payload-Oxum: "), "{info}");
    let manifest = fs::read_to_string(out.join("manifest-sha256.txt")).expect("manifest");
    assert!(
        manifest.contains("  data/1.1 Thống kê/kế hoạch.txt\n"),
        "{manifest}"
    );
    assert!(out.join("data/sub/c.pdf").is_file());
    assert!(out.join("tlkc-report.json").is_file() && out.join("tlkc-report.txt").is_file());
    let tags = fs::read_to_string(out.join("tagmanifest-sha256.txt")).expect("tagmanifest");
    assert!(
        tags.contains("tlkc-report.json") && tags.contains("bag-info.txt"),
        "{tags}"
    );
    // An existing, non-empty target is refused.
    let again = f.cmd("export", &["--bag", out.to_str().expect("utf-8")]);
    assert_eq!(code(&again), 2);
    assert!(text(&again).contains("not empty"), "{}", text(&again));
    assert!(text(&f.cmd("log", &[])).contains("export"));
    if !bagit_available() {
        crate::util::missing(
            "the python3 module `bagit` (reference BagIt validator)",
            "python3 -m pip install bagit",
        );
        return;
    }
    let v = Command::new("python3")
        .args([
            "-c",
            "import sys, bagit; b = bagit.Bag(sys.argv[1]); b.validate(); print('valid', len(list(b.payload_files())))",
        ])
        .arg(&out)
        .output()
        .expect("python3");
    assert!(v.status.success(), "{}", text(&v));
    assert!(text(&v).contains("valid 3"), "{}", text(&v));
}

#[test]
fn manifest_paths_percent_encode_percent() {
    // RFC 8493 §2.1.3. bagit-python 1.9 decodes only %0D/%0A, so this bag is
    // checked here rather than by it (it would look for "100%25.txt").
    let f = Folder::new(&[("odd name 100%.txt", b"percent")]);
    assert_eq!(code(&f.submit(&[])), 0);
    let out = f.dir.parent().expect("parent").join("bag");
    let o = f.cmd("export", &["--bag", out.to_str().expect("utf-8")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let manifest = fs::read_to_string(out.join("manifest-sha256.txt")).expect("manifest");
    assert!(
        manifest.ends_with("  data/odd name 100%25.txt\n"),
        "{manifest}"
    );
    assert!(out.join("data/odd name 100%.txt").is_file());
}

/// (path, bytes, mtime) of every file under `dir`, `.tlkc/` excluded.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".tlkc") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let m = fs::metadata(&p).expect("meta").modified().expect("mtime");
                out.push((p.clone(), fs::read(&p).expect("read"), m));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn evidence_files_are_never_written() {
    let f = Folder::new(&[
        ("a.txt", b"alpha"),
        ("1.1/b.pdf", &pdf("bravo")),
        ("deep/er/c.txt", b"charlie"),
        ("tlkc.toml", b"unit = \"X\"\n"),
    ]);
    let before = snapshot(&f.dir);
    std::thread::sleep(Duration::from_millis(20));
    assert_ne!(code(&f.check(&[])), 2);
    assert_ne!(code(&f.check(&["--rehash"])), 2);
    assert_eq!(code(&f.submit(&[])), 0);
    assert_ne!(code(&f.cmd("diff", &[])), 2);
    assert_eq!(code(&f.cmd("verify", &[])), 0);
    let out = f.dir.parent().expect("parent").join("bag");
    assert_eq!(
        code(&f.cmd("export", &["--bag", out.to_str().expect("utf-8")])),
        0
    );
    assert_eq!(code(&f.cmd("log", &[])), 0);
    assert_eq!(snapshot(&f.dir), before);
    let top: Vec<String> = fs::read_dir(&f.dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    assert!(top.contains(&".tlkc".to_string()));
    assert_eq!(top.len(), 5, "only .tlkc/ was added: {top:?}");
}

fn many_files(n: usize) -> Folder {
    let files: Vec<(String, Vec<u8>)> = (0..n)
        .map(|i| {
            (
                format!("f{:02}/doc{i:04}.pdf", i % 10),
                pdf(&format!("document {i}")),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    Folder::new(&refs)
}

#[test]
fn a_killed_run_leaves_an_index_the_next_run_completes() {
    let f = many_files(600);
    for delay_ms in [40u64, 120, 250] {
        let mut child = Command::new(BIN)
            .args([
                "check",
                f.d(),
                "--rules",
                f.r(),
                "--as-of",
                "2022-12-31",
                "--rehash",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        // Child::kill is SIGKILL on Unix: no destructor, no rollback by us.
        let _ = child.kill();
        let _ = child.wait();
    }
    let r = f.check_json(&[]);
    assert_eq!(r["summary"]["files"], 600);
    let (hashed, inspected, reused) = counters(&r);
    assert_eq!(inspected + reused, 600);
    assert!(hashed <= 600);
    assert_eq!(
        counters(&f.check_json(&[])),
        (0, 0, 600),
        "consistent after recovery"
    );
    let c = rusqlite::Connection::open(f.db()).expect("db");
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(ok, "ok");
    let rows: i64 = c
        .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
        .expect("rows");
    assert_eq!(rows, 600);
    let seen: i64 = c
        .query_row(
            "SELECT count(*) FROM events WHERE kind = 'first_seen'",
            [],
            |r| r.get(0),
        )
        .expect("events");
    assert_eq!(seen, 600, "each file first seen exactly once");
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 0, "{}", text(&v));
}

#[test]
fn two_processes_on_one_folder_do_not_corrupt_it() {
    let f = many_files(150);
    let spawn = || {
        Command::new(BIN)
            .args(["check", f.d(), "--rules", f.r(), "--as-of", "2022-12-31"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let o = child.wait_with_output().expect("wait");
        // Either it waited its turn, or it said clearly that the index was
        // busy (in Vietnamese, the default language: "chỉ mục đang bận").
        if code(&o) == 2 {
            let said = text(&o);
            assert!(said.contains("đang bận") || said.contains("busy"), "{said}");
        }
    }
    let c = rusqlite::Connection::open(f.db()).expect("db");
    let seen: i64 = c
        .query_row(
            "SELECT count(*) FROM events WHERE kind = 'first_seen'",
            [],
            |r| r.get(0),
        )
        .expect("events");
    assert_eq!(seen, 150, "no file logged twice");
    let v = f.cmd("verify", &[]);
    assert_eq!(code(&v), 0, "{}", text(&v));
}
