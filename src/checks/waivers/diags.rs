//! The waivers family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

/// The waivers family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "waivers",
    about: "Does every [[waiver]] in tlkc.toml still apply to a finding?",
    reads: &[Reads::Config, Reads::Findings, Reads::Outcomes],
    owns: &[&CFG001],
    borrows: &[],
};

pub static CFG001: Diag = Diag {
    code: Code::Cfg001,
    name: "waiver-unused-or-expired",
    severity: Severity::Warning,
    summary: Text {
        vi: "Miễn trừ trong tlkc.toml hết hạn hoặc không khớp lỗi nào",
        en: "Waiver in tlkc.toml expired or unused",
    },
    explain: Text {
        vi: "Mục [[waiver]] trong tlkc.toml cho phép bỏ qua một phát hiện đã biết (ví dụ báo cáo trễ hạn đã có giải trình). Mục này đã hết hạn (ngày `until` trước ngày đánh giá) nên không còn được áp dụng, hoặc không khớp phát hiện nào (mã, tiêu chí, đường dẫn) nên có thể đã lỗi thời hoặc gõ sai.\nCách xử lý: gia hạn hoặc xoá mục miễn trừ; kiểm tra lại code, criterion, path.",
        en: "A [[waiver]] in tlkc.toml accepts a known finding (e.g. a late report already explained). This one has expired (until is before the evaluation day) and no longer applies, or it matches no finding (code, criterion, path) and may be stale or mistyped.\nFix: extend or delete the waiver; check its code, criterion and path.",
    },
    handling: Handling::PLAIN,
};
