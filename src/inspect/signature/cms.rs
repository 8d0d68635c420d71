//! CMS SignedData (RFC 5652) read from the original bytes, and the checks
//! on one SignerInfo: message digest (integrity) and signature value.

use chrono::{DateTime, Utc};

use super::asn1::{oid_string, Tlv};
use super::cert::{asn1_time, AlgId, Cert};
use super::verify::{self, DigestAlg, Verdict};

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const OID_TIMESTAMP_TOKEN: &str = "1.2.840.113549.1.9.16.2.14";
pub const OID_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CmsError {
    #[error("the signature value is empty or all zero bytes")]
    Empty,
    #[error("the signature value is not a DER/BER structure")]
    NotAsn1,
    #[error("the signature value is not a CMS SignedData (content type {0})")]
    NotSignedData(String),
    #[error("the CMS SignedData is malformed: {0}")]
    Malformed(&'static str),
}

#[derive(Debug, Clone)]
pub struct Attr<'a> {
    pub oid: String,
    pub values: Vec<Tlv<'a>>,
}

#[derive(Debug, Clone)]
pub enum Sid<'a> {
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    Ski(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct SignerInfo<'a> {
    pub sid: Sid<'a>,
    pub digest_alg: AlgId<'a>,
    /// The `[0] IMPLICIT` element exactly as encoded.
    pub signed_attrs_raw: Option<&'a [u8]>,
    pub signed_attrs: Vec<Attr<'a>>,
    pub sig_alg: AlgId<'a>,
    pub signature: Vec<u8>,
    pub unsigned_attrs: Vec<Attr<'a>>,
}

#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    pub econtent_type: Option<String>,
    pub econtent: Option<Vec<u8>>,
    pub certs: Vec<Cert<'a>>,
    pub signers: Vec<SignerInfo<'a>>,
}

/// Cuts a zero-padded `/Contents` value to its outer element.
pub fn trim_padding(contents: &[u8]) -> Result<&[u8], CmsError> {
    if contents.iter().all(|b| *b == 0) {
        return Err(CmsError::Empty);
    }
    Tlv::parse(contents).map(|t| t.raw).ok_or(CmsError::NotAsn1)
}

pub fn parse(cms: &[u8]) -> Result<SignedData<'_>, CmsError> {
    let ci = Tlv::parse(cms)
        .filter(|t| t.tag == 0x30)
        .ok_or(CmsError::NotAsn1)?;
    let mut it = ci.children();
    let ct = it
        .next()
        .filter(|t| t.tag == 0x06)
        .and_then(|t| oid_string(t.content))
        .ok_or(CmsError::Malformed("no content type"))?;
    if ct != OID_SIGNED_DATA {
        return Err(CmsError::NotSignedData(ct));
    }
    let explicit = it
        .next()
        .filter(|t| t.tag == 0xa0)
        .ok_or(CmsError::Malformed("no content"))?;
    let sd = explicit
        .children()
        .next()
        .filter(|t| t.tag == 0x30)
        .ok_or(CmsError::Malformed("content is not a SEQUENCE"))?;
    let mut f = sd.children();
    let _version = f
        .next()
        .filter(|t| t.tag == 0x02)
        .ok_or(CmsError::Malformed("no version"))?;
    let _digest_algs = f
        .next()
        .filter(|t| t.tag == 0x31)
        .ok_or(CmsError::Malformed("no digest algorithms"))?;
    let encap = f
        .next()
        .filter(|t| t.tag == 0x30)
        .ok_or(CmsError::Malformed("no encapsulated content info"))?;
    let mut e = encap.children();
    let econtent_type = e
        .next()
        .filter(|t| t.tag == 0x06)
        .and_then(|t| oid_string(t.content));
    let econtent = e
        .next()
        .filter(|t| t.tag == 0xa0)
        .and_then(|t| t.children().next())
        .map(|octets| octets.string_bytes());
    let mut certs = Vec::new();
    let mut signer_set = None;
    for t in f {
        match t.tag {
            0xa0 => {
                for c in t.children() {
                    // Only plain certificates; attribute/other certificates are skipped.
                    if c.tag == 0x30 {
                        if let Some(cert) = Cert::parse(c.raw) {
                            certs.push(cert);
                        }
                    }
                }
            }
            0xa1 => {}
            0x31 => signer_set = Some(t),
            _ => return Err(CmsError::Malformed("unexpected element in SignedData")),
        }
    }
    let signer_set = signer_set.ok_or(CmsError::Malformed("no signer infos"))?;
    let mut signers = Vec::new();
    for si in signer_set.children() {
        signers.push(parse_signer(&si).ok_or(CmsError::Malformed("unreadable SignerInfo"))?);
    }
    if signers.is_empty() {
        return Err(CmsError::Malformed("no SignerInfo"));
    }
    Ok(SignedData {
        econtent_type,
        econtent,
        certs,
        signers,
    })
}

