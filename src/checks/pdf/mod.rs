//! PDF001–PDF005, EVD005: can the file be read, and is it a proper PDF?

pub mod diags;

use crate::facts::{FileFacts, FileKind};
use crate::findings::{Finding, Msg};

/// The PDF check: each file alone.
pub struct Pdf;

impl super::registry::Check for Pdf {
    fn family(&self) -> &'static super::registry::Family {
        &diags::FAMILY
    }
    fn run(&self, input: &super::registry::Input) -> Vec<Finding> {
        input.per_file(check)
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
        out.push(too_complex(name, limit).path(&f.path));
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

/// PDF001: zero bytes.
fn empty(name: &str) -> Finding {
    Finding::new(
        &diags::PDF001,
        Msg::new(
            format!("Tệp {name} rỗng (0 byte): tải lên lại bản đầy đủ."),
            format!("{name} is empty (0 bytes): upload the complete file again."),
        ),
    )
}

/// PDF001 for a file named .pdf that is something else; EVD005 otherwise.
fn not_a_pdf(name: &str, path: &str) -> Finding {
    if path.to_lowercase().ends_with(".pdf") {
        Finding::new(
            &diags::PDF001,
            Msg::new(
                format!("Tệp {name} mang đuôi .pdf nhưng không phải PDF (có thể là tệp Word/ảnh/trang web đổi tên): xuất lại đúng định dạng PDF."),
                format!("{name} is named .pdf but is not a PDF (perhaps a renamed Word file, image or web page): export a real PDF."),
            ),
        )
    } else {
        Finding::new(
            &diags::EVD005,
            Msg::new(
                format!("Tệp {name} không phải PDF: TLKC nộp lên phần mềm chấm điểm nên là văn bản điện tử PDF có chữ ký số."),
                format!("{name} is not a PDF: evidence uploaded for scoring should be digitally signed PDF documents."),
            ),
        )
    }
}

/// PDF002: it does not open without a password.
fn password(name: &str) -> Finding {
    Finding::new(
        &diags::PDF002,
        Msg::new(
            format!("Tệp {name} được đặt mật khẩu: Hội đồng thẩm định không mở được và không kiểm tra được chữ ký số. Tải lại bản gốc không đặt mật khẩu từ hệ thống quản lý văn bản; nếu bản gốc có mật khẩu, đề nghị nơi ban hành gửi bản không đặt mật khẩu (bỏ mật khẩu trên bản đã ký làm mất hiệu lực chữ ký)."),
            format!("{name} is password-protected: the appraisal council cannot open it and its signatures cannot be checked. Download the original without a password from the document system again; if the original has one, ask the issuer for a copy without it (removing the password from a signed file breaks its signatures)."),
        ),
    )
}

/// PDF001: a PDF that cannot be parsed.
fn unreadable(name: &str, why: &str) -> Finding {
    Finding::new(
        &diags::PDF001,
        Msg::new(
            format!("Không đọc được tệp PDF {name}: tệp có thể bị hỏng hoặc tải về chưa hết. Tải lại bản gốc từ hệ thống quản lý văn bản."),
            format!("{name} cannot be read as a PDF ({why}): it may be damaged or incompletely downloaded. Download the original again from the document system."),
        ),
    )
    .fact("detail", why)
}

/// PDF005: a safety limit stopped the reading.
fn too_complex(name: &str, limit: &str) -> Finding {
    Finding::new(
        &diags::PDF005,
        Msg::new(
            format!("Tệp {name} quá phức tạp, vượt giới hạn an toàn khi đọc: số, ngày văn bản không được kiểm tra. Nếu tệp đúng là văn bản cần nộp, nới giới hạn trong mục [limits] của tlkc.toml (xem docs/limits.md)."),
            format!("{name} exceeded a safety limit while being read ({limit}): its number and date were not checked. If the file is genuine evidence, raise the limit in [limits] of tlkc.toml (see docs/limits.md)."),
        ),
    )
    .fact("detail", limit)
}

/// PDF004: a digitised copy below PDF 1.4.
fn old_version(name: &str, v: &str) -> Finding {
    Finding::new(
        &diags::PDF004,
        Msg::new(
            format!(
                "Bản số hóa {name} là PDF {v}, thấp hơn chuẩn PDF 1.4 của Nghị định 30/2020/NĐ-CP."
            ),
            format!(
                "The digitised copy {name} is PDF {v}, below Decree 30/2020's PDF 1.4 minimum."
            ),
        ),
    )
}

/// PDF007: opens without a password, but an owner password withholds rights.
fn restricted(name: &str, what: &[String]) -> Finding {
    let vi: Vec<&str> = what
        .iter()
        .map(|w| match w.as_str() {
            "print" => "in",
            "copy" => "sao chép",
            _ => "chỉnh sửa",
        })
        .collect();
    Finding::new(
        &diags::PDF007,
        Msg::new(
            format!(
                "{name} mở được không cần mật khẩu nhưng mật khẩu chủ sở hữu cấm: {}.",
                vi.join(", ")
            ),
            format!(
                "{name} opens without a password, but an owner password forbids: {}.",
                what.join(", ")
            ),
        ),
    )
}

/// PDF003: a scan with no text layer, or with one that does not read as
/// Vietnamese (a poor OCR layer, a font-encoding shift).
fn no_text_layer(name: &str, garbled: bool, ocr: bool) -> Finding {
    let msg = if garbled {
        Msg::new(
            format!("Lớp chữ của {name} không đọc được thành tiếng Việt (nhận dạng OCR kém hoặc lỗi phông): không kiểm tra được số, ký hiệu và ngày ban hành."),
            format!("The text layer of {name} does not read as Vietnamese (poor OCR or a broken font): its number, symbol and date cannot be verified."),
        )
    } else if ocr {
        Msg::new(
            format!("Tệp {name} là bản quét (không có lớp chữ): tlkc chỉ đọc bằng OCR những gì chắc chắn; phần còn lại của số, ký hiệu và ngày ban hành không kiểm tra được."),
            format!("{name} is a scan with no text layer: tlkc kept only what OCR read for certain; the rest of its number, symbol and date cannot be verified."),
        )
    } else {
        Msg::new(
            format!("Tệp {name} là bản quét (không có lớp chữ): không kiểm tra được số, ký hiệu và ngày ban hành."),
            format!("{name} is a scan with no text layer: its number, symbol and date cannot be verified."),
        )
    };
    Finding::new(&diags::PDF003, msg)
}

/// PDF006: a scan below Decree 30's resolution.
fn low_dpi(name: &str, dpi: u32) -> Finding {
    Finding::new(
        &diags::PDF006,
        Msg::new(
            format!("Bản quét {name} chỉ có độ phân giải khoảng {dpi} dpi, thấp hơn mức tối thiểu 200 dpi của Nghị định 30/2020/NĐ-CP."),
            format!("The scan {name} is about {dpi} dpi, below Decree 30/2020's 200 dpi minimum."),
        ),
    )
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
