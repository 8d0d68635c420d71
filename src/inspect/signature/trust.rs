//! Trust: a chain from the signer certificate to a bundled or declared
//! anchor, each link checked by name AND by signature, each issuer allowed
//! to issue (basic constraints, key usage), each certificate valid at the
//! signing time, the signer not revoked by a CRL the user gave. A
//! certificate that copies a trusted CA's name but not its key fails the
//! signature check and is reported as not issued by that CA.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::bundle::MissingCa;
use std::sync::{Arc, Mutex};

use super::cert::{Cert, KeyUsage, Name};
use super::crl::Crl;
use super::verify::{self, Verdict};
use super::TrustAnchors;
use crate::facts::{Revocation, RevocationStatus, TrustState, UntrustedReason};

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
    #[error("not an X.509 certificate revocation list (CRL)")]
    NotCrl,
}

/// The PEM blocks of `bytes` (BEGIN line to END line).
pub(super) fn pem_blocks(bytes: &[u8]) -> Result<Vec<&[u8]>, TrustError> {
    const BEGIN: &[u8] = b"-----BEGIN ";
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
        out.push(&block_start[..end_line]);
        rest = &block_start[end_line..];
    }
    Ok(out)
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
    for block in pem_blocks(bytes)? {
        let (label, der) =
            der::pem::decode_vec(block).map_err(|e| TrustError::Pem(e.to_string()))?;
        if label != "CERTIFICATE" && label != "TRUSTED CERTIFICATE" {
            return Err(TrustError::WrongLabel(label.to_string()));
        }
        if Cert::parse(&der).is_none() {
            return Err(TrustError::NotCertificate);
        }
        out.push(der);
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

fn cn(c: &Cert<'_>) -> String {
    c.subject().get("CN").unwrap_or("?").to_string()
}

/// The trust layer of one signature.
#[derive(Debug, Default)]
pub struct Chain {
    /// `None` ("cannot tell"): no anchors, or only pins that no certificate reached.
    pub state: Option<TrustState>,
    pub reason: Option<UntrustedReason>,
    /// The CA the verdict names (missing, copied or unknown).
    pub ca: Option<String>,
    /// SHA-256 of the CA certificates above the signer on a verified chain.
    pub path_sha256: Vec<String>,
    pub revocation: Option<Revocation>,
    pub notes: Vec<String>,
    /// When every certificate of the chain, anchor included, is valid
    /// (latest notBefore, earliest notAfter); `None` without a verified chain.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Chain {
    /// `trusted` of the facts: the chain's verdict as a yes/no/cannot tell.
    pub fn trusted(&self) -> Option<bool> {
        match self.state? {
            TrustState::Trusted => Some(true),
            TrustState::ChainIncomplete => None,
            _ => Some(false),
        }
    }

    fn untrusted(mut self, reason: UntrustedReason, ca: Option<String>, note: String) -> Chain {
        self.state = Some(TrustState::Untrusted);
        self.reason = Some(reason);
        self.ca = ca;
        self.notes.push(note);
        self
    }
}

/// One bundled or declared certificate, read once per run: where its DER ends
/// (what `Cert::parse` takes as the certificate) and its subject name, raw and
/// in comparison form (`Cert::issuer_is`).
struct KnownCert {
    index: usize,
    der_len: usize,
    subject_raw: Vec<u8>,
    subject: Vec<(String, String)>,
}

impl KnownCert {
    /// `None` for DER that does not parse: such a certificate was never a
    /// candidate (the chain builder skips it).
    fn read(index: usize, der: &[u8]) -> Option<KnownCert> {
        let c = Cert::parse(der)?;
        Some(KnownCert {
            index,
            der_len: c.der.len(),
            subject_raw: c.subject_raw.to_vec(),
            subject: c.subject().canonical(),
        })
    }
}

/// The anchors, issuing CAs and pins of a [`TrustAnchors`] read once: before
/// it, every signature parsed every bundled certificate and its name again
/// (≈ 9 % of a cold check's CPU on the e-office bench corpus). Everything here
/// is a pure function of the inputs it keeps a copy of, and it is used only
/// for a `TrustAnchors` equal to them, so it changes no verdict.
struct Prepared {
    certs_der: Vec<Vec<u8>>,
    intermediates_der: Vec<Vec<u8>>,
    pinned_sha256: Vec<String>,
    anchors: Vec<KnownCert>,
    intermediates: Vec<KnownCert>,
    pins: Vec<String>,
}

impl Prepared {
    fn of(trust: &TrustAnchors) -> Prepared {
        let read = |ders: &[Vec<u8>]| {
            ders.iter()
                .enumerate()
                .filter_map(|(i, d)| KnownCert::read(i, d))
                .collect()
        };
        Prepared {
            certs_der: trust.certs_der.clone(),
            intermediates_der: trust.intermediates_der.clone(),
            pinned_sha256: trust.pinned_sha256.clone(),
            anchors: read(&trust.certs_der),
            intermediates: read(&trust.intermediates_der),
            pins: trust
                .pinned_sha256
                .iter()
                .map(|p| normalise_pin(p))
                .collect(),
        }
    }

    fn is_for(&self, trust: &TrustAnchors) -> bool {
        self.certs_der == trust.certs_der
            && self.intermediates_der == trust.intermediates_der
            && self.pinned_sha256 == trust.pinned_sha256
    }

    /// The prepared form of `trust`, built at most once per distinct anchor
    /// set in a run (the last one is kept: one value, bounded memory).
    fn get(trust: &TrustAnchors) -> Arc<Prepared> {
        static LAST: Mutex<Option<Arc<Prepared>>> = Mutex::new(None);
        let last = LAST.lock().ok().and_then(|l| l.clone());
        if let Some(p) = last.filter(|p| p.is_for(trust)) {
            return p;
        }
        let p = Arc::new(Prepared::of(trust));
        if let Ok(mut l) = LAST.lock() {
            *l = Some(p.clone());
        }
        p
    }
}

/// The certificates a chain may use besides the signature's own.
struct Known<'t> {
    trust: &'t TrustAnchors,
    prepared: Arc<Prepared>,
    missing: &'t [MissingCa],
    /// A certificate's DER → whether its SHA-256 is pinned.
    pinned: std::cell::RefCell<Vec<(Vec<u8>, bool)>>,
}

