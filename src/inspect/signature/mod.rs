//! Signature discovery and verification. Each layer (coverage, integrity,
//! signature value, later modifications, trust) is established on its own;
//! a layer that cannot be established is `None` with a note, never `true`.
//! See docs/signatures.md.

mod algorithms;
mod asn1;
pub mod bundle;
mod byterange;
mod cert;
mod cms;
mod crl;
mod discovery;
mod examine;
pub(crate) mod filehash;
mod gaps;
mod revisions;
mod trust;
mod verify;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::Limits;
use crate::facts::{ModifiedAfter, SignatureFacts};

pub use discovery::pdf_text;
pub use gaps::ParseView;
pub use trust::TrustError;

/// What signatures are judged against: anchors (the builtin bundle's roots
/// and the user's certificates, DER), pinned root fingerprints, the bundle's
/// issuing CAs (they complete chains, they are not anchors), the known CAs
/// whose certificate is missing, and the user's CRLs.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub certs_der: Vec<Vec<u8>>,
    /// SHA-256 of trusted certificates, hex (colons and case ignored).
    pub pinned_sha256: Vec<String>,
    /// Issuing CA certificates (DER) used to build chains.
    pub intermediates_der: Vec<Vec<u8>>,
    /// Known issuing CAs whose certificate is not available.
    pub missing: Vec<bundle::MissingCa>,
    /// Certificate revocation lists (DER), read offline.
    pub crls_der: Vec<Vec<u8>>,
}

impl TrustAnchors {
    pub fn is_empty(&self) -> bool {
        self.certs_der.is_empty() && self.pinned_sha256.is_empty()
    }

    /// The builtin bundle: its roots as anchors, its issuing CAs as
    /// intermediates, its missing CAs by name.
    pub fn builtin() -> Result<TrustAnchors, String> {
        let b = bundle::bundle()?;
        let of = |role| {
            b.certificates
                .iter()
                .filter(|c| c.role == role)
                .map(|c| c.der.clone())
                .collect()
        };
        Ok(TrustAnchors {
            certs_der: of(bundle::Role::Root),
            intermediates_der: of(bundle::Role::Intermediate),
            missing: b.missing.clone(),
            ..TrustAnchors::default()
        })
    }

    /// Certificates from PEM (one or more blocks) or DER; anything that is
    /// not a certificate is an error rather than a silently empty anchor.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
        trust::from_pem_or_der(bytes)
    }

    /// CRLs from PEM (`X509 CRL` blocks) or one DER CRL.
    pub fn crls_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
        crl::from_pem_or_der(bytes)
    }
}

/// A certificate as `tlkc trust list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    /// Common name (else the whole subject).
    pub name: String,
    pub subject: String,
    pub sha256: String,
    pub not_after: Option<DateTime<Utc>>,
    pub self_issued: bool,
}

/// Summarises a DER certificate; `None` when it does not parse.
pub fn summarise(der: &[u8]) -> Option<CertSummary> {
    let c = cert::Cert::parse(der)?;
    let subject = c.subject();
    Some(CertSummary {
        name: subject
            .get("CN")
            .map_or_else(|| subject.to_text(), str::to_string),
        subject: subject.to_text(),
        sha256: trust::sha256_pin(der),
        not_after: c.not_after,
        self_issued: c.issuer_is(&c),
    })
}

#[derive(Debug, Clone, Default)]
pub struct SignatureScan {
    pub signatures: Vec<SignatureFacts>,
    pub unsigned_fields: Vec<String>,
    /// A limit (`max_signatures`, `max_cms_bytes`) that cut the scan short:
    /// the caller reports it (PDF005) instead of trusting a partial list.
    pub limit_hit: Option<String>,
}

/// Vietnam time: every time tlkc shows is in +07:00.
pub fn vn(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&crate::time::VIETNAM)
}

use chrono::TimeZone;

pub fn inspect_signatures(
    bytes: &[u8],
    doc: Option<&lopdf::Document>,
    trust: &TrustAnchors,
    limits: &Limits,
) -> SignatureScan {
    let none = filehash::Prefixes::default();
    inspect_signatures_in(bytes, &ParseView::plain(bytes), &none, doc, trust, limits)
}

