//! Fonts: glyph widths (to place runs) and the code → text map.

use std::cell::{Ref, RefCell};
use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::matrix::num;

pub(super) enum Widths {
    Simple {
        first: u32,
        widths: Vec<f64>,
        missing: f64,
    },
    Cid {
        ranges: Vec<(u32, u32, f64)>,
        default: f64,
    },
}

impl Widths {
    pub(super) fn get(&self, code: u32) -> f64 {
        match self {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { ranges, default } => ranges
                .iter()
                .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))
                .map(|r| r.2)
                .unwrap_or(*default),
        }
    }
}

pub(super) struct Font<'d> {
    pub(super) encoding: Option<Encoding<'d>>,
    /// Composite (Type0) fonts use two-byte codes here; other CMaps are rare
    /// enough in office output that two bytes is the useful guess.
    pub(super) two_byte: bool,
    pub(super) widths: Widths,
    /// Glyph space to text space (1/1000, or a Type3 font's matrix).
    pub(super) scale: f64,
    /// Text already decoded for a code: a page shows the same few dozen codes
    /// over and over, and decoding allocated twice per glyph shown.
    pub(super) glyphs: RefCell<HashMap<u32, String>>,
}

/// Most codes remembered per font (every code of a two-byte font).
const MAX_GLYPHS: usize = 1 << 16;

impl Font<'_> {
    /// [`decode`] of one code's bytes, remembered per font: the text depends
    /// only on the font and the bytes, so it is the same. Past [`MAX_GLYPHS`]
    /// codes the table starts over.
    pub(super) fn glyph(&self, code_bytes: &[u8]) -> Ref<'_, str> {
        // A code is at most two bytes here; its length is part of the key
        // (a lone trailing byte is not the two-byte code of the same value).
        let key = code_bytes
            .iter()
            .fold(code_bytes.len() as u32, |acc, b| acc << 8 | u32::from(*b));
        {
            let mut glyphs = self.glyphs.borrow_mut();
            if !glyphs.contains_key(&key) {
                if glyphs.len() >= MAX_GLYPHS {
                    glyphs.clear();
                }
                let text = decode(self, code_bytes);
                glyphs.insert(key, text);
            }
        }
        Ref::map(self.glyphs.borrow(), |g| {
            g.get(&key).map_or("", String::as_str)
        })
    }
}

/// Bounds the per-font width table a crafted `/W` array can make us build.
pub(super) const MAX_WIDTH_ENTRIES: usize = 1 << 16;

pub(super) fn load_font<'d>(doc: &'d Document, dict: &'d Dictionary, limit: usize) -> Font<'d> {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
    let two_byte = subtype == Some(b"Type0");
    let scale = if subtype == Some(b"Type3") {
        dict.get(b"FontMatrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|m| m.first())
            .and_then(num)
            .unwrap_or(0.001)
    } else {
        0.001
    };
    let widths = if two_byte {
        cid_widths(doc, dict)
    } else {
        simple_widths(doc, dict)
    };
    Font {
        encoding: font_encoding(doc, dict, two_byte, limit),
        two_byte,
        widths,
        scale,
        glyphs: RefCell::default(),
    }
}

/// ToUnicode first: office suites write a WinAnsi `/Encoding` beside a
/// ToUnicode map for Vietnamese glyphs, and lopdf would pick the former.
pub(super) fn font_encoding<'d>(
    doc: &'d Document,
    dict: &'d Dictionary,
    two_byte: bool,
    limit: usize,
) -> Option<Encoding<'d>> {
    if let Ok(to_unicode) = dict.get(b"ToUnicode") {
        let mut probe = Dictionary::new();
        probe.set("Type", Object::Name(b"Font".to_vec()));
        probe.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        probe.set("ToUnicode", to_unicode.clone());
        // The CMap is owned, so it outlives the probe dictionary.
        if let Ok(Encoding::UnicodeMapEncoding(cmap)) =
            probe.get_font_encoding_with_limit(doc, limit)
        {
            return Some(Encoding::UnicodeMapEncoding(cmap));
        }
    }
    if two_byte {
        // Identity-H without ToUnicode: glyph ids, not characters.
        return None;
    }
    dict.get_font_encoding_with_limit(doc, limit).ok()
}

pub(super) fn simple_widths(doc: &Document, dict: &Dictionary) -> Widths {
    let first = dict
        .get(b"FirstChar")
        .ok()
        .and_then(num)
        .map(|v| v.clamp(0.0, 255.0) as u32)
        .unwrap_or(0);
    let widths: Vec<f64> = dict
        .get(b"Widths")
        .ok()
        .and_then(|w| doc.dereference(w).ok())
        .and_then(|(_, w)| w.as_array().ok())
        .map(|arr| {
            arr.iter()
                .take(256)
                .map(|o| {
                    doc.dereference(o)
                        .ok()
                        .and_then(|(_, o)| num(o))
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .unwrap_or_default();
    let missing = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(num)
        .filter(|w| *w > 0.0)
        // Standard-14 fonts carry no widths; half an em is a fair average.
        .unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
    Widths::Simple {
        first,
        widths,
        missing,
    }
}

pub(super) fn cid_widths(doc: &Document, dict: &Dictionary) -> Widths {
    let descendant = dict
        .get(b"DescendantFonts")
        .ok()
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok());
    let Some(desc) = descendant else {
        return Widths::Cid {
            ranges: Vec::new(),
            default: 1000.0,
        };
    };
    let default = desc.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let mut ranges = Vec::new();
    let w = desc
        .get(b"W")
        .ok()
        .and_then(|w| doc.dereference(w).ok())
        .and_then(|(_, w)| w.as_array().ok());
    if let Some(w) = w {
        fn resolve<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
            doc.dereference(o).ok().map(|(_, o)| o)
        }
        let resolve = |o| resolve(doc, o);
        let mut i = 0;
        while i < w.len() && ranges.len() < MAX_WIDTH_ENTRIES {
            let Some(start) = w.get(i).and_then(resolve).and_then(num) else {
                break;
            };
            let start = start.max(0.0) as u32;
            match w.get(i + 1).and_then(resolve) {
                Some(Object::Array(list)) => {
                    for (k, wv) in list.iter().enumerate().take(MAX_WIDTH_ENTRIES) {
                        if let Some(v) = resolve(wv).and_then(num) {
                            let c = start.saturating_add(k as u32);
                            ranges.push((c, c, v));
                        }
                    }
                    i += 2;
                }
                Some(end) => {
                    let (Some(end), Some(v)) =
                        (num(end), w.get(i + 2).and_then(resolve).and_then(num))
                    else {
                        break;
                    };
                    ranges.push((start, end.max(0.0) as u32, v));
                    i += 3;
                }
                None => break,
            }
        }
    }
    Widths::Cid { ranges, default }
}

pub(super) fn decode(font: &Font, bytes: &[u8]) -> String {
    let mut out = String::new();
    match &font.encoding {
        Some(enc) => {
            if enc.write_to_string(bytes, &mut out).is_err() {
                // Encodings lopdf cannot map: only ASCII is safe to guess.
                out = bytes
                    .iter()
                    .filter(|b| (0x20..0x7f).contains(*b))
                    .map(|b| char::from(*b))
                    .collect();
            }
        }
        None => return out,
    }
    // Unmapped glyphs come out as U+FFFD and control codes: drop them, as readers do.
    out.chars()
        .filter(|c| *c != '\u{fffd}' && (!c.is_control() || *c == ' '))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}
