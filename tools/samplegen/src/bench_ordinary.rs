//! The "ordinary" benchmark shape: what a real evidence folder mostly holds. 70 % signed
//! born-digital PDFs of 50–500 KB (1–8 signatures; some with an incremental update after
//! the last signature; some long, with many pages and many declared fonts), 20 % scans of
//! 0.3–3 MB, 10 % other (not a PDF, damaged, encrypted).

use crate::bench::{spec_with_body, Rng};
use crate::doc::{build_pdf, DocSpec};
use crate::pdf::{name, Body, Dict, Obj, SignOptions};
use crate::pki::TestPki;
use crate::samples::vn_time;
use crate::scan::ScanSpec;
use crate::Pdf;
use anyhow::{Context, Result};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};

/// What one file of the ordinary shape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Signed,
    Scan,
    NotPdf,
    Damaged,
    Encrypted,
}

/// 70 % signed, 20 % scans, 10 % other, interleaved so any prefix has the same mix.
pub fn sort_of(i: usize) -> Sort {
    match i % 10 {
        0..=6 => Sort::Signed,
        7 | 8 => Sort::Scan,
        _ => match (i / 10) % 3 {
            0 => Sort::NotPdf,
            1 => Sort::Damaged,
            _ => Sort::Encrypted,
        },
    }
}

/// Scan templates of 0.3–3 MB (1–3 pages); each file gets its own /Info.
pub fn scan_templates() -> Result<Vec<Pdf>> {
    scan_templates_sized(&[
        (1, 300_000),
        (1, 450_000),
        (1, 650_000),
        (2, 900_000),
        (2, 1_200_000),
        (2, 1_600_000),
        (3, 2_200_000),
        (3, 3_000_000),
    ])
}

/// Scan templates of (pages, bytes) each.
pub fn scan_templates_sized(sizes: &[(usize, usize)]) -> Result<Vec<Pdf>> {
    let mut out = Vec::new();
    for (k, &(pages, target)) in sizes.iter().enumerate() {
        let mut s = spec_with_body(20_000 + k, 1);
        let per_page = target as f64 / pages as f64;
        s.scan = Some(ScanSpec {
            pages,
            dpi: 200,
            noise: ((per_page - 15_000.0).max(0.0) / 6_600_000.0).clamp(0.0, 1.0),
            seed: 31 + k as u64,
        });
        out.push(build_pdf(&s)?);
    }
    Ok(out)
}

/// File `i` of the ordinary shape; `rng` is seeded from `i` by the caller.
pub fn file(i: usize, rng: &mut Rng, scans: &[Pdf]) -> Result<Vec<u8>> {
    let u = rng.unit();
    Ok(match sort_of(i) {
        Sort::Signed => signed(i, rng)?,
        Sort::Scan => {
            let k = ((u * u) * scans.len() as f64) as usize;
            crate::bench::scan_from(&scans[k.min(scans.len() - 1)], i)?
        }
        Sort::NotPdf => {
            let mut b = crate::fixtures::not_a_pdf();
            b.extend_from_slice(format!("file {i}").as_bytes());
            b
        }
        Sort::Damaged => {
            // A signed file cut short in transfer (no trailer, no %%EOF).
            let full = signed(i, rng)?;
            let keep = (full.len() as f64 * (0.2 + 0.6 * u)) as usize;
            full[..keep].to_vec()
        }
        Sort::Encrypted => crate::fixtures::encrypted_looking(&spec_with_body(i, 1))?,
    })
}

/// A born-digital document signed 1–8 times (person and organisation alternating, like a
/// chain of approvals ending with the issuing body), carrying a seal image that brings it to
/// 50 KB · 10^(u²) ≤ 500 KB.
fn signed(i: usize, rng: &mut Rng) -> Result<Vec<u8>> {
    let long = rng.unit() < 0.2;
    let paragraphs = if long { 12 + rng.below(40) } else { 1 };
    let spec = spec_with_body(i, paragraphs);
    let base = build_pdf(&spec)?;
    let target = (50_000.0 * 10f64.powf(rng.unit().powi(2))) as usize;
    let sigs = 1 + (7.0 * rng.unit().powi(3)).round() as usize;
    let extra_fonts = if long { 6 + rng.below(10) } else { 0 };
    // Each signature adds about 17 KB (8 KB of /Contents, hex-encoded, plus its revision).
    let seal = target.saturating_sub(base.bytes().len() + sigs * 17_500 + extra_fonts * 9_000);
    let mut pdf = decorate(&base, &spec, seal.max(4_000), extra_fonts, i)?;
    let pki = TestPki::get();
    let t = vn_time(spec.date, 8, 0);
    for s in 0..sigs {
        let who = if s + 1 == sigs { &pki.org } else { &pki.person };
        let reason = if s + 1 == sigs {
            "Phát hành văn bản"
        } else {
            "Ký duyệt văn bản"
        };
        pdf.sign(
            who,
            &SignOptions::at(t + Duration::minutes(25 * s as i64), reason),
        )?;
    }
    if rng.unit() < 0.15 {
        note_after_signing(&mut pdf, i)?;
    }
    Ok(pdf.into_bytes())
}

