//! Every sentence an officer reads in Vietnamese is Vietnamese: check,
//! inspect, log, diff, verify, the export refusal, configuration errors,
//! `tlkc explain` of every code and `--help`, over the samples, generated
//! signature cases and the shared genuine corpus. A dictionary of English
//! words (none of them a Vietnamese syllable written without its marks)
//! catches English that slipped into a Vietnamese line; program values
//! (`Some(…)`, Debug names) are caught by shape.
//!
//! What a file itself says is not ours to translate: text in quotes (“…”,
//! "…", `…`), paths and file names, and upper-case placeholders (FILE).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{repo_path, TestCommand};

/// English words that are not Vietnamese syllables without diacritics
/// ("to", "so", "do", "can", "may", "an", "no", "in" are left out: they are;
/// so are "byte", which Vietnamese uses, and command names such as "verify").
const ENGLISH: &[&str] = &[
    "the",
    "reading",
    "anchor",
    "revocation",
    "and",
    "of",
    "is",
    "are",
    "was",
    "were",
    "with",
    "without",
    "by",
    "from",
    "this",
    "that",
    "these",
    "those",
    "into",
    "been",
    "cannot",
    "could",
    "would",
    "should",
    "must",
    "has",
    "have",
    "had",
    "yes",
    "none",
    "unknown",
    "error",
    "errors",
    "warning",
    "warnings",
    "file",
    "files",
    "signature",
    "signatures",
    "bytes",
    "digest",
    "certificate",
    "trusted",
    "valid",
    "invalid",
    "changed",
    "added",
    "removed",
    "page",
    "pages",
    "field",
    "found",
    "missing",
    "read",
    "expected",
    "only",
    "when",
    "which",
    "what",
    "where",
    "who",
    "why",
    "how",
    "its",
    "out",
    "over",
    "under",
    "after",
    "before",
    "more",
    "than",
    "less",
    "all",
    "any",
    "every",
    "each",
    "first",
    "last",
    "new",
    "old",
    "other",
    "same",
    "such",
    "there",
    "their",
    "they",
    "them",
    "then",
    "also",
    "but",
    "if",
    "else",
    "for",
    "about",
    "above",
    "because",
    "while",
    "until",
    "since",
    "during",
    "between",
    "against",
    "through",
    "again",
    "once",
    "here",
    "both",
    "few",
    "most",
    "own",
    "too",
    "very",
    "just",
    "will",
    "event",
    "events",
    "actor",
    "submitted",
    "submission",
    "checked",
    "ledger",
    "hashes",
    "verified",
    "exported",
    "refused",
    "folder",
    "path",
    "key",
    "keys",
    "line",
    "column",
    "string",
    "integer",
    "table",
    "array",
    "value",
    "values",
    "date",
    "dates",
    "reason",
    "deadline",
    "late",
    "days",
    "day",
    "week",
    "month",
    "year",
    "years",
    "report",
    "reports",
    "ruleset",
    "rulesets",
    "level",
    "score",
    "points",
    "risk",
    "ready",
    "encrypted",
    "password",
    "empty",
    "header",
    "readable",
    "version",
    "text",
    "layer",
    "coverage",
    "intact",
    "allowed",
    "disallowed",
    "organization",
    "organisation",
    "person",
    "print",
    "help",
    "usage",
    "options",
    "arguments",
    "commands",
    "default",
    "possible",
    "exit",
    "codes",
    "not",
    "no_ocr",
    "ok",
    "fail",
    "failed",
    "verdict",
    "waived",
    "unreadable",
    "damaged",
    "please",
    "run",
    "first_seen",
    "check_run",
];

/// Program values that must never reach a reader.
const PROGRAM_VALUES: &[&str] = &[
    "Some(",
    "None",
    "Ok(",
    "Err(",
    "EntireFile",
    "EntireRevision",
    "Unclear",
    "Disallowed",
    "Allowed",
    "Organization",
    "crypto_valid",
    "modified_after",
    " bytes)",
];

fn strip_quoted(line: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in line.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '“' => closing = Some('”'),
                '"' => closing = Some('"'),
                '`' => closing = Some('`'),
                c => out.push(c),
            },
        }
    }
    out
}

/// English words and program values in `text`, with the line they are on.
fn english_in(text: &str, known_names: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    for line in text.lines() {
        for v in PROGRAM_VALUES {
            if line.contains(v) {
                hits.push(format!("program value {v:?}: {line}"));
            }
        }
        let mut l = line.to_string();
        // File names, signer names, software names from the documents.
        for n in known_names {
            l = l.replace(n.as_str(), " ");
        }
        let l = strip_quoted(&l);
        for token in l.split(|c: char| c.is_whitespace() || ",;:()[]{}<>=+—–…|•→".contains(c))
        {
            // Paths, file names, options, placeholders, hashes.
            if token.contains('/')
                || token.contains('.')
                || token.starts_with('-')
                || token.starts_with('$')
                || token.chars().all(|c| !c.is_lowercase())
            {
                continue;
            }
            let word = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
            if word.is_ascii() && ENGLISH.contains(&word.to_lowercase().as_str()) {
                hits.push(format!("{word:?}: {line}"));
            }
        }
    }
    hits
}

