//! Trust: a chain from the signer certificate to a user-given anchor, each
//! link checked by name AND by signature, each certificate valid at the
//! signing time. A certificate that copies a trusted CA's name but not its
//! key fails the signature check. Revocation is not checked (offline).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::cert::Cert;
use super::verify::{self, Verdict};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TrustError {
    #[error("no certificate found in the trust file")]
    Empty,
    #[error("PEM block is not readable: {0}")]
    Pem(String),
    #[error("PEM block is a {0}, not a CERTIFICATE")]
    WrongLabel(String),
    #[error("not an X.509 certificate")]
    NotCertificate,
}

/// Reads one or more certificates from PEM text or a single DER blob.
pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    if memchr::memmem::find(bytes, BEGIN).is_none() {
        let cert = Cert::parse(bytes).ok_or(TrustError::NotCertificate)?;
        if cert.der.len() != bytes.len() {
            return Err(TrustError::NotCertificate);
        }
        return Ok(vec![bytes.to_vec()]);
    }
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(start) = memchr::memmem::find(rest, BEGIN) {
        let block_start = &rest[start..];
        let end_marker = memchr::memmem::find(block_start, b"-----END ")
            .ok_or_else(|| TrustError::Pem("no END line".into()))?;
        let end_line = block_start[end_marker..]
            .iter()
            .skip(9)
            .position(|b| *b == b'-')
            .map(|p| end_marker + 9 + p + 5)
            .ok_or_else(|| TrustError::Pem("no END line".into()))?;
        let end_line = end_line.min(block_start.len());
        let block = &block_start[..end_line];
        let (label, der) =
            der::pem::decode_vec(block).map_err(|e| TrustError::Pem(e.to_string()))?;
        if label != "CERTIFICATE" && label != "TRUSTED CERTIFICATE" {
            return Err(TrustError::WrongLabel(label.to_string()));
        }
        if Cert::parse(&der).is_none() {
            return Err(TrustError::NotCertificate);
        }
        out.push(der);
        rest = &block_start[end_line..];
    }
    if out.is_empty() {
        return Err(TrustError::Empty);
    }
    Ok(out)
}

pub fn sha256_pin(der: &[u8]) -> String {
    crate::hash::hex(&Sha256::digest(der))
}

fn normalise_pin(p: &str) -> String {
    p.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_lowercase()
}

/// Deepest chain followed.
const MAX_CHAIN: usize = 10;

fn issued_by(child: &Cert<'_>, issuer: &Cert<'_>) -> bool {
    child.issuer_is(issuer)
        && crate::inspect::verify_memo::signed_by(issuer.der, child.der, || {
            verify::verify(
                &issuer.key_alg,
                issuer.key,
                &child.sig_alg,
                None,
                child.tbs,
                child.signature,
            ) == Verdict::Valid
        })
}

