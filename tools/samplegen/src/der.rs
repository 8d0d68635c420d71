//! Just enough DER to write certificates and CMS SignedData.
//!
//! Hand-written rather than built through `x509-cert`/`cms` builders: their fields are
//! crate-private or behind release-candidate builder APIs, and fixtures need to write
//! deliberately odd structures (copied issuer names, expired validity) byte-exactly.

pub fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(body);
    out
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A SET OF with its elements sorted by encoding, as DER requires.
pub fn set_of(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut sorted = parts.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

pub fn uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = {
        let skip = bytes
            .iter()
            .take_while(|b| **b == 0)
            .count()
            .min(bytes.len().saturating_sub(1));
        bytes[skip..].to_vec()
    };
    let mut body = Vec::new();
    if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(&trimmed);
    tlv(0x02, &body)
}

pub fn small_int(v: u64) -> Vec<u8> {
    uint(&v.to_be_bytes())
}

pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend_from_slice(&chunk);
    }
    tlv(0x06, &body)
}

pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

pub fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

pub fn bits(b: &[u8]) -> Vec<u8> {
    let mut body = vec![0];
    body.extend_from_slice(b);
    tlv(0x03, &body)
}

pub fn utf8(s: &str) -> Vec<u8> {
    tlv(0x0c, s.as_bytes())
}

pub fn printable(s: &str) -> Vec<u8> {
    tlv(0x13, s.as_bytes())
}

pub fn boolean(v: bool) -> Vec<u8> {
    vec![0x01, 0x01, if v { 0xff } else { 0x00 }]
}

/// UTCTime for years 1950–2049, GeneralizedTime after, per RFC 5280.
pub fn time(t: chrono::DateTime<chrono::Utc>) -> Vec<u8> {
    use chrono::Datelike;
    if (1950..2050).contains(&t.year()) {
        tlv(0x17, t.format("%y%m%d%H%M%SZ").to_string().as_bytes())
    } else {
        tlv(0x18, t.format("%Y%m%d%H%M%SZ").to_string().as_bytes())
    }
}

/// `[n] EXPLICIT` wrapper.
pub fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// Length of the outer TLV at the start of `b`, so zero padding after a DER value can be cut.
pub fn outer_len(b: &[u8]) -> Option<usize> {
    let first = *b.get(1)?;
    if first < 0x80 {
        return Some(2 + first as usize);
    }
    let n = (first & 0x7f) as usize;
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | *b.get(2 + i)? as usize;
    }
    Some(2 + n + len)
}

/// (tag, header length, total length) of the TLV at the start of `b`.
fn header(b: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    if first < 0x80 {
        return Some((tag, 2, 2 + first as usize));
    }
    let n = (first & 0x7f) as usize;
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | *b.get(2 + i)? as usize;
    }
    Some((tag, 2 + n, 2 + n + len))
}

/// The elements inside the constructed TLV at the start of `b`, each with its header.
pub fn children(b: &[u8]) -> Vec<&[u8]> {
    let Some((_, head, total)) = header(b) else {
        return Vec::new();
    };
    let mut rest = b.get(head..total).unwrap_or_default();
    let mut out = Vec::new();
    while let Some((_, _, len)) = header(rest) {
        let Some(el) = rest.get(..len) else { break };
        out.push(el);
        rest = &rest[len..];
    }
    out
}

/// The subject Name (DER) of a certificate.
pub fn cert_subject(cert: &[u8]) -> Option<Vec<u8>> {
    let tbs = *children(cert).first()?;
    let fields = children(tbs);
    let skip = usize::from(fields.first()?.first() == Some(&0xa0));
    fields.get(skip + 4).map(|s| s.to_vec())
}

/// The DER inside the first PEM block of `text`.
pub fn from_pem(text: &str) -> Option<Vec<u8>> {
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in body
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        acc = acc << 6 | value(c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_and_lengths() {
        assert_eq!(oid("1.2.840.113549.1.1.11"), hex("06092a864886f70d01010b"));
        assert_eq!(tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(uint(&[0, 0, 0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(small_int(0), vec![2, 1, 0]);
        assert_eq!(outer_len(&tlv(4, &[0; 300])), Some(304));
        let pem = crate::pki::pem("CERTIFICATE", &tlv(0x30, &[1, 2, 3, 4, 5]));
        assert_eq!(from_pem(&pem).unwrap(), tlv(0x30, &[1, 2, 3, 4, 5]));
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
