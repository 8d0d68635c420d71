//! The pdf family's finding codes (number, name, severity, the explanation
//! `tlkc explain` prints, how reports treat them) and the messages its
//! findings say, in Vietnamese and English.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Finding, Handling, Msg, Severity, Text};

/// The pdf family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "pdf",
    about: "Can the file be opened and read as a PDF the council accepts?",
    reads: &[Reads::Pdf, Reads::Document],
    owns: &[
        &EVD005, &PDF001, &PDF002, &PDF003, &PDF004, &PDF005, &PDF006, &PDF007,
    ],
    borrows: &[],
};

pub static EVD005: Diag = Diag {
    code: Code::Evd005,
    name: "file-not-pdf",
    severity: Severity::Warning,
    summary: Text {
        vi: "Tệp minh chứng không phải PDF",
        en: "Evidence file is not a PDF",
    },
    explain: Text {
        vi: "TLKC nộp lên phần mềm chấm điểm là văn bản điện tử (PDF có chữ ký số). Tệp Word, Excel, ảnh… không có giá trị pháp lý như văn bản điện tử đã ký số.\nCách xử lý: nộp bản PDF đã ký số của văn bản.",
        en: "Evidence for scoring is electronic documents (digitally signed PDFs). Word, Excel or image files lack the legal value of a signed electronic document.\nFix: submit the signed PDF of the document.",
    },
    handling: Handling::PLAIN,
};

pub static PDF001: Diag = Diag {
    code: Code::Pdf001,
    name: "pdf-unreadable",
    severity: Severity::Error,
    summary: Text {
        vi: "Không đọc được tệp hoặc không phải PDF",
        en: "Unreadable or not a PDF",
    },
    explain: Text {
        vi: "Tệp rỗng, hỏng, tải về chưa hết, hoặc là loại tệp khác mang đuôi .pdf (Word, trang web báo lỗi, ảnh). Hội đồng thẩm định cũng sẽ không mở được.\nCách xử lý: tải lại hoặc xuất lại bản PDF từ hệ thống.",
        en: "The file is empty, damaged, incompletely downloaded, or another kind of file named .pdf (Word, an error web page, an image). The council will not be able to open it either.\nFix: download or export the PDF again.",
    },
    handling: Handling::PLAIN,
};

pub static PDF002: Diag = Diag {
    code: Code::Pdf002,
    name: "pdf-encrypted",
    severity: Severity::Error,
    summary: Text {
        vi: "PDF được đặt mật khẩu",
        en: "PDF is encrypted",
    },
    explain: Text {
        vi: "Tệp PDF yêu cầu mật khẩu để mở (mật khẩu người dùng; tlkc đã thử mật khẩu rỗng): không kiểm tra được nội dung, Hội đồng thẩm định cũng không mở được. Tệp chỉ có mật khẩu chủ sở hữu (mở được không cần mật khẩu) không thuộc lỗi này mà là PDF007.\nCách xử lý: bỏ mật khẩu, ký số lại và nộp.",
        en: "The PDF needs a password to open (a user password; tlkc tried the empty one): its content cannot be checked, and the council cannot open it either. A file with only an owner password (it opens without one) is not this error but PDF007.\nFix: remove the password, sign again and submit.",
    },
    handling: Handling::PLAIN,
};

