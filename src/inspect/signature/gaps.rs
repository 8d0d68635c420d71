//! The bytes lopdf parses, with each signature's hex `/Contents` replaced by
//! a short stand-in, so that lopdf does not decode 8–30 KB of hex one digit
//! at a time (≈ 35 % of a cold check's CPU on ordinary signed files) for a
//! value tlkc reads from the `/ByteRange` gap anyway.
//!
//! A gap `<hex…>` named by a `/ByteRange [0 a b c]` found in the raw bytes
//! and written right after `/Contents` is overwritten in a copy of the file
//! with `<T>` and spaces up to its old length, so every offset (cross-reference
//! table, other `/ByteRange`s) stays true. `T` is a keyed SHA-256 of the gap's
//! raw bytes under a key drawn for this process: no file can contain it by
//! design. After loading, every string equal to a stand-in is put back as
//! the gap's decoded bytes, so the document lopdf hands to discovery and to
//! the revision diff holds exactly the values it held before (same strings,
//! same format).
//!
//! Why this cannot hide a change: the substitution is injective on the raw
//! gap bytes (distinct gaps get distinct stand-ins; a stand-in cannot occur
//! in a file), so two byte sequences that differed still differ after it,
//! and a genuine hex string gets its exact value back. A gap that is not
//! clean hex (odd characters, whitespace, garbage), is short, or sits in an
//! encrypted file is left as it is and parsed as before, and the
//! `/ByteRange` analysis of the original bytes reports it as before.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use lopdf::{Document, Object};
use sha2::{Digest, Sha256};

use super::byterange::decode_hex;
use super::discovery::ScannedRange;

/// Gaps shorter than this (hex digits) are parsed as they are: replacing them
/// saves nothing, and a stand-in needs 64 digits.
const MIN_HEX_DIGITS: usize = 256;

/// The bytes to parse and the stand-ins to put back.
pub struct ParseView<'b> {
    bytes: Cow<'b, [u8]>,
    /// Stand-in → the gap's decoded bytes.
    values: HashMap<[u8; 32], Vec<u8>>,
}

impl<'b> ParseView<'b> {
    /// The file as it is: nothing replaced.
    pub fn plain(bytes: &'b [u8]) -> Self {
        ParseView {
            bytes: Cow::Borrowed(bytes),
            values: HashMap::new(),
        }
    }

    /// `bytes` with the hex `/Contents` of the signatures named by `ranges`
    /// (scanned from `bytes`) replaced by stand-ins.
    pub fn new(bytes: &'b [u8], ranges: &[ScannedRange]) -> Self {
        // lopdf decrypts strings while loading; a stand-in would not survive.
        if ranges.is_empty() || memchr::memmem::find(bytes, b"/Encrypt").is_some() {
            return Self::plain(bytes);
        }
        let key = process_key();
        let mut values = HashMap::new();
        let mut copy: Option<Vec<u8>> = None;
        let mut done: Vec<(usize, usize)> = Vec::new();
        for r in ranges {
            let Some((a, b)) = hex_gap(bytes, &r.values) else {
                continue;
            };
            if done.contains(&(a, b)) || done.iter().any(|&(x, y)| a < y && x < b) {
                continue;
            }
            let Some(value) = decode_hex(&bytes[a + 1..b - 1]) else {
                continue;
            };
            let tag = stand_in(&key, &bytes[a..b]);
            let out = copy.get_or_insert_with(|| bytes.to_vec());
            let mut text = Vec::with_capacity(b - a);
            text.push(b'<');
            text.extend_from_slice(crate::hash::hex(&tag).as_bytes());
            text.push(b'>');
            text.resize(b - a, b' ');
            out[a..b].copy_from_slice(&text);
            values.insert(tag, value);
            done.push((a, b));
        }
        match copy {
            Some(c) => ParseView {
                bytes: Cow::Owned(c),
                values,
            },
            None => Self::plain(bytes),
        }
    }

    /// The bytes to hand to lopdf (same length as the file).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Puts every gap's value back where lopdf read its stand-in.
    pub fn restore(&self, doc: &mut Document) {
        if self.values.is_empty() {
            return;
        }
        for obj in doc.objects.values_mut() {
            self.restore_object(obj, 0);
        }
        for (_, obj) in doc.trailer.iter_mut() {
            self.restore_object(obj, 0);
        }
    }

    fn restore_object(&self, obj: &mut Object, depth: u32) {
        // Deeper nesting than any real file: lopdf's own parser limits it well below.
        if depth > 256 {
            return;
        }
        match obj {
            Object::String(s, _) if s.len() == 32 => {
                let key: [u8; 32] = s.as_slice().try_into().unwrap_or([0; 32]);
                if let Some(v) = self.values.get(&key) {
                    *s = v.clone();
                }
            }
            Object::Array(items) => items
                .iter_mut()
                .for_each(|o| self.restore_object(o, depth + 1)),
            Object::Dictionary(d) => d
                .iter_mut()
                .for_each(|(_, o)| self.restore_object(o, depth + 1)),
            Object::Stream(s) => s
                .dict
                .iter_mut()
                .for_each(|(_, o)| self.restore_object(o, depth + 1)),
            _ => {}
        }
    }
}

