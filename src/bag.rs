//! BagIt 1.0 (RFC 8493) export of a submission: the submitted files under
//! `data/`, SHA-256 manifests, `bag-info.txt` and the check reports as tag
//! files. The bag is built in a sibling folder and renamed into place, so
//! `OUT` is either absent, untouched or complete.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::hash::sha256_hex;

#[derive(Debug, thiserror::Error)]
pub enum BagError {
    #[error("{0}: already exists and is not empty; choose a new folder for the bag")]
    NotEmpty(String),
    #[error("{0}: is inside the evidence folder; the bag would be checked as evidence next time")]
    InsideEvidence(String),
    #[error("{0}: is a symbolic link; choose a real folder for the bag (tlkc never writes through a link)")]
    Symlink(String),
    #[error("{path}: recorded path is not a plain relative path; refusing to write it")]
    BadPath { path: String },
    #[error("{path}: its bytes differ from the submission (SHA-256 {found}, submitted {expected}); run `tlkc verify`")]
    Changed {
        path: String,
        expected: String,
        found: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BagError + '_ {
    move |source| BagError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One payload file: where it is now, and what it must hash to.
#[derive(Debug, Clone)]
pub struct PayloadFile {
    /// `/`-separated path under `data/`.
    pub rel: String,
    pub source: PathBuf,
    pub sha256: String,
}

/// `bag-info.txt` metadata, in the order written.
#[derive(Debug, Clone)]
pub struct BagInfo {
    pub fields: Vec<(String, String)>,
}

/// A tag file at the bag's root (e.g. the reports).
#[derive(Debug, Clone)]
pub struct TagFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BagSummary {
    pub files: usize,
    pub bytes: u64,
}

/// RFC 8493 §2.1.3: in manifest paths, CR, LF and `%` (and only those) are percent-encoded.
pub fn encode_manifest_path(p: &str) -> String {
    let mut s = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            '%' => s.push_str("%25"),
            '\r' => s.push_str("%0D"),
            '\n' => s.push_str("%0A"),
            c => s.push(c),
        }
    }
    s
}

/// A bag-info value on one line: a line break would start a bogus label.
fn one_line(v: &str) -> String {
    v.replace(['\r', '\n'], " ")
}

fn safe_rel(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let ok = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Refuse an `out` that exists and has entries, or is a symbolic link.
pub fn check_target(out: &Path) -> Result<(), BagError> {
    if crate::fsguard::is_symlink(out) {
        return Err(BagError::Symlink(out.display().to_string()));
    }
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BagError::NotEmpty(out.display().to_string()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if out.exists() => Err(BagError::NotEmpty(out.display().to_string())),
        Err(e) => Err(io(out)(e)),
    }
}

/// Write the bag at `out` (absent or an empty folder).
pub fn write_bag(
    out: &Path,
    payload: &[PayloadFile],
    info: &BagInfo,
    tags: &[TagFile],
) -> Result<BagSummary, BagError> {
    check_target(out)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "bag".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    // A fresh folder of a random name, created exclusively: no link planted
    // at a predictable name can redirect the bag's files.
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tlkc-partial-"))
        .tempdir_in(parent)
        .map_err(io(parent))?
        .keep();
    let result = build(&staging, payload, info, tags);
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            // Best effort: the partial bag is ours, never the user's files.
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if out.exists() {
        // Empty (checked above); rename cannot replace a folder everywhere.
        std::fs::remove_dir(out).map_err(io(out))?;
    }
    std::fs::rename(&staging, out).map_err(io(out))?;
    Ok(summary)
}

fn build(
    root: &Path,
    payload: &[PayloadFile],
    info: &BagInfo,
    tags: &[TagFile],
) -> Result<BagSummary, BagError> {
    let data = root.join("data");
    std::fs::create_dir_all(&data).map_err(io(&data))?;
    let mut sorted: Vec<&PayloadFile> = payload.iter().collect();
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut manifest = String::new();
    let mut total = 0u64;
    for f in &sorted {
        let rel = safe_rel(&f.rel).ok_or_else(|| BagError::BadPath {
            path: f.rel.clone(),
        })?;
        let bytes = std::fs::read(&f.source).map_err(io(&f.source))?;
        let found = sha256_hex(&bytes);
        if found != f.sha256 {
            return Err(BagError::Changed {
                path: f.rel.clone(),
                expected: f.sha256.clone(),
                found,
            });
        }
        let dest = data.join(&rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        std::fs::write(&dest, &bytes).map_err(io(&dest))?;
        total += bytes.len() as u64;
        let _ = writeln!(
            manifest,
            "{}  data/{}",
            f.sha256,
            encode_manifest_path(&f.rel)
        );
    }
    let mut bag_info = String::new();
    for (k, v) in &info.fields {
        let _ = writeln!(bag_info, "{}: {}", one_line(k), one_line(v));
    }
    let _ = writeln!(bag_info, "Payload-Oxum: {total}.{}", sorted.len());
    let mut tag_files: Vec<(String, Vec<u8>)> = vec![
        (
            "bagit.txt".into(),
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
        ),
        ("bag-info.txt".into(), bag_info.into_bytes()),
        ("manifest-sha256.txt".into(), manifest.into_bytes()),
    ];
    tag_files.extend(tags.iter().map(|t| (t.name.clone(), t.bytes.clone())));
    let mut tagmanifest = String::new();
    for (name, bytes) in &tag_files {
        let p = root.join(name);
        std::fs::write(&p, bytes).map_err(io(&p))?;
        let _ = writeln!(
            tagmanifest,
            "{}  {}",
            sha256_hex(bytes),
            encode_manifest_path(name)
        );
    }
    let p = root.join("tagmanifest-sha256.txt");
    std::fs::write(&p, tagmanifest).map_err(io(&p))?;
    Ok(BagSummary {
        files: sorted.len(),
        bytes: total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_only_cr_lf_percent() {
        assert_eq!(
            encode_manifest_path("a%b\nc\rd ế/x.pdf"),
            "a%25b%0Ac%0Dd ế/x.pdf"
        );
    }

    #[test]
    fn refuses_escaping_paths() {
        assert!(safe_rel("../x").is_none());
        assert!(safe_rel("/etc/passwd").is_none());
        assert!(safe_rel("1.3.1/kh.pdf").is_some());
    }
}
