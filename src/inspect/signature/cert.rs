//! X.509 certificates read with the TLV walker: the exact TBS bytes are
//! needed for chain signature checks, and lenient reading keeps odd but
//! real certificates (BMPString names, negative serials) usable.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::asn1::{encode_oid, oid_is, oid_string, Tlv};
use crate::facts::SignerKind;

/// An AlgorithmIdentifier: OID plus raw parameters.
#[derive(Debug, Clone)]
pub struct AlgId<'a> {
    pub oid: String,
    pub params: Option<Tlv<'a>>,
}

impl<'a> AlgId<'a> {
    pub fn parse(t: &Tlv<'a>) -> Option<AlgId<'a>> {
        let mut it = t.children();
        let oid = it.next().filter(|o| o.tag == 0x06)?;
        Some(AlgId {
            oid: oid_string(oid.content)?,
            params: it.next().filter(|p| p.tag != 0x05),
        })
    }
}

/// The parts of a certificate that tlkc uses.
#[derive(Debug, Clone)]
pub struct Cert<'a> {
    pub der: &'a [u8],
    pub tbs: &'a [u8],
    pub serial: &'a [u8],
    pub issuer_raw: &'a [u8],
    pub subject_raw: &'a [u8],
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    /// SubjectPublicKeyInfo algorithm.
    pub key_alg: AlgId<'a>,
    /// The subjectPublicKey BIT STRING content without the unused-bits octet.
    pub key: &'a [u8],
    pub sig_alg: AlgId<'a>,
    pub signature: &'a [u8],
    pub ski: Option<&'a [u8]>,
    /// basicConstraints when present: (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage bits when present (bit 0 = digitalSignature, as in RFC 5280).
    pub key_usage: Option<KeyUsage>,
}

/// The keyUsage BIT STRING, bit 0 first (RFC 5280 §4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub const NON_REPUDIATION: u16 = 1 << 1;
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    pub const CRL_SIGN: u16 = 1 << 6;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

impl<'a> Cert<'a> {
    pub fn parse(der: &'a [u8]) -> Option<Cert<'a>> {
        let outer = Tlv::parse(der).filter(|t| t.tag == 0x30)?;
        let mut it = outer.children();
        let tbs = it.next().filter(|t| t.tag == 0x30)?;
        let sig_alg = AlgId::parse(&it.next()?)?;
        let sig = it.next().filter(|t| t.tag == 0x03)?;
        let mut f = tbs.children().peekable();
        if f.peek().map(|t| t.tag) == Some(0xa0) {
            f.next();
        }
        let serial = f.next().filter(|t| t.tag == 0x02)?;
        let _sig_in_tbs = f.next()?;
        let issuer = f.next().filter(|t| t.tag == 0x30)?;
        let validity = f.next().filter(|t| t.tag == 0x30)?;
        let subject = f.next().filter(|t| t.tag == 0x30)?;
        let spki = f.next().filter(|t| t.tag == 0x30)?;
        let mut ext = Extensions::default();
        for rest in f {
            // [3] EXPLICIT Extensions
            if rest.tag == 0xa3 {
                ext = extensions(&rest);
            }
        }
        let mut v = validity.children();
        let not_before = v.next().and_then(|t| asn1_time(&t));
        let not_after = v.next().and_then(|t| asn1_time(&t));
        let mut k = spki.children();
        let key_alg = AlgId::parse(&k.next()?)?;
        let key = k.next().filter(|t| t.tag == 0x03)?.content.get(1..)?;
        Some(Cert {
            der: outer.raw,
            tbs: tbs.raw,
            serial: serial.content,
            issuer_raw: issuer.raw,
            subject_raw: subject.raw,
            not_before,
            not_after,
            key_alg,
            key,
            sig_alg,
            signature: sig.content.get(1..)?,
            ski: ext.ski,
            basic_constraints: ext.basic_constraints,
            key_usage: ext.key_usage,
        })
    }

    pub fn subject(&self) -> Name {
        Name::parse(self.subject_raw)
    }

    pub fn issuer(&self) -> Name {
        Name::parse(self.issuer_raw)
    }

    /// Issued by a certificate whose subject is `issuer` (same name).
    pub fn issuer_is(&self, issuer: &Cert<'_>) -> bool {
        self.issuer_raw == issuer.subject_raw
            || Name::parse(self.issuer_raw).canonical() == issuer.subject().canonical()
    }

    pub fn matches_serial(&self, serial: &[u8]) -> bool {
        strip_zeros(self.serial) == strip_zeros(serial)
    }
}

fn strip_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| **b == 0).count();
    &s[n.min(s.len().saturating_sub(1))..]
}

