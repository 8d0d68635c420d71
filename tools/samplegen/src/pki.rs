//! The TEST PKI: a copy of the government (chuyên dùng) hierarchy's shape with TEST names,
//! plus the misfit certificates that failure fixtures sign with.

use crate::der::{self, seq};
use anyhow::{Context, Result};
use chrono::{TimeZone, Utc};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::PrivateKey;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const OID_C: &str = "2.5.4.6";
const OID_L: &str = "2.5.4.7";
const OID_O: &str = "2.5.4.10";
const OID_OU: &str = "2.5.4.11";
const OID_CN: &str = "2.5.4.3";
/// userId; Vietnamese CAs carry CCCD/CMND/MST numbers in it.
const OID_UID: &str = "0.9.2342.19200300.100.1.1";
const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";

pub const ROOT_CN: &str = "TEST RootCA chuyên dùng Chính phủ G2";
pub const SUBCA_CN: &str = "TEST CA phục vụ các cơ quan Nhà nước G2";
pub const CA_ORG: &str = "Ban Cơ yếu Chính phủ (TEST)";
pub const PERSON_NAME: &str = "Nguyễn Văn An";
pub const ORG_NAME: &str = "ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI";

/// A key with its certificate and the CA certificates a signer embeds next to it.
pub struct Identity {
    pub key: PrivateKey,
    /// DER of the certificate.
    pub cert: Vec<u8>,
    /// DER of the issuing CA certificates to embed in CMS (signer's issuer first, root excluded).
    pub chain: Vec<Vec<u8>>,
    /// DER of the issuer Name and the serial number, for the CMS IssuerAndSerialNumber.
    pub issuer_name: Vec<u8>,
    pub serial: Vec<u8>,
    /// Display name for /Name in the signature dictionary.
    pub display_name: String,
}

impl Identity {
    pub fn cert_pem(&self) -> String {
        pem("CERTIFICATE", &self.cert)
    }
}

/// Everything the samples and the failure fixtures sign with. Load once with [`TestPki::get`].
pub struct TestPki {
    pub root: Identity,
    pub subca: Identity,
    /// C=VN, L=Kon Tum, O=UBND tỉnh Kon Tum, OU=UBND huyện Đắk Glei, CN=Nguyễn Văn An, UID=CCCD:…
    pub person: Identity,
    /// C=VN, L=Kon Tum, O=ỦY BAN NHÂN DÂN TỈNH KON TUM, CN=ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI, UID=MST:…
    pub org: Identity,
    /// Issued by the real sub-CA, valid 2015–2019 only.
    pub expired: Identity,
    /// Self-made: names the sub-CA as issuer (and copies its key id) but is signed by its own key.
    pub forged: Identity,
    /// Root of a CA that no trust anchor knows.
    pub unknown_root: Identity,
    /// Signer certificate issued by [`TestPki::unknown_root`].
    pub unknown_signer: Identity,
}

pub(crate) fn key(pem_text: &str) -> PrivateKey {
    PrivateKey::from_pkcs8_pem(pem_text).expect("committed test key parses")
}

pub(crate) struct CertSpec<'a> {
    pub serial: u64,
    pub issuer: &'a [u8],
    pub subject: Vec<u8>,
    pub from: (i32, u32, u32),
    pub to: (i32, u32, u32),
    pub subject_key: &'a PrivateKey,
    pub signing_key: &'a PrivateKey,
    pub authority_key_id: Vec<u8>,
    pub ca: bool,
}

pub(crate) fn name(attrs: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(oid, value)| {
            let v = if *oid == OID_C {
                der::printable(value)
            } else {
                der::utf8(value)
            };
            der::set_of(&[seq(&[der::oid(oid), v])])
        })
        .collect();
    seq(&rdns)
}

pub(crate) fn key_id(k: &PrivateKey) -> Vec<u8> {
    let spki = k.to_public_key().to_public_key_der().expect("spki");
    Sha256::digest(spki.as_bytes())[..20].to_vec()
}

pub(crate) fn sig_alg() -> Vec<u8> {
    seq(&[der::oid(OID_SHA256_RSA), der::null()])
}

/// PKCS#1 v1.5 with SHA-1: only for fixtures that tlkc must refuse.
pub(crate) fn rsa_sign_sha1(k: &PrivateKey, data: &[u8]) -> Vec<u8> {
    let digest = sha1::Sha1::digest(data);
    k.sign(Pkcs1v15Sign::new::<sha1::Sha1>(), &digest)
        .expect("RSA signing")
}

