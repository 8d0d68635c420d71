//! Inspection: what a file is and what it says. Produces [`FileFacts`];
//! never judges.

pub mod budget;
pub(crate) mod citations;
pub(crate) mod copy;
pub mod document;
pub mod guard;
pub mod heap;
pub mod ocr;
pub mod pages;
pub mod signature;
pub(crate) mod text;
pub(crate) mod verify_memo;

use crate::config::Limits;
use crate::facts::{DocumentFacts, FileFacts, FileKind, PdfFacts, ReadSource};
pub use signature::TrustAnchors;

/// Settings that shape inspection.
#[derive(Debug, Clone, Default)]
pub struct InspectOptions {
    pub limits: Limits,
    pub trust: TrustAnchors,
    /// OCR of scanned page 1 (off unless an engine is given).
    pub ocr: ocr::OcrOptions,
}

/// What the first bytes say the file is.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.is_empty() {
        return FileKind::Empty;
    }
    // The header may follow up to 1 KiB of junk (PDF 32000-1 §7.5.2 leniency in readers).
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        FileKind::Pdf
    } else {
        FileKind::Other
    }
}

/// Inspect one file's bytes. `path` is the NFC relative path.
pub fn inspect_bytes(path: String, bytes: &[u8], opts: &InspectOptions) -> FileFacts {
    let hash = signature::filehash::hash_file(bytes, &opts.limits);
    inspect_bytes_hashed(path, bytes, hash, opts)
}

/// [`inspect_bytes`] for a caller that already hashed `bytes` (the index stage):
/// `hash` must be [`signature::filehash::hash_file`] of `bytes`. Saves the second pass over the file.
pub fn inspect_bytes_hashed(
    path: String,
    bytes: &[u8],
    hash: signature::filehash::FileHash,
    opts: &InspectOptions,
) -> FileFacts {
    inspect_bytes_within(
        path,
        bytes,
        hash,
        opts,
        &budget::Budget::from_limits(&opts.limits),
    )
}

/// [`inspect_bytes_hashed`] under a `budget` that the caller (the watchdog
/// in [`guard`]) may cancel: the long loops stop when it is over.
pub fn inspect_bytes_within(
    path: String,
    bytes: &[u8],
    hash: signature::filehash::FileHash,
    opts: &InspectOptions,
    budget: &budget::Budget,
) -> FileFacts {
    debug_assert_eq!(hash.sha256.len(), 64);
    let signature::filehash::FileHash { sha256, prefixes } = hash;
    let kind = sniff(bytes);
    if kind != FileKind::Pdf {
        return not_pdf(path, sha256, bytes.len() as u64, kind);
    }
    let mut facts = FileFacts {
        path,
        sha256,
        size: bytes.len() as u64,
        kind,
        pdf: PdfFacts::default(),
        document: DocumentFacts::default(),
        signatures: Vec::new(),
        unsigned_fields: Vec::new(),
    };
    facts.pdf.version = header_version(bytes);
    facts.pdf.revisions = Some(count_eof_markers(bytes));
    let mut page_text = String::new();
    // lopdf parses the file with the signatures' hex replaced (see
    // `signature::ParseView`); the signatures are read from the file itself.
    let view = signature::ParseView::new(bytes, &signature::scan_ranges(bytes, &opts.limits));
    let doc = match load_pdf(view.bytes(), &opts.limits) {
        Ok(mut doc) => {
            view.restore(&mut doc);
            Some(doc)
        }
        Err(e) => {
            facts.pdf.error = Some(e);
            None
        }
    };
    if let Some(doc) = &doc {
        encryption(doc, &mut facts.pdf);
        // Counted as a reader counts them: lopdf's walk drops kids typed
        // other than /Page, which poppler and pdf.js still show.
        let pages = pages::page_ids(doc).len() as u32;
        facts.pdf.pages = Some(pages);
        if facts.pdf.needs_password {
            // Encrypted with a user password: nothing more can be read.
            facts.pdf.readable = false;
            facts.pdf.error = Some("encrypted with a password".into());
        } else if pages == 0 {
            facts.pdf.readable = false;
            facts.pdf.error = Some("no pages".into());
        } else {
            facts.pdf.readable = true;
            match text::page1(doc, &opts.limits) {
                Ok(text::Page1 { text: t, ocr_layer }) => {
                    let t = crate::text::fix_legacy_letters(&t);
                    facts.pdf.ocr_layer = ocr_layer;
                    read_page1(doc, &t, opts, budget, &mut facts);
                    page_text = t;
                }
                Err(text::TextError::Limit(what)) => facts.pdf.limit_hit = Some(what),
                Err(text::TextError::Pdf(_)) => facts.pdf.text_layer = None,
            }
        }
    }
    let scan = signature::inspect_signatures_in(
        bytes,
        &view,
        &prefixes,
        doc.as_ref(),
        &opts.trust,
        &opts.limits,
    );
    drop(view);
    if let Some(what) = scan.limit_hit {
        facts.pdf.limit_hit.get_or_insert(what);
    }
    facts.signatures = scan.signatures;
    facts.unsigned_fields = scan.unsigned_fields;
    leading_bytes(bytes, opts, &mut facts);
    facts.pdf.producer = doc.as_ref().and_then(producer);
    if let Some(doc) = doc.as_ref().filter(|_| facts.pdf.readable) {
        // A scan's only text is often the copy stamp in a widget appearance.
        if facts.pdf.text_layer == Some(false) {
            page_text = text::page1_widget_text(doc, &opts.limits).unwrap_or_default();
        }
        facts.document.copy = copy::detect(&page_text, &facts.signatures);
    }
    facts
}

