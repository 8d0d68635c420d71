//! Which folders are the units of a PARENT (`tlkc check --units`): its
//! subfolders, or those its `tlkc.units.toml` lists. How they are checked
//! is [`super`]; what is kept of each is [`super::ranking`].

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::text::TomlError;

/// Optional list of units in PARENT; without it every subfolder is a unit.
pub const FILE_NAME: &str = "tlkc.units.toml";

/// One unit to check: a name and the evidence folder, with what the list
/// may set for it (`rules`, `as_of`).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSpec {
    pub name: String,
    pub path: PathBuf,
    /// Ruleset file (relative to PARENT) or builtin id.
    pub rules: Option<String>,
    pub as_of: Option<NaiveDate>,
    /// The folder is reached through a symbolic link (listed in
    /// tlkc.units.toml): it is checked without its index, so nothing is
    /// written into the link's target.
    pub linked: bool,
}

/// The units of a PARENT, and the subfolders left out because they are
/// symbolic links (a link is a unit only when tlkc.units.toml lists it).
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    pub units: Vec<UnitSpec>,
    pub skipped_links: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum UnitsError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] crate::text::TomlError),
    #[error("{0}: not a folder")]
    NotAFolder(String),
    #[error("{0}: no units (no subfolders, and no tlkc.units.toml listing any)")]
    Empty(String),
    /// `--output` or `--output-dir` (`what`) cannot be resolved.
    #[error("{what} {given}")]
    Unresolved {
        what: String,
        given: String,
        #[source]
        source: std::io::Error,
    },
    /// An output inside a unit's folder would be read as its evidence.
    #[error("{what} {given}: inside the folder of unit {unit} ({resolved}), where reports would be read as evidence or overwrite it. Choose a place outside the units' folders.")]
    InsideUnit {
        what: String,
        given: String,
        unit: String,
        resolved: String,
    },
    /// An output in a new subfolder of PARENT would be a unit next time.
    #[error("{what} {given}: inside {folder}, a subfolder of {parent} that the next run would take for a unit. Choose a place outside {parent} (or a folder whose name starts with a dot).")]
    NewUnit {
        what: String,
        given: String,
        folder: String,
        parent: String,
    },
    #[error("creating {given}")]
    CreateDir {
        given: String,
        #[source]
        source: std::io::Error,
    },
}

impl Units {
    /// What the officer should know about the list: links left out, units
    /// reached through a link (checked without their index).
    pub fn notices(&self) -> Vec<crate::run::Notice> {
        use crate::run::Notice;
        let skipped = self.skipped_links.iter().map(|p| Notice::SkippedLink {
            path: p.display().to_string(),
        });
        let linked = self
            .units
            .iter()
            .filter(|s| s.linked)
            .map(|s| Notice::LinkedUnit {
                name: s.name.clone(),
                path: s.path.display().to_string(),
            });
        skipped.chain(linked).collect()
    }

    /// Does PARENT list its units in tlkc.units.toml (else every subfolder is one)?
    fn listed(parent: &Path) -> bool {
        parent.join(FILE_NAME).is_file()
    }

    /// Refuse an output (`what` = `--output` or `--output-dir`, `is_dir`
    /// for the latter) inside a unit's folder, or, when the units are
    /// PARENT's subfolders, inside a subfolder that the next run would take
    /// for a unit. Compared once `..` and links are resolved; returns the
    /// resolved path.
    pub fn refuse_inside(
        &self,
        what: &str,
        given: &Path,
        is_dir: bool,
        parent: &Path,
    ) -> Result<PathBuf, UnitsError> {
        let resolved = if is_dir {
            crate::fsguard::resolve(given)
        } else {
            crate::fsguard::resolve_file(given)
        }
        .map_err(|source| UnitsError::Unresolved {
            what: what.into(),
            given: given.display().to_string(),
            source,
        })?;
        if let Some(s) = self
            .units
            .iter()
            .find(|s| crate::fsguard::is_inside(&resolved, &s.path))
        {
            return Err(UnitsError::InsideUnit {
                what: what.into(),
                given: given.display().to_string(),
                unit: s.name.clone(),
                resolved: resolved.display().to_string(),
            });
        }
        // Without a list every visible subfolder of PARENT is a unit: a report
        // folder created there would be checked as one next time.
        let new_unit = (!Self::listed(parent))
            .then(|| parent.canonicalize().ok())
            .flatten()
            .and_then(|p| resolved.strip_prefix(p).ok().map(Path::to_path_buf))
            .filter(|rel| rel.components().count() > usize::from(!is_dir))
            .and_then(|rel| rel.components().next().map(|c| c.as_os_str().to_owned()))
            .filter(|first| !first.to_string_lossy().starts_with('.'));
        if let Some(first) = new_unit {
            return Err(UnitsError::NewUnit {
                what: what.into(),
                given: given.display().to_string(),
                folder: parent.join(first).display().to_string(),
                parent: parent.display().to_string(),
            });
        }
        Ok(resolved)
    }