pub static PDF003: Diag = Diag {
    code: Code::Pdf003,
    name: "pdf-no-text-layer",
    severity: Severity::Warning,
    summary: Text {
        vi: "PDF không có lớp chữ (bản quét)",
        en: "No text layer (scan)",
    },
    explain: Text {
        vi: "Trang 1 chỉ có hình ảnh (hoặc lớp chữ không phải tiếng Việt, do máy quét nhận dạng sai): tlkc không đọc được số, ký hiệu, ngày ban hành từ lớp chữ nên không kiểm tra đầy đủ thể thức và thời hạn. Khi có Tesseract (gói tesseract-ocr, tesseract-ocr-vie), tlkc đọc trang 1 bằng OCR và chỉ giữ giá trị khớp đúng thể thức Nghị định 30: số và ngày viết tay thường bị bỏ, còn loại văn bản, cơ quan, tháng và năm được giữ.\nCách xử lý: nộp văn bản điện tử gốc; nếu là bản sao điện tử, kiểm tra bằng mắt số, ngày và chữ ký số của cơ quan.",
        en: "Page 1 is images only (or its text layer is not Vietnamese, a scanner's failed recognition): tlkc cannot read the number, symbol or date from text, so format and deadline are not fully checked. With Tesseract installed (tesseract-ocr, tesseract-ocr-vie) tlkc reads page 1 by OCR and keeps only values that fit the Decree 30 format exactly: a handwritten number or day is usually dropped, while the type, issuer, month and year are kept.\nFix: submit the original electronic document; for an electronic copy, check its number, date and organisation signature by eye.",
    },
    handling: Handling::PLAIN,
};

pub static PDF004: Diag = Diag {
    code: Code::Pdf004,
    name: "pdf-version-too-old",
    severity: Severity::Warning,
    summary: Text {
        vi: "Bản số hóa thấp hơn chuẩn PDF 1.4",
        en: "Digitised copy below PDF 1.4",
    },
    explain: Text {
        vi: "Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần II: bản số hóa phải là PDF phiên bản 1.4 trở lên, ảnh màu, độ phân giải tối thiểu 200 dpi, tỷ lệ 100%.\nCách xử lý: số hóa lại bằng phần mềm tạo PDF từ 1.4 trở lên.",
        en: "Decree 30/2020, Appendix I, Part II: a digitised copy is PDF 1.4 or later, colour, at least 200 dpi, 100 % scale.\nFix: digitise again with software producing PDF 1.4 or later.",
    },
    handling: Handling::PLAIN,
};

pub static PDF005: Diag = Diag {
    code: Code::Pdf005,
    name: "pdf-too-complex",
    severity: Severity::Warning,
    summary: Text {
        vi: "PDF quá phức tạp: vượt giới hạn an toàn",
        en: "PDF too complex: resource limit hit",
    },
    explain: Text {
        vi: "Khi đọc tệp, tlkc chạm một giới hạn an toàn (dung lượng tệp, dung lượng giải nén, độ sâu lồng, số đối tượng, bộ nhớ dành cho ảnh quét, thời gian) để một tệp bất thường không làm treo cả lượt kiểm tra. Phần chưa đọc không được kiểm tra. Hết thời gian là chuyện của lượt chạy đó (máy đang bận): lượt kiểm tra sau đọc lại tệp.\nCách xử lý: xuất lại PDF; có thể nâng giới hạn trong [limits] của tlkc.toml nếu tệp là hợp lệ.",
        en: "While reading the file tlkc hit a safety limit (file size, decompressed size, nesting depth, object count, memory for scan images, time) that keeps one abnormal file from stalling the run. What was not read was not checked. Running out of time belongs to that run (a busy machine): the next check reads the file again.\nFix: export the PDF again; raise the limit under [limits] in tlkc.toml if the file is legitimate.",
    },
    handling: Handling::PLAIN,
};