/// All there is to know of a file that [`sniff`] says is not a PDF (`kind`
/// is [`FileKind::Empty`] or [`FileKind::Other`]): its bytes are not read further.
pub(crate) fn not_pdf(path: String, sha256: String, size: u64, kind: FileKind) -> FileFacts {
    FileFacts {
        path,
        sha256,
        size,
        kind,
        pdf: PdfFacts {
            error: Some(match kind {
                FileKind::Empty => "empty file".into(),
                _ => "no %PDF- header".into(),
            }),
            ..PdfFacts::default()
        },
        document: DocumentFacts::default(),
        signatures: Vec::new(),
        unsigned_fields: Vec::new(),
    }
}

/// Bytes before `%PDF-`, and whether the signatures that failed verify
/// once they are skipped: then the file is a damaged copy of a sound
/// original (download it again), not a document altered after signing.
fn leading_bytes(bytes: &[u8], opts: &InspectOptions, facts: &mut FileFacts) {
    let head = &bytes[..bytes.len().min(1024)];
    let Some(at) = memchr::memmem::find(head, b"%PDF-").filter(|at| *at > 0) else {
        return;
    };
    facts.pdf.leading_bytes = at as u64;
    let failed = facts.signatures.iter().any(|s| {
        s.intact == Some(false)
            || s.crypto_valid == Some(false)
            || s.coverage == Some(crate::facts::Coverage::Unclear)
    });
    if !failed {
        return;
    }
    let again = signature::inspect_signatures(&bytes[at..], None, &opts.trust, &opts.limits);
    facts.pdf.signatures_verify_without_leading_bytes = Some(
        !again.signatures.is_empty()
            && again
                .signatures
                .iter()
                .all(|s| s.intact == Some(true) && s.crypto_valid == Some(true)),
    );
}

/// /Producer of the trailer's /Info: the software that saved the file last.
fn producer(doc: &lopdf::Document) -> Option<String> {
    let info = match doc.trailer.get(b"Info").ok()? {
        lopdf::Object::Reference(id) => doc.get_object(*id).ok()?,
        other => other,
    };
    let bytes = info.as_dict().ok()?.get(b"Producer").ok()?.as_str().ok()?;
    let p = signature::pdf_text(bytes).trim().to_string();
    (!p.is_empty()).then_some(p)
}

