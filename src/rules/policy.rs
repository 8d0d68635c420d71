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
    /// Weak digests accepted through named CA certificates, each with its reason.
    pub tolerate: Vec<Tolerance>,
    /// Why a folder's tlkc.toml overrides the ruleset's policy.
    pub override_reason: Option<String>,
}

/// A weak digest accepted when the signer's chain verifies, signature by
/// signature, through one of the CA certificates `ca_sha256` names (SHA-256
/// of the DER certificate): a habit of a named PKI's signing software, not
/// a general exemption. Names are not enough: anyone can make a CA with the
/// government CA's name, so a forged chain gets no tolerance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    pub digest: String,
    /// SHA-256 fingerprints of CA certificates, hex (colons and case ignored).
    pub ca_sha256: Vec<String>,
    /// Who the fingerprints are, for people reading the ruleset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    pub reason: String,
}

/// "CA phục vụ các cơ quan Nhà nước G2" (trust/g2-nha-nuoc.pem).
pub const G2_STATE_CA_SHA256: &str =
    "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b";
/// "Co quan chung thuc so Chinh phu" (trust/g1-chinh-phu.pem).
pub const G1_GOVERNMENT_CA_SHA256: &str =
    "75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe";

/// The government PKI's signing software (Ban Cơ yếu Chính phủ: VGCA and
/// the tools built on it) still writes SHA-1 digests: 33 of 96 signatures
/// in the 40 genuine documents of ../shared/corpus/real-vn, signed 2016–2026,
/// all issued by these two CAs.
fn government_sha1() -> Tolerance {
    Tolerance {
        digest: "SHA-1".into(),
        ca_sha256: vec![G2_STATE_CA_SHA256.into(), G1_GOVERNMENT_CA_SHA256.into()],
        names: vec![
            "CA phục vụ các cơ quan Nhà nước G2".into(),
            "Co quan chung thuc so Chinh phu".into(),
        ],
        reason: "the government PKI's signing software (Ban Cơ yếu Chính phủ) still writes SHA-1 digests on current documents".into(),
    }
}

fn normalise_sha256(p: &str) -> String {
    p.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_lowercase()
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
    /// Replaces the tolerated (digest, CA fingerprints) list when given.
    pub tolerate: Option<Vec<Tolerance>>,
    /// Mandatory in tlkc.toml, not allowed in a ruleset.
    pub reason: Option<String>,
}

impl AlgorithmPolicy {
    /// The tolerance that accepts `digest` from a signature whose verified
    /// chain holds the CA certificates `chain_sha256`, if any.
    pub fn tolerated(&self, digest: &str, chain_sha256: &[String]) -> Option<&Tolerance> {
        self.tolerate.iter().find(|t| {
            t.digest == digest
                && t.ca_sha256
                    .iter()
                    .any(|pin| chain_sha256.iter().any(|c| normalise_sha256(c) == *pin))
        })
    }

    /// The ruleset's policy: the defaults with what the ruleset states.
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
        if let Some(mut t) = raw.tolerate {
            for x in &mut t {
                x.ca_sha256 = x.ca_sha256.iter().map(|p| normalise_sha256(p)).collect();
                if let Some(bad) = x.ca_sha256.iter().find(|p| p.len() != 64) {
                    return Err(format!(
                        "algorithm_policy.tolerate for {}: `{bad}` is not a SHA-256 fingerprint (64 hex digits)",
                        x.digest
                    ));
                }
                if !DIGEST_NAMES.contains(&x.digest.as_str()) {
                    return Err(format!(
                        "algorithm_policy.tolerate: unknown digest `{}` (known: {})",
                        x.digest,
                        DIGEST_NAMES.join(", ")
                    ));
                }
                if x.ca_sha256.is_empty() || x.reason.trim().is_empty() {
                    return Err(format!(
                        "algorithm_policy.tolerate for {}: give the CA certificates' SHA-256 (ca_sha256) and a reason",
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
    fn sha1_is_tolerated_through_the_government_ca_certificates_only() {
        let p = AlgorithmPolicy::default();
        for pin in [G2_STATE_CA_SHA256, G1_GOVERNMENT_CA_SHA256] {
            let chain = vec![pin.to_uppercase(), "f0".repeat(32)];
            assert!(p.tolerated("SHA-1", &chain).is_some(), "{pin}");
        }
        // A chain that does not pass through them (a forged one copies names, not keys).
        assert!(p.tolerated("SHA-1", &["ab".repeat(32)]).is_none());
        assert!(p.tolerated("SHA-1", &[]).is_none());
        assert!(p
            .tolerated("MD5", &[G2_STATE_CA_SHA256.to_string()])
            .is_none());
        // A ruleset that still names issuers is refused with its reason.
        let old: Result<RawAlgorithmPolicy, _> =
            toml::from_str("[[tolerate]]\ndigest = \"SHA-1\"\nissuers = [\"X\"]\nreason = \"r\"\n");
        assert!(old.unwrap_err().to_string().contains("issuers"));
        let bad = RawAlgorithmPolicy {
            tolerate: Some(vec![Tolerance {
                digest: "SHA-1".into(),
                ca_sha256: vec!["1234".into()],
                names: vec![],
                reason: "r".into(),
            }]),
            ..Default::default()
        };
        assert!(AlgorithmPolicy::from_ruleset(bad)
            .unwrap_err()
            .contains("SHA-256"));
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
