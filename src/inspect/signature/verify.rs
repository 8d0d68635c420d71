//! Digests and signature-value verification (RSA PKCS#1 v1.5 and PSS,
//! ECDSA P-256/P-384, Ed25519, Ed448), dispatched on algorithm OIDs.

use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use shake::Shake256;
use shake::{ExtendableOutput, Update, XofReader};

use super::asn1::{oid_string, Tlv};
use super::cert::AlgId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// SHAKE256 with 512-bit output (RFC 8419 for Ed448).
    Shake256,
}

impl DigestAlg {
    pub fn from_oid(oid: &str) -> Option<DigestAlg> {
        Some(match oid {
            "1.3.14.3.2.26" | "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" => DigestAlg::Sha1,
            "2.16.840.1.101.3.4.2.4" | "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" => {
                DigestAlg::Sha224
            }
            "2.16.840.1.101.3.4.2.1" | "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" => {
                DigestAlg::Sha256
            }
            "2.16.840.1.101.3.4.2.2" | "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => {
                DigestAlg::Sha384
            }
            "2.16.840.1.101.3.4.2.3" | "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => {
                DigestAlg::Sha512
            }
            "2.16.840.1.101.3.4.2.12" | "2.16.840.1.101.3.4.2.18" => DigestAlg::Shake256,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha1 => "SHA-1",
            DigestAlg::Sha224 => "SHA-224",
            DigestAlg::Sha256 => "SHA-256",
            DigestAlg::Sha384 => "SHA-384",
            DigestAlg::Sha512 => "SHA-512",
            DigestAlg::Shake256 => "SHAKE256",
        }
    }
}

/// A running digest over several slices (the two /ByteRange parts).
pub enum Hasher {
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
    Shake256(Shake256),
}

impl Hasher {
    pub fn new(alg: DigestAlg) -> Hasher {
        match alg {
            DigestAlg::Sha1 => Hasher::Sha1(Sha1::new()),
            DigestAlg::Sha224 => Hasher::Sha224(Sha224::new()),
            DigestAlg::Sha256 => Hasher::Sha256(Sha256::new()),
            DigestAlg::Sha384 => Hasher::Sha384(Sha384::new()),
            DigestAlg::Sha512 => Hasher::Sha512(Sha512::new()),
            DigestAlg::Shake256 => Hasher::Shake256(Shake256::default()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => Digest::update(h, data),
            Hasher::Sha224(h) => Digest::update(h, data),
            Hasher::Sha256(h) => Digest::update(h, data),
            Hasher::Sha384(h) => Digest::update(h, data),
            Hasher::Sha512(h) => Digest::update(h, data),
            Hasher::Shake256(h) => Update::update(h, data),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::Shake256(h) => {
                let mut out = vec![0u8; 64];
                h.finalize_xof().read(&mut out);
                out
            }
        }
    }
}

pub fn digest(alg: DigestAlg, data: &[u8]) -> Vec<u8> {
    let mut h = Hasher::new(alg);
    h.update(data);
    h.finish()
}

/// Outcome of one signature-value check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid(String),
    /// The algorithm is not implemented: neither valid nor invalid.
    Unsupported(String),
}

/// Verifies `signature` over `message` with the key of a certificate.
/// `digest_hint` is the SignerInfo digest algorithm, used when the signature
/// algorithm does not name its own hash (plain rsaEncryption / ecPublicKey).
pub fn verify(
    key_alg: &AlgId<'_>,
    key: &[u8],
    sig_alg: &AlgId<'_>,
    digest_hint: Option<DigestAlg>,
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    match sig_alg.oid.as_str() {
        "1.3.101.112" => return verify_ed25519(key_alg, key, message, signature),
        "1.3.101.113" => return verify_ed448(key_alg, key, message, signature),
        "1.2.840.113549.1.1.10" => return verify_pss(key_alg, key, sig_alg, message, signature),
        _ => {}
    }
    let named = DigestAlg::from_oid(&sig_alg.oid);
    let is_rsa = matches!(
        sig_alg.oid.as_str(),
        "1.2.840.113549.1.1.1"
            | "1.2.840.113549.1.1.5"
            | "1.2.840.113549.1.1.11"
            | "1.2.840.113549.1.1.12"
            | "1.2.840.113549.1.1.13"
            | "1.2.840.113549.1.1.14"
    );
    let is_ecdsa =
        sig_alg.oid == "1.2.840.10045.2.1" || sig_alg.oid.starts_with("1.2.840.10045.4.");
    if !is_rsa && !is_ecdsa {
        return Verdict::Unsupported(format!("signature algorithm {}", sig_alg.oid));
    }
    let Some(alg) = named.or(digest_hint) else {
        return Verdict::Unsupported("no usable digest algorithm".into());
    };
    if is_rsa && rsa_pkcs1_ring_valid(key_alg, key, alg, message, signature) {
        return Verdict::Valid;
    }
    let hash = digest(alg, message);
    if is_rsa {
        verify_rsa_pkcs1(key_alg, key, alg, &hash, signature)
    } else {
        verify_ecdsa(key_alg, key, &hash, signature)
    }
}