impl<'t> Known<'t> {
    fn new(trust: &'t TrustAnchors) -> Known<'t> {
        Known {
            trust,
            prepared: Prepared::get(trust),
            missing: &trust.missing,
            pinned: Default::default(),
        }
    }

    /// Anchors then issuing CAs, as (DER as parsed, prepared form).
    fn all(&self) -> impl Iterator<Item = (&'t [u8], &KnownCert)> + '_ {
        let p = &*self.prepared;
        let anchors = p
            .anchors
            .iter()
            .map(|k| (&self.trust.certs_der[k.index][..k.der_len], k));
        let intermediates = p
            .intermediates
            .iter()
            .map(|k| (&self.trust.intermediates_der[k.index][..k.der_len], k));
        anchors.chain(intermediates)
    }

    /// No bundled or declared certificate (only pins, or nothing).
    fn has_certificates(&self) -> bool {
        !self.prepared.anchors.is_empty() || !self.prepared.intermediates.is_empty()
    }

    fn is_anchor(&self, c: &Cert<'_>) -> bool {
        self.prepared
            .anchors
            .iter()
            .any(|a| &self.trust.certs_der[a.index][..a.der_len] == c.der)
            || (!self.prepared.pins.is_empty() && self.pinned(c.der))
    }

    /// The certificate's SHA-256 is pinned, hashed once per evaluation: the
    /// chain builder asks about the same certificates at each step.
    /// Remembered by the certificate's bytes (a copy, compared whole), never
    /// by where they lie: the answer must follow the content.
    fn pinned(&self, der: &[u8]) -> bool {
        let known = self
            .pinned
            .borrow()
            .iter()
            .find(|(k, _)| k.as_slice() == der)
            .map(|(_, p)| *p);
        if let Some(p) = known {
            return p;
        }
        let p = self.prepared.pins.contains(&sha256_pin(der));
        self.pinned.borrow_mut().push((der.to_vec(), p));
        p
    }

    /// The bundled or declared certificates named as `child`'s issuer
    /// (`Cert::issuer_is`), anchors first, parsed.
    fn named_issuers(&self, child: &Cert<'_>, issuer: &IssuerName<'_>) -> Vec<Cert<'t>> {
        self.all()
            .filter(|(_, k)| issuer.is(&k.subject_raw, || k.subject.clone()))
            .filter_map(|(der, _)| Cert::parse(der))
            .inspect(|c| debug_assert!(child.issuer_is(c), "same rule as Cert::issuer_is"))
            .collect()
    }

    /// A certificate other than `c` itself carries `c`'s subject name: `c`
    /// copies the name of a bundled or declared CA.
    fn name_taken(&self, c: &Cert<'_>) -> bool {
        let name = c.subject().canonical();
        self.all().any(|(der, k)| der != c.der && k.subject == name)
            || self.missing_named(&cn(c)).is_some()
    }

    fn missing_named(&self, common_name: &str) -> Option<&MissingCa> {
        let wanted = crate::text::fold(common_name);
        self.missing
            .iter()
            .find(|m| crate::text::fold(&m.subject_cn) == wanted)
    }
}

/// A certificate's issuer name, its comparison form computed at most once
/// for all the candidates it is matched against (`Cert::issuer_is`).
struct IssuerName<'c> {
    raw: &'c [u8],
    canonical: std::cell::OnceCell<Vec<(String, String)>>,
}