fn parse_attrs<'a>(t: &Tlv<'a>) -> Vec<Attr<'a>> {
    t.children()
        .filter_map(|a| {
            let mut it = a.children();
            let oid = oid_string(it.next()?.content)?;
            let values = it.next()?.children().collect();
            Some(Attr { oid, values })
        })
        .collect()
}

fn parse_signer<'a>(si: &Tlv<'a>) -> Option<SignerInfo<'a>> {
    let mut f = si.children().peekable();
    let _version = f.next().filter(|t| t.tag == 0x02)?;
    let sid_t = f.next()?;
    let sid = match sid_t.tag {
        0x30 => {
            let mut it = sid_t.children();
            let issuer = it.next()?.raw;
            let serial = it.next().filter(|t| t.tag == 0x02)?.content;
            Sid::IssuerSerial { issuer, serial }
        }
        0x80 | 0xa0 => Sid::Ski(sid_t.string_bytes()),
        _ => return None,
    };
    let digest_alg = AlgId::parse(&f.next()?)?;
    let mut signed_attrs_raw = None;
    let mut signed_attrs = Vec::new();
    if f.peek().map(|t| t.tag) == Some(0xa0) {
        let t = f.next()?;
        signed_attrs_raw = Some(t.raw);
        signed_attrs = parse_attrs(&t);
    }
    let sig_alg = AlgId::parse(&f.next()?)?;
    let signature = f.next().filter(|t| t.tag & 0x1f == 0x04)?.string_bytes();
    let unsigned_attrs = f
        .next()
        .filter(|t| t.tag == 0xa1)
        .map(|t| parse_attrs(&t))
        .unwrap_or_default();
    Some(SignerInfo {
        sid,
        digest_alg,
        signed_attrs_raw,
        signed_attrs,
        sig_alg,
        signature,
        unsigned_attrs,
    })
}

impl<'a> SignedData<'a> {
    /// The certificate a SignerInfo names.
    pub fn signer_cert(&self, si: &SignerInfo<'_>) -> Option<&Cert<'a>> {
        self.certs.iter().find(|c| match &si.sid {
            Sid::IssuerSerial { issuer, serial } => {
                c.matches_serial(serial)
                    && (c.issuer_raw == *issuer
                        || super::cert::Name::parse(c.issuer_raw).canonical()
                            == super::cert::Name::parse(issuer).canonical())
            }
            Sid::Ski(ski) => c.ski == Some(ski.as_slice()),
        })
    }
}

impl SignerInfo<'_> {
    fn attr(&self, oid: &str) -> Option<&Attr<'_>> {
        self.signed_attrs.iter().find(|a| a.oid == oid)
    }

    pub fn message_digest(&self) -> Option<Vec<u8>> {
        let v = self.attr(OID_MESSAGE_DIGEST)?.values.first()?;
        (v.tag & 0x1f == 0x04).then(|| v.string_bytes())
    }

    pub fn signing_time(&self) -> Option<DateTime<Utc>> {
        asn1_time(self.attr(OID_SIGNING_TIME)?.values.first()?)
    }

    /// The RFC 3161 token in the unsigned attributes, as raw ContentInfo.
    pub fn timestamp_token(&self) -> Option<&[u8]> {
        self.unsigned_attrs
            .iter()
            .find(|a| a.oid == OID_TIMESTAMP_TOKEN)?
            .values
            .first()
            .map(|t| t.raw)
    }
}

/// What one SignerInfo check found.
#[derive(Debug, Clone)]
pub struct SignerCheck {
    /// The content digest equals messageDigest (`None`: cannot tell).
    pub digest_ok: Option<bool>,
    pub signature: Verdict,
    pub notes: Vec<String>,
}

/// The data a SignerInfo signs: detached bytes (given as parts, to avoid
/// copying the file) or the encapsulated content.
pub enum Content<'b> {
    /// The parts, and the SHA-256 state after exactly the first part when
    /// the file hash kept it (see `inspect::signature::filehash`).
    Parts(Vec<&'b [u8]>, Option<&'b sha2::Sha256>),
    Bytes(&'b [u8]),
}

impl Content<'_> {
    pub fn digest(&self, alg: DigestAlg) -> Vec<u8> {
        if let (DigestAlg::Sha256, Content::Parts(p, Some(first))) = (alg, self) {
            let mut h = verify::Hasher::Sha256((*first).clone());
            p.iter().skip(1).for_each(|s| h.update(s));
            return h.finish();
        }
        let mut h = verify::Hasher::new(alg);
        match self {
            Content::Parts(p, _) => p.iter().for_each(|s| h.update(s)),
            Content::Bytes(b) => h.update(b),
        }
        h.finish()
    }

    fn concat(&self) -> Vec<u8> {
        match self {
            Content::Parts(p, _) => p.concat(),
            Content::Bytes(b) => b.to_vec(),
        }
    }
}