fn rsa_key(key_alg: &AlgId<'_>, key: &[u8]) -> Result<rsa::PublicKey, Verdict> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    if key_alg.oid != "1.2.840.113549.1.1.1" && key_alg.oid != "1.2.840.113549.1.1.10" {
        return Err(Verdict::Invalid(format!(
            "RSA signature but the certificate key is {}",
            key_alg.oid
        )));
    }
    rsa::PublicKey::from_pkcs1_der(key)
        .map_err(|e| Verdict::Invalid(format!("unreadable RSA public key: {e}")))
}

/// RSA PKCS#1 v1.5 through ring, which does the public-key operation about
/// ten times faster than the `rsa` crate (its modular exponentiation was
/// ≈ 6 % of a cold check's instructions on the e-office bench corpus).
/// Only "valid" is taken from it, and only for a key the `rsa` crate reads
/// as well (`rsa_key`: its size and exponent limits) with a hash both
/// name: PKCS#1 v1.5 verification is deterministic (EM = 00 01 FF…FF 00
/// DigestInfo, compared whole), so what ring accepts there the `rsa` crate
/// accepts too. Anything else (SHA-224, SHA-384 under 2048 bits, keys or
/// signatures ring refuses, invalid signatures) goes to
/// [`verify_rsa_pkcs1`], which gives the verdict and its wording as before.
fn rsa_pkcs1_ring_valid(
    key_alg: &AlgId<'_>,
    key: &[u8],
    alg: DigestAlg,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use ring::signature as rs;
    let params: &'static rs::RsaParameters = match alg {
        DigestAlg::Sha1 => &rs::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        DigestAlg::Sha256 => &rs::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        DigestAlg::Sha384 => &rs::RSA_PKCS1_2048_8192_SHA384,
        DigestAlg::Sha512 => &rs::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        DigestAlg::Sha224 | DigestAlg::Shake256 => return false,
    };
    key_alg.oid == "1.2.840.113549.1.1.1"
        && rsa_crate_reads(key_alg, key)
        && rs::UnparsedPublicKey::new(params, key)
            .verify(message, signature)
            .is_ok()
}

/// `rsa_key(..).is_ok()`, remembered per key for the run: reading a key with
/// the `rsa` crate precomputes its Montgomery parameters (≈ 1 % of a cold
/// check), and a folder's signatures come from a few signers' keys. A pure
/// function of the key bytes; the memo starts over when full.
fn rsa_crate_reads(key_alg: &AlgId<'_>, key: &[u8]) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    const MAX_KEYS: usize = 1024;
    // The key bytes are the memo's key: only asked for rsaEncryption keys.
    debug_assert_eq!(key_alg.oid, "1.2.840.113549.1.1.1");
    static READS: OnceLock<Mutex<HashMap<Vec<u8>, bool>>> = OnceLock::new();
    let memo = READS.get_or_init(Default::default);
    if let Some(known) = memo.lock().ok().and_then(|m| m.get(key).copied()) {
        return known;
    }
    let reads = rsa_key(key_alg, key).is_ok();
    if let Ok(mut m) = memo.lock() {
        if m.len() >= MAX_KEYS {
            m.clear();
        }
        m.insert(key.to_vec(), reads);
    }
    reads
}

