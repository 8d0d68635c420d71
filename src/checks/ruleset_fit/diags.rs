//! The ruleset_fit family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Role, Severity, Text};

/// The ruleset_fit family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "ruleset_fit",
    about: "Is the ruleset for this evaluation year and unit level?",
    reads: &[Reads::Ruleset, Reads::Config],
    owns: &[&CFG003],
    borrows: &[],
};

pub static CFG003: Diag = Diag {
    code: Code::Cfg003,
    name: "ruleset-not-for-unit",
    severity: Severity::Warning,
    summary: Text {
        vi: "Bộ tiêu chí không đúng năm hoặc cấp của đơn vị",
        en: "Ruleset not for this year or level",
    },
    explain: Text {
        vi: "Bộ tiêu chí dùng để kiểm tra được ban hành cho một năm đánh giá (hạn nộp, kỳ báo cáo tính theo năm đó) và một cấp đơn vị (sở, huyện, xã). Ngày đánh giá không thuộc đợt đánh giá của năm đó (năm đó hoặc quý I năm sau), hoặc tên đơn vị trong tlkc.toml (unit) cho thấy cấp khác. Khi đó mọi hạn nộp, yêu cầu và điểm đều sai: văn bản năm nay bị coi là ngoài năm, hạn cũ bị coi là trễ hàng trăm ngày.\nCách xử lý: nhập bảng tiêu chí của tỉnh cho đúng năm và cấp (`tlkc rules import BẢNG.xlsx --id … --title … --year NĂM -o bo-tieu-chi.toml`), rồi ghi đường dẫn vào dòng rules của tlkc.toml hoặc dùng --rules; nếu đang kiểm tra lại hồ sơ năm cũ, đặt as_of trong tlkc.toml hoặc --as-of vào năm đó.",
        en: "The ruleset checked against was issued for one evaluation year (its deadlines and reporting periods fall in that year) and one unit level (department, district, commune). The evaluation day is outside that year's round (the year itself or the first quarter after it), or the unit's name in tlkc.toml (unit) shows another level. Then every deadline, requirement and point is wrong: this year's documents are outside the year, old deadlines are hundreds of days late.\nFix: import the province's criteria table for the right year and level (`tlkc rules import TABLE.xlsx --id … --title … --year YEAR -o rules.toml`) and name it in tlkc.toml's rules line or with --rules; when re-checking an old folder, set as_of in tlkc.toml or --as-of in that year.",
    },
    handling: Handling { role: Role::RunWide, ..Handling::PLAIN },
};
