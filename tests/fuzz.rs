//! A stable-Rust mutation fuzzer over inspection, the ruleset/config
//! loaders and the criteria-table importers (`rules::import`). `cargo test --test integration fuzz::` replays the kept regressions and a short
//! smoke run; the long run is `cargo test --release --test integration fuzz:: -- --ignored`
//! with `TLKC_FUZZ_ITERS` (default 200000) and `TLKC_FUZZ_SEED`.
//! Any input that panics is written to `tests/fuzz-regressions/` and the
//! test fails; keep the file: it is replayed on every `cargo test` from then on.

use std::path::{Path, PathBuf};

use tlkc::inspect::{inspect_bytes, InspectOptions};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"xref",
    b"trailer",
    b"startxref",
    b"%%EOF",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"/ByteRange",
    b"/Contents",
    b"/Sig",
    b"/FT",
    b"/V",
    b"/Kids",
    b"/Parent",
    b"/Length 999999",
    b"/Filter /FlateDecode",
    b"/ObjStm",
    b"/XRefStm",
    b"/Encrypt",
    b"1 0 R",
    b"0 0 R",
    b"-1",
    b"99999999999",
    b"(\\",
    b"<FEFF",
    b"BT",
    b"ET",
    b"Tj",
    b"TJ",
    b"Do",
    b"/Type /XObject /Subtype /Form",
    b"q",
    b"Q",
    b"cm",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = data.len().max(1);
        match rng.below(7) {
            0 => {
                let i = rng.below(len);
                if let Some(b) = data.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(len);
                data.truncate(i);
            }
            2 => {
                let i = rng.below(data.len() + 1);
                let t = TOKENS[rng.below(TOKENS.len())];
                data.splice(i..i, t.iter().copied());
            }
            3 => {
                let a = rng.below(len);
                let n = rng.below(64).min(data.len().saturating_sub(a));
                data.drain(a..a + n);
            }
            4 => {
                let a = rng.below(len);
                let n = rng.below(256).min(data.len().saturating_sub(a));
                let chunk: Vec<u8> = data[a..a + n].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, chunk);
            }
            5 => {
                let i = rng.below(len);
                if let Some(b) = data.get_mut(i) {
                    *b = b"0123456789 /<>[]()"[rng.below(18)];
                }
            }
            _ => {
                // Rewrite a number: cross-reference offsets and lengths are favourite targets.
                let i = rng.below(len);
                if let Some(start) = data[i.min(data.len())..]
                    .iter()
                    .position(|b| b.is_ascii_digit())
                {
                    let s = i + start;
                    let e = data[s..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(data.len(), |p| s + p);
                    let n = rng.next() % 1_000_000;
                    data.splice(s..e, n.to_string().into_bytes());
                }
            }
        }
    }
    data
}

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![tiny_pdf()];
    // Every committed sample PDF is a seed (signed, scanned, Vietnamese text).
    for dir in ["samples"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "pdf") && out.len() < 12 {
                    if let Ok(b) = std::fs::read(&p) {
                        out.push(b);
                    }
                }
            }
        }
    }
    out
}

fn tiny_pdf() -> Vec<u8> {
    let body = "BT /F1 12 Tf 72 720 Td (S\\366: 01/BC-UBND) Tj ET";
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Annots [5 0 R] >>".to_string(),
        format!("<< /Length {} >>\nstream\n{body}\nendstream", body.len()),
        "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /V << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <3080> >> >>".to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offs = vec![];
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let x = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

/// Run one input through every target; `false` when something panicked.
fn exercise(data: &[u8]) -> bool {
    let opts = InspectOptions::default();
    let pdf_ok = std::panic::catch_unwind(|| {
        let _ = inspect_bytes("fuzz.pdf".into(), data, &opts);
    })
    .is_ok();
    let text = String::from_utf8_lossy(data);
    let rules_ok = std::panic::catch_unwind(|| {
        let _ = tlkc::rules::load_str(&text, "fuzz.toml");
        let _ = tlkc::config::FolderConfig::parse(&text, "tlkc.toml");
    })
    .is_ok();
    pdf_ok && rules_ok && import_ok(data)
}

/// Every importer on the input. `import` turns a panic inside a parser into
/// `ParserPanic` (never a crash for the user); here that counts as a crash,
/// and so does a draft whose TOML does not read back as itself (`RoundTrip`).
fn import_ok(data: &[u8]) -> bool {
    use tlkc::rules::import::{import, to_toml, ImportError, Kind, Meta};
    let meta = Meta {
        id: "fuzz".into(),
        title: "Fuzz".into(),
        year: 2024,
        source: "fuzz\n[algorithm_policy]".into(),
        // The default language: its comments carry the most table text.
        lang: tlkc::findings::Lang::Vi,
    };
    [Kind::Xlsx, Kind::Ods, Kind::Docx, Kind::Csv]
        .into_iter()
        .all(|kind| {
            let r = std::panic::catch_unwind(|| {
                import(data, kind, None).map(|set| to_toml(&set, &meta))
            });
            !matches!(
                r,
                Err(_)
                    | Ok(Err(ImportError::ParserPanic(_)))
                    | Ok(Ok(Err(ImportError::RoundTrip(_))))
            )
        })
}

fn fuzz(iterations: u64, seed: u64) -> Vec<PathBuf> {
    let mut rng = Rng(seed | 1);
    let mut corpus = seeds();
    corpus.push(
        include_str!("../rules/kon-tum-2022-huyen.toml")
            .as_bytes()
            .to_vec(),
    );
    corpus.extend(crate::rules_import::seed_tables());
    let mut crashes = Vec::new();
    for i in 0..iterations {
        let base = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base);
        if !exercise(&input) {
            let p = regressions_dir().join(format!("crash-{seed:x}-{i}.bin"));
            let _ = std::fs::write(&p, &input);
            crashes.push(p);
        }
    }
    crashes
}

#[test]
fn regressions_replay_without_panic() {
    let Ok(rd) = std::fs::read_dir(regressions_dir()) else {
        return;
    };
    for e in rd.flatten() {
        let data = std::fs::read(e.path()).unwrap();
        assert!(exercise(&data), "{} panics again", e.path().display());
    }
}

#[test]
fn smoke_fuzz() {
    let crashes = fuzz(300, 0x7e5d);
    assert!(crashes.is_empty(), "new crashing inputs kept: {crashes:?}");
}

#[test]
#[ignore = "long run: cargo test --release --test integration fuzz:: -- --ignored --nocapture"]
fn long_fuzz() {
    let iters = std::env::var("TLKC_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let seed = std::env::var("TLKC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let start = std::time::Instant::now();
    let crashes = fuzz(iters, seed);
    eprintln!(
        "fuzz: {iters} executions in {:?}, seed {seed:#x}, {} crashes",
        start.elapsed(),
        crashes.len()
    );
    assert!(crashes.is_empty(), "new crashing inputs kept: {crashes:?}");
}