fn verify_rsa_pkcs1(
    key_alg: &AlgId<'_>,
    key: &[u8],
    alg: DigestAlg,
    hash: &[u8],
    signature: &[u8],
) -> Verdict {
    use rsa::Pkcs1v15Sign;
    let k = match rsa_key(key_alg, key) {
        Ok(k) => k,
        Err(v) => return v,
    };
    let scheme = match alg {
        DigestAlg::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        DigestAlg::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        DigestAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        DigestAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        DigestAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        DigestAlg::Shake256 => {
            return Verdict::Unsupported("RSA with SHAKE256".into());
        }
    };
    match k.verify(scheme, hash, signature) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid("RSA PKCS#1 v1.5 signature does not verify".into()),
    }
}

fn verify_pss(
    key_alg: &AlgId<'_>,
    key: &[u8],
    sig_alg: &AlgId<'_>,
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    use rsa::Pss;
    let k = match rsa_key(key_alg, key) {
        Ok(k) => k,
        Err(v) => return v,
    };
    // RSASSA-PSS-params defaults (RFC 4055): SHA-1, MGF1-SHA-1, salt 20.
    let mut hash_alg = DigestAlg::Sha1;
    let mut mgf_hash = DigestAlg::Sha1;
    let mut salt = 20usize;
    if let Some(p) = &sig_alg.params {
        for f in p.children() {
            let inner = Tlv::parse(f.content);
            match (f.tag, inner) {
                (0xa0, Some(t)) => {
                    match AlgId::parse(&t).and_then(|a| DigestAlg::from_oid(&a.oid)) {
                        Some(a) => hash_alg = a,
                        None => return Verdict::Unsupported("RSA-PSS hash algorithm".into()),
                    }
                }
                (0xa1, Some(t)) => {
                    let mgf_param = AlgId::parse(&t)
                        .and_then(|a| a.params)
                        .and_then(|p| AlgId::parse(&p))
                        .and_then(|a| DigestAlg::from_oid(&a.oid));
                    match mgf_param {
                        Some(a) => mgf_hash = a,
                        None => return Verdict::Unsupported("RSA-PSS mask generation".into()),
                    }
                }
                (0xa2, Some(t)) if t.tag == 0x02 && t.content.len() <= 4 => {
                    salt = t.content.iter().fold(0usize, |a, b| (a << 8) | *b as usize);
                }
                _ => {}
            }
        }
    }
    if mgf_hash != hash_alg {
        return Verdict::Unsupported("RSA-PSS with different MGF1 hash".into());
    }
    let hash = digest(hash_alg, message);
    macro_rules! pss {
        ($d:ty) => {
            k.verify(
                Pss::<$d> {
                    blinded: false,
                    digest: <$d>::new(),
                    salt_len: Some(salt),
                },
                &hash,
                signature,
            )
        };
    }
    let r = match hash_alg {
        DigestAlg::Sha1 => pss!(Sha1),
        DigestAlg::Sha224 => pss!(Sha224),
        DigestAlg::Sha256 => pss!(Sha256),
        DigestAlg::Sha384 => pss!(Sha384),
        DigestAlg::Sha512 => pss!(Sha512),
        DigestAlg::Shake256 => return Verdict::Unsupported("RSA-PSS with SHAKE256".into()),
    };
    match r {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid("RSA-PSS signature does not verify".into()),
    }
}

fn verify_ecdsa(key_alg: &AlgId<'_>, key: &[u8], hash: &[u8], signature: &[u8]) -> Verdict {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    if key_alg.oid != "1.2.840.10045.2.1" {
        return Verdict::Invalid(format!(
            "ECDSA signature but the certificate key is {}",
            key_alg.oid
        ));
    }
    let curve = key_alg
        .params
        .filter(|p| p.tag == 0x06)
        .and_then(|p| oid_string(p.content))
        .unwrap_or_default();
    let ok = match curve.as_str() {
        "1.2.840.10045.3.1.7" => {
            let (Ok(vk), Ok(sig)) = (
                p256::ecdsa::VerifyingKey::from_sec1_bytes(key),
                p256::ecdsa::Signature::from_der(signature),
            ) else {
                return Verdict::Invalid("malformed P-256 key or signature".into());
            };
            vk.verify_prehash(hash, &sig).is_ok()
        }
        "1.3.132.0.34" => {
            let (Ok(vk), Ok(sig)) = (
                p384::ecdsa::VerifyingKey::from_sec1_bytes(key),
                p384::ecdsa::Signature::from_der(signature),
            ) else {
                return Verdict::Invalid("malformed P-384 key or signature".into());
            };
            vk.verify_prehash(hash, &sig).is_ok()
        }
        other => return Verdict::Unsupported(format!("ECDSA curve {other}")),
    };
    if ok {
        Verdict::Valid
    } else {
        Verdict::Invalid("ECDSA signature does not verify".into())
    }
}

