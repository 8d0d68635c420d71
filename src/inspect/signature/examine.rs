//! Examining one signature, one fn per layer: what the dictionary
//! declares, layout (coverage and later changes), CMS, crypto, who, when,
//! trust. A layer that cannot be established stops the rest (`Stop`), and
//! its notes say why.

use chrono::{DateTime, Utc};

use super::cms::{self, Content, SignedData};
use super::discovery::Candidate;
use super::filehash::Prefixes;
use super::verify::{self, DigestAlg, Verdict};
use super::{algorithms, byterange, cert, parse_pdf_date, revisions, trust, vn, TrustAnchors};
use crate::config::Limits;
use crate::facts::{Coverage, SigType, SignatureFacts, TimeSource, Validity};

/// Handlers seen in the wild; others are reported, not rejected.
const KNOWN_FILTERS: &[&str] = &[
    "Adobe.PPKLite",
    "Adobe.PPKMS",
    "Entrust.PPKEF",
    "CICI.SignIt",
    "VeriSign.PPKVS",
];

fn is_timestamp(c: &Candidate) -> bool {
    c.dict_type.as_deref() == Some("DocTimeStamp")
        || c.sub_filter.as_deref() == Some("ETSI.RFC3161")
}

/// Why examination ended early: the facts gathered so far are the answer
/// (a failed or unparsed signature), and the notes say why.
struct Stop;

/// One fn per layer: layout (coverage and later changes), CMS, crypto,
/// who, when, trust. A layer that cannot be established stops the rest.
pub(super) fn examine(
    bytes: &[u8],
    c: &Candidate,
    trust: &TrustAnchors,
    revisions: &mut revisions::Revisions<'_>,
    limits: &Limits,
    limit_hit: &mut Option<String>,
    prefixes: &Prefixes,
) -> SignatureFacts {
    let mut f = declared(c);
    let signed = layout(&mut f, bytes, c, revisions);
    let _ = verify_cms(&mut f, c, signed, trust, limits, limit_hit, prefixes);
    f
}

/// What the signature dictionary declares, before anything is verified.
fn declared(c: &Candidate) -> SignatureFacts {
    let mut f = SignatureFacts::unknown(c.field.clone());
    f.sub_filter = c.sub_filter.clone();
    f.byte_range = c.byte_range.clone();
    f.reason = c.reason.clone();
    f.location = c.location.clone();
    f.claimed_name = c.name.clone();
    if let Some(filter) = c.filter.as_deref() {
        if !KNOWN_FILTERS.contains(&filter) {
            f.notes.push(format!(
                "signature handler /Filter /{filter} is not a common one"
            ));
        }
    }
    if is_timestamp(c) {
        f.sig_type = SigType::Timestamp;
    }
    if let Some(p) = &c.problem {
        f.notes.push(p.clone());
    }
    f
}

/// Coverage and later modifications: they need only the /ByteRange, not
/// the CMS. Returns the signed byte slices when they are in the file.
fn layout<'b>(
    f: &mut SignatureFacts,
    bytes: &'b [u8],
    c: &Candidate,
    revisions: &mut revisions::Revisions<'_>,
) -> Option<Vec<&'b [u8]>> {
    let layout = c
        .byte_range
        .as_ref()
        .map(|br| byterange::analyse(bytes, br, c.contents.as_deref()));
    match &layout {
        Some(l) => {
            f.coverage = Some(l.coverage);
            f.notes.extend(l.notes.iter().cloned());
        }
        None => {
            f.coverage = Some(Coverage::Unclear);
            f.notes.push("the signature has no /ByteRange".into());
        }
    }
    match layout.as_ref().and_then(|l| l.signed_end) {
        Some(end) => {
            let diff = revisions.compare(end);
            f.modified_after = diff.modified;
            f.changes = diff.changes;
            f.notes.extend(diff.notes);
        }
        None => f.notes.push(
            "modifications after signing cannot be assessed without a regular /ByteRange".into(),
        ),
    }
    layout.as_ref().and_then(|l| l.slices(bytes))
}