fn tlkc() -> TestCommand {
    let mut c = TestCommand::new();
    c.env("TZ", "Asia/Ho_Chi_Minh");
    c
}

fn output(c: &mut Command) -> (String, String) {
    let o = c.output().unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn pdfs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

/// Software and signer names the files carry (they are the files' words).
fn names_in_inspect_json(files: &[PathBuf]) -> Vec<String> {
    let (json, _) = output(
        tlkc()
            .args(["inspect", "--no-ocr", "--format", "json"])
            .args(files),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let mut names = Vec::new();
    for f in v.as_array().into_iter().flatten() {
        for k in ["signer", "issuer", "field"] {
            for s in f["signatures"].as_array().into_iter().flatten() {
                if let Some(n) = s[k].as_str() {
                    names.push(n.to_string());
                }
            }
        }
        for k in ["title", "place"] {
            if let Some(n) = f["document"][k].as_str() {
                names.push(n.to_string());
            }
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

fn generated_cases(dir: &Path) -> Vec<PathBuf> {
    use samplegen::fixtures;
    let spec = fixtures::example_spec();
    let t = fixtures::default_time(&spec);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("ky-dung.pdf", fixtures::signed(&spec, t).unwrap()),
        ("het-han.pdf", fixtures::expired_cert(&spec, t).unwrap()),
        (
            "sua-sau-khi-ky.pdf",
            fixtures::modified_after_signing(&spec, t).unwrap(),
        ),
        ("bam-sai.pdf", fixtures::digest_mismatch(&spec, t).unwrap()),
        ("khe-ho.pdf", fixtures::byterange_gap(&spec, t, 40).unwrap()),
        ("rac.pdf", fixtures::garbage_contents(&spec, t).unwrap()),
        ("cut.pdf", fixtures::truncated_half(&spec, t).unwrap()),
        ("mat-khau.pdf", fixtures::encrypted_looking(&spec).unwrap()),
        ("quet-cu.pdf", fixtures::old_scan_v13(&spec).unwrap()),
        ("khong-phai-pdf.pdf", fixtures::not_a_pdf()),
        ("dau-tep-la.pdf", {
            let mut b = b"\x75\xab\x5a\x01junk before header".to_vec();
            b.extend(fixtures::signed(&spec, t).unwrap());
            b
        }),
    ];
    cases
        .into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

#[test]
fn vietnamese_output_has_no_english_and_no_program_values() {
    let tmp = tempfile::tempdir().unwrap();
    let mut texts: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut add = |what: &str, text: String, names: Vec<String>| {
        texts.push((what.to_string(), text, names));
    };

    // check over both samples, with drafts, now and years later (CFG003).
    for sample in ["dak-glei-2022", "dak-glei-2023-ready"] {
        let dir = tmp.path().join(sample);
        copy_dir(&repo_path(&format!("samples/{sample}")), &dir);
        copy_dir(&repo_path("samples/test-ca"), &tmp.path().join("test-ca"));
        let (out, err) = output(
            tlkc()
                .args(["check", "--no-ocr", "--explanations"])
                .arg(&dir),
        );
        add(&format!("check {sample}"), out + &err, vec![]);
        let (out, err) = output(
            tlkc()
                .args(["check", "--no-ocr", "--as-of", "30/11/2026"])
                .arg(&dir),
        );
        add(&format!("check {sample} in 2026"), out + &err, vec![]);
        let mut pdfs = Vec::new();
        pdfs_under(&dir, &mut pdfs);
        let names = names_in_inspect_json(&pdfs);
        let (out, err) = output(tlkc().args(["inspect", "--no-ocr"]).args(&pdfs));
        add(&format!("inspect {sample}"), out + &err, names);
    }

    // The audit trail: submit, change a file, then log, diff, verify, export.
    let dir = tmp.path().join("dak-glei-2022");
    let (_, err) = output(
        tlkc()
            .args(["submit", "--no-ocr", "--force", "-qq", "--note", "nộp thử"])
            .arg(&dir),
    );
    add("submit", err, vec![]);
    let changed = dir.join("1.2.1 Báo cáo CCHC/BC CCHC quy I nam 2022.pdf");
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes.extend_from_slice(b"\n% sua sau khi nop\n");
    std::fs::write(&changed, bytes).unwrap();
    for args in [
        vec!["log"],
        vec!["diff"],
        vec!["verify"],
        vec!["diff", "99"],
        vec!["log", "--since", "31/13/2022"],
    ] {
        let (out, err) = output(tlkc().args(&args).arg(&dir));
        add(&args.join(" "), out + &err, vec![]);
    }
    let (out, err) = output(
        tlkc()
            .arg("export")
            .arg(&dir)
            .arg("--bag")
            .arg(dir.join("goi")),
    );
    add("export into the folder", out + &err, vec![]);
    let fresh = tmp.path().join("chua-kiem-tra");
    std::fs::create_dir_all(&fresh).unwrap();
    let (out, err) = output(
        tlkc()
            .arg("export")
            .arg(&fresh)
            .arg("--bag")
            .arg(tmp.path().join("goi")),
    );
    add("export refusal", out + &err, vec![]);

    // Configuration errors.
    for (name, toml) in [
        ("unknown key", "asof = \"2022-11-30\"\n"),
        ("bad date", "as_of = \"2022-13-30\"\n"),
        ("syntax", "as_of = \"2022-11-30\n"),
        ("missing rules", "rules = \"khong-co.toml\"\n"),
        ("wrong type", "unit = 3\n"),
        (
            "waiver without reason",
            "[[waiver]]\ncode = \"DUE001\"\ncriterion = \"1.2.1\"\n",
        ),
        (
            "escaping path",
            "[[assign]]\npath = \"../x.pdf\"\ncriteria = [\"1.2.1\"]\n",
        ),
        (
            "metric without source",
            "[metrics]\n\"3.4.1\" = { value = 1, unit = \"%\" }\n",
        ),
        (
            "missing trust anchor",
            "[trust]\nanchors = [\"khong-co.pem\"]\n",
        ),
        (
            "unreadable revocation list",
            "[trust]\ncrls = [\"tlkc.toml\"]\n",
        ),
    ] {
        let d = tmp.path().join(format!("cfg-{}", name.replace(' ', "-")));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("tlkc.toml"), toml).unwrap();
        let (out, err) = output(tlkc().args(["check", "--no-ocr"]).arg(&d));
        assert!(err.contains("tlkc: lỗi:"), "{name}: {err}");
        add(&format!("config error: {name}"), out + &err, vec![]);
    }
    let (out, err) = output(tlkc().args(["check"]).arg(tmp.path().join("khong-co")));
    add("missing folder", out + &err, vec![]);
    let (out, err) = output(tlkc().args(["check", "--bogus"]));
    add("usage error", out + &err, vec![]);

    // Generated signature cases: each cause said in Vietnamese.
    let gen = tmp.path().join("gen");
    std::fs::create_dir_all(&gen).unwrap();
    let cases = generated_cases(&gen);
    let names = names_in_inspect_json(&cases);
    let (out, err) = output(tlkc().args(["inspect", "--no-ocr"]).args(&cases));
    add("inspect generated cases", out + &err, names);

    // The shared genuine corpus.
    // Without it only this part is left out (and the test fails under CI).
    if let Some(corpus) = crate::util::shared("corpus/real-vn") {
        let mut pdfs = Vec::new();
        pdfs_under(&corpus, &mut pdfs);
        pdfs.sort();
        let names = names_in_inspect_json(&pdfs);
        let (out, err) = output(tlkc().args(["inspect", "--no-ocr"]).args(&pdfs));
        add("inspect real-vn", out + &err, names);
    }

    // Every code's explanation, and the help of every command.
    let (out, _) = output(tlkc().args(["explain", "all"]));
    let codes: Vec<String> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(codes.len() > 40, "{out}");
    add("explain all", out, vec![]);
    for code in codes {
        let (out, err) = output(tlkc().args(["explain", &code]));
        add(&format!("explain {code}"), out + &err, vec![]);
    }
    for sub in [
        vec![],
        vec!["check"],
        vec!["inspect"],
        vec!["submit"],
        vec!["log"],
        vec!["diff"],
        vec!["verify"],
        vec!["export"],
        vec!["init"],
        vec!["explain"],
        vec!["rules"],
        vec!["rules", "import"],
        vec!["rules", "show"],
    ] {
        let (out, err) = output(tlkc().args(&sub).arg("--help"));
        add(&format!("{} --help", sub.join(" ")), out + &err, vec![]);
    }

    let mut problems = Vec::new();
    for (what, text, names) in &texts {
        for hit in english_in(text, names) {
            problems.push(format!("[{what}] {hit}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} English word(s) or program value(s) in Vietnamese output:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_dictionary_catches_english_and_spares_vietnamese() {
    assert!(english_in("Chữ ký số dùng SHA-1 as the digest", &[]).len() >= 2);
    assert!(!english_in("coverage Some(EntireRevision)", &[]).is_empty());
    assert!(english_in("trễ 4 ngày so với hạn, do UBND tỉnh giao, có thể", &[]).is_empty());
    assert!(english_in("phần mềm lưu tệp: “Microsoft Word for the web”", &[]).is_empty());
}
