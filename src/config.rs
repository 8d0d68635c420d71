//! The evidence folder's own settings: `tlkc.toml` at its root.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::text::{line_col, TomlError};

pub(crate) mod limits;
pub(crate) mod waiver;

pub use limits::Limits;

pub(crate) mod tasks;
pub use tasks::Task;

pub const FILE_NAME: &str = "tlkc.toml";

/// Validated folder settings. Every field is optional in the file.
#[derive(Debug, Clone, Default)]
pub struct FolderConfig {
    pub as_of: Option<NaiveDate>,
    pub unit: Option<String>,
    /// Ruleset file (relative to the folder) or builtin id.
    pub rules: Option<String>,
    pub deadlines: BTreeMap<String, LocalDeadline>,
    pub assign: Vec<Assignment>,
    /// Trust-anchor certificate files, relative to the folder.
    pub trust_anchors: Vec<String>,
    /// Where `[trust] anchors` is written (`file:line:col`), for errors about its files.
    pub trust_anchors_at: Option<String>,
    /// `[trust] builtin = false`: leave out the builtin government CA certificates.
    pub no_builtin_trust: bool,
    /// `[trust] crls`: revocation list files, relative to the folder.
    pub crls: Vec<String>,
    /// Where `[trust] crls` is written (`file:line:col`).
    pub crls_at: Option<String>,
    pub limits: Limits,
    /// `[[waiver]]` entries, applied after evaluation by [`crate::evaluate::waivers::apply`].
    pub waivers: Vec<waiver::Waiver>,
    /// `[algorithm_policy]`: the folder's override of the ruleset's
    /// signature algorithm policy (its reason is checked when read).
    pub algorithm_policy: Option<crate::rules::policy::RawAlgorithmPolicy>,
    /// Where the file was read from, when there was one.
    pub source: Option<String>,
    /// `[metrics]`: system-data values by criterion id, for ratio/bands/per_item scoring.
    pub metrics: BTreeMap<String, Metric>,
    /// `[manual]`: a person's score and reason by criterion id.
    pub manual: BTreeMap<String, ManualScore>,
    /// The assigned-task register (`[[task]]` and `tasks.csv`), one entry
    /// per assignment.
    pub tasks: Vec<Task>,
    /// Register rows that repeat an assignment of [`Self::tasks`] (TSK004).
    pub task_duplicates: Vec<tasks::Duplicate>,
}

/// One system-data figure: `"3.4.1" = { value = 86.07, unit = "%", source = "…" }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub value: f64,
    pub unit: String,
    pub source: String,
}

/// A score only a person can give: `"2.4" = { score = 0.85, reason = "…" }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualScore {
    pub score: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocalDeadline {
    pub date: NaiveDate,
    pub basis: Option<String>,
}

/// Explicit file (or folder) → sub-criteria assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// NFC, `/`-separated, relative to the folder.
    pub path: String,
    pub criteria: Vec<String>,
    pub line: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// tasks.csv is malformed; the message starts with `file:line:`.
    #[error("{0}")]
    Tasks(String),
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] crate::text::TomlError),
    /// [`ConfigScope::Confined`]: a file the folder names, or tlkc.toml or
    /// tasks.csv itself, lies outside the folder.
    #[error("{file}: {key} `{value}` is outside the evidence folder: a folder checked here may name only its own files (a builtin ruleset id, or a path inside the folder without `..` or links leading out)")]
    Outside {
        file: String,
        key: String,
        value: String,
    },
}

