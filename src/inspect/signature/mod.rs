//! Signature discovery and verification (placeholder).

use crate::facts::SignatureFacts;

/// Certificates the user trusts (DER), plus pinned root fingerprints.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub certs_der: Vec<Vec<u8>>,
    pub pinned_sha256: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("not a certificate (expected PEM \"BEGIN CERTIFICATE\" or DER)")]
    NotACertificate,
}

impl TrustAnchors {
    /// Certificates (DER) from a PEM or DER file's bytes.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
        if bytes.first() == Some(&0x30) {
            Ok(vec![bytes.to_vec()])
        } else {
            Err(TrustError::NotACertificate)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.certs_der.is_empty() && self.pinned_sha256.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub struct SignatureScan {
    pub signatures: Vec<SignatureFacts>,
    pub unsigned_fields: Vec<String>,
}

pub fn inspect_signatures(
    _bytes: &[u8],
    _doc: Option<&lopdf::Document>,
    _trust: &TrustAnchors,
) -> SignatureScan {
    SignatureScan::default()
}
