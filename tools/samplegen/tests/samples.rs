use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            // Hidden entries are not samples: `.tlkc/` is the index a
            // `tlkc check samples/…` run leaves behind (git ignores it).
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn regenerated_samples_match_committed_bytes() {
    let committed = committed();
    // samples/ is part of the repository: missing means a broken checkout, not a skip.
    assert!(
        committed.join("dak-glei-2022").is_dir(),
        "{}: the committed samples are missing",
        committed.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let written: BTreeSet<PathBuf> = samplegen::samples::write_samples(tmp.path())
        .unwrap()
        .into_iter()
        .collect();
    let mut on_disk = files_under(&committed);
    on_disk.remove(Path::new("README.md"));
    assert_eq!(
        written, on_disk,
        "generated file list differs from samples/"
    );
    for rel in &written {
        let a = std::fs::read(tmp.path().join(rel)).unwrap();
        let b = std::fs::read(committed.join(rel)).unwrap();
        assert!(
            a == b,
            "{} differs; run `cargo run -p samplegen -- samples`",
            rel.display()
        );
    }
    let total: u64 = written
        .iter()
        .map(|r| std::fs::metadata(committed.join(r)).unwrap().len())
        .sum();
    // 3.2 MB before the twelve task replies of the 2022 folder (issue 11).
    assert!(total < 4_000_000, "samples grew to {total} bytes");
}

#[test]
fn nfd_folder_is_nfd_on_disk() {
    use unicode_normalization::UnicodeNormalization;
    let tmp = tempfile::tempdir().unwrap();
    let written = samplegen::samples::write_samples(tmp.path()).unwrap();
    let nfd: String = samplegen::samples::NFD_FOLDER.nfd().collect();
    assert!(written
        .iter()
        .any(|p| p.starts_with(Path::new("dak-glei-2022").join(&nfd))));
    assert!(written
        .iter()
        .any(|p| p
            .starts_with(Path::new("dak-glei-2023-ready").join(samplegen::samples::NFD_FOLDER))));
}