/// Checks one SignerInfo of `sd` against `content`.
pub fn check_signer(
    sd: &SignedData<'_>,
    si: &SignerInfo<'_>,
    content: &Content<'_>,
) -> SignerCheck {
    let mut notes = Vec::new();
    let digest_alg = DigestAlg::from_oid(&si.digest_alg.oid);
    let Some(cert) = sd.signer_cert(si) else {
        let digest_ok = match (digest_alg, si.message_digest()) {
            (Some(alg), Some(md)) => Some(content.digest(alg) == md),
            _ => None,
        };
        return SignerCheck {
            digest_ok,
            signature: Verdict::Unsupported(
                "the signer's certificate is not included in the signature".into(),
            ),
            notes,
        };
    };
    // RFC 8419 §3: EdDSA in CMS fixes the message digest algorithm.
    let eddsa_policy = match si.sig_alg.oid.as_str() {
        "1.3.101.112" if digest_alg != Some(DigestAlg::Sha512) => {
            Some("Ed25519 in CMS requires SHA-512 as the digest algorithm")
        }
        "1.3.101.113" if digest_alg != Some(DigestAlg::Shake256) => {
            Some("Ed448 in CMS requires SHAKE256 as the digest algorithm")
        }
        _ => None,
    };
    match si.signed_attrs_raw {
        Some(raw) => {
            let digest_ok = match (digest_alg, si.message_digest()) {
                (Some(alg), Some(md)) => Some(content.digest(alg) == md),
                (None, _) => {
                    notes.push(format!(
                        "digest algorithm {} is not supported",
                        si.digest_alg.oid
                    ));
                    None
                }
                (_, None) => {
                    notes.push("the signed attributes carry no message digest".into());
                    Some(false)
                }
            };
            // The signature covers the attributes as a SET OF (tag 0x31),
            // not as the [0] IMPLICIT field they are stored in.
            let mut msg = raw.to_vec();
            msg[0] = 0x31;
            let mut signature = verify::verify(
                &cert.key_alg,
                cert.key,
                &si.sig_alg,
                digest_alg,
                &msg,
                &si.signature,
            );
            if let (Some(why), Verdict::Valid) = (eddsa_policy, &signature) {
                signature = Verdict::Invalid(why.into());
            }
            SignerCheck {
                digest_ok,
                signature,
                notes,
            }
        }
        None => {
            let data = content.concat();
            let mut signature = verify::verify(
                &cert.key_alg,
                cert.key,
                &si.sig_alg,
                digest_alg,
                &data,
                &si.signature,
            );
            if let (Some(why), Verdict::Valid) = (eddsa_policy, &signature) {
                signature = Verdict::Invalid(why.into());
            }
            // Without signed attributes the signature is over the content
            // itself: a valid signature proves integrity, a failure cannot
            // say which of the two broke.
            let digest_ok = match signature {
                Verdict::Valid => Some(true),
                _ => None,
            };
            if digest_ok.is_none() {
                notes.push(
                    "no signed attributes: integrity cannot be told apart from the signature check"
                        .into(),
                );
            }
            SignerCheck {
                digest_ok,
                signature,
                notes,
            }
        }
    }
}

/// RFC 3161 TSTInfo fields tlkc uses.
#[derive(Debug, Clone)]
pub struct TstInfo {
    pub imprint_alg: Option<DigestAlg>,
    pub imprint_oid: String,
    pub imprint: Vec<u8>,
    pub gen_time: Option<DateTime<Utc>>,
}

pub fn parse_tst_info(der: &[u8]) -> Option<TstInfo> {
    let seq = Tlv::parse(der).filter(|t| t.tag == 0x30)?;
    let mut f = seq.children();
    let _version = f.next()?;
    let _policy = f.next()?;
    let mi = f.next().filter(|t| t.tag == 0x30)?;
    let mut m = mi.children();
    let alg = AlgId::parse(&m.next()?)?;
    let imprint = m.next().filter(|t| t.tag == 0x04)?.content.to_vec();
    let _serial = f.next()?;
    let gen_time = f.next().and_then(|t| asn1_time(&t));
    Some(TstInfo {
        imprint_alg: DigestAlg::from_oid(&alg.oid),
        imprint_oid: alg.oid,
        imprint,
        gen_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_garbage() {
        assert_eq!(trim_padding(&[0, 0, 0]), Err(CmsError::Empty));
        assert_eq!(trim_padding(&[]), Err(CmsError::Empty));
        assert_eq!(trim_padding(&[0x30, 0x01, 0x05, 0, 0]).unwrap().len(), 3);
        assert_eq!(trim_padding(&[0xde, 0xad]), Err(CmsError::NotAsn1));
        assert!(matches!(
            parse(&[0x30, 0x03, 0x02, 0x01, 0x05]),
            Err(CmsError::Malformed(_))
        ));
    }
}