/// The /ByteRange arrays written in `bytes`, as many as inspection looks at.
pub fn scan_ranges(bytes: &[u8], limits: &Limits) -> Vec<discovery::ScannedRange> {
    // One more than allowed is looked for, so that "exactly at the limit"
    // and "over it" can be told apart.
    discovery::scan_byte_ranges(
        bytes,
        limits.max_signatures.saturating_mul(4).saturating_add(1),
    )
}

/// [`inspect_signatures`] for a `doc` loaded from `view` (the file with its
/// signatures' hex replaced, see `gaps.rs`): signed revisions are reloaded
/// from the same view. `prefixes` are the SHA-256 states the file hash kept
/// (see `inspect::signature::filehash`).
pub fn inspect_signatures_in(
    bytes: &[u8],
    view: &ParseView<'_>,
    prefixes: &filehash::Prefixes,
    doc: Option<&lopdf::Document>,
    trust: &TrustAnchors,
    limits: &Limits,
) -> SignatureScan {
    let max = limits.max_signatures;
    let mut limit_hit = None;
    let scanned = scan_ranges(bytes, limits);
    let (mut candidates, unsigned_fields) = match doc {
        Some(d) => {
            let found = discovery::from_document(d, max.saturating_add(1));
            (found.candidates, found.unsigned_fields)
        }
        None => (
            scanned
                .iter()
                .take(max.saturating_add(1))
                .map(|r| discovery::from_raw(bytes, r))
                .collect(),
            Vec::new(),
        ),
    };
    if doc.is_some() {
        // A signature dictionary no field reaches (spoofed or detached from
        // its field by a later update) is still a signature in the bytes.
        for r in &scanned {
            if candidates.len() > max {
                break;
            }
            if candidates
                .iter()
                .any(|c| c.byte_range.as_ref() == Some(&r.values))
            {
                continue;
            }
            let mut c = discovery::from_raw(bytes, r);
            let looks_signed = c.contents.is_some()
                && (matches!(c.dict_type.as_deref(), Some("Sig" | "DocTimeStamp"))
                    || c.sub_filter.is_some());
            if looks_signed {
                c.problem = Some(
                    "found only by scanning the file bytes: no signature field refers to this signature dictionary"
                        .into(),
                );
                candidates.push(c);
            }
        }
    }
    if candidates.len() > max || scanned.len() > max.saturating_mul(4) {
        limit_hit = Some(format!(
            "more than {max} signatures (max_signatures); only the first {max} were examined"
        ));
        candidates.truncate(max);
    }
    // Signing order: by where the signed revision ends.
    candidates.sort_by_key(|c| {
        c.byte_range
            .as_ref()
            .and_then(|b| b.chunks_exact(2).last().map(|p| p[0].saturating_add(p[1])))
            .unwrap_or(i64::MAX)
    });
    let mut revisions = revisions::Revisions::new(bytes, doc).parsing(view);
    let signatures = candidates
        .iter()
        .map(|c| {
            let mut f = examine::examine(
                bytes,
                c,
                trust,
                &mut revisions,
                limits,
                &mut limit_hit,
                prefixes,
            );
            if doc.is_some() && c.field.is_none() {
                // The loaded document does not use this signature: whatever
                // it once signed, the final form is not what it signed.
                f.modified_after = Some(ModifiedAfter::Disallowed);
                f.changes.insert(
                    0,
                    "the signature is not attached to any signature field of the final document"
                        .into(),
                );
            }
            if doc.is_some()
                && c.byte_range
                    .as_ref()
                    .is_some_and(|br| !scanned.iter().any(|s| &s.values == br))
            {
                f.notes
                    .push("this /ByteRange does not appear as written in the file bytes".into());
            }
            if doc.is_none() {
                f.notes.push(
                    "the file could not be loaded; the signature was found by scanning its bytes"
                        .into(),
                );
            }
            f
        })
        .collect();
    SignatureScan {
        signatures,
        unsigned_fields,
        limit_hit,
    }
}

