use der::Decode;
use samplegen::fixtures::*;
use samplegen::TestPki;

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Cut /Contents of the n-th signature out of the file and parse it as CMS.
fn cms_blobs(pdf: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = pdf[at..].windows(11).position(|w| w == b"/Contents <") {
        let start = at + p + 11;
        let end = start + pdf[start..].iter().position(|b| *b == b'>').unwrap();
        let hex = &pdf[start..end];
        let bytes: Vec<u8> = hex
            .chunks(2)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect();
        let len = samplegen::der::outer_len(&bytes).unwrap();
        out.push(bytes[..len].to_vec());
        at = end;
    }
    out
}

#[test]
fn certificates_and_cms_parse_with_rustcrypto() {
    let pki = TestPki::get();
    for id in [
        &pki.root,
        &pki.subca,
        &pki.person,
        &pki.org,
        &pki.expired,
        &pki.forged,
    ] {
        x509_cert::Certificate::from_der(&id.cert).expect("certificate DER");
    }
    assert!(pki.root_pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
    let spec = example_spec();
    let pdf = signed(&spec, default_time(&spec)).unwrap();
    let blobs = cms_blobs(&pdf);
    assert_eq!(blobs.len(), 2);
    for b in blobs {
        let ci = cms::content_info::ContentInfo::from_der(&b).expect("CMS");
        let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
        assert_eq!(sd.certificates.unwrap().0.len(), 2);
        assert!(sd.signer_infos.0.get(0).unwrap().signed_attrs.is_some());
    }
}

#[test]
fn fixtures_have_the_advertised_shape() {
    let spec = example_spec();
    let t = default_time(&spec);
    let good = signed(&spec, t).unwrap();
    assert_eq!(count(&good, b"%%EOF"), 3);
    assert_eq!(count(&good, b"/SubFilter /adbe.pkcs7.detached"), 2);

    let modified = modified_after_signing(&spec, t).unwrap();
    assert_eq!(count(&modified, b"%%EOF"), 4);
    assert!(modified.starts_with(&good));

    let zeroed = zeroed_contents(&spec, t).unwrap();
    assert!(cms_blobs(&zeroed)[0].iter().all(|b| *b == 0) || zeroed.len() > 1000);

    let gap = byterange_gap(&spec, t, 100).unwrap();
    assert_eq!(count(&gap, b"%%EOF"), 2);

    let mismatch = digest_mismatch(&spec, t).unwrap();
    assert_eq!(mismatch.len(), good.len());
    assert_eq!(
        mismatch.iter().zip(&good).filter(|(a, b)| a != b).count(),
        1
    );

    for b in [
        expired_cert(&spec, t).unwrap(),
        forged_ca_name(&spec, t).unwrap(),
        unknown_ca(&spec, t).unwrap(),
    ] {
        assert_eq!(cms_blobs(&b).len(), 1);
    }

    assert!(truncated_half(&spec, t).unwrap().len() < good.len());
    assert!(!not_a_pdf().starts_with(b"%PDF"));
    let enc = encrypted_looking(&spec).unwrap();
    assert_eq!(count(&enc, b"/Encrypt "), 1);
    let old = old_scan_v13(&spec).unwrap();
    assert!(old.starts_with(b"%PDF-1.3"));
    assert_eq!(count(&old, b"/Font"), 0);
    assert!(old.len() < 300_000);
}

#[test]
fn scan_size_parameter_reaches_benchmark_sizes() {
    let spec = example_spec();
    let mb = scan_of_size(&spec, 1, 1_000_000).unwrap().len();
    assert!((600_000..1_500_000).contains(&mb), "1 MB target gave {mb}");
}

#[test]
fn output_is_deterministic() {
    let spec = example_spec();
    let t = default_time(&spec);
    assert_eq!(signed(&spec, t).unwrap(), signed(&spec, t).unwrap());
}
