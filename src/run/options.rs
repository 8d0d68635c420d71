//! What a check is asked to do, as plain data ([`CheckOptions`]: no
//! command-line types, so the CLI, `--units` and a server all call the
//! same check), and the same resolved ([`CheckInput::resolve`]): the
//! folder's tlkc.toml read within its [`ConfigScope`], the ruleset loaded,
//! the trust anchors and revocation lists read, OCR found.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use super::RunError;
use crate::config::{ConfigScope, FolderConfig, Limits};
use crate::findings::Lang;
use crate::index::ledger::Stamp;
use crate::inspect::ocr::{OcrOptions, Tesseract};
use crate::inspect::{InspectOptions, TrustAnchors};
use crate::rules::{self, Ruleset};

/// The ruleset used when neither the caller nor tlkc.toml names one.
pub const DEFAULT_RULESET: &str = "kon-tum-2022-huyen";

/// Which ruleset the folder is judged against.
#[derive(Debug, Clone, Default)]
pub enum RulesChoice {
    /// tlkc.toml's `rules` (a file in the folder or a builtin id), else
    /// [`DEFAULT_RULESET`].
    #[default]
    FromConfig,
    /// A ruleset file, or `builtin:ID`.
    File(PathBuf),
    /// Already loaded by the caller (a server loads its ruleset once).
    Loaded(Box<Ruleset>),
}

/// What signatures are judged against: the builtin government CAs (unless
/// `builtin` is false) and the caller's anchor and CRL files, each with
/// where it was named (`--trust-anchor`, `--crl`, a server setting) so an
/// error points there. Under [`ConfigScope::Local`] the folder's `[trust]`
/// adds to these.
#[derive(Debug, Clone)]
pub struct TrustChoice {
    pub builtin: bool,
    pub anchors: Vec<(PathBuf, String)>,
    pub crls: Vec<(PathBuf, String)>,
}

impl Default for TrustChoice {
    fn default() -> Self {
        TrustChoice {
            builtin: true,
            anchors: Vec::new(),
            crls: Vec::new(),
        }
    }
}

/// Whether scanned pages are read with OCR.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OcrChoice {
    /// Never (`--no-ocr`).
    Off,
    /// Tesseract when it is installed; when it is not, a [`Notice`] says so
    /// and scans go unread.
    #[default]
    Detect,
    /// As found before (once for many folders).
    Use(OcrOptions),
}

impl OcrChoice {
    /// The OCR options, and the notice when Tesseract was asked for but is missing.
    pub fn resolve(&self) -> (OcrOptions, Option<Notice>) {
        match self {
            OcrChoice::Off => (OcrOptions::default(), None),
            OcrChoice::Use(o) => (o.clone(), None),
            OcrChoice::Detect => match Tesseract::detect() {
                Ok(engine) => (
                    OcrOptions {
                        engine: Some(engine),
                    },
                    None,
                ),
                Err(why) => (OcrOptions::default(), Some(Notice::OcrUnavailable(why))),
            },
        }
    }
}

/// Where the index (cached facts, ledger) is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IndexChoice {
    /// No index: every file inspected, nothing recorded.
    None,
    /// The folder's own `DIR/.tlkc/tlkc.db`. When it cannot be used (a
    /// read-only folder, a symbolic link) the check runs without it and a
    /// [`Notice`] says so.
    #[default]
    Folder,
    /// A database elsewhere (`--db`): it must open.
    At(PathBuf),
}

/// One check, asked for in plain data.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The evidence folder.
    pub folder: PathBuf,
    pub rules: RulesChoice,
    /// The day of evaluation; `None`: tlkc.toml's `as_of`, else [`Self::today`].
    pub as_of: Option<NaiveDate>,
    /// Today in Vietnam: the caller reads the clock, the library never does.
    pub today: NaiveDate,
    /// When the check runs (the ledger's time) and who runs it.
    pub now: DateTime<Utc>,
    pub actor: String,
    pub trust: TrustChoice,
    pub ocr: OcrChoice,
    pub index: IndexChoice,
    /// How much of tlkc.toml the folder may set.
    pub config: ConfigScope,
    /// Inspection limits; `None`: tlkc.toml's `[limits]` (under
    /// [`ConfigScope::Local`]), else the defaults.
    pub limits: Option<Limits>,
    /// Read and hash every file, whatever the index says (`--rehash`, submit).
    pub rehash: bool,
    /// Compare with the last submission (FIX001/FIX002); off for submit,
    /// where a new submission is how a changed folder is put right.
    pub fixity: bool,
}

