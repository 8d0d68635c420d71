//! Evidence is read-only: every command run over a copy of the signed
//! sample leaves every evidence file's bytes and modification time as they were.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

fn state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".tlkc") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let m = fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(p.clone(), (fs::read(&p).unwrap(), m));
            }
        }
    }
    out
}

fn run(args: &[&str]) -> i32 {
    let o = Command::new(env!("CARGO_BIN_EXE_tlkc"))
        .args(args)
        .env("TLKC_LANG", "en")
        .output()
        .unwrap();
    let code = o.status.code().unwrap_or(-1);
    assert_ne!(
        code,
        2,
        "tlkc {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    code
}

#[test]
fn no_command_touches_evidence() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("samples/test-ca"), &tmp.path().join("test-ca"));
    let dir = tmp.path().join("dak-glei-2022");
    copy_dir(&repo.join("samples/dak-glei-2022"), &dir);
    let d = dir.to_str().unwrap();
    let before = state(&dir);
    std::thread::sleep(std::time::Duration::from_millis(20));

    let first_pdf = before
        .keys()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap()
        .clone();
    run(&["inspect", "--format", "json", first_pdf.to_str().unwrap()]);
    run(&["check", d]);
    run(&["check", d, "--rehash", "--format", "json"]);
    let html = tmp.path().join("report.html");
    run(&[
        "check",
        d,
        "--format",
        "html",
        "--output",
        html.to_str().unwrap(),
    ]);
    run(&["submit", d, "--force", "--note", "test"]);
    run(&["diff", d]);
    run(&["verify", d]);
    run(&["log", d]);
    let bag = tmp.path().join("bag");
    run(&["export", d, "--bag", bag.to_str().unwrap()]);
    run(&["init", d]);

    let after = state(&dir);
    for (path, (bytes, mtime)) in &before {
        let (b, m) = after
            .get(path)
            .unwrap_or_else(|| panic!("{} disappeared", path.display()));
        assert!(b == bytes, "{} changed", path.display());
        assert_eq!(m, mtime, "{} mtime changed", path.display());
    }
}