/// The gap `[a, b)` of a regular `/ByteRange [0 a b c]` when it is a clean,
/// long hex string written right after `/Contents`.
fn hex_gap(bytes: &[u8], br: &[i64]) -> Option<(usize, usize)> {
    let &[0, a, b, c] = br else {
        return None;
    };
    let (a, b) = (usize::try_from(a).ok()?, usize::try_from(b).ok()?);
    let c = usize::try_from(c).ok()?;
    if a == 0 || b <= a || b.checked_add(c)? > bytes.len() || b - a < MIN_HEX_DIGITS + 2 {
        return None;
    }
    let gap = &bytes[a..b];
    let clean = gap[0] == b'<'
        && gap[gap.len() - 1] == b'>'
        && gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit);
    let before = bytes[..a]
        .iter()
        .rposition(|x| !x.is_ascii_whitespace())
        .map_or(&bytes[..0], |p| &bytes[..=p]);
    (clean && before.ends_with(b"/Contents")).then_some((a, b))
}

fn stand_in(key: &[u8; 32], raw: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(key);
    h.update(raw);
    h.finalize().into()
}

/// 32 bytes no file can know: std's per-process random hash keys.
fn process_key() -> [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| {
        let mut key = [0u8; 32];
        for (i, chunk) in key.chunks_exact_mut(8).enumerate() {
            let v = RandomState::new().hash_one((i, std::process::id()));
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        key
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(bytes: &[u8]) -> Vec<ScannedRange> {
        super::super::discovery::scan_byte_ranges(bytes, 10)
    }

    /// A one-object file whose /Contents gap is `hex`, with a /ByteRange naming it.
    fn file(hex: &str) -> Vec<u8> {
        let head = "%PDF-1.7\n1 0 obj\n<</Type /Sig /ByteRange [0 AAAAAA BBBBBB 000010] /Contents ";
        let a = head.len();
        let b = a + hex.len() + 2;
        let head = head
            .replace("AAAAAA", &format!("{a:06}"))
            .replace("BBBBBB", &format!("{b:06}"));
        format!("{head}<{hex}>>>\nendobj\n%%EOF\n").into_bytes()
    }

    #[test]
    fn a_signed_file_loads_to_the_same_objects() {
        let spec = samplegen::fixtures::example_spec();
        let t = samplegen::fixtures::default_time(&spec);
        let f = samplegen::fixtures::signed(&spec, t).unwrap();
        let view = ParseView::new(&f, &ranges(&f));
        assert_eq!(view.bytes().len(), f.len());
        assert_eq!(view.values.len(), 2, "both signatures' hex is replaced");
        assert_ne!(view.bytes(), f.as_slice());
        let mut doc = Document::load_mem(view.bytes()).unwrap();
        assert_ne!(doc.objects, Document::load_mem(&f).unwrap().objects);
        view.restore(&mut doc);
        assert_eq!(doc.objects, Document::load_mem(&f).unwrap().objects);
    }

    #[test]
    fn replaces_a_long_gap_keeping_offsets() {
        let hex = "3082".repeat(200);
        let f = file(&hex);
        let view = ParseView::new(&f, &ranges(&f));
        assert_eq!(view.bytes().len(), f.len());
        assert!(memchr::memmem::find(view.bytes(), hex.as_bytes()).is_none());
        assert_eq!(
            view.values.values().next(),
            decode_hex(hex.as_bytes()).as_ref()
        );
    }

    #[test]
    fn leaves_garbage_and_short_gaps_alone() {
        for hex in ["30".repeat(20), format!("{}zz", "30".repeat(200))] {
            let f = file(&hex);
            assert_eq!(ParseView::new(&f, &ranges(&f)).bytes(), f.as_slice());
        }
        // Odd digit count: clean hex, its value with the implied trailing 0 as lopdf reads it.
        let f = file(&format!("{}3", "30".repeat(200)));
        let view = ParseView::new(&f, &ranges(&f));
        let v = view.values.values().next().unwrap();
        assert_eq!((v.len(), v.last()), (201, Some(&0x30)));
    }

    #[test]
    fn same_bytes_same_stand_in_different_bytes_different() {
        let key = process_key();
        assert_eq!(stand_in(&key, b"<ab>"), stand_in(&key, b"<ab>"));
        assert_ne!(stand_in(&key, b"<ab>"), stand_in(&key, b"<AB>"));
    }

    #[test]
    fn an_encrypted_file_is_parsed_as_it_is() {
        let mut f = file(&"30".repeat(200));
        f.extend_from_slice(b"trailer <</Encrypt 5 0 R>>\n");
        assert_eq!(ParseView::new(&f, &ranges(&f)).bytes(), f.as_slice());
    }
}
