//! The deadline family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, DraftKind, Handling, Severity, Text};

/// The deadline family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "deadline",
    about: "Was a document issued by its deadline?",
    reads: &[
        Reads::Ruleset,
        Reads::Config,
        Reads::Document,
        Reads::Signatures,
    ],
    owns: &[&DUE001, &DUE002],
    borrows: &[],
};

pub static DUE001: Diag = Diag {
    code: Code::Due001,
    name: "issued-late",
    severity: Severity::Error,
    summary: Text {
        vi: "Ban hành sau hạn",
        en: "Issued after its deadline",
    },
    explain: Text {
        vi: "Ngày ban hành của văn bản (hoặc ngày cơ quan ký số phát hành, nếu muộn hơn; theo giờ Việt Nam +07:00) sau hạn của yêu cầu. Báo cáo trễ hạn bị trừ điểm dù nội dung đầy đủ (Đắk Glei 2022: báo cáo CCHC quý I, quý III trễ hạn, mất 0,5 điểm tiêu chí 1.2.1).\nCách xử lý: không sửa được sau khi đã trễ; chuẩn bị giải trình với lý do và căn cứ.",
        en: "The document's date (or the day the organisation signed and released it, if later; in Vietnam time, +07:00) is after the requirement's deadline. Late reports lose points however complete (Đắk Glei 2022: Q1 and Q3 PAR reports late, 0.5 points lost on 1.2.1).\nFix: lateness cannot be undone; prepare an explanation with reasons and references.",
    },
    handling: Handling { fixable: false, draft: DraftKind::IssuedLate, ..Handling::PLAIN },
};

pub static DUE002: Diag = Diag {
    code: Code::Due002,
    name: "deadline-unassessable",
    severity: Severity::Warning,
    summary: Text {
        vi: "Không xác định được ngày để so với hạn",
        en: "Deadline cannot be assessed",
    },
    explain: Text {
        vi: "Yêu cầu có hạn nộp nhưng văn bản không có ngày đọc được (bản quét) và không có chữ ký số của cơ quan ghi thời điểm ký.\nCách xử lý: người kiểm tra tự đối chiếu ngày trên văn bản với hạn.",
        en: "The requirement has a deadline but the document has no readable date (a scan) and no organisation signature with a signing time.\nFix: a person must compare the date on the document with the deadline.",
    },
    handling: Handling::PLAIN,
};
