//! A minimal BER/DER TLV walker.
//!
//! The `der` crate re-sorts SET OF on decode and hides original encodings;
//! signature checks need the exact bytes that were signed (signed
//! attributes, TBSCertificate), so those are located with this walker.

/// One TLV element borrowed from its input.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    /// First identifier octet (class, constructed bit, low tag number).
    pub tag: u8,
    /// The whole element: header, content and end-of-contents octets.
    pub raw: &'a [u8],
    /// The content octets (for indefinite length: without the `00 00`).
    pub content: &'a [u8],
}

/// Deepest nesting followed when measuring indefinite-length elements;
/// hostile input must not recurse without bound.
const MAX_DEPTH: u32 = 64;

impl<'a> Tlv<'a> {
    /// Reads the element at the start of `input`.
    pub fn parse(input: &'a [u8]) -> Option<Tlv<'a>> {
        parse_at(input, 0)
    }

    /// The elements inside a constructed element.
    pub fn children(&self) -> Children<'a> {
        Children { rest: self.content }
    }

    pub fn is_constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }

    /// Content of a primitive element, or the concatenated content of a
    /// BER constructed string (OCTET STRING split into chunks).
    pub fn string_bytes(&self) -> Vec<u8> {
        if !self.is_constructed() {
            return self.content.to_vec();
        }
        let mut out = Vec::new();
        for c in self.children() {
            out.extend_from_slice(&c.string_bytes());
        }
        out
    }
}

fn parse_at(input: &[u8], depth: u32) -> Option<Tlv<'_>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let tag = *input.first()?;
    let mut pos = 1;
    if tag & 0x1f == 0x1f {
        // High tag number form: skip the continuation octets.
        loop {
            let b = *input.get(pos)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if pos > 6 {
                return None;
            }
        }
    }
    let first = *input.get(pos)?;
    pos += 1;
    if first == 0x80 {
        if tag & 0x20 == 0 {
            return None;
        }
        // Indefinite length: walk the children up to end-of-contents.
        let start = pos;
        loop {
            if input.get(pos..pos + 2)? == [0, 0] {
                return Some(Tlv {
                    tag,
                    raw: &input[..pos + 2],
                    content: &input[start..pos],
                });
            }
            let child = parse_at(&input[pos..], depth + 1)?;
            pos += child.raw.len();
        }
    }
    let len = if first & 0x80 == 0 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for _ in 0..n {
            len = (len << 8) | *input.get(pos)? as usize;
            pos += 1;
        }
        len
    };
    let end = pos.checked_add(len)?;
    let content = input.get(pos..end)?;
    Some(Tlv {
        tag,
        raw: &input[..end],
        content,
    })
}

/// Iterator over the elements of a constructed element.
pub struct Children<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Children<'a> {
    type Item = Tlv<'a>;

    fn next(&mut self) -> Option<Tlv<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let t = parse_at(self.rest, 0)?;
        self.rest = &self.rest[t.raw.len()..];
        Some(t)
    }
}

/// The OIDs every signature carries (CMS structure and attributes, RSA/ECDSA
/// and digest algorithms, certificate extensions): their dotted form is
/// looked up instead of computed. Turning OIDs into strings one arc at a
/// time was ≈ 6 % of a cold check's CPU on the e-office bench corpus.
const COMMON_OIDS: &[&str] = &[
    "1.2.840.113549.1.7.1",
    "1.2.840.113549.1.7.2",
    "1.2.840.113549.1.9.3",
    "1.2.840.113549.1.9.4",
    "1.2.840.113549.1.9.5",
    "1.2.840.113549.1.9.15",
    "1.2.840.113549.1.9.16.1.4",
    "1.2.840.113549.1.9.16.2.12",
    "1.2.840.113549.1.9.16.2.14",
    "1.2.840.113549.1.9.16.2.47",
    "1.2.840.113549.1.9.52",
    "1.2.840.113549.1.1.1",
    "1.2.840.113549.1.1.5",
    "1.2.840.113549.1.1.10",
    "1.2.840.113549.1.1.11",
    "1.2.840.113549.1.1.12",
    "1.2.840.113549.1.1.13",
    "1.2.840.113549.1.1.14",
    "1.3.14.3.2.26",
    "2.16.840.1.101.3.4.2.1",
    "2.16.840.1.101.3.4.2.2",
    "2.16.840.1.101.3.4.2.3",
    "1.2.840.10045.2.1",
    "1.2.840.10045.3.1.7",
    "1.2.840.10045.4.3.2",
    "1.2.840.10045.4.3.3",
    "1.3.132.0.34",
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.31",
    "2.5.29.32",
    "2.5.29.35",
    "2.5.29.37",
    "1.3.6.1.5.5.7.1.1",
];

/// The DER content octets of a dotted OID (first two arcs as X.690 §8.19.4
/// combines them). Only for tlkc's own constants: a malformed `dotted`
/// yields bytes that match nothing real.
pub fn encode_oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut out = Vec::new();
    let Some((&a, rest)) = arcs.split_first() else {
        return out;
    };
    let Some((&b, rest)) = rest.split_first() else {
        return out;
    };
    for v in std::iter::once(a * 40 + b).chain(rest.iter().copied()) {
        let mut digits = vec![(v & 0x7f) as u8];
        let mut v = v >> 7;
        while v > 0 {
            digits.push((v & 0x7f) as u8 | 0x80);
            v >>= 7;
        }
        out.extend(digits.iter().rev());
    }
    out
}

fn common_oids() -> &'static std::collections::HashMap<Vec<u8>, &'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<Vec<u8>, &'static str>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| COMMON_OIDS.iter().map(|d| (encode_oid(d), *d)).collect())
}