pub static PDF006: Diag = Diag {
    code: Code::Pdf006,
    name: "scan-resolution-low",
    severity: Severity::Info,
    summary: Text {
        vi: "Bản quét có độ phân giải dưới 200 dpi",
        en: "Scan below 200 dpi",
    },
    explain: Text {
        vi: "Nghị định 30/2020/NĐ-CP (Phụ lục I) yêu cầu bản số hóa từ văn bản giấy có độ phân giải tối thiểu 200 dpi. tlkc đo độ phân giải của ảnh quét phủ trang 1 (số điểm ảnh so với kích thước in trên trang, lấy chiều thấp hơn; dung sai 5 dpi cho lề cắt của máy quét). Bản quét thấp hơn có thể bị coi là không đọc rõ. Đây là thông tin, không phải cảnh báo: văn bản thật của cơ quan nhà nước cũng thường được quét dưới 200 dpi (2 trong 40 văn bản thật tlkc đã đối chiếu) và chưa thấy Hội đồng trừ điểm vì lý do này.\nCách xử lý: quét lại văn bản gốc ở 200 dpi trở lên (thường 300 dpi), ký số lại bản sao nếu cần.",
        en: "Decree 30/2020/NĐ-CP (Annex I) requires copies digitised from paper to be at least 200 dpi. tlkc measures the scan covering page 1 (pixels against its printed size on the page, the lower axis; 5 dpi of tolerance for scanner margins). A lower resolution may be judged illegible. This is information, not a warning: genuine state documents are often scanned below 200 dpi (2 of the 40 genuine documents tlkc is calibrated on) and no appraisal has been seen to deduct points for it.\nFix: scan the original again at 200 dpi or more (300 dpi is usual) and sign the copy again if needed.",
    },
    handling: Handling::PLAIN,
};

pub static PDF007: Diag = Diag {
    code: Code::Pdf007,
    name: "pdf-restricted",
    severity: Severity::Info,
    summary: Text {
        vi: "PDF bị hạn chế quyền (mật khẩu chủ sở hữu)",
        en: "PDF restricted by an owner password",
    },
    explain: Text {
        vi: "Tệp mở được không cần mật khẩu nhưng được mã hóa với mật khẩu chủ sở hữu cấm một số thao tác (in, sao chép nội dung, chỉnh sửa) theo cờ /P. Không mất điểm: Hội đồng thẩm định vẫn đọc được; nhưng người chấm có thể không in hoặc sao chép được.\nCách xử lý: nếu không có lý do hạn chế, xuất lại PDF không đặt mật khẩu rồi ký số.",
        en: "The file opens without a password but is encrypted with an owner password that forbids some actions (printing, copying content, changing) through its /P flags. No points are lost: the council can read it; but an assessor may be unable to print or copy from it.\nFix: if there is no reason for the restriction, export the PDF again without a password and sign it.",
    },
    handling: Handling::PLAIN,
};

/// PDF001: zero bytes.
pub(super) fn empty(name: &str) -> Finding {
    Finding::new(
        &PDF001,
        Msg::new(
            format!("Tệp {name} rỗng (0 byte): tải lên lại bản đầy đủ."),
            format!("{name} is empty (0 bytes): upload the complete file again."),
        ),
    )
}

/// PDF001 for a file named .pdf that is something else; EVD005 otherwise.
pub(super) fn not_a_pdf(name: &str, path: &str) -> Finding {
    if path.to_lowercase().ends_with(".pdf") {
        Finding::new(
            &PDF001,
            Msg::new(
                format!("Tệp {name} mang đuôi .pdf nhưng không phải PDF (có thể là tệp Word/ảnh/trang web đổi tên): xuất lại đúng định dạng PDF."),
                format!("{name} is named .pdf but is not a PDF (perhaps a renamed Word file, image or web page): export a real PDF."),
            ),
        )
    } else {
        Finding::new(
            &EVD005,
            Msg::new(
                format!("Tệp {name} không phải PDF: TLKC nộp lên phần mềm chấm điểm nên là văn bản điện tử PDF có chữ ký số."),
                format!("{name} is not a PDF: evidence uploaded for scoring should be digitally signed PDF documents."),
            ),
        )
    }
}

/// PDF002: it does not open without a password.
pub(super) fn password(name: &str) -> Finding {
    Finding::new(
        &PDF002,
        Msg::new(
            format!("Tệp {name} được đặt mật khẩu: Hội đồng thẩm định không mở được và không kiểm tra được chữ ký số. Tải lại bản gốc không đặt mật khẩu từ hệ thống quản lý văn bản; nếu bản gốc có mật khẩu, đề nghị nơi ban hành gửi bản không đặt mật khẩu (bỏ mật khẩu trên bản đã ký làm mất hiệu lực chữ ký)."),
            format!("{name} is password-protected: the appraisal council cannot open it and its signatures cannot be checked. Download the original without a password from the document system again; if the original has one, ask the issuer for a copy without it (removing the password from a signed file breaks its signatures)."),
        ),
    )
}