/// Rebuild `base` with a seal image of `seal_bytes` on its last page and, for long
/// documents, `extra_fonts` more font resources declared on every page (cloned subsets, as
/// office exports list every font of the template, used or not).
pub(crate) fn decorate(
    base: &Pdf,
    spec: &DocSpec,
    seal_bytes: usize,
    extra_fonts: usize,
    i: usize,
) -> Result<Pdf> {
    let mut objects = BTreeMap::new();
    let mut id = 1;
    while let Some(o) = base.object(id) {
        objects.insert(id, o.clone());
        id += 1;
    }
    let pages = base.page_ids().to_vec();
    let last = *pages.last().context("no pages")?;
    let (seal_id, draw_id) = (id, id + 1);
    let mut next = id + 2;
    objects.insert(seal_id, seal_image(seal_bytes, i));
    objects.insert(
        draw_id,
        crate::pdf::flate_stream(Dict::new(), b"q 110 0 0 110 360 150 cm /Seal Do Q\n"),
    );
    let fonts = page_fonts(&objects, pages[0]);
    let mut extra = Vec::new();
    for k in 0..extra_fonts.min(fonts.len() * 8) {
        let (_, src) = &fonts[k % fonts.len()];
        let (new_root, cloned) = clone_tree(&objects, *src, next);
        next += cloned.len() as u32;
        objects.extend(cloned);
        extra.push((format!("F{}", 4 + k), new_root));
    }
    for &p in &pages {
        let Some(Body::Obj(Obj::Dict(page))) = objects.get_mut(&p) else {
            continue;
        };
        let res = match page.get_mut("Resources") {
            Some(Obj::Dict(r)) => r,
            _ => continue,
        };
        if let Some(Obj::Dict(f)) = res.get_mut("Font") {
            for (n, r) in &extra {
                f.set(n, Obj::Ref(*r));
            }
        }
        if p == last {
            res.set(
                "XObject",
                Obj::Dict(Dict::new().with("Seal", Obj::Ref(seal_id))),
            );
            let old = page.get("Contents").cloned().context("page has contents")?;
            page.set("Contents", Obj::Array(vec![old, Obj::Ref(draw_id)]));
        }
    }
    Ok(Pdf::new(
        &spec.pdf_version,
        objects,
        base.root_id(),
        Some(3),
        pages,
    ))
}

/// A JPEG-filtered image of `n` incompressible bytes (the red seal placed on the signature
/// block). Only its size matters: no PDF checker decodes it.
fn seal_image(n: usize, i: usize) -> Body {
    let mut rng = Rng(0x5ea1_0000 + i as u64 * 2 + 1);
    let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0];
    data.extend((0..n).map(|_| rng.next_u64() as u8));
    data.extend_from_slice(&[0xFF, 0xD9]);
    Body::Stream(
        Dict::new()
            .with("Type", name("XObject"))
            .with("Subtype", name("Image"))
            .with("Width", Obj::Int(600))
            .with("Height", Obj::Int(600))
            .with("ColorSpace", name("DeviceRGB"))
            .with("BitsPerComponent", Obj::Int(8))
            .with("Filter", name("DCTDecode")),
        data,
    )
}

/// (resource name, object id) of the fonts of page `page`.
fn page_fonts(objects: &BTreeMap<u32, Body>, page: u32) -> Vec<(String, u32)> {
    let Some(Body::Obj(Obj::Dict(p))) = objects.get(&page) else {
        return Vec::new();
    };
    let Some(Obj::Dict(res)) = p.get("Resources") else {
        return Vec::new();
    };
    let Some(Obj::Dict(f)) = res.get("Font") else {
        return Vec::new();
    };
    f.0.iter()
        .filter_map(|(k, v)| match v {
            Obj::Ref(r) => Some((k.clone(), *r)),
            _ => None,
        })
        .collect()
}