    /// Where each unit's own report goes (`--output-dir`), one unique file
    /// per unit named after it, in the folder as resolved (so `x/../out`
    /// creates no `x`), which is created.
    pub fn report_targets(
        &self,
        output_dir: Option<&Path>,
        parent: &Path,
        extension: &str,
    ) -> Result<Vec<Option<PathBuf>>, UnitsError> {
        let Some(given) = output_dir else {
            return Ok(vec![None; self.units.len()]);
        };
        let dir = self.refuse_inside("--output-dir", given, true, parent)?;
        std::fs::create_dir_all(&dir).map_err(|source| UnitsError::CreateDir {
            given: given.display().to_string(),
            source,
        })?;
        let mut taken = std::collections::BTreeSet::new();
        Ok(self
            .units
            .iter()
            .map(|s| {
                let stem = file_stem(&s.name, &mut taken);
                Some(dir.join(format!("{stem}.{extension}")))
            })
            .collect())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    #[serde(default)]
    unit: Vec<toml::Spanned<RawUnit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: String,
    path: String,
    rules: Option<String>,
    as_of: Option<String>,
}

/// The units of `parent`: those listed in its `tlkc.units.toml`, else every
/// immediate subfolder not starting with `.` (so `.tlkc`, `.git` are not
/// units) and not a symbolic link, named after the folder, in name order.
pub fn units_of(parent: &Path) -> Result<Units, UnitsError> {
    if !parent.is_dir() {
        return Err(UnitsError::NotAFolder(parent.display().to_string()));
    }
    let list = parent.join(FILE_NAME);
    let units = if list.is_file() {
        let file = list.display().to_string();
        let text = std::fs::read_to_string(&list).map_err(|source| UnitsError::Io {
            file: file.clone(),
            source,
        })?;
        Units {
            units: parse(&text, &file, parent)?,
            skipped_links: Vec::new(),
        }
    } else {
        subfolders(parent)?
    };
    if units.units.is_empty() {
        return Err(UnitsError::Empty(parent.display().to_string()));
    }
    Ok(units)
}

fn subfolders(parent: &Path) -> Result<Units, UnitsError> {
    let io = |source| UnitsError::Io {
        file: parent.display().to_string(),
        source,
    };
    let mut units = Vec::new();
    let mut skipped_links = Vec::new();
    for entry in std::fs::read_dir(parent).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = crate::text::nfc(&entry.file_name().to_string_lossy());
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        // file_type() does not follow: a link to a folder (perhaps another
        // unit, or a folder outside PARENT) is not a unit unless listed.
        if entry.file_type().map_err(io)?.is_symlink() {
            skipped_links.push(entry.path());
            continue;
        }
        units.push(UnitSpec {
            name,
            path: entry.path(),
            rules: None,
            as_of: None,
            linked: false,
        });
    }
    units.sort_by(|a, b| a.name.cmp(&b.name));
    skipped_links.sort();
    Ok(Units {
        units,
        skipped_links,
    })
}

/// Is the unit folder `rel` (as written in the list, relative to `base`)
/// reached through a symbolic link? Every folder the relative path names is
/// looked at; of an absolute path only the unit folder itself (a system
/// folder such as /var may be a link, and is not the unit's doing).
fn through_link(base: &Path, rel: &str) -> bool {
    let rel = Path::new(rel);
    if rel.is_absolute() {
        return crate::fsguard::is_symlink(rel);
    }
    let mut p = base.to_path_buf();
    for c in rel.components() {
        p.push(c);
        if matches!(c, std::path::Component::Normal(_)) && crate::fsguard::is_symlink(&p) {
            return true;
        }
    }
    false
}

/// Parse a `tlkc.units.toml`; relative `path`s are taken from `base`.
pub fn parse(text: &str, file: &str, base: &Path) -> Result<Vec<UnitSpec>, UnitsError> {
    let err = |offset: usize, message: String| {
        UnitsError::Invalid(TomlError::at(text, file, offset, message))
    };
    let raw: RawUnits = toml::from_str(text)
        .map_err(|e| UnitsError::Invalid(TomlError::from_de(text, file, &e)))?;
    let mut units: Vec<UnitSpec> = Vec::new();
    for u in raw.unit {
        let at = u.span().start;
        let u = u.into_inner();
        let name = crate::text::nfc(u.name.trim());
        if name.is_empty() {
            return Err(err(at, "unit: `name` is empty".into()));
        }
        if units.iter().any(|x| x.name == name) {
            return Err(err(at, format!("unit `{name}` is listed twice")));
        }
        if u.path.trim().is_empty() {
            return Err(err(at, format!("unit `{name}`: `path` is empty")));
        }
        let as_of = match &u.as_of {
            None => None,
            Some(s) => Some(
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                    err(
                        at,
                        format!("unit `{name}`: as_of `{s}` is not a date (YYYY-MM-DD)"),
                    )
                })?,
            ),
        };
        units.push(UnitSpec {
            name,
            path: base.join(&u.path),
            rules: u.rules,
            as_of,
            linked: through_link(base, &u.path),
        });
    }
    Ok(units)
}

/// A file name for a unit's own report: its name with path separators and
/// other characters file systems refuse replaced by `-`; Vietnamese letters
/// stay. `taken` makes it unique (`name-2`).
pub fn file_stem(name: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let base: String = crate::text::nfc(name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = base.trim_matches(|c| c == '.' || c == ' ').to_string();
    let base = if base.is_empty() { "unit".into() } else { base };
    let mut stem = base.clone();
    let mut n = 2;
    while !taken.insert(stem.to_lowercase()) {
        stem = format!("{base}-{n}");
        n += 1;
    }
    stem
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
