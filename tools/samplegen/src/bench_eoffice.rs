//! The "e-office" benchmark shape: what a unit's document-management system
//! (hệ thống quản lý văn bản điều hành) exports. 85 % born-digital text PDFs of
//! 30 KB · 10^(u²) ≤ 300 KB with 1–3 signatures (the drafter's approval, the
//! signer's, the organisation's), one in thirty of them saved many times
//! before signing (5–12 incremental updates: the system re-saves the draft at
//! each workflow step); 15 % scans of 0.3–1.2 MB (an incoming paper letter).

use crate::bench::{spec_with_body, Rng};
use crate::bench_ordinary::decorate;
use crate::doc::build_pdf;
use crate::pdf::{Body, Obj, SignOptions};
use crate::pki::TestPki;
use crate::samples::vn_time;
use crate::Pdf;
use anyhow::{Context, Result};
use chrono::Duration;
use std::collections::BTreeMap;

/// What one file of the e-office shape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Signed,
    /// Signed, after 5–12 incremental saves of the draft.
    ManyRevisions,
    Scan,
}

/// 85 % signed text, 15 % scans, interleaved so every block of twenty has the same
/// mix; slot 5 of every other block (≈ 3 % of the files) is saved many times.
pub fn sort_of(i: usize) -> Sort {
    match i % 20 {
        17..=19 => Sort::Scan,
        // One of the 17 signed slots of every other block of twenty: ~5 % of signed files.
        5 if (i / 20).is_multiple_of(2) => Sort::ManyRevisions,
        _ => Sort::Signed,
    }
}

/// Scan templates of 0.3–1.2 MB: the smaller half of the ordinary shape's.
pub fn scan_templates() -> Result<Vec<Pdf>> {
    crate::bench_ordinary::scan_templates_sized(&[
        (1, 300_000),
        (1, 450_000),
        (1, 650_000),
        (2, 900_000),
        (2, 1_200_000),
    ])
}

/// File `i` of the e-office shape; `rng` is seeded from `i` by the caller.
pub fn file(i: usize, rng: &mut Rng, scans: &[Pdf]) -> Result<Vec<u8>> {
    let u = rng.unit();
    match sort_of(i) {
        Sort::Scan => {
            let k = ((u * u) * scans.len() as f64) as usize;
            crate::bench::scan_from(&scans[k.min(scans.len() - 1)], i)
        }
        Sort::Signed => signed(i, rng, 0),
        Sort::ManyRevisions => {
            let saves = 5 + rng.below(8);
            signed(i, rng, saves)
        }
    }
}

/// A one- or two-page text document with a seal image bringing it to 30–300 KB,
/// saved `saves` times before it is signed 1–3 times.
fn signed(i: usize, rng: &mut Rng, saves: usize) -> Result<Vec<u8>> {
    // Most letters are short; three in ten run over several paragraphs.
    let longest = if rng.unit() < 0.3 { 14 } else { 3 };
    let paragraphs = 1 + rng.below(longest);
    let spec = spec_with_body(i, paragraphs);
    let base = build_pdf(&spec)?;
    let target = (30_000.0 * 10f64.powf(rng.unit().powi(2))) as usize;
    // 1 (the organisation's alone, as on a forwarded copy): 25 %; 2 (the signer's, then
    // the organisation's): 55 %; 3 (a drafter's approval first): 20 %.
    let r = rng.unit();
    let sigs = if r < 0.25 {
        1
    } else if r < 0.8 {
        2
    } else {
        3
    };
    let seal = target.saturating_sub(base.bytes().len() + sigs * 17_500 + saves * 1_500);
    let mut pdf = decorate(&base, &spec, seal.max(3_000), 0, i)?;
    for s in 0..saves {
        resave(&mut pdf, s)?;
    }
    let pki = TestPki::get();
    let t = vn_time(spec.date, 8, 0);
    for s in 0..sigs {
        let (who, reason) = if s + 1 == sigs {
            (&pki.org, "Phát hành văn bản")
        } else {
            (&pki.person, "Ký duyệt văn bản")
        };
        pdf.sign(
            who,
            &SignOptions::at(t + Duration::minutes(20 * s as i64), reason),
        )?;
    }
    Ok(pdf.into_bytes())
}

/// One workflow save before signing: the page and the catalog written again,
/// as the system does when a step is recorded (unchanged content).
fn resave(pdf: &mut Pdf, step: usize) -> Result<()> {
    let page_id = *pdf.page_ids().first().context("no pages")?;
    let root = pdf.root_id();
    let mut changed = BTreeMap::new();
    for id in [page_id, root] {
        let body = pdf.object(id).context("object missing")?.clone();
        changed.insert(id, body);
    }
    if let Some(Body::Obj(Obj::Dict(page))) = changed.get_mut(&page_id) {
        // The step number in a private key, as workflow systems stamp their drafts.
        page.set("PieceInfo", Obj::Int(step as i64 + 1));
    }
    pdf.append_update(changed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_is_85_15_with_a_few_many_revision_files() {
        let count = |s: Sort| (0..400).filter(|&i| sort_of(i) == s).count();
        assert_eq!(count(Sort::Scan), 60);
        assert_eq!(count(Sort::ManyRevisions), 10);
        assert_eq!(count(Sort::Signed), 330);
    }

    #[test]
    fn signed_files_are_30_to_300_kb_with_one_to_three_signatures() {
        for i in [0usize, 1, 2, 3, 4, 5, 6, 7] {
            let mut rng = Rng(0xc0ffee ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let b = file(i, &mut rng, &[]).unwrap();
            assert!(b.starts_with(b"%PDF-"), "file {i}");
            assert!(
                (25_000..=330_000).contains(&b.len()),
                "file {i}: {} bytes",
                b.len()
            );
            let count = |n: &[u8]| b.windows(n.len()).filter(|w| *w == n).count();
            let sigs = count(b"/ByteRange");
            assert!((1..=3).contains(&sigs), "file {i}: {sigs} signatures");
            let eofs = count(b"%%EOF");
            if sort_of(i) == Sort::ManyRevisions {
                assert!(eofs >= 6 + sigs, "file {i}: {eofs} revisions");
            }
        }
    }
}