impl CheckOptions {
    /// The defaults for `folder` checked at `now`: rules from tlkc.toml,
    /// builtin trust, OCR when installed, the folder's index, tlkc.toml
    /// read as on the officer's own machine.
    pub fn new(folder: impl Into<PathBuf>, now: DateTime<Utc>) -> CheckOptions {
        CheckOptions {
            folder: folder.into(),
            rules: RulesChoice::default(),
            as_of: None,
            today: now.with_timezone(&crate::time::VIETNAM).date_naive(),
            now,
            actor: "unknown".into(),
            trust: TrustChoice::default(),
            ocr: OcrChoice::default(),
            index: IndexChoice::default(),
            config: ConfigScope::Local,
            limits: None,
            rehash: false,
            fixity: true,
        }
    }

    /// Who acts and when, for the ledger.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            utc: self.now,
            actor: self.actor.clone(),
        }
    }
}

/// Something the officer should know that does not stop the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// OCR was asked for but Tesseract is not there (why).
    OcrUnavailable(String),
    /// The folder's index cannot be created (a read-only folder): checked without it.
    IndexUncreatable { path: String, why: String },
    /// The folder's index is a symbolic link: never followed, checked without it.
    IndexLinked { path: String },
    /// [`ConfigScope::Confined`]: settings of tlkc.toml the caller owns, left unread.
    CallerOwns { file: String, keys: Vec<String> },
    /// `--units`: a subfolder of PARENT that is a symbolic link is not a unit.
    SkippedLink { path: String },
    /// `--units`: a listed unit reached through a symbolic link, checked without its index.
    LinkedUnit { name: String, path: String },
}

impl Notice {
    /// The line said after `tlkc: `, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let tr = |vi: String, en: String| match lang {
            Lang::Vi => vi,
            Lang::En => en,
        };
        let warning = tr("cảnh báo".into(), "warning".into());
        let without = tr(
            "kiểm tra mà không dùng chỉ mục".into(),
            "checking without the index".into(),
        );
        match self {
            Notice::OcrUnavailable(why) => tr(
                format!("không có OCR ({why}): bản quét sẽ không được đọc; cài tesseract-ocr và tesseract-ocr-vie, hoặc dùng --no-ocr"),
                format!("OCR unavailable ({why}): scans will not be read; install tesseract-ocr and tesseract-ocr-vie, or pass --no-ocr"),
            ),
            Notice::IndexUncreatable { path, why } => format!("{warning}: {path}: {why}; {without}"),
            Notice::IndexLinked { path } => format!(
                "{warning}: {}; {without}",
                tr(
                    format!("{path} là liên kết tượng trưng (symlink); tlkc không mở chỉ mục qua liên kết để khỏi ghi vào nơi liên kết trỏ tới (có thể là chỉ mục của đơn vị khác). Xoá liên kết để tlkc tạo chỉ mục riêng cho thư mục này"),
                    format!("{path} is a symbolic link; tlkc does not open an index through a link, so as not to write where it points (possibly another unit's index). Remove the link to let tlkc keep this folder's own index"),
                )
            ),
            Notice::SkippedLink { path } => format!(
                "{warning}: {}",
                tr(
                    format!("bỏ qua {path}: là liên kết tượng trưng (symlink), không phải thư mục của một đơn vị; nếu đúng là một đơn vị, ghi nó vào {}", super::units::list::FILE_NAME),
                    format!("skipping {path}: a symbolic link, not a unit's folder; if it is a unit, list it in {}", super::units::list::FILE_NAME),
                )
            ),
            Notice::LinkedUnit { name, path } => format!(
                "{warning}: {}",
                tr(
                    format!("đơn vị {name} ({path}) đi qua liên kết tượng trưng: kiểm tra mà không dùng chỉ mục, không ghi gì vào thư mục liên kết trỏ tới"),
                    format!("unit {name} ({path}) is reached through a symbolic link: checked without the index, nothing is written where the link points"),
                )
            ),
            Notice::CallerOwns { file, keys } => {
                let keys = keys.join(", ");
                format!(
                    "{warning}: {}",
                    tr(
                        format!("{file}: {keys} do nơi kiểm tra quy định, không lấy từ thư mục; các thiết lập này được bỏ qua"),
                        format!("{file}: {keys} are set by the checking service, not by the folder; left unread"),
                    )
                )
            }
        }
    }

    /// Said even with `-q` (only `-qq` silences it).
    pub fn is_warning(&self) -> bool {
        !matches!(self, Notice::OcrUnavailable(_))
    }
}