/// Whether the OID `content` is the OID whose minimal DER is `der`, as
/// comparing their dotted forms would say. A minimal encoding (no
/// subidentifier opening with 0x80) maps to one dotted form and back, so
/// for it the bytes decide; a padded one is read in full.
pub fn oid_is(content: &[u8], der: &[u8]) -> bool {
    if content == der {
        return true;
    }
    let padded = content
        .iter()
        .enumerate()
        .any(|(i, b)| *b == 0x80 && (i == 0 || content[i - 1] & 0x80 == 0));
    padded && oid_string(content).is_some_and(|s| Some(s) == oid_string(der))
}

/// Dotted form of an OBJECT IDENTIFIER's content octets.
pub fn oid_string(content: &[u8]) -> Option<String> {
    if let Some(known) = common_oids().get(content) {
        return Some((*known).to_string());
    }
    use std::fmt::Write;
    let mut out = String::with_capacity(content.len() * 3 + 2);
    let mut v: u64 = 0;
    let mut first = true;
    for (i, b) in content.iter().enumerate() {
        v = v.checked_mul(128)? | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if first {
                let (a, b) = if v < 40 {
                    (0, v)
                } else if v < 80 {
                    (1, v - 40)
                } else {
                    (2, v - 80)
                };
                let _ = write!(out, "{a}.{b}");
                first = false;
            } else {
                let _ = write!(out, ".{v}");
            }
            v = 0;
        } else if i + 1 == content.len() {
            return None;
        }
    }
    (!first).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05, 0xff];
        let t = Tlv::parse(&der).unwrap();
        assert_eq!(t.raw.len(), 5);
        assert_eq!(t.children().count(), 1);
        let ber = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0xff];
        let t = Tlv::parse(&ber).unwrap();
        assert_eq!(t.raw.len(), 7);
        assert_eq!(t.content, &[0x02, 0x01, 0x05]);
    }

    #[test]
    fn truncated_is_none() {
        assert!(Tlv::parse(&[0x30, 0x05, 0x02]).is_none());
        assert!(Tlv::parse(&[0x30, 0x80, 0x02, 0x01, 0x05]).is_none());
    }

    /// The former arc-by-arc reading, kept as the reference.
    fn oid_string_reference(content: &[u8]) -> Option<String> {
        let mut arcs: Vec<u64> = Vec::new();
        let mut v: u64 = 0;
        for (i, b) in content.iter().enumerate() {
            v = v.checked_mul(128)? | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                if arcs.is_empty() {
                    let (a, b) = if v < 40 {
                        (0, v)
                    } else if v < 80 {
                        (1, v - 40)
                    } else {
                        (2, v - 80)
                    };
                    arcs.push(a);
                    arcs.push(b);
                } else {
                    arcs.push(v);
                }
                v = 0;
            } else if i + 1 == content.len() {
                return None;
            }
        }
        if arcs.is_empty() {
            return None;
        }
        Some(
            arcs.iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join("."),
        )
    }

    #[test]
    fn the_table_of_common_oids_reads_as_computed() {
        for dotted in COMMON_OIDS {
            let der = encode_oid(dotted);
            assert_eq!(oid_string_reference(&der).as_deref(), Some(*dotted));
            assert_eq!(oid_string(&der).as_deref(), Some(*dotted));
        }
        assert_eq!(common_oids().len(), COMMON_OIDS.len(), "no two share bytes");
    }

    #[test]
    fn oid_string_agrees_with_the_reference_on_odd_input() {
        let cases: [&[u8]; 12] = [
            &[],
            &[0x00],
            &[0x27],
            &[0x28],
            &[0x50],
            &[0x88, 0x37, 0x03],
            &[0x2a, 0x86],
            &[0x80, 0x2a, 0x80, 0x80, 0x01],
            &[0x55, 0x1d, 0x80, 0x0e],
            &[0x55, 0x1d, 0x0e, 0x00],
            &[
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
            ],
            &[0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
        ];
        for c in cases {
            assert_eq!(oid_string(c), oid_string_reference(c), "{c:02x?}");
        }
        // Deterministic pseudo-random inputs.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..20_000 {
            let mut c = Vec::new();
            for _ in 0..(n % 14) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Bias towards the continuation and padding bytes that matter.
                c.push(match x % 5 {
                    0 => 0x80,
                    1 => 0x81 | (x >> 8) as u8,
                    _ => (x >> 16) as u8,
                });
            }
            assert_eq!(oid_string(&c), oid_string_reference(&c), "{c:02x?}");
            for known in ["2.5.29.19", "2.5.4.3", "1.2.840.113549.1.9.4"] {
                let der = encode_oid(known);
                assert_eq!(
                    oid_is(&c, &der),
                    oid_string_reference(&c).as_deref() == Some(known),
                    "{c:02x?} vs {known}"
                );
            }
        }
    }

    #[test]
    fn padded_encodings_are_the_same_oid() {
        let der = encode_oid("2.5.29.14");
        assert_eq!(der, [0x55, 0x1d, 0x0e]);
        assert!(oid_is(&[0x55, 0x1d, 0x0e], &der));
        assert!(oid_is(&[0x55, 0x80, 0x1d, 0x0e], &der));
        assert!(!oid_is(&[0x55, 0x1d, 0x0f], &der));
        assert!(!oid_is(&[0x55, 0x1d], &der));
    }

    #[test]
    fn oid() {
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).as_deref(),
            Some("1.2.840.113549.1.7.2")
        );
    }
}
