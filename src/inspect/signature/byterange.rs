//! /ByteRange layout: which bytes a signature covers, and whether the gap
//! is exactly its own /Contents (signature wrapping moves one or the other).

use crate::facts::Coverage;

/// What the /ByteRange says about coverage.
#[derive(Debug, Clone)]
pub struct Layout {
    pub coverage: Coverage,
    /// In-file (offset, length) ranges to hash; `None` when a range
    /// leaves the file, so the signed bytes do not exist.
    pub parts: Option<Vec<(usize, usize)>>,
    /// End of the signed revision (b + c) when the layout is regular.
    pub signed_end: Option<usize>,
    pub notes: Vec<String>,
}

impl Layout {
    pub fn slices<'b>(&self, bytes: &'b [u8]) -> Option<Vec<&'b [u8]>> {
        self.parts
            .as_ref()
            .map(|p| p.iter().map(|(o, l)| &bytes[*o..*o + *l]).collect())
    }
}

pub fn analyse(bytes: &[u8], br: &[i64], contents: Option<&[u8]>) -> Layout {
    let mut notes = Vec::new();
    let parts = in_file_parts(bytes.len(), br);
    if parts.is_none() {
        notes.push(
            "/ByteRange points outside the file or is not pairs of offsets and lengths".into(),
        );
    }
    let unclear = |mut notes: Vec<String>, why: &str, parts| {
        notes.push(why.to_string());
        Layout {
            coverage: Coverage::Unclear,
            parts,
            signed_end: None,
            notes,
        }
    };
    let &[0, a, b, c] = br else {
        return unclear(
            notes,
            "/ByteRange is not of the form [0 a b c], so coverage cannot be established",
            parts,
        );
    };
    let len = bytes.len() as i64;
    if a <= 0 || b <= a || c < 0 || b.checked_add(c).is_none_or(|e| e > len) {
        return unclear(notes, "/ByteRange ranges overlap or leave the file", parts);
    }
    let (a, b, c) = (a as usize, b as usize, c as usize);
    let gap = &bytes[a..b];
    let hex_ok = gap.len() >= 2
        && gap[0] == b'<'
        && gap[gap.len() - 1] == b'>'
        && gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit);
    if !hex_ok {
        return unclear(
            notes,
            "the bytes left out by /ByteRange are not a single hex string: the signature may have been moved (signature wrapping)",
            parts,
        );
    }
    if let Some(contents) = contents {
        if !hex_digits_are(&gap[1..gap.len() - 1], contents) {
            return unclear(
                notes,
                "the bytes left out by /ByteRange are not this signature's /Contents (signature wrapping)",
                parts,
            );
        }
    }
    let end = b + c;
    let tail = &bytes[end..];
    let coverage = if tail.iter().all(|x| x.is_ascii_whitespace() || *x == 0) {
        Coverage::EntireFile
    } else if ends_with_eof(&bytes[..end]) {
        Coverage::EntireRevision
    } else {
        notes.push(format!(
            "the signature covers bytes up to {end} of {len}, which is not the end of a revision: the rest of the file is unsigned"
        ));
        Coverage::Partial
    };
    Layout {
        coverage,
        parts,
        signed_end: Some(end),
        notes,
    }
}

fn in_file_parts(len: usize, br: &[i64]) -> Option<Vec<(usize, usize)>> {
    if br.is_empty() || br.len() % 2 != 0 {
        return None;
    }
    br.chunks_exact(2)
        .map(|p| {
            let (o, l) = (usize::try_from(p[0]).ok()?, usize::try_from(p[1]).ok()?);
            (o.checked_add(l)? <= len).then_some((o, l))
        })
        .collect()
}

/// A revision ends with `%%EOF` and an optional end-of-line.
pub fn ends_with_eof(prefix: &[u8]) -> bool {
    let trimmed = prefix
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t' | 0))
        .map_or(&prefix[..0], |p| &prefix[..=p]);
    trimmed.ends_with(b"%%EOF")
}

/// [`HEX`] entry of a byte that is not a hex digit nor whitespace.
const NOT_HEX: u8 = 0xff;
/// [`HEX`] entry of the whitespace a PDF hex string may hold
/// (`u8::is_ascii_whitespace`: space, tab, LF, FF, CR).
const SPACE: u8 = 0xfe;

/// The value of each byte as a hex digit, else [`SPACE`] or [`NOT_HEX`].
static HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            b' ' | b'\t' | b'\n' | 0x0c | b'\r' => SPACE,
            _ => NOT_HEX,
        };
        i += 1;
    }
    t
};

