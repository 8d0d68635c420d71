//! Broken and attacked files for tlkc's tests. Nothing here is committed; tests call these.

use crate::doc::{build_pdf, DocSpec, Kind};
use crate::pdf::{find, flate_stream, name, Body, Dict, Obj, SignOptions};
use crate::pki::{Identity, TestPki};
use crate::samples::vn_time;
use crate::scan::ScanSpec;
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

/// A short, valid UBND Đắk Glei report to build fixtures from.
pub fn example_spec() -> DocSpec {
    DocSpec::dak_glei(
        "45/BC-UBND",
        NaiveDate::from_ymd_opt(2022, 3, 18).unwrap(),
        Kind::Typed {
            heading: "BÁO CÁO".into(),
            title: "Công tác cải cách hành chính quý I năm 2022".into(),
        },
        &["Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2022 như sau."],
    )
}

/// 09:30 +07:00 on the document date.
pub fn default_time(spec: &DocSpec) -> DateTime<FixedOffset> {
    vn_time(spec.date, 9, 30)
}

/// Person then organisation signature, 40 minutes apart.
pub fn signed(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    Ok(signed_pdf(spec, time)?.into_bytes())
}

fn signed_pdf(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<crate::Pdf> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    pdf.sign(
        &pki.org,
        &SignOptions::at(time + Duration::minutes(40), "Phát hành văn bản"),
    )?;
    Ok(pdf)
}

/// One signature by `who` (for the expired / forged / unknown-CA identities of [`TestPki`]).
pub fn signed_by(spec: &DocSpec, who: &Identity, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    let mut pdf = build_pdf(spec)?;
    pdf.sign(who, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    Ok(pdf.into_bytes())
}

/// Signed by a certificate of the real sub-CA that expired on 2019-12-31.
pub fn expired_cert(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &TestPki::get().expired, time)
}

/// Signed by a self-made certificate whose issuer name copies the sub-CA's.
pub fn forged_ca_name(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &TestPki::get().forged, time)
}

/// Signed through a CA that the trust anchors do not know.
pub fn unknown_ca(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &TestPki::get().unknown_signer, time)
}

/// Forgeries of the government PKI (see [`crate::forgery`]): a commune's signature
/// under a home-made CA and root that copy the government CAs' exact names, the chain
/// embedded.
pub fn forged_government_chain(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &crate::forgery::Forgeries::get().under_fake_ca, time)
}

/// The same forged chain, the document digested with SHA-1 (the digest the government
/// PKI's software still writes, which tlkc tolerates only from the genuine CAs).
pub fn forged_government_chain_sha1(
    spec: &DocSpec,
    time: DateTime<FixedOffset>,
) -> Result<Vec<u8>> {
    signed_sha1(spec, &crate::forgery::Forgeries::get().under_fake_ca, time)
}

/// A commune's name on a self-signed certificate.
pub fn self_signed_commune(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &crate::forgery::Forgeries::get().self_signed, time)
}

/// The self-signed commune certificate, signing with SHA-1.
pub fn self_signed_commune_sha1(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_sha1(spec, &crate::forgery::Forgeries::get().self_signed, time)
}

/// A commune's signature under an intermediate that has the state CA's exact name but
/// another key (and names the genuine G2 root as its issuer).
pub fn lookalike_intermediate(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(
        spec,
        &crate::forgery::Forgeries::get().under_lookalike_ca,
        time,
    )
}

/// Signed under "CA phục vụ các cơ quan Đảng G2" without that CA embedded: the chain
/// can only be incomplete.
pub fn party_ca_not_embedded(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    signed_by(spec, &crate::forgery::Forgeries::get().under_party_ca, time)
}

fn signed_sha1(spec: &DocSpec, who: &Identity, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    let mut pdf = build_pdf(spec)?;
    let mut opts = SignOptions::at(time, "Ký duyệt văn bản");
    opts.sha1 = true;
    pdf.sign(who, &opts)?;
    Ok(pdf.into_bytes())
}

/// Signed (person + org), then an incremental update that whites out part of page 1
/// and adds a new content stream: the signatures stay valid for their revisions but the
/// file was modified after signing.
pub fn modified_after_signing(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    let mut pdf = signed_pdf(spec, time)?;
    let page_id = pdf.page_ids()[0];
    let mut page = match pdf.object(page_id) {
        Some(Body::Obj(Obj::Dict(d))) => d.clone(),
        _ => anyhow::bail!("page 1 missing"),
    };
    let old = page.get("Contents").cloned().context("page has contents")?;
    let patch_id = pdf.next_id();
    page.set("Contents", Obj::Array(vec![old, Obj::Ref(patch_id)]));
    let mut changed = BTreeMap::new();
    changed.insert(
        patch_id,
        flate_stream(Dict::new(), b"q 1 1 1 rg 60 380 480 160 re f Q\n"),
    );
    changed.insert(page_id, Body::Obj(Obj::Dict(page)));
    pdf.append_update(changed);
    Ok(pdf.into_bytes())
}