/// `path`, a file in `dir`, must lead to a file inside `dir` (a symbolic
/// link out of the folder would have a service read one of its own files).
fn own_file(dir: &Path, path: &Path, named: &str) -> Result<(), ConfigError> {
    let inside = match (crate::fsguard::resolve(path), dir.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    };
    if inside {
        return Ok(());
    }
    Err(ConfigError::Outside {
        file: dir.join(FILE_NAME).display().to_string(),
        key: "file".into(),
        value: named.to_string(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    as_of: Option<toml::Spanned<String>>,
    unit: Option<String>,
    rules: Option<String>,
    #[serde(default)]
    deadlines: BTreeMap<String, toml::Spanned<RawDeadline>>,
    #[serde(default)]
    assign: Vec<toml::Spanned<RawAssign>>,
    trust: Option<RawTrust>,
    limits: Option<Limits>,
    #[serde(default)]
    waiver: Vec<toml::Spanned<waiver::RawWaiver>>,
    #[serde(default)]
    metrics: BTreeMap<String, toml::Spanned<Metric>>,
    #[serde(default)]
    manual: BTreeMap<String, toml::Spanned<ManualScore>>,
    #[serde(default)]
    task: Vec<toml::Spanned<tasks::RawTask>>,
    algorithm_policy: Option<toml::Spanned<crate::rules::policy::RawAlgorithmPolicy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    date: String,
    basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssign {
    path: String,
    criteria: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrust {
    anchors: Option<toml::Spanned<Vec<String>>>,
    builtin: Option<bool>,
    crls: Option<toml::Spanned<Vec<String>>>,
}

/// How much of tlkc.toml a folder may set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigScope {
    /// Everything, as on the officer's own machine.
    #[default]
    Local,
    /// A folder checked by a service (a server): tlkc.toml says what a unit
    /// may say (its name, assignments, local deadlines, metrics, task
    /// register, manual self-scores); the ruleset's policy, trust and
    /// limits, the day of evaluation (`as_of`) and waivers are the
    /// caller's, left unread: a unit cannot move its own deadline day or
    /// accept its own lost points in the province's ranking. Every file it opens (tlkc.toml,
    /// tasks.csv, a `rules` file) must be the folder's own: no absolute path,
    /// no `..`, no symbolic link leading out.
    Confined,
}

/// The settings a confined folder may not make: the caller's.
const CALLER_OWNS: &[&str] = &["trust", "limits", "algorithm_policy", "as_of", "waiver"];

impl FolderConfig {
    /// Read `DIR/tlkc.toml` and `DIR/tasks.csv`; a folder without them gets the defaults.
    pub fn load_dir(dir: &Path) -> Result<FolderConfig, ConfigError> {
        Self::load_scoped(dir, ConfigScope::Local).map(|(c, _)| c)
    }

    /// [`Self::load_dir`] within `scope`; also returns the keys of tlkc.toml
    /// left unread because the caller owns them ([`ConfigScope::Confined`]).
    pub fn load_scoped(
        dir: &Path,
        scope: ConfigScope,
    ) -> Result<(FolderConfig, Vec<String>), ConfigError> {
        let confined = scope == ConfigScope::Confined;
        let path = dir.join(FILE_NAME);
        let mut left = Vec::new();
        let mut config = if path.is_file() {
            let name = path.display().to_string();
            if confined {
                own_file(dir, &path, FILE_NAME)?;
            }
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
                file: name.clone(),
                source,
            })?;
            let mut c = Self::parse(&text, &name)?;
            if confined {
                left = c.confine(&text, dir)?;
            }
            c
        } else {
            FolderConfig::default()
        };
        let csv = dir.join(tasks::FILE_NAME);
        if csv.is_file() {
            let file = csv.display().to_string();
            if confined {
                own_file(dir, &csv, tasks::FILE_NAME)?;
            }
            let text = std::fs::read_to_string(&csv).map_err(|source| ConfigError::Io {
                file: file.clone(),
                source,
            })?;
            let more = tasks::parse_csv(&text, &file).map_err(ConfigError::Tasks)?;
            config.tasks.extend(more);
            tasks::merge_duplicates(&mut config.tasks, &mut config.task_duplicates);
        }
        Ok((config, left))
    }

    /// Drop what the caller owns (returning the keys that were set) and
    /// refuse a `rules` file outside the folder.
    fn confine(&mut self, text: &str, dir: &Path) -> Result<Vec<String>, ConfigError> {
        let file = self.source.clone().unwrap_or_else(|| FILE_NAME.into());
        if let Some(r) = &self.rules {
            let builtin = crate::rules::BUILTIN.iter().any(|(id, f, _)| {
                r.strip_prefix("builtin:").unwrap_or(r) == *id || r.replace('\\', "/") == *f
            });
            let inside = clean_relative(r).is_some_and(|rel| {
                let p = dir.join(rel);
                !p.exists() || own_file(dir, &p, r).is_ok()
            });
            if !builtin && !inside {
                return Err(ConfigError::Outside {
                    file,
                    key: "rules".into(),
                    value: r.clone(),
                });
            }
        }
        let keys: toml::Table = toml::from_str(text).unwrap_or_default();
        let left: Vec<String> = CALLER_OWNS
            .iter()
            .filter(|k| keys.contains_key(**k))
            .map(|k| k.to_string())
            .collect();
        self.trust_anchors.clear();
        self.trust_anchors_at = None;
        self.crls.clear();
        self.crls_at = None;
        self.no_builtin_trust = false;
        self.limits = Limits::default();
        self.algorithm_policy = None;
        self.as_of = None;
        self.waivers.clear();
        Ok(left)
    }

    pub fn parse(text: &str, file: &str) -> Result<FolderConfig, ConfigError> {
        let err = |offset: usize, message: String| {
            ConfigError::Invalid(TomlError::at(text, file, offset, message))
        };
        let mut raw: RawConfig = toml::from_str(text)
            .map_err(|e| ConfigError::Invalid(TomlError::from_de(text, file, &e)))?;
        let as_of = match raw.as_of {
            None => None,
            Some(s) => {
                let at = s.span().start;
                Some(crate::time::parse_day(s.get_ref()).ok_or_else(|| {
                    err(
                        at,
                        format!("as_of `{}` is not a date (YYYY-MM-DD)", s.get_ref()),
                    )
                })?)
            }
        };
        let mut waivers = Vec::new();
        for w in raw.waiver {
            let line = line_col(text, w.span().start).0;
            waivers.push(waiver::from_raw(w, line, &err)?);
        }
        let trust_anchors_at = raw
            .trust
            .as_ref()
            .and_then(|t| t.anchors.as_ref())
            .map(|a| {
                let (line, col) = line_col(text, a.span().start);
                format!("{file}:{line}:{col}")
            });
        let mut task_list = task_register(raw.task, text, file, &err)?;
        let mut task_duplicates = Vec::new();
        tasks::merge_duplicates(&mut task_list, &mut task_duplicates);
        let crls_at = raw.trust.as_ref().and_then(|t| t.crls.as_ref()).map(|a| {
            let (line, col) = line_col(text, a.span().start);
            format!("{file}:{line}:{col}")
        });
        let no_builtin_trust = raw.trust.as_ref().and_then(|t| t.builtin) == Some(false);
        let crls = raw
            .trust
            .as_mut()
            .and_then(|t| t.crls.take())
            .map(|a| a.into_inner())
            .unwrap_or_default();
        Ok(FolderConfig {
            no_builtin_trust,
            crls,
            crls_at,
            metrics: metrics(raw.metrics, &err)?,
            manual: manual_scores(raw.manual, &err)?,
            tasks: task_list,
            task_duplicates,
            as_of,
            algorithm_policy: algorithm_policy(raw.algorithm_policy, &err)?,
            unit: raw.unit,
            rules: raw.rules,
            deadlines: deadlines(raw.deadlines, &err)?,
            assign: assignments(raw.assign, text, &err)?,
            trust_anchors_at,
            trust_anchors: raw
                .trust
                .and_then(|t| t.anchors)
                .map(|a| a.into_inner())
                .unwrap_or_default(),
            limits: raw.limits.unwrap_or_default(),
            waivers,
            source: Some(file.to_string()),
        })
    }
}

/// Builds a located error from a byte offset in tlkc.toml.
type ErrAt<'a> = &'a dyn Fn(usize, String) -> ConfigError;

fn deadlines(
    raw: BTreeMap<String, toml::Spanned<RawDeadline>>,
    err: ErrAt,
) -> Result<BTreeMap<String, LocalDeadline>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, d) in raw {
        let at = d.span().start;
        let d = d.into_inner();
        let date = crate::time::parse_day(&d.date).ok_or_else(|| {
            err(
                at,
                format!("deadlines.{key}: `{}` is not a date (YYYY-MM-DD)", d.date),
            )
        })?;
        out.insert(
            key,
            LocalDeadline {
                date,
                basis: d.basis,
            },
        );
    }
    Ok(out)
}

