//! PDF001–PDF007, EVD005: can the file be read, and is it a proper PDF?

pub(crate) mod diags;

use diags::{
    empty, low_dpi, no_text_layer, not_a_pdf, old_version, password, restricted, too_complex,
    too_large, unreadable,
};

use crate::facts::{FileFacts, FileKind};
use crate::findings::Finding;

/// The PDF check: each file alone.
pub struct Pdf;

impl super::family::Check for Pdf {
    fn family(&self) -> &'static super::family::Family {
        &diags::FAMILY
    }
    fn file(&self, facts: &FileFacts, _ctx: &super::Context, out: &mut Vec<Finding>) {
        check(facts, out);
    }
}

pub fn check(f: &FileFacts, out: &mut Vec<Finding>) {
    let name = super::file_name(&f.path);
    match f.kind {
        FileKind::Empty => return out.push(empty(name).path(&f.path)),
        FileKind::Other => return out.push(not_a_pdf(name, &f.path).path(&f.path)),
        FileKind::Pdf => {}
    }
    let pdf = &f.pdf;
    if !pdf.restrictions.is_empty() && !pdf.needs_password {
        out.push(restricted(name, &pdf.restrictions).path(&f.path));
    }
    if pdf.needs_password {
        return out.push(password(name).path(&f.path));
    }
    if !pdf.readable {
        let why = pdf.error.as_deref().unwrap_or("unknown error");
        return out.push(unreadable(name, why).path(&f.path));
    }
    if let Some(limit) = &pdf.limit_hit {
        let found = if let Some(max) = pdf.over_size_limit {
            too_large(name, f.size, max, limit)
        } else {
            too_complex(name, limit)
        };
        out.push(found.path(&f.path));
    }
    if let Some(dpi) = pdf.scan_dpi.filter(|d| d + DPI_TOLERANCE < MIN_SCAN_DPI) {
        out.push(
            low_dpi(name, dpi)
                .path(&f.path)
                .fact("dpi", dpi.to_string()),
        );
    }
    let garbled = pdf.text_layer == Some(true) && f.document.text_garbled;
    if pdf.text_layer == Some(false) || garbled {
        let ocr = f.document.source == Some(crate::facts::ReadSource::Ocr);
        out.push(no_text_layer(name, garbled, ocr).path(&f.path));
        if let Some(v) = pdf.version.as_deref().filter(|v| version_below(v, 1, 4)) {
            out.push(old_version(name, v).path(&f.path));
        }
    }
}

/// Decree 30/2020/NĐ-CP, Phụ lục I: digitised copies at 200 dpi or more.
const MIN_SCAN_DPI: u32 = 200;
/// Scanners crop margins, so an A4 page at 200 dpi measures a little under.
const DPI_TOLERANCE: u32 = 5;

fn version_below(v: &str, major: u32, minor: u32) -> bool {
    let mut it = v.split('.').map(|p| p.parse::<u32>().ok());
    match (it.next().flatten(), it.next().flatten()) {
        (Some(a), Some(b)) => (a, b) < (major, minor),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DocumentFacts, PdfFacts};
    use crate::findings::Code;

    fn facts(kind: FileKind, pdf: PdfFacts, path: &str) -> FileFacts {
        FileFacts {
            path: path.into(),
            sha256: String::new(),
            size: 1,
            kind,
            pdf,
            document: DocumentFacts::default(),
            signatures: vec![],
            unsigned_fields: vec![],
        }
    }

    fn codes(f: &FileFacts) -> Vec<Code> {
        let mut out = vec![];
        check(f, &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn renamed_word_file_is_unreadable_pdf() {
        assert_eq!(
            codes(&facts(FileKind::Other, PdfFacts::default(), "a/x.pdf")),
            [Code::Pdf001]
        );
        assert_eq!(
            codes(&facts(FileKind::Other, PdfFacts::default(), "a/x.docx")),
            [Code::Evd005]
        );
        assert_eq!(
            codes(&facts(FileKind::Empty, PdfFacts::default(), "a/x.pdf")),
            [Code::Pdf001]
        );
    }

    #[test]
    fn old_scan_is_flagged() {
        let pdf = PdfFacts {
            readable: true,
            version: Some("1.3".into()),
            text_layer: Some(false),
            ..Default::default()
        };
        assert_eq!(
            codes(&facts(FileKind::Pdf, pdf, "s.pdf")),
            [Code::Pdf003, Code::Pdf004]
        );
    }

    #[test]
    fn low_resolution_scan_is_flagged() {
        let pdf = |dpi| PdfFacts {
            readable: true,
            version: Some("1.7".into()),
            text_layer: Some(false),
            scan_dpi: Some(dpi),
            ..Default::default()
        };
        assert_eq!(
            codes(&facts(FileKind::Pdf, pdf(150), "s.pdf")),
            [Code::Pdf006, Code::Pdf003]
        );
        // An A4 page at 200 dpi with cropped margins measures 199 or so.
        assert_eq!(
            codes(&facts(FileKind::Pdf, pdf(196), "s.pdf")),
            [Code::Pdf003]
        );
    }

    #[test]
    fn encrypted_is_its_own_code() {
        let pdf = PdfFacts {
            encrypted: true,
            needs_password: true,
            ..Default::default()
        };
        assert_eq!(codes(&facts(FileKind::Pdf, pdf, "s.pdf")), [Code::Pdf002]);
    }

    #[test]
    fn owner_password_only_is_info_not_an_error() {
        let open = PdfFacts {
            readable: true,
            encrypted: true,
            text_layer: Some(true),
            ..Default::default()
        };
        assert!(codes(&facts(FileKind::Pdf, open.clone(), "s.pdf")).is_empty());
        let restricted = PdfFacts {
            restrictions: vec!["print".into(), "copy".into()],
            ..open
        };
        let mut out = vec![];
        check(&facts(FileKind::Pdf, restricted, "s.pdf"), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::Pdf007);
        assert_eq!(out[0].severity, crate::findings::Severity::Info);
        assert!(
            out[0].message.en.contains("print, copy"),
            "{}",
            out[0].message.en
        );
        assert!(
            out[0].message.vi.contains("in, sao chép"),
            "{}",
            out[0].message.vi
        );
    }
}
