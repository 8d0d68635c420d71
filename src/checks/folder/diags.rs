//! The folder family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Role, Severity, Text};

/// The folder family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "folder",
    about: "Is every file filed, once, as a real file?",
    reads: &[Reads::Discovery, Reads::Ruleset, Reads::Hashes],
    owns: &[&EVD003, &EVD004, &EVD007, &EVD008, &EVD009],
    borrows: &[&super::super::pdf::diags::PDF001],
};

pub static EVD003: Diag = Diag {
    code: Code::Evd003,
    name: "file-unassigned",
    severity: Severity::Warning,
    summary: Text {
        vi: "Tệp không thuộc tiêu chí nào",
        en: "File assigned to no sub-criterion",
    },
    explain: Text {
        vi: "Tên thư mục và tên tệp không bắt đầu bằng mã tiêu chí có trong bộ tiêu chí, và tlkc.toml không gán tệp này. Tệp sẽ không được dùng làm minh chứng.\nCách xử lý: đặt tệp vào thư mục \"MÃ Tên tiêu chí\" (ví dụ \"1.3.1 Kế hoạch kiểm tra\") hoặc thêm `[[assign]] path = \"…\" criteria = [\"…\"]` vào tlkc.toml.",
        en: "Neither its folders nor its name start with a code of the ruleset, and tlkc.toml does not assign it. The file serves as evidence for nothing.\nFix: move it into a folder named \"CODE Title\" (e.g. \"1.3.1 Kế hoạch kiểm tra\") or add [[assign]] path = \"…\" criteria = [\"…\"] to tlkc.toml.",
    },
    handling: Handling { role: Role::Unfiled, ..Handling::PLAIN },
};

pub static EVD004: Diag = Diag {
    code: Code::Evd004,
    name: "file-duplicated",
    severity: Severity::Warning,
    summary: Text {
        vi: "Cùng một nội dung nộp hai lần",
        en: "Same content filed twice",
    },
    explain: Text {
        vi: "Hai đường dẫn có cùng SHA-256: cùng một tệp được sao chép. Điều này làm rối hồ sơ và dễ dẫn đến sửa một bản mà quên bản kia.\nCách xử lý: giữ một bản; nếu văn bản phục vụ nhiều tiêu chí, gán nó bằng [[assign]] criteria = [\"2.1.1\", \"2.1.3\"].",
        en: "Two paths have the same SHA-256: one file was copied. It clutters the upload and invites editing one copy but not the other.\nFix: keep one copy; when a document serves several criteria, assign it with [[assign]] criteria = [\"2.1.1\", \"2.1.3\"].",
    },
    handling: Handling::PLAIN,
};

pub static EVD007: Diag = Diag {
    code: Code::Evd007,
    name: "assignment-unresolved",
    severity: Severity::Warning,
    summary: Text {
        vi: "Khai báo gán tệp trong tlkc.toml không khớp",
        en: "tlkc.toml assignment unresolved",
    },
    explain: Text {
        vi: "Một mục [[assign]] trong tlkc.toml chỉ đến tệp không tồn tại hoặc mã tiêu chí không có trong bộ tiêu chí.\nCách xử lý: sửa đường dẫn (tương đối với thư mục TLKC) hoặc mã tiêu chí.",
        en: "An [[assign]] entry in tlkc.toml points at a file that does not exist, or names a code the ruleset lacks.\nFix: correct the path (relative to the evidence folder) or the code.",
    },
    handling: Handling::PLAIN,
};

pub static EVD008: Diag = Diag {
    code: Code::Evd008,
    name: "symlink-not-followed",
    severity: Severity::Warning,
    summary: Text {
        vi: "Liên kết tượng trưng không được đi theo",
        en: "Symbolic link not followed",
    },
    explain: Text {
        vi: "tlkc không đi theo symlink: liên kết có thể trỏ ra ngoài thư mục hoặc tạo vòng lặp, và phần mềm chấm điểm chỉ nhận tệp thật.\nCách xử lý: thay liên kết bằng tệp thật.",
        en: "tlkc never follows symbolic links: they may point outside the folder or loop, and the scoring software takes real files only.\nFix: replace the link with the real file.",
    },
    handling: Handling::PLAIN,
};

pub static EVD009: Diag = Diag {
    code: Code::Evd009,
    name: "folder-not-in-ruleset",
    severity: Severity::Info,
    summary: Text {
        vi: "Thư mục mang mã tiêu chí không có trong bộ tiêu chí",
        en: "Folder coded for a criterion the ruleset does not have",
    },
    explain: Text {
        vi: "Tên thư mục bắt đầu bằng một mã (ví dụ \"5.1.1 …\") mà bộ tiêu chí đang dùng không có. Các tệp trong đó vẫn được kiểm tra như mọi văn bản (PDF, số và ký hiệu, ngày tháng, chữ ký số) nhưng không được đối chiếu với yêu cầu TLKC nào và không tính điểm. Thường gặp khi bộ tiêu chí dựng sẵn chỉ có một phần bộ tiêu chí của tỉnh.\nCách xử lý: nhập bộ tiêu chí của tỉnh (`tlkc rules import`, xem docs/rules.md) hoặc sửa mã thư mục nếu gõ nhầm.",
        en: "The folder's name starts with a code (e.g. \"5.1.1 …\") that the ruleset in use does not have. Its files still get every document check (PDF, number, date, digital signature) but are matched against no evidence requirement and earn no points. Usual when the builtin ruleset holds only part of the province's set.\nFix: import the province's own set (`tlkc rules import`, see docs/rules.md), or correct the folder's code if it is a typo.",
    },
    handling: Handling::PLAIN,
};
