//! The document family's finding codes (number, name, severity, the explanation
//! `tlkc explain` prints, how reports treat them) and the messages its
//! findings say, in Vietnamese and English.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Finding, Handling, Msg, Severity, Text};

/// The document family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "document",
    about: "Do the number, date line, type and issuer follow Decree 30?",
    reads: &[Reads::Pdf, Reads::Document, Reads::Hashes, Reads::Ruleset],
    owns: &[
        &DOC001, &DOC002, &DOC003, &DOC004, &DOC005, &DOC006, &DOC007, &DOC008, &DOC009,
    ],
    borrows: &[],
};

pub static DOC001: Diag = Diag {
    code: Code::Doc001,
    name: "number-missing",
    severity: Severity::Warning,
    summary: Text {
        vi: "Không có số văn bản",
        en: "No document number",
    },
    explain: Text {
        vi: "Trang 1 có chữ nhưng không tìm thấy \"Số: …/…\", hoặc số để trống (bản dự thảo). Văn bản phát hành phải được cấp số theo thứ tự trong năm (Nghị định 30/2020/NĐ-CP, Điều 15).\nCách xử lý: nộp bản đã cấp số, không nộp dự thảo.",
        en: "Page 1 has text but no \"Số: …/…\" line, or the number is blank (a draft). An issued document is numbered in sequence within the year (Decree 30/2020, Art. 15).\nFix: submit the numbered issued document, not a draft.",
    },
    handling: Handling::PLAIN,
};

pub static DOC002: Diag = Diag {
    code: Code::Doc002,
    name: "number-malformed",
    severity: Severity::Warning,
    summary: Text {
        vi: "Số, ký hiệu sai thể thức",
        en: "Number/symbol malformed",
    },
    explain: Text {
        vi: "Số và ký hiệu theo Phụ lục I Nghị định 30/2020/NĐ-CP: số Ả Rập (dưới 10 thêm số 0), \"/\" giữa số và ký hiệu, \"-\" giữa các nhóm chữ viết tắt, chữ in hoa, không có khoảng trắng (ví dụ 1558/KH-UBND). Sai như 641/KH_UBND dễ bị trả lại.\nCách xử lý: kiểm tra lại văn bản gốc; nếu sai trên văn bản đã phát hành, ghi chú khi giải trình.",
        en: "Decree 30/2020, Appendix I: Arabic number (leading zero below 10), \"/\" between number and symbol, \"-\" between abbreviation groups, upper case, no spaces (e.g. 1558/KH-UBND). Errors such as 641/KH_UBND invite rejection.\nFix: check the original; if the issued document is wrong, mention it in the explanation.",
    },
    handling: Handling::PLAIN,
};

pub static DOC003: Diag = Diag {
    code: Code::Doc003,
    name: "type-title-mismatch",
    severity: Severity::Warning,
    summary: Text {
        vi: "Viết tắt tên loại không khớp tên loại văn bản",
        en: "Type abbreviation disagrees with the title",
    },
    explain: Text {
        vi: "Ký hiệu văn bản bắt đầu bằng chữ viết tắt tên loại (Phụ lục III: KH = Kế hoạch, BC = Báo cáo…) nhưng tên loại in trên văn bản khác (ví dụ \"KẾ HOẠCH\" mà ký hiệu /BC-).\nCách xử lý: kiểm tra lại văn bản; có thể nộp nhầm văn bản.",
        en: "The symbol starts with a type abbreviation (Appendix III: KH = plan, BC = report…) that differs from the type name printed on the document (e.g. \"KẾ HOẠCH\" with /BC-).\nFix: check the document; the wrong file may have been filed.",
    },
    handling: Handling::PLAIN,
};

pub static DOC004: Diag = Diag {
    code: Code::Doc004,
    name: "number-reused",
    severity: Severity::Warning,
    summary: Text {
        vi: "Hai văn bản khác nhau trùng số, ký hiệu trong năm",
        en: "Two documents share one number and symbol",
    },
    explain: Text {
        vi: "Số và ký hiệu văn bản là duy nhất trong một năm (Nghị định 30/2020/NĐ-CP, Điều 15). Hai tệp có nội dung khác nhau mang cùng số, ký hiệu cho thấy một tệp là dự thảo, bản sửa hoặc bị nhầm số.\nCách xử lý: giữ đúng bản đã phát hành.",
        en: "A number and symbol are unique within a year (Decree 30/2020, Art. 15). Two files with different content and the same number mean one is a draft, an edited copy or misnumbered.\nFix: keep only the issued version.",
    },
    handling: Handling::PLAIN,
};

