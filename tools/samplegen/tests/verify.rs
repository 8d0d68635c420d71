//! Independent checks of what samplegen writes: RustCrypto verifies the signatures and
//! lopdf (tlkc's parser) loads the samples and sees the AcroForm signature fields.

use der::{Decode, Encode};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::DecodePublicKey;
use samplegen::fixtures::*;
use sha2::{Digest, Sha256};

struct Sig {
    byte_range: [usize; 4],
    cms: Vec<u8>,
}

fn signatures(pdf: &[u8]) -> Vec<Sig> {
    let text = String::from_utf8_lossy(pdf);
    let mut out = Vec::new();
    for (at, _) in text.match_indices("/ByteRange [") {
        let rest = &text[at + 12..];
        let nums: Vec<usize> = rest[..rest.find(']').unwrap()]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let br = [nums[0], nums[1], nums[2], nums[3]];
        let hex = &pdf[br[1] + 1..br[2] - 1];
        let bytes: Vec<u8> = hex
            .chunks(2)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect();
        let len = samplegen::der::outer_len(&bytes).unwrap();
        out.push(Sig {
            byte_range: br,
            cms: bytes[..len].to_vec(),
        });
    }
    out
}

/// Ok(signer CN bytes) if digest and RSA signature check out.
fn verify(pdf: &[u8], sig: &Sig) -> Result<(), String> {
    let [a, b, c, d] = sig.byte_range;
    let mut h = Sha256::new();
    h.update(&pdf[a..a + b]);
    h.update(&pdf[c..c + d]);
    let digest = h.finalize();
    let ci = cms::content_info::ContentInfo::from_der(&sig.cms).map_err(|e| e.to_string())?;
    let sd: cms::signed_data::SignedData = ci
        .content
        .decode_as()
        .map_err(|e: der::Error| e.to_string())?;
    let si = sd.signer_infos.0.get(0).unwrap();
    let attrs = si.signed_attrs.as_ref().unwrap();
    let md = attrs
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.4")
        .unwrap();
    let md: der::asn1::OctetString = md.values.get(0).unwrap().decode_as().unwrap();
    if md.as_bytes() != digest.as_slice() {
        return Err("digest mismatch".into());
    }
    let serial = match &si.sid {
        cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(i) => i.serial_number.clone(),
        _ => unreachable!(),
    };
    // Pick by serial: der's SetOfVec sorts the certificates on decode, so order means nothing.
    let cert = sd
        .certificates
        .as_ref()
        .unwrap()
        .0
        .iter()
        .find_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c)
                if *c.tbs_certificate().serial_number() == serial =>
            {
                Some(c.clone())
            }
            _ => None,
        })
        .ok_or("signer certificate not in CMS")?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = rsa::PublicKey::from_public_key_der(&spki).map_err(|e| e.to_string())?;
    let signed = attrs.to_der().unwrap();
    let mut implicit = signed.clone();
    implicit[0] = 0xa0;
    // Re-encoding must reproduce the bytes in the file, or the check below means nothing.
    assert!(
        sig.cms
            .windows(implicit.len())
            .any(|w| w == implicit.as_slice()),
        "signed attributes re-encode differently"
    );
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(&signed),
        si.signature.as_bytes(),
    )
    .map_err(|e| e.to_string())
}

#[test]
fn signatures_verify_and_fixtures_fail_where_they_should() {
    let spec = example_spec();
    let t = default_time(&spec);
    let good = signed(&spec, t).unwrap();
    let sigs = signatures(&good);
    assert_eq!(sigs.len(), 2);
    for s in &sigs {
        verify(&good, s).unwrap();
    }
    // The organisation signature covers the whole file; the person's covers its revision.
    assert_eq!(sigs[1].byte_range[2] + sigs[1].byte_range[3], good.len());
    assert!(sigs[0].byte_range[2] + sigs[0].byte_range[3] < good.len());

    let bad = digest_mismatch(&spec, t).unwrap();
    for s in signatures(&bad) {
        assert_eq!(verify(&bad, &s), Err("digest mismatch".into()));
    }
    let gap = byterange_gap(&spec, t, 100).unwrap();
    let s = &signatures(&gap)[0];
    verify(&gap, s).unwrap();
    assert_eq!(s.byte_range[2] + s.byte_range[3] + 100, gap.len());
    for f in [
        forged_ca_name(&spec, t),
        unknown_ca(&spec, t),
        expired_cert(&spec, t),
    ] {
        let f = f.unwrap();
        verify(&f, &signatures(&f)[0]).unwrap();
    }
}

#[test]
fn lopdf_reads_samples_text_and_signature_fields() {
    let spec = example_spec();
    let pdf = signed(&spec, default_time(&spec)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains("45/BC-UBND"), "{text}");
    assert!(text.contains("Đắk Glei"), "{text}");
    let catalog = doc.catalog().unwrap();
    let form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap();
    assert_eq!(form.get(b"Fields").unwrap().as_array().unwrap().len(), 2);

    let scan = old_scan_v13(&spec).unwrap();
    let doc = lopdf::Document::load_mem(&scan).unwrap();
    assert_eq!(doc.version, "1.3");
    assert!(doc.extract_text(&[1]).unwrap_or_default().trim().is_empty());
}