fn verify_ed25519(key_alg: &AlgId<'_>, key: &[u8], message: &[u8], signature: &[u8]) -> Verdict {
    if key_alg.oid != "1.3.101.112" {
        return Verdict::Invalid("Ed25519 signature but the key is not Ed25519".into());
    }
    let (Ok(k), Ok(s)) = (<[u8; 32]>::try_from(key), <[u8; 64]>::try_from(signature)) else {
        return Verdict::Invalid("malformed Ed25519 key or signature".into());
    };
    let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&k) else {
        return Verdict::Invalid("malformed Ed25519 key".into());
    };
    match vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&s)) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid("Ed25519 signature does not verify".into()),
    }
}

fn verify_ed448(key_alg: &AlgId<'_>, key: &[u8], message: &[u8], signature: &[u8]) -> Verdict {
    if key_alg.oid != "1.3.101.113" {
        return Verdict::Invalid("Ed448 signature but the key is not Ed448".into());
    }
    let Ok(k) = <[u8; 57]>::try_from(key) else {
        return Verdict::Invalid("malformed Ed448 key".into());
    };
    let (Ok(vk), Ok(sig)) = (
        ed448_goldilocks::VerifyingKey::from_bytes(&k),
        ed448_goldilocks::Signature::from_slice(signature),
    ) else {
        return Verdict::Invalid("malformed Ed448 key or signature".into());
    };
    match vk.verify_raw(&sig, message) {
        Ok(()) => Verdict::Valid,
        Err(_) => Verdict::Invalid("Ed448 signature does not verify".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ring's "valid" only where the `rsa` crate says valid, on every CA link
    /// of the builtin bundle (SHA-1 and SHA-256, 2,048 and 4,096 bits) and the
    /// test PKI's keys with each hash, tampered inputs included.
    #[test]
    fn ring_accepts_only_what_the_rsa_crate_accepts() {
        use super::super::cert::Cert;
        let old = |key_alg: &AlgId<'_>, key: &[u8], sig_alg: &AlgId<'_>, msg: &[u8], sig: &[u8]| {
            let alg = DigestAlg::from_oid(&sig_alg.oid).unwrap();
            verify_rsa_pkcs1(key_alg, key, alg, &digest(alg, msg), sig)
        };
        // The bundle: every certificate against every one named as its issuer.
        let b = super::super::bundle::bundle().unwrap();
        let certs: Vec<Cert<'_>> = b
            .certificates
            .iter()
            .filter_map(|c| Cert::parse(&c.der))
            .collect();
        let mut links = 0;
        for child in &certs {
            for issuer in certs.iter().filter(|i| child.issuer_is(i)) {
                let alg = DigestAlg::from_oid(&child.sig_alg.oid).unwrap();
                let fast = rsa_pkcs1_ring_valid(
                    &issuer.key_alg,
                    issuer.key,
                    alg,
                    child.tbs,
                    child.signature,
                );
                let was = old(
                    &issuer.key_alg,
                    issuer.key,
                    &child.sig_alg,
                    child.tbs,
                    child.signature,
                );
                assert_eq!(
                    fast,
                    was == Verdict::Valid,
                    "{:?}",
                    child.subject().to_text()
                );
                links += usize::from(fast);
                let mut bad = child.signature.to_vec();
                bad[10] ^= 1;
                assert!(!rsa_pkcs1_ring_valid(
                    &issuer.key_alg,
                    issuer.key,
                    alg,
                    child.tbs,
                    &bad
                ));
                assert_ne!(
                    old(&issuer.key_alg, issuer.key, &child.sig_alg, child.tbs, &bad),
                    Verdict::Valid
                );
            }
        }
        assert!(links >= 6, "the bundle's CA links verify ({links})");
        // A key the rsa crate refuses is refused from the memo as well.
        let rsa_alg = AlgId {
            oid: "1.2.840.113549.1.1.1".into(),
            params: None,
        };
        for _ in 0..2 {
            assert!(!rsa_crate_reads(&rsa_alg, &[0x30, 0x03, 0x02, 0x01, 0x03]));
            assert!(rsa_crate_reads(&rsa_alg, certs[0].key));
        }
        // The test PKI's keys, one signature per hash.
        let pki = samplegen::TestPki::get();
        let other = Cert::parse(&pki.root.cert).unwrap();
        for id in [&pki.person, &pki.subca, &pki.unknown_signer] {
            let cert = Cert::parse(&id.cert).unwrap();
            let msg = b"signed attributes of a test signature".as_slice();
            for (oid, alg) in [
                ("1.2.840.113549.1.1.5", DigestAlg::Sha1),
                ("1.2.840.113549.1.1.14", DigestAlg::Sha224),
                ("1.2.840.113549.1.1.11", DigestAlg::Sha256),
                ("1.2.840.113549.1.1.12", DigestAlg::Sha384),
                ("1.2.840.113549.1.1.13", DigestAlg::Sha512),
            ] {
                let scheme = match alg {
                    DigestAlg::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                    DigestAlg::Sha224 => rsa::Pkcs1v15Sign::new::<Sha224>(),
                    DigestAlg::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    DigestAlg::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                    _ => rsa::Pkcs1v15Sign::new::<Sha512>(),
                };
                let sig = id.key.sign(scheme, &digest(alg, msg)).unwrap();
                let sig_alg = AlgId {
                    oid: oid.into(),
                    params: None,
                };
                let fast = rsa_pkcs1_ring_valid(&cert.key_alg, cert.key, alg, msg, &sig);
                assert_eq!(
                    fast,
                    alg != DigestAlg::Sha224,
                    "{oid}: ring covers all but SHA-224"
                );
                assert_eq!(
                    old(&cert.key_alg, cert.key, &sig_alg, msg, &sig),
                    Verdict::Valid
                );
                assert_eq!(
                    verify(&cert.key_alg, cert.key, &sig_alg, None, msg, &sig),
                    Verdict::Valid
                );
                // Tampered message, signature, shortened signature, other key, other hash:
                // ring never says valid, and the verdict is the old one.
                let mut flipped = sig.clone();
                flipped[0] ^= 0x40;
                let short = &sig[1..];
                let cases: [(&Cert<'_>, &[u8], &[u8], DigestAlg); 5] = [
                    (&cert, b"another message", &sig, alg),
                    (&cert, msg, &flipped, alg),
                    (&cert, msg, short, alg),
                    (&other, msg, &sig, alg),
                    (
                        &cert,
                        msg,
                        &sig,
                        if alg == DigestAlg::Sha1 {
                            DigestAlg::Sha256
                        } else {
                            DigestAlg::Sha1
                        },
                    ),
                ];
                for (k, m, s, a) in cases {
                    assert!(!rsa_pkcs1_ring_valid(&k.key_alg, k.key, a, m, s));
                    let before = verify_rsa_pkcs1(&k.key_alg, k.key, a, &digest(a, m), s);
                    assert_ne!(before, Verdict::Valid);
                    let sig_alg = AlgId {
                        oid: match a {
                            DigestAlg::Sha1 => "1.2.840.113549.1.1.5",
                            _ => "1.2.840.113549.1.1.11",
                        }
                        .into(),
                        params: None,
                    };
                    if matches!(a, DigestAlg::Sha1 | DigestAlg::Sha256) {
                        assert_eq!(verify(&k.key_alg, k.key, &sig_alg, None, m, s), before);
                    }
                }
            }
        }
    }

    #[test]
    fn shake256_is_64_bytes() {
        assert_eq!(digest(DigestAlg::Shake256, b"abc").len(), 64);
        assert_eq!(digest(DigestAlg::Sha256, b"").len(), 32);
    }
}
