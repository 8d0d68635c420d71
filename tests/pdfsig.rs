//! tlkc against poppler's `pdfsig`, signature by signature, on every PDF under
//! `samples/` and on the samplegen failure fixtures. Skipped (with a message)
//! when `pdfsig` is not on PATH, a failure under `CI=true`. Every disagreement must match a row of
//! [`DELIBERATE`]; the table is printed with
//! `cargo test --test integration pdfsig:: -- --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use samplegen::fixtures::{self, default_time, example_spec};
use samplegen::TestPki;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One signature as pdfsig reports it.
#[derive(Debug, Default, Clone)]
struct Poppler {
    field: Option<String>,
    cn: Option<String>,
    /// "Signing Time", read as UTC (pdfsig runs with TZ=UTC).
    time: Option<NaiveDateTime>,
    total: bool,
    /// The text after "Signature Validation: ".
    validation: String,
    /// The text after "Certificate Validation: ".
    certificate: String,
}

impl Poppler {
    fn valid(&self) -> bool {
        self.validation == "Signature is Valid."
    }
}

fn parse_pdfsig(out: &str) -> Vec<Poppler> {
    let mut sigs: Vec<Poppler> = Vec::new();
    for line in out.lines() {
        let l = line.trim();
        if l.starts_with("Signature #") && l.ends_with(':') {
            sigs.push(Poppler::default());
            continue;
        }
        let Some(s) = sigs.last_mut() else { continue };
        let l = l.trim_start_matches("- ");
        let val = |p: &str| l.strip_prefix(p).map(|v| v.trim().to_string());
        if let Some(v) = val("Signature Field Name:") {
            s.field = Some(v);
        } else if let Some(v) = val("Signer Certificate Common Name:") {
            s.cn = Some(v);
        } else if let Some(v) = val("Signing Time:") {
            s.time = NaiveDateTime::parse_from_str(&v, "%b %d %Y %H:%M:%S").ok();
        } else if l == "Total document signed" {
            s.total = true;
        } else if l == "Not total document signed" {
            s.total = false;
        } else if let Some(v) = val("Signature Validation:") {
            s.validation = v;
        } else if let Some(v) = val("Certificate Validation:") {
            s.certificate = v;
        }
    }
    sigs
}

fn run_pdfsig(file: &Path) -> Option<String> {
    let out = Command::new("pdfsig")
        .env("TZ", "UTC")
        .arg(file)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn tlkc_inspect(file: &Path) -> serde_json::Value {
    let out = crate::util::TestCommand::new()
        .args(["inspect", "--format", "json", "--trust-anchor"])
        .arg(root().join("samples/test-ca/root.pem"))
        .arg(file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v[0].clone()
}

/// What tlkc says about one signature, in pdfsig's terms.
struct Tlkc<'a>(&'a serde_json::Value);

impl Tlkc<'_> {
    fn valid(&self) -> bool {
        self.0["intact"] == true && self.0["crypto_valid"] == true
    }
    fn total(&self) -> bool {
        self.0["coverage"] == "entire_file"
    }
    fn sound(&self) -> bool {
        self.valid()
            && matches!(
                self.0["coverage"].as_str(),
                Some("entire_file" | "entire_revision")
            )
            && self.0["modified_after"] != "disallowed"
    }
    fn trusted(&self) -> bool {
        self.0["trusted"] == true
    }
    fn time(&self) -> Option<NaiveDateTime> {
        self.0["signing_time"]
            .as_str()
            .and_then(|t| DateTime::<FixedOffset>::parse_from_rfc3339(t).ok())
            .map(|t| t.naive_utc())
    }
}

/// Compared per signature.
const FIELDS: &[&str] = &["valid", "total", "accept", "signer", "time", "trust"];

fn verdicts(p: &Poppler, t: &Tlkc) -> [(bool, bool); 6] {
    [
        // "Signature is Valid." vs intact && crypto_valid.
        (p.valid(), t.valid()),
        // "Total document signed" vs coverage = entire_file.
        (p.total, t.total()),
        // What each tool would accept: valid and total for pdfsig;
        // is_sound() (no SIG002/SIG003) for tlkc.
        (p.valid() && p.total, t.sound()),
        // Same signer CN (both unknown counts as the same).
        (true, p.cn.as_deref() == t.0["signer"].as_str()),
        // Same signing instant (both unknown counts as the same).
        (true, p.time == t.time()),
        // "Certificate is Trusted." vs trusted = true.
        (p.certificate == "Certificate is Trusted.", t.trusted()),
    ]
}

