//! A small Chrome DevTools Protocol client for the browser tests: headless
//! Chromium started with `--remote-debugging-pipe`, where CDP is JSON
//! messages separated by NUL bytes on the browser's file descriptors 3
//! (commands in) and 4 (replies and events out). A shell `exec` puts our
//! stdin/stdout pipes there, so there is no websocket, no debugging port
//! on the machine, no crate and no `unsafe`; and when this process dies,
//! the pipe closes and Chromium quits.
//!
//! Each [`Tab`] lives in a browser context of its own (its own cookies),
//! so three accounts can be logged in at once. Every console message,
//! uncaught exception and log entry (Content-Security-Policy violations
//! are log entries) is kept per tab for [`Tab::problems`].

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Longest wait for one CDP reply (a page load included).
const REPLY: Duration = Duration::from_secs(60);

/// Chromium on PATH (or `CHROMIUM=/path`).
pub fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

struct Wire {
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: u64,
    /// Events (and stray replies) in arrival order.
    events: Vec<Value>,
}

pub struct Browser {
    child: Child,
    wire: Mutex<Wire>,
    /// Chromium's own stderr, for the failure messages.
    log: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Headless Chromium with a fresh profile, or `None` (after saying so)
    /// when it is not installed.
    pub fn launch() -> Option<Browser> {
        let Some(bin) = chromium() else {
            crate::util::missing(
                "chromium",
                "apt-get install chromium (as .ci/run does), or set CHROMIUM=/path",
            );
            return None;
        };
        let profile = tempfile::tempdir().unwrap();
        let log = profile.path().join("chromium-stderr.txt");
        let mut c = Command::new("sh");
        c.arg("-c")
            // fd 3 = our pipe in, fd 4 = our pipe out; stdout joins stderr.
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >&2"#)
            .arg(&bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--window-size=1366,768",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        let mut child = c.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match r.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if buf.last() == Some(&0) {
                            buf.pop();
                        }
                        let Ok(v) = serde_json::from_slice::<Value>(&buf) else {
                            continue;
                        };
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        let b = Browser {
            child,
            wire: Mutex::new(Wire {
                stdin,
                incoming,
                next_id: 0,
                events: Vec::new(),
            }),
            log,
            _profile: profile,
        };
        b.call(None, "Browser.getVersion", json!({}))
            .unwrap_or_else(|e| panic!("chromium does not answer CDP: {e}\n{}", b.stderr()));
        Some(b)
    }

    fn stderr(&self) -> String {
        let s = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = s.lines().rev().take(30).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    }

    /// One CDP command; its `result`, or the protocol's error message.
    pub fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let mut w = self.wire.lock().unwrap_or_else(|p| p.into_inner());
        w.next_id += 1;
        let id = w.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = s.into();
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        w.stdin
            .write_all(&bytes)
            .and_then(|_| w.stdin.flush())
            .map_err(|e| format!("{method}: writing to chromium: {e}"))?;
        let deadline = Instant::now() + REPLY;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match w.incoming.recv_timeout(left) {
                Ok(v) if v["id"].as_u64() == Some(id) => {
                    return match v.get("error") {
                        Some(e) => Err(format!("{method}: {}", e["message"])),
                        None => Ok(v["result"].clone()),
                    };
                }
                Ok(v) => w.events.push(v),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("{method}: no reply in {REPLY:?}"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    drop(w);
                    return Err(format!("{method}: chromium quit\n{}", self.stderr()));
                }
            }
        }
    }

    /// Events received so far for `session`, from index `from` on.
    fn events(&self, session: &str, from: usize) -> Vec<Value> {
        let mut w = self.wire.lock().unwrap_or_else(|p| p.into_inner());
        while let Ok(v) = w.incoming.try_recv() {
            w.events.push(v);
        }
        w.events[from.min(w.events.len())..]
            .iter()
            .filter(|e| e["sessionId"].as_str() == Some(session))
            .cloned()
            .collect()
    }

    fn event_count(&self) -> usize {
        let mut w = self.wire.lock().unwrap_or_else(|p| p.into_inner());
        while let Ok(v) = w.incoming.try_recv() {
            w.events.push(v);
        }
        w.events.len()
    }

    /// A page in a browser context of its own (no cookies shared with any
    /// other tab), with console, exceptions and log entries recorded.
    pub fn tab(&self) -> Tab<'_> {
        let ctx = self
            .call(None, "Target.createBrowserContext", json!({}))
            .unwrap();
        let target = self
            .call(
                None,
                "Target.createTarget",
                json!({ "url": "about:blank", "browserContextId": ctx["browserContextId"] }),
            )
            .unwrap();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target["targetId"], "flatten": true }),
            )
            .unwrap();
        let session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable", "DOM.enable"] {
            self.call(Some(&session), domain, json!({})).unwrap();
        }
        Tab {
            browser: self,
            session,
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call(None, "Browser.close", json!({}));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Tab<'b> {
    browser: &'b Browser,
    session: String,
}

