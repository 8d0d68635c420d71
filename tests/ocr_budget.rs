//! Inspection that stops when its budget ends, and an OCR engine that cannot
//! hold the run: oversized scans (3 KB files declaring 20,000² images), fake
//! Tesseract programs (TLKC_TESSERACT) that hang, flood, leave grandchildren
//! or fill stderr, and outcomes of one slow moment that must not be cached.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use samplegen::oversized::{blank_g4_scan, write_oversized_scans};

/// A shell script made executable: a stand-in for Tesseract.
fn fake_tesseract(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Detection as a real Tesseract answers it (`vie` installed, one version for every fake,
/// so that their facts share one cache key).
const DETECTS: &str = r#"case "$1" in
  --list-langs) printf 'List of available languages in "/fake/" (2):\neng\nvie\n'; exit 0;;
  --version) echo 'tesseract 5.3.0 (fake)'; exit 0;;
esac"#;

const TSV_HEAD: &str =
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";

/// Recognition output of a Decree 30 header read with confidence.
fn header_tsv() -> String {
    let lines: [&[&str]; 3] = [
        &["Số:", "45/BC-UBND"],
        &["Kon", "Tum,", "ngày", "18", "tháng", "3", "năm", "2022"],
        &["BÁO", "CÁO"],
    ];
    let mut out = vec![TSV_HEAD.to_string()];
    for (block, words) in lines.iter().enumerate() {
        for (i, w) in words.iter().enumerate() {
            out.push(format!(
                "5\t1\t{}\t1\t1\t{}\t0\t0\t10\t10\t96\t{w}",
                block + 1,
                i + 1
            ));
        }
    }
    out.join("\n") + "\n"
}

/// A script body that prints `tsv` (written next to it) as recognition output.
fn answers(dir: &Path, name: &str, tsv: &str) -> String {
    let file = dir.join(format!("{name}.tsv"));
    std::fs::write(&file, tsv).unwrap();
    format!("cat > /dev/null\ncat '{}'", file.display())
}

/// `tlkc ARGS` with `TLKC_TESSERACT=tesseract`; a run that outlives `limit`
/// is killed and fails the test (a hang must not hang the suite).
fn tlkc_with(tesseract: &Path, args: &[&str], limit: Duration) -> (Output, Duration) {
    let out = tempfile::tempdir().unwrap();
    let (so, se) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut cmd = crate::util::TestCommand::new();
    cmd.args(args)
        .env("TLKC_TESSERACT", tesseract)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&so).unwrap())
        .stderr(std::fs::File::create(&se).unwrap());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("run tlkc");
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tlkc {args:?} still running after {limit:?}: {}",
                std::fs::read_to_string(&se).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = Output {
        status,
        stdout: std::fs::read(&so).unwrap(),
        stderr: std::fs::read(&se).unwrap(),
    };
    (output, started.elapsed())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {}", stderr(o)))
}

fn findings<'a>(r: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn check_args(dir: &Path) -> Vec<String> {
    ["check", &dir.display().to_string(), "--as-of", "2022-11-30"]
        .into_iter()
        .chain(["--lang", "en", "--format", "json"])
        .map(str::to_string)
        .collect()
}

fn run_check(tesseract: &Path, dir: &Path, extra: &[&str]) -> Output {
    let mut args = check_args(dir);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tlkc_with(tesseract, &args, Duration::from_secs(240)).0
}

/// Ten 3 KB files, each a blank 20,000 × 20,000 CCITT G4 scan, read with
/// OCR on: the run finishes and reports (the memory it takes is measured in
/// bench/oversized_scans.sh). With less image memory than one of them needs,
/// each is PDF005, refused before it is decoded.
#[test]
fn ten_oversized_scans_finish_with_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    let written = write_oversized_scans(&evidence, 10).unwrap();
    let tess = fake_tesseract(
        dir.path(),
        "tesseract",
        &format!("{DETECTS}\ncat > /dev/null\necho '{TSV_HEAD}'"),
    );

    let o = run_check(&tess, &evidence, &[]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let r = report(&o);
    let listed: Vec<&str> = r["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .flat_map(|c| c["files"].as_array().into_iter().flatten())
        .filter_map(|f| f.as_str())
        .collect();
    for rel in &written {
        assert!(listed.contains(&rel.as_str()), "{rel} not in the report");
    }

    std::fs::write(
        evidence.join("tlkc.toml"),
        "[limits]\nmax_image_bytes = 100000000\n",
    )
    .unwrap();
    let o = run_check(&tess, &evidence, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = report(&o);
    let too_large = findings(&r, "PDF005");
    assert_eq!(too_large.len(), 10, "{too_large:#?}");
    for f in too_large {
        let msg = f["message"].as_str().unwrap_or_default();
        assert!(msg.contains("max_image_bytes"), "{msg}");
    }
}

/// A scan whose page OCR is asked to read (a small blank image on an A4 page).
fn small_scan_folder(dir: &Path, time_budget_ms: u64) -> PathBuf {
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(evidence.join("1.2.1")).unwrap();
    std::fs::write(
        evidence.join("1.2.1/bao-cao.pdf"),
        blank_g4_scan(1240, 1754, (595.0, 842.0)),
    )
    .unwrap();
    std::fs::write(
        evidence.join("tlkc.toml"),
        format!("[limits]\ntime_budget_ms = {time_budget_ms}\n"),
    )
    .unwrap();
    evidence
}

fn ocr_unavailable(o: &Output) -> bool {
    stderr(o).contains("OCR unavailable")
}

#[test]
fn a_detection_that_hangs_or_floods_leaves_ocr_off_and_the_run_going() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = small_scan_folder(dir.path(), 15_000);
    let hangs = fake_tesseract(
        dir.path(),
        "hangs",
        "case \"$1\" in --list-langs) echo vie;; *) exec sleep 600;; esac",
    );
    let floods = fake_tesseract(dir.path(), "floods", "exec yes vie-and-more");
    for fake in [hangs, floods] {
        let (o, took) = tlkc_with(
            &fake,
            &check_args(&evidence)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            Duration::from_secs(120),
        );
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        assert!(ocr_unavailable(&o), "{fake:?}: {}", stderr(&o));
        report(&o);
        assert!(took < Duration::from_secs(60), "{fake:?} took {took:?}");
    }
}

/// True when `pid` is gone (or a zombie waiting for its reaper: it runs no more).
fn dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state == "Z" || state == "X"),
    }
}

