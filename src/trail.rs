//! Glue for the audit-trail commands (check with the index, submit, log,
//! diff, verify, export): index + ledger + bag, rendered for people or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::TransactionBehavior;
use serde::Serialize;
use serde_json::{json, Value};

use crate::bag::{self, BagError, BagInfo, PayloadFile, TagFile};
use crate::checks::fixity::SubmittedFile;
use crate::discover::Discovery;
use crate::findings::{Lang, Severity};
use crate::index::ledger::verify::{verify_chain, ChainReport};
use crate::index::ledger::{self, Event, Kind, Stamp, Submission, SubmissionDetails};
use crate::index::store::{load_files, trusted_hash, CachedStage};
use crate::index::{Index, IndexError};
use crate::inspect::sha256_hex;
use crate::run::{self, CheckInput, Report, RunError};

#[derive(Debug, thiserror::Error)]
pub enum TrailError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Bag(#[from] BagError),
    #[error("no submission recorded yet: run `tlkc submit` first")]
    NoSubmission,
    #[error("no submission number {0} in the ledger")]
    NoSuchSubmission(u64),
    #[error("{0}: cannot be read, so what is submitted cannot be recorded")]
    Unreadable(String),
    #[error("the reports stored for submission {0} do not match the ledger (SHA-256 differs); run `tlkc verify`")]
    ReportTampered(u64),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Who acts: `--actor`, else the OS user (USER, USERNAME), else "unknown".
pub fn actor(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// `--db`, else `DIR/.tlkc/tlkc.db`.
pub fn db_path(dir: &Path, explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::index::default_path(dir))
}

/// What an indexed check produced besides the report.
pub struct IndexedRun {
    pub report: Report,
    /// (path, criteria) of every file checked.
    pub filed: Vec<(String, Vec<String>)>,
    pub check_seq: i64,
}

/// `tlkc check` with the index: cached inspection, FIX001/FIX002 against the
/// last submission (when `fixity`), and a `check_run` event.
pub fn indexed_check(
    input: &CheckInput,
    index: &mut Index,
    stamp: &Stamp,
    rehash: bool,
    fixity: bool,
    observe: &(dyn Fn(run::Progress) + Sync),
) -> Result<IndexedRun, TrailError> {
    let last = if fixity {
        ledger::submission(index.conn(), None)?.map(|s| s.last())
    } else {
        None
    };
    let mut stage = CachedStage::new(index, stamp, rehash);
    let report = run::check_with(input, &mut stage, last.as_ref(), observe)?;
    let filed = std::mem::take(&mut stage.filed);
    let s = report.summary();
    let details = json!({
        "ruleset": report.rules.framework.id,
        "as_of": report.as_of.format("%Y-%m-%d").to_string(),
        "files": s.files,
        "errors": s.errors,
        "warnings": s.warnings,
        "infos": s.infos,
        "points_at_risk": format!("{:.2}", s.points_at_risk),
        "ready": s.errors == 0,
        "last_submission": last.as_ref().map(|l| l.number),
    });
    let tx = index
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(IndexError::from)?;
    let ev = ledger::append(&tx, stamp, Kind::CheckRun, details)?;
    tx.commit().map_err(IndexError::from)?;
    Ok(IndexedRun {
        report,
        filed,
        check_seq: ev.seq,
    })
}

/// Record a submission of exactly the files of `run`. The caller has
/// already decided it may be made (no errors, or `--force`).
pub fn record_submission(
    index: &mut Index,
    stamp: &Stamp,
    run: &IndexedRun,
    note: &str,
    forced: bool,
    report_json: String,
    report_txt: String,
) -> Result<SubmissionDetails, TrailError> {
    let criteria: BTreeMap<&str, &Vec<String>> =
        run.filed.iter().map(|(p, c)| (p.as_str(), c)).collect();
    let mut files = Vec::new();
    for f in &run.report.files {
        if f.sha256.is_empty() {
            return Err(TrailError::Unreadable(f.path.clone()));
        }
        files.push(SubmittedFile {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            size: f.size,
            criteria: criteria
                .get(f.path.as_str())
                .map(|c| (*c).clone())
                .unwrap_or_default(),
        });
    }
    let s = run.report.summary();
    let tx = index
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(IndexError::from)?;
    // Numbered under the write lock so two submitters cannot take the same number.
    let n: i64 = tx
        .query_row(
            "SELECT count(*) FROM events WHERE kind = 'submission'",
            [],
            |r| r.get(0),
        )
        .map_err(IndexError::from)?;
    let details = SubmissionDetails {
        submission: n as u64 + 1,
        note: note.to_string(),
        ruleset: run.report.rules.framework.id.clone(),
        as_of: run.report.as_of.format("%Y-%m-%d").to_string(),
        forced,
        errors: s.errors as u64,
        warnings: s.warnings as u64,
        points_at_risk: format!("{:.2}", s.points_at_risk),
        files,
        report_json_sha256: sha256_hex(report_json.as_bytes()),
        report_txt_sha256: sha256_hex(report_txt.as_bytes()),
    };
    let value = serde_json::to_value(&details).map_err(|e| IndexError::Corrupt {
        what: "submission".into(),
        message: e.to_string(),
    })?;
    ledger::append(&tx, stamp, Kind::Submission, value)?;
    tx.execute(
        "INSERT OR REPLACE INTO submission_reports (submission, report_json, report_txt) VALUES (?1, ?2, ?3)",
        rusqlite::params![details.submission as i64, report_json, report_txt],
    )
    .map_err(IndexError::from)?;
    tx.commit().map_err(IndexError::from)?;
    Ok(details)
}

fn t(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Human lines listing the error-level findings that block a submission.
pub fn write_blockers(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        writeln!(out, "  {} {}", f.code, f.message.get(lang))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- log

pub struct LogFilter {
    pub path: Option<String>,
    pub since: Option<NaiveDate>,
}

fn mentions(e: &Event, path: &str) -> bool {
    if e.details.get("path").and_then(Value::as_str) == Some(path) {
        return true;
    }
    e.details
        .get("files")
        .and_then(Value::as_array)
        .is_some_and(|fs| {
            fs.iter()
                .any(|f| f.get("path").and_then(Value::as_str) == Some(path))
        })
}

/// Events matching `filter`, newest first.
pub fn log_events(index: &Index, filter: &LogFilter) -> Result<Vec<Event>, TrailError> {
    let mut evs = ledger::events(index.conn())?;
    evs.retain(|e| {
        filter.path.as_deref().is_none_or(|p| mentions(e, p))
            && filter.since.is_none_or(|d| {
                chrono::DateTime::parse_from_rfc3339(&e.local)
                    .map(|t| t.date_naive() >= d)
                    .unwrap_or(true)
            })
    });
    evs.reverse();
    Ok(evs)
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

fn describe(e: &Event, lang: Lang) -> String {
    let d = &e.details;
    let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| d.get(k).map(|v| v.to_string()).unwrap_or_default();
    match e.kind.as_str() {
        "first_seen" => format!("{}  sha256 {}", s("path"), short(&s("sha256"))),
        "changed" => format!(
            "{}  {} → {}",
            s("path"),
            short(&s("old_sha256")),
            short(&s("new_sha256"))
        ),
        "removed" => format!("{}  sha256 {}", s("path"), short(&s("sha256"))),
        "check_run" => match lang {
            Lang::Vi => format!(
                "{} tính đến {}: {} tệp, {} lỗi, {} cảnh báo, {} điểm có nguy cơ mất",
                s("ruleset"),
                s("as_of"),
                n("files"),
                n("errors"),
                n("warnings"),
                s("points_at_risk")
            ),
            Lang::En => format!(
                "{} as of {}: {} files, {} errors, {} warnings, {} points at risk",
                s("ruleset"),
                s("as_of"),
                n("files"),
                n("errors"),
                n("warnings"),
                s("points_at_risk")
            ),
        },
        "submission" => {
            let files = d.get("files").and_then(Value::as_array).map_or(0, Vec::len);
            let forced = if d.get("forced").and_then(Value::as_bool) == Some(true) {
                " (--force)"
            } else {
                ""
            };
            match lang {
                Lang::Vi => format!(
                    "lần nộp số {}: {files} tệp{forced} — {}",
                    n("submission"),
                    s("note")
                ),
                Lang::En => format!(
                    "submission {}: {files} files{forced} — {}",
                    n("submission"),
                    s("note")
                ),
            }
        }
        "export" => format!("submission {} → {}", n("submission"), s("bag")),
        "verification" => {
            let ok = d.get("ok").and_then(Value::as_bool) == Some(true);
            let word = match (ok, lang) {
                (true, Lang::Vi) => "toàn vẹn",
                (true, Lang::En) => "intact",
                (false, Lang::Vi) => "CÓ SAI LỆCH",
                (false, Lang::En) => "FAILED",
            };
            format!("{word}; submission {}", n("submission"))
        }
        _ => crate::hash::canonical_json(d),
    }
}

pub fn render_log_human(events: &[Event], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    if events.is_empty() {
        writeln!(out, "{}", t(lang, "Chưa có sự kiện nào.", "No events."))?;
    }
    for e in events {
        let when = chrono::DateTime::parse_from_rfc3339(&e.local)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S %:z").to_string())
            .unwrap_or_else(|_| e.local.clone());
        writeln!(
            out,
            "#{:<5} {when}  {:<12} {:<12} {}",
            e.seq,
            e.kind,
            e.actor,
            describe(e, lang)
        )?;
    }
    Ok(())
}

pub fn render_log_json(events: &[Event], out: &mut dyn Write) -> io::Result<()> {
    write_json(events, out)
}

/// Serialized first, so that a closed pipe surfaces as the plain io error
/// `main` recognises rather than wrapped in a serde error.
pub fn write_json<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

// ---------------------------------------------------------------- diff

#[derive(Debug, Default, Serialize)]
pub struct Diff {
    pub submission: u64,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The folder now against submission `n` (latest when `None`). Reads the
/// index but writes nothing: a file the index vouches for (same size and
/// mtime) is not read again.
pub fn diff(index: &Index, d: &Discovery, n: Option<u64>) -> Result<Diff, TrailError> {
    let sub = find_submission(index, n)?;
    let rows = load_files(index.conn())?;
    let submitted: BTreeMap<&str, &SubmittedFile> = sub
        .details
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mut out = Diff {
        submission: sub.details.submission,
        ..Default::default()
    };
    for e in d
        .files
        .iter()
        .filter(|e| !crate::index::is_index_file(&index.path, &e.abs))
    {
        let Some(s) = submitted.get(e.rel.as_str()) else {
            out.added.push(e.rel.clone());
            continue;
        };
        let now = match trusted_hash(e, rows.get(&e.rel)) {
            Some(h) => Some(h),
            None => std::fs::read(&e.abs).ok().map(|b| sha256_hex(&b)),
        };
        if now.as_deref() == Some(s.sha256.as_str()) {
            out.unchanged += 1;
        } else {
            out.changed.push(e.rel.clone());
        }
    }
    let present: std::collections::HashSet<&str> = d.files.iter().map(|e| e.rel.as_str()).collect();
    out.removed = submitted
        .keys()
        .filter(|p| !present.contains(**p))
        .map(|p| p.to_string())
        .collect();
    Ok(out)
}

pub fn render_diff_human(diff: &Diff, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {}",
        t(lang, "So với lần nộp số", "Since submission"),
        diff.submission
    )?;
    for (mark, list) in [
        ("+", &diff.added),
        ("~", &diff.changed),
        ("-", &diff.removed),
    ] {
        for p in list {
            writeln!(out, "  {mark} {p}")?;
        }
    }
    writeln!(
        out,
        "{}: {} {}, {} {}, {} {}, {} {}",
        t(lang, "Tổng", "Total"),
        diff.added.len(),
        t(lang, "thêm", "added"),
        diff.changed.len(),
        t(lang, "thay đổi", "changed"),
        diff.removed.len(),
        t(lang, "mất", "removed"),
        diff.unchanged,
        t(lang, "không đổi", "unchanged"),
    )
}

fn find_submission(index: &Index, n: Option<u64>) -> Result<Submission, TrailError> {
    match ledger::submission(index.conn(), n)? {
        Some(s) => Ok(s),
        None => Err(match n {
            Some(n) => TrailError::NoSuchSubmission(n),
            None => TrailError::NoSubmission,
        }),
    }
}

// ---------------------------------------------------------------- verify

/// A file of the latest submission that is not there as submitted.
#[derive(Debug, Clone, Serialize)]
pub struct FileFault {
    pub path: String,
    /// Current SHA-256, `None` when the file is missing or unreadable.
    pub found: Option<String>,
    pub expected: String,
}

#[derive(Debug, Default)]
pub struct Verification {
    pub chain: ChainReport,
    pub submission: Option<u64>,
    pub files_checked: usize,
    pub file_faults: Vec<FileFault>,
    pub reports_ok: bool,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.chain.intact() && self.file_faults.is_empty() && self.reports_ok
    }
}

/// Where a recorded path is now: discovery's map first (names on disk may be NFD).
fn locate(root: &Path, d: &Discovery, rel: &str) -> PathBuf {
    d.files
        .iter()
        .find(|e| e.rel == rel)
        .map(|e| e.abs.clone())
        .unwrap_or_else(|| rel.split('/').fold(root.to_path_buf(), |p, c| p.join(c)))
}

/// Check the chain and re-hash every file of the latest submission; log a `verification` event.
pub fn verify(
    index: &mut Index,
    stamp: &Stamp,
    root: &Path,
    d: &Discovery,
) -> Result<Verification, TrailError> {
    let chain = verify_chain(index.conn())?;
    let mut v = Verification {
        chain,
        reports_ok: true,
        ..Default::default()
    };
    // A ledger whose submission rows were edited may not even parse: the chain fault names them.
    let sub = ledger::submission(index.conn(), None).unwrap_or(None);
    if let Some(sub) = &sub {
        v.submission = Some(sub.details.submission);
        for f in &sub.details.files {
            v.files_checked += 1;
            let found = std::fs::read(locate(root, d, &f.path))
                .ok()
                .map(|b| sha256_hex(&b));
            if found.as_deref() != Some(f.sha256.as_str()) {
                v.file_faults.push(FileFault {
                    path: f.path.clone(),
                    found,
                    expected: f.sha256.clone(),
                });
            }
        }
        v.reports_ok = stored_reports(index, sub).is_ok();
    }
    let details = json!({
        "ok": v.ok(),
        "chain_intact": v.chain.intact(),
        "events": v.chain.events,
        "head_seq": v.chain.head.as_ref().map(|h| h.0),
        "head_hash": v.chain.head.as_ref().map(|h| h.1.clone()),
        "chain_faults": v.chain.faults.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        "submission": v.submission,
        "files_checked": v.files_checked,
        "file_faults": v.file_faults.iter().map(|f| f.path.clone()).collect::<Vec<_>>(),
        "reports_ok": v.reports_ok,
    });
    let tx = index
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(IndexError::from)?;
    ledger::append(&tx, stamp, Kind::Verification, details)?;
    tx.commit().map_err(IndexError::from)?;
    Ok(v)
}

pub fn render_verify_human(v: &Verification, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    match (&v.chain.head, v.chain.intact()) {
        (Some((seq, hash)), true) => writeln!(
            out,
            "{} {} {}, {} #{seq} {hash}",
            t(
                lang,
                "Nhật ký: chuỗi băm toàn vẹn,",
                "Ledger: hash chain intact,"
            ),
            v.chain.events,
            t(lang, "sự kiện", "events"),
            t(lang, "đỉnh", "head"),
        )?,
        (None, true) => writeln!(out, "{}", t(lang, "Nhật ký: trống.", "Ledger: empty."))?,
        (_, false) => {
            for f in &v.chain.faults {
                writeln!(out, "FAIL {f}")?;
            }
        }
    }
    match v.submission {
        None => writeln!(
            out,
            "{}",
            t(lang, "Chưa có lần nộp nào.", "No submission yet.")
        )?,
        Some(n) => {
            for f in &v.file_faults {
                match &f.found {
                    None => writeln!(
                        out,
                        "FAIL {}: {} {n}",
                        f.path,
                        t(
                            lang,
                            "thiếu (hoặc không đọc được) — thuộc lần nộp số",
                            "missing (or unreadable) — part of submission"
                        ),
                    )?,
                    Some(h) => writeln!(
                        out,
                        "FAIL {}: {} {n} (sha256 {h}, {} {})",
                        f.path,
                        t(
                            lang,
                            "đã thay đổi so với lần nộp số",
                            "changed since submission"
                        ),
                        t(lang, "đã nộp", "submitted"),
                        f.expected
                    )?,
                }
            }
            if !v.reports_ok {
                writeln!(
                    out,
                    "FAIL {} {n}",
                    t(
                        lang,
                        "báo cáo lưu kèm không khớp nhật ký: lần nộp số",
                        "stored reports do not match the ledger: submission"
                    )
                )?;
            }
            if v.file_faults.is_empty() {
                writeln!(
                    out,
                    "{} {n}: {} {}",
                    t(lang, "Lần nộp số", "Submission"),
                    v.files_checked,
                    t(
                        lang,
                        "tệp có mặt, đúng từng byte",
                        "files present, byte for byte"
                    ),
                )?;
            }
        }
    }
    writeln!(
        out,
        "{}",
        if v.ok() {
            t(lang, "KẾT QUẢ: TOÀN VẸN", "RESULT: VERIFIED")
        } else {
            t(lang, "KẾT QUẢ: CÓ SAI LỆCH", "RESULT: NOT VERIFIED")
        }
    )
}

// ---------------------------------------------------------------- export

fn stored_reports(index: &Index, sub: &Submission) -> Result<(String, String), TrailError> {
    let (json_text, txt): (String, String) = index
        .conn()
        .query_row(
            "SELECT report_json, report_txt FROM submission_reports WHERE submission = ?1",
            [sub.details.submission as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|_| TrailError::ReportTampered(sub.details.submission))?;
    if sha256_hex(json_text.as_bytes()) != sub.details.report_json_sha256
        || sha256_hex(txt.as_bytes()) != sub.details.report_txt_sha256
    {
        return Err(TrailError::ReportTampered(sub.details.submission));
    }
    Ok((json_text, txt))
}

pub struct ExportRequest<'a> {
    pub root: &'a Path,
    pub discovery: &'a Discovery,
    pub out: &'a Path,
    pub unit: Option<&'a str>,
}

/// Write a BagIt bag of the latest submission and log an `export` event.
pub fn export(
    index: &mut Index,
    stamp: &Stamp,
    req: &ExportRequest,
) -> Result<(Submission, bag::BagSummary), TrailError> {
    bag::check_target(req.out)?;
    if let (Ok(root), Some(out)) = (req.root.canonicalize(), absolute_target(req.out)) {
        let state = root.join(crate::discover::STATE_DIR);
        if out.starts_with(&root) && !out.starts_with(&state) {
            return Err(BagError::InsideEvidence(req.out.display().to_string()).into());
        }
    }
    let sub = find_submission(index, None)?;
    let (report_json, report_txt) = stored_reports(index, &sub)?;
    let payload: Vec<PayloadFile> = sub
        .details
        .files
        .iter()
        .map(|f| PayloadFile {
            rel: f.path.clone(),
            source: locate(req.root, req.discovery, &f.path),
            sha256: f.sha256.clone(),
        })
        .collect();
    let info = BagInfo {
        fields: vec![
            (
                "Source-Organization".into(),
                req.unit.unwrap_or("unknown").to_string(),
            ),
            (
                "Bagging-Date".into(),
                stamp
                    .utc
                    .with_timezone(&crate::checks::deadline::vietnam())
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            (
                "External-Identifier".into(),
                format!(
                    "tlkc:{}:submission-{}",
                    sub.details.ruleset, sub.details.submission
                ),
            ),
            (
                "External-Description".into(),
                format!(
                    "PAR Index evidence, submission {} ({}) as of {}: {}",
                    sub.details.submission, sub.local, sub.details.as_of, sub.details.note
                ),
            ),
            (
                "Bag-Software-Agent".into(),
                format!("tlkc {}", run::VERSION),
            ),
        ],
    };
    let tags = vec![
        TagFile {
            name: "tlkc-report.json".into(),
            bytes: report_json.into_bytes(),
        },
        TagFile {
            name: "tlkc-report.txt".into(),
            bytes: report_txt.into_bytes(),
        },
    ];
    let summary = bag::write_bag(req.out, &payload, &info, &tags)?;
    let tx = index
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(IndexError::from)?;
    ledger::append(
        &tx,
        stamp,
        Kind::Export,
        json!({
            "submission": sub.details.submission,
            "bag": req.out.display().to_string(),
            "files": summary.files,
            "bytes": summary.bytes,
            "format": "BagIt 1.0",
        }),
    )?;
    tx.commit().map_err(IndexError::from)?;
    Ok((sub, summary))
}

/// `out` made absolute through its nearest existing ancestor (it may not exist yet).
fn absolute_target(out: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    let mut p = out.to_path_buf();
    loop {
        if let Ok(c) = p.canonicalize() {
            return Some(missing.into_iter().rev().fold(c, |acc, m| acc.join(m)));
        }
        let name = p.file_name()?.to_os_string();
        missing.push(name);
        p = match p.parent() {
            Some(q) if !q.as_os_str().is_empty() => q.to_path_buf(),
            _ => PathBuf::from("."),
        };
    }
}