/// Everything a check run needs, resolved.
#[derive(Debug, Clone)]
pub struct CheckInput {
    pub root: PathBuf,
    pub rules: Ruleset,
    pub config: FolderConfig,
    pub as_of: NaiveDate,
    pub inspect: InspectOptions,
    pub index: IndexChoice,
    pub stamp: Stamp,
    pub rehash: bool,
    pub fixity: bool,
    /// Said before the check (OCR missing, tlkc.toml settings left unread).
    pub notices: Vec<Notice>,
}

impl CheckInput {
    /// Read the folder's settings within `opts.config`, load the ruleset,
    /// the trust anchors and the revocation lists, find OCR.
    pub fn resolve(opts: &CheckOptions) -> Result<CheckInput, RunError> {
        let dir = &opts.folder;
        must_be_folder(dir)?;
        let mut notices = Vec::new();
        let (config, left) = FolderConfig::load_scoped(dir, opts.config)?;
        if !left.is_empty() {
            notices.push(Notice::CallerOwns {
                file: dir.join(crate::config::FILE_NAME).display().to_string(),
                keys: left,
            });
        }
        let rules = match &opts.rules {
            RulesChoice::Loaded(r) => (**r).clone(),
            RulesChoice::File(p) => rules::load_file(p)?,
            RulesChoice::FromConfig => load_folder_rules(&config, dir)?,
        };
        let as_of = opts.as_of.or(config.as_of).unwrap_or(opts.today);
        let mut anchors = opts.trust.anchors.clone();
        let mut crls = opts.trust.crls.clone();
        let mut builtin = opts.trust.builtin;
        if opts.config == ConfigScope::Local {
            let at = |a: &Option<String>| a.clone().unwrap_or_else(|| "tlkc.toml".into());
            let anchors_at = at(&config.trust_anchors_at);
            anchors.extend(
                config
                    .trust_anchors
                    .iter()
                    .map(|a| (dir.join(a), anchors_at.clone())),
            );
            let crls_at = at(&config.crls_at);
            crls.extend(config.crls.iter().map(|c| (dir.join(c), crls_at.clone())));
            builtin &= !config.no_builtin_trust;
        }
        let trust = trust_anchors(&anchors, &crls, builtin, Some(&rules))?;
        let limits = match (&opts.limits, opts.config) {
            (Some(l), _) => l.clone(),
            (None, ConfigScope::Local) => config.limits.clone(),
            (None, ConfigScope::Confined) => Limits::default(),
        };
        let (ocr, missing) = opts.ocr.resolve();
        notices.extend(missing);
        Ok(CheckInput {
            root: dir.clone(),
            rules,
            config,
            as_of,
            inspect: InspectOptions { limits, trust, ocr },
            index: opts.index.clone(),
            stamp: opts.stamp(),
            rehash: opts.rehash,
            fixity: opts.fixity,
            notices,
        })
    }
}

/// The evidence folder must be there: a missing one is said to be
/// missing, a file is said not to be a folder.
pub fn must_be_folder(dir: &Path) -> Result<(), RunError> {
    if dir.is_dir() {
        return Ok(());
    }
    let shown = dir.display().to_string();
    Err(if dir.exists() {
        RunError::NotAFolder(shown)
    } else {
        RunError::NoFolder(shown)
    })
}

/// Refuse to write `output` (a report file) inside the evidence folder
/// `root`, its own `.tlkc/` excepted, compared once `..` and links are
/// resolved: a report written there would be read as evidence by the next
/// check, or land on an evidence file.
pub fn refuse_output_in(output: &Path, root: &Path) -> Result<(), RunError> {
    let given = output.display().to_string();
    let resolved = crate::fsguard::resolve_file(output).map_err(|source| RunError::Unresolved {
        given: given.clone(),
        source,
    })?;
    // The folder's own .tlkc/ is tlkc's, not evidence (a linked one
    // resolves elsewhere and is then judged where it points).
    let own_state = root
        .canonicalize()
        .map(|r| r.join(crate::discover::STATE_DIR))
        .ok();
    let in_own_state = own_state.is_some_and(|s| resolved.starts_with(s));
    if crate::fsguard::is_inside(&resolved, root) && !in_own_state {
        return Err(RunError::OutputInEvidence {
            given,
            root: root.display().to_string(),
            resolved: resolved.display().to_string(),
        });
    }
    Ok(())
}

/// A ruleset named on its own (`--rules FILE` or `builtin:ID`), else the default.
pub fn load_rules(explicit: Option<&Path>) -> Result<Ruleset, RunError> {
    Ok(match explicit {
        Some(p) => rules::load_file(p)?,
        None => rules::load_file(Path::new(&format!("builtin:{DEFAULT_RULESET}")))?,
    })
}

