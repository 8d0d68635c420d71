//! The score family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

/// The score family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "score",
    about: "Is every metric and manual score in tlkc.toml used by the estimate?",
    reads: &[
        Reads::Ruleset,
        Reads::Config,
        Reads::Findings,
        Reads::Outcomes,
        Reads::TaskRegister,
    ],
    owns: &[&CFG002],
    borrows: &[],
};

pub static CFG002: Diag = Diag {
    code: Code::Cfg002,
    name: "score-input-unused",
    severity: Severity::Warning,
    summary: Text {
        vi: "Số liệu hoặc điểm tự chấm trong tlkc.toml không được dùng",
        en: "Metric or manual score in tlkc.toml not used",
    },
    explain: Text {
        vi: "Mục [metrics] hoặc [manual] trong tlkc.toml ghi cho một mã không có trong bộ tiêu chí, hoặc cho tiêu chí mà phương pháp chấm không dùng đến nó (ví dụ [metrics] cho tiêu chí chấm theo nhiệm vụ, [manual] cho tiêu chí chấm theo tỷ lệ); hoặc có sổ theo dõi nhiệm vụ mà bộ tiêu chí không có tiêu chí chấm theo nhiệm vụ. Điểm ước tính không tính đến giá trị này.\nCách xử lý: kiểm tra lại mã tiêu chí (gõ sai?) và phương pháp chấm (`tlkc rules show`).",
        en: "A [metrics] or [manual] entry in tlkc.toml names an id the ruleset does not have, or a criterion whose scoring method does not read it ([metrics] for a tasks-scored criterion, [manual] for a ratio-scored one); or there is a task register but no tasks-scored unit in the ruleset. The estimate ignores the value.\nFix: check the criterion id (a typo?) and its scoring method (`tlkc rules show`).",
    },
    handling: Handling::PLAIN,
};
