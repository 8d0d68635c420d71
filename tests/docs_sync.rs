//! docs/checks.md and docs/tlkc.1 are generated; this test regenerates them
//! and fails when the committed copies differ (`UPDATE_DOCS=1` or `UPDATE_SNAPSHOTS=1` rewrites).

fn check(rel: &str, generated: &str) {
    crate::util::assert_matches_file(rel, generated);
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
