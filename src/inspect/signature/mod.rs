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
            return Ok(vec![bytes.to_vec()]);
        }
        let text = String::from_utf8_lossy(bytes);
        let mut out = Vec::new();
        for block in text.split("-----BEGIN CERTIFICATE-----").skip(1) {
            let body = block
                .split("-----END CERTIFICATE-----")
                .next()
                .unwrap_or("");
            out.push(base64_decode(body).ok_or(TrustError::NotACertificate)?);
        }
        if out.is_empty() {
            return Err(TrustError::NotACertificate);
        }
        Ok(out)
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

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