/// The bytes of a PDF hex string's inside: whitespace skipped, anything else
/// not a hex digit makes it `None`, an odd final digit is followed by an
/// implied 0 (PDF 32000-1 §7.3.4.3). A signature's `/Contents` is 8–30 KB of
/// hex, so pairs of digits are read through a table, not one by one.
pub fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(hex.len().div_ceil(2));
    let mut high: Option<u8> = None;
    let mut i = 0;
    while i < hex.len() {
        if high.is_none() {
            if let Some(&[x, y]) = hex.get(i..i + 2) {
                let (x, y) = (HEX[x as usize], HEX[y as usize]);
                if x < 16 && y < 16 {
                    out.push(x << 4 | y);
                    i += 2;
                    continue;
                }
            }
        }
        match HEX[hex[i] as usize] {
            SPACE => {}
            NOT_HEX => return None,
            v => match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            },
        }
        i += 1;
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Some(out)
}

/// `decode_hex(digits) == Some(value)` for `digits` that are all hex digits
/// (no whitespace), without decoding into a copy: the /ByteRange gap is
/// compared with the `/Contents` already read.
fn hex_digits_are(digits: &[u8], value: &[u8]) -> bool {
    debug_assert!(digits.iter().all(u8::is_ascii_hexdigit));
    value.len() == digits.len().div_ceil(2)
        && digits.chunks(2).zip(value).all(|(pair, v)| {
            let high = HEX[pair[0] as usize];
            let low = pair.get(1).map_or(0, |d| HEX[*d as usize]);
            high < 16 && low < 16 && high << 4 | low == *v
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Vec<u8> {
        b"%PDF-1.7 aaaa<0102>bbbb\n%%EOF\n".to_vec()
    }

    #[test]
    fn entire_file_and_revision() {
        let f = file();
        let a = 13;
        let b = 19;
        let c = f.len() - b;
        let l = analyse(&f, &[0, a, b as i64, c as i64], Some(&[1, 2]));
        assert_eq!(l.coverage, Coverage::EntireFile, "{:?}", l.notes);
        let mut g = f.clone();
        g.extend_from_slice(b"more 1 0 obj\n%%EOF\n");
        let l = analyse(&g, &[0, a, b as i64, c as i64], Some(&[1, 2]));
        assert_eq!(l.coverage, Coverage::EntireRevision);
        let l = analyse(&g, &[0, a, b as i64, c as i64 - 8], Some(&[1, 2]));
        assert_eq!(l.coverage, Coverage::Partial);
    }

    /// The former digit-by-digit decoder, kept as the reference.
    fn decode_hex_reference(hex: &[u8]) -> Option<Vec<u8>> {
        let digits: Vec<u8> = hex
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(|b| match b {
                b'0'..=b'9' => Some(b - b'0'),
                b'a'..=b'f' => Some(b - b'a' + 10),
                b'A'..=b'F' => Some(b - b'A' + 10),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some(
            digits
                .chunks(2)
                .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                .collect(),
        )
    }

    #[test]
    fn decode_hex_reads_as_the_reference() {
        let fixed: [&[u8]; 10] = [
            b"",
            b"0",
            b"3082",
            b"30 8",
            b"3 0\n8\r2\t0\x0cA",
            b"aBcDeF",
            b"30g2",
            b"30\x0b82",
            b"30\x0082",
            b"   ",
        ];
        for h in fixed {
            assert_eq!(decode_hex(h), decode_hex_reference(h), "{h:?}");
        }
        // Deterministic pseudo-random strings over digits, whitespace and junk.
        let alphabet = b"0123456789abcdefABCDEF \t\n\r\x0c\x0bgz<>\x00";
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for n in 0..20_000 {
            let mut h = Vec::new();
            for _ in 0..(n % 23) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly digits, so that long valid strings occur.
                let k = if x % 8 == 0 { x >> 8 } else { (x >> 8) % 22 };
                h.push(alphabet[k as usize % alphabet.len()]);
            }
            let want = decode_hex_reference(&h);
            assert_eq!(decode_hex(&h), want, "{h:?}");
            if h.iter().all(u8::is_ascii_hexdigit) {
                let value = want.unwrap_or_default();
                assert!(hex_digits_are(&h, &value), "{h:?}");
                let mut other = value.clone();
                match other.last_mut() {
                    Some(b) => *b ^= 1,
                    None => other.push(0),
                }
                assert!(!hex_digits_are(&h, &other), "{h:?}");
                other.truncate(value.len().saturating_sub(1));
                assert_eq!(hex_digits_are(&h, &other), other == value, "{h:?}");
            }
        }
    }

    #[test]
    fn wrapping_and_weird() {
        let f = file();
        let c = (f.len() - 19) as i64;
        assert_eq!(
            analyse(&f, &[0, 13, 19, c], Some(&[9])).coverage,
            Coverage::Unclear
        );
        assert_eq!(
            analyse(&f, &[0, 12, 19, c], None).coverage,
            Coverage::Unclear
        );
        assert_eq!(analyse(&f, &[0, 13], None).coverage, Coverage::Unclear);
        let l = analyse(&f, &[0, 13, 19, 1000], None);
        assert_eq!(l.coverage, Coverage::Unclear);
        assert!(l.parts.is_none());
    }
}