/// PDF001: a PDF that cannot be parsed.
pub(super) fn unreadable(name: &str, why: &str) -> Finding {
    Finding::new(
        &PDF001,
        Msg::new(
            format!("Không đọc được tệp PDF {name}: tệp có thể bị hỏng hoặc tải về chưa hết. Tải lại bản gốc từ hệ thống quản lý văn bản."),
            format!("{name} cannot be read as a PDF ({why}): it may be damaged or incompletely downloaded. Download the original again from the document system."),
        ),
    )
    .fact("detail", why)
}

/// PDF005: a safety limit stopped the reading.
pub(super) fn too_complex(name: &str, limit: &str) -> Finding {
    Finding::new(
        &PDF005,
        Msg::new(
            format!("Tệp {name} quá phức tạp, vượt giới hạn an toàn khi đọc: số, ngày văn bản không được kiểm tra. Nếu tệp đúng là văn bản cần nộp, nới giới hạn trong mục [limits] của tlkc.toml (xem docs/limits.md)."),
            format!("{name} exceeded a safety limit while being read ({limit}): its number and date were not checked. If the file is genuine evidence, raise the limit in [limits] of tlkc.toml (see docs/limits.md)."),
        ),
    )
    .fact("detail", limit)
}

/// PDF005 for a file larger than `limits.max_file_bytes`: hashed, never opened.
pub(super) fn too_large(name: &str, size: u64, max: u64, limit: &str) -> Finding {
    use crate::text::size_text;
    let (size_vi, max_vi) = (size_text(size, true), size_text(max, true));
    let (size_en, max_en) = (size_text(size, false), size_text(max, false));
    Finding::new(
        &PDF005,
        Msg::new(
            format!("Tệp {name} nặng {size_vi}, lớn hơn giới hạn {max_vi} mà tlkc đọc (max_file_bytes): tlkc chỉ tính mã băm, không mở tệp, nên số, ngày và chữ ký số chưa được kiểm tra. Nếu tệp đúng là văn bản cần nộp, giảm dung lượng (quét lại ở 200–300 dpi, ảnh nén JPEG) hoặc nới max_file_bytes trong mục [limits] của tlkc.toml (xem docs/limits.md)."),
            format!("{name} weighs {size_en}, more than the {max_en} tlkc reads ({limit}): tlkc only hashed it, without opening it, so its number, date and digital signatures were not checked. If the file is genuine evidence, make it smaller (scan again at 200–300 dpi with JPEG compression) or raise max_file_bytes in [limits] of tlkc.toml (see docs/limits.md)."),
        ),
    )
    .fact("detail", limit)
}

/// PDF004: a digitised copy below PDF 1.4.
pub(super) fn old_version(name: &str, v: &str) -> Finding {
    Finding::new(
        &PDF004,
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
pub(super) fn restricted(name: &str, what: &[String]) -> Finding {
    let vi: Vec<&str> = what
        .iter()
        .map(|w| match w.as_str() {
            "print" => "in",
            "copy" => "sao chép",
            _ => "chỉnh sửa",
        })
        .collect();
    Finding::new(
        &PDF007,
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
pub(super) fn no_text_layer(name: &str, garbled: bool, ocr: bool) -> Finding {
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
    Finding::new(&PDF003, msg)
}

/// PDF006: a scan below Decree 30's resolution.
pub(super) fn low_dpi(name: &str, dpi: u32) -> Finding {
    Finding::new(
        &PDF006,
        Msg::new(
            format!("Bản quét {name} chỉ có độ phân giải khoảng {dpi} dpi, thấp hơn mức tối thiểu 200 dpi của Nghị định 30/2020/NĐ-CP."),
            format!("The scan {name} is about {dpi} dpi, below Decree 30/2020's 200 dpi minimum."),
        ),
    )
}