/// tlkc.toml's `rules`, else the default.
pub fn load_folder_rules(config: &FolderConfig, dir: &Path) -> Result<Ruleset, RunError> {
    match &config.rules {
        Some(r) => Ok(rules::load_file(&folder_rules_path(r, dir))?),
        None => load_rules(None),
    }
}

/// Where tlkc.toml's `rules = "…"` points: a file relative to the folder
/// (docs/config.md), else a builtin id. A folder laid out by an older
/// `tlkc init` names the builtin by its file name (`rules/ID.toml`): that
/// still means the builtin when the folder has no such file.
fn folder_rules_path(value: &str, dir: &Path) -> PathBuf {
    let in_folder = dir.join(value);
    if in_folder.exists() {
        return in_folder;
    }
    let id = value.strip_prefix("builtin:").unwrap_or(value);
    let builtin = rules::BUILTIN
        .iter()
        .find(|(bid, file, _)| *bid == id || *file == value.replace('\\', "/"));
    match builtin {
        Some((bid, _, _)) => PathBuf::from(format!("builtin:{bid}")),
        // Not found: the error names the path in the folder, where it was looked for.
        None => in_folder,
    }
}

/// Load what signatures are judged against: the builtin government CAs
/// (unless `builtin` is false), the anchor `files` and the `crls`, each
/// paired with where it was named so errors point there; the ruleset's
/// pinned roots when there is one.
pub fn trust_anchors(
    files: &[(PathBuf, String)],
    crls: &[(PathBuf, String)],
    builtin: bool,
    rules: Option<&Ruleset>,
) -> Result<TrustAnchors, RunError> {
    let mut t = if builtin {
        TrustAnchors::builtin().map_err(RunError::BuiltinTrust)?
    } else {
        TrustAnchors::default()
    };
    let read = |f: &Path, named_at: &str, crl: bool| {
        std::fs::read(f).map_err(|source| RunError::TrustRead {
            named_at: named_at.to_string(),
            file: f.display().to_string(),
            crl,
            source,
        })
    };
    let unreadable = |f: &Path, named_at: &str, crl: bool, why: String| RunError::TrustBad {
        named_at: named_at.to_string(),
        file: f.display().to_string(),
        crl,
        why,
    };
    for (f, named_at) in files {
        let bytes = read(f, named_at, false)?;
        let certs = TrustAnchors::from_pem_or_der(&bytes)
            .map_err(|e| unreadable(f, named_at, false, e.to_string()))?;
        t.certs_der.extend(certs);
    }
    for (f, named_at) in crls {
        let bytes = read(f, named_at, true)?;
        let list = TrustAnchors::crls_from_pem_or_der(&bytes)
            .map_err(|e| unreadable(f, named_at, true, e.to_string()))?;
        t.crls_der.extend(list);
    }
    if let Some(r) = rules {
        t.pinned_sha256
            .extend(r.framework.trusted_roots.iter().map(|r| r.sha256.clone()));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigError;
    use chrono::TimeZone;

    fn confined(dir: &Path) -> CheckOptions {
        let now = Utc
            .with_ymd_and_hms(2022, 11, 30, 3, 0, 0)
            .single()
            .unwrap();
        let mut o = CheckOptions::new(dir, now);
        o.config = ConfigScope::Confined;
        o.ocr = OcrChoice::Off;
        o.index = IndexChoice::None;
        o
    }

    fn outside(r: Result<CheckInput, RunError>) -> String {
        match r {
            Err(e @ RunError::Config(ConfigError::Outside { .. })) => e.to_string(),
            other => panic!("expected a refusal, got {:?}", other.map(|i| i.root)),
        }
    }

    #[test]
    fn a_confined_folder_names_only_its_own_files() {
        let tmp = tempfile::tempdir().unwrap();
        let ev = tmp.path().join("ev");
        std::fs::create_dir_all(&ev).unwrap();
        std::fs::write(tmp.path().join("x"), "[framework]\n").unwrap();
        for rules in ["/etc/passwd", "../x", "a/../../x"] {
            std::fs::write(ev.join("tlkc.toml"), format!("rules = \"{rules}\"\n")).unwrap();
            let e = outside(CheckInput::resolve(&confined(&ev)));
            assert!(
                e.contains(&format!("rules `{rules}`"))
                    && e.contains("outside the evidence folder"),
                "{e}"
            );
            // On the officer's own machine the same file is read (and found wanting or not).
            let local = CheckInput::resolve(&CheckOptions {
                config: ConfigScope::Local,
                ..confined(&ev)
            });
            assert!(
                !matches!(local, Err(RunError::Config(ConfigError::Outside { .. }))),
                "{rules}"
            );
        }
        // A task register that is a link to a file of the machine.
        std::fs::write(ev.join("tlkc.toml"), "unit = \"UBND\"\n").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/passwd", ev.join("tasks.csv")).unwrap();
            let e = outside(CheckInput::resolve(&confined(&ev)));
            assert!(e.contains("tasks.csv") && e.contains("outside"), "{e}");
            std::fs::remove_file(ev.join("tasks.csv")).unwrap();
        }
        // A reply outside the folder was always refused, confined or not.
        std::fs::write(
            ev.join("tlkc.toml"),
            "[[task]]\nnumber = \"1/UBND\"\ndate = \"2022-07-18\"\nissuer = \"x\"\nasked = \"y\"\ndeadline = \"2022-07-25\"\nreply = \"/etc/passwd\"\n",
        )
        .unwrap();
        let e = CheckInput::resolve(&confined(&ev)).unwrap_err().to_string();
        assert!(e.contains("must stay inside the evidence folder"), "{e}");
    }

    #[test]
    fn a_confined_folder_says_what_a_unit_may_say_and_no_more() {
        let tmp = tempfile::tempdir().unwrap();
        let ev = tmp.path().join("ev");
        std::fs::create_dir_all(&ev).unwrap();
        std::fs::write(
            ev.join("tlkc.toml"),
            "unit = \"UBND huyện\"\nrules = \"builtin:kon-tum-2022-huyen\"\n[trust]\nanchors = [\"../../etc/ca.pem\"]\nbuiltin = false\n[limits]\nmax_signatures = 1\n[metrics]\n\"3.4.1\" = { value = 86.07, unit = \"%\", source = \"s\" }\n",
        )
        .unwrap();
        let input = CheckInput::resolve(&confined(&ev)).unwrap();
        assert_eq!(input.config.unit.as_deref(), Some("UBND huyện"));
        assert_eq!(input.config.metrics["3.4.1"].value, 86.07);
        // The caller's trust and limits: the folder's anchor file is never read.
        assert!(input.config.trust_anchors.is_empty() && !input.config.no_builtin_trust);
        assert!(
            !input.inspect.trust.certs_der.is_empty(),
            "builtin CAs kept"
        );
        assert_eq!(input.inspect.limits, crate::config::Limits::default());
        assert_eq!(
            input.notices,
            [Notice::CallerOwns {
                file: ev.join("tlkc.toml").display().to_string(),
                keys: vec!["trust".into(), "limits".into()],
            }]
        );
        // Locally the same folder's anchor is read, and its absence said.
        let local = CheckInput::resolve(&CheckOptions {
            config: ConfigScope::Local,
            ..confined(&ev)
        });
        assert!(matches!(local, Err(RunError::TrustRead { .. })));
    }

    #[test]
    fn a_confined_folder_cannot_move_its_day_or_waive_its_own_findings() {
        let tmp = tempfile::tempdir().unwrap();
        let ev = tmp.path().join("ev");
        std::fs::create_dir_all(&ev).unwrap();
        std::fs::write(
            ev.join("tlkc.toml"),
            "unit = \"UBND xã\"\nas_of = \"2022-01-02\"\n[[waiver]]\ncode = \"DUE001\"\ncriterion = \"1.2.1\"\nreason = \"đã giải trình\"\nuntil = \"2030-01-01\"\n",
        )
        .unwrap();
        let input = CheckInput::resolve(&confined(&ev)).unwrap();
        // The day is the caller's (here: `now`, 30/11/2022), not the folder's 02/01/2022.
        assert_eq!(
            input.as_of,
            chrono::NaiveDate::from_ymd_opt(2022, 11, 30).unwrap()
        );
        assert!(
            input.config.waivers.is_empty(),
            "waivers are the province's"
        );
        assert_eq!(input.config.unit.as_deref(), Some("UBND xã"));
        assert_eq!(
            input.notices,
            [Notice::CallerOwns {
                file: ev.join("tlkc.toml").display().to_string(),
                keys: vec!["as_of".into(), "waiver".into()],
            }]
        );
        // Locally both are the officer's own.
        let local = CheckInput::resolve(&CheckOptions {
            config: ConfigScope::Local,
            ..confined(&ev)
        })
        .unwrap();
        assert_eq!(
            local.as_of,
            chrono::NaiveDate::from_ymd_opt(2022, 1, 2).unwrap()
        );
        assert_eq!(local.config.waivers.len(), 1);
    }
}
