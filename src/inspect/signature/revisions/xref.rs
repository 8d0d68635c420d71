//! Cross-reference sections written after a signature that list one object
//! number more than once with different entries. Readers disagree on which
//! entry counts: pdf.js (and poppler) keep the first one of a section, lopdf
//! the last, so an update can point readers at a rewritten page while the
//! comparison sees the signed object unchanged. Object streams likewise:
//! pdf.js takes a compressed object by the index its cross-reference entry
//! names, lopdf by the object number the stream's header gives, so a header
//! that names another number at that index, or one number twice, shows
//! readers one object and the comparison another. Nothing a writer does on
//! purpose: such an update is a change that cannot be judged, so it is
//! disallowed.

use std::collections::{BTreeSet, HashMap};

use lopdf::{Document, Object};

/// Most entries read from one section (a table or a stream): far beyond
/// any real update, and small enough to keep a hostile file cheap.
const MAX_ENTRIES: usize = 1_000_000;

/// Object numbers listed twice, with different entries, by one
/// cross-reference table in `tail` (the bytes after the signed revision) or
/// by one cross-reference stream of `new` that the signed revision `old`
/// did not have.
pub(super) fn ambiguous(tail: &[u8], new: &Document, old: &Document) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let mut at = 0;
    while let Some(p) = memchr::memmem::find(&tail[at..], b"xref") {
        let start = at + p;
        at = start + 4;
        let line_start = start == 0 || matches!(tail[start - 1], b'\n' | b'\r');
        if line_start {
            out.extend(table(&tail[at..]));
        }
    }
    for (id, obj) in &new.objects {
        let Object::Stream(s) = obj else { continue };
        if !s.dict.has_type(b"XRef") || old.objects.get(id) == Some(obj) {
            continue;
        }
        out.extend(stream(s, new));
    }
    out
}

/// Parses the subsections of one table (after its `xref` keyword) and
/// returns the numbers listed twice with different entries. Stops at the
/// first thing that is not a subsection (`trailer`, or bytes that only
/// happened to contain "xref").
fn table(b: &[u8]) -> Vec<u32> {
    let mut p = Pos { b, i: 0 };
    let mut seen: HashMap<u64, (u64, u64, u8)> = HashMap::new();
    let mut dups = Vec::new();
    'sections: while let (Some(first), Some(count)) = (p.number(), p.number()) {
        for n in 0..count {
            if seen.len() >= MAX_ENTRIES {
                break 'sections;
            }
            let (Some(off), Some(gen), Some(kind)) = (p.number(), p.number(), p.kind()) else {
                break 'sections;
            };
            let id = first.saturating_add(n);
            match seen.insert(id, (off, gen, kind)) {
                Some(prev) if prev != (off, gen, kind) => {
                    dups.extend(u32::try_from(id).ok());
                }
                _ => {}
            }
        }
    }
    dups
}

struct Pos<'a> {
    b: &'a [u8],
    i: usize,
}

