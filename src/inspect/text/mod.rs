//! Page-1 text extraction with positions.
//!
//! lopdf's `extract_text` ignores positions and Form XObjects, so words placed
//! by `Tm` run together ("Số:16/KH-UBNDĐắkGlei"). This extractor follows the
//! graphics and text state far enough to place every shown string on the page,
//! then rebuilds lines by baseline: lines top to bottom, runs left to right, a
//! space where runs are apart, a tab where they are a column apart (the number
//! and the place-and-date line usually share a baseline).
//!
//! Every input is hostile: content size, operator count and Form XObject depth
//! are bounded, and nothing here indexes or unwraps file data.

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::config::Limits;

mod font;
pub(crate) mod garbage;
mod interp;
mod layout;
mod matrix;
mod words;

pub use words::reads_as_words;

use interp::{Extractor, GState};
use matrix::{num, Matrix, IDENTITY};

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("resource limit: {0}")]
    Limit(String),
    #[error("pdf: {0}")]
    Pdf(String),
}

/// Text of page 1 ([`Page1::text`]).
#[cfg(test)]
pub fn page1_text(doc: &Document, limits: &Limits) -> Result<String, TextError> {
    page1(doc, limits).map(|p| p.text)
}

/// Page 1's text and how it is drawn.
pub struct Page1 {
    /// NFC, one extracted line per `\n`, `\t` between columns.
    pub text: String,
    /// All the page content's text is invisible (`Tr` 3): an OCR layer
    /// under a scanned image, where hand-filled blanks read as blanks.
    pub ocr_layer: bool,
}

/// Page 1's text with the facts about how it is drawn.
pub fn page1(doc: &Document, limits: &Limits) -> Result<Page1, TextError> {
    let page_id = *crate::inspect::pages::page_ids(doc)
        .first()
        .ok_or_else(|| TextError::Pdf("no page 1".into()))?;
    let content = doc
        .get_page_content_with_limit(page_id, limits.max_content_bytes)
        .map_err(|e| match e {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                TextError::Limit(format!(
                    "page-1 content over {} bytes",
                    limits.max_content_bytes
                ))
            }
            e => TextError::Pdf(e.to_string()),
        })?;
    let resources = page_resources(doc, page_id);
    let rotation = page_rotation(doc, page_id);
    let mut ex = Extractor::new(doc, limits, content.len());
    let state = GState {
        ctm: rotation,
        ..GState::default()
    };
    ex.run(&content, &resources, state, 0)?;
    // Widget appearances complete a text page (the stamped number); on a
    // scan they are only the signature box, and reporting that as the
    // page's text would make an image-only page look like it has a text layer.
    let has_text = |r: &&interp::Run| r.text.chars().any(char::is_alphanumeric);
    let mut shown = ex.runs.iter().filter(has_text).peekable();
    let any_text = shown.peek().is_some();
    let ocr_layer = any_text && shown.all(|r| r.invisible);
    if any_text {
        ex.annotations(page_id, &resources, rotation)?;
    }
    Ok(Page1 {
        text: crate::text::nfc(&layout::layout(ex.runs)),
        ocr_layer,
    })
}

/// Text of page 1's annotation appearances only (signature boxes, copy
/// stamps): on a scan, [`page1`] leaves them out.
pub fn page1_widget_text(doc: &Document, limits: &Limits) -> Result<String, TextError> {
    let page_id = *crate::inspect::pages::page_ids(doc)
        .first()
        .ok_or_else(|| TextError::Pdf("no page 1".into()))?;
    let resources = page_resources(doc, page_id);
    let rotation = page_rotation(doc, page_id);
    let mut ex = Extractor::new(doc, limits, 0);
    ex.annotations(page_id, &resources, rotation)?;
    Ok(crate::text::nfc(&layout::layout(ex.runs)))
}