#[test]
fn a_recognition_that_outlives_its_deadline_is_killed_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = small_scan_folder(dir.path(), 3_000);
    let pidfile = dir.path().join("grandchild.pid");
    // The wrapper starts a grandchild that would outlive it, then hangs.
    let body = format!(
        "{DETECTS}\ncat > /dev/null\nsleep 600 &\necho $! > '{}'\nwait",
        pidfile.display()
    );
    let fake = fake_tesseract(dir.path(), "wrapper", &body);
    let o = run_check(&fake, &evidence, &[]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    report(&o);
    let pid: u32 = std::fs::read_to_string(&pidfile)
        .expect("the wrapper ran")
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !dead(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(dead(pid), "grandchild {pid} survived the OCR deadline");
}

#[test]
fn a_recognition_that_fills_stderr_is_read_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.pdf");
    std::fs::write(&scan, blank_g4_scan(1240, 1754, (595.0, 842.0))).unwrap();
    // 200 KB on stderr before the image is even read: an undrained pipe holds it at 64 KB.
    let body = format!(
        "{DETECTS}\nhead -c 200000 /dev/zero | tr '\\0' 'w' >&2\n{}",
        answers(dir.path(), "noisy", &header_tsv())
    );
    let fake = fake_tesseract(dir.path(), "noisy", &body);
    let scan = scan.display().to_string();
    let (o, _) = tlkc_with(
        &fake,
        &["inspect", "--format", "json", &scan],
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let facts: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let doc = &facts[0]["document"];
    assert_eq!(doc["number"], "45/BC-UBND", "{facts:#}");
    assert_eq!(doc["source"], "ocr", "{facts:#}");
}

fn inspected_reused(o: &Output) -> (u64, u64) {
    let r = report(o);
    let i = &r["summary"]["index"];
    (
        i["inspected"].as_u64().expect("inspected"),
        i["reused"].as_u64().expect("reused"),
    )
}

/// The facts the index holds for the scan, as JSON text ("" when none).
fn cached_facts(evidence: &Path) -> String {
    let db = evidence.join(".tlkc/tlkc.db");
    let c = rusqlite::Connection::open(db).expect("index");
    let rows: Vec<String> = c
        .prepare("SELECT facts FROM facts")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.join("\n")
}

#[test]
fn an_ocr_timeout_is_not_cached_the_next_run_reads_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = small_scan_folder(dir.path(), 3_000);
    let slow = fake_tesseract(
        dir.path(),
        "slow",
        &format!("{DETECTS}\ncat > /dev/null\nexec sleep 600"),
    );
    let works = fake_tesseract(
        dir.path(),
        "works",
        &format!("{DETECTS}\n{}", answers(dir.path(), "works", &header_tsv())),
    );

    // A slow moment: the OCR deadline passes. Nothing is cached for the scan.
    let o = run_check(&slow, &evidence, &[]);
    assert_eq!(inspected_reused(&o), (1, 0), "{}", stderr(&o));
    assert!(
        !cached_facts(&evidence).contains("bao-cao"),
        "timeout cached"
    );
    // Nor when it happens again under --rehash.
    let o = run_check(&slow, &evidence, &["--rehash"]);
    assert_eq!(inspected_reused(&o), (1, 0), "{}", stderr(&o));
    assert!(
        !cached_facts(&evidence).contains("bao-cao"),
        "timeout cached"
    );

    // The engine answers: the scan is read and its facts are kept…
    let o = run_check(&works, &evidence, &[]);
    assert_eq!(inspected_reused(&o), (1, 0), "{}", stderr(&o));
    assert!(
        cached_facts(&evidence).contains("45/BC-UBND"),
        "{}",
        cached_facts(&evidence)
    );
    // …and reused by the next run.
    let o = run_check(&works, &evidence, &[]);
    assert_eq!(inspected_reused(&o), (0, 1), "{}", stderr(&o));
}

/// The image memory is refused from the declared size, before decoding, and a
/// stopped budget stops the decoding.
#[test]
fn an_image_is_refused_before_it_is_decoded() {
    use tlkc::inspect::budget::Budget;
    use tlkc::inspect::ocr::images::{self, ImageError, Wanted};
    let pdf = blank_g4_scan(20_000, 20_000, (595.0, 842.0));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let limits = tlkc::config::Limits {
        max_image_bytes: 1 << 20,
        ..Default::default()
    };
    let located = images::locate(&doc, &limits).unwrap();
    let wanted = Wanted {
        share: 0.5,
        factor: 1.0,
    };
    let budget = Budget::new(Duration::from_secs(60));
    match images::decode_top(&doc, &located, &limits, &budget, wanted) {
        Err(ImageError::TooLarge(why)) => assert!(why.contains("191 MiB"), "{why}"),
        other => panic!("{:?}", other.map(|(b, f)| (b.gray.width, b.gray.height, f))),
    }
    budget.cancel();
    let limits = tlkc::config::Limits::default();
    assert!(matches!(
        images::decode_top(&doc, &located, &limits, &budget, wanted),
        Err(ImageError::Stopped)
    ));
}
