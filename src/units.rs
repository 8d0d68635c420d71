//! The province's view (`tlkc check --units PARENT`): which folders are
//! units, from PARENT's subfolders or its `tlkc.units.toml`. What is kept of
//! each unit's check is [`crate::run::units`].

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
/// units), named after the folder, in name order.
pub fn units_of(parent: &Path) -> Result<Vec<UnitSpec>, UnitsError> {
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
        parse(&text, &file, parent)?
    } else {
        subfolders(parent)?
    };
    if units.is_empty() {
        return Err(UnitsError::Empty(parent.display().to_string()));
    }
    Ok(units)
}

fn subfolders(parent: &Path) -> Result<Vec<UnitSpec>, UnitsError> {
    let io = |source| UnitsError::Io {
        file: parent.display().to_string(),
        source,
    };
    let mut units = Vec::new();
    for entry in std::fs::read_dir(parent).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = crate::text::nfc(&entry.file_name().to_string_lossy());
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        units.push(UnitSpec {
            name,
            path: entry.path(),
            rules: None,
            as_of: None,
        });
    }
    units.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(units)
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
#[path = "units_tests.rs"]
mod tests;