pub static DOC005: Diag = Diag {
    code: Code::Doc005,
    name: "date-missing",
    severity: Severity::Warning,
    summary: Text {
        vi: "Không đọc được ngày ban hành",
        en: "No issue date",
    },
    explain: Text {
        vi: "Trang 1 có chữ nhưng không có dòng \"Địa danh, ngày … tháng … năm …\" đọc được. Không có ngày thì không xác định được văn bản có đúng hạn không.\nCách xử lý: kiểm tra văn bản có ngày ban hành; nếu là dự thảo, nộp bản chính thức.",
        en: "Page 1 has text but no readable \"Place, ngày … tháng … năm …\" line. Without a date, timeliness cannot be judged.\nFix: check the document is dated; if it is a draft, submit the issued version.",
    },
    handling: Handling::PLAIN,
};

pub static DOC006: Diag = Diag {
    code: Code::Doc006,
    name: "date-outside-year",
    severity: Severity::Warning,
    summary: Text {
        vi: "Ngày ban hành ngoài năm đánh giá",
        en: "Issue date outside the evaluated year",
    },
    explain: Text {
        vi: "Văn bản được ban hành ngoài năm đánh giá của bộ tiêu chí. Có thể nộp nhầm văn bản năm trước, hoặc văn bản hợp lệ ban hành đầu năm sau (ví dụ báo cáo năm).\nCách xử lý: kiểm tra văn bản có được tính cho năm đánh giá không.",
        en: "The document is dated outside the ruleset's evaluated year. It may be last year's document filed by mistake, or a valid one issued early the next year (e.g. an annual report).\nFix: check that it counts for the evaluated year.",
    },
    handling: Handling::PLAIN,
};

pub static DOC007: Diag = Diag {
    code: Code::Doc007,
    name: "date-line-format",
    severity: Severity::Info,
    summary: Text {
        vi: "Dòng địa danh, ngày tháng chưa đúng thể thức",
        en: "Date line format",
    },
    explain: Text {
        vi: "Nghị định 30/2020/NĐ-CP, Phụ lục I: ngày dưới 10 và tháng 1, 2 viết thêm số 0 phía trước (ngày 05 tháng 02 năm 2022); các tháng khác không thêm (ngày 18 tháng 7 năm 2022).\nCách xử lý: lưu ý khi soạn thảo văn bản sau.",
        en: "Decree 30/2020, Appendix I: days below 10 and months 1 and 2 take a leading zero (ngày 05 tháng 02 năm 2022); other months do not (ngày 18 tháng 7 năm 2022).\nFix: mind it when drafting the next documents.",
    },
    handling: Handling::PLAIN,
};

pub static DOC008: Diag = Diag {
    code: Code::Doc008,
    name: "filled-by-hand",
    severity: Severity::Info,
    summary: Text {
        vi: "Số hoặc ngày điền tay trên bản quét",
        en: "Number or day filled in by hand on a scan",
    },
    explain: Text {
        vi: "Trên bản quét có lớp chữ nhận dạng (OCR), số văn bản hoặc ngày để trống: thường là số, ngày được văn thư điền tay khi phát hành, lớp chữ OCR không đọc được chữ viết tay. Đây là thói quen bình thường, không phải lỗi thể thức.\nCách xử lý: đối chiếu bằng mắt số và ngày trên bản quét.",
        en: "On a scan with an OCR text layer the number or the day is blank: usually the clerk filled it in by hand when issuing, and OCR does not read handwriting. This is an ordinary habit, not a fault of form.\nFix: check the number and the day on the scan by eye.",
    },
    handling: Handling::PLAIN,
};

