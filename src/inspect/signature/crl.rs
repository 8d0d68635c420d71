//! Certificate revocation lists (RFC 5280 §5), read offline from files the
//! user gives (`--crl`, `[trust] crls`). tlkc never fetches one: the network
//! is not part of a check. A CRL counts only when its signature verifies
//! under the issuing CA certificate of the chain being judged.

use chrono::{DateTime, Utc};

use super::asn1::Tlv;
use super::cert::{asn1_time, AlgId, Cert};
use super::trust::TrustError;
use super::verify::{self, Verdict};

/// The parts of a CRL that tlkc uses.
#[derive(Debug, Clone)]
pub struct Crl<'a> {
    pub tbs: &'a [u8],
    pub sig_alg: AlgId<'a>,
    pub signature: &'a [u8],
    pub issuer_raw: &'a [u8],
    pub this_update: Option<DateTime<Utc>>,
    /// (serial number content octets, revocation date).
    pub revoked: Vec<(&'a [u8], Option<DateTime<Utc>>)>,
}

impl<'a> Crl<'a> {
    pub fn parse(der: &'a [u8]) -> Option<Crl<'a>> {
        let outer = Tlv::parse(der).filter(|t| t.tag == 0x30)?;
        let mut it = outer.children();
        let tbs = it.next().filter(|t| t.tag == 0x30)?;
        let sig_alg = AlgId::parse(&it.next()?)?;
        let sig = it.next().filter(|t| t.tag == 0x03)?;
        let mut f = tbs.children().peekable();
        // version INTEGER OPTIONAL (v2)
        if f.peek().map(|t| t.tag) == Some(0x02) {
            f.next();
        }
        let _alg = f.next().filter(|t| t.tag == 0x30)?;
        let issuer = f.next().filter(|t| t.tag == 0x30)?;
        let this_update = f.next().and_then(|t| asn1_time(&t));
        let mut revoked = Vec::new();
        for rest in f {
            // nextUpdate (a time) and crlExtensions ([0]) are not needed.
            if rest.tag == 0x30 {
                for entry in rest.children() {
                    let mut e = entry.children();
                    let serial = e.next().filter(|t| t.tag == 0x02)?;
                    let date = e.next().and_then(|t| asn1_time(&t));
                    revoked.push((serial.content, date));
                }
            }
        }
        Some(Crl {
            tbs: tbs.raw,
            sig_alg,
            signature: sig.content.get(1..)?,
            issuer_raw: issuer.raw,
            this_update,
            revoked,
        })
    }

    /// Issued (by name) by `ca`.
    pub fn named_issuer_is(&self, ca: &Cert<'_>) -> bool {
        self.issuer_raw == ca.subject_raw
            || super::cert::Name::parse(self.issuer_raw).canonical() == ca.subject().canonical()
    }

    /// The CRL's signature verifies under `ca`'s key.
    pub fn signed_by(&self, ca: &Cert<'_>) -> bool {
        verify::verify(
            &ca.key_alg,
            ca.key,
            &self.sig_alg,
            None,
            self.tbs,
            self.signature,
        ) == Verdict::Valid
    }

    /// When `cert` was revoked, if this CRL lists it.
    pub fn revocation_of(&self, cert: &Cert<'_>) -> Option<Option<DateTime<Utc>>> {
        self.revoked
            .iter()
            .find(|(serial, _)| cert.matches_serial(serial))
            .map(|(_, at)| *at)
    }
}

/// CRLs from PEM (`X509 CRL` blocks) or one DER CRL; anything else is an error.
pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
    let ders = if memchr::memmem::find(bytes, b"-----BEGIN ").is_some() {
        let mut out = Vec::new();
        for block in super::trust::pem_blocks(bytes)? {
            let (label, der) =
                der::pem::decode_vec(block).map_err(|e| TrustError::Pem(e.to_string()))?;
            if label != "X509 CRL" {
                return Err(TrustError::WrongLabel(label.to_string()));
            }
            out.push(der);
        }
        out
    } else {
        vec![bytes.to_vec()]
    };
    if ders.is_empty() {
        return Err(TrustError::Empty);
    }
    for d in &ders {
        let crl = Crl::parse(d).ok_or(TrustError::NotCrl)?;
        if Tlv::parse(d).map(|t| t.raw.len()) != Some(d.len()) || crl.this_update.is_none() {
            return Err(TrustError::NotCrl);
        }
    }
    Ok(ders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_crl() {
        assert_eq!(from_pem_or_der(b"hello"), Err(TrustError::NotCrl));
        let pki = samplegen::TestPki::get();
        // A certificate is not a CRL, in DER or PEM.
        assert_eq!(from_pem_or_der(&pki.root.cert), Err(TrustError::NotCrl));
        assert!(matches!(
            from_pem_or_der(pki.root_pem().as_bytes()),
            Err(TrustError::WrongLabel(_))
        ));
    }

    #[test]
    fn reads_a_generated_crl_and_its_issuer() {
        let pki = samplegen::TestPki::get();
        let at = |y, m, d| chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, d, 0, 0, 0).unwrap();
        let der =
            samplegen::crl::make(&pki.subca, &[(&pki.person, at(2022, 3, 1))], at(2022, 4, 1));
        let pem = samplegen::pki::pem("X509 CRL", &der);
        assert_eq!(from_pem_or_der(pem.as_bytes()).unwrap(), vec![der.clone()]);
        let crl = Crl::parse(&der).unwrap();
        let subca = Cert::parse(&pki.subca.cert).unwrap();
        let root = Cert::parse(&pki.root.cert).unwrap();
        assert!(crl.named_issuer_is(&subca) && crl.signed_by(&subca));
        assert!(!crl.signed_by(&root));
        let person = Cert::parse(&pki.person.cert).unwrap();
        let org = Cert::parse(&pki.org.cert).unwrap();
        assert_eq!(crl.revocation_of(&person), Some(Some(at(2022, 3, 1))));
        assert_eq!(crl.revocation_of(&org), None);
    }
}