fn assignments(
    raw: Vec<toml::Spanned<RawAssign>>,
    text: &str,
    err: ErrAt,
) -> Result<Vec<Assignment>, ConfigError> {
    let mut out = Vec::new();
    for a in raw {
        let at = a.span().start;
        let a = a.into_inner();
        let path = clean_relative(&a.path).ok_or_else(|| {
            err(
                at,
                format!(
                    "assign: path `{}` must stay inside the evidence folder",
                    a.path
                ),
            )
        })?;
        if a.criteria.is_empty() {
            return Err(err(at, format!("assign: `{}` names no criteria", a.path)));
        }
        out.push(Assignment {
            path,
            criteria: a.criteria,
            line: line_col(text, at).0,
        });
    }
    Ok(out)
}

/// The largest figure a `[metrics]` value or `[manual]` score may hold.
/// PAR-index figures are shares (%), counts of dossiers or documents, days:
/// none is near a billion, and a value that large is a typing slip whose
/// products would overflow (1e308 × anything prints as "inf").
pub const MAX_FIGURE: f64 = 1e9;

/// Is `v` a figure a PAR-index metric can be: finite, not negative, not absurd?
fn sane_figure(v: f64) -> bool {
    v.is_finite() && (0.0..=MAX_FIGURE).contains(&v)
}