impl Pos<'_> {
    fn skip_space(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn number(&mut self) -> Option<u64> {
        self.skip_space();
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) && self.i - start < 20 {
            self.i += 1;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn kind(&mut self) -> Option<u8> {
        self.skip_space();
        let k = *self.b.get(self.i).filter(|k| matches!(k, b'n' | b'f'))?;
        self.i += 1;
        Some(k)
    }
}

/// The numbers a cross-reference stream's /Index lists twice with
/// different rows (PDF 32000-1 §7.5.8.2), and the compressed objects whose
/// object stream does not name them at the index the row gives (or names
/// a number twice).
fn stream(s: &lopdf::Stream, new: &Document) -> Vec<u32> {
    let ints = |k: &[u8]| -> Option<Vec<u64>> {
        s.dict
            .get(k)
            .ok()?
            .as_array()
            .ok()?
            .iter()
            .map(|o| o.as_i64().ok().and_then(|v| u64::try_from(v).ok()))
            .collect()
    };
    let Some(w) = ints(b"W") else {
        return Vec::new();
    };
    let row: u64 = w.iter().sum();
    let index = ints(b"Index").unwrap_or_else(|| {
        let size = s.dict.get(b"Size").and_then(Object::as_i64).unwrap_or(0);
        vec![0, u64::try_from(size).unwrap_or(0)]
    });
    let total: u64 = index.chunks(2).filter_map(|c| c.get(1)).sum();
    if row == 0 || row > 64 || total > MAX_ENTRIES as u64 {
        return Vec::new();
    }
    let Ok(data) = s.decompressed_content() else {
        return Vec::new();
    };
    let rows = data.chunks_exact(row as usize);
    let mut seen: HashMap<u64, &[u8]> = HashMap::new();
    let mut dups = Vec::new();
    let ids = index
        .chunks_exact(2)
        .flat_map(|c| (0..c[1]).map(move |n| c[0].saturating_add(n)));
    let mut headers: HashMap<u64, Option<Vec<u64>>> = HashMap::new();
    for (id, r) in ids.zip(rows) {
        match seen.insert(id, r) {
            Some(prev) if prev != r => dups.extend(u32::try_from(id).ok()),
            _ => {}
        }
        let field = |i: usize| -> u64 {
            let start: u64 = w[..i].iter().sum();
            r[start as usize..(start + w[i]) as usize]
                .iter()
                .fold(0, |a, b| a << 8 | u64::from(*b))
        };
        // Type 2: compressed, in object stream field(1) at index field(2).
        if w.len() == 3 && w[0] > 0 && field(0) == 2 {
            let (container, index) = (field(1), field(2));
            let numbers = headers
                .entry(container)
                .or_insert_with(|| objstm_numbers(new, container));
            let named = numbers
                .as_ref()
                .and_then(|n| usize::try_from(index).ok().and_then(|i| n.get(i)));
            let twice = numbers
                .as_ref()
                .is_some_and(|n| n.iter().filter(|x| **x == id).count() > 1);
            if named.is_some_and(|n| *n != id) || twice {
                dups.extend(u32::try_from(id).ok());
            }
        }
    }
    dups
}

/// The object numbers an object stream's header lists, in index order.
fn objstm_numbers(new: &Document, container: u64) -> Option<Vec<u64>> {
    let id = (u32::try_from(container).ok()?, 0);
    let s = new.get_object(id).ok()?.as_stream().ok()?;
    let first = usize::try_from(s.dict.get(b"First").ok()?.as_i64().ok()?).ok()?;
    let data = s.decompressed_content().ok()?;
    let head = std::str::from_utf8(data.get(..first)?).ok()?;
    let ints: Vec<u64> = head
        .split_ascii_whitespace()
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    Some(
        ints.chunks_exact(2)
            .map(|p| p[0])
            .take(MAX_ENTRIES)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_listing_one_object_twice_differently_is_ambiguous() {
        let t = b"\n4 1\n0000001000 00000 n\r\n4 1\n0000000500 00000 n\r\ntrailer\n<<>>";
        assert_eq!(table(t), vec![4]);
        // The same entry twice says one thing.
        let same = b"\n4 1\n0000001000 00000 n\r\n3 2\n0000000010 00000 n\r\n0000001000 00000 n\r\ntrailer";
        assert!(table(same).is_empty());
        // Ordinary subsections.
        let plain = b"\n0 1\n0000000000 65535 f\r\n4 2\n0000000010 00000 n\r\n0000000020 00000 n\r\ntrailer";
        assert!(table(plain).is_empty());
    }

    #[test]
    fn overlapping_stream_index_with_different_rows_is_ambiguous() {
        let mut dict = lopdf::Dictionary::new();
        dict.set("Type", Object::Name(b"XRef".to_vec()));
        dict.set("W", vec![1.into(), 2.into(), 1.into()]);
        dict.set("Index", vec![7.into(), 1.into(), 7.into(), 1.into()]);
        let s = lopdf::Stream::new(dict, vec![1, 0, 10, 0, 1, 0, 20, 0]);
        let doc = Document::new();
        assert_eq!(stream(&s, &doc), vec![7]);
        let mut dict = s.dict.clone();
        dict.set("Index", vec![7.into(), 1.into(), 8.into(), 1.into()]);
        assert!(stream(
            &lopdf::Stream::new(dict, vec![1, 0, 10, 0, 1, 0, 20, 0]),
            &doc
        )
        .is_empty());
    }
}
