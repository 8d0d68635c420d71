//! Writes stay where they belong (issue 21, "Why" 4), on the real binary:
//! output paths are compared with evidence folders once `..` and links are
//! resolved; a link at a report's name is replaced, never written through;
//! a linked `.tlkc` or `tlkc.db` is never opened; a linked subfolder of
//! PARENT is not a unit unless listed, and even then gets no `.tlkc/`.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::trail::{code, pdf, text, TINY_RULES as RULES};
use crate::util::TestCommand;

/// TMP/rules.toml and TMP/P with units `a` and `b`, each holding an evidence PDF.
struct Province {
    tmp: tempfile::TempDir,
}

impl Province {
    fn new() -> Province {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("rules.toml"), RULES).unwrap();
        let p = Province { tmp };
        for unit in ["a", "b"] {
            let dir = p.unit(unit);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("tlkc.toml"), "as_of = \"2022-11-30\"\n").unwrap();
            fs::write(dir.join("bc.pdf"), pdf(&format!("Bao cao {unit}"))).unwrap();
        }
        p
    }
    fn root(&self) -> PathBuf {
        self.tmp.path().canonicalize().unwrap()
    }
    fn parent(&self) -> PathBuf {
        self.root().join("P")
    }
    fn unit(&self, name: &str) -> PathBuf {
        self.parent().join(name)
    }
    fn rules(&self) -> PathBuf {
        self.root().join("rules.toml")
    }
    /// `tlkc ARGS --rules RULES --no-ocr` in English.
    fn run(&self, args: &[&str]) -> Output {
        TestCommand::new()
            .args(args)
            .arg("--rules")
            .arg(self.rules())
            .arg("--no-ocr")
            .env("TLKC_LANG", "en")
            .env("USER", "tester")
            .output()
            .unwrap()
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn sha256(p: &Path) -> String {
    use sha2::Digest as _;
    let bytes = fs::read(p).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir` (links not followed) with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.insert(e.path(), fs::read(e.path()).unwrap());
            } else {
                let target = fs::read_link(e.path()).unwrap();
                out.insert(e.path(), target.into_os_string().into_encoded_bytes());
            }
        }
    }
    out
}

#[test]
fn output_dir_through_dotdot_into_a_unit_is_refused_and_creates_nothing() {
    let p = Province::new();
    let before = tree(&p.parent());
    let sneaky = p.parent().join("x/../a/out");
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--output-dir",
        s(&sneaky),
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(
        text(&o).contains("inside the folder of unit a"),
        "{}",
        text(&o)
    );
    assert!(!p.parent().join("x").exists(), "no new 'unit' P/x");
    assert!(!p.unit("a").join("out").exists());
    assert_eq!(tree(&p.parent()), before, "nothing written under PARENT");
    // The same through a link that points into a unit.
    symlink(p.unit("b"), p.root().join("to-b")).unwrap();
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--output-dir",
        s(&p.root().join("to-b/reports")),
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(!p.unit("b").join("reports").exists());
    // A new folder beside the units would be taken for a unit next time.
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--output-dir",
        s(&p.parent().join("reports")),
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("take for a unit"), "{}", text(&o));
    assert!(!p.parent().join("reports").exists());
    // A `..` that lands outside PARENT is fine, and creates no stray folder.
    let fine = p.root().join("nowhere/../pages");
    let o = p.run(&["check", "--units", s(&p.parent()), "--output-dir", s(&fine)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(p.root().join("pages/a.txt").is_file());
    assert!(!p.root().join("nowhere").exists());
}

#[test]
fn a_link_in_the_output_folder_is_replaced_not_written_through() {
    let p = Province::new();
    let evidence = p.unit("a").join("bc.pdf");
    let digest = sha256(&evidence);
    let out = p.root().join("pages");
    fs::create_dir_all(&out).unwrap();
    // Planted where unit a's own page will be written.
    symlink(&evidence, out.join("a.json")).unwrap();
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--format",
        "json",
        "--output-dir",
        s(&out),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(sha256(&evidence), digest, "the evidence PDF is untouched");
    let page = out.join("a.json");
    assert!(!fs::symlink_metadata(&page).unwrap().is_symlink());
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&page).unwrap()).unwrap();
    assert_eq!(v["ready"], true);
    // The same for --output of a single check, and a dangling link.
    let report = p.root().join("report.txt");
    symlink(&evidence, &report).unwrap();
    let o = p.run(&["check", s(&p.unit("a")), "-o", s(&report)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(sha256(&evidence), digest);
    assert!(!fs::symlink_metadata(&report).unwrap().is_symlink());
    let dangling = p.root().join("d.txt");
    let target = p.unit("b").join("new.pdf");
    symlink(&target, &dangling).unwrap();
    let o = p.run(&["check", s(&p.unit("a")), "-o", s(&dangling)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(!target.exists(), "nothing created at the link's target");
}

#[test]
fn output_into_an_evidence_folder_is_refused() {
    let p = Province::new();
    let a = p.unit("a");
    symlink(&a, p.root().join("to-a")).unwrap();
    let before = tree(&a);
    for out in [
        a.join("report.txt"),
        a.join("bc.pdf"),
        p.root().join("x/../P/a/report.txt"),
        p.root().join("to-a/report.txt"),
        a.join("sub/report.txt"),
    ] {
        let o = p.run(&["check", s(&a), "-o", s(&out)]);
        assert_eq!(code(&o), 2, "{}: {}", out.display(), text(&o));
        assert!(
            text(&o).contains("inside the evidence folder"),
            "{}",
            text(&o)
        );
        let o = p.run(&["submit", s(&a), "-o", s(&out)]);
        assert_eq!(code(&o), 2, "{}: {}", out.display(), text(&o));
    }
    // The combined report of --units inside a unit.
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "-o",
        s(&p.unit("b").join("tinh.html")),
        "--format",
        "html",
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(!p.unit("b").join("tinh.html").exists());
    // Nothing was written into the folder (no index either: refused first).
    assert_eq!(tree(&a), before);
    assert!(!p.root().join("x").exists());
    // Its own .tlkc/ is tlkc's, not evidence.
    let o = p.run(&["check", s(&a), "-o", s(&a.join(".tlkc/last.txt"))]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // A bag inside the evidence folder, however spelled.
    let o = p.run(&["submit", s(&a)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = TestCommand::new()
        .args(["export", s(&a), "--bag", s(&p.root().join("y/../P/a/bag"))])
        .env("TLKC_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(!a.join("bag").exists() && !p.root().join("y").exists());
}

#[test]
fn a_linked_index_folder_leaves_the_other_ledger_untouched() {
    let p = Province::new();
    let (a, b) = (p.unit("a"), p.unit("b"));
    let o = p.run(&["check", s(&a)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = p.run(&["submit", s(&a)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let ledger = tree(&a.join(".tlkc"));
    assert!(ledger.keys().any(|k| k.ends_with("tlkc.db")));
    // Unit b's .tlkc is a link to unit a's.
    symlink(a.join(".tlkc"), b.join(".tlkc")).unwrap();
    let o = p.run(&["check", s(&b)]);
    assert_eq!(code(&o), 0, "checked all the same: {}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("is a symbolic link") && t.contains("checking without the index"),
        "{t}"
    );
    assert_eq!(t.matches("symbolic link").count(), 1, "warned once: {t}");
    // Commands that need the index refuse; none writes through the link.
    let o = p.run(&["submit", s(&b)]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    let bag = p.root().join("bag");
    for args in [
        vec!["log", s(&b)],
        vec!["verify", s(&b)],
        vec!["diff", s(&b)],
        vec!["export", s(&b), "--bag", s(&bag)],
    ] {
        let o = TestCommand::new()
            .args(&args)
            .env("TLKC_LANG", "en")
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}: {}", text(&o));
        assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    }
    assert_eq!(tree(&a.join(".tlkc")), ledger, "a's ledger, byte for byte");
    // In a --units run too.
    let o = p.run(&["check", "--units", s(&p.parent())]);
    assert_ne!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    // Unit a's own run is logged in its ledger; b's run, through the link, is not.
    let log = TestCommand::new()
        .args(["log", s(&a), "--format", "json"])
        .output()
        .unwrap();
    let runs = String::from_utf8_lossy(&log.stdout)
        .matches("\"check_run\"")
        .count();
    assert_eq!(
        runs, 3,
        "a's check, its submit and its --units run; none of b's"
    );
}

#[test]
fn a_dangling_database_link_creates_nothing_at_its_target() {
    let p = Province::new();
    let b = p.unit("b");
    fs::create_dir_all(b.join(".tlkc")).unwrap();
    let target = p.unit("a").join("planted.db");
    symlink(&target, b.join(".tlkc/tlkc.db")).unwrap();
    let o = p.run(&["check", s(&b)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    assert!(!target.exists(), "no database at the link's target");
    let o = p.run(&["submit", s(&b)]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(!target.exists());
    // The Vietnamese warning says what to do.
    let o = TestCommand::new()
        .args(["check", s(&b), "--no-ocr", "--rules", s(&p.rules())])
        .env("TLKC_LANG", "vi")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("liên kết tượng trưng") && err.contains("kiểm tra mà không dùng chỉ mục"),
        "{err}"
    );
    assert!(!target.exists());
}

#[test]
fn a_linked_subfolder_of_parent_is_not_a_unit_and_gets_no_index() {
    let p = Province::new();
    let outside = p.root().join("elsewhere/c");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("tlkc.toml"), "as_of = \"2022-11-30\"\n").unwrap();
    fs::write(outside.join("bc.pdf"), pdf("Bao cao c")).unwrap();
    symlink(&outside, p.parent().join("c")).unwrap();
    // Also a link to a sibling unit: it would be checked twice.
    symlink(p.unit("a"), p.parent().join("a-again")).unwrap();
    let before = tree(&outside);
    let o = p.run(&["check", "--units", s(&p.parent()), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert!(text(&o).contains("skipping"), "{}", text(&o));
    assert_eq!(tree(&outside), before);
    // Listed, it is checked, still without writing into the link's target.
    fs::write(
        p.parent().join("tlkc.units.toml"),
        "[[unit]]\nname = \"a\"\npath = \"a\"\n\n[[unit]]\nname = \"c\"\npath = \"c\"\n",
    )
    .unwrap();
    let o = p.run(&["check", "--units", s(&p.parent()), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["units_checked"], 2);
    assert!(text(&o).contains("through a symbolic link"), "{}", text(&o));
    assert_eq!(tree(&outside), before, "no .tlkc/ in the link's target");
    assert!(!outside.join(".tlkc").exists());
}

#[test]
fn a_listed_unit_not_yet_there_is_not_created_by_the_output() {
    let p = Province::new();
    fs::write(
        p.parent().join("tlkc.units.toml"),
        "[[unit]]\nname = \"a\"\npath = \"a\"\n\n[[unit]]\nname = \"Kon Rẫy\"\npath = \"kon-ray\"\n",
    )
    .unwrap();
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--output-dir",
        s(&p.parent().join("kon-ray/pages")),
    ]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("Kon Rẫy"), "{}", text(&o));
    assert!(!p.parent().join("kon-ray").exists());
    // With the list, other new folders under PARENT are not units: allowed.
    let o = p.run(&[
        "check",
        "--units",
        s(&p.parent()),
        "--output-dir",
        s(&p.parent().join("pages")),
    ]);
    assert_eq!(code(&o), 1, "kon-ray cannot be read: {}", text(&o));
    assert!(p.parent().join("pages/a.txt").is_file());
}