#[derive(Default)]
struct Extensions<'a> {
    ski: Option<&'a [u8]>,
    basic_constraints: Option<(bool, Option<u32>)>,
    key_usage: Option<KeyUsage>,
}

enum Ext {
    Ski,
    BasicConstraints,
    KeyUsage,
}

/// DER of subjectKeyIdentifier, basicConstraints, keyUsage.
fn extension_oids() -> &'static [Vec<u8>; 3] {
    static OIDS: std::sync::OnceLock<[Vec<u8>; 3]> = std::sync::OnceLock::new();
    OIDS.get_or_init(|| ["2.5.29.14", "2.5.29.19", "2.5.29.15"].map(encode_oid))
}

/// The extensions tlkc uses: subject key id, basic constraints, key usage.
fn extensions<'a>(exts: &Tlv<'a>) -> Extensions<'a> {
    let mut out = Extensions::default();
    let Some(seq) = exts.children().next() else {
        return out;
    };
    let [ski, bc, ku] = extension_oids();
    for ext in seq.children() {
        let mut it = ext.children();
        // Compared as bytes (see `oid_is`), not as dotted strings.
        let Some(oid) = it.next().map(|o| o.content) else {
            continue;
        };
        let known = if oid_is(oid, ski) {
            Ext::Ski
        } else if oid_is(oid, bc) {
            Ext::BasicConstraints
        } else if oid_is(oid, ku) {
            Ext::KeyUsage
        } else {
            continue;
        };
        let Some(value) = it.find(|t| t.tag == 0x04) else {
            continue;
        };
        let Some(inner) = Tlv::parse(value.content) else {
            continue;
        };
        match known {
            Ext::Ski if inner.tag == 0x04 => out.ski = Some(inner.content),
            Ext::BasicConstraints if inner.tag == 0x30 => {
                let mut ca = false;
                let mut path_len = None;
                for f in inner.children() {
                    match f.tag {
                        0x01 => ca = f.content.first().is_some_and(|b| *b != 0),
                        0x02 if f.content.len() <= 4 => {
                            path_len = Some(f.content.iter().fold(0u32, |a, b| a << 8 | *b as u32))
                        }
                        _ => {}
                    }
                }
                out.basic_constraints = Some((ca, path_len));
            }
            Ext::KeyUsage if inner.tag == 0x03 => {
                let bits = inner.content.get(1..).unwrap_or_default();
                let mut v = 0u16;
                for (i, byte) in bits.iter().take(2).enumerate() {
                    for b in 0..8 {
                        if byte & (0x80 >> b) != 0 {
                            v |= 1 << (i * 8 + b);
                        }
                    }
                }
                out.key_usage = Some(KeyUsage(v));
            }
            _ => {}
        }
    }
    out
}

/// UTCTime or GeneralizedTime.
pub fn asn1_time(t: &Tlv<'_>) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(t.content).ok()?;
    let s = s.trim_end_matches('Z');
    let (full, rest) = match t.tag {
        0x17 => {
            let yy: i32 = s.get(0..2)?.parse().ok()?;
            // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx.
            let century = if yy >= 50 { "19" } else { "20" };
            (format!("{century}{}", s.get(0..12)?), s.get(12..)?)
        }
        0x18 => (s.get(0..14)?.to_string(), s.get(14..)?),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(
        full.get(0..4)?.parse().ok()?,
        full.get(4..6)?.parse().ok()?,
        full.get(6..8)?.parse().ok()?,
    )?;
    let mut dt: NaiveDateTime = date.and_hms_opt(
        full.get(8..10)?.parse().ok()?,
        full.get(10..12)?.parse().ok()?,
        full.get(12..14)?.parse().ok()?,
    )?;
    // Fractional seconds and explicit offsets are rare; honour an offset.
    if let Some(pos) = rest.find(['+', '-']) {
        let off = &rest[pos..];
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let h: i64 = off.get(1..3)?.parse().ok()?;
        let m: i64 = off.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(0);
        dt -= chrono::Duration::minutes(sign * (h * 60 + m));
    }
    Some(dt.and_utc())
}

/// A distinguished name as (short attribute name, value) pairs in order.
#[derive(Debug, Clone, Default)]
pub struct Name {
    pub attrs: Vec<(String, String)>,
}

impl Name {
    pub fn parse(raw: &[u8]) -> Name {
        let mut attrs = Vec::new();
        if let Some(seq) = Tlv::parse(raw) {
            for rdn in seq.children() {
                for atv in rdn.children() {
                    let mut it = atv.children();
                    let (Some(oid), Some(val)) = (it.next(), it.next()) else {
                        continue;
                    };
                    let key = match short_names().get(oid.content) {
                        Some(short) => (*short).to_string(),
                        None => short_name(&oid_string(oid.content).unwrap_or_default()),
                    };
                    attrs.push((key, decode_string(&val)));
                }
            }
        }
        Name { attrs }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Comparison form: RFC 5280 §7.1 asks for case-insensitive,
    /// whitespace-folded matching; exact bytes are tried first by callers.
    pub fn canonical(&self) -> Vec<(String, String)> {
        self.attrs
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase(),
                )
            })
            .collect()
    }

    /// RFC 4514-like text, most significant attribute last as written.
    pub fn to_text(&self) -> String {
        self.attrs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Attribute types with a short name, dotted.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "T"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.4", "SN"),
    ("2.5.4.42", "GN"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "E"),
];

