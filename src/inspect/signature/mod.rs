//! Signature discovery and verification (placeholder).

use crate::facts::SignatureFacts;

/// Certificates the user trusts (DER), plus pinned root fingerprints.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub certs_der: Vec<Vec<u8>>,
    pub pinned_sha256: Vec<String>,
}

impl TrustAnchors {
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
