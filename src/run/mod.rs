//! One check of one folder, owned here: [`CheckOptions`] (plain data) →
//! [`CheckInput::resolve`] (tlkc.toml, ruleset, trust, OCR) → [`check`]:
//! discover → inspect (through the index when there is one) → evaluate →
//! fixity → waivers → score, findings sorted once, a `check_run` event in
//! the ledger. The command line, `--units` ([`units`]) and a server call it.

use chrono::NaiveDate;

use crate::checks::score::{self, Score};
use crate::checks::tasks::TaskReport;
use crate::checks::Context;
use crate::discover::{self, Discovery};
use crate::evaluate::{evaluate, Evaluation};
use crate::facts::KeptFacts;
use crate::findings::Outcome;
use crate::findings::{Finding, Severity};
use crate::index::judged::judge_fingerprint;
use crate::index::ledger::{self, Kind};
pub use crate::index::store::IndexCounters;
use crate::index::store::{CachedStage, Judge};
use crate::index::{Index, IndexError};
use crate::inspect::guard::{inspect_all, Progress};
use crate::rules::Ruleset;

pub(crate) mod options;
pub(crate) mod units;

mod files;
pub use files::inspect_files;

pub use options::{
    load_rules, must_be_folder, refuse_output_in, trust_anchors, CheckInput, CheckOptions,
    IndexChoice, Notice, OcrChoice, RulesChoice, TrustChoice, DEFAULT_RULESET,
};