fn verify_cms(
    f: &mut SignatureFacts,
    c: &Candidate,
    signed: Option<Vec<&[u8]>>,
    trust: &TrustAnchors,
    limits: &Limits,
    limit_hit: &mut Option<String>,
    prefixes: &Prefixes,
) -> Result<(), Stop> {
    let cms_bytes = cms_bytes(f, c, limits, limit_hit)?;
    let sd = cms::parse(cms_bytes).map_err(|e| fail(f, &e.to_string()))?;
    let Some((si, others)) = sd.signers.split_first() else {
        return Err(fail(f, "the CMS holds no SignerInfo"));
    };
    let sub = c.sub_filter.as_deref().unwrap_or("");
    sub_filter_note(f, sub);
    let in_file = signed.is_some();
    if !in_file {
        f.notes.push(
            "the bytes named by /ByteRange are not in the file, so nothing can be signed".into(),
        );
    }
    let parts: Vec<&[u8]> = signed.unwrap_or_default();
    if !others.is_empty() {
        f.notes.push(format!(
            "the CMS holds {} SignerInfos; the first is reported",
            sd.signers.len()
        ));
    }
    crypto(f, &sd, si, sub, &parts, in_file, prefixes)?;
    other_signers(f, &sd, others, sub, &parts);
    who(f, &sd, si);
    when(f, si, c);
    trust_layer(f, &sd, si, trust);
    Ok(())
}

/// The CMS blob inside /Contents, within `max_cms_bytes`.
fn cms_bytes<'c>(
    f: &mut SignatureFacts,
    c: &'c Candidate,
    limits: &Limits,
    limit_hit: &mut Option<String>,
) -> Result<&'c [u8], Stop> {
    let Some(contents) = c.contents.as_deref() else {
        return Err(fail(f, "the signature has no /Contents hex string"));
    };
    let cms_bytes = cms::trim_padding(contents).map_err(|e| fail(f, &e.to_string()))?;
    if cms_bytes.len() > limits.max_cms_bytes {
        // Not parsed, so not judged: integrity and signature value stay unknown.
        let what = format!(
            "a CMS signature of {} bytes exceeds max_cms_bytes ({})",
            cms_bytes.len(),
            limits.max_cms_bytes
        );
        f.notes.push(format!("{what}; it was not verified"));
        limit_hit.get_or_insert(what);
        return Err(Stop);
    }
    Ok(cms_bytes)
}

fn sub_filter_note(f: &mut SignatureFacts, sub: &str) {
    match sub {
        "adbe.pkcs7.detached" | "ETSI.CAdES.detached" | "ETSI.RFC3161" | "adbe.pkcs7.sha1" => {}
        "" => f
            .notes
            .push("no /SubFilter: the signature was read as a detached CMS signature".into()),
        other => f.notes.push(format!(
            "unsupported /SubFilter {other}: the signature was read as a detached CMS signature"
        )),
    }
}

/// Integrity (the signed bytes match the digest) and the signature value.
fn crypto(
    f: &mut SignatureFacts,
    sd: &SignedData<'_>,
    si: &cms::SignerInfo<'_>,
    sub: &str,
    parts: &[&[u8]],
    in_file: bool,
    prefixes: &Prefixes,
) -> Result<(), Stop> {
    f.algorithms = algorithms::of(si, sd.signer_cert(si));
    if f.sig_type == SigType::Timestamp || sub == "ETSI.RFC3161" {
        check_doc_timestamp(f, sd, parts, in_file);
    } else if sub == "adbe.pkcs7.sha1" {
        let Some(econtent) = sd.econtent.as_deref() else {
            return Err(fail(
                f,
                "adbe.pkcs7.sha1 signature without encapsulated digest",
            ));
        };
        let check = cms::check_signer(sd, si, &Content::Bytes(econtent));
        f.notes.extend(check.notes.iter().cloned());
        let mut h = verify::Hasher::new(DigestAlg::Sha1);
        parts.iter().for_each(|p| h.update(p));
        let doc_ok = in_file && h.finish() == econtent;
        if !doc_ok {
            f.notes
                .push("the encapsulated SHA-1 digest does not match the signed bytes".into());
        }
        f.intact = Some(doc_ok && check.digest_ok == Some(true));
        set_crypto(f, &check.signature, check.digest_ok);
    } else {
        let first = parts.first().and_then(|p| prefixes.state_for(p));
        let check = cms::check_signer(sd, si, &Content::Parts(parts.to_vec(), first));
        f.notes.extend(check.notes.iter().cloned());
        f.intact = check.digest_ok.map(|ok| ok && in_file);
        if check.digest_ok == Some(false) {
            f.notes
                .push("the document bytes do not match the digest the signer signed".into());
        }
        if sd.econtent.is_some() {
            f.intact = Some(false);
            f.notes
                .push("a detached signature must not carry encapsulated content".into());
        }
        set_crypto(f, &check.signature, Some(true));
    }
    Ok(())
}

