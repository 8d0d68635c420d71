//! Conformance over real Vietnamese state PDFs (`../shared/corpus/real-vn`):
//! number, type and date read by tlkc against what a human read on page 1.
//! A value that disagrees is a failure; `null` (honest unknown) is allowed.
//!
//! Print the table: `cargo test --test integration real_vn:: -- --nocapture`

use std::path::{Path, PathBuf};

use serde_json::Value;

#[derive(Default)]
struct Tally {
    agree: usize,
    null: usize,
    wrong: usize,
}

/// `../shared/corpus/real-vn`, or None: the test skips (fails under CI).
fn corpus_dir() -> Option<PathBuf> {
    crate::util::shared("corpus/real-vn/manifest.json")
        .and_then(|m| m.parent().map(Path::to_path_buf))
}

/// `read` says whether the page was read at all: an unread scan that yields
/// no type has not agreed that the document is a công văn.
fn compare(tally: &mut Tally, got: Option<String>, want: Option<&str>, read: bool) -> &'static str {
    match (got.as_deref(), want) {
        // Both empty: a công văn has no type, an appendix no number.
        (None, None) if read => {
            tally.agree += 1;
            "ok"
        }
        (None, _) => {
            tally.null += 1;
            "null"
        }
        (Some(g), Some(w)) if g == w => {
            tally.agree += 1;
            "ok"
        }
        _ => {
            tally.wrong += 1;
            "WRONG"
        }
    }
}

#[test]
fn real_vn_number_type_date() {
    let Some(dir) = corpus_dir() else { return };
    let manifest_path = dir.join("manifest.json");
    let manifest: Value = match std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(v) => v,
        None => panic!("cannot read {}", manifest_path.display()),
    };
    let entries = manifest.as_array().cloned().unwrap_or_default();
    assert!(!entries.is_empty(), "empty manifest");

    let (mut number, mut kind, mut date) = (Tally::default(), Tally::default(), Tally::default());
    let mut wrong_rows = Vec::new();
    println!(
        "{:<48} {:<7} {:<7} {:<7}  got number / type / date",
        "file", "number", "type", "date"
    );
    for entry in &entries {
        let rel = entry["path"].as_str().unwrap_or_default();
        let truth = &entry["truth"];
        let bytes = match std::fs::read(dir.join(rel)) {
            Ok(b) => b,
            Err(e) => panic!("{rel}: {e}"),
        };
        let facts = tlkc::inspect::inspect_bytes(rel.to_string(), &bytes, &Default::default());
        let doc = &facts.document;
        let read = doc.number.is_some() || truth["number"].is_null();
        let n = compare(
            &mut number,
            doc.number.clone(),
            truth["number"].as_str(),
            true,
        );
        let t = compare(&mut kind, doc.r#type.clone(), truth["type"].as_str(), read);
        let d = compare(
            &mut date,
            doc.date.map(|d| d.format("%Y-%m-%d").to_string()),
            truth["date"].as_str(),
            true,
        );
        let row = format!(
            "{:<48} {:<7} {:<7} {:<7}  {} / {} / {}",
            rel,
            n,
            t,
            d,
            doc.number.as_deref().unwrap_or("-"),
            doc.r#type.as_deref().unwrap_or("-"),
            doc.date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
        );
        println!("{row}");
        if [n, t, d].contains(&"WRONG") {
            wrong_rows.push(format!(
                "{row}   (truth {} / {} / {})",
                truth["number"], truth["type"], truth["date"]
            ));
        }
    }
    println!();
    println!("{:<8} {:>6} {:>6} {:>6}", "field", "agree", "null", "WRONG");
    for (name, t) in [("number", &number), ("type", &kind), ("date", &date)] {
        println!("{:<8} {:>6} {:>6} {:>6}", name, t.agree, t.null, t.wrong);
    }
    assert!(
        wrong_rows.is_empty(),
        "values that disagree with the manifest:\n{}",
        wrong_rows.join("\n")
    );
}

