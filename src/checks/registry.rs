//! The check registry: every check family, the codes it owns, what it reads
//! and, for the checks that judge facts alone, how to run it. `tlkc explain`,
//! SARIF rules and docs/checks.md are generated from [`FAMILIES`]; the
//! evaluation runs [`ALL`].
//!
//! A code is declared once, as a [`Diag`] in the `diags.rs` of the family
//! that emits it; a family that emits a code another family owns (evidence
//! emits the signature family's SIG004) names it in `borrows`. The tests
//! below hold the registry to that: every allocated [`Code`] has exactly one
//! owner, and a family's sources name only codes it owns or borrows.

use super::family::{Check, Family};
use super::Context;
use crate::facts::FileFacts;
use crate::findings::{Code, Diag, Finding};

/// The checks the evaluation runs first, over the facts alone. The evidence
/// and task checks follow (they also give each scorable unit its verdict),
/// then the run's fixity, waivers and estimate: those are families below.
pub const ALL: &[&dyn Check] = &[
    &super::pdf::Pdf,
    &super::document::Document,
    &super::signature::Signature,
    &super::folder::Folder,
    &super::ruleset_fit::RulesetFit,
];

/// Every check's judgement of one file alone, made as soon as its facts
/// exist (the run streams files through this, then slims their facts).
pub fn file_checks(facts: &FileFacts, ctx: &Context, out: &mut Vec<Finding>) {
    for check in ALL {
        check.file(facts, ctx, out);
    }
}

/// Every family that owns codes, whether a [`Check`] of [`ALL`] or a later
/// stage of the run.
pub const FAMILIES: &[&Family] = &[
    &super::pdf::diags::FAMILY,
    &super::document::diags::FAMILY,
    &super::signature::diags::FAMILY,
    &super::folder::diags::FAMILY,
    &super::ruleset_fit::diags::FAMILY,
    &super::evidence::diags::FAMILY,
    &super::deadline::diags::FAMILY,
    &super::tasks::diags::FAMILY,
    &super::fixity::diags::FAMILY,
    &super::waivers::diags::FAMILY,
    &super::score::diags::FAMILY,
];

/// Every declared code, in code order (the order of reports and docs).
pub fn diags() -> Vec<&'static Diag> {
    let mut all: Vec<&'static Diag> = FAMILIES.iter().flat_map(|f| f.owns).copied().collect();
    all.sort_by_key(|d| d.code);
    all
}

/// The declaration of `code`.
pub fn diag(code: Code) -> &'static Diag {
    FAMILIES
        .iter()
        .flat_map(|f| f.owns)
        .find(|d| d.code == code)
        .copied()
        // Not input: the registry test proves every allocated code has an owner.
        .expect("every finding code is declared by a family (checks::registry tests)")
}

