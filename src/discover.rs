//! Discovery: walk the evidence folder, normalise names, decide which
//! sub-criteria each file is filed under. Reads no file contents.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use regex::Regex;
use walkdir::WalkDir;

use crate::config::{FolderConfig, FILE_NAME};
use crate::rules::Ruleset;
use crate::text::{fold, nfc};

/// The folder tlkc keeps its own state in; never evidence.
pub const STATE_DIR: &str = ".tlkc";
/// The guide `tlkc init` writes into every sub-criterion folder: tlkc's own
/// file, never evidence.
pub const GUIDE_FILE: &str = "HUONG-DAN.txt";

/// One regular file found in the evidence folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// NFC, `/`-separated, relative to the root.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// The stat data the index compares with its row, from the metadata
    /// read here (not following a link): one stat per file, not two (issue
    /// 25). `None` where metadata lacks a field ([`crate::fsstat::from_metadata`]).
    pub stat: Option<crate::fsstat::Stat>,
    /// Scorable ids this file is filed under.
    pub criteria: Vec<String>,
    pub assigned_by: AssignedBy,
    /// The name was not valid UTF-8 (shown with U+FFFD).
    pub lossy_name: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignedBy {
    /// Code leading a folder or file name.
    Name,
    /// `[[assign]]` in tlkc.toml.
    Config,
    None,
}

