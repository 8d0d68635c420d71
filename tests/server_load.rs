//! `tlkc server` under load, on loopback only (issue 27): 100 unit
//! accounts each upload a 30-file folder, 8 at a time, and the server is
//! killed hard (SIGKILL) half-way and started again on the same data
//! folder. Then: every upload that got 201 is there, with every file's
//! SHA-256 in the ledger and its bytes in the store; no upload is half
//! stored (whatever the server kept is a whole folder, and nothing is
//! left in its incoming folder); the uploads waiting when it died are
//! checked after the restart, every check done and none failed; and the
//! server's peak resident memory (VmHWM) stays under [`MAX_PEAK_KB`].
//!
//! The folders: 28 small signed PDFs shared by every unit (the store keeps
//! them once, and concurrent uploads of the same bytes race to store
//! them), the unit's own tlkc.toml and a note of its own. The timed
//! figures are bench/server_upload.sh's, not this test's.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::server_util::{bearer, folder_parts, multipart, DataDir};

const UNITS: usize = 100;
const FILES: usize = 30;
const CONCURRENCY: usize = 8;
/// Peak resident memory of the server process, in KB: measured 48–50 MB
/// (debug build, two check workers); the bound is about two and a half
/// times that. Uploads are streamed to disk, so the peak follows the
/// checks (one unit's facts per worker), not the bytes in flight.
const MAX_PEAK_KB: u64 = 128 * 1024;

fn folder_of(i: usize, pool: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let mut parts = pool.to_vec();
    parts.push((
        "tlkc.toml".into(),
        format!("unit = \"{}\"\nas_of = \"2022-11-30\"\n", unit_name(i)).into_bytes(),
    ));
    parts.push((
        "1.2.1 Báo cáo CCHC/ghi chú.txt".into(),
        format!("Ghi chú của {} (lần tải thử tải nặng)\n", unit_name(i)).into_bytes(),
    ));
    assert_eq!(parts.len(), FILES);
    parts
}

fn unit_name(i: usize) -> String {
    format!("UBND xã Tải Nặng {i:03}")
}

/// Peak resident memory (VmHWM) of a running process, in KB.
pub fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// (path, SHA-256) of a folder, paths as the server keeps them (NFC).
fn hashes(parts: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    parts
        .iter()
        .map(|(p, b)| (tlkc::text::nfc(p), tlkc::hash::sha256_hex(b)))
        .collect()
}

struct Account {
    slug: String,
    token: String,
}

/// One upload attempt's outcome.
enum Sent {
    Created(i64),
    /// The server went away mid-request (killed): nothing is promised.
    Lost,
}

fn send(agent: &ureq::Agent, base: &str, a: &Account, body: &(String, Vec<u8>)) -> Sent {
    let r = agent
        .post(format!("{base}/api/units/{}/uploads", a.slug))
        .header("Authorization", &bearer(&a.token))
        .header("Content-Type", &body.0)
        .send(&body.1[..]);
    match r {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let text = r.body_mut().read_to_string().unwrap_or_default();
            assert_eq!(status, 201, "{}: {text}", a.slug);
            let v: Value = serde_json::from_str(&text).unwrap();
            Sent::Created(v["id"].as_i64().unwrap())
        }
        Err(_) => Sent::Lost,
    }
}

