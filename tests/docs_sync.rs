//! docs/checks.md and docs/tlkc.1 are generated; this test regenerates them
//! and fails when the committed copies differ (`UPDATE_DOCS=1` rewrites).

use std::path::PathBuf;

fn check(rel: &str, generated: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{rel} is out of date: run UPDATE_DOCS=1 cargo test --test integration docs_sync::"
    );
}

#[test]
fn checks_md_is_in_sync() {
    let md = tlkc::docgen::checks_md();
    for c in tlkc::findings::Code::ALL {
        assert!(md.contains(&format!("## {}", c.as_str())));
    }
    check("docs/checks.md", &md);
}

#[test]
fn man_page_is_in_sync() {
    let man = tlkc::docgen::man_page().unwrap();
    assert!(man.contains(".TH tlkc"));
    check("docs/tlkc.1", &man);
}