pub static DOC009: Diag = Diag {
    code: Code::Doc009,
    name: "issuer-mismatch",
    severity: Severity::Warning,
    summary: Text {
        vi: "Ký hiệu không khớp cơ quan ban hành",
        en: "Symbol does not match the issuing body",
    },
    explain: Text {
        vi: "Nghị định 30/2020/NĐ-CP, Phụ lục I: ký hiệu văn bản gồm chữ viết tắt tên loại và chữ viết tắt tên cơ quan ban hành (hoặc tên cơ quan và đơn vị soạn thảo với công văn). Phần cơ quan trong ký hiệu không ứng với tên cơ quan ở góc trái phần đầu văn bản (không là chữ viết tắt của tên đó, cũng không có trong đó). tlkc chỉ báo khi tên cơ quan đọc được rõ ràng (bắt đầu bằng SỞ, BỘ, ỦY BAN, HỘI ĐỒNG, PHÒNG…).\nCách xử lý: kiểm tra lại số, ký hiệu; văn bản có thể bị cấp nhầm sổ hoặc lấy nhầm mẫu của cơ quan khác.",
        en: "Decree 30/2020, Appendix I: the symbol is the type abbreviation plus the issuing body's abbreviation (or the body and the drafting unit for a công văn). The body part of this symbol does not match the body named at the top left of the header (it is neither its abbreviation nor in it). tlkc only says so when the body's name reads clearly (starting with SỞ, BỘ, ỦY BAN, HỘI ĐỒNG, PHÒNG…).\nFix: check the number and symbol; the document may have been numbered in another body's register or made from another body's template.",
    },
    handling: Handling::PLAIN,
};

/// DOC001: no number line at all.
pub(super) fn no_number(name: &str) -> Finding {
    Finding::new(
        &DOC001,
        Msg::new(
            format!("Không tìm thấy dòng \"Số: …/…\" trên trang 1 của {name}: văn bản chưa được cấp số hoặc là bản dự thảo."),
            format!("No \"Số: …/…\" line on page 1 of {name}: the document has no registered number, or is a draft."),
        ),
    )
}

/// DOC001: a number line without its sequence digits.
pub(super) fn blank_number(name: &str, raw: &str) -> Finding {
    Finding::new(
        &DOC001,
        Msg::new(
            format!("Số văn bản của {name} để trống (\"Số: {raw}\"): bản dự thảo chưa được cấp số, hoặc chữ số không có trong lớp chữ của tệp."),
            format!("The number of {name} is blank (\"Số: {raw}\"): an unnumbered draft, or digits the file's text layer does not carry."),
        ),
    )
}

/// DOC008: a blank on a scan's OCR layer, most likely filled in by hand.
pub(super) fn filled_by_hand(name: &str, what: &str) -> Finding {
    Finding::new(
        &DOC008,
        Msg::new(
            format!("Bản quét {name}: \"{what}\" để trống trong lớp chữ OCR, có lẽ được điền tay; đối chiếu bằng mắt."),
            format!("Scan {name}: \"{what}\" is blank in the OCR text layer, probably filled in by hand; check it by eye."),
        ),
    )
}

/// DOC002: faults in the number and symbol (not the habits of stamped numbers).
pub(super) fn malformed(name: &str, raw: &str, deviations: &[String]) -> Finding {
    let list = deviations.join("; ");
    let list_vi: Vec<String> = deviations.iter().map(|d| deviation_vi(d)).collect();
    Finding::new(
        &DOC002,
        Msg::new(
            format!(
                "Số, ký hiệu \"{raw}\" của {name} không đúng thể thức Nghị định 30/2020/NĐ-CP: {}.",
                list_vi.join("; ")
            ),
            format!(
                "The number and symbol \"{raw}\" of {name} depart from Decree 30/2020: {list}."
            ),
        ),
    )
}

