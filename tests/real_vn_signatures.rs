//! Signatures in 40 real Vietnamese state documents (../shared/corpus/real-vn):
//! tlkc's count and validity per signature against what poppler's pdfsig
//! reported for the same files (recorded in the corpus manifest).
//! With the builtin trust bundle and no --trust-anchor, every intact
//! signature must be trusted and none may get SIG005 (or SIG002).
//! `cargo test --test integration real_vn_signatures:: -- --nocapture` prints the table.

use std::collections::BTreeMap;

use tlkc::checks::signature::algorithm_ok;
use tlkc::facts::TrustState;
use tlkc::findings::Code;
use tlkc::inspect::{inspect_bytes, InspectOptions, TrustAnchors};

/// What `tlkc check` uses when nothing is declared: the builtin bundle.
fn builtin() -> InspectOptions {
    InspectOptions {
        trust: TrustAnchors::builtin().unwrap(),
        ..InspectOptions::default()
    }
}

#[test]
fn agrees_with_pdfsig_on_real_documents() {
    let Some(manifest) = crate::util::shared("corpus/real-vn/manifest.json") else {
        return;
    };
    let root = manifest.parent().expect("a folder").to_path_buf();
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (mut agree, mut disagree) = (0, Vec::new());
    let mut files = 0;
    let mut no_verdict = 0;
    // The shipped ruleset's algorithm policy must accept every genuine signature.
    let policy = tlkc::rules::load_file(std::path::Path::new("builtin:kon-tum-2022-huyen"))
        .unwrap()
        .algorithm_policy;
    let (mut weak_tolerated, mut refused) = (0, Vec::new());
    let opts = builtin();
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    let mut all_states: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_ca: BTreeMap<String, usize> = BTreeMap::new();
    let mut not_trusted = Vec::new();
    let mut sig005 = Vec::new();
    for doc in manifest.as_array().unwrap() {
        let path = doc["path"].as_str().unwrap();
        let Some(sig) = doc.get("pdfsig") else {
            continue;
        };
        let bytes = std::fs::read(root.join(path)).unwrap();
        let facts = inspect_bytes(path.into(), &bytes, &opts);
        files += 1;
        let mut findings = Vec::new();
        tlkc::checks::signature::check(
            &facts,
            &policy,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            &mut findings,
        );
        for f in findings.iter().filter(|f| f.code == Code::Sig005) {
            sig005.push(format!("{path}: {}", f.message.en));
        }
        for s in &facts.signatures {
            let state = s.trust.map_or("none".to_string(), |t| format!("{t:?}"));
            *all_states.entry(state).or_default() += 1;
        }
        for s in facts
            .signatures
            .iter()
            .filter(|s| s.intact == Some(true) && s.crypto_valid == Some(true))
        {
            let state = s.trust.map_or("none".to_string(), |t| format!("{t:?}"));
            *states.entry(state).or_default() += 1;
            if s.trust == Some(TrustState::Trusted) {
                *by_ca
                    .entry(s.issuer.clone().unwrap_or_default())
                    .or_default() += 1;
            } else {
                not_trusted.push(format!(
                    "{path}: {:?} {:?} {:?} {:?}",
                    s.trust, s.untrusted_reason, s.trust_ca, s.notes
                ));
            }
        }
        for s in &facts.signatures {
            if let Err(why) = algorithm_ok(s, &policy) {
                refused.push(format!("{path}: {}", why.en));
            } else if s.algorithms.digest.as_deref() == Some("SHA-1") {
                weak_tolerated += 1;
            }
        }
        let expected = sig["signatures"].as_array().cloned().unwrap_or_default();
        let got: Vec<_> = facts
            .signatures
            .iter()
            .filter(|s| s.sig_type == tlkc::facts::SigType::Signature)
            .collect();
        if expected.len() != got.len() {
            disagree.push(format!(
                "{path}: pdfsig {} signatures, tlkc {}",
                expected.len(),
                got.len()
            ));
            continue;
        }
        for (e, g) in expected.iter().zip(&got) {
            // pdfsig gave no verdict ("has not yet been verified"): nothing to compare.
            if e["validation"]
                .as_str()
                .is_some_and(|v| v.contains("not yet been verified"))
            {
                no_verdict += 1;
                continue;
            }
            let pdfsig_valid = e["validation"].as_str() == Some("Signature is Valid.");
            let tlkc_valid = g.intact == Some(true) && g.crypto_valid == Some(true);
            let cn_ok = e["signer_cn"].as_str() == g.signer.as_deref();
            if pdfsig_valid == tlkc_valid && cn_ok {
                agree += 1;
            } else {
                disagree.push(format!(
                    "{path} #{}: pdfsig {:?} / {:?}, tlkc valid={tlkc_valid} signer={:?} notes={:?}",
                    e["index"], e["validation"], e["signer_cn"], g.signer, g.notes
                ));
            }
        }
    }
    eprintln!(
        "real-vn signatures: {files} files, {agree} signatures agree with pdfsig, {} disagree, {no_verdict} without a pdfsig verdict",
        disagree.len()
    );
    eprintln!(
        "algorithm policy: {weak_tolerated} SHA-1 signatures accepted from the government PKI, {} refused",
        refused.len()
    );
    eprintln!("trust of intact signatures (builtin bundle, no --trust-anchor): {states:?}");
    eprintln!("trust of all signatures and timestamps: {all_states:?}");
    eprintln!("trusted by issuing CA: {by_ca:?}");
    assert!(refused.is_empty(), "{refused:#?}");
    assert!(not_trusted.is_empty(), "{not_trusted:#?}");
    assert!(sig005.is_empty(), "{sig005:#?}");
    assert!(
        states.get("Trusted").copied().unwrap_or(0) >= 80,
        "too few trusted signatures: {states:?}"
    );
    for d in &disagree {
        eprintln!("  DISAGREE {d}");
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
    assert!(agree > 30, "too few signatures compared: {agree}");
}
