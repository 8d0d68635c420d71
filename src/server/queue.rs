//! The check queue: committed uploads wait in the database (state
//! `queued`), a bounded pool of worker threads checks them one unit at a
//! time (a unit's index and folder are its own), progress is kept in
//! memory for the poll endpoint. A stop lets running checks finish; what
//! was still queued is checked at the next start.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;
use serde_json::json;

use super::check::{self, Settings, UnitCheck};
use super::data::{DataDir, Limits};
use super::db;
use super::store::Store;
use super::ServerError;
use crate::inspect::guard::Progress;
use crate::rules::Ruleset;

/// Everything but HTTP: shared by the handlers and the check workers.
pub struct Core {
    pub data: DataDir,
    pub db: Mutex<Connection>,
    pub store: Store,
    pub settings: Settings,
    /// The province's ruleset.
    pub rules: Ruleset,
    pub province: String,
    pub limits: Limits,
    /// Most uploads waiting to be checked before new ones are refused (503).
    pub max_queued: i64,
    /// (files inspected, files) of uploads being checked.
    progress: Mutex<HashMap<i64, (u64, u64)>>,
    sender: Mutex<Option<mpsc::Sender<i64>>>,
    receiver: Mutex<mpsc::Receiver<i64>>,
    unit_locks: Mutex<HashMap<i64, Arc<Mutex<()>>>>,
    stopping: AtomicBool,
    /// The server is shutting down: requests waiting for a check answer now.
    pub closing: AtomicBool,
}

impl Core {
    pub fn new(
        data: DataDir,
        conn: Connection,
        settings: Settings,
        rules: Ruleset,
        province: String,
        limits: Limits,
    ) -> Core {
        let (tx, rx) = mpsc::channel();
        Core {
            store: Store::new(&data),
            data,
            db: Mutex::new(conn),
            settings,
            rules,
            province,
            limits,
            max_queued: 1000,
            progress: Mutex::new(HashMap::new()),
            sender: Mutex::new(Some(tx)),
            receiver: Mutex::new(rx),
            unit_locks: Mutex::new(HashMap::new()),
            stopping: AtomicBool::new(false),
            closing: AtomicBool::new(false),
        }
    }

    /// The database, even after a panic elsewhere held it (SQLite keeps it consistent).
    pub fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn enqueue(&self, id: i64) {
        if let Some(tx) = self
            .sender
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = tx.send(id);
        }
    }

    /// (inspected, total) while the upload is being checked.
    pub fn progress(&self, id: i64) -> Option<(u64, u64)> {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .copied()
    }

    /// Start `n` workers, after queueing what a stop or crash left unchecked.
    pub fn start(
        self: &Arc<Self>,
        n: usize,
    ) -> Result<Vec<std::thread::JoinHandle<()>>, ServerError> {
        for id in db::pending(&self.conn())? {
            self.enqueue(id);
        }
        Ok((0..n.max(1))
            .map(|i| {
                let core = Arc::clone(self);
                std::thread::Builder::new()
                    .name(format!("tlkc-check-{i}"))
                    .spawn(move || core.work())
                    .unwrap_or_else(|e| panic!("cannot start a check worker: {e}"))
            })
            .collect())
    }

    /// Workers finish the check they are running and stop.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    fn work(&self) {
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            let next = self
                .receiver
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .recv_timeout(Duration::from_millis(200));
            match next {
                Ok(id) => {
                    if let Err(e) = self.check_upload(id) {
                        let msg = e.to_string();
                        let c = self.conn();
                        let _ = db::finish(&c, id, Err(&msg));
                        let _ = db::log(
                            &c,
                            db::Event {
                                kind: "check_failed",
                                login: None,
                                unit_id: db::upload(&c, id).ok().flatten().map(|u| u.unit_id),
                                address: "-",
                                details: json!({ "upload": id, "error": msg }),
                            },
                        );
                    }
                }
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn unit_lock(&self, unit: i64) -> Arc<Mutex<()>> {
        let mut m = self.unit_locks.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(m.entry(unit).or_default())
    }

    fn check_upload(&self, id: i64) -> Result<(), ServerError> {
        let (upload, files, unit) = {
            let c = self.conn();
            let Some(upload) = db::upload(&c, id)? else {
                return Ok(());
            };
            if upload.state == "done" || upload.state == "failed" {
                return Ok(());
            }
            let files = db::files(&c, id)?;
            let unit = db::unit_by_id(&c, upload.unit_id)?
                .ok_or_else(|| ServerError::Invalid(format!("upload {id}: no unit")))?;
            db::set_state(&c, id, "checking")?;
            (upload, files, unit)
        };
        let lock = self.unit_lock(unit.id);
        let _held = lock.lock().unwrap_or_else(|p| p.into_inner());
        self.set_progress(id, Some((0, files.len() as u64)));
        let dir = self.data.unit(unit.id);
        let work = dir.join("work");
        let result = (|| {
            self.store.materialise(&files, &work)?;
            let own_rules;
            let rules = match &unit.rules {
                Some(f) => {
                    own_rules = super::data::load_rules(&self.data, f)?;
                    &own_rules
                }
                None => &self.rules,
            };
            let as_of = unit
                .as_of
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let req = UnitCheck {
                root: &work,
                index_db: &dir.join("index.db"),
                rules,
                as_of,
                today: super::today(),
                actor: &upload.login,
            };
            let observe = |p: Progress| {
                let mut m = self.progress.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(e) = m.get_mut(&id) {
                    match p {
                        Progress::Files(n) => e.1 = n,
                        Progress::Inspected => e.0 += 1,
                        Progress::OcrPage => {}
                    }
                }
            };
            let report = check::check_folder(&req, &self.settings, &observe)?;
            check::render(
                &report,
                &format!("/units/{}/uploads/{id}/files/", unit.slug),
            )
        })();
        self.set_progress(id, None);
        // Said to the unit: paths inside its upload, not the server's folders.
        let r = result.map_err(|e| {
            let prefix = format!("{}{}", work.display(), std::path::MAIN_SEPARATOR);
            ServerError::Invalid(e.to_string().replace(&prefix, ""))
        })?;
        let c = self.conn();
        db::finish(&c, id, Ok(&r))?;
        db::log(
            &c,
            db::Event {
                kind: "check",
                login: Some(&upload.login),
                unit_id: Some(unit.id),
                address: "-",
                details: json!({
                    "upload": id, "ready": r.ready, "errors": r.errors, "warnings": r.warnings,
                    "estimated": r.estimated, "max": r.max,
                    "report_json_sha256": crate::hash::sha256_hex(r.report_json.as_bytes()),
                }),
            },
        )?;
        Ok(())
    }

    fn set_progress(&self, id: i64, v: Option<(u64, u64)>) {
        let mut m = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        match v {
            Some(v) => {
                m.insert(id, v);
            }
            None => {
                m.remove(&id);
            }
        }
    }
}