/// The result of one check run; what every report format renders.
#[derive(Debug, Clone)]
pub struct Report {
    pub root: String,
    /// The evaluated unit (`unit` in tlkc.toml), heading every report.
    pub unit: Option<String>,
    pub as_of: NaiveDate,
    pub rules: Ruleset,
    /// What the run kept of each file, in discovery order.
    pub files: Vec<KeptFacts>,
    pub findings: Vec<Finding>,
    pub outcomes: Vec<Outcome>,
    /// Work done by the index stage; `None` when the run had no index.
    pub index: Option<IndexCounters>,
    /// The assigned-task register as judged.
    pub tasks: Vec<TaskReport>,
    /// The self-scoring estimate (after waivers).
    pub score: Score,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a `[[waiver]]`; counted in none of the above.
    pub waived: usize,
    pub points_at_risk: f64,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let count = |s| {
            self.findings
                .iter()
                .filter(|f| f.severity == s && f.is_active())
                .count()
        };
        Summary {
            files: self.files.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            waived: self.findings.iter().filter(|f| !f.is_active()).count(),
            points_at_risk: round2(self.outcomes.iter().map(|o| o.points_at_risk).sum()),
        }
    }

    /// The findings that block a submission: active (not waived) errors.
    /// The one definition of "blocking": [`Report::ready`] and the list
    /// `submit` prints both use it.
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.is_active())
    }

    /// Ready to submit: nothing blocking.
    pub fn ready(&self) -> bool {
        self.blocking().next().is_none()
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}: the folder does not exist")]
    NoFolder(String),
    #[error("{0}: not a folder")]
    NotAFolder(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    /// The builtin government CA bundle could not be read (a broken build).
    #[error("{0}")]
    BuiltinTrust(String),
    #[error("{named_at}: reading {} {file}", if *crl { "revocation list" } else { "trust anchor" })]
    TrustRead {
        named_at: String,
        file: String,
        crl: bool,
        #[source]
        source: std::io::Error,
    },
    #[error("{named_at}: {} {file}: {why}", if *crl { "revocation list" } else { "trust anchor" })]
    TrustBad {
        named_at: String,
        file: String,
        crl: bool,
        why: String,
    },
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    /// The index asked for (`--db`) could not be opened.
    #[error("{db}")]
    OpenIndex {
        db: String,
        #[source]
        source: IndexError,
    },
    /// `--output FILE` cannot be resolved.
    #[error("--output {given}")]
    Unresolved {
        given: String,
        #[source]
        source: std::io::Error,
    },
    #[error("--output {given}: inside the evidence folder {root} ({resolved}); a report written there would be read as evidence or overwrite it. Choose a place outside this folder.")]
    OutputInEvidence {
        given: String,
        root: String,
        resolved: String,
    },
    /// A failure of the index while the check used it.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What a check produced besides the report.
#[derive(Debug)]
pub struct CheckRun {
    pub report: Report,
    /// (path, criteria) of every file checked.
    pub filed: Vec<(String, Vec<String>)>,
    /// The index used, when there was one.
    pub db: Option<std::path::PathBuf>,
    /// The ledger's `check_run` event, when there was an index.
    pub check_seq: Option<i64>,
    /// Said during the check (the folder's index could not be used).
    pub notices: Vec<Notice>,
}

/// Check the folder of `input`, with the index it asks for. Progress goes
/// to `observe` (called from worker threads).
pub fn check(
    input: &CheckInput,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<CheckRun, RunError> {
    let mut notices = Vec::new();
    let mut index = match &input.index {
        IndexChoice::None => None,
        IndexChoice::At(db) => Some(Index::open(db).map_err(|source| RunError::OpenIndex {
            db: db.display().to_string(),
            source,
        })?),
        IndexChoice::Folder => match Index::open_for(&input.root, None) {
            Ok(index) => Some(index),
            // A read-only folder can still be checked, just not remembered.
            Err(IndexError::CreateDir { path, source }) => {
                notices.push(Notice::IndexUncreatable {
                    path,
                    why: source.to_string(),
                });
                None
            }
            // A linked index would be another folder's (or a file created at
            // the link's target): never followed, the check runs without it.
            Err(IndexError::Symlinked { path }) => {
                notices.push(Notice::IndexLinked { path });
                None
            }
            Err(source) => {
                return Err(RunError::OpenIndex {
                    db: crate::index::default_path(&input.root)
                        .display()
                        .to_string(),
                    source,
                })
            }
        },
    };
    let mut run = check_in(input, index.as_mut(), observe)?;
    run.notices.splice(0..0, notices);
    Ok(run)
}

/// [`check`] with an index the caller opened (or none): cached
/// inspection, FIX001/FIX002 against the last submission (when
/// `input.fixity`), and a `check_run` event. The index is claimed for
/// `input.root` first, so an index written for another folder or on
/// another machine is never trusted (FIX003); submissions recorded before
/// the index changed hands were made for the other folder and are not
/// this folder's last submission.
pub fn check_in(
    input: &CheckInput,
    mut index: Option<&mut Index>,
    observe: &(dyn Fn(Progress) + Sync),
) -> Result<CheckRun, RunError> {
    // Asked before the claim: an index about to be taken over holds only
    // the other folder's submissions.
    let last = match index.as_deref() {
        Some(ix) if input.fixity && !ix.is_foreign(&input.root)? => {
            ledger::own_last_submission(ix.conn())?.map(|s| s.last())
        }
        _ => None,
    };
    let mut discovery = discover::discover(&input.root, &input.rules, &input.config)?;
    observe(Progress::Files(discovery.files.len() as u64));
    // Facts are streamed: each file's own checks run as soon as its facts
    // exist, and only what the folder-wide checks and the report read is kept.
    let ctx = context(input);
    let (files, own, counters) = match index.as_deref_mut() {
        Some(ix) => {
            let judge = Judge {
                check: &|f| crate::evaluate::check_file(f, &ctx),
                fingerprint: judge_fingerprint(&input.rules, &input.config, input.as_of),
            };
            let mut stage = CachedStage::new(ix, &input.stamp, &input.root, input.rehash);
            let (files, own) = stage.inspect(&mut discovery, &input.inspect, observe, &judge)?;
            (files, own, Some(stage.counters()))
        }
        None => {
            let judge = |f| crate::evaluate::check_file(f, &ctx);
            let (files, own) = inspect_all(&discovery, &input.inspect, observe, &judge);
            (files, own, None)
        }
    };
    let report = judge(input, files, own, &discovery, last.as_ref(), counters);
    let filed = discovery
        .files
        .iter()
        .map(|e| (e.rel.clone(), e.criteria.clone()))
        .collect();
    let mut run = CheckRun {
        report,
        filed,
        db: None,
        check_seq: None,
        notices: Vec::new(),
    };
    if let Some(ix) = index {
        run.db = Some(ix.path.clone());
        run.check_seq = Some(record_check(ix, input, &run.report, last.as_ref())?);
    }
    Ok(run)
}

/// Evaluate the facts, add the fixity findings, apply the waivers, estimate
/// the score; the findings are sorted once, at the end.
fn judge(
    input: &CheckInput,
    files: Vec<KeptFacts>,
    own: Vec<Vec<Finding>>,
    discovery: &Discovery,
    last: Option<&crate::facts::LastSubmission>,
    counters: Option<IndexCounters>,
) -> Report {
    let ctx = context(input);
    let mut evaluation = evaluate(&files, own, discovery, &ctx);
    if let Some(last) = last {
        crate::checks::fixity::check(last, &files, &mut evaluation.findings);
    }
    if counters.is_some_and(|c| c.foreign) {
        evaluation
            .findings
            .push(crate::checks::fixity::foreign_index());
    }
    crate::evaluate::waivers::apply(&mut evaluation, &input.config.waivers, input.as_of);
    // The estimate counts what is left after waivers.
    let mut notes = Vec::new();
    let score = score::estimate(
        &input.rules,
        &evaluation.outcomes,
        &evaluation.findings,
        &evaluation.tasks,
        &input.config,
        &|code| crate::checks::registry::diag(code).handling.fixable,
        &mut notes,
    );
    evaluation.findings.extend(notes);
    crate::findings::sort_findings(&mut evaluation.findings);
    let Evaluation {
        findings,
        outcomes,
        tasks,
    } = evaluation;
    Report {
        root: input.root.display().to_string(),
        unit: input.config.unit.clone(),
        as_of: input.as_of,
        rules: input.rules.clone(),
        files,
        findings,
        outcomes,
        index: counters,
        tasks,
        score,
    }
}

fn context(input: &CheckInput) -> Context<'_> {
    Context {
        rules: &input.rules,
        config: &input.config,
        as_of: input.as_of,
    }
}

/// The ledger's `check_run` event: what was checked and what came of it.
fn record_check(
    index: &mut Index,
    input: &CheckInput,
    report: &Report,
    last: Option<&crate::facts::LastSubmission>,
) -> Result<i64, IndexError> {
    let s = report.summary();
    let details = serde_json::json!({
        "ruleset": report.rules.framework.id,
        "as_of": report.as_of.format("%Y-%m-%d").to_string(),
        "files": s.files,
        "errors": s.errors,
        "warnings": s.warnings,
        "infos": s.infos,
        "points_at_risk": format!("{:.2}", s.points_at_risk),
        "ready": report.ready(),
        "last_submission": last.map(|l| l.number),
        "installation": index.installation()?,
    });
    Ok(index.record(&input.stamp, Kind::CheckRun, details)?.seq)
}

/// Discovery only (paths and filing), for the commands that compare a
/// folder with its ledger without inspecting it (diff, verify, export).
pub fn discover_only(
    dir: &std::path::Path,
) -> Result<(crate::config::FolderConfig, Discovery), RunError> {
    let config = crate::config::FolderConfig::load_dir(dir)?;
    let rules = options::load_folder_rules(&config, dir)?;
    let d = discover::discover(dir, &rules, &config)?;
    Ok((config, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trail::testing::{input_for, stamp, TINY_RULES};

    fn folder(files: &[(&str, &[u8])]) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ev");
        std::fs::create_dir_all(&root).unwrap();
        for (rel, bytes) in files {
            std::fs::write(root.join(rel), bytes).unwrap();
        }
        (tmp, root)
    }

    #[test]
    fn one_check_reads_records_and_sorts_once() {
        let (_tmp, root) = folder(&[("b.pdf", b"%PDF-1.4\n%%EOF\n"), ("a.txt", b"x")]);
        let mut input = input_for(&root);
        input.index = IndexChoice::Folder;
        let run = check(&input, &|_| {}).unwrap();
        assert_eq!(run.db, Some(crate::index::default_path(&root)));
        assert!(run.check_seq.is_some());
        assert!(run.notices.is_empty());
        let c = run.report.index.expect("counters");
        assert_eq!((c.files, c.inspected, c.reused), (2, 2, 0));
        let keys: Vec<_> = run.report.findings.iter().map(|f| f.sort_key()).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
        assert_eq!(run.filed.len(), 2);
        // The second run reuses what the first read, and is logged too.
        input.stamp = stamp(1);
        let again = check(&input, &|_| {}).unwrap();
        assert_eq!(again.report.index.map(|c| c.reused), Some(2));
        assert!(again.check_seq > run.check_seq);
        assert_eq!(again.report.findings.len(), run.report.findings.len());
    }

    /// A check of `ev` as of `day` through `index`, stamped at `minute`, without OCR.
    fn check_at(
        ev: &std::path::Path,
        index: &IndexChoice,
        day: (i32, u32, u32),
        minute: u32,
    ) -> Report {
        let mut o = CheckOptions::new(ev, stamp(minute).utc);
        o.as_of = NaiveDate::from_ymd_opt(day.0, day.1, day.2);
        o.ocr = OcrChoice::Off;
        o.index = index.clone();
        let input = CheckInput::resolve(&o).unwrap();
        check(&input, &|_| {}).unwrap().report
    }

    /// Every finding of `r`, whole, in order.
    fn said(r: &Report) -> Vec<String> {
        r.findings.iter().map(|f| format!("{f:?}")).collect()
    }

    /// A warm check reads what the last one made of each file (the `judged`
    /// rows) instead of judging it again: it must find exactly what a check
    /// without an index finds, and on another day judge every file again.
    #[test]
    fn a_warm_check_finds_what_a_check_without_index_finds_on_any_day() {
        let tmp = tempfile::tempdir().unwrap();
        samplegen::bench::write_small_corpus(tmp.path(), 9).unwrap();
        let ev = tmp.path().join("evidence");
        let db = IndexChoice::At(tmp.path().join("t.db"));
        let run = |day, index: &IndexChoice, minute| check_at(&ev, index, day, minute);
        let (day, later) = ((2022, 11, 30), (2021, 6, 1));
        let cold = run(day, &db, 0);
        let warm = run(day, &db, 1);
        let c = warm.index.expect("counters");
        assert_eq!((c.files, c.inspected, c.reused), (9, 0, 9));
        assert_eq!(said(&warm), said(&cold));
        assert_eq!(said(&warm), said(&run(day, &IndexChoice::None, 2)));
        // Another day: every file is judged again, as without an index.
        let again = run(later, &db, 3);
        assert_eq!(again.index.map(|c| c.reused), Some(9));
        let fresh = run(later, &IndexChoice::None, 4);
        assert_eq!(said(&again), said(&fresh));
        assert_ne!(said(&again), said(&cold), "the day changes what is found");
        // And the rows written for that day serve the next check of it.
        assert_eq!(said(&run(later, &db, 5)), said(&fresh));
    }

    /// What changed since the last check is judged again, and the warm
    /// check still finds exactly what a check without an index finds: a
    /// file rewritten (even at its old size with its mtime set back: only
    /// the change time tells), one added, one removed, one renamed.
    #[cfg(unix)]
    #[test]
    fn a_warm_check_judges_again_what_changed_and_only_that() {
        let tmp = tempfile::tempdir().unwrap();
        samplegen::bench::write_small_corpus(tmp.path(), 9).unwrap();
        let ev = tmp.path().join("evidence");
        let db = IndexChoice::At(tmp.path().join("t.db"));
        let run = |index: &IndexChoice, minute| check_at(&ev, index, (2022, 11, 30), minute);
        run(&db, 0);
        let warm = run(&db, 1);
        let c = warm.index.expect("counters");
        assert_eq!((c.hashed, c.inspected, c.reused), (0, 0, 9));
        let mut pdfs: Vec<_> = walkdir::WalkDir::new(&ev)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        pdfs.sort();
        // One byte of a signed file changed in place, size and mtime as they were.
        let mut bytes = std::fs::read(&pdfs[0]).unwrap();
        let mtime = std::fs::metadata(&pdfs[0]).unwrap().modified().unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        std::fs::write(&pdfs[0], &bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&pdfs[0])
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        // Added (a copy under another name), removed, renamed.
        let added = pdfs[1].with_file_name("ban sao.pdf");
        std::fs::copy(&pdfs[1], &added).unwrap();
        std::fs::remove_file(&pdfs[2]).unwrap();
        std::fs::rename(&pdfs[3], pdfs[3].with_file_name("doi ten.pdf")).unwrap();
        let after = run(&db, 2);
        let c = after.index.expect("counters");
        // The rewritten, added and renamed files are read again; the others are not.
        assert_eq!((c.files, c.hashed), (9, 3));
        let fresh = run(&IndexChoice::None, 3);
        assert_eq!(said(&after), said(&fresh));
        assert_ne!(
            said(&after),
            said(&warm),
            "the changes change what is found"
        );
        // And the next warm check says the same again without reading anything.
        let again = run(&db, 4);
        assert_eq!(again.index.map(|c| c.hashed), Some(0));
        assert_eq!(said(&again), said(&fresh));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_index_is_never_opened_and_the_check_says_so() {
        let (tmp, root) = folder(&[("a.txt", b"x")]);
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join(crate::discover::STATE_DIR)).unwrap();
        let mut input = input_for(&root);
        input.index = IndexChoice::Folder;
        let run = check(&input, &|_| {}).unwrap();
        assert!(run.db.is_none() && run.report.index.is_none());
        assert!(matches!(&run.notices[..], [Notice::IndexLinked { .. }]));
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // Asked for by path, a database that cannot be opened is an error naming it.
        input.index = IndexChoice::At(root.join("a.txt/x.db"));
        assert!(matches!(
            check(&input, &|_| {}),
            Err(RunError::OpenIndex { .. })
        ));
    }

    #[test]
    fn plain_options_resolve_to_the_same_check() {
        let (_tmp, root) = folder(&[("a.txt", b"x")]);
        let rules = tmp_rules();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2022, 12, 31, 3, 0, 0)
            .single()
            .unwrap();
        let mut o = CheckOptions::new(&root, now);
        o.rules = RulesChoice::Loaded(Box::new(rules));
        o.ocr = OcrChoice::Off;
        o.index = IndexChoice::None;
        let input = CheckInput::resolve(&o).unwrap();
        assert_eq!(
            input.as_of,
            chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()
        );
        let run = check(&input, &|_| {}).unwrap();
        let direct = check(&input_for(&root), &|_| {}).unwrap();
        assert_eq!(run.report.summary(), direct.report.summary());
        assert!(
            !root.join(crate::discover::STATE_DIR).exists(),
            "no index asked for"
        );
        o.folder = root.join("missing");
        assert!(matches!(
            CheckInput::resolve(&o),
            Err(RunError::NoFolder(_))
        ));
    }

    fn tmp_rules() -> Ruleset {
        crate::rules::load_str(TINY_RULES, "tiny.toml").unwrap()
    }
}