impl<'c> IssuerName<'c> {
    fn of(c: &Cert<'c>) -> Self {
        IssuerName {
            raw: c.issuer_raw,
            canonical: std::cell::OnceCell::new(),
        }
    }

    /// Same rule as `Cert::issuer_is`: the same bytes, else the same
    /// comparison form.
    fn is(&self, subject_raw: &[u8], subject: impl FnOnce() -> Vec<(String, String)>) -> bool {
        self.raw == subject_raw
            || *self
                .canonical
                .get_or_init(|| Name::parse(self.raw).canonical())
                == subject()
    }
}

/// Judges the chain of `signer` (trust::evaluate's doc: docs/signatures.md,
/// "Trust"). `pool` is the signature's certificates; `at` the signing time
/// (without it no time is judged here, inspection never reads the clock,
/// and the chain's validity `window` is left to the check).
pub fn evaluate(
    signer: &Cert<'_>,
    pool: &[Cert<'_>],
    trust: &TrustAnchors,
    at: Option<DateTime<Utc>>,
) -> Chain {
    let known = Known::new(trust);
    let chain = Chain::default();
    let path = match build_path(signer, pool, &known) {
        Ok(path) => path,
        Err(Stop::Untrusted(reason, ca, note)) => return chain.untrusted(reason, ca, note),
        Err(Stop::Incomplete(missing)) => {
            return Chain {
                state: Some(TrustState::ChainIncomplete),
                notes: vec![format!(
                    "the chain cannot be completed: the issuing CA '{}' is a known government CA whose certificate is not available to tlkc ({}); pass it with --trust-anchor if you have it",
                    missing.subject_cn, missing.published_as
                )],
                ca: Some(missing.subject_cn.clone()),
                ..chain
            }
        }
        Err(Stop::CannotTell(note)) => {
            return Chain {
                notes: vec![note],
                ..chain
            }
        }
    };
    judge_path(&path, trust, at, chain)
}

enum Stop<'m> {
    Untrusted(UntrustedReason, Option<String>, String),
    Incomplete(&'m MissingCa),
    CannotTell(String),
}

/// From the signer up to an anchor, each link matched by name and verified
/// by signature. Candidates by name are tried anchors first, then bundled
/// issuing CAs, then the signature's own certificates, and the first whose
/// key verifies is taken: a home-made CA embedded under a government CA's
/// name is followed only if the government CA's own key does not verify.
fn build_path<'c>(
    signer: &Cert<'c>,
    pool: &[Cert<'c>],
    known: &'c Known<'c>,
) -> Result<Vec<Cert<'c>>, Stop<'c>> {
    let mut path = vec![signer.clone()];
    if !known.is_anchor(signer) && signer.issuer_is(signer) {
        return Err(if known.name_taken(signer) {
            Stop::Untrusted(
                UntrustedReason::CopiesGovernmentCa,
                Some(cn(signer)),
                format!("untrusted: the signer certificate is self-signed and copies the name of the CA '{}': it was not issued by that CA", cn(signer)),
            )
        } else {
            Stop::Untrusted(
                UntrustedReason::SelfSigned,
                None,
                "untrusted: the signer certificate is self-signed (it issued itself; no certification authority vouches for it)".into(),
            )
        });
    }
    for _ in 0..MAX_CHAIN {
        let current = path.last().cloned().unwrap_or_else(|| signer.clone());
        if known.is_anchor(&current) {
            return Ok(path);
        }
        let issuer_cn = current.issuer().get("CN").unwrap_or("?").to_string();
        let issuer = IssuerName::of(&current);
        let official: Vec<Cert<'c>> = known.named_issuers(&current, &issuer);
        let in_file: Vec<&Cert<'c>> = pool
            .iter()
            .filter(|c| {
                !path.iter().any(|p| p.der == c.der)
                    && issuer.is(c.subject_raw, || c.subject().canonical())
            })
            .collect();
        let next = official
            .iter()
            .chain(in_file.iter().copied())
            .find(|c| issued_by(&current, c))
            .map(|c| (*c).clone());
        match next {
            Some(n) if !known.is_anchor(&n) && n.issuer_is(&n) => {
                // A root from the file that nobody declared.
                return Err(if known.name_taken(&n) {
                    Stop::Untrusted(
                        UntrustedReason::CopiesGovernmentCa,
                        Some(cn(&n)),
                        format!("untrusted: the chain ends at a home-made root that copies the name '{}' of a trusted root: it was not issued by the government CA", cn(&n)),
                    )
                } else {
                    Stop::Untrusted(
                        UntrustedReason::UnknownRoot,
                        Some(cn(&n)),
                        format!("untrusted: the chain ends at the root '{}', which is neither in tlkc's builtin bundle nor declared ([trust] anchors, --trust-anchor)", cn(&n)),
                    )
                });
            }
            Some(n) => path.push(n),
            None if !official.is_empty() => {
                let who = cn(&current);
                return Err(Stop::Untrusted(
                    UntrustedReason::CopiesGovernmentCa,
                    Some(issuer_cn.clone()),
                    format!("untrusted: the certificate '{who}' names '{issuer_cn}' as its issuer, but that CA's key did not sign it: it was not issued by the government CA"),
                ));
            }
            None if !in_file.is_empty() => {
                let who = cn(&current);
                return Err(Stop::Untrusted(
                    UntrustedReason::NotIssuedByNamedCa,
                    Some(issuer_cn.clone()),
                    format!("untrusted: the certificate '{who}' names '{issuer_cn}' as its issuer, but the certificate of that name in the signature did not sign it"),
                ));
            }
            None => {
                if let Some(m) = known.missing_named(&issuer_cn) {
                    return Err(Stop::Incomplete(m));
                }
                if !known.has_certificates() {
                    return Err(Stop::CannotTell(
                        "only pinned root fingerprints were given and the root is not embedded: pass the CA certificate with --trust-anchor to decide trust".into(),
                    ));
                }
                return Err(Stop::Untrusted(
                    UntrustedReason::UnknownCa,
                    Some(issuer_cn.clone()),
                    format!("untrusted: issued by '{issuer_cn}', a CA that is neither in the signature, nor in tlkc's builtin bundle, nor declared ([trust] anchors, --trust-anchor)"),
                ));
            }
        }
    }
    Err(Stop::Untrusted(
        UntrustedReason::ChainTooLong,
        None,
        "untrusted: certificate chain too long".into(),
    ))
}

/// A verified path: may each CA issue, was each certificate valid at the
/// signing time, and what do the CRLs say about the signer.
fn judge_path(
    path: &[Cert<'_>],
    trust: &TrustAnchors,
    at: Option<DateTime<Utc>>,
    mut chain: Chain,
) -> Chain {
    if let Some(why) = constraints(path) {
        return chain.untrusted(UntrustedReason::NotAllowedToSign, None, why);
    }
    chain.path_sha256 = path.iter().skip(1).map(|c| sha256_pin(c.der)).collect();
    let mut state = TrustState::Trusted;
    for c in path {
        let (Some(nb), Some(na)) = (c.not_before, c.not_after) else {
            return chain.untrusted(
                UntrustedReason::NotAllowedToSign,
                None,
                format!(
                    "untrusted: the validity of certificate '{}' is unreadable",
                    cn(c)
                ),
            );
        };
        chain.window = Some(match chain.window {
            Some((b, a)) => (b.max(nb), a.min(na)),
            None => (nb, na),
        });
        if state != TrustState::Trusted {
            continue;
        }
        if let Some(t) = at {
            let (when, s) = if t < nb {
                ("not yet valid", TrustState::NotYetValid)
            } else if t > na {
                ("expired", TrustState::Expired)
            } else {
                continue;
            };
            state = s;
            chain.ca = (!std::ptr::eq(c, &path[0])).then(|| cn(c));
            chain.notes.push(format!(
                "certificate '{}' was {when} at the signing time (valid {} to {})",
                cn(c),
                super::vn(nb).format("%d/%m/%Y %H:%M:%S %:z"),
                super::vn(na).format("%d/%m/%Y %H:%M:%S %:z")
            ));
        }
    }
    chain.state = Some(state);
    if let Some(root) = path.last() {
        chain
            .notes
            .push(format!("chain ends at the trusted root '{}'", cn(root)));
    }
    let rev = revocation(path, &trust.crls_der, &mut chain.notes);
    if rev.status == RevocationStatus::Revoked && state == TrustState::Trusted {
        // Without a revocation date or a signing time, nothing shows the
        // signature was made before the revocation.
        let before = match (rev.revoked_at, at) {
            (Some(r), Some(t)) => r.with_timezone(&Utc) <= t,
            _ => true,
        };
        if before {
            chain.state = Some(TrustState::Revoked);
        }
    }
    chain.revocation = Some(rev);
    chain
}

/// Basic constraints and key usage along a verified path (RFC 5280
/// §4.2.1.3, §4.2.1.9): every issuer must be a CA allowed to sign
/// certificates (a bundled or declared anchor is trusted as given, but an
/// extension it does carry must allow it), and the signer's key must be
/// for signatures when its certificate says what it is for.
fn constraints(path: &[Cert<'_>]) -> Option<String> {
    if let Some(ku) = path.first().and_then(|s| s.key_usage) {
        if !ku.has(KeyUsage::DIGITAL_SIGNATURE) && !ku.has(KeyUsage::NON_REPUDIATION) {
            return Some(format!(
                "untrusted: the signer certificate '{}' is not for signing (key usage has neither digitalSignature nor nonRepudiation)",
                cn(&path[0])
            ));
        }
    }
    for (i, ca) in path.iter().enumerate().skip(1) {
        let is_anchor = i == path.len() - 1;
        match ca.basic_constraints {
            Some((true, path_len)) => {
                // CA certificates below this one, the signer excluded.
                let below = i - 1;
                if path_len.is_some_and(|n| below as u32 > n) {
                    return Some(format!(
                        "untrusted: '{}' may have at most {} CA(s) below it (pathLenConstraint), the chain has {below}",
                        cn(ca),
                        path_len.unwrap_or(0)
                    ));
                }
            }
            None if is_anchor => {}
            _ => {
                return Some(format!(
                    "untrusted: '{}' issued a certificate but is not a CA (basic constraints)",
                    cn(ca)
                ))
            }
        }
        if ca
            .key_usage
            .is_some_and(|ku| !ku.has(KeyUsage::KEY_CERT_SIGN))
        {
            return Some(format!(
                "untrusted: '{}' issued a certificate but its key usage does not allow signing certificates (keyCertSign)",
                cn(ca)
            ));
        }
    }
    None
}

/// The signer certificate against the CRLs of its issuing CA, each CRL
/// counted only when that CA's key signed it.
fn revocation(path: &[Cert<'_>], crls: &[Vec<u8>], notes: &mut Vec<String>) -> Revocation {
    let not_checked = Revocation {
        status: RevocationStatus::NotChecked,
        revoked_at: None,
        crl_issued: None,
    };
    let (Some(signer), Some(issuer)) = (path.first(), path.get(1)) else {
        return not_checked;
    };
    if issuer
        .key_usage
        .is_some_and(|ku| !ku.has(KeyUsage::CRL_SIGN))
    {
        if !crls.is_empty() {
            notes.push(format!(
                "the issuing CA '{}' may not sign revocation lists (key usage has no cRLSign): revocation not checked",
                cn(issuer)
            ));
        }
        return not_checked;
    }
    let mut best: Option<Revocation> = None;
    for der in crls {
        let Some(crl) = Crl::parse(der) else {
            continue;
        };
        if !crl.named_issuer_is(issuer) {
            continue;
        }
        if !crl.signed_by(issuer) {
            notes.push(format!(
                "a CRL names '{}' as its issuer but that CA's key did not sign it: it was ignored",
                cn(issuer)
            ));
            continue;
        }
        let issued = crl.this_update.map(super::vn);
        let r = match crl.revocation_of(signer) {
            Some(at) => Revocation {
                status: RevocationStatus::Revoked,
                revoked_at: at.map(super::vn),
                crl_issued: issued,
            },
            None => Revocation {
                status: RevocationStatus::Good,
                revoked_at: None,
                crl_issued: issued,
            },
        };
        // A listing in any genuine CRL wins; else the newest CRL.
        best = Some(match best {
            Some(b) if b.status == RevocationStatus::Revoked => b,
            Some(b) if r.status != RevocationStatus::Revoked && b.crl_issued >= r.crl_issued => b,
            _ => r,
        });
    }
    match best {
        Some(r) => {
            if let (RevocationStatus::Good, Some(t)) = (r.status, r.crl_issued) {
                notes.push(format!(
                    "not revoked according to the CRL of '{}' issued {}",
                    cn(issuer),
                    t.format("%d/%m/%Y %H:%M %:z")
                ));
            }
            r
        }
        None => not_checked,
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
        let anchors = TrustAnchors {
            certs_der: vec![pki.root.cert.clone()],
            ..TrustAnchors::default()
        };
        let at = |y| Some(Utc.with_ymd_and_hms(y, 6, 1, 0, 0, 0).unwrap());
        let chain = |id: &samplegen::Identity, at| {
            let signer = Cert::parse(&id.cert).unwrap();
            let pool: Vec<Cert<'_>> = id.chain.iter().filter_map(|d| Cert::parse(d)).collect();
            let c = evaluate(&signer, &pool, &anchors, at);
            Judged {
                trusted: c.trusted(),
                state: c.state,
                notes: c.notes,
                window: c.window,
            }
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
        assert_eq!(
            chain(&pki.person, at(2035)).state,
            Some(TrustState::Expired)
        );
        assert_eq!(
            chain(&pki.person, at(2019)).state,
            Some(TrustState::NotYetValid)
        );
        // A certificate that expired before its CA began: the window is empty.
        let expired = chain(&pki.expired, None);
        assert_eq!(expired.trusted, Some(true));
        let (from, until) = expired.window.unwrap();
        assert!(until < from);
    }

    struct Judged {
        trusted: Option<bool>,
        state: Option<TrustState>,
        notes: Vec<String>,
        window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    }

    fn judge(id: &samplegen::Identity, trust: &TrustAnchors, y: i32) -> Chain {
        let signer = Cert::parse(&id.cert).unwrap();
        let pool: Vec<Cert<'_>> = id.chain.iter().filter_map(|d| Cert::parse(d)).collect();
        evaluate(
            &signer,
            &pool,
            trust,
            Some(Utc.with_ymd_and_hms(y, 3, 18, 2, 30, 0).unwrap()),
        )
    }

    /// Issue 22: certificates anyone can make, named like the government
    /// CAs of the builtin bundle, are untrusted with the right reason; the
    /// Party's G2 CA, known but missing, makes a chain incomplete.
    #[test]
    fn forgeries_of_the_government_pki_are_untrusted_with_their_reason() {
        let f = samplegen::forgery::Forgeries::get();
        let builtin = TrustAnchors::builtin().unwrap();
        let cases = [
            (
                &f.under_fake_ca,
                TrustState::Untrusted,
                Some(UntrustedReason::CopiesGovernmentCa),
                Some("RootCA chuyên dùng Chính phủ G2"),
            ),
            (
                &f.self_signed,
                TrustState::Untrusted,
                Some(UntrustedReason::SelfSigned),
                None,
            ),
            (
                &f.under_lookalike_ca,
                TrustState::Untrusted,
                Some(UntrustedReason::CopiesGovernmentCa),
                Some("RootCA chuyên dùng Chính phủ G2"),
            ),
            (
                &f.under_party_ca,
                TrustState::ChainIncomplete,
                None,
                Some("CA phục vụ các cơ quan Đảng G2"),
            ),
        ];
        for (id, state, reason, ca) in cases {
            let c = judge(id, &builtin, 2022);
            assert_eq!(c.state, Some(state), "{}: {:?}", id.display_name, c.notes);
            assert_eq!(c.reason, reason, "{:?}", c.notes);
            assert_eq!(c.ca.as_deref(), ca, "{:?}", c.notes);
            assert!(
                c.path_sha256.is_empty(),
                "no verified chain, no fingerprints"
            );
        }
        // The lookalike's own certificate is what fails: its name is the state CA's.
        let c = judge(&f.under_lookalike_ca, &builtin, 2022);
        assert!(
            c.notes[0].contains(
                "'CA phục vụ các cơ quan Nhà nước G2' names 'RootCA chuyên dùng Chính phủ G2'"
            ),
            "{:?}",
            c.notes
        );
        // Declaring the home-made root makes the chain trusted: a verdict follows the keys.
        let mut declared = builtin.clone();
        declared.certs_der.push(f.fake_root.cert.clone());
        assert_eq!(
            judge(&f.under_fake_ca, &declared, 2022).state,
            Some(TrustState::Trusted)
        );
        // The samples' test CA, unknown to the bundle: its root is nobody's anchor.
        let pki = samplegen::TestPki::get();
        let c = judge(&pki.person, &builtin, 2022);
        assert_eq!(c.state, Some(TrustState::Untrusted));
        assert_eq!(c.reason, Some(UntrustedReason::UnknownCa), "{:?}", c.notes);
        let c = judge(&pki.unknown_signer, &builtin, 2022);
        assert_eq!(
            c.reason,
            Some(UntrustedReason::UnknownRoot),
            "{:?}",
            c.notes
        );
        // The test PKI's own forgery (its issuer name copied, its own key).
        let mut test_ca = builtin.clone();
        test_ca.certs_der.push(pki.root.cert.clone());
        let c = judge(&pki.forged, &test_ca, 2022);
        assert_eq!(
            c.reason,
            Some(UntrustedReason::NotIssuedByNamedCa),
            "{:?}",
            c.notes
        );
        let c = judge(&pki.expired, &test_ca, 2022);
        assert_eq!(c.state, Some(TrustState::Expired), "{:?}", c.notes);
        let c = judge(&pki.person, &test_ca, 2022);
        assert_eq!(c.state, Some(TrustState::Trusted), "{:?}", c.notes);
        assert_eq!(
            c.path_sha256,
            [sha256_pin(&pki.subca.cert), sha256_pin(&pki.root.cert)]
        );
    }

    #[test]
    fn a_crl_signed_by_the_issuing_ca_decides_revocation_at_the_signing_time() {
        let pki = samplegen::TestPki::get();
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap();
        let with = |crl: Vec<u8>| TrustAnchors {
            certs_der: vec![pki.root.cert.clone()],
            crls_der: vec![crl],
            ..TrustAnchors::default()
        };
        let revoked_2021 =
            samplegen::crl::make(&pki.subca, &[(&pki.person, at(2021, 6, 1))], at(2023, 1, 1));
        let c = judge(&pki.person, &with(revoked_2021.clone()), 2022);
        assert_eq!(c.state, Some(TrustState::Revoked), "{:?}", c.notes);
        let r = c.revocation.unwrap();
        assert_eq!(r.status, RevocationStatus::Revoked);
        // Revoked after signing: still trusted, the revocation recorded.
        let c = judge(&pki.person, &with(revoked_2021.clone()), 2021);
        assert_eq!(c.state, Some(TrustState::Trusted), "{:?}", c.notes);
        assert_eq!(c.revocation.unwrap().status, RevocationStatus::Revoked);
        // Another holder of the same CA: good per that CRL.
        let c = judge(&pki.org, &with(revoked_2021), 2022);
        assert_eq!(c.revocation.unwrap().status, RevocationStatus::Good);
        // A CRL under the CA's name but signed by another key is ignored.
        let forged = samplegen::crl::make_signed_by(
            &pki.subca,
            &pki.forged,
            &[(&pki.person, at(2021, 6, 1))],
            at(2023, 1, 1),
        );
        let c = judge(&pki.person, &with(forged), 2022);
        assert_eq!(c.state, Some(TrustState::Trusted), "{:?}", c.notes);
        assert_eq!(c.revocation.unwrap().status, RevocationStatus::NotChecked);
        assert!(
            c.notes.iter().any(|n| n.contains("did not sign it")),
            "{:?}",
            c.notes
        );
        // No CRL: not checked.
        let c = judge(
            &pki.person,
            &TrustAnchors {
                certs_der: vec![pki.root.cert.clone()],
                ..TrustAnchors::default()
            },
            2022,
        );
        assert_eq!(c.revocation.unwrap().status, RevocationStatus::NotChecked);
    }

    /// The anchors read once are used only for the anchors they were read
    /// from: changing a `TrustAnchors` in place (or passing another) changes
    /// the verdict as it did when every signature read them again.
    #[test]
    fn prepared_anchors_follow_the_anchors_given() {
        let pki = samplegen::TestPki::get();
        let f = samplegen::forgery::Forgeries::get();
        let mut t = TrustAnchors {
            certs_der: vec![pki.root.cert.clone()],
            ..TrustAnchors::default()
        };
        let p = Prepared::of(&t);
        assert!(p.is_for(&t) && p.is_for(&t.clone()));
        assert_eq!(p.anchors.len(), 1);
        assert_eq!(
            judge(&pki.person, &t, 2022).state,
            Some(TrustState::Trusted)
        );
        // Same count, other certificate: another anchor set.
        t.certs_der[0] = f.fake_root.cert.clone();
        assert!(!p.is_for(&t));
        let c = judge(&pki.person, &t, 2022);
        assert_eq!(c.state, Some(TrustState::Untrusted), "{:?}", c.notes);
        // A trailing byte after the DER: still the same certificate, as before.
        t.certs_der[0] = pki.root.cert.clone();
        t.certs_der[0].push(0);
        assert_eq!(
            judge(&pki.person, &t, 2022).state,
            Some(TrustState::Trusted)
        );
        // Unparseable anchors are skipped; pins alone cannot decide without the root.
        t.certs_der = vec![b"not a certificate".to_vec()];
        t.pinned_sha256 = vec![sha256_pin(&pki.root.cert)];
        let p = Prepared::of(&t);
        assert!(p.anchors.is_empty());
        assert_eq!(p.pins, [sha256_pin(&pki.root.cert)]);
        let c = judge(&pki.person, &t, 2022);
        assert_ne!(c.state, Some(TrustState::Trusted), "{:?}", c.notes);
        // A pinned root embedded in the signature anchors its chain; another pin does not.
        let signer = Cert::parse(&pki.person.cert).unwrap();
        let pool: Vec<Cert<'_>> = pki
            .person
            .chain
            .iter()
            .chain([&pki.root.cert])
            .filter_map(|d| Cert::parse(d))
            .collect();
        let at = Some(Utc.with_ymd_and_hms(2022, 3, 18, 2, 30, 0).unwrap());
        let with_root = |t: &TrustAnchors| evaluate(&signer, &pool, t, at);
        let c = with_root(&t);
        assert_eq!(c.state, Some(TrustState::Trusted), "{:?}", c.notes);
        t.pinned_sha256 = vec![sha256_pin(&pki.subca.cert).to_uppercase()];
        let c = with_root(&t);
        assert_eq!(
            c.state,
            Some(TrustState::Trusted),
            "a pinned sub-CA anchors too"
        );
        assert_eq!(c.path_sha256, [sha256_pin(&pki.subca.cert)]);
        t.pinned_sha256 = vec![sha256_pin(&f.fake_root.cert)];
        let c = with_root(&t);
        assert_eq!(c.state, Some(TrustState::Untrusted), "{:?}", c.notes);
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
