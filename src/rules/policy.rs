//! The signature algorithm policy: which digests and key sizes make a
//! signature count. It is data: the ruleset's `[algorithm_policy]` states
//! it (defaults below when absent) and a folder's tlkc.toml may override
//! it, with a mandatory reason (e.g. old genuine documents signed with
//! SHA-1). The check judges signatures against it; inspection only records
//! the algorithms (docs/signatures.md, "Algorithm policy").

use serde::{Deserialize, Serialize};

/// Digest names tlkc reports, for validating policy files.
pub const DIGEST_NAMES: &[&str] = &[
    "MD2", "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "SHAKE256",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlgorithmPolicy {
    /// Digests that make a signature not count, as the document digest or
    /// as the digest the signature algorithm names.
    pub weak_digests: Vec<String>,
    /// Smallest RSA modulus that counts, in bits.
    pub min_rsa_bits: u32,
    /// Smallest elliptic-curve field that counts, in bits (Ed25519 = 256).
    pub min_ec_bits: u32,
    /// Weak digests accepted from named issuers, each with its reason.
    pub tolerate: Vec<Tolerance>,
    /// Why a folder's tlkc.toml overrides the ruleset's policy.
    pub override_reason: Option<String>,
}

/// A weak digest accepted when the signer's certificate comes from one of
/// `issuers` (compared without case or diacritics, as a part of the
/// issuer's common name): a habit of a named PKI's signing software, not a
/// general exemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    pub digest: String,
    pub issuers: Vec<String>,
    pub reason: String,
}

/// The government PKI's signing software (Ban Cơ yếu Chính phủ: VGCA and
/// the tools built on it) still writes SHA-1 digests: 33 of 96 signatures
/// in the 40 genuine documents of ../shared/corpus/real-vn, signed 2016–2026.
fn government_sha1() -> Tolerance {
    Tolerance {
        digest: "SHA-1".into(),
        issuers: vec![
            "CA phục vụ các cơ quan Nhà nước".into(),
            "Cơ quan chứng thực số Chính phủ".into(),
        ],
        reason: "the government PKI's signing software (Ban Cơ yếu Chính phủ) still writes SHA-1 digests on current documents".into(),
    }
}

impl Default for AlgorithmPolicy {
    /// SHA-1 has practical collisions (SHAttered 2017, chosen-prefix 2020);
    /// RSA below 2048 bits and curves below 256 bits are below the
    /// 112-bit security level (NIST SP 800-131A, ETSI TS 119 312).
    fn default() -> Self {
        AlgorithmPolicy {
            weak_digests: vec!["MD2".into(), "MD5".into(), "SHA-1".into()],
            min_rsa_bits: 2048,
            min_ec_bits: 256,
            tolerate: vec![government_sha1()],
            override_reason: None,
        }
    }
}

/// `[algorithm_policy]` as written, in a ruleset or in tlkc.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlgorithmPolicy {
    pub weak_digests: Option<Vec<String>>,
    pub min_rsa_bits: Option<u32>,
    pub min_ec_bits: Option<u32>,
    /// Replaces the tolerated (digest, issuers) list when given.
    pub tolerate: Option<Vec<Tolerance>>,
    /// Mandatory in tlkc.toml, not allowed in a ruleset.
    pub reason: Option<String>,
}

impl AlgorithmPolicy {
    /// The ruleset's policy: the defaults with what the ruleset states.
    /// The tolerance that accepts `digest` from `issuer` (a certificate's
    /// issuer common name), if any.
    pub fn tolerated(&self, digest: &str, issuer: Option<&str>) -> Option<&Tolerance> {
        let issuer = crate::text::fold(issuer?);
        self.tolerate.iter().find(|t| {
            t.digest == digest
                && t.issuers
                    .iter()
                    .any(|i| issuer.contains(&crate::text::fold(i)))
        })
    }

