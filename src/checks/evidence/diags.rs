//! The evidence family's finding codes (number, name, severity, the
//! explanation `tlkc explain` prints, how reports treat them) and its
//! findings, one struct per finding, as cargo-deny's `diags.rs` does: the
//! check decides which applies, these say it (in Vietnamese and English)
//! and attach the facts.

use super::super::deadline::Due;
use super::super::{file_name, vi_date};
use crate::checks::family::{Family, Reads};
use crate::facts::KeptFacts;
use crate::findings::{Code, Diag, DraftKind, Finding, Handling, Msg, Severity, Text};
use crate::rules::{period::Period, Requirement};

/// The evidence family: the codes it owns and what it reads.
pub static FAMILY: Family = Family {
    name: "evidence",
    about: "Does each sub-criterion have the documents its requirements ask for, signed?",
    reads: &[
        Reads::Ruleset,
        Reads::Config,
        Reads::Discovery,
        Reads::Pdf,
        Reads::Document,
        Reads::Signatures,
    ],
    owns: &[&EVD001, &EVD002, &EVD006, &SIG001, &DUE003],
    borrows: &[
        &super::super::signature::diags::SIG004,
        &super::super::deadline::diags::DUE001,
        &super::super::deadline::diags::DUE002,
    ],
};

pub static EVD001: Diag = Diag {
    code: Code::Evd001,
    name: "evidence-missing",
    severity: Severity::Error,
    summary: Text {
        vi: "Thiếu tài liệu kiểm chứng bắt buộc",
        en: "Required evidence missing",
    },
    explain: Text {
        vi: "Bộ tiêu chí yêu cầu một văn bản cho tiêu chí thành phần này nhưng thư mục không có văn bản nào khớp (loại văn bản và trích yếu), và hạn nộp đã qua (hoặc không có hạn). Hội đồng thẩm định chấm 0 điểm phần này.\nCách xử lý: tìm văn bản đã ban hành, ký số, đặt vào thư mục mang mã tiêu chí; nếu chưa ban hành, chuẩn bị giải trình.",
        en: "The ruleset asks for a document under this sub-criterion, none of the files filed there matches it (document type and title), and the deadline has passed (or there is none). The council scores this part 0.\nFix: find the issued, signed document and put it in the folder named after the code; if it was never issued, prepare an explanation (giải trình).",
    },
    handling: Handling { draft: DraftKind::Missing, ..Handling::PLAIN },
};

pub static EVD002: Diag = Diag {
    code: Code::Evd002,
    name: "evidence-incomplete",
    severity: Severity::Error,
    summary: Text {
        vi: "Chưa đủ số văn bản yêu cầu",
        en: "Fewer documents than required",
    },
    explain: Text {
        vi: "Yêu cầu có nhiều văn bản (ví dụ báo cáo quý I, 6 tháng, quý III, năm) nhưng mới có một phần. Các kỳ chưa đến hạn không bị tính là thiếu.\nCách xử lý: bổ sung các kỳ còn thiếu được liệt kê trong thông báo.",
        en: "The requirement asks for several documents (e.g. the Q1, half-year, Q3 and annual reports) and only some are filed. Periods not yet due are not counted as missing.\nFix: add the missing periods listed in the message.",
    },
    handling: Handling { draft: DraftKind::Incomplete, ..Handling::PLAIN },
};

pub static EVD006: Diag = Diag {
    code: Code::Evd006,
    name: "file-matches-no-requirement",
    severity: Severity::Warning,
    summary: Text {
        vi: "Tệp không khớp yêu cầu nào của tiêu chí",
        en: "File matches no requirement of its sub-criterion",
    },
    explain: Text {
        vi: "Tệp nằm trong thư mục của tiêu chí nhưng loại văn bản hoặc trích yếu không khớp yêu cầu TLKC nào. Có thể nộp nhầm tiêu chí, hoặc là tài liệu bổ trợ.\nCách xử lý: kiểm tra lại; tài liệu bổ trợ có thể giữ nguyên.",
        en: "The file is in the sub-criterion's folder but its type or title matches none of the requirements. It may belong elsewhere, or be supporting material.\nFix: check it; supporting material may stay.",
    },
    handling: Handling::PLAIN,
};

