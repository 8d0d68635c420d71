//! Plain words for what changed after a signature: each change is said by
//! what the object was in the signed revision (page 1's content stream, an
//! embedded font program, an annotation), and by the role or /Type it
//! claims now when that differs.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::roles::{dict_of, Content, Role, Via};

/// The plain-words note for a producer marker on `place`.
pub(super) fn marker_note(key: &str, place: &str) -> String {
    match key {
        "ITXT" => format!("the signing software added its version marker (/ITXT) to {place}"),
        "PieceInfo" => {
            format!("the signing software added its private data (/PieceInfo) to {place}")
        }
        "LastModified" => {
            format!("the signing software recorded a modification date (/LastModified) on {place}")
        }
        _ => format!("XMP metadata (/{key}) attached to {place}"),
    }
}

pub(super) fn field_name(doc: &Document, d: &Dictionary) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(d);
    for _ in 0..16 {
        let Some(x) = cur else { break };
        if let Ok(t) = x.get(b"T").and_then(Object::as_str) {
            parts.push(super::super::discovery::pdf_text(t));
        }
        cur = x
            .get(b"Parent")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    parts.reverse();
    if parts.is_empty() {
        "(unnamed)".into()
    } else {
        parts.join(".")
    }
}

pub(super) fn describe(id: &ObjectId, obj: &Object, doc: &Document, verb: &str) -> String {
    let d = dict_of(obj);
    let ty = d
        .and_then(|d| d.get_type().ok())
        .map(|t| String::from_utf8_lossy(t).into_owned());
    let subtype = d
        .and_then(|d| d.get(b"Subtype").ok())
        .and_then(|s| s.as_name().ok())
        .map(|s| String::from_utf8_lossy(s).into_owned());
    if let Some(d) = d {
        if d.has(b"FT") || d.has(b"T") && d.has(b"V") {
            return format!("form field '{}' {verb}", field_name(doc, d));
        }
    }
    match (ty.as_deref(), subtype.as_deref(), obj) {
        (Some("Annot"), _, _) | (_, Some("Widget" | "Link" | "Text" | "FreeText" | "Stamp"), _) => {
            format!("annotation (object {}) {verb}", id.0)
        }
        (_, Some("Form"), _) => format!("form XObject (object {}) {verb}", id.0),
        (_, Some("Image"), _) => format!("image (object {}) {verb}", id.0),
        (Some("Font"), _, _) => format!("font (object {}) {verb}", id.0),
        (_, _, Object::Stream(_)) => format!("content stream (object {}) {verb}", id.0),
        (Some(t), _, _) => format!("{t} object {} {verb}", id.0),
        _ => format!("object {} {verb}", id.0),
    }
}

/// `", now <role>"` when an object's role in the final document differs from
/// the one it had when signed (the claim an attacker would hide behind).
pub(super) fn now_as(was: Option<Role>, now: Option<Role>) -> String {
    match now {
        Some(n) if Some(n) != was => format!(", now presented as {}", n.words()),
        None => ", now no longer part of the document's structure".into(),
        _ => String::new(),
    }
}

/// ", now typed /X" when the object claims another /Type than it had.
pub(super) fn type_claim(prev: &Object, obj: &Object) -> String {
    let ty = |o: &Object| {
        dict_of(o)
            .and_then(|d| d.get_type().ok())
            .map(<[u8]>::to_vec)
    };
    match ty(obj) {
        Some(t) if Some(&t) != ty(prev).as_ref() => {
            format!(", now typed /{}", String::from_utf8_lossy(&t))
        }
        _ => String::new(),
    }
}

/// Plain words for a change to a piece of page `page`'s content, said by
/// what the object was in the signed revision.
pub(super) fn content_change(
    page: u32,
    id: &ObjectId,
    prev: &Object,
    c: Option<&Content>,
) -> String {
    let place = if page == 0 {
        "the page tree's inherited".to_string()
    } else {
        format!("page {page}")
    };
    let what = content_kind(prev, c.map(|c| c.key.as_slice()).unwrap_or_default());
    match c.map(|c| c.via) {
        Some(Via::Contents) => format!("{place} content changed ({what}, object {})", id.0),
        Some(Via::Resources) => format!("{place} resources changed ({what}, object {})", id.0),
        Some(Via::Annots | Via::AnnotsArray) => {
            format!("{place} annotations changed ({what}, object {})", id.0)
        }
        _ => format!("{place} changed ({what}, object {})", id.0),
    }
}

/// What a piece of page content is: by the key that named it first, then
/// by its own dictionary.
fn content_kind(obj: &Object, key: &[u8]) -> String {
    let d = dict_of(obj);
    let name_of = |k: &[u8]| {
        d.and_then(|d| d.get(k).ok())
            .and_then(|s| s.as_name().ok())
            .map(|s| String::from_utf8_lossy(s).into_owned())
    };
    let kind = match key {
        b"FontFile" | b"FontFile2" | b"FontFile3" => "embedded font program",
        b"FontDescriptor" => "font descriptor",
        b"DescendantFonts" => "font",
        b"ToUnicode" => "font text map (/ToUnicode)",
        b"Contents" if matches!(obj, Object::Stream(_)) => "content stream",
        b"Contents" => "content array",
        b"Resources" => "resource dictionary",
        b"Font" if d.is_some_and(|d| d.get_type().is_err()) => "font dictionary",
        b"AP" | b"N" | b"R" | b"D" => "appearance",
        _ => "",
    };
    if !kind.is_empty() {
        return kind.into();
    }
    match (
        name_of(b"Type").as_deref(),
        name_of(b"Subtype").as_deref(),
        obj,
    ) {
        (_, Some("Image"), _) => "image".into(),
        (_, Some("Form"), _) => "form XObject".into(),
        (Some("Font"), _, _) => "font".into(),
        (Some("Annot"), Some(s), _) | (None, Some(s), Object::Dictionary(_)) => {
            format!("/{s} annotation")
        }
        (Some("ExtGState"), _, _) => "graphics state".into(),
        (_, _, Object::Stream(_)) => "stream".into(),
        (_, _, Object::Array(_)) => "array".into(),
        _ => "dictionary".into(),
    }
}