/// Further SignerInfos are verified and described, not reported as layers.
fn other_signers(
    f: &mut SignatureFacts,
    sd: &SignedData<'_>,
    others: &[cms::SignerInfo<'_>],
    sub: &str,
    parts: &[&[u8]],
) {
    for (i, other) in others.iter().enumerate() {
        let content = match sd.econtent.as_deref() {
            Some(e) if f.sig_type == SigType::Timestamp || sub == "adbe.pkcs7.sha1" => {
                Content::Bytes(e)
            }
            _ => Content::Parts(parts.to_vec(), None),
        };
        let check = cms::check_signer(sd, other, &content);
        f.notes.push(format!(
            "SignerInfo {}: digest {}, signature {}",
            i + 2,
            match check.digest_ok {
                Some(true) => "matches",
                Some(false) => "does not match",
                None => "unknown",
            },
            match check.signature {
                Verdict::Valid => "valid".to_string(),
                Verdict::Invalid(w) | Verdict::Unsupported(w) => w,
            }
        ));
    }
}

fn who(f: &mut SignatureFacts, sd: &SignedData<'_>, si: &cms::SignerInfo<'_>) {
    let Some(cert) = sd.signer_cert(si) else {
        return;
    };
    let subject = cert.subject();
    let issuer = cert.issuer();
    f.signer = subject.get("CN").map(str::to_string);
    f.issuer = issuer.get("CN").map(str::to_string);
    f.signer_subject = Some(subject.to_text());
    f.issuer_subject = Some(issuer.to_text());
    f.kind = cert::signer_kind(&subject);
    f.cert_not_before = cert.not_before.map(vn);
    f.cert_not_after = cert.not_after.map(vn);
}

/// The signing time, best source first: a verified signature timestamp,
/// the signed signingTime attribute, then the dictionary's /M.
fn when(f: &mut SignatureFacts, si: &cms::SignerInfo<'_>, c: &Candidate) {
    if f.signing_time.is_none() {
        if let Some((t, note)) = timestamp_time(si) {
            match t {
                Some(t) => {
                    f.signing_time = Some(vn(t));
                    f.time_source = Some(TimeSource::Timestamp);
                }
                None => f.notes.push(note),
            }
        }
    }
    if f.signing_time.is_none() {
        if let Some(t) = si.signing_time() {
            f.signing_time = Some(vn(t));
            f.time_source = Some(TimeSource::SigningTime);
        }
    }
    if f.signing_time.is_none() {
        if let Some(t) = c.m.as_deref().and_then(parse_pdf_date) {
            f.signing_time = Some(vn(t));
            f.time_source = Some(TimeSource::M);
        }
    }
}

/// The chain to a bundled or declared anchor. With a signing time, each
/// certificate must be valid then (a fact of the file). Without one,
/// inspection does not read the clock: it records the chain's validity
/// window and the check judges it at the evaluation date.
fn trust_layer(
    f: &mut SignatureFacts,
    sd: &SignedData<'_>,
    si: &cms::SignerInfo<'_>,
    trust: &TrustAnchors,
) {
    if trust.is_empty() {
        return;
    }
    match sd.signer_cert(si) {
        Some(cert) => {
            let at = f.signing_time.map(|t| t.with_timezone(&Utc));
            let chain = trust::evaluate(cert, &sd.certs, trust, at);
            f.trusted = chain.trusted();
            f.trust = chain.state;
            f.untrusted_reason = chain.reason;
            f.trust_ca = chain.ca;
            f.chain_sha256 = chain.path_sha256;
            f.revocation = chain.revocation;
            f.notes.extend(chain.notes);
            f.chain_validity = chain.window.map(|(nb, na)| Validity {
                not_before: vn(nb),
                not_after: vn(na),
            });
            if at.is_none() && f.trusted == Some(true) {
                f.notes.push(
                    "the signature carries no time: certificate validity is judged at the evaluation date"
                        .into(),
                );
            }
        }
        None => {
            f.trusted = Some(false);
            f.trust = Some(crate::facts::TrustState::Untrusted);
            f.untrusted_reason = Some(crate::facts::UntrustedReason::NoCertificate);
            f.notes
                .push("untrusted: the signer certificate is not in the signature".into());
        }
    }
}

/// A signature whose value cannot even be read: failed, never skipped.
fn fail(f: &mut SignatureFacts, why: &str) -> Stop {
    f.intact = Some(false);
    f.crypto_valid = Some(false);
    f.notes.push(format!("failed signature: {why}"));
    Stop
}

fn set_crypto(f: &mut SignatureFacts, v: &Verdict, inner_digest_ok: Option<bool>) {
    f.crypto_valid = match v {
        Verdict::Valid => match inner_digest_ok {
            Some(true) => Some(true),
            Some(false) => {
                f.notes
                    .push("the signed attributes do not match the encapsulated content".into());
                Some(false)
            }
            None => None,
        },
        Verdict::Invalid(why) => {
            f.notes.push(format!("signature value invalid: {why}"));
            Some(false)
        }
        Verdict::Unsupported(why) => {
            f.notes.push(format!("signature value not verified: {why}"));
            None
        }
    };
}

/// A document timestamp: intact = message imprint matches the signed
/// bytes; crypto = the TSA's signature over the TSTInfo.
fn check_doc_timestamp(
    f: &mut SignatureFacts,
    sd: &SignedData<'_>,
    parts: &[&[u8]],
    in_file: bool,
) {
    let (Some(si), Some(econtent)) = (sd.signers.first(), sd.econtent.as_deref()) else {
        fail(f, "the timestamp token has no SignerInfo or no TSTInfo");
        return;
    };
    if sd.econtent_type.as_deref() != Some(cms::OID_TST_INFO) {
        f.notes
            .push("the timestamp token's content is not a TSTInfo".into());
    }
    let check = cms::check_signer(sd, si, &Content::Bytes(econtent));
    f.notes.extend(check.notes.iter().cloned());
    set_crypto(f, &check.signature, check.digest_ok);
    match cms::parse_tst_info(econtent) {
        Some(tst) => {
            if let Some(t) = tst.gen_time {
                f.signing_time = Some(vn(t));
                f.time_source = Some(TimeSource::Timestamp);
            }
            match tst.imprint_alg {
                Some(alg) => {
                    let mut h = verify::Hasher::new(alg);
                    parts.iter().for_each(|p| h.update(p));
                    let ok = in_file && h.finish() == tst.imprint;
                    if !ok {
                        f.notes.push(
                            "the timestamp's message imprint does not match the signed bytes"
                                .into(),
                        );
                    }
                    f.intact = Some(ok);
                }
                None => f.notes.push(format!(
                    "timestamp imprint algorithm {} is not supported",
                    tst.imprint_oid
                )),
            }
        }
        None => {
            fail(f, "the TSTInfo is unreadable");
        }
    }
}

/// Time from an RFC 3161 token in the unsigned attributes, if the token's
/// imprint covers this signature value. `None` time comes with a reason.
fn timestamp_time(si: &cms::SignerInfo<'_>) -> Option<(Option<DateTime<Utc>>, String)> {
    let token = si.timestamp_token()?;
    let bad = |why: &str| Some((None, format!("signature timestamp ignored: {why}")));
    let Ok(sd) = cms::parse(token) else {
        return bad("the token is not a CMS SignedData");
    };
    let Some(tst) = sd.econtent.as_deref().and_then(cms::parse_tst_info) else {
        return bad("the token has no readable TSTInfo");
    };
    let Some(alg) = tst.imprint_alg else {
        return bad("unsupported imprint algorithm");
    };
    if verify::digest(alg, &si.signature) != tst.imprint {
        return bad("its imprint does not match this signature value");
    }
    let Some(tsi) = sd.signers.first() else {
        return bad("the token has no SignerInfo");
    };
    let check = cms::check_signer(
        &sd,
        tsi,
        &Content::Bytes(sd.econtent.as_deref().unwrap_or(&[])),
    );
    if check.digest_ok != Some(true) || check.signature != Verdict::Valid {
        return bad("the timestamp authority's signature does not verify");
    }
    Some((tst.gen_time, String::new()))
}
