//! The algorithms behind a signature, named as people know them: the
//! digest, the signature scheme and the signer's key size. Read here, judged
//! by the check against the ruleset's algorithm policy.

use super::asn1::{oid_string, Tlv};
use super::cert::{AlgId, Cert};
use super::cms::SignerInfo;
use super::verify::DigestAlg;
use crate::facts::Algorithms;

/// Digest names by OID, MD5 included (read, never used to verify).
fn digest_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.2.5" | "1.2.840.113549.1.1.4" => "MD5".into(),
        "1.2.840.113549.2.2" | "1.2.840.113549.1.1.2" => "MD2".into(),
        _ => DigestAlg::from_oid(oid).map_or_else(|| oid.to_string(), |d| d.name().to_string()),
    }
}

fn signature_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.10" => "RSA-PSS",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        o if o.starts_with("1.2.840.113549.1.1.") => "RSA",
        o if o == "1.2.840.10045.2.1" || o.starts_with("1.2.840.10045.4.") => "ECDSA",
        o => o,
    }
    .to_string()
}

/// The digest a signature algorithm OID names itself, if it names one.
fn signature_digest(oid: &str) -> Option<String> {
    let names_one = matches!(
        oid,
        "1.2.840.113549.1.1.2"
            | "1.2.840.113549.1.1.4"
            | "1.2.840.113549.1.1.5"
            | "1.2.840.113549.1.1.11"
            | "1.2.840.113549.1.1.12"
            | "1.2.840.113549.1.1.13"
            | "1.2.840.113549.1.1.14"
    ) || oid.starts_with("1.2.840.10045.4.");
    names_one.then(|| digest_name(oid))
}

/// (key type, bits, curve) of a SubjectPublicKeyInfo.
fn key_size(alg: &AlgId<'_>, key: &[u8]) -> (Option<String>, Option<u32>, Option<String>) {
    match alg.oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            (Some("RSA".into()), rsa_modulus_bits(key), None)
        }
        "1.2.840.10045.2.1" => {
            let curve = alg
                .params
                .filter(|p| p.tag == 0x06)
                .and_then(|p| oid_string(p.content))
                .unwrap_or_default();
            let (name, bits) = match curve.as_str() {
                "1.2.840.10045.3.1.1" => ("P-192", 192),
                "1.3.132.0.33" => ("P-224", 224),
                "1.2.840.10045.3.1.7" => ("P-256", 256),
                "1.3.132.0.10" => ("secp256k1", 256),
                "1.3.132.0.34" => ("P-384", 384),
                "1.3.132.0.35" => ("P-521", 521),
                "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
                "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
                "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
                other => return (Some("EC".into()), None, Some(other.to_string())),
            };
            (Some("EC".into()), Some(bits), Some(name.into()))
        }
        "1.3.101.112" => (Some("Ed25519".into()), Some(256), Some("Ed25519".into())),
        "1.3.101.113" => (Some("Ed448".into()), Some(448), Some("Ed448".into())),
        other => (Some(other.to_string()), None, None),
    }
}

/// Bit length of an RSAPublicKey's modulus (leading zero octets ignored).
fn rsa_modulus_bits(key: &[u8]) -> Option<u32> {
    let seq = Tlv::parse(key)?;
    let modulus = seq.children().next()?;
    if modulus.tag != 0x02 {
        return None;
    }
    let m = modulus.content;
    let start = m.iter().position(|b| *b != 0)?;
    let top = m[start];
    Some((m.len() - start - 1) as u32 * 8 + (8 - top.leading_zeros()))
}

pub fn of(si: &SignerInfo<'_>, cert: Option<&Cert<'_>>) -> Algorithms {
    let (key, key_bits, curve) = match cert {
        Some(c) => key_size(&c.key_alg, c.key),
        None => (None, None, None),
    };
    Algorithms {
        digest: Some(digest_name(&si.digest_alg.oid)),
        signature: Some(signature_name(&si.sig_alg.oid)),
        signature_digest: signature_digest(&si.sig_alg.oid),
        key,
        key_bits,
        curve,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(digest_name("1.2.840.113549.2.5"), "MD5");
        assert_eq!(digest_name("1.3.14.3.2.26"), "SHA-1");
        assert_eq!(signature_name("1.2.840.10045.4.1"), "ECDSA");
        assert_eq!(
            signature_digest("1.2.840.10045.4.1").as_deref(),
            Some("SHA-1")
        );
        assert_eq!(signature_digest("1.2.840.113549.1.1.1"), None);
    }

    #[test]
    fn rsa_bits_ignore_the_sign_octet() {
        // SEQUENCE { INTEGER 00 80 00 (a 16-bit modulus), INTEGER 3 }
        let key = [0x30, 0x08, 0x02, 0x03, 0x00, 0x80, 0x00, 0x02, 0x01, 0x03];
        assert_eq!(rsa_modulus_bits(&key), Some(16));
        assert_eq!(rsa_modulus_bits(&[0x30, 0x00]), None);
    }
}
