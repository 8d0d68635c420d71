//! OCR of the genuine scans in `../shared/corpus/real-vn` (page 1 with no
//! text layer, only a copy stamp, or a garbage OCR layer), against what a
//! human read. Per field: read (agrees), null (honest unknown), WRONG. No
//! value may be wrong. Skips when the corpus or Tesseract with the `vie`
//! model is absent (fails under `CI=true`).
//!
//! Print the table: `cargo test --test integration real_vn_ocr:: -- --nocapture`

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;
use tlkc::inspect::ocr::{OcrOptions, Tesseract};
use tlkc::inspect::InspectOptions;

const SCAN_KINDS: &[&str] = &["none", "stamp-only", "ocr-garbage"];
const FIELDS: &[&str] = &[
    "number",
    "type",
    "issuer",
    "date",
    "month",
    "place",
    "title_type",
];

#[derive(Default, Clone, Copy)]
struct Tally {
    read: usize,
    null: usize,
    wrong: usize,
}

/// `../shared/corpus/real-vn`, or None: the test skips (fails under CI).
fn corpus_dir() -> Option<PathBuf> {
    crate::util::shared("corpus/real-vn/manifest.json")
        .and_then(|m| m.parent().map(Path::to_path_buf))
}

fn got(doc: &tlkc::facts::DocumentFacts, field: &str) -> Option<String> {
    match field {
        "number" => doc.number.clone(),
        "type" => doc.r#type.clone(),
        "issuer" => doc.issuer.clone(),
        "date" => doc.date.map(|d| d.to_string()),
        "month" => doc.date_month.clone(),
        "place" => doc.place.clone(),
        "title_type" => doc.title_type.clone(),
        _ => None,
    }
}

fn want(truth: &Value, field: &str) -> Option<String> {
    match field {
        "month" => truth["date"].as_str().map(|d| d[..7].to_string()),
        // tlkc names a "V/v" letter's heading "CÔNG VĂN"; the manifest leaves it null.
        "title_type" if truth["type"].is_null() && !truth["number"].is_null() => {
            Some("CÔNG VĂN".into())
        }
        f => truth[f].as_str().map(str::to_string),
    }
}

#[test]
fn real_vn_scans_by_ocr() {
    let Some(dir) = corpus_dir() else { return };
    let manifest: Value = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| panic!("{}/manifest.json does not read as JSON", dir.display()));
    let engine = match Tesseract::detect() {
        Ok(t) => t,
        Err(why) => {
            crate::util::missing(&format!("OCR ({why})"), crate::util::TESSERACT_HOW);
            return;
        }
    };
    let opts = InspectOptions {
        ocr: OcrOptions {
            engine: Some(engine),
        },
        ..Default::default()
    };
    let mut tallies = vec![Tally::default(); FIELDS.len()];
    let mut wrong = Vec::new();
    let mut times = Vec::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let kind = entry["page1_text_kind"].as_str().unwrap_or_default();
        if !SCAN_KINDS.contains(&kind) {
            continue;
        }
        let rel = entry["path"].as_str().unwrap_or_default();
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let start = Instant::now();
        let facts = tlkc::inspect::inspect_bytes(rel.to_string(), &bytes, &opts);
        times.push(start.elapsed().as_secs_f64());
        let doc = &facts.document;
        let mut cells = Vec::new();
        for (i, field) in FIELDS.iter().enumerate() {
            let (g, w) = (got(doc, field), want(&entry["truth"], field));
            let verdict = match (&g, &w) {
                (None, _) => {
                    tallies[i].null += 1;
                    "-"
                }
                (Some(g), Some(w)) if g == w => {
                    tallies[i].read += 1;
                    "ok"
                }
                _ => {
                    tallies[i].wrong += 1;
                    wrong.push(format!("{rel}: {field} = {g:?}, truth {w:?}"));
                    "WRONG"
                }
            };
            cells.push(verdict);
        }
        println!(
            "{:<46} {:>4} dpi {:>5.1}s  {}  [{}] {}",
            rel,
            facts
                .pdf
                .scan_dpi
                .map(|d| d.to_string())
                .unwrap_or_default(),
            start.elapsed().as_secs_f64(),
            cells.join(" "),
            [
                doc.number.as_deref(),
                doc.r#type.as_deref(),
                doc.issuer.as_deref(),
                doc.date_month.as_deref()
            ]
            .map(|v| v.unwrap_or("-"))
            .join(" "),
            facts.pdf.ocr_note.as_deref().unwrap_or_default(),
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "\n{:<11} {:>5} {:>5} {:>6}",
        "field", "read", "null", "WRONG"
    );
    for (field, t) in FIELDS.iter().zip(&tallies) {
        println!("{:<11} {:>5} {:>5} {:>6}", field, t.read, t.null, t.wrong);
    }
    if let Some(median) = times.get(times.len() / 2) {
        println!("median inspection time per scanned file: {median:.2}s");
    }
    assert!(!times.is_empty(), "no scans in the manifest");
    assert!(
        wrong.is_empty(),
        "OCR values that disagree with the manifest:\n{}",
        wrong.join("\n")
    );
}

/// The garbage-layer test sets aside exactly the scanners' failed OCR layers
/// and never a genuine text layer (no Tesseract needed).
#[test]
fn real_vn_garbage_layers_are_exactly_the_failed_ocr_ones() {
    let Some(dir) = corpus_dir() else { return };
    let manifest: Value = std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| panic!("{}/manifest.json does not read as JSON", dir.display()));
    let mut mismatches = Vec::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let rel = entry["path"].as_str().unwrap_or_default();
        let kind = entry["page1_text_kind"].as_str().unwrap_or_default();
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let f = tlkc::inspect::inspect_bytes(rel.to_string(), &bytes, &Default::default());
        if f.pdf.text_garbled != (kind == "ocr-garbage") {
            mismatches.push(format!(
                "{rel} ({kind}): text_garbled = {}",
                f.pdf.text_garbled
            ));
        }
        if kind == "native" && f.pdf.scan_dpi.is_some() {
            mismatches.push(format!("{rel}: a native document taken for a scan"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
