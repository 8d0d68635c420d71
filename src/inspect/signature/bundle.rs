//! The builtin trust bundle: the government PKI's public CA certificates
//! (`trust/` at the repository root), embedded in the binary. Roots are
//! anchors; issuing CAs only complete chains, since genuine signers embed
//! little more than their own certificate. The manifest states each file's
//! subject, SHA-256 and validity, and loading checks the files against it.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::cert::Cert;
use super::trust::{from_pem_or_der, sha256_pin};

/// Every PEM file of `trust/`, by name (tests/trust_bundle.rs keeps this
/// list equal to the folder and to the manifest).
pub const FILES: &[(&str, &[u8])] = &[
    ("g2-root.pem", include_bytes!("../../../trust/g2-root.pem")),
    (
        "g2-nha-nuoc.pem",
        include_bytes!("../../../trust/g2-nha-nuoc.pem"),
    ),
    ("g1-root.pem", include_bytes!("../../../trust/g1-root.pem")),
    (
        "g1-chinh-phu.pem",
        include_bytes!("../../../trust/g1-chinh-phu.pem"),
    ),
    (
        "g1-dang-cong-san.pem",
        include_bytes!("../../../trust/g1-dang-cong-san.pem"),
    ),
    (
        "g1-bo-cong-an.pem",
        include_bytes!("../../../trust/g1-bo-cong-an.pem"),
    ),
    (
        "g1-bo-tai-chinh.pem",
        include_bytes!("../../../trust/g1-bo-tai-chinh.pem"),
    ),
    (
        "g1-bo-ngoai-giao.pem",
        include_bytes!("../../../trust/g1-bo-ngoai-giao.pem"),
    ),
];

pub const MANIFEST: &str = include_str!("../../../trust/manifest.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A trust anchor.
    Root,
    /// An issuing CA: used to build chains, trusted only through its root.
    Intermediate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    certificate: Vec<RawCert>,
    #[serde(default)]
    missing: Vec<MissingCa>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCert {
    file: String,
    role: Role,
    subject: String,
    sha256: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    source: String,
}

/// A known issuing CA whose certificate is not in the bundle.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MissingCa {
    pub subject_cn: String,
    pub issuer_cn: String,
    pub published_as: String,
    /// The start of its SHA-256 as other projects pin it.
    pub sha256_prefix: String,
}

/// One bundled certificate, checked against its manifest entry.
#[derive(Debug, Clone)]
pub struct BundledCert {
    pub file: String,
    pub role: Role,
    pub der: Vec<u8>,
    pub subject: String,
    /// Common name, for lists.
    pub name: String,
    pub sha256: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Bundle {
    pub certificates: Vec<BundledCert>,
    pub missing: Vec<MissingCa>,
}

/// The embedded bundle, read and checked once. An error means the
/// repository's `trust/` folder and its manifest disagree (a build bug that
/// tests/trust_bundle.rs catches before release).
pub fn bundle() -> Result<&'static Bundle, String> {
    static BUNDLE: OnceLock<Result<Bundle, String>> = OnceLock::new();
    BUNDLE
        .get_or_init(|| load(FILES, MANIFEST))
        .as_ref()
        .map_err(Clone::clone)
}

/// Reads `manifest` and checks every entry against its file in `files`.
pub fn load(files: &[(&str, &[u8])], manifest: &str) -> Result<Bundle, String> {
    let raw: RawManifest =
        toml::from_str(manifest).map_err(|e| format!("trust/manifest.toml: {e}"))?;
    let mut certificates = Vec::new();
    for e in raw.certificate {
        let bytes = files
            .iter()
            .find(|(n, _)| *n == e.file)
            .map(|(_, b)| *b)
            .ok_or_else(|| format!("trust/{}: listed in the manifest but not embedded", e.file))?;
        let der = match from_pem_or_der(bytes).map_err(|x| format!("trust/{}: {x}", e.file))? {
            mut v if v.len() == 1 => v.remove(0),
            _ => return Err(format!("trust/{}: holds more than one certificate", e.file)),
        };
        let cert = Cert::parse(&der).ok_or_else(|| format!("trust/{}: unreadable", e.file))?;
        let wrong = |what: &str, file: String, manifest: &str| {
            Err(format!(
                "trust/{}: {what} is {file}, the manifest says {manifest}",
                e.file
            ))
        };
        let sha = sha256_pin(&der);
        if sha != e.sha256.to_lowercase() {
            return wrong("SHA-256", sha, &e.sha256);
        }
        let subject = cert.subject();
        if subject.to_text() != e.subject {
            return wrong("the subject", subject.to_text(), &e.subject);
        }
        if cert.not_before != Some(e.not_before) || cert.not_after != Some(e.not_after) {
            return wrong(
                "the validity",
                format!("{:?}–{:?}", cert.not_before, cert.not_after),
                &format!("{}–{}", e.not_before, e.not_after),
            );
        }
        let self_issued = cert.issuer_is(&cert);
        if self_issued != (e.role == Role::Root) {
            return Err(format!(
                "trust/{}: role `{:?}` but the certificate is {}self-issued",
                e.file,
                e.role,
                if self_issued { "" } else { "not " }
            ));
        }
        certificates.push(BundledCert {
            name: subject.get("CN").unwrap_or("?").to_string(),
            file: e.file,
            role: e.role,
            subject: e.subject,
            sha256: sha,
            not_before: e.not_before,
            not_after: e.not_after,
            source: e.source,
            der,
        });
    }
    for (name, _) in files {
        if !certificates.iter().any(|c| c.file == *name) {
            return Err(format!("trust/{name}: embedded but not in the manifest"));
        }
    }
    Ok(Bundle {
        certificates,
        missing: raw.missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_bundle_matches_its_manifest() {
        let b = bundle().unwrap();
        assert_eq!(b.certificates.len(), 8);
        assert_eq!(
            b.certificates
                .iter()
                .filter(|c| c.role == Role::Root)
                .count(),
            2
        );
        assert_eq!(b.missing.len(), 1);
    }

    #[test]
    fn a_manifest_that_disagrees_with_a_file_is_refused() {
        let lied = MANIFEST.replacen(
            "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
            "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb9",
            1,
        );
        assert!(load(FILES, &lied).unwrap_err().contains("SHA-256"));
        assert!(load(&FILES[1..], MANIFEST)
            .unwrap_err()
            .contains("not embedded"));
    }
}