fn metrics(
    raw: BTreeMap<String, toml::Spanned<Metric>>,
    err: ErrAt,
) -> Result<BTreeMap<String, Metric>, ConfigError> {
    let mut out = BTreeMap::new();
    for (id, m) in raw {
        let at = m.span().start;
        let m = m.into_inner();
        if m.source.trim().is_empty() {
            return Err(err(
                at,
                format!("metrics.\"{id}\": needs a numeric value and its source"),
            ));
        }
        if !sane_figure(m.value) {
            return Err(err(
                at,
                format!(
                    "metrics.\"{id}\": value {} is outside 0 … {MAX_FIGURE:.0}: a share, count or number of days is never negative, infinite or that large (giá trị phải từ 0 đến {MAX_FIGURE:.0})",
                    shown(m.value)
                ),
            ));
        }
        out.insert(id, m);
    }
    Ok(out)
}

/// A number as the user wrote it, in scientific form when huge, never "inf".
fn shown(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+inf (infinite)"
        } else {
            "-inf (infinite)"
        }
        .into()
    } else if v.abs() >= 1e12 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

fn manual_scores(
    raw: BTreeMap<String, toml::Spanned<ManualScore>>,
    err: ErrAt,
) -> Result<BTreeMap<String, ManualScore>, ConfigError> {
    let mut out = BTreeMap::new();
    for (id, m) in raw {
        let at = m.span().start;
        let m = m.into_inner();
        if !sane_figure(m.score) || m.reason.trim().is_empty() {
            return Err(err(
                at,
                format!("manual.\"{id}\": needs a score ≥ 0 and the reason for it"),
            ));
        }
        out.insert(id, m);
    }
    Ok(out)
}

fn task_register(
    raw: Vec<toml::Spanned<tasks::RawTask>>,
    text: &str,
    file: &str,
    err: ErrAt,
) -> Result<Vec<Task>, ConfigError> {
    let mut out = Vec::new();
    for t in raw {
        let at = t.span().start;
        let here = format!("{file}:{}", line_col(text, at).0);
        let prefix = format!("{here}: ");
        let task = t
            .into_inner()
            .into_task(here.clone())
            .map_err(|m| err(at, format!("task: {}", m.trim_start_matches(&prefix))))?;
        out.push(task);
    }
    Ok(out)
}

