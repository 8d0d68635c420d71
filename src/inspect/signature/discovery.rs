//! Finding signatures: signature fields in the object model (AcroForm
//! fields with their /Kids, and orphan widgets on pages), plus a raw byte
//! scan for /ByteRange used to cross-check and as a fallback when the file
//! cannot be loaded.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::byterange::decode_hex;

/// One signature value (/V) found in the file.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub field: Option<String>,
    pub dict_id: Option<ObjectId>,
    pub filter: Option<String>,
    pub sub_filter: Option<String>,
    /// /Type of the signature dictionary (Sig, DocTimeStamp), if any.
    pub dict_type: Option<String>,
    pub byte_range: Option<Vec<i64>>,
    pub contents: Option<Vec<u8>>,
    pub m: Option<String>,
    pub name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// Why the value is not a usable signature dictionary, if it is not.
    pub problem: Option<String>,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub candidates: Vec<Candidate>,
    pub unsigned_fields: Vec<String>,
}

/// Deepest field tree followed; /Kids loops are also cut by a visited set.
const MAX_FIELD_DEPTH: u32 = 32;

pub fn from_document(doc: &Document, max: usize) -> Discovered {
    let mut w = FieldWalker {
        doc,
        max,
        visited: HashSet::new(),
        seen_values: HashSet::new(),
        out: Discovered::default(),
    };
    if let Ok(fields) = doc
        .catalog()
        .and_then(|c| c.get_deref(b"AcroForm", doc))
        .and_then(Object::as_dict)
        .and_then(|af| af.get_deref(b"Fields", doc))
        .and_then(Object::as_array)
    {
        for f in fields {
            w.field(f, Inherited::default(), 0);
        }
    }
    // Widgets on pages that no /Fields entry reaches are still signatures.
    for page_id in crate::inspect::pages::page_ids(doc) {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let Ok(annots) = page.get_deref(b"Annots", doc).and_then(Object::as_array) else {
            continue;
        };
        for a in annots {
            if let Object::Reference(id) = a {
                if w.visited.contains(id) {
                    continue;
                }
            }
            w.field(a, Inherited::default(), 0);
        }
    }
    w.out
}

/// What a field passes down to its /Kids (PDF 32000-1 §12.7.3.1): its
/// full name, its /FT, and whether it holds the value (/V) itself.
#[derive(Clone, Copy, Default)]
struct Inherited<'a> {
    name: Option<&'a str>,
    ft: Option<&'a [u8]>,
    valued: bool,
}

/// The walk over form fields: what it has visited, which signature values
/// it has seen (one value shared by several fields is one signature), and
/// what it found.
struct FieldWalker<'d> {
    doc: &'d Document,
    max: usize,
    visited: HashSet<ObjectId>,
    seen_values: HashSet<ObjectId>,
    out: Discovered,
}

impl FieldWalker<'_> {
    /// One field (or widget) and its /Kids; names and /FT are inherited.
    fn field(&mut self, obj: &Object, up: Inherited<'_>, depth: u32) {
        if depth > MAX_FIELD_DEPTH || self.out.candidates.len() >= self.max {
            return;
        }
        if let Object::Reference(id) = obj {
            if !self.visited.insert(*id) {
                return;
            }
        }
        let doc = self.doc;
        let Ok((_, Object::Dictionary(d))) = doc.dereference(obj) else {
            return;
        };
        let partial = d.get(b"T").ok().and_then(|t| t.as_str().ok()).map(pdf_text);
        let name = match (up.name, &partial) {
            (Some(p), Some(t)) => Some(format!("{p}.{t}")),
            (None, Some(t)) => Some(t.clone()),
            (Some(p), None) => Some(p.to_string()),
            (None, None) => None,
        };
        let ft = d.get(b"FT").ok().and_then(|f| f.as_name().ok()).or(up.ft);
        if let Ok(kids) = d.get_deref(b"Kids", doc).and_then(Object::as_array) {
            let down = Inherited {
                name: name.as_deref(),
                ft,
                valued: up.valued || d.has(b"V"),
            };
            for k in kids {
                self.field(k, down, depth + 1);
            }
            // A parent with kids carries the value itself when it is the field.
            if !d.has(b"V") {
                return;
            }
        }
        // A widget of a field that holds the value is not a field of its own.
        let widget_of_valued_field = up.valued && !d.has(b"V");
        if ft == Some(b"Sig".as_slice()) && !widget_of_valued_field {
            self.signature_field(
                d,
                name.unwrap_or_else(|| "(unnamed signature field)".into()),
            );
        }
    }

    fn unsigned(&mut self, field_name: String) {
        if !self.out.unsigned_fields.contains(&field_name) {
            self.out.unsigned_fields.push(field_name);
        }
    }

    /// A signature field: its value is a candidate, its absence an unsigned field.
    fn signature_field(&mut self, d: &Dictionary, field_name: String) {
        let Ok(v) = d.get(b"V") else {
            self.unsigned(field_name);
            return;
        };
        let value_id = match v {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(id) = value_id {
            // One signature referenced from several fields is one signature.
            if !self.seen_values.insert(id) {
                let shared = self
                    .out
                    .candidates
                    .iter_mut()
                    .find(|c| c.dict_id == Some(id));
                if let Some(f) = shared.and_then(|c| c.field.as_mut()) {
                    f.push_str(" | ");
                    f.push_str(&field_name);
                }
                return;
            }
        }
        let mut c = match self.doc.dereference(v) {
            Ok((_, Object::Dictionary(sd))) => from_sig_dict(self.doc, sd),
            Ok((_, Object::Null)) | Err(_) => {
                self.unsigned(field_name);
                return;
            }
            Ok(_) => Candidate {
                problem: Some("the field value (/V) is not a signature dictionary".into()),
                ..Default::default()
            },
        };
        c.field = Some(field_name);
        c.dict_id = value_id;
        self.out.candidates.push(c);
    }
}

