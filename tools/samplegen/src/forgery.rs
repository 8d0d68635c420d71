//! Forgeries of the government PKI: certificates anyone can make in a minute, carrying
//! the exact names of the government CAs in tlkc's builtin trust bundle (`trust/` at the
//! repository root). tlkc must judge every signature made with them untrusted, with the
//! right reason; the keys are the committed test keys, so nothing here is a secret.

use std::sync::OnceLock;

use crate::der;
use crate::pki::{key, key_id, make_cert, name, CertSpec, Identity};

const OID_C: &str = "2.5.4.6";
const OID_L: &str = "2.5.4.7";
const OID_O: &str = "2.5.4.10";
const OID_CN: &str = "2.5.4.3";
const OID_UID: &str = "0.9.2342.19200300.100.1.1";

/// The commune whose name the forged signer certificates carry.
pub const COMMUNE: &str = "ỦY BAN NHÂN DÂN XÃ ĐẮK MÔN";

pub struct Forgeries {
    /// Home-made root whose subject is byte for byte that of "RootCA chuyên dùng Chính phủ G2".
    pub fake_root: Identity,
    /// Home-made CA whose subject is that of "CA phục vụ các cơ quan Nhà nước G2", under `fake_root`.
    pub fake_ca: Identity,
    /// The commune, under `fake_ca`; the signature embeds `fake_ca` and `fake_root`.
    pub under_fake_ca: Identity,
    /// The commune, self-signed.
    pub self_signed: Identity,
    /// An intermediate with the state CA's exact name but another key, naming the
    /// genuine G2 root as its issuer.
    pub lookalike_ca: Identity,
    /// The commune, under `lookalike_ca` (embedded, no root).
    pub under_lookalike_ca: Identity,
    /// Not a forgery: a signer whose issuer is named "CA phục vụ các cơ quan Đảng G2", the
    /// known government CA whose certificate tlkc lacks, without that CA embedded. Its
    /// verdict can only be "chain incomplete".
    pub under_party_ca: Identity,
}

/// The Party's G2 issuing CA, as its holders' certificates name it.
pub const PARTY_CA: &str = "CA phục vụ các cơ quan Đảng G2";

fn subject_of(pem: &str) -> Vec<u8> {
    der::from_pem(pem)
        .and_then(|d| der::cert_subject(&d))
        .expect("bundled certificate has a subject")
}

impl Forgeries {
    pub fn get() -> &'static Forgeries {
        static F: OnceLock<Forgeries> = OnceLock::new();
        F.get_or_init(Forgeries::build)
    }

    fn build() -> Forgeries {
        let root_name = subject_of(include_str!("../../../trust/g2-root.pem"));
        let ca_name = subject_of(include_str!("../../../trust/g2-nha-nuoc.pem"));
        let root_key = || key(include_str!("../testpki/unknown-root.key.pem"));
        let ca_key = || key(include_str!("../testpki/rogue.key.pem"));
        let signer_key = || key(include_str!("../testpki/unknown-signer.key.pem"));
        let commune = name(&[
            (OID_C, "VN"),
            (OID_L, "Kon Tum"),
            (OID_O, "ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI"),
            (OID_CN, COMMUNE),
            (OID_UID, "MST:6100099999"),
        ]);
        let valid = ((2020, 1, 1), (2030, 12, 31));
        let spec = |serial, issuer: &[u8], subject: Vec<u8>, subject_key, signing_key, ca| {
            make_cert(&CertSpec {
                serial,
                issuer,
                subject,
                from: valid.0,
                to: valid.1,
                subject_key,
                signing_key,
                authority_key_id: key_id(signing_key),
                ca,
            })
        };
        let ident =
            |cert: Vec<u8>, key, chain, issuer: &[u8], serial: u64, display: &str| Identity {
                key,
                cert,
                chain,
                issuer_name: issuer.to_vec(),
                serial: serial.to_be_bytes().to_vec(),
                display_name: display.to_string(),
            };
        let (rk, ck, sk) = (root_key(), ca_key(), signer_key());
        let fake_root = spec(0x6600_0001, &root_name, root_name.clone(), &rk, &rk, true);
        let fake_ca = spec(0x6600_0002, &root_name, ca_name.clone(), &ck, &rk, true);
        let under_fake_ca = spec(0x6600_0003, &ca_name, commune.clone(), &sk, &ck, false);
        let self_signed = spec(0x6600_0004, &commune, commune.clone(), &ck, &ck, false);
        let lookalike = spec(0x6600_0005, &root_name, ca_name.clone(), &ck, &ck, true);
        let under_lookalike = spec(0x6600_0006, &ca_name, commune.clone(), &sk, &ck, false);
        let party_name = name(&[
            (OID_C, "VN"),
            (OID_O, "Ban Cơ yếu Chính phủ"),
            (OID_CN, PARTY_CA),
        ]);
        let party_signer = name(&[
            (OID_C, "VN"),
            (OID_L, "Kon Tum"),
            (OID_O, "HUYỆN ỦY ĐẮK GLEI"),
            (OID_CN, "VĂN PHÒNG HUYỆN ỦY ĐẮK GLEI"),
        ]);
        let under_party = spec(0x6600_0007, &party_name, party_signer, &sk, &ck, false);
        Forgeries {
            under_party_ca: ident(
                under_party,
                signer_key(),
                vec![],
                &party_name,
                0x6600_0007,
                "VĂN PHÒNG HUYỆN ỦY ĐẮK GLEI",
            ),
            fake_root: ident(
                fake_root.clone(),
                root_key(),
                vec![],
                &root_name,
                0x6600_0001,
                "RootCA",
            ),
            fake_ca: ident(
                fake_ca.clone(),
                ca_key(),
                vec![fake_root.clone()],
                &root_name,
                0x6600_0002,
                "CA",
            ),
            under_fake_ca: ident(
                under_fake_ca,
                signer_key(),
                vec![fake_ca, fake_root],
                &ca_name,
                0x6600_0003,
                COMMUNE,
            ),
            self_signed: ident(
                self_signed,
                ca_key(),
                vec![],
                &commune,
                0x6600_0004,
                COMMUNE,
            ),
            lookalike_ca: ident(
                lookalike.clone(),
                ca_key(),
                vec![],
                &root_name,
                0x6600_0005,
                "CA",
            ),
            under_lookalike_ca: ident(
                under_lookalike,
                signer_key(),
                vec![lookalike],
                &ca_name,
                0x6600_0006,
                COMMUNE,
            ),
        }
    }
}