pub(crate) fn rsa_sign(k: &PrivateKey, data: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(data);
    k.sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
        .expect("RSA signing")
}

pub(crate) fn make_cert(s: &CertSpec) -> Vec<u8> {
    let at = |(y, m, d): (i32, u32, u32), end: bool| {
        let (h, mi, se) = if end { (23, 59, 59) } else { (0, 0, 0) };
        der::time(Utc.with_ymd_and_hms(y, m, d, h, mi, se).unwrap())
    };
    let spki = s
        .subject_key
        .to_public_key()
        .to_public_key_der()
        .expect("spki")
        .as_bytes()
        .to_vec();
    let ext = |oid: &str, critical: bool, value: Vec<u8>| {
        let mut parts = vec![der::oid(oid)];
        if critical {
            parts.push(der::boolean(true));
        }
        parts.push(der::octets(&value));
        seq(&parts)
    };
    let basic = if s.ca {
        seq(&[der::boolean(true)])
    } else {
        seq(&[])
    };
    // keyCertSign+cRLSign for CAs; digitalSignature+nonRepudiation for signers.
    let usage = if s.ca {
        der::tlv(0x03, &[1, 0x06])
    } else {
        der::tlv(0x03, &[6, 0xc0])
    };
    let exts = seq(&[
        ext("2.5.29.19", true, basic),
        ext("2.5.29.15", true, usage),
        ext("2.5.29.14", false, der::octets(&key_id(s.subject_key))),
        ext(
            "2.5.29.35",
            false,
            seq(&[der::tlv(0x80, &s.authority_key_id)]),
        ),
    ]);
    let tbs = seq(&[
        der::explicit(0, &der::small_int(2)),
        der::small_int(s.serial),
        sig_alg(),
        s.issuer.to_vec(),
        seq(&[at(s.from, false), at(s.to, true)]),
        s.subject.clone(),
        spki,
        der::explicit(3, &exts),
    ]);
    let sig = rsa_sign(s.signing_key, &tbs);
    seq(&[tbs, sig_alg(), der::bits(&sig)])
}

fn ca_name(cn: &str) -> Vec<u8> {
    name(&[(OID_C, "VN"), (OID_O, CA_ORG), (OID_CN, cn)])
}