/// Signed, then the CMS in the last signature's /Contents overwritten with zeros.
pub fn zeroed_contents(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    damage_contents(spec, time, |_| b'0')
}

/// Signed, then the last signature's /Contents filled with hex garbage.
pub fn garbage_contents(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    damage_contents(spec, time, |i| b"0123456789ABCDEF"[(i * 7 + 3) % 16])
}

fn damage_contents(
    spec: &DocSpec,
    time: DateTime<FixedOffset>,
    f: impl Fn(usize) -> u8,
) -> Result<Vec<u8>> {
    let pki = TestPki::get();
    let mut pdf = build_pdf(spec)?;
    let loc = pdf.sign(&pki.person, &SignOptions::at(time, "Ký duyệt văn bản"))?;
    let b = pdf.bytes_mut();
    for (i, x) in b[loc.contents_start + 1..loc.contents_end - 1]
        .iter_mut()
        .enumerate()
    {
        *x = f(i);
    }
    Ok(pdf.into_bytes())
}

/// A cryptographically valid signature whose /ByteRange stops `gap` bytes before the end
/// of the file (the tail of its own revision is not covered).
pub fn byterange_gap(spec: &DocSpec, time: DateTime<FixedOffset>, gap: usize) -> Result<Vec<u8>> {
    let mut pdf = build_pdf(spec)?;
    let mut opts = SignOptions::at(time, "Ký duyệt văn bản");
    opts.byterange_shortfall = gap;
    pdf.sign(&TestPki::get().person, &opts)?;
    Ok(pdf.into_bytes())
}

/// Signed (person + org), then one byte inside the signed range changed (the /Producer
/// string, so the file still parses): both digests no longer match.
pub fn digest_mismatch(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    let mut b = signed(spec, time)?;
    let at = find(&b, b"(samplegen").context("Producer string")? + 1;
    b[at] = b'S';
    Ok(b)
}

/// The first `keep` bytes of a signed file (a broken download).
pub fn truncated(spec: &DocSpec, time: DateTime<FixedOffset>, keep: usize) -> Result<Vec<u8>> {
    let mut b = signed(spec, time)?;
    b.truncate(keep.min(b.len()));
    Ok(b)
}

/// Default truncation: cut in the middle.
pub fn truncated_half(spec: &DocSpec, time: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    let len = signed(spec, time)?.len();
    truncated(spec, time, len / 2)
}

/// Bytes that are not a PDF at all (the start of a .docx zip) for a file named .pdf.
pub fn not_a_pdf() -> Vec<u8> {
    let mut b = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    b.extend_from_slice(b"[Content_Types].xml");
    b.extend(std::iter::repeat_n(0u8, 200));
    b
}

/// A PDF whose trailer names a Standard security handler with a user password,
/// as a password-protected export looks to a checker.
pub fn encrypted_looking(spec: &DocSpec) -> Result<Vec<u8>> {
    let base = build_pdf(spec)?;
    let mut objects = BTreeMap::new();
    let mut id = 1;
    while let Some(o) = base.object(id) {
        objects.insert(id, o.clone());
        id += 1;
    }
    let enc_id = id;
    objects.insert(
        enc_id,
        Body::Obj(Obj::Dict(
            Dict::new()
                .with("Filter", name("Standard"))
                .with("V", Obj::Int(2))
                .with("R", Obj::Int(3))
                .with("Length", Obj::Int(128))
                .with("P", Obj::Int(-3904))
                .with(
                    "O",
                    Obj::Hex((0..32).map(|i| (i * 37 + 11) as u8).collect()),
                )
                .with("U", Obj::Hex((0..32).map(|i| (i * 53 + 7) as u8).collect())),
        )),
    );
    let pdf = crate::Pdf::new_with_trailer(
        "1.7",
        objects,
        base.root_id(),
        None,
        base.page_ids().to_vec(),
        Dict::new().with("Encrypt", Obj::Ref(enc_id)),
    );
    Ok(pdf.into_bytes())
}

/// An unsigned image-only scan with a PDF 1.3 header (older than ND30's 1.4 minimum).
pub fn old_scan_v13(spec: &DocSpec) -> Result<Vec<u8>> {
    let mut s = spec.clone();
    s.pdf_version = "1.3".into();
    s.scan = Some(ScanSpec::default());
    Ok(build_pdf(&s)?.into_bytes())
}

/// An image-only scan of roughly `target_bytes` (±30 %), `pages` pages, for benchmarks.
pub fn scan_of_size(spec: &DocSpec, pages: usize, target_bytes: usize) -> Result<Vec<u8>> {
    let mut s = spec.clone();
    // Calibrated on A4 at 200 dpi: each 1 % of noisy pixels costs about 66 KB per page.
    let per_page = target_bytes as f64 / pages.max(1) as f64;
    let noise = ((per_page - 15_000.0).max(0.0) / 6_600_000.0).clamp(0.0, 1.0);
    s.scan = Some(ScanSpec {
        pages,
        dpi: 200,
        noise,
        seed: 7,
    });
    Ok(build_pdf(&s)?.into_bytes())
}
