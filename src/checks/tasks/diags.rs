//! The tasks family's finding codes: number, name, severity, the
//! explanation `tlkc explain` prints, and how reports treat them.

use crate::checks::family::{Family, Reads};
use crate::findings::{Code, Diag, Handling, Severity, Text};

/// The tasks family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "tasks",
    about: "Was every assigned task answered by its deadline?",
    reads: &[
        Reads::Ruleset,
        Reads::Config,
        Reads::TaskRegister,
        Reads::Discovery,
        Reads::Document,
        Reads::Signatures,
    ],
    owns: &[&TSK001, &TSK002, &TSK003, &TSK004],
    borrows: &[],
};

pub static TSK001: Diag = Diag {
    code: Code::Tsk001,
    name: "task-answered-late",
    severity: Severity::Error,
    summary: Text {
        vi: "Nhiệm vụ được giao hoàn thành trễ hạn",
        en: "Assigned task answered late",
    },
    explain: Text {
        vi: "Sổ theo dõi nhiệm vụ (tasks.csv hoặc [[task]] trong tlkc.toml) ghi một nhiệm vụ cấp trên giao có thời hạn; văn bản trả lời trong thư mục (văn bản trích dẫn số văn bản giao nhiệm vụ, ví dụ \"phúc đáp Công văn số 2291/UBND-NC\") được phát hành sau hạn. Ngày phát hành là ngày muộn hơn giữa dòng ngày tháng và chữ ký số của cơ quan (giờ Việt Nam), như DUE001. Tiêu chí chấm theo công thức (đúng hạn + hệ số × trễ hạn) / tổng số × điểm tối đa, nên mỗi nhiệm vụ trễ mất một phần điểm.\nCách xử lý: không sửa được ngày đã phát hành; chuẩn bị giải trình lý do trễ hạn và đôn đốc đơn vị tham mưu các nhiệm vụ còn lại.",
        en: "The task register (tasks.csv or [[task]] in tlkc.toml) lists a task assigned with a deadline; the reply in the folder (the document that cites the assigning document's number, e.g. \"phúc đáp Công văn số 2291/UBND-NC\") was released after it. The release date is the later of the date line and the organisation's signature in Vietnam time, as for DUE001. The criterion is scored (on time + weight × late) / total × max, so each late task costs part of the points.\nFix: a release date cannot be changed; prepare the explanation (giải trình) and chase the units advising on the remaining tasks.",
    },
    handling: Handling { fixable: false, ..Handling::PLAIN },
};

pub static TSK002: Diag = Diag {
    code: Code::Tsk002,
    name: "task-unanswered",
    severity: Severity::Error,
    summary: Text {
        vi: "Nhiệm vụ được giao quá hạn chưa có văn bản trả lời",
        en: "Assigned task past its deadline without a reply",
    },
    explain: Text {
        vi: "Hạn của nhiệm vụ đã qua (tính đến ngày đánh giá) mà thư mục không có văn bản nào trích dẫn số văn bản giao nhiệm vụ, và sổ theo dõi không chỉ ra tệp trả lời (cột reply). Nhiệm vụ chưa hoàn thành không được điểm.\nCách xử lý: nếu đã trả lời, đưa văn bản trả lời (PDF ký số) vào thư mục, hoặc ghi đường dẫn ở cột reply nếu văn bản không trích dẫn số; nếu chưa, hoàn thành ngay và chuẩn bị giải trình.",
        en: "The task's deadline has passed (as of the evaluation day) and no document in the folder cites the assigning document's number, nor does the register name a reply file (column reply). An unfinished task earns nothing.\nFix: if it was answered, add the signed reply PDF to the folder, or give its path in the reply column when its text does not cite the number; if not, answer now and prepare an explanation.",
    },
    handling: Handling::PLAIN,
};

pub static TSK003: Diag = Diag {
    code: Code::Tsk003,
    name: "reply-cites-unregistered-task",
    severity: Severity::Info,
    summary: Text {
        vi: "Văn bản trả lời trích dẫn nhiệm vụ không có trong sổ theo dõi",
        en: "Reply cites an assignment not in the register",
    },
    explain: Text {
        vi: "Một văn bản xếp vào tiêu chí chấm theo nhiệm vụ được giao trích dẫn số văn bản (ví dụ \"thực hiện Văn bản số 187/UBND-KTTH\") mà sổ theo dõi nhiệm vụ không có. Có thể sổ theo dõi còn thiếu nhiệm vụ, làm điểm ước tính sai.\nCách xử lý: thêm nhiệm vụ vào tasks.csv (số, ngày, cơ quan giao, nội dung, hạn) nếu đó là nhiệm vụ được giao.",
        en: "A document filed under the task-scored criterion cites a document number (e.g. \"thực hiện Văn bản số 187/UBND-KTTH\") that the task register does not list. The register may be missing a task, which skews the estimate.\nFix: add the task to tasks.csv (number, date, issuer, asked, deadline) if it is an assignment.",
    },
    handling: Handling::PLAIN,
};

pub static TSK004: Diag = Diag {
    code: Code::Tsk004,
    name: "task-listed-twice",
    severity: Severity::Warning,
    summary: Text {
        vi: "Một nhiệm vụ được ghi nhiều lần trong sổ theo dõi",
        en: "An assignment is listed more than once in the register",
    },
    explain: Text {
        vi: "Sổ theo dõi nhiệm vụ (tasks.csv hoặc [[task]] trong tlkc.toml) có nhiều dòng cùng một nhiệm vụ: cùng số văn bản giao (không kể khoảng trắng, gạch nối, chữ hoa/thường), cùng hạn và cùng tệp trả lời. tlkc chỉ tính nhiệm vụ đó một lần (dòng đầu tiên) để các dòng chép lặp không làm sai tỷ lệ nhiệm vụ hoàn thành đúng hạn; các dòng lặp được nêu tên.\nCách xử lý: xoá các dòng lặp; nếu văn bản đó thật sự giao hai việc khác nhau, ghi đúng hạn của từng việc.",
        en: "The task register (tasks.csv or [[task]] in tlkc.toml) has several rows for one assignment: the same assigning document number (spacing, dashes and case aside), the same deadline and the same reply file. tlkc counts it once (the first row) so that copied rows cannot skew the share of tasks answered on time; the repeated rows are named.\nFix: delete the repeated rows; if the document really assigned two different tasks, give each its own deadline.",
    },
    handling: Handling::PLAIN,
};