/// Validated against the defaults here; applied to the ruleset's policy later.
fn algorithm_policy(
    raw: Option<toml::Spanned<crate::rules::policy::RawAlgorithmPolicy>>,
    err: ErrAt,
) -> Result<Option<crate::rules::policy::RawAlgorithmPolicy>, ConfigError> {
    let Some(p) = raw else {
        return Ok(None);
    };
    let at = p.span().start;
    let p = p.into_inner();
    crate::rules::AlgorithmPolicy::default()
        .overridden(&p)
        .map_err(|m| err(at, m))?;
    Ok(Some(p))
}

/// A relative path that cannot leave the folder, in NFC with `/` separators.
pub fn clean_relative(p: &str) -> Option<String> {
    let path = Path::new(p);
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(crate::text::nfc(&s.to_string_lossy())),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let joined = parts.join("/");
    let joined = joined.trim_end_matches('/').to_string();
    (!joined.is_empty()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = FolderConfig::parse(
            r#"
as_of = "2022-11-30"
[deadlines.tai-san-cong]
date = "2022-01-31"
basis = "x"
[[assign]]
path = "2.1.1 THPL/bc.pdf"
criteria = ["2.1.1", "2.1.3"]
[trust]
anchors = ["ca.pem"]
builtin = false
crls = ["cp.crl"]
"#,
            "tlkc.toml",
        )
        .unwrap();
        assert!(c.no_builtin_trust);
        assert_eq!(c.crls, ["cp.crl"]);
        assert_eq!(c.crls_at.as_deref(), Some("tlkc.toml:12:8"));
        assert!(!FolderConfig::parse("", "t").unwrap().no_builtin_trust);
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2022, 11, 30));
        assert_eq!(
            c.deadlines["tai-san-cong"].date,
            NaiveDate::from_ymd_opt(2022, 1, 31).unwrap()
        );
        assert_eq!(c.assign[0].criteria, ["2.1.1", "2.1.3"]);
        assert_eq!(c.assign[0].line, 6);
    }

    #[test]
    fn rejects_escaping_paths_bad_dates_and_unknown_keys() {
        let e = FolderConfig::parse("[[assign]]\npath = \"../x.pdf\"\ncriteria=[\"1\"]\n", "t")
            .unwrap_err();
        assert!(e.to_string().starts_with("t:1:1:"), "{e}");
        // dd/mm/yyyy, as tasks.csv and --as-of accept it, is a date; 31/02 is not.
        let c = FolderConfig::parse("as_of = \"30/11/2022\"\n", "t").unwrap();
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2022, 11, 30));
        let e = FolderConfig::parse("as_of = \"31/02/2022\"\n", "t").unwrap_err();
        assert!(e.to_string().contains("not a date"), "{e}");
        let e = FolderConfig::parse("asof = \"2022-11-30\"\n", "t").unwrap_err();
        assert!(e.to_string().contains("asof"), "{e}");
        assert!(e.to_string().contains("did you mean `as_of`?"), "{e}");
    }

    #[test]
    fn parses_self_scoring_inputs_and_rejects_incomplete_ones() {
        let c = FolderConfig::parse(
            r#"
[metrics]
"3.4.1" = { value = 86.07, unit = "%", source = "Hệ thống TTHC tỉnh" }
[manual]
"8.1" = { score = 0, reason = "Kiểm tra đột xuất" }
[[task]]
number = "2291/UBND-NC"
date = "18/07/2022"
issuer = "UBND tỉnh"
asked = "Chuẩn bị làm việc"
deadline = "2022-07-25"
"#,
            "tlkc.toml",
        )
        .unwrap();
        assert_eq!(c.metrics["3.4.1"].value, 86.07);
        assert_eq!(c.manual["8.1"].score, 0.0);
        assert_eq!(c.tasks[0].at, "tlkc.toml:6");
        let e = FolderConfig::parse("[manual]\n\"8.1\" = { score = 1, reason = \" \" }\n", "t")
            .unwrap_err();
        assert!(e.to_string().contains("reason"), "{e}");
        let e = FolderConfig::parse("[metrics]\n\"3.4.1\" = { value = 1, unit = \"%\" }\n", "t")
            .unwrap_err();
        assert!(e.to_string().contains("source"), "{e}");
        let e = FolderConfig::parse(
            "[[task]]\nnumber = \"1/UBND\"\ndate = \"2022-07-18\"\nissuer = \"x\"\nasked = \"y\"\ndeadline = \"2022-07-01\"\n",
            "t",
        )
        .unwrap_err();
        assert!(e.to_string().contains("before the assignment"), "{e}");
    }

    #[test]
    fn metrics_outside_a_sane_range_are_located_errors() {
        for (value, shown) in [
            ("1e308", "1e308"),
            ("inf", "+inf"),
            ("-inf", "-inf"),
            ("nan", "nan"),
            ("-3", "-3"),
            ("1000000001", "1000000001"),
        ] {
            let text = format!(
                "as_of = \"2022-11-30\"\n[metrics]\n\"3.4.1\" = {{ value = {value}, unit = \"%\", source = \"s\" }}\n"
            );
            let e = FolderConfig::parse(&text, "tlkc.toml")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("tlkc.toml:3:"), "{value}: {e}");
            assert!(
                e.contains(&format!("value {shown}")) && e.contains("outside 0"),
                "{value}: {e}"
            );
        }
        // The edges of the range are figures.
        for value in ["0", "100", "15792", "1000000000"] {
            let text = format!(
                "[metrics]\n\"3.4.1\" = {{ value = {value}, unit = \"hồ sơ\", source = \"s\" }}\n"
            );
            assert!(FolderConfig::parse(&text, "t").is_ok(), "{value}");
        }
        let e = FolderConfig::parse(
            "[manual]\n\"8.1\" = { score = 1e308, reason = \"r\" }\n",
            "t",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("t:2:"), "{e}");
    }

    #[test]
    fn repeated_task_tables_are_one_task() {
        let task = "[[task]]\nnumber = \"2291/UBND-NC\"\ndate = \"2022-07-18\"\nissuer = \"UBND tỉnh\"\nasked = \"x\"\ndeadline = \"2022-07-25\"\n";
        let c = FolderConfig::parse(&task.repeat(3), "tlkc.toml").unwrap();
        assert_eq!(c.tasks.len(), 1);
        assert_eq!(c.task_duplicates.len(), 1);
        assert_eq!(c.task_duplicates[0].kept, "tlkc.toml:1");
        assert_eq!(
            c.task_duplicates[0].repeated,
            ["tlkc.toml:7", "tlkc.toml:13"]
        );
        // A row of tasks.csv repeating a [[task]] joins the same entry.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), task.repeat(2)).unwrap();
        std::fs::write(
            dir.path().join(tasks::FILE_NAME),
            "number,date,issuer,asked,deadline\n2291/UBND-NC,18/07/2022,UBND tỉnh,x,25/07/2022\n",
        )
        .unwrap();
        let c = FolderConfig::load_dir(dir.path()).unwrap();
        assert_eq!(c.tasks.len(), 1);
        assert_eq!(c.task_duplicates.len(), 1);
        let repeated = &c.task_duplicates[0].repeated;
        assert_eq!(repeated.len(), 2);
        assert!(repeated[1].ends_with("tasks.csv:2"), "{repeated:?}");
    }

    #[test]
    fn clean_relative_normalises() {
        assert_eq!(clean_relative("./a/b.pdf").as_deref(), Some("a/b.pdf"));
        assert_eq!(clean_relative("/etc/passwd"), None);
        assert_eq!(clean_relative("a/../../b"), None);
    }
}
