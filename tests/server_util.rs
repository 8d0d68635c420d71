//! Start the real `tlkc server` for a test: a data folder made with the
//! real commands (`server init`, `unit add`, `user add`, `token add`), the
//! server on 127.0.0.1 with a random port, and an HTTP client. Shared by
//! the API tests and meant for the browser and load tests too.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::util::TestCommand;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// A server data folder in a temporary directory.
pub struct DataDir {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

fn tlkc(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut c = TestCommand::new();
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "tlkc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl DataDir {
    /// `server init` with the builtin ruleset and the samples' test CA
    /// (the anchor the sample folder's own tlkc.toml names).
    pub fn new(extra: &[&str]) -> DataDir {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let anchor = super::util::repo_path("samples/test-ca/root.pem");
        let mut args = vec![
            "server",
            "init",
            dir.to_str().unwrap(),
            "--province",
            "Sở Nội vụ tỉnh Kon Tum",
            "--rules",
            "builtin:kon-tum-2022-huyen",
            "--trust-anchor",
            anchor.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        tlkc(&args, None);
        DataDir { tmp, dir }
    }

    fn d(&self) -> &str {
        self.dir.to_str().unwrap()
    }

    /// `unit add NAME`; returns the unit's URL slug.
    /// `unit add NAME --as-of 2022-11-30`: the day of evaluation is the
    /// province's (an uploaded tlkc.toml's `as_of` is not read); the test
    /// units are judged on the shipped sample's day, as `tlkc check` judges it.
    pub fn unit(&self, name: &str) -> String {
        let out = tlkc(
            &[
                "server",
                "unit",
                self.d(),
                "add",
                name,
                "--as-of",
                "2022-11-30",
            ],
            None,
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// `user add LOGIN --unit NAME` (or `--province` when `unit` is None).
    pub fn user(&self, login: &str, unit: Option<&str>) {
        let mut args = vec!["server", "user", self.d(), "add", login];
        match unit {
            Some(u) => args.extend(["--unit", u]),
            None => args.push("--province"),
        }
        tlkc(&args, Some(&format!("{PASSWORD}\n")));
    }

    /// `token add LOGIN`: the bearer token.
    pub fn token(&self, login: &str) -> String {
        let out = tlkc(&["server", "token", self.d(), "add", login], None);
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    pub fn start(&self, extra: &[&str]) -> Server {
        Server::start(&self.dir, extra)
    }
}

/// A running `tlkc server run`; stopped (SIGTERM, then killed) on drop.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub agent: ureq::Agent,
    stderr: Option<std::thread::JoinHandle<String>>,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    pub fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut c = TestCommand::new();
        c.args(["server", "run"])
            .arg(dir)
            .args(["--listen", "127.0.0.1:0", "--no-ocr"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut err = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("tlkc server: ")
            .unwrap_or_else(|| panic!("no address on stdout: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        Server {
            child: Some(child),
            base,
            agent,
            stderr: Some(stderr),
        }
    }

    fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut r = r.unwrap_or_else(|e| panic!("request failed: {e}"));
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        Reply {
            status: r.status().as_u16(),
            headers,
            body,
        }
    }

    /// GET with the given headers (e.g. ("Authorization", "Bearer …")).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::reply(req.call())
    }

    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut req = self.agent.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::reply(req.send(body))
    }

    /// POST a multipart upload of (file name, bytes) parts with a bearer token.
    pub fn upload(&self, unit: &str, token: &str, parts: &[(String, Vec<u8>)]) -> Reply {
        let (ctype, body) = multipart(parts);
        self.post(
            &format!("/api/units/{unit}/uploads"),
            &[
                ("Authorization", &format!("Bearer {token}")),
                ("Content-Type", &ctype),
            ],
            &body,
        )
    }

    /// The server's process id (`/proc/PID/status` has its peak memory).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// SIGKILL, as a crash: nothing is finished, nothing is flushed.
    pub fn kill_hard(mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then wait (a clean stop finishes running checks); returns stderr.
    pub fn stop(mut self) -> String {
        let mut child = self.child.take().unwrap();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                assert!(status.success(), "server exit: {status:?}");
                break;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
        self.stderr.take().unwrap().join().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A multipart/form-data body: one `file` part per (file name, bytes).
pub fn multipart(parts: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "tlkc-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, bytes) in parts {
        let escaped = name.replace('"', "%22");
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{escaped}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every file under `root` as (relative path with `/`, bytes), sorted, as
/// the upload page sends them: tlkc's own `.tlkc/` folder (left by a local
/// check) is not sent.
pub fn folder_parts(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != ".tlkc")
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