/// One departure of a number and symbol from Decree 30, in Vietnamese
/// (inspection records them in English, as cached facts).
pub(super) fn deviation_vi(d: &str) -> String {
    // The quoted part ("3070.", "Ttr") is the document's own text.
    let quoted = d.split('"').nth(1).unwrap_or("");
    let starts = |p: &str| d.starts_with(p);
    if starts("stray '.' after the number") {
        format!("dấu chấm thừa sau số \"{quoted}\"")
    } else if starts("blank number") {
        "chưa có số (bản dự thảo chưa cấp số)".into()
    } else if starts("missing symbol") {
        "thiếu ký hiệu".into()
    } else if starts("spaces inside the symbol") {
        "có dấu cách trong ký hiệu".into()
    } else if starts("'_' instead of '-'") {
        "dùng dấu '_' thay cho dấu gạch nối '-' giữa các nhóm chữ của ký hiệu".into()
    } else if starts("dash other than '-'") {
        "dùng dấu gạch khác dấu gạch nối '-' giữa các nhóm chữ của ký hiệu".into()
    } else if starts("number below 10 without a leading zero") {
        format!("số nhỏ hơn 10 phải có số 0 đứng trước (\"{quoted}\" phải ghi \"0{quoted}\")")
    } else if starts("leading zero on") {
        format!("thừa số 0 đứng trước \"{quoted}\"")
    } else if starts("lower-case letters in symbol group") {
        format!("nhóm chữ \"{quoted}\" của ký hiệu có chữ thường (phải viết in hoa)")
    } else if starts("'&' in symbol group") {
        format!("nhóm chữ \"{quoted}\" của ký hiệu có dấu '&'")
    } else if starts("parentheses in symbol group") {
        format!("nhóm chữ \"{quoted}\" của ký hiệu có dấu ngoặc")
    } else if starts("symbol has a single group") {
        "ký hiệu chỉ có một nhóm chữ (cần dạng LOẠI-CƠ QUAN hoặc CƠ QUAN-ĐƠN VỊ)".into()
    } else {
        "cách ghi khác thể thức (chi tiết: --format json)".into()
    }
}

/// DOC003: the symbol's type code is not the heading's abbreviation.
pub(super) fn type_mismatch(name: &str, title_type: &str, expected: &str, t: &str) -> Finding {
    Finding::new(
        &DOC003,
        Msg::new(
            format!("{name}: tên loại \"{title_type}\" phải viết tắt là {expected}, nhưng ký hiệu văn bản ghi {t}."),
            format!("{name}: the type \"{title_type}\" abbreviates to {expected}, but the symbol says {t}."),
        ),
    )
}

/// DOC005: no date line could be read.
pub(super) fn no_date(name: &str) -> Finding {
    Finding::new(
        &DOC005,
        Msg::new(
            format!("Không đọc được ngày ban hành (\"…, ngày … tháng … năm …\") trên trang 1 của {name}."),
            format!("No issue date (\"…, ngày … tháng … năm …\") could be read on page 1 of {name}."),
        ),
    )
}

/// DOC006: dated outside the evaluated year.
pub(super) fn other_year(name: &str, date: chrono::NaiveDate, year: i32) -> Finding {
    Finding::new(
        &DOC006,
        Msg::new(
            format!("{name} ban hành ngày {}, ngoài năm đánh giá {year}: kiểm tra lại có được tính cho năm {year} không.", super::super::vi_date(date)),
            format!("{name} is dated {date}, outside the evaluated year {year}: check that it counts for {year}."),
        ),
    )
}

/// DOC007: the date line's zero-padding.
pub(super) fn date_line_form(name: &str, line: &str, vi: &str, en: &str) -> Finding {
    Finding::new(
        &DOC007,
        Msg::new(
            format!("{name}: dòng địa danh, ngày tháng \"{line}\" chưa đúng thể thức ({vi})."),
            format!(
                "{name}: the place-and-date line \"{line}\" departs from the standard form ({en})."
            ),
        ),
    )
}

/// DOC009: the symbol's body part is not the issuing body's.
pub(super) fn issuer_mismatch(name: &str, part: &str, body: &[String]) -> Finding {
    let body = body.join(" / ");
    Finding::new(
        &DOC009,
        Msg::new(
            format!("{name}: ký hiệu ghi cơ quan \"{part}\" nhưng cơ quan ban hành ở phần đầu là \"{body}\"."),
            format!("{name}: the symbol names the body \"{part}\", but the header's issuing body is \"{body}\"."),
        ),
    )
}