/// The initial CTM that turns user space into the page as displayed, so
/// "top" and "left" mean what a reader sees on a `/Rotate`d page.
fn page_rotation(doc: &Document, page_id: ObjectId) -> Matrix {
    let rotate = inherited(doc, page_id, b"Rotate")
        .and_then(num)
        .map(|r| (r as i64).rem_euclid(360))
        .unwrap_or(0);
    match rotate {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        270 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        _ => IDENTITY,
    }
}

/// A page attribute, looked up through `/Parent` (bounded: page trees can loop).
fn inherited<'d>(doc: &'d Document, page_id: ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
        out.extend(direct);
        out.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A one-page document with Helvetica (WinAnsi) and the given content.
    fn doc_with(content: &[u8], extra: Option<(&str, Vec<u8>)>) -> Document {
        let mut doc = Document::with_version("1.7");
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let mut xobjects = Dictionary::new();
        if let Some((name, body)) = extra {
            let form = doc.new_object_id();
            let stream = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()] },
                body,
            );
            doc.objects.insert(form, Object::Stream(stream));
            xobjects.set(name, Object::Reference(form));
        }
        let resources = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font },
            "XObject" => xobjects,
        });
        let contents = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages,
            "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        doc
    }

    fn text(content: &[u8]) -> String {
        page1_text(&doc_with(content, None), &Limits::default()).unwrap_or_default()
    }

    #[test]
    fn words_placed_by_tm_get_spaces_and_columns_get_tabs() {
        let t = text(
            b"BT /F1 12 Tf 1 0 0 1 50 700 Tm (So:) Tj 1 0 0 1 80 700 Tm (16/KH-UBND) Tj \
              1 0 0 1 300 700 Tm (Dak Glei, ngay) Tj ET",
        );
        assert_eq!(t, "So: 16/KH-UBND\tDak Glei, ngay\n");
    }

    #[test]
    fn lines_top_to_bottom_runs_left_to_right() {
        let t = text(
            b"BT /F1 12 Tf 1 0 0 1 100 600 Tm (second) Tj 1 0 0 1 50 700 Tm (first) Tj \
              1 0 0 1 50 600 Tm (line) Tj ET",
        );
        assert_eq!(t, "first\nline second\n");
    }

    #[test]
    fn large_tj_offsets_make_spaces_small_ones_do_not() {
        let t = text(b"BT /F1 12 Tf 50 700 Td [(Ke) -20 (hoach) -600 (nam)] TJ ET");
        assert_eq!(t, "Kehoach nam\n");
    }

    #[test]
    fn squeezed_space_glyphs_still_separate_words() {
        let t = text(b"BT /F1 12 Tf 50 700 Td [(Ve) ( ) 400 (viec)] TJ ET");
        assert_eq!(t, "Ve viec\n");
    }

    #[test]
    fn td_t_star_and_quote_move_lines() {
        let t = text(b"BT /F1 10 Tf 14 TL 50 700 Td (one) Tj T* (two) Tj (three) ' ET");
        assert_eq!(t, "one\ntwo\nthree\n");
    }

    #[test]
    fn cm_and_q_place_text() {
        let t = text(
            b"q 1 0 0 1 0 100 cm BT /F1 12 Tf 50 600 Td (up) Tj ET Q BT /F1 12 Tf 50 600 Td (down) Tj ET",
        );
        assert_eq!(t, "up\ndown\n");
    }

    #[test]
    fn invisible_text_is_text() {
        assert_eq!(text(b"BT 3 Tr /F1 12 Tf 50 700 Td (ocr) Tj ET"), "ocr\n");
    }

    #[test]
    fn an_all_invisible_page_is_an_ocr_layer() {
        let page = |content: &[u8]| match page1(&doc_with(content, None), &Limits::default()) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert!(page(b"BT 3 Tr /F1 12 Tf 50 700 Td (ocr) Tj ET").ocr_layer);
        assert!(!page(b"BT /F1 12 Tf 50 700 Td (typed) Tj ET").ocr_layer);
        let mixed = b"BT 3 Tr /F1 12 Tf 50 700 Td (ocr) Tj 0 Tr 0 -20 Td (typed) Tj ET";
        assert!(!page(mixed).ocr_layer);
        assert!(!page(b"").ocr_layer);
    }

    #[test]
    fn form_xobjects_are_followed_once() {
        let doc = doc_with(
            b"BT /F1 12 Tf 50 700 Td (page) Tj ET /Fm0 Do /Fm0 Do",
            Some((
                "Fm0",
                b"BT /F1 12 Tf 50 600 Td (form) Tj ET /Fm0 Do".to_vec(),
            )),
        );
        let t = page1_text(&doc, &Limits::default()).unwrap_or_default();
        assert_eq!(t, "page\nform\n");
    }

    fn with_widget(content: &[u8]) -> Document {
        let mut doc = doc_with(content, None);
        let font = lookup_font_ref(&doc);
        let ap = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 40.into(), 20.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            },
            b"BT /F1 12 Tf 2 5 Td (2093) Tj ET".to_vec(),
        ));
        let widget = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig", "F" => 132,
            "Rect" => vec![80.into(), 695.into(), 120.into(), 715.into()],
            "AP" => dictionary! { "N" => ap },
        });
        let pages = doc.get_pages();
        if let Some(page) = pages.get(&1).and_then(|id| doc.get_object_mut(*id).ok()) {
            if let Ok(d) = page.as_dict_mut() {
                d.set("Annots", vec![Object::Reference(widget)]);
            }
        }
        doc
    }

    fn lookup_font_ref(doc: &Document) -> ObjectId {
        doc.objects
            .iter()
            .find(|(_, o)| {
                o.as_dict()
                    .ok()
                    .and_then(|d| d.get(b"BaseFont").ok())
                    .is_some()
            })
            .map(|(id, _)| *id)
            .unwrap_or((0, 0))
    }

    #[test]
    fn widget_appearances_complete_a_text_page_only() {
        let doc = with_widget(b"BT /F1 12 Tf 50 700 Td (So:) Tj 200 0 Td (/QD-BYT) Tj ET");
        let t = page1_text(&doc, &Limits::default()).unwrap_or_default();
        assert_eq!(t, "So: 2093\t/QD-BYT\n");
        let scan = with_widget(b"q 500 0 0 700 0 0 cm Q");
        assert_eq!(
            page1_text(&scan, &Limits::default()).unwrap_or_default(),
            ""
        );
    }

    #[test]
    fn form_depth_is_bounded() {
        let doc = doc_with(
            b"/Fm0 Do",
            Some(("Fm0", b"BT /F1 12 Tf 50 600 Td (form) Tj ET".to_vec())),
        );
        let limits = Limits {
            max_xobject_depth: 0,
            ..Limits::default()
        };
        assert_eq!(page1_text(&doc, &limits).unwrap_or_default(), "");
    }

    #[test]
    fn operator_limit_is_enforced() {
        let doc = doc_with(b"BT /F1 12 Tf (a) Tj (b) Tj (c) Tj ET", None);
        let limits = Limits {
            max_text_ops: 3,
            ..Limits::default()
        };
        assert!(matches!(
            page1_text(&doc, &limits),
            Err(TextError::Limit(_))
        ));
    }

    #[test]
    fn content_limit_is_enforced() {
        let doc = doc_with(b"BT /F1 12 Tf 50 700 Td (some text here) Tj ET", None);
        let limits = Limits {
            max_content_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            page1_text(&doc, &limits),
            Err(TextError::Limit(_))
        ));
    }

    #[test]
    fn garbage_does_not_panic() {
        for content in [
            &b"BT Tf Tj TJ Td Tm cm Q Q Q ET"[..],
            b"BT /F9 12 Tf (x) Tj ET",
            b"BT /F1 1e308 Tf 1e308 1e308 Td (x) Tj ET",
            b"q q q Q Q Q Q Q ] ) (",
            b"BT /F1 12 Tf [ (a) /Name 1 (b) ] TJ 0 0 0 0 0 0 Tm (c) Tj ET",
            b"/Nope Do /F1 Do",
        ] {
            let _ = text(content);
        }
    }
}