pub static SIG001: Diag = Diag {
    code: Code::Sig001,
    name: "signature-missing",
    severity: Severity::Error,
    summary: Text {
        vi: "Yêu cầu ký số nhưng văn bản không có chữ ký số",
        en: "Digital signature required but absent",
    },
    explain: Text {
        vi: "TLKC phải là văn bản điện tử có chữ ký số (Nghị định 30/2020/NĐ-CP, Điều 5). Bản giấy ký tay được quét lại không có giá trị như văn bản điện tử; Hội đồng CCHC tỉnh không chấm điểm (Đắk Glei 2022 mất 0,25 điểm tiêu chí 1.3.1 vì lý do này).\nCách xử lý: phát hành văn bản trên hệ thống quản lý văn bản với chữ ký số của người có thẩm quyền và của cơ quan, hoặc sao y điện tử có chữ ký số của cơ quan.",
        en: "Evidence must be electronic documents with digital signatures (Decree 30/2020, Art. 5). A scan of a hand-signed paper has no such value; the provincial council does not score it (Đắk Glei lost 0.25 points on 1.3.1 in 2022 for this).\nFix: issue the document through the document system with the competent person's and the organisation's digital signatures, or make an electronic copy signed by the organisation.",
    },
    handling: Handling { draft: DraftKind::Unsigned, ..Handling::PLAIN },
};

pub static DUE003: Diag = Diag {
    code: Code::Due003,
    name: "local-deadline-missing",
    severity: Severity::Warning,
    summary: Text {
        vi: "Thiếu hạn nộp do địa phương quy định",
        en: "Local deadline missing",
    },
    explain: Text {
        vi: "Bộ tiêu chí để hạn nộp cho địa phương khai báo (ví dụ hạn của Sở Tài chính) nhưng tlkc.toml của thư mục chưa có mục `[deadlines.KHÓA] date = \"YYYY-MM-DD\", basis = \"…\"`.\nCách xử lý: thêm hạn và văn bản căn cứ vào tlkc.toml.",
        en: "The ruleset leaves this deadline to the locality (e.g. set by the Department of Finance) but the folder's tlkc.toml has no [deadlines.KEY] date = \"YYYY-MM-DD\", basis = \"…\".\nFix: add the deadline and its basis to tlkc.toml.",
    },
    handling: Handling::PLAIN,
};

/// EVD006: a file filed under a unit matches none of its requirements.
pub struct Unmatched<'a> {
    pub file: &'a str,
    pub unit: &'a str,
}

impl From<Unmatched<'_>> for Finding {
    fn from(d: Unmatched) -> Finding {
        Finding::new(
            &EVD006,
            Msg::new(
                format!("{} được xếp vào {} nhưng không khớp yêu cầu TLKC nào của tiêu chí này (loại văn bản, trích yếu): kiểm tra lại có đúng tiêu chí không.", d.file, d.unit),
                format!("{} is filed under {} but matches none of its evidence requirements (type, title): check it belongs here.", d.file, d.unit),
            ),
        )
        .path(d.file)
        .criterion(d.unit)
    }
}

/// DUE003: the deadline is set locally and tlkc.toml does not give it.
pub struct LocalDeadlineMissing<'a> {
    pub label: &'a str,
    pub key: &'a str,
}

impl From<LocalDeadlineMissing<'_>> for Finding {
    fn from(d: LocalDeadlineMissing) -> Finding {
        let (label, key) = (d.label, d.key);
        Finding::new(
            &DUE003,
            Msg::new(
                format!("{label}: hạn nộp do địa phương quy định nhưng tlkc.toml chưa khai báo [deadlines.{key}] (date, basis): chưa kiểm tra được trễ hạn."),
                format!("{label}: the deadline is set locally but tlkc.toml has no [deadlines.{key}] (date, basis): lateness was not checked."),
            ),
        )
    }
}

/// Slots of a requirement that no file fills and that are already due.
pub struct Missing<'a> {
    pub label: &'a str,
    pub unit: &'a str,
    pub req: &'a Requirement,
    pub have: usize,
    pub missing: &'a [(Option<Period>, Option<Due>)],
}

/// EVD001: nothing filed for the requirement.
pub struct NoEvidence<'a>(pub Missing<'a>);
/// EVD002: some of its documents are there, not all.
pub struct Incomplete<'a>(pub Missing<'a>);

fn due_vi(d: &Option<Due>) -> String {
    d.as_ref()
        .map(|d| format!(" (hạn {})", vi_date(d.date)))
        .unwrap_or_default()
}

fn due_en(d: &Option<Due>) -> String {
    d.as_ref()
        .map(|d| format!(" (due {})", d.date))
        .unwrap_or_default()
}