#[test]
fn a_hundred_units_upload_at_once_and_a_crash_loses_no_committed_upload() {
    let data = DataDir::new(&[]);
    let gen = tempfile::tempdir().unwrap();
    samplegen::bench::write_small_corpus(gen.path(), FILES - 2).unwrap();
    let ev = gen.path().join("evidence");
    std::fs::remove_file(ev.join("tlkc.toml")).unwrap();
    let pool = folder_parts(&ev);
    assert_eq!(pool.len(), FILES - 2);

    // The accounts, made with the real commands, a few at a time.
    let next = AtomicUsize::new(0);
    let made = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= UNITS {
                    return;
                }
                let name = unit_name(i);
                let slug = data.unit(&name);
                let login = format!("tainang{i:03}");
                data.user(&login, Some(&name));
                let token = data.token(&login);
                made.lock().unwrap().insert(i, Account { slug, token });
            });
        }
    });
    let accounts: Vec<Account> = made.into_inner().unwrap().into_values().collect();
    let folders: Vec<Vec<(String, Vec<u8>)>> = (0..UNITS).map(|i| folder_of(i, &pool)).collect();
    let bodies: Vec<(String, Vec<u8>)> = folders.iter().map(|f| multipart(f)).collect();

    let server = data.start(&["--check-workers", "2"]);
    let base = Arc::new(RwLock::new(server.base.clone()));
    let server = Mutex::new(Some(server));
    let created: Mutex<Vec<(usize, i64)>> = Mutex::new(Vec::new());
    let lost = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let mut peaks = Vec::new();
    let (mut committed_at_crash, mut unchecked_at_crash) = (0, 0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY {
            s.spawn(|| {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(300)))
                    .build()
                    .into();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= UNITS {
                        return;
                    }
                    // An officer whose upload broke off sends it again.
                    let deadline = Instant::now() + Duration::from_secs(120);
                    loop {
                        let b = base.read().unwrap().clone();
                        match send(&agent, &b, &accounts[i], &bodies[i]) {
                            Sent::Created(id) => {
                                created.lock().unwrap().push((i, id));
                                break;
                            }
                            Sent::Lost => {
                                lost.fetch_add(1, Ordering::SeqCst);
                                assert!(Instant::now() < deadline, "unit {i} never got through");
                                std::thread::sleep(Duration::from_millis(200));
                            }
                        }
                    }
                }
            });
        }
        // Half-way, the crash: SIGKILL, then a start on the same folder.
        while created.lock().unwrap().len() < UNITS / 2 {
            assert!(
                started.elapsed() < Duration::from_secs(600),
                "half the uploads not in after 10 minutes"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let first = server.lock().unwrap().take().unwrap();
        peaks.push(peak_kb(first.pid()));
        first.kill_hard();
        let committed_before: Vec<(usize, i64)> = created.lock().unwrap().clone();
        committed_at_crash = committed_before.len();
        let again = data.start(&["--check-workers", "2"]);
        *base.write().unwrap() = again.base.clone();
        // Everything committed before the crash is there at once.
        for (i, id) in &committed_before {
            let a = &accounts[*i];
            let r = again.get(
                &format!("/api/units/{}/uploads/{id}", a.slug),
                &[("Authorization", &bearer(&a.token))],
            );
            assert_eq!(
                r.status,
                200,
                "upload {id} of unit {i} after the crash: {}",
                r.text()
            );
            if r.json()["state"] != "done" {
                unchecked_at_crash += 1;
            }
        }
        *server.lock().unwrap() = Some(again);
    });
    let uploaded = started.elapsed();
    let server = server.into_inner().unwrap().unwrap();
    let created = created.into_inner().unwrap();
    assert_eq!(created.len(), UNITS, "every unit got a 201");

    // Every upload the server holds is a whole folder, the one its unit
    // sent, with every file's SHA-256 in the ledger; every 201 is among them.
    let mut checked = 0;
    for (i, a) in accounts.iter().enumerate() {
        let auth = bearer(&a.token);
        let h = [("Authorization", auth.as_str())];
        let want = hashes(&folders[i]);
        let list = server
            .get(&format!("/api/units/{}/uploads", a.slug), &h)
            .json();
        let ids: Vec<i64> = list["uploads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_i64().unwrap())
            .collect();
        for (_, id) in created.iter().filter(|(u, _)| *u == i) {
            assert!(
                ids.contains(id),
                "unit {i}: upload {id} (201) lost: {ids:?}"
            );
        }
        let log = server.get(&format!("/api/units/{}/log", a.slug), &h).json();
        for id in &ids {
            let event = log["events"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["kind"] == "upload" && e["details"]["upload"] == *id)
                .unwrap_or_else(|| panic!("unit {i}: upload {id} not in the ledger"));
            let logged: BTreeMap<String, String> = event["details"]["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap().to_string(),
                        f["sha256"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(logged, want, "unit {i}: upload {id} is not the folder sent");
            // The check: done (after the restart for those queued at the
            // crash), over the whole folder.
            let report = server.get(&format!("/api/units/{}/uploads/{id}/report", a.slug), &h);
            assert_eq!(
                report.status,
                200,
                "unit {i}, upload {id}: {}",
                report.text()
            );
            // Every file but tlkc.toml (the folder's settings) is evidence.
            assert_eq!(report.json()["summary"]["files"], FILES as u64 - 1);
            assert_eq!(report.json()["unit"], unit_name(i));
            checked += 1;
            // The unit's own file comes back byte for byte.
            let note = server.get(
                &format!(
                    "/units/{}/uploads/{id}/files/1.2.1%20B%C3%A1o%20c%C3%A1o%20CCHC/ghi%20ch%C3%BA.txt",
                    a.slug
                ),
                &h,
            );
            assert_eq!(note.status, 200);
            assert_eq!(
                tlkc::hash::sha256_hex(&note.body),
                want["1.2.1 Báo cáo CCHC/ghi chú.txt"]
            );
        }
    }
    assert!(checked >= UNITS);

    // The store holds every file's bytes under its hash; nothing half
    // received is left in the incoming folder.
    for sha in folders.iter().flat_map(|f| hashes(f).into_values()) {
        let object = data.dir.join("store").join(&sha[..2]).join(&sha);
        let bytes = std::fs::read(&object).unwrap_or_else(|e| panic!("{}: {e}", object.display()));
        assert_eq!(tlkc::hash::sha256_hex(&bytes), sha);
    }
    let left: Vec<_> = std::fs::read_dir(data.dir.join("tmp"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left in tmp/: {left:?}");

    peaks.push(peak_kb(server.pid()));
    let _ = server.stop();
    eprintln!(
        "load: {UNITS} units × {FILES} files, {CONCURRENCY} at a time: {:.1} s to upload \
         (SIGKILL after {committed_at_crash} uploads committed, {unchecked_at_crash} of them not \
         yet checked; {} requests cut off and sent again); {checked} uploads checked {:.1} s \
         later; server peak RSS {:?} KB (before the crash, after)",
        uploaded.as_secs_f64(),
        lost.load(Ordering::SeqCst),
        started.elapsed().as_secs_f64() - uploaded.as_secs_f64(),
        peaks
    );
    for p in &peaks {
        assert!(
            *p > 0 && *p <= MAX_PEAK_KB,
            "server peak RSS {p} KB (bound {MAX_PEAK_KB} KB)"
        );
    }
}
