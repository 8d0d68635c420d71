//! The findings of the evidence check, one struct per finding, as cargo-deny's
//! `diags.rs` does: the check decides which applies, these say it (in
//! Vietnamese and English) and attach the facts.

use super::super::deadline::Due;
use super::super::{file_name, vi_date};
use crate::facts::FileFacts;
use crate::findings::{Code, Finding, Msg};
use crate::rules::{period::Period, Requirement};

/// EVD006: a file filed under a unit matches none of its requirements.
pub struct Unmatched<'a> {
    pub file: &'a str,
    pub unit: &'a str,
}

impl From<Unmatched<'_>> for Finding {
    fn from(d: Unmatched) -> Finding {
        Finding::new(
            Code::Evd006,
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
            Code::Due003,
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
            Code::Evd001,
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
            Code::Evd002,
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
    pub file: &'a FileFacts,
    pub req: &'a Requirement,
}

impl From<Unsigned<'_>> for Finding {
    fn from(d: Unsigned) -> Finding {
        let (label, f) = (d.label, d.file);
        Finding::new(
            Code::Sig001,
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
            Code::Sig004,
            Msg::new(
                format!("{label}: {} cần chữ ký số của cả người có thẩm quyền và cơ quan.", file_name(d.file)),
                format!("{label}: {} needs both the competent person's and the organisation's signature.", file_name(d.file)),
            ),
        )
        .path(d.file)
    }
}