impl Missing<'_> {
    fn basis(&self) -> (String, String) {
        match self.req.basis.as_deref() {
            Some(b) => (format!(" Căn cứ: {b}."), format!(" Basis: {b}.")),
            None => (String::new(), String::new()),
        }
    }

    /// The points and facts both findings carry.
    fn finish(&self, f: Finding) -> Finding {
        let missing_vi: Vec<String> = self
            .missing
            .iter()
            .map(|(p, d)| {
                let what = p.map(|p| p.label_vi()).unwrap_or("văn bản");
                format!("{what}{}", due_vi(d))
            })
            .collect();
        f.points(self.req.points)
            .fact("requirement", &self.req.title)
            .fact("missing", missing_vi.join(", "))
            .fact("basis", self.req.basis.clone().unwrap_or_default())
    }
}

impl From<NoEvidence<'_>> for Finding {
    fn from(NoEvidence(m): NoEvidence) -> Finding {
        let (basis, basis_en) = m.basis();
        let first = m.missing.first().and_then(|(_, d)| d.clone());
        let f = Finding::new(
            &EVD001,
            Msg::new(
                format!("{}: chưa có tài liệu kiểm chứng{}.{basis} Bổ sung văn bản vào thư mục của tiêu chí {}.", m.label, due_vi(&first), m.unit),
                format!("{}: no evidence document{}.{basis_en} Add the document to the folder of {}.", m.label, due_en(&first), m.unit),
            ),
        );
        m.finish(f)
    }
}

impl From<Incomplete<'_>> for Finding {
    fn from(Incomplete(m): Incomplete) -> Finding {
        let (basis, basis_en) = m.basis();
        let (have, want) = (m.have, m.have + m.missing.len());
        let (vi_list, en_list): (Vec<String>, Vec<String>) = m
            .missing
            .iter()
            .map(|(p, d)| match p {
                Some(p) => (
                    format!("{}{}", p.label_vi(), due_vi(d)),
                    format!("{}{}", p.label_en(), due_en(d)),
                ),
                None => ("1 văn bản".to_string(), "1 document".to_string()),
            })
            .unzip();
        let f = Finding::new(
            &EVD002,
            Msg::new(
                format!(
                    "{}: mới có {have}/{want} văn bản; còn thiếu: {}.{basis}",
                    m.label,
                    vi_list.join(", ")
                ),
                format!(
                    "{}: {have} of {want} documents; missing: {}.{basis_en}",
                    m.label,
                    en_list.join(", ")
                ),
            ),
        );
        m.finish(f)
    }
}

/// SIG001: a chosen document carries no digital signature.
pub struct Unsigned<'a> {
    pub label: &'a str,
    pub file: &'a KeptFacts,
    pub req: &'a Requirement,
}

impl From<Unsigned<'_>> for Finding {
    fn from(d: Unsigned) -> Finding {
        let (label, f) = (d.label, d.file);
        Finding::new(
            &SIG001,
            Msg::new(
                format!("{label}: {} không có chữ ký số (bản giấy ký tay hoặc bản quét không được chấm điểm). Nộp văn bản điện tử có chữ ký số của người có thẩm quyền và của cơ quan, hoặc bản sao điện tử được cơ quan ký số.", file_name(&f.path)),
                format!("{label}: {} carries no digital signature (a hand-signed paper or plain scan is not scored). Submit the electronic document signed by the competent person and the organisation, or an electronic copy signed by the organisation.", file_name(&f.path)),
            ),
        )
        .path(&f.path)
        .points(d.req.points)
        .fact("requirement", &d.req.title)
        .fact("number", f.document.number.clone().unwrap_or_default())
        .fact("date", f.document.date.map(vi_date).unwrap_or_default())
    }
}

/// SIG004: the person's or the organisation's signature is missing.
pub struct SignerSetIncomplete<'a> {
    pub label: &'a str,
    pub file: &'a str,
}

impl From<SignerSetIncomplete<'_>> for Finding {
    fn from(d: SignerSetIncomplete) -> Finding {
        let label = d.label;
        Finding::new(
            &super::super::signature::diags::SIG004,
            Msg::new(
                format!("{label}: {} cần chữ ký số của cả người có thẩm quyền và cơ quan.", file_name(d.file)),
                format!("{label}: {} needs both the competent person's and the organisation's signature.", file_name(d.file)),
            ),
        )
        .path(d.file)
    }
}