impl Tab<'_> {
    pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        self.browser.call(Some(&self.session), method, params)
    }

    /// Go to `url` and wait for its load event.
    pub fn goto(&self, url: &str) {
        let from = self.browser.event_count();
        let r = self.call("Page.navigate", json!({ "url": url })).unwrap();
        assert!(
            r.get("errorText").is_none(),
            "navigating to {url}: {}",
            r["errorText"]
        );
        self.wait_event("Page.loadEventFired", from, url);
    }

    fn wait_event(&self, method: &str, from: usize, what: &str) {
        let deadline = Instant::now() + REPLY;
        while Instant::now() < deadline {
            if self
                .browser
                .events(&self.session, from)
                .iter()
                .any(|e| e["method"] == method)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{what}: no {method} in {REPLY:?}");
    }

    /// The value of a JavaScript expression (promises awaited).
    pub fn eval(&self, expr: &str) -> Result<Value, String> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(format!("{expr}: {ex}"));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Wait until `expr` is true (a page being replaced counts as "not
    /// yet"); on timeout, fail with where the page is and what it says.
    pub fn wait_until(&self, expr: &str, what: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Value::Bool(true)) = self.eval(expr) {
                return;
            }
            if Instant::now() > deadline {
                let here = self
                    .eval("location.href + '\\n' + (document.body ? document.body.innerText : '')")
                    .unwrap_or_default();
                panic!(
                    "{what}: not within {timeout:?}; the page:\n{}\nproblems: {:#?}",
                    here.as_str().unwrap_or(""),
                    self.problems()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn path(&self) -> String {
        self.eval("location.pathname")
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The HTTP status of the page shown (Navigation Timing).
    pub fn status(&self) -> u64 {
        self.eval("performance.getEntriesByType('navigation')[0].responseStatus")
            .unwrap()
            .as_u64()
            .unwrap_or(0)
    }

    pub fn text(&self) -> String {
        self.eval("document.body.innerText")
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Type into the field `selector` as a keyboard would (focus, then text input).
    pub fn type_into(&self, selector: &str, text: &str) {
        let focused = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({}); if (!e) return false; e.focus(); return document.activeElement === e; }})()",
                js(selector)
            ))
            .unwrap();
        assert_eq!(focused, Value::Bool(true), "cannot focus {selector}");
        self.call("Input.insertText", json!({ "text": text }))
            .unwrap();
    }

    /// A mouse click in the middle of `selector`, as a user clicks.
    pub fn click(&self, selector: &str) {
        let at = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
                js(selector)
            ))
            .unwrap();
        let (Some(x), Some(y)) = (at[0].as_f64(), at[1].as_f64()) else {
            panic!("nothing to click at {selector} on {}", self.path());
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )
            .unwrap();
        }
    }

    /// Hand `paths` to the file input `selector`, as the file chooser does.
    pub fn set_files(&self, selector: &str, paths: &[&Path]) {
        let doc = self.call("DOM.getDocument", json!({ "depth": 0 })).unwrap();
        let node = self
            .call(
                "DOM.querySelector",
                json!({ "nodeId": doc["root"]["nodeId"], "selector": selector }),
            )
            .unwrap();
        assert_ne!(node["nodeId"], 0, "no {selector} on {}", self.path());
        let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        self.call(
            "DOM.setFileInputFiles",
            json!({ "nodeId": node["nodeId"], "files": files }),
        )
        .unwrap();
    }

    /// Paths of the documents this tab has shown, in order.
    pub fn visited(&self) -> Vec<String> {
        self.browser
            .events(&self.session, 0)
            .iter()
            .filter(|e| {
                e["method"] == "Page.frameNavigated" && e["params"]["frame"]["parentId"].is_null()
            })
            .filter_map(|e| e["params"]["frame"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Console errors and warnings, uncaught exceptions and error or
    /// warning log entries (CSP violations among them) seen by this tab.
    pub fn problems(&self) -> Vec<String> {
        self.browser
            .events(&self.session, 0)
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.exceptionThrown" => Some(format!(
                        "exception: {}",
                        p["exceptionDetails"]["exception"]["description"]
                            .as_str()
                            .or(p["exceptionDetails"]["text"].as_str())
                            .unwrap_or("?")
                    )),
                    "Runtime.consoleAPICalled"
                        if matches!(p["type"].as_str(), Some("error" | "assert" | "warning")) =>
                    {
                        Some(format!("console.{}: {}", p["type"], p["args"]))
                    }
                    "Log.entryAdded"
                        if matches!(p["entry"]["level"].as_str(), Some("error" | "warning")) =>
                    {
                        Some(format!(
                            "log {} ({}): {} [{}]",
                            p["entry"]["level"].as_str().unwrap_or(""),
                            p["entry"]["source"].as_str().unwrap_or(""),
                            p["entry"]["text"].as_str().unwrap_or(""),
                            p["entry"]["url"].as_str().unwrap_or("")
                        ))
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

/// A JavaScript string literal.
pub fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}