/// Encryption as it is: lopdf tries the empty user password while loading
/// (the standard security handler, RC4/AES-128/AES-256, revisions 2–6) and,
/// when it is accepted, decrypts the file and drops /Encrypt from the
/// trailer. So /Encrypt still there means a password is needed.
fn encryption(doc: &lopdf::Document, pdf: &mut PdfFacts) {
    let opened = doc.encryption_state.as_ref();
    pdf.needs_password = doc.is_encrypted();
    pdf.encrypted = pdf.needs_password || opened.is_some();
    let p = match opened {
        Some(state) => Some(state.permissions().bits()),
        None => doc
            .get_encrypted()
            .ok()
            .and_then(|e| e.get(b"P").ok())
            .and_then(|p| p.as_i64().ok())
            // /P is a signed 32-bit field; its bits are what matter.
            .map(|p| p as u32 as u64),
    };
    if let (true, Some(p)) = (pdf.encrypted, p) {
        pdf.restrictions = restrictions(p);
    }
}

/// The /P bits (PDF 32000-1 Table 22) an owner password can withhold, by
/// what a reader notices: print (bit 3), copy (bit 5), change (bits 4, 6, 9, 11).
fn restrictions(p: u64) -> Vec<String> {
    let bit = |n: u32| p & (1 << (n - 1)) != 0;
    let mut out = Vec::new();
    if !bit(3) {
        out.push("print".to_string());
    }
    if !bit(5) {
        out.push("copy".to_string());
    }
    if !(bit(4) && bit(6) && bit(9) && bit(11)) {
        out.push("change".to_string());
    }
    out
}

/// Page 1 from its text layer; from OCR when the layer is missing, says
/// nothing, or is not Vietnamese text (then it counts as no text layer).
fn read_page1(
    doc: &lopdf::Document,
    text: &str,
    opts: &InspectOptions,
    budget: &budget::Budget,
    facts: &mut FileFacts,
) {
    let has_text = text.chars().any(|c| c.is_alphanumeric());
    // Garbage is a broken glyph mapping, not missing accents: a visible text
    // layer of real words (Vietnamese typed without marks, English) is text.
    // An invisible OCR layer without marks is still the scanner's guess.
    let garbled = has_text
        && text::garbage::is_garbage(text)
        && (facts.pdf.ocr_layer || !text::reads_as_words(text));
    facts.pdf.text_layer = Some(has_text && !garbled);
    facts.pdf.text_garbled = garbled;
    if has_text && !garbled {
        facts.document = document::parse_document(text);
        facts.document.source = Some(ReadSource::Text);
        facts.document.citations = citations::extract(text, facts.document.number.as_deref());
    }
    let d = &facts.document;
    if d.number.is_none() && d.date_line.is_none() && d.title_type.is_none() {
        // A scan (perhaps with a copy stamp's text): its resolution, and OCR.
        ocr::read_scan(doc, opts, budget, facts);
    }
    facts.document.date_month = ocr::month_of(&facts.document);
}

fn load_pdf(bytes: &[u8], limits: &Limits) -> Result<lopdf::Document, String> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..Default::default()
    };
    lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| e.to_string())
}

fn header_version(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let at = memchr::memmem::find(head, b"%PDF-")? + 5;
    let v: String = head[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .map(|b| *b as char)
        .collect();
    (!v.is_empty()).then_some(v)
}

fn count_eof_markers(bytes: &[u8]) -> u32 {
    memchr::memmem::find_iter(bytes, b"%%EOF").count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_kinds() {
        assert_eq!(sniff(b""), FileKind::Empty);
        assert_eq!(sniff(b"PK\x03\x04word"), FileKind::Other);
        assert_eq!(sniff(b"%PDF-1.7\n"), FileKind::Pdf);
    }

    #[test]
    fn restrictions_from_p_bits() {
        // -4 (0xFFFFFFFC): everything allowed.
        assert!(restrictions(-4i32 as u32 as u64).is_empty());
        // -3904 (Acrobat "no printing, no changes, no copying").
        assert_eq!(
            restrictions(-3904i32 as u32 as u64),
            ["print", "copy", "change"]
        );
        // Printing allowed, nothing else.
        let print_only = (-4i32 as u32 as u64) & !(1 << 3) & !(1 << 4);
        assert_eq!(restrictions(print_only), ["copy", "change"]);
    }

    #[test]
    fn reads_header_version() {
        assert_eq!(header_version(b"%PDF-1.3\n%..."), Some("1.3".into()));
        assert_eq!(header_version(b"%PDF-\n"), None);
    }
}
