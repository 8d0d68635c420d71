//! The document family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::registry::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

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
