//! Where tlkc may write, and how: output paths are compared with evidence
//! folders only once resolved (`..` and symbolic links), and files are
//! created without following a symbolic link that stands at their name.
//!
//! A report, a unit's page or a bag written into an evidence folder would
//! be read as evidence by the next check, and one written *through* a link
//! lands on whatever the link names — an evidence PDF, another unit's
//! ledger. Both are refused here, for every command that writes.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// `path` as the system will reach it: made absolute, its longest existing
/// ancestor canonicalized (so `..` and links in it are resolved as the
/// kernel resolves them), and the missing rest applied lexically (`..`
/// there cannot cross a link, since nothing there exists yet).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    for existing in abs.ancestors() {
        // A dangling link fails to canonicalize: it counts as missing, so
        // the name is kept (and later replaced, never followed).
        let Ok(base) = existing.canonicalize() else {
            continue;
        };
        let rest = abs.strip_prefix(existing).unwrap_or(Path::new(""));
        let mut out = base;
        for c in rest.components() {
            match c {
                Component::Normal(n) => out.push(n),
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(out);
    }
    // Not even the root resolves: give the absolute path back as it is.
    Ok(abs)
}

/// Where a file written at `path` lands: its folder resolved as by
/// [`resolve`], its own name kept as it is, since a link at that name is
/// replaced by [`write_new_or_replace`], never followed.
pub fn resolve_file(path: &Path) -> std::io::Result<PathBuf> {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            Ok(resolve(dir)?.join(name))
        }
        _ => resolve(path),
    }
}

/// Is `resolved` (from [`resolve`]) `folder` or inside it? `folder` is
/// resolved here too, even when it does not exist yet (a unit listed but
/// missing would otherwise be created by the output and then read).
pub fn is_inside(resolved: &Path, folder: &Path) -> bool {
    resolve(folder).is_ok_and(|f| resolved.starts_with(f))
}

/// Write `bytes` to `path` without following a link at `path`: the bytes
/// go to a new file in the same folder (created exclusively, so no link can
/// stand at its name), which is then renamed over `path`. A link there is
/// replaced by the report, and what it pointed to is left as it was; a
/// reader never sees a half-written file.
pub fn write_new_or_replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_new_or_replace_with(path, |w| w.write_all(bytes))
}

/// [`write_new_or_replace`] with the bytes written by `write` as they are
/// made: a large report goes to the file through a buffer instead of being
/// built whole in memory first (issue 25). When `write` fails, the partial
/// file is removed and `path` is left as it was.
pub fn write_new_or_replace_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tlkc-partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // What `std::fs::write` gives a new file under the usual umask: reports are shared.
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, &mut tmp);
        write(&mut buffered)?;
        buffered.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Is `path` itself a symbolic link (not followed)?
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotdot_through_a_missing_folder_resolves_where_the_kernel_goes() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(p.join("a")).unwrap();
        let r = resolve(&p.join("x/../a/out")).unwrap();
        assert_eq!(r, p.join("a/out"));
        assert!(is_inside(&r, &p.join("a")));
        assert!(!p.join("x").exists(), "resolving creates nothing");
        // A folder that does not exist yet still contains what lies under it.
        assert!(is_inside(
            &resolve(&p.join("new/out")).unwrap(),
            &p.join("new")
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_a_link_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(p.join("ev")).unwrap();
        std::fs::write(p.join("ev/a.pdf"), b"x").unwrap();
        std::os::unix::fs::symlink(p.join("ev/a.pdf"), p.join("r.txt")).unwrap();
        assert_eq!(resolve_file(&p.join("r.txt")).unwrap(), p.join("r.txt"));
        assert_eq!(resolve(&p.join("r.txt")).unwrap(), p.join("ev/a.pdf"));
        assert_eq!(
            resolve_file(&p.join("no/../ev/new.txt")).unwrap(),
            p.join("ev/new.txt")
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_existing_part_are_followed_for_the_comparison() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(p.join("evidence")).unwrap();
        std::os::unix::fs::symlink(p.join("evidence"), p.join("link")).unwrap();
        let r = resolve(&p.join("link/new/report.html")).unwrap();
        assert!(is_inside(&r, &p.join("evidence")), "{}", r.display());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_name_is_replaced_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("evidence.pdf");
        std::fs::write(&target, b"%PDF-1.7 evidence").unwrap();
        let out = tmp.path().join("report.json");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        write_new_or_replace(&out, b"{}").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7 evidence");
        assert!(!is_symlink(&out));
        assert_eq!(std::fs::read(&out).unwrap(), b"{}");
        // A dangling link is replaced too: nothing is created at its target.
        let nowhere = tmp.path().join("nowhere/x");
        let dangling = tmp.path().join("d.json");
        std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
        write_new_or_replace(&dangling, b"1").unwrap();
        assert!(!nowhere.exists() && !tmp.path().join("nowhere").exists());
        // No partial file is left behind.
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tlkc-partial"))
            .collect();
        assert!(left.is_empty());
    }
}