/// Copies say so: the three "SAO Y" copies signed "ký số bản sao văn bản
/// điện tử" by the copying body, and the six scans republished and signed by
/// the government portal. Every other genuine document is an original.
#[test]
fn real_vn_copies_are_told_apart() {
    let Some(dir) = corpus_dir() else { return };
    let manifest_path = dir.join("manifest.json");
    let expected: &[(&str, &str, &str)] = &[
        (
            "vietlexibot/ct-11-ubnd-hanoi-2025.pdf",
            "sao_y",
            "VĂN PHÒNG ỦY BAN NHÂN DÂN",
        ),
        (
            "vbai-lamdong/cv-4409-bca-c04-2025.pdf",
            "sao_y",
            "Bộ Công an",
        ),
        (
            "vbai-lamdong/cv-855-cat-pa05-lamdong-2025.pdf",
            "sao_y",
            "CÔNG AN TỈNH LÂM ĐỒNG",
        ),
        (
            "vietlexibot/qd-1360-ttg-2025.pdf",
            "publication",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
        ),
        (
            "vietlexibot/qd-1380-ttg-2025.pdf",
            "publication",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
        ),
        (
            "sus-agri-mekong/qd-222-ttg-2025.pdf",
            "publication",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
        ),
        (
            "qlvb-thanh/qd-01-2025-ttg.pdf",
            "publication",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
        ),
        (
            "qlvb-thanh/qd-3-2025-ubnd-phutho.pdf",
            "publication",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
        ),
        (
            "qlvb-thanh/ttlt-01-2016-tandtc-vksndtc-btp.pdf",
            "publication",
            "Cổng Thông tin điện tử Chính phủ",
        ),
    ];
    let manifest: Value = match std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(v) => v,
        None => panic!("cannot read {}", manifest_path.display()),
    };
    for entry in manifest.as_array().cloned().unwrap_or_default() {
        let rel = entry["path"].as_str().unwrap_or_default();
        let bytes = match std::fs::read(dir.join(rel)) {
            Ok(b) => b,
            Err(e) => panic!("{rel}: {e}"),
        };
        let facts = tlkc::inspect::inspect_bytes(rel.to_string(), &bytes, &Default::default());
        let got = facts.document.copy.as_ref().map(|c| {
            let kind = serde_json::to_value(c.kind).unwrap_or_default();
            (
                kind.as_str().unwrap_or("").to_string(),
                c.organisation.clone().unwrap_or_default(),
            )
        });
        let want = expected
            .iter()
            .find(|(p, _, _)| *p == rel)
            .map(|(_, k, o)| (k.to_string(), o.to_string()));
        assert_eq!(got, want, "{rel}");
        if let Some(c) = &facts.document.copy {
            assert!(c.time.is_some(), "{rel}: copy time");
            // The copy's signing time is never the release date.
            let kept = tlkc::facts::KeptFacts::of(&facts);
            let release = tlkc::checks::deadline::release_date(&kept).map(|(d, _)| d);
            assert_eq!(release, facts.document.date, "{rel}");
        }
    }
}

/// Genuine replies name what they answer: the cited numbers tlkc records
/// (and the task register matches) are the ones a reader sees on page 1.
#[test]
fn real_vn_replies_cite_their_assignment() {
    let Some(dir) = crate::util::shared("corpus/real-vn/vbai-lamdong") else {
        return;
    };
    for (file, cited) in [
        // "… phúc đáp Công văn số 3183/SNV-TCBC …" (Sở VHTTDL Lâm Đồng to Sở Nội vụ)
        ("cv-2601-svhttdl-lamdong-2025.pdf", "3183/SNV-TCBC"),
        ("bc-329-ubnd-lamdong-2025.pdf", "4625/BNV-CCHC"),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let facts = tlkc::inspect::inspect_bytes(file.to_string(), &bytes, &Default::default());
        let got = &facts.document.citations;
        assert!(got.iter().any(|c| c == cited), "{file}: {got:?}");
        // The document's own number is never one of its citations.
        let own = facts.document.number.clone().unwrap_or_default();
        assert!(!got.contains(&own), "{file}: {got:?}");
    }
}