/// PDF date string `D:YYYYMMDDHHmmSSOHH'mm'` (all but the year optional).
pub fn parse_pdf_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = &s[digits.len()..];
    let num = |a: usize, b: usize, d: u32| -> Option<u32> {
        match digits.get(a..b) {
            Some(x) => x.parse().ok(),
            None if digits.len() <= a => Some(d),
            None => None,
        }
    };
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(4, 6, 1)?, num(6, 8, 1)?)?;
    let local = date.and_hms_opt(num(8, 10, 0)?, num(10, 12, 0)?, num(12, 14, 0)?)?;
    let offset_secs = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i32> = rest[1..]
                .split(|ch: char| !ch.is_ascii_digit())
                .filter(|x| !x.is_empty())
                .filter_map(|x| x.parse().ok())
                .collect();
            let h = *nums.first().unwrap_or(&0);
            let m = *nums.get(1).unwrap_or(&0);
            let secs = h * 3600 + m * 60;
            if sign == '-' {
                -secs
            } else {
                secs
            }
        }
        // "Z" or no offset: read as UTC (PDF leaves it unknown).
        _ => 0,
    };
    let off = FixedOffset::east_opt(offset_secs)?;
    off.from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        let t = parse_pdf_date("D:20220305093015+07'00'").unwrap();
        assert_eq!(vn(t).to_rfc3339(), "2022-03-05T09:30:15+07:00");
        let t = parse_pdf_date("D:20220305023015Z").unwrap();
        assert_eq!(vn(t).to_rfc3339(), "2022-03-05T09:30:15+07:00");
        assert!(parse_pdf_date("D:2022").is_some());
        assert!(parse_pdf_date("garbage").is_none());
    }

    #[test]
    fn garbage_contents_is_a_failed_signature() {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<</Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 80 90 10] /Contents <0000>>>\nendobj\n".to_vec();
        pdf.resize(100, b' ');
        let scan = inspect_signatures(&pdf, None, &TrustAnchors::default(), &Limits::default());
        assert_eq!(scan.signatures.len(), 1);
        let s = &scan.signatures[0];
        assert_eq!(s.intact, Some(false));
        assert_eq!(s.crypto_valid, Some(false));
        assert!(!s.is_sound());
    }

    fn two_signatures() -> (Vec<u8>, lopdf::Document) {
        let spec = samplegen::fixtures::example_spec();
        let t = samplegen::fixtures::default_time(&spec);
        let bytes = samplegen::fixtures::signed(&spec, t).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        (bytes, doc)
    }

    #[test]
    fn max_signatures_is_a_reported_limit() {
        let (bytes, doc) = two_signatures();
        let at = |max_signatures| Limits {
            max_signatures,
            ..Limits::default()
        };
        let all = inspect_signatures(&bytes, Some(&doc), &TrustAnchors::default(), &at(2));
        assert_eq!(all.signatures.len(), 2);
        assert_eq!(all.limit_hit, None);
        for d in [Some(&doc), None] {
            let cut = inspect_signatures(&bytes, d, &TrustAnchors::default(), &at(1));
            assert_eq!(cut.signatures.len(), 1);
            assert!(
                cut.limit_hit
                    .as_deref()
                    .is_some_and(|w| w.contains("max_signatures")),
                "{:?}",
                cut.limit_hit
            );
        }
    }

    #[test]
    fn max_cms_bytes_is_a_reported_limit_not_a_verdict() {
        let (bytes, doc) = two_signatures();
        let small = Limits {
            max_cms_bytes: 64,
            ..Limits::default()
        };
        let scan = inspect_signatures(&bytes, Some(&doc), &TrustAnchors::default(), &small);
        assert_eq!(scan.signatures.len(), 2);
        assert!(scan
            .limit_hit
            .as_deref()
            .is_some_and(|w| w.contains("max_cms_bytes")));
        for s in &scan.signatures {
            // Not parsed: neither failed nor sound.
            assert_eq!(s.intact, None);
            assert_eq!(s.crypto_valid, None);
            assert!(!s.is_sound());
        }
        let ok = inspect_signatures(
            &bytes,
            Some(&doc),
            &TrustAnchors::default(),
            &Limits::default(),
        );
        assert_eq!(ok.limit_hit, None);
        assert!(ok.signatures.iter().all(|s| s.is_sound()));
    }
}