impl TestPki {
    /// The shared instance (keys parse once per process).
    pub fn get() -> &'static TestPki {
        static PKI: OnceLock<TestPki> = OnceLock::new();
        PKI.get_or_init(|| TestPki::build().expect("test PKI"))
    }

    fn build() -> Result<TestPki> {
        let root_key = key(include_str!("../testpki/root.key.pem"));
        let subca_key = key(include_str!("../testpki/subca.key.pem"));
        let person_key = key(include_str!("../testpki/person.key.pem"));
        let org_key = key(include_str!("../testpki/org.key.pem"));
        let expired_key = key(include_str!("../testpki/expired.key.pem"));
        let rogue_key = key(include_str!("../testpki/rogue.key.pem"));
        let unk_root_key = key(include_str!("../testpki/unknown-root.key.pem"));
        let unk_signer_key = key(include_str!("../testpki/unknown-signer.key.pem"));

        let root_name = ca_name(ROOT_CN);
        let subca_name = ca_name(SUBCA_CN);
        let unk_name = name(&[
            (OID_C, "VN"),
            (OID_O, "Công ty TNHH Chứng thực Không Rõ (TEST)"),
            (OID_CN, "TEST Unknown CA"),
        ]);
        let valid = ((2020, 1, 1), (2030, 12, 31));

        let ident = |cert: Vec<u8>,
                     key: PrivateKey,
                     chain: Vec<Vec<u8>>,
                     issuer: &[u8],
                     serial: u64,
                     display: &str| Identity {
            key,
            cert,
            chain,
            issuer_name: issuer.to_vec(),
            serial: serial.to_be_bytes().to_vec(),
            display_name: display.to_string(),
        };
        let person_subject = |cn: &str, uid: &str| {
            name(&[
                (OID_C, "VN"),
                (OID_L, "Kon Tum"),
                (OID_O, "UBND tỉnh Kon Tum"),
                (OID_OU, "UBND huyện Đắk Glei"),
                (OID_CN, cn),
                (OID_UID, uid),
            ])
        };

        let root_cert = make_cert(&CertSpec {
            serial: 0x2020_0001,
            issuer: &root_name,
            subject: root_name.clone(),
            from: valid.0,
            to: valid.1,
            subject_key: &root_key,
            signing_key: &root_key,
            authority_key_id: key_id(&root_key),
            ca: true,
        });
        let subca_cert = make_cert(&CertSpec {
            serial: 0x2020_0002,
            issuer: &root_name,
            subject: subca_name.clone(),
            from: valid.0,
            to: valid.1,
            subject_key: &subca_key,
            signing_key: &root_key,
            authority_key_id: key_id(&root_key),
            ca: true,
        });
        let leaf = |serial: u64, subject: Vec<u8>, k: &PrivateKey, from, to| {
            make_cert(&CertSpec {
                serial,
                issuer: &subca_name,
                subject,
                from,
                to,
                subject_key: k,
                signing_key: &subca_key,
                authority_key_id: key_id(&subca_key),
                ca: false,
            })
        };
        let person_cert = leaf(
            0x5410_0001,
            person_subject(PERSON_NAME, "CCCD:062090001234"),
            &person_key,
            valid.0,
            valid.1,
        );
        let org_cert = leaf(
            0x5410_0002,
            name(&[
                (OID_C, "VN"),
                (OID_L, "Kon Tum"),
                (OID_O, "ỦY BAN NHÂN DÂN TỈNH KON TUM"),
                (OID_CN, ORG_NAME),
                (OID_UID, "MST:6100012345"),
            ]),
            &org_key,
            valid.0,
            valid.1,
        );
        let expired_cert = leaf(
            0x5410_0003,
            person_subject("Trần Thị Bình", "CCCD:062185004321"),
            &expired_key,
            (2015, 1, 1),
            (2019, 12, 31),
        );
        let forged_cert = make_cert(&CertSpec {
            serial: 0x5410_0001,
            issuer: &subca_name,
            subject: person_subject(PERSON_NAME, "CCCD:062090001234"),
            from: valid.0,
            to: valid.1,
            subject_key: &rogue_key,
            signing_key: &rogue_key,
            authority_key_id: key_id(&subca_key),
            ca: false,
        });
        let unk_root_cert = make_cert(&CertSpec {
            serial: 0x7777_0001,
            issuer: &unk_name,
            subject: unk_name.clone(),
            from: valid.0,
            to: valid.1,
            subject_key: &unk_root_key,
            signing_key: &unk_root_key,
            authority_key_id: key_id(&unk_root_key),
            ca: true,
        });
        let unk_signer_cert = make_cert(&CertSpec {
            serial: 0x7777_0002,
            issuer: &unk_name,
            subject: person_subject("Lê Văn Cường", "CCCD:062077000111"),
            from: valid.0,
            to: valid.1,
            subject_key: &unk_signer_key,
            signing_key: &unk_root_key,
            authority_key_id: key_id(&unk_root_key),
            ca: false,
        });

        Ok::<_, anyhow::Error>(TestPki {
            root: ident(
                root_cert,
                root_key,
                vec![],
                &root_name,
                0x2020_0001,
                ROOT_CN,
            ),
            subca: ident(
                subca_cert.clone(),
                subca_key,
                vec![],
                &root_name,
                0x2020_0002,
                SUBCA_CN,
            ),
            person: ident(
                person_cert,
                person_key,
                vec![subca_cert.clone()],
                &subca_name,
                0x5410_0001,
                PERSON_NAME,
            ),
            org: ident(
                org_cert,
                org_key,
                vec![subca_cert.clone()],
                &subca_name,
                0x5410_0002,
                ORG_NAME,
            ),
            expired: ident(
                expired_cert,
                expired_key,
                vec![subca_cert.clone()],
                &subca_name,
                0x5410_0003,
                "Trần Thị Bình",
            ),
            forged: ident(
                forged_cert,
                rogue_key,
                vec![subca_cert],
                &subca_name,
                0x5410_0001,
                PERSON_NAME,
            ),
            unknown_root: ident(
                unk_root_cert.clone(),
                unk_root_key,
                vec![],
                &unk_name,
                0x7777_0001,
                "TEST Unknown CA",
            ),
            unknown_signer: ident(
                unk_signer_cert,
                unk_signer_key,
                vec![unk_root_cert],
                &unk_name,
                0x7777_0002,
                "Lê Văn Cường",
            ),
        })
        .context("building test PKI")
    }

    pub fn root_pem(&self) -> String {
        self.root.cert_pem()
    }

    pub fn subca_pem(&self) -> String {
        self.subca.cert_pem()
    }
}

/// PEM with 64-column base64, as openssl writes it.
pub fn pem(label: &str, der: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