/// Copy every object reachable from `root` under new ids starting at `first`.
fn clone_tree(objects: &BTreeMap<u32, Body>, root: u32, first: u32) -> (u32, BTreeMap<u32, Body>) {
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        order.push(id);
        if let Some(b) = objects.get(&id) {
            match b {
                Body::Obj(o) => refs(o, &mut stack),
                Body::Stream(d, _) => refs(&Obj::Dict(d.clone()), &mut stack),
            }
        }
    }
    let map: BTreeMap<u32, u32> = order
        .iter()
        .enumerate()
        .map(|(k, id)| (*id, first + k as u32))
        .collect();
    let out = order
        .iter()
        .filter_map(|id| {
            let b = objects.get(id)?;
            let b = match b {
                Body::Obj(o) => Body::Obj(renumber(o, &map)),
                Body::Stream(d, data) => match renumber(&Obj::Dict(d.clone()), &map) {
                    Obj::Dict(d) => Body::Stream(d, data.clone()),
                    _ => return None,
                },
            };
            Some((map[id], b))
        })
        .collect();
    (map[&root], out)
}

fn refs(o: &Obj, out: &mut Vec<u32>) {
    match o {
        Obj::Ref(r) => out.push(*r),
        Obj::Array(a) => a.iter().for_each(|x| refs(x, out)),
        Obj::Dict(d) => d.0.iter().for_each(|(_, x)| refs(x, out)),
        _ => {}
    }
}

fn renumber(o: &Obj, map: &BTreeMap<u32, u32>) -> Obj {
    match o {
        Obj::Ref(r) => Obj::Ref(*map.get(r).unwrap_or(r)),
        Obj::Array(a) => Obj::Array(a.iter().map(|x| renumber(x, map)).collect()),
        Obj::Dict(d) => Obj::Dict(Dict(
            d.0.iter()
                .map(|(k, x)| (k.clone(), renumber(x, map)))
                .collect(),
        )),
        other => other.clone(),
    }
}

/// An incremental update after the last signature: a reviewer's sticky note on page 1.
fn note_after_signing(pdf: &mut Pdf, i: usize) -> Result<()> {
    let page_id = *pdf.page_ids().first().context("no pages")?;
    let mut page = match pdf.object(page_id) {
        Some(Body::Obj(Obj::Dict(d))) => d.clone(),
        _ => anyhow::bail!("page 1 missing"),
    };
    let note_id = pdf.next_id();
    let mut annots = match page.get("Annots") {
        Some(Obj::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    annots.push(Obj::Ref(note_id));
    page.set("Annots", Obj::Array(annots));
    let note = Dict::new()
        .with("Type", name("Annot"))
        .with("Subtype", name("Text"))
        .with(
            "Rect",
            Obj::Array(vec![
                Obj::Int(40),
                Obj::Int(780),
                Obj::Int(60),
                Obj::Int(800),
            ]),
        )
        .with(
            "Contents",
            crate::pdf::text(&format!("Đã kiểm tra, lưu hồ sơ {i}")),
        );
    let mut changed = BTreeMap::new();
    changed.insert(note_id, Body::Obj(Obj::Dict(note)));
    changed.insert(page_id, Body::Obj(Obj::Dict(page)));
    pdf.append_update(changed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_is_70_20_10_in_every_hundred() {
        let count = |s: Sort| (0..100).filter(|&i| sort_of(i) == s).count();
        assert_eq!(count(Sort::Signed), 70);
        assert_eq!(count(Sort::Scan), 20);
        let other = count(Sort::NotPdf) + count(Sort::Damaged) + count(Sort::Encrypted);
        assert_eq!(other, 10);
        assert!(count(Sort::NotPdf) > 0 && count(Sort::Damaged) > 0 && count(Sort::Encrypted) > 0);
    }

    #[test]
    fn signed_files_are_small_and_carry_one_to_eight_signatures() {
        for i in [0usize, 1, 2, 3, 10, 11] {
            let mut rng = Rng(0xc0ffee ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let b = file(i, &mut rng, &[]).unwrap();
            assert!(b.starts_with(b"%PDF-"), "file {i}");
            assert!(
                (40_000..=560_000).contains(&b.len()),
                "file {i}: {} bytes",
                b.len()
            );
            let sigs = memchr_count(&b, b"/ByteRange");
            assert!((1..=8).contains(&sigs), "file {i}: {sigs} signatures");
        }
    }

    fn memchr_count(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).filter(|w| *w == needle).count()
    }
}