    pub fn from_ruleset(raw: RawAlgorithmPolicy) -> Result<AlgorithmPolicy, String> {
        if raw.reason.is_some() {
            return Err("algorithm_policy.reason belongs in a folder's tlkc.toml override, not in a ruleset".into());
        }
        AlgorithmPolicy::default().with(raw)
    }

    /// This policy overridden by a folder's tlkc.toml, which must say why.
    pub fn overridden(&self, raw: &RawAlgorithmPolicy) -> Result<AlgorithmPolicy, String> {
        match raw.reason.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => self.clone().with(raw.clone()),
            _ => Err(
                "algorithm_policy: an override needs a reason (why these signatures may count)"
                    .into(),
            ),
        }
    }

    fn with(mut self, raw: RawAlgorithmPolicy) -> Result<AlgorithmPolicy, String> {
        if let Some(d) = raw.weak_digests {
            self.weak_digests = d
                .iter()
                .map(|name| {
                    DIGEST_NAMES
                        .iter()
                        .find(|k| k.eq_ignore_ascii_case(name) || k.replace('-', "").eq_ignore_ascii_case(name))
                        .map(|k| k.to_string())
                        .ok_or_else(|| format!("algorithm_policy.weak_digests: unknown digest `{name}` (known: {})", DIGEST_NAMES.join(", ")))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(t) = raw.tolerate {
            for x in &t {
                if !DIGEST_NAMES.contains(&x.digest.as_str()) {
                    return Err(format!(
                        "algorithm_policy.tolerate: unknown digest `{}` (known: {})",
                        x.digest,
                        DIGEST_NAMES.join(", ")
                    ));
                }
                if x.issuers.is_empty() || x.reason.trim().is_empty() {
                    return Err(format!(
                        "algorithm_policy.tolerate for {}: name the issuers and give a reason",
                        x.digest
                    ));
                }
            }
            self.tolerate = t;
        }
        if let Some(b) = raw.min_rsa_bits {
            self.min_rsa_bits = b;
        }
        if let Some(b) = raw.min_ec_bits {
            self.min_ec_bits = b;
        }
        self.override_reason = raw.reason.map(|r| r.trim().to_string());
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_is_tolerated_from_the_government_pki_only() {
        let p = AlgorithmPolicy::default();
        for cn in [
            "CA phục vụ các cơ quan Nhà nước G2",
            "Co quan chung thuc so Chinh phu",
        ] {
            assert!(p.tolerated("SHA-1", Some(cn)).is_some(), "{cn}");
        }
        assert!(p.tolerated("SHA-1", Some("Peculiar Ventures")).is_none());
        assert!(p
            .tolerated("MD5", Some("Co quan chung thuc so Chinh phu"))
            .is_none());
        assert!(p.tolerated("SHA-1", None).is_none());
    }

    #[test]
    fn an_override_needs_a_reason_and_known_names() {
        let base = AlgorithmPolicy::default();
        let raw = RawAlgorithmPolicy {
            weak_digests: Some(vec!["md5".into()]),
            ..Default::default()
        };
        assert!(base.overridden(&raw).is_err());
        let raw = RawAlgorithmPolicy {
            reason: Some("văn bản lưu trữ ký trước 2015".into()),
            ..raw
        };
        let p = base.overridden(&raw).unwrap();
        assert_eq!(p.weak_digests, ["MD5"]);
        assert_eq!(p.min_rsa_bits, 2048);
        assert!(p.override_reason.is_some());
        let bad = RawAlgorithmPolicy {
            weak_digests: Some(vec!["SHA-3".into()]),
            reason: Some("x".into()),
            ..Default::default()
        };
        assert!(base.overridden(&bad).unwrap_err().contains("SHA-3"));
        assert!(AlgorithmPolicy::from_ruleset(RawAlgorithmPolicy {
            reason: Some("x".into()),
            ..Default::default()
        })
        .is_err());
    }
}
