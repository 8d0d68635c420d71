//! The builtin trust bundle (`trust/`): its PEM files, its manifest, the
//! fingerprints documented in docs/signatures.md and in the shared trust
//! notes (../shared/trust/README.md; required under `CI=true`) must all agree, and
//! `tlkc trust list` must show every certificate.

use std::collections::BTreeSet;

use tlkc::inspect::signature::bundle;

use crate::util::repo_path;

/// (file, sha256) from the rows of a Markdown table whose first cell names a `.pem`
/// file and whose last cell is its SHA-256.
fn table_pins(md: &str) -> BTreeSet<(String, String)> {
    md.lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            let file = cells.first()?;
            let sha = cells.last()?.to_lowercase();
            (file.ends_with(".pem") && sha.len() == 64).then(|| (file.to_string(), sha))
        })
        .collect()
}

fn bundle_pins() -> BTreeSet<(String, String)> {
    bundle::bundle()
        .unwrap()
        .certificates
        .iter()
        .map(|c| (c.file.clone(), c.sha256.clone()))
        .collect()
}

#[test]
fn files_manifest_and_documented_fingerprints_agree() {
    // Every PEM of trust/ is embedded, and every embedded file is in trust/.
    let on_disk: BTreeSet<String> = std::fs::read_dir(repo_path("trust"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pem"))
        .collect();
    let embedded: BTreeSet<String> = bundle::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, embedded, "trust/*.pem vs bundle::FILES");
    // The embedded bytes are the files' bytes.
    for (name, bytes) in bundle::FILES {
        assert_eq!(
            std::fs::read(repo_path(&format!("trust/{name}"))).unwrap(),
            *bytes
        );
    }
    assert_eq!(
        std::fs::read_to_string(repo_path("trust/manifest.toml")).unwrap(),
        bundle::MANIFEST
    );
    // The manifest agrees with the files (subject, SHA-256, validity, role).
    let pins = bundle_pins();
    assert_eq!(pins.len(), 8);
    // docs/signatures.md documents the same fingerprints.
    let doc = std::fs::read_to_string(repo_path("docs/signatures.md")).unwrap();
    assert_eq!(table_pins(&doc), pins, "docs/signatures.md bundle table");
    // So do the shared trust notes the bundle came from.
    if let Some(shared) = crate::util::shared("trust/README.md") {
        let text = std::fs::read_to_string(&shared)
            .unwrap_or_else(|e| panic!("{}: {e}", shared.display()));
        assert_eq!(table_pins(&text), pins, "{}", shared.display());
    }
}

#[test]
fn trust_list_shows_every_certificate_in_both_languages() {
    for (lang, words) in [
        ("vi", ["gốc", "hiệu lực đến"]),
        ("en", ["root", "valid until"]),
    ] {
        let out = crate::util::TestCommand::new()
            .args(["--lang", lang, "trust", "list"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        for (_, sha) in bundle_pins() {
            assert!(text.contains(&sha), "{lang}: {sha} missing:\n{text}");
        }
        for w in words {
            assert!(text.contains(w), "{lang}: {w}:\n{text}");
        }
        assert!(text.contains("CA phục vụ các cơ quan Đảng G2"), "{text}");
    }
    // Turned off: nothing builtin, and a declared anchor is listed.
    let tmp = tempfile::tempdir().unwrap();
    let pem = tmp.path().join("root.pem");
    std::fs::write(&pem, samplegen::TestPki::get().root_pem()).unwrap();
    let out = crate::util::TestCommand::new()
        .args([
            "--lang",
            "en",
            "trust",
            "list",
            "--no-builtin-trust",
            "--trust-anchor",
        ])
        .arg(&pem)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("turned off") && text.contains("TEST RootCA"),
        "{text}"
    );
    assert!(!text.contains(&bundle_pins().first().unwrap().1), "{text}");
}
