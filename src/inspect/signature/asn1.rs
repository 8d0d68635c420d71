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

/// Dotted form of an OBJECT IDENTIFIER's content octets.
pub fn oid_string(content: &[u8]) -> Option<String> {
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

    #[test]
    fn oid() {
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).as_deref(),
            Some("1.2.840.113549.1.7.2")
        );
    }
}