/// A disagreement tlkc makes on purpose: which comparison, when it applies,
/// and why tlkc differs.
struct Deliberate {
    field: &'static str,
    applies: fn(&Poppler, &Tlkc) -> bool,
    reason: &'static str,
}

const DELIBERATE: &[Deliberate] = &[
    Deliberate {
        field: "accept",
        applies: |p, t| {
            p.valid()
                && !p.total
                && t.0["coverage"] == "entire_revision"
                && t.0["modified_after"] == "allowed"
        },
        reason: "an earlier signature followed only by allowed updates (a later signature): pdfsig says \"Not total document signed\", tlkc diffs the revisions and finds coverage entire_revision + modified_after allowed",
    },
    Deliberate {
        field: "trust",
        applies: |p, t| t.trusted() && p.certificate.contains("issuer is unknown"),
        reason: "pdfsig runs without an NSS database holding the test root, so it calls every issuer unknown; tlkc is given samples/test-ca/root.pem",
    },
    Deliberate {
        field: "total",
        applies: |p, t| p.validation == "Unknown Validation Failure." && !t.valid(),
        reason: "a CMS pdfsig cannot decode (zeroed or garbage /Contents): pdfsig prints no ranges, signer or time; tlkc still reports the /ByteRange layout; both call the signature invalid",
    },
    Deliberate {
        field: "signer",
        applies: |p, t| p.validation == "Unknown Validation Failure." && !t.valid(),
        reason: "a CMS pdfsig cannot decode (zeroed or garbage /Contents): pdfsig prints no ranges, signer or time; tlkc still reports the /ByteRange layout; both call the signature invalid",
    },
    Deliberate {
        field: "time",
        applies: |p, t| p.validation == "Unknown Validation Failure." && !t.valid(),
        reason: "a CMS pdfsig cannot decode (zeroed or garbage /Contents): pdfsig prints no ranges, signer or time; tlkc still reports the /ByteRange layout; both call the signature invalid",
    },
    Deliberate {
        field: "trust",
        applies: |p, t| !p.valid() && t.trusted() && !t.valid(),
        reason: "after a digest mismatch pdfsig does not report certificate validation; tlkc judges the trust layer on its own (the file gets SIG002 anyway)",
    },
];

fn deliberate(field: &str, p: &Poppler, t: &Tlkc) -> Option<&'static str> {
    DELIBERATE
        .iter()
        .find(|d| d.field == field && (d.applies)(p, t))
        .map(|d| d.reason)
}

/// File-level disagreements on the number of signatures.
struct DeliberateCount {
    file: &'static str,
    reason: &'static str,
}

const DELIBERATE_COUNT: &[DeliberateCount] = &[];

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let spec = example_spec();
    let t = default_time(&spec);
    let pki = TestPki::get();
    let list: Vec<(&str, Vec<u8>)> = vec![
        ("signed.pdf", fixtures::signed(&spec, t).unwrap()),
        (
            "person-only.pdf",
            fixtures::signed_by(&spec, &pki.person, t).unwrap(),
        ),
        (
            "unsigned.pdf",
            samplegen::build_pdf(&spec).unwrap().into_bytes(),
        ),
        (
            "zeroed-contents.pdf",
            fixtures::zeroed_contents(&spec, t).unwrap(),
        ),
        (
            "garbage-contents.pdf",
            fixtures::garbage_contents(&spec, t).unwrap(),
        ),
        (
            "digest-mismatch.pdf",
            fixtures::digest_mismatch(&spec, t).unwrap(),
        ),
        (
            "modified-after-signing.pdf",
            fixtures::modified_after_signing(&spec, t).unwrap(),
        ),
        (
            "byterange-gap.pdf",
            fixtures::byterange_gap(&spec, t, 40).unwrap(),
        ),
        (
            "expired-cert.pdf",
            fixtures::expired_cert(&spec, t).unwrap(),
        ),
        (
            "forged-ca-name.pdf",
            fixtures::forged_ca_name(&spec, t).unwrap(),
        ),
        ("unknown-ca.pdf", fixtures::unknown_ca(&spec, t).unwrap()),
    ];
    list.into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

fn sample_pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sample_pdfs(&p, out);
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Tally {
    agree: usize,
    deliberate: usize,
    unexplained: usize,
}

