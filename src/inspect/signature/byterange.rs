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
        if decode_hex(&gap[1..gap.len() - 1]).as_deref() != Some(contents) {
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

pub fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
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
    // PDF 32000-1 §7.3.4.3: an odd final digit is followed by an implied 0.
    Some(
        digits
            .chunks(2)
            .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
            .collect(),
    )
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