/// Something in the folder that is not a regular file tlkc reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub rel: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// Symbolic links are never followed (they could leave the folder or loop).
    Symlink,
    /// Could not be listed or stat'ed (permissions…).
    Unreadable(String),
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Evidence>,
    pub skipped: Vec<Skipped>,
    /// Config assignments that matched no file: (path, line).
    pub unmatched_assignments: Vec<(String, usize)>,
    /// Config assignments naming ids the ruleset lacks: (path, id, line).
    pub unknown_criteria: Vec<(String, String, usize)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: not a folder")]
    NotADir(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Walk `root` (never following symlinks), skipping hidden entries,
/// `.tlkc/` and the root's `tlkc.toml` and `tasks.csv`. Output is sorted by path.
pub fn discover(
    root: &Path,
    rules: &Ruleset,
    config: &FolderConfig,
) -> Result<Discovery, DiscoverError> {
    let meta = std::fs::metadata(root).map_err(|source| DiscoverError::Io {
        path: root.display().to_string(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(DiscoverError::NotADir(root.display().to_string()));
    }
    let ids = rules.all_ids();
    let scorable_ids: Vec<&str> = rules.scorables().map(|(_, s)| s.id.as_str()).collect();
    let mut out = Discovery::default();
    // (how many were skipped before it, entry, path, lossy name) of every regular file.
    let mut pending = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|p| rel_string(p).0)
                    .unwrap_or_default();
                out.skipped.push(Skipped {
                    rel,
                    reason: SkipReason::Unreadable(e.to_string()),
                });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Ok(rel_path) = entry.path().strip_prefix(root) else {
            continue;
        };
        let (rel, lossy_name) = rel_string(rel_path);
        let ft = entry.file_type();
        if ft.is_symlink() {
            out.skipped.push(Skipped {
                rel,
                reason: SkipReason::Symlink,
            });
            continue;
        }
        if !ft.is_file()
            || (entry.depth() == 1 && (rel == FILE_NAME || rel == crate::config::tasks::FILE_NAME))
            || entry.file_name() == GUIDE_FILE
        {
            continue;
        }
        pending.push((out.skipped.len(), entry, rel, lossy_name));
    }
    // Each file's stat and filing side by side: the stat is most of
    // discovery's time, and a warm check does little else per file (issue 25).
    let made: Vec<(usize, Result<Evidence, Skipped>)> = pending
        .into_par_iter()
        .map(|(before, entry, rel, lossy_name)| {
            (
                before,
                evidence(entry, rel, lossy_name, &ids, &scorable_ids),
            )
        })
        .collect();
    // A file that could not be stat'ed is skipped where the walk met it.
    let mut skipped = std::mem::take(&mut out.skipped).into_iter();
    let mut seen = 0;
    for (before, made) in made {
        while seen < before {
            out.skipped.extend(skipped.next());
            seen += 1;
        }
        match made {
            Ok(e) => out.files.push(e),
            Err(s) => out.skipped.push(s),
        }
    }
    out.skipped.extend(skipped);
    apply_config(&mut out, config, &scorable_ids);
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// One regular file's evidence: its stat and the sub-criterion its path names.
fn evidence(
    entry: walkdir::DirEntry,
    rel: String,
    lossy_name: bool,
    ids: &[&str],
    scorable_ids: &[&str],
) -> Result<Evidence, Skipped> {
    let md = match entry.metadata() {
        Ok(m) => m,
        Err(e) => {
            return Err(Skipped {
                rel,
                reason: SkipReason::Unreadable(e.to_string()),
            })
        }
    };
    let mtime_ns = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    let criteria: Vec<String> = code_from_path(&rel, ids)
        .filter(|c| scorable_ids.contains(&c.as_str()))
        .into_iter()
        .collect();
    let assigned_by = if criteria.is_empty() {
        AssignedBy::None
    } else {
        AssignedBy::Name
    };
    Ok(Evidence {
        rel,
        abs: entry.into_path(),
        size: md.len(),
        mtime_ns,
        stat: crate::fsstat::from_metadata(&md),
        criteria,
        assigned_by,
        lossy_name,
    })
}

fn apply_config(out: &mut Discovery, config: &FolderConfig, scorable_ids: &[&str]) {
    for a in &config.assign {
        let known: Vec<String> = a
            .criteria
            .iter()
            .filter(|c| {
                let ok = scorable_ids.contains(&c.as_str());
                if !ok {
                    out.unknown_criteria
                        .push((a.path.clone(), (*c).clone(), a.line));
                }
                ok
            })
            .cloned()
            .collect();
        let prefix = format!("{}/", a.path);
        let mut matched = false;
        for f in out
            .files
            .iter_mut()
            .filter(|f| f.rel == a.path || f.rel.starts_with(&prefix))
        {
            matched = true;
            if !known.is_empty() {
                f.criteria = known.clone();
                f.assigned_by = AssignedBy::Config;
            }
        }
        if !matched {
            out.unmatched_assignments.push((a.path.clone(), a.line));
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn rel_string(p: &Path) -> (String, bool) {
    let mut lossy = false;
    let parts: Vec<String> = p
        .components()
        .map(|c| {
            let s = c.as_os_str();
            if s.to_str().is_none() {
                lossy = true;
            }
            nfc(&s.to_string_lossy())
        })
        .collect();
    (parts.join("/"), lossy)
}

fn code_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Folded (lower-case, no diacritics) name: optional "TC"/"TCTP"/"Tiêu chí (thành phần)" then the code.
        Regex::new(r"^(?:tctp|tc|tieu chi thanh phan|tieu chi)?[\s.:_-]*((?:dt\.?)?\d+(?:\.\d+)*)(?:[^\d]|$)")
            .unwrap_or_else(|_| unreachable!("static regex"))
    })
}

/// The code leading the deepest path component that names a known id.
pub fn code_from_path(rel: &str, ids: &[&str]) -> Option<String> {
    rel.rsplit('/')
        .find_map(|component| code_from_name(component, ids))
}

/// The known id a folder or file name starts with ("TC 1.3.1 - Kế hoạch" → "1.3.1").
pub fn code_from_name(name: &str, ids: &[&str]) -> Option<String> {
    let token = leading_code(name)?;
    ids.iter()
        .find(|id| id.eq_ignore_ascii_case(&token))
        .map(|s| s.to_string())
}

/// The code a folder or file name starts with, known or not ("5.1.1 Kế hoạch" → "5.1.1").
pub fn leading_code(name: &str) -> Option<String> {
    let folded = fold(name);
    let caps = code_regex().captures(&folded)?;
    let token = caps.get(1)?.as_str().trim_end_matches('.');
    let token = token.replacen("dt", "DT", 1);
    Some(if token.starts_with("DT") && !token.starts_with("DT.") {
        token.replacen("DT", "DT.", 1)
    } else {
        token
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["1", "1.3", "1.3.1", "2.1.1", "DT.1"];

    #[test]
    fn reads_codes_from_names() {
        for (name, want) in [
            ("1.3.1", Some("1.3.1")),
            ("TC 1.3.1 - Kế hoạch kiểm tra", Some("1.3.1")),
            ("1.3.1_ke-hoach.pdf", Some("1.3.1")),
            ("TCTP 2.1.1", Some("2.1.1")),
            ("Tiêu chí thành phần 1.3.1. Kế hoạch", Some("1.3.1")),
            ("DT.1 Điểm trừ", Some("DT.1")),
            ("1.3.12 khác", None),
            ("2022 bao cao.pdf", None),
            ("Ke hoach.pdf", None),
        ] {
            assert_eq!(code_from_name(name, IDS).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn deepest_component_wins() {
        assert_eq!(
            code_from_path("1.3 Kiểm tra/1.3.1 Kế hoạch/kh.pdf", IDS).as_deref(),
            Some("1.3.1")
        );
        assert_eq!(
            code_from_path("Khác/2.1.1_bc.pdf", IDS).as_deref(),
            Some("2.1.1")
        );
    }

    /// Discovery's stat is the one the index compares with its rows: every
    /// field the index reads, as a stat of the file itself says.
    #[cfg(unix)]
    #[test]
    fn discovery_reads_the_stat_data_the_index_compares() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("1.3.1 Kế hoạch")).unwrap();
        std::fs::write(tmp.path().join("1.3.1 Kế hoạch/a.pdf"), b"%PDF-1.4\n").unwrap();
        let rules = crate::rules::load_file(Path::new("builtin:kon-tum-2022-huyen")).unwrap();
        let d = discover(tmp.path(), &rules, &FolderConfig::default()).unwrap();
        let [e] = &d.files[..] else {
            panic!("{:?}", d.files)
        };
        let s = e.stat.expect("stat data");
        assert!(s.complete());
        assert_eq!(s, crate::fsstat::stat(&e.abs).unwrap());
        assert_eq!(s.size, 9);
    }

    #[test]
    fn nfd_names_become_nfc() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "1.3.1 Kế hoạch/tệp.pdf".nfd().collect();
        let (rel, lossy) = rel_string(Path::new(&nfd));
        assert_eq!(rel, "1.3.1 Kế hoạch/tệp.pdf");
        assert!(!lossy);
    }
}