/// The short names by the DER of their attribute type: the minimal
/// encoding of each reads as its dotted form, so this finds what
/// `short_name(oid_string(..))` finds; anything else (padded encodings
/// included) goes the long way.
fn short_names() -> &'static std::collections::HashMap<Vec<u8>, &'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<Vec<u8>, &'static str>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        SHORT_NAMES
            .iter()
            .map(|(dotted, short)| (encode_oid(dotted), *short))
            .collect()
    })
}

fn short_name(oid: &str) -> String {
    match SHORT_NAMES.iter().find(|(dotted, _)| *dotted == oid) {
        Some((_, short)) => (*short).to_string(),
        None => format!("OID.{oid}"),
    }
}

fn decode_string(t: &Tlv<'_>) -> String {
    match t.tag {
        // BMPString
        0x1e => {
            let units: Vec<u16> = t
                .content
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        // UniversalString
        0x1c => t
            .content
            .chunks_exact(4)
            .filter_map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        // TeletexString: treated as Latin-1, as most readers do.
        0x14 => t.content.iter().map(|b| *b as char).collect(),
        _ => String::from_utf8_lossy(t.content).into_owned(),
    }
}

/// Person or organisation, from Vietnamese subject conventions
/// (facts.md §3.3): a personal ID in UID marks a person even inside an
/// organisation; a tax/budget code alone marks an organisation.
pub fn signer_kind(subject: &Name) -> SignerKind {
    let ids: Vec<String> = subject
        .attrs
        .iter()
        .filter(|(k, _)| k == "UID" || k == "organizationIdentifier" || k == "SERIALNUMBER")
        .map(|(_, v)| v.trim().to_uppercase())
        .collect();
    let personal = ["CMND", "CCCD", "HC", "CMT", "PASSPORT"];
    if ids.iter().any(|v| {
        personal
            .iter()
            .any(|p| v.starts_with(&format!("{p}:")) || v.starts_with(&format!("{p}-")))
    }) {
        return SignerKind::Person;
    }
    if ids
        .iter()
        .any(|v| v.starts_with("MST") || v.starts_with("MNS") || v.starts_with("VATVN"))
    {
        return SignerKind::Organization;
    }
    // A bare 9- or 12-digit UID is a CMND/CCCD number written without prefix.
    if ids
        .iter()
        .any(|v| (v.len() == 9 || v.len() == 12) && v.bytes().all(|b| b.is_ascii_digit()))
    {
        return SignerKind::Person;
    }
    vietnamese_name_kind(subject)
}

/// Words that open the name of a Vietnamese state body, folded (no
/// diacritics, lower case).
const ORG_WORDS: &[&str] = &[
    // Only openings no personal name has: common surnames such as Trương,
    // Đoàn, Bàn or Viên fold to "truong", "doan", "ban", "vien".
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "so ",
    "bo ",
    "van phong",
    "cong an",
    "cuc ",
    "tong cuc",
    "chi cuc",
    "phong ",
    "trung tam",
    "cong thong tin",
    "ban quan ly",
    "ban chi",
    "ban to chuc",
    "ban dan toc",
    "cong ty",
    "tong cong ty",
    "tap doan",
    "kho bac",
    "toa an",
    "vien kiem sat",
    "vien nghien cuu",
    "truong dai hoc",
    "truong cao dang",
    "truong trung hoc",
    "truong tieu hoc",
    "truong mam non",
    "truong thpt",
    "truong thcs",
    "benh vien",
    "dang uy",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "mat tran",
    "ngan hang",
    "thanh tra",
    "kiem toan",
    "bo chi huy",
    "bo tu lenh",
    "chinh phu",
    "doan thanh nien",
    "hoi lien hiep",
    "hoi nong dan",
];

/// Government (VGCA) certificates often carry no UID: a unit's certificate
/// has the unit's name as CN (often upper case, or equal to O), a person's
/// has a personal name in title case. Applied to Vietnamese subjects only;
/// anything else stays unknown.
fn vietnamese_name_kind(subject: &Name) -> SignerKind {
    let get = |k: &str| {
        subject
            .attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim())
    };
    if !get("C").is_some_and(|c| c.eq_ignore_ascii_case("VN")) {
        return SignerKind::Unknown;
    }
    let Some(cn) = get("CN") else {
        return SignerKind::Unknown;
    };
    let folded = crate::text::fold(cn);
    let same_as_o = subject
        .attrs
        .iter()
        .any(|(k, v)| (k == "O" || k == "OU") && crate::text::fold(v) == folded);
    let words: Vec<&str> = cn.split_whitespace().collect();
    let letters: Vec<char> = cn.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.len() > 3 && letters.iter().all(|c| c.is_uppercase());
    if same_as_o
        || ORG_WORDS
            .iter()
            .any(|w| format!("{folded} ").starts_with(w))
        || (upper && words.len() >= 2)
    {
        return SignerKind::Organization;
    }
    let title_case = |w: &&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(|c| c.is_uppercase()) && cs.all(|c| c.is_lowercase())
    };
    if (2..=6).contains(&words.len()) && words.iter().all(title_case) {
        return SignerKind::Person;
    }
    SignerKind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(pairs: &[(&str, &str)]) -> Name {
        Name {
            attrs: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(
            signer_kind(&name(&[("UID", "MST:0400260612"), ("CN", "SỞ Y TẾ")])),
            SignerKind::Organization
        );
        assert_eq!(
            signer_kind(&name(&[
                ("UID", "MST:0100686209-199"),
                ("UID", "CCCD:025199009534"),
                ("CN", "Nguyễn Văn A")
            ])),
            SignerKind::Person
        );
        assert_eq!(
            signer_kind(&name(&[("organizationIdentifier", "MST:0319303270")])),
            SignerKind::Organization
        );
        assert_eq!(
            signer_kind(&name(&[("CN", "Lord Testerino")])),
            SignerKind::Unknown
        );
    }

    #[test]
    fn government_certificates_without_uid() {
        let vn = |o: &str, cn: &str| signer_kind(&name(&[("C", "VN"), ("O", o), ("CN", cn)]));
        assert_eq!(vn("BỘ NỘI VỤ", "Nguyễn Văn Hồi"), SignerKind::Person);
        assert_eq!(vn("BỘ NỘI VỤ", "Thang Thi Hạnh"), SignerKind::Person);
        assert_eq!(vn("Bộ Nội vụ", "Bộ Nội vụ"), SignerKind::Organization);
        assert_eq!(
            vn(
                "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
                "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
            ),
            SignerKind::Organization
        );
        assert_eq!(
            vn("Thành phố Hồ Chí Minh", "Sở Tư pháp"),
            SignerKind::Organization
        );
        assert_eq!(
            vn("BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG"),
            SignerKind::Organization
        );
        assert_eq!(
            vn("Văn phòng Chính phủ", "Cổng Thông tin điện tử Chính phủ"),
            SignerKind::Organization
        );
        assert_eq!(vn("X", "nguyen van a 123"), SignerKind::Unknown);
        assert_eq!(vn("UBND TỈNH", "Trương Văn Bảo"), SignerKind::Person);
        assert_eq!(vn("UBND TỈNH", "Đoàn Thị Hà"), SignerKind::Person);
    }

    #[test]
    fn short_names_by_bytes_are_the_short_names_by_dotted_form() {
        for (dotted, short) in SHORT_NAMES {
            let der = encode_oid(dotted);
            assert_eq!(oid_string(&der).as_deref(), Some(*dotted));
            assert_eq!(short_names().get(der.as_slice()), Some(short));
            assert_eq!(short_name(dotted), *short);
        }
        assert_eq!(short_names().len(), SHORT_NAMES.len());
        assert_eq!(short_name("2.5.4.99"), "OID.2.5.4.99");
        // A name whose CN type is written padded (0x80) still reads as CN.
        let name = [
            0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x04, 0x55, 0x80, 0x04, 0x03, 0x0c, 0x01,
            b'A',
        ];
        let n = Name::parse(&name[..name.len()]);
        assert_eq!(n.attrs, [("CN".to_string(), "A".to_string())]);
    }

    #[test]
    fn times() {
        let t = Tlv::parse(b"\x17\x0d200101000000Z").unwrap();
        assert_eq!(
            asn1_time(&t).unwrap().to_rfc3339(),
            "2020-01-01T00:00:00+00:00"
        );
        let t = Tlv::parse(b"\x18\x0f20491231235959Z").unwrap();
        assert_eq!(
            asn1_time(&t).unwrap().to_rfc3339(),
            "2049-12-31T23:59:59+00:00"
        );
    }
}