#[test]
fn tlkc_agrees_with_pdfsig_except_where_argued() {
    if Command::new("pdfsig").arg("-v").output().is_err() {
        crate::util::missing("pdfsig", "apt-get install poppler-utils");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    sample_pdfs(&root().join("samples"), &mut files);
    let n_samples = files.len();
    files.extend(fixture_files(tmp.path()));

    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut rows = Vec::new();
    let (mut count_agree, mut sigs_compared) = (0, 0);
    for file in &files {
        let label = file
            .strip_prefix(root())
            .or_else(|_| file.strip_prefix(tmp.path()))
            .unwrap_or(file)
            .display()
            .to_string();
        let label = if file.starts_with(tmp.path()) {
            format!("fixture:{label}")
        } else {
            label
        };
        let popp = parse_pdfsig(&run_pdfsig(file).unwrap());
        let facts = tlkc_inspect(file);
        let ours: Vec<&serde_json::Value> = facts["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["sig_type"] == "signature")
            .collect();
        if popp.len() == ours.len() {
            count_agree += 1;
        } else if let Some(d) = DELIBERATE_COUNT.iter().find(|d| label.ends_with(d.file)) {
            *reasons.entry(d.reason).or_default() += 1;
        } else {
            unexplained.push(format!(
                "{label}: pdfsig finds {} signature(s), tlkc {}",
                popp.len(),
                ours.len()
            ));
        }
        let mut cells = Vec::new();
        for (i, p) in popp.iter().enumerate() {
            // Pair by field name, else by position.
            let Some(t) = ours
                .iter()
                .find(|s| p.field.is_some() && s["field"].as_str() == p.field.as_deref())
                .or_else(|| ours.get(i))
            else {
                continue;
            };
            sigs_compared += 1;
            let t = Tlkc(t);
            let mut cell = String::new();
            for (field, (a, b)) in FIELDS.iter().zip(verdicts(p, &t)) {
                let e = tally.entry(field).or_default();
                if a == b {
                    e.agree += 1;
                    cell.push('=');
                } else if let Some(r) = deliberate(field, p, &t) {
                    e.deliberate += 1;
                    *reasons.entry(r).or_default() += 1;
                    cell.push('~');
                } else {
                    e.unexplained += 1;
                    cell.push('X');
                    unexplained.push(format!(
                        "{label} #{}: {field}: pdfsig {a} ({}; {}), tlkc {b} ({})",
                        i + 1,
                        p.validation,
                        if p.total { "total" } else { "not total" },
                        serde_json::to_string(t.0).unwrap()
                    ));
                }
            }
            cells.push(format!("{} [{}]", p.validation, cell));
        }
        rows.push(format!(
            "{:<78} pdfsig {} / tlkc {}  {}",
            label,
            popp.len(),
            ours.len(),
            cells.join("  ")
        ));
    }

    println!("\ntlkc vs pdfsig (per signature: {FIELDS:?}; = agree, ~ deliberate, X unexplained)");
    for r in &rows {
        println!("{r}");
    }
    println!(
        "\n{} files ({} under samples/, {} fixtures); signature counts agree on {}; {} signatures compared",
        files.len(),
        n_samples,
        files.len() - n_samples,
        count_agree,
        sigs_compared
    );
    println!(
        "{:<8} {:>6} {:>11} {:>12}",
        "field", "agree", "deliberate", "unexplained"
    );
    for f in FIELDS {
        let t = tally.entry(f).or_default();
        println!(
            "{:<8} {:>6} {:>11} {:>12}",
            f, t.agree, t.deliberate, t.unexplained
        );
    }
    println!("\ndeliberate disagreements:");
    for (r, n) in &reasons {
        println!("  {n:>3} × {r}");
    }
    assert!(
        unexplained.is_empty(),
        "disagreements with pdfsig not in DELIBERATE:\n{}",
        unexplained.join("\n")
    );
}

#[test]
fn parses_pdfsig_output() {
    let out = "Digital Signature Info of: x.pdf
Signature #1:
  - Signature Field Name: Signature1
  - Signer Certificate Common Name: Nguyễn Văn An
  - Signing Time: Mar 18 2022 05:45:00
  - Not total document signed
  - Signature Validation: Signature is Valid.
  - Certificate Validation: Certificate issuer is unknown.
Signature #2:
  - Signature Field Name: Signature2
  - Total document signed
  - Signature Validation: Digest Mismatch.
";
    let s = parse_pdfsig(out);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].field.as_deref(), Some("Signature1"));
    assert_eq!(s[0].cn.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(
        s[0].time.unwrap().to_string(),
        "2022-03-18 05:45:00".to_string()
    );
    assert!(s[0].valid() && !s[0].total);
    assert!(!s[1].valid() && s[1].total);
    assert_eq!(s[1].validation, "Digest Mismatch.");
}