fn name_of(d: &Dictionary, key: &[u8]) -> Option<String> {
    d.get(key)
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
}

fn text_of(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<String> {
    d.get_deref(key, doc)
        .ok()
        .and_then(|o| o.as_str().ok())
        .map(pdf_text)
}

fn from_sig_dict(doc: &Document, d: &Dictionary) -> Candidate {
    let byte_range = d
        .get_deref(b"ByteRange", doc)
        .ok()
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .map(|x| match x {
                    Object::Integer(i) => Some(*i),
                    _ => None,
                })
                .collect::<Option<Vec<i64>>>()
        });
    let mut problem = None;
    let byte_range = match byte_range {
        Some(Some(br)) => Some(br),
        Some(None) => {
            problem = Some("/ByteRange holds something other than integers".to_string());
            None
        }
        None => None,
    };
    // /Contents must be a direct string: the gap in /ByteRange holds it.
    let contents = match d.get(b"Contents") {
        Ok(Object::String(s, _)) => Some(s.clone()),
        _ => None,
    };
    Candidate {
        field: None,
        dict_id: None,
        filter: name_of(d, b"Filter"),
        sub_filter: name_of(d, b"SubFilter"),
        dict_type: name_of(d, b"Type"),
        byte_range,
        contents,
        m: text_of(doc, d, b"M"),
        name: text_of(doc, d, b"Name"),
        reason: text_of(doc, d, b"Reason"),
        location: text_of(doc, d, b"Location"),
        problem,
    }
}

/// PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding
/// (read as Latin-1, which agrees on the printable range).
pub fn pdf_text(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = s.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    s.iter().map(|b| *b as char).collect()
}

/// A /ByteRange array found by scanning the raw bytes.
#[derive(Debug, Clone)]
pub struct ScannedRange {
    pub offset: usize,
    pub values: Vec<i64>,
}

pub fn scan_byte_ranges(bytes: &[u8], max: usize) -> Vec<ScannedRange> {
    let mut out = Vec::new();
    for pos in memchr::memmem::find_iter(bytes, b"/ByteRange") {
        if out.len() >= max {
            break;
        }
        let mut i = pos + 10;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'[') {
            continue;
        }
        let Some(close) = bytes[i..].iter().take(256).position(|b| *b == b']') else {
            continue;
        };
        let inner = String::from_utf8_lossy(&bytes[i + 1..i + close]);
        let values: Option<Vec<i64>> = inner.split_whitespace().map(|t| t.parse().ok()).collect();
        if let Some(values) = values {
            out.push(ScannedRange {
                offset: pos,
                values,
            });
        }
    }
    out
}

/// Reads the signature dictionary around a scanned /ByteRange without an
/// object model (the file did not load). Only the enclosing object is read.
pub fn from_raw(bytes: &[u8], r: &ScannedRange) -> Candidate {
    let start = memchr::memmem::rfind(&bytes[..r.offset], b"obj").map_or(0, |p| p + 3);
    let end =
        memchr::memmem::find(&bytes[r.offset..], b"endobj").map_or(bytes.len(), |p| r.offset + p);
    let obj = &bytes[start..end];
    let name_after = |key: &[u8]| -> Option<String> {
        let p = memchr::memmem::find(obj, key)? + key.len();
        let rest = &obj[p..];
        let s = rest.iter().position(|b| *b == b'/')?;
        if rest[..s].iter().any(|b| !b.is_ascii_whitespace()) {
            return None;
        }
        let n: Vec<u8> = rest[s + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'#'))
            .copied()
            .collect();
        Some(String::from_utf8_lossy(&n).into_owned())
    };
    let contents = memchr::memmem::find(obj, b"/Contents").and_then(|p| {
        let rest = &obj[p + 9..];
        let lt = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if rest[lt] != b'<' {
            return None;
        }
        let gt = rest[lt..].iter().position(|b| *b == b'>')?;
        decode_hex(&rest[lt + 1..lt + gt])
    });
    let m = memchr::memmem::find(obj, b"/M").and_then(|p| {
        let rest = &obj[p + 2..];
        let open = rest.iter().take(4).position(|b| *b == b'(')?;
        let close = rest[open..].iter().position(|b| *b == b')')?;
        Some(String::from_utf8_lossy(&rest[open + 1..open + close]).into_owned())
    });
    Candidate {
        field: None,
        dict_id: None,
        filter: name_after(b"/Filter"),
        sub_filter: name_after(b"/SubFilter"),
        dict_type: name_after(b"/Type"),
        byte_range: Some(r.values.clone()),
        contents,
        m,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_and_reads_raw() {
        let f = b"1 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <3003020105> /M (D:20220305093015+07'00')>>\nendobj\n(/ByteRange in a string)";
        let r = scan_byte_ranges(f, 10);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].values, vec![0, 10, 20, 30]);
        let c = from_raw(f, &r[0]);
        assert_eq!(c.sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
        assert_eq!(c.dict_type.as_deref(), Some("Sig"));
        assert_eq!(c.contents.as_deref(), Some(&[0x30, 3, 2, 1, 5][..]));
        assert_eq!(c.m.as_deref(), Some("D:20220305093015+07'00'"));
    }

    #[test]
    fn text_strings() {
        assert_eq!(pdf_text(b"\xfe\xff\x00S\x00\xe1"), "Sá");
        assert_eq!(pdf_text(b"Sig1"), "Sig1");
    }
}