/// A code by its number (`SIG001`, any case) or its name (`signature-missing`).
pub fn parse(text: &str) -> Result<&'static Diag, String> {
    let wanted = text.trim();
    FAMILIES
        .iter()
        .flat_map(|f| f.owns)
        .find(|d| d.code.as_str().eq_ignore_ascii_case(wanted) || d.name == wanted)
        .copied()
        .ok_or_else(|| format!("unknown finding code `{wanted}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::family::Reads;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn owner_of() -> BTreeMap<Code, &'static str> {
        let mut owner = BTreeMap::new();
        for fam in FAMILIES {
            for d in fam.owns {
                let before = owner.insert(d.code, fam.name);
                assert!(
                    before.is_none(),
                    "{} is declared by {} and {}",
                    d.code,
                    before.unwrap_or_default(),
                    fam.name
                );
            }
        }
        owner
    }

    #[test]
    fn every_code_has_one_owner_and_full_texts() {
        let owner = owner_of();
        for c in Code::ALL {
            assert!(owner.contains_key(c), "{c} is declared by no family");
        }
        let mut names = BTreeSet::new();
        for d in diags() {
            assert!(names.insert(d.name), "name {} used twice", d.name);
            assert!(
                !d.name.is_empty()
                    && d.name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}: name `{}`",
                d.code,
                d.name
            );
            for t in [d.summary.vi, d.summary.en, d.explain.vi, d.explain.en] {
                assert!(!t.trim().is_empty(), "{}: a text is empty", d.code);
            }
            assert_ne!(
                d.summary.vi, d.summary.en,
                "{}: summary not translated",
                d.code
            );
            assert_ne!(
                d.explain.vi, d.explain.en,
                "{}: explanation not translated",
                d.code
            );
            assert_eq!(parse(d.code.as_str()).map(|x| x.code), Ok(d.code));
            assert_eq!(parse(d.name).map(|x| x.code), Ok(d.code));
            assert_eq!(diag(d.code).code, d.code);
        }
        assert_eq!(diags().len(), Code::ALL.len());
    }

    #[test]
    fn borrowed_codes_are_declared_elsewhere_and_checks_are_families() {
        let owner = owner_of();
        for fam in FAMILIES {
            for d in fam.borrows {
                assert_ne!(
                    owner[&d.code], fam.name,
                    "{} borrows its own {}",
                    fam.name, d.code
                );
            }
        }
        let names: BTreeSet<&str> = FAMILIES.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FAMILIES.len(), "a family is listed twice");
        for c in ALL {
            assert!(
                names.contains(c.family().name),
                "{} is not in FAMILIES",
                c.family().name
            );
            assert!(!c.codes().is_empty() && !c.reads().is_empty());
        }
    }

    /// Shipped code of a file: comments, string and char literals blanked,
    /// then every `#[cfg(test)]` module dropped (by its braces, wherever it
    /// sits), so only shipped code is searched.
    fn code_of(text: &str) -> String {
        let code = blank_literals(text);
        let mut shipped = String::new();
        let mut rest = code.as_str();
        while let Some(at) = rest.find("#[cfg(test)]") {
            shipped.push_str(&rest[..at]);
            let after = &rest[at + "#[cfg(test)]".len()..];
            let item = after.trim_start();
            if !item.starts_with("mod ") {
                rest = after;
                continue;
            }
            let (Some(open), semi) = (item.find('{'), item.find(';')) else {
                rest = "";
                break;
            };
            if semi.is_some_and(|s| s < open) {
                rest = &item[semi.unwrap_or(0) + 1..];
                continue;
            }
            let mut depth = 0usize;
            let mut end = item.len();
            for (i, ch) in item[open..].char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &item[end..];
        }
        shipped.push_str(rest);
        shipped
    }

    fn blank_literals(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut code = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '/' if chars.get(i + 1) == Some(&'/') => {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                }
                // A char literal: '"' or '\''.
                '\'' if chars.get(i + 2) == Some(&'\'') => i += 3,
                '\'' if chars.get(i + 1) == Some(&'\\') && chars.get(i + 3) == Some(&'\'') => {
                    i += 4
                }
                '"' => {
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        i += if chars[i] == '\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                c => {
                    code.push(c);
                    i += 1;
                }
            }
        }
        code
    }

    /// Code identifiers a source names: `SIG004` (a declaration, to emit)
    /// and `Code::Sig004` (a comparison).
    fn named_codes(code: &str) -> BTreeSet<Code> {
        let by_text: BTreeMap<String, Code> = Code::ALL
            .iter()
            .flat_map(|c| {
                let s = c.as_str();
                let variant = format!("Code::{}{}", &s[..1], s[1..].to_lowercase());
                [(s.to_string(), *c), (variant, *c)]
            })
            .collect();
        let bytes = code.as_bytes();
        let mut found = BTreeSet::new();
        for (text, c) in &by_text {
            for (i, _) in code.match_indices(text.as_str()) {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + text.len()).copied();
                let ident =
                    |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !ident(before) && !ident(after) {
                    found.insert(*c);
                }
            }
        }
        found
    }

    #[test]
    fn code_names_are_found_in_code_only() {
        let text = "//! SIG004 in a doc\nlet f = Finding::new(&diags::SIG004, m(\"PDF001 \\\" EVD001 }\")); // DUE001\nif x.code == Code::Doc006 { XSIG002 }\n#[cfg(test)]\nmod tests {\n fn t() { Code::Tsk001 }\n}\nfn after() { Code::Fix003 }\n";
        assert_eq!(
            named_codes(&code_of(text)),
            BTreeSet::from([Code::Sig004, Code::Doc006, Code::Fix003])
        );
    }

    fn sources(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        out
    }

    /// A family emits only what it owns or borrows: the codes its emitting
    /// sources name (outside `diags.rs`, which declares) are listed in the
    /// registry. Comparisons that read another family's findings are allowed
    /// where said: evidence withdraws DOC006, the estimate counts TSK001/002.
    #[test]
    fn families_emit_only_registered_codes() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
        let reads_only: &[(&str, Code)] = &[
            ("evidence", Code::Doc006),
            ("score", Code::Tsk001),
            ("score", Code::Tsk002),
        ];
        for fam in FAMILIES {
            let listed: BTreeSet<Code> = fam.codes().collect();
            for (path, text) in sources(&src.join(fam.name)) {
                if path.ends_with("diags.rs") {
                    continue;
                }
                for c in named_codes(&code_of(&text)) {
                    let allowed = listed.contains(&c) || reads_only.contains(&(fam.name, c));
                    assert!(
                        allowed,
                        "{path} names {c}, which {} neither owns nor borrows",
                        fam.name
                    );
                }
            }
            for (path, text) in sources(&src.join(fam.name)) {
                if path.ends_with("diags.rs") {
                    for c in named_codes(&code_of(&text)) {
                        assert!(listed.contains(&c), "{path} declares {c} outside FAMILY");
                    }
                }
            }
        }
    }

    /// A family that reads a file's facts declares it: the facts its
    /// judging sources touch are among its `reads`.
    #[test]
    fn families_declare_the_file_facts_they_read() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
        let marks: &[(&str, Reads)] = &[
            (".pdf.", Reads::Pdf),
            (".kind", Reads::Pdf),
            (".document.", Reads::Document),
            (".signatures", Reads::Signatures),
            (".sha256", Reads::Hashes),
            ("LastSubmission", Reads::LastSubmission),
            ("Discovery", Reads::Discovery),
        ];
        for fam in FAMILIES {
            for (path, text) in sources(&src.join(fam.name)) {
                let code = code_of(&text);
                for (mark, reads) in marks {
                    if code.contains(mark) {
                        assert!(
                            fam.reads.contains(reads),
                            "{path} reads {reads:?} (`{mark}`), which {} does not declare",
                            fam.name
                        );
                    }
                }
            }
        }
    }

    /// Reports render findings; what they do with a code is data on its
    /// declaration ([`crate::findings::Handling`]), never a `match` on codes.
    #[test]
    fn renderers_never_name_a_code() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for dir in [
            "report",
            "app",
            "docgen.rs",
            "evaluate.rs",
            "run.rs",
            "run",
            "trail",
        ] {
            let p = src.join(dir);
            let files = if p.is_dir() {
                sources(&p)
            } else {
                match std::fs::read_to_string(&p) {
                    Ok(t) => vec![(p.display().to_string(), t)],
                    Err(_) => continue,
                }
            };
            // Fixtures and test files build findings of chosen codes on purpose.
            for (path, text) in files
                .into_iter()
                .filter(|(p, _)| !p.ends_with("fixture.rs") && !p.ends_with("_tests.rs"))
            {
                let named = named_codes(&code_of(&text));
                assert!(named.is_empty(), "{path} names {named:?}");
            }
        }
    }

    /// docs/checks.md lists no code the registry does not declare.
    #[test]
    fn documented_codes_are_registered() {
        let md =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md"))
                .unwrap();
        let headings: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        assert_eq!(headings.len(), Code::ALL.len());
        for h in headings {
            assert!(
                parse(h).is_ok(),
                "docs/checks.md documents {h}, which no family declares"
            );
        }
    }
}