/// The trust layer of one signature.
pub struct Chain {
    pub trusted: Option<bool>,
    pub notes: Vec<String>,
    /// When every certificate of the chain, anchor included, is valid
    /// (latest notBefore, earliest notAfter); `None` without a chain.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Whether `signer` chains to an anchor through `pool`; notes say why not.
/// With `at` (the signing time), each certificate must be valid then;
/// without it no time is judged here (inspection never reads the clock) and
/// the chain's validity `window` is left to the check.
/// `None` ("cannot tell") when only fingerprint pins were given and the chain
/// leaves the file before reaching a pinned certificate: signing tools rarely
/// embed the root, and a pin cannot be matched without the certificate.
pub fn evaluate(
    signer: &Cert<'_>,
    pool: &[Cert<'_>],
    anchors_der: &[Vec<u8>],
    pins: &[String],
    at: Option<DateTime<Utc>>,
) -> Chain {
    let mut w = Walker {
        pool,
        anchors: anchors_der.iter().filter_map(|d| Cert::parse(d)).collect(),
        pins: pins.iter().map(|p| normalise_pin(p)).collect(),
        at,
        notes: Vec::new(),
        window: None,
    };
    let ok = w.walk(signer);
    let trusted = match ok {
        Walk::Trusted => Some(true),
        Walk::Untrusted => Some(false),
        Walk::LeftTheFile if anchors_der.is_empty() => {
            w.notes.push(
                "only pinned root fingerprints were given and the root is not embedded: pass the CA certificate with --trust-anchor to decide trust"
                    .into(),
            );
            None
        }
        Walk::LeftTheFile => Some(false),
    };
    Chain {
        window: if ok == Walk::Trusted { w.window } else { None },
        trusted,
        notes: w.notes,
    }
}

#[derive(PartialEq, Eq)]
enum Walk {
    Trusted,
    Untrusted,
    /// The chain's next issuer is neither an anchor nor in the signature.
    LeftTheFile,
}

struct Walker<'p, 'c> {
    pool: &'p [Cert<'c>],
    anchors: Vec<Cert<'p>>,
    pins: Vec<String>,
    at: Option<DateTime<Utc>>,
    notes: Vec<String>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Walker<'_, '_> {
    fn is_anchor(&self, c: &Cert<'_>) -> bool {
        self.anchors.iter().any(|a| a.der == c.der) || self.pins.contains(&sha256_pin(c.der))
    }

    /// Narrows the chain's window to `c`; false when `c` was not valid at
    /// the signing time.
    fn valid(&mut self, c: &Cert<'_>) -> bool {
        let (Some(nb), Some(na)) = (c.not_before, c.not_after) else {
            return false;
        };
        self.window = Some(match self.window {
            Some((b, a)) => (b.max(nb), a.min(na)),
            None => (nb, na),
        });
        self.at.is_none_or(|at| nb <= at && at <= na)
    }

    fn walk(&mut self, signer: &Cert<'_>) -> Walk {
        let mut current = signer.clone();
        let mut visited: Vec<&[u8]> = Vec::new();
        for _ in 0..MAX_CHAIN {
            if !self.valid(&current) {
                self.notes.push(format!(
                    "certificate '{}' was not valid at the signing time",
                    current.subject().get("CN").unwrap_or("?")
                ));
                return Walk::Untrusted;
            }
            if self.is_anchor(&current) {
                return Walk::Trusted;
            }
            if let Some(a) = self
                .anchors
                .iter()
                .find(|a| issued_by(&current, a))
                .cloned()
            {
                if self.valid(&a) {
                    return Walk::Trusted;
                }
                self.notes
                    .push("the trust anchor was not valid at the signing time".into());
                return Walk::Untrusted;
            }
            visited.push(current.der);
            let next = self
                .pool
                .iter()
                .find(|c| !visited.contains(&c.der) && issued_by(&current, c));
            match next {
                Some(n) => current = n.clone(),
                None => {
                    self.notes.push(format!(
                        "no chain from the signer certificate to a trusted anchor (stopped at issuer '{}')",
                        current.issuer().get("CN").unwrap_or("?")
                    ));
                    return Walk::LeftTheFile;
                }
            }
        }
        self.notes.push("certificate chain too long".into());
        Walk::Untrusted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Issue 16's hidden clock: without a signing time the verdict must not
    /// depend on when inspection runs, so no time is judged here; the window
    /// is recorded for the check.
    #[test]
    fn without_a_time_the_chain_is_judged_timelessly_and_its_window_recorded() {
        let pki = samplegen::TestPki::get();
        let anchors = vec![pki.root.cert.clone()];
        let at = |y| Some(Utc.with_ymd_and_hms(y, 6, 1, 0, 0, 0).unwrap());
        let chain = |id: &samplegen::Identity, at| {
            let signer = Cert::parse(&id.cert).unwrap();
            let pool: Vec<Cert<'_>> = id.chain.iter().filter_map(|d| Cert::parse(d)).collect();
            evaluate(&signer, &pool, &anchors, &[], at)
        };
        // The same verdict whenever inspection runs; the window says when it holds.
        let timeless = chain(&pki.person, None);
        assert_eq!(timeless.trusted, Some(true), "{:?}", timeless.notes);
        let (from, until) = timeless.window.unwrap();
        assert!(from <= at(2022).unwrap() && at(2022).unwrap() <= until);
        assert!(until < at(2035).unwrap());
        // With a signing time (a fact of the file), validity is judged then.
        assert_eq!(chain(&pki.person, at(2022)).trusted, Some(true));
        assert_eq!(chain(&pki.person, at(2035)).trusted, Some(false));
        // A certificate that expired before its CA began: the window is empty.
        let expired = chain(&pki.expired, None);
        assert_eq!(expired.trusted, Some(true));
        let (from, until) = expired.window.unwrap();
        assert!(until < from);
    }

    #[test]
    fn rejects_non_certificates() {
        assert_eq!(from_pem_or_der(b"hello"), Err(TrustError::NotCertificate));
        assert_eq!(
            from_pem_or_der(&[0x30, 0x03, 0x02, 0x01, 0x05]),
            Err(TrustError::NotCertificate)
        );
        let key = b"-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n";
        assert!(matches!(
            from_pem_or_der(key),
            Err(TrustError::WrongLabel(_))
        ));
    }
}
