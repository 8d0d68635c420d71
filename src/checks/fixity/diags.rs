//! The fixity family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

/// The fixity family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "fixity",
    about: "Is what was submitted still in the folder, unchanged?",
    reads: &[Reads::Hashes, Reads::LastSubmission, Reads::IndexOwner],
    owns: &[&FIX001, &FIX002, &FIX003],
    borrows: &[],
};

pub static FIX001: Diag = Diag {
    code: Code::Fix001,
    name: "submitted-file-changed",
    severity: Severity::Error,
    summary: Text {
        vi: "Tệp đã nộp bị thay đổi sau khi nộp",
        en: "Submitted file changed since submission",
    },
    explain: Text {
        vi: "Tệp này thuộc lần nộp gần nhất (tlkc submit) nhưng nội dung (SHA-256) đã khác: bản lưu trong thư mục không còn là bản Hội đồng thẩm định nhận được, nên không chứng minh được đã nộp gì.\nCách xử lý: khôi phục bản đã nộp (tlkc export của lần nộp đó có bản sao), hoặc nếu sửa có chủ ý thì tải lên lại và chạy tlkc submit để ghi lần nộp mới.",
        en: "This file was part of the latest submission (tlkc submit) but its content (SHA-256) differs now: the folder no longer holds what the appraisal council received, so it cannot show what was submitted.\nFix: restore the submitted version (a tlkc export bag of that submission has a copy), or, if the change is intended, upload again and run tlkc submit to record a new submission.",
    },
    handling: Handling::PLAIN,
};

pub static FIX002: Diag = Diag {
    code: Code::Fix002,
    name: "submitted-file-missing",
    severity: Severity::Error,
    summary: Text {
        vi: "Tệp đã nộp không còn trong thư mục",
        en: "Submitted file missing",
    },
    explain: Text {
        vi: "Tệp này thuộc lần nộp gần nhất nhưng đã bị xóa, đổi tên hoặc di chuyển: hồ sơ lưu không còn đủ bản đã nộp.\nCách xử lý: khôi phục tệp về đúng đường dẫn, hoặc nếu thay đổi là có chủ ý thì nộp lại và chạy tlkc submit.",
        en: "This file was part of the latest submission but was deleted, renamed or moved: the folder no longer keeps everything that was submitted.\nFix: put the file back at its path, or, if the change is intended, submit again and run tlkc submit.",
    },
    handling: Handling::PLAIN,
};

pub static FIX003: Diag = Diag {
    code: Code::Fix003,
    name: "index-foreign",
    severity: Severity::Info,
    summary: Text {
        vi: "Chỉ mục được ghi ở nơi khác: đã đọc lại mọi tệp",
        en: "Index written elsewhere: every file read again",
    },
    explain: Text {
        vi: "Chỉ mục .tlkc/tlkc.db của thư mục này được ghi cho một thư mục khác hoặc trên một máy khác (ví dụ thư mục của đơn vị gửi lên kèm .tlkc/, bản sao lưu được khôi phục, hoặc --db trỏ tới chỉ mục của thư mục khác). tlkc không tin mã băm và kết quả kiểm tra lưu trong đó: lần chạy này đã đọc, băm và kiểm tra lại mọi tệp, và từ nay chỉ mục thuộc về thư mục này. Nhật ký (các lần nộp trước) vẫn được giữ nguyên, nhưng các lần nộp ghi trước khi chỉ mục đổi chủ là của nơi khác: FIX001/FIX002 không so chúng với thư mục này, chỉ so với lần nộp sau đó.\nKhông cần xử lý; lần kiểm tra sau sẽ nhanh như bình thường.",
        en: "This folder's index (.tlkc/tlkc.db) was written for another folder or on another machine (a unit's folder received with its .tlkc/, a restored backup, or --db pointing at another folder's index). tlkc does not trust the hashes and facts stored in it: this run read, hashed and inspected every file again, and the index now belongs to this folder. The ledger (earlier submissions) is kept as it was, but submissions recorded before the index changed hands were made elsewhere: FIX001/FIX002 never compare this folder with them, only with later submissions.\nNothing to fix; the next check is as fast as usual.",
    },
    handling: Handling::PLAIN,
};
