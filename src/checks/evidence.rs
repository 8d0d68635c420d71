//! EVD001–EVD008 and SIG001: does each sub-criterion have the evidence its
//! requirements ask for, and is each piece filed, unique and signed?

use std::collections::{BTreeMap, BTreeSet};

use super::deadline::{self, Due};
use super::{file_name, vi_date, Context};
use crate::decree30;
use crate::discover::{Discovery, SkipReason};
use crate::facts::{FileFacts, SignerKind};
use crate::findings::{Code, Finding, Msg, Severity};
use crate::rules::{period::Period, Requirement, Scorable, Scoring, SignatureRule};
use crate::text::fold;

pub use crate::findings::{Outcome, Status};

/// Evaluate one scorable unit over the files filed under it.
/// `file_errors` holds paths that already carry an error-level file finding.
pub fn evaluate(
    s: &Scorable,
    files: &[&FileFacts],
    file_errors: &BTreeSet<String>,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> Outcome {
    let mut outcome = Outcome {
        id: s.id.clone(),
        status: Status::Ok,
        points_at_risk: 0.0,
        files: files.iter().map(|f| f.path.clone()).collect(),
    };
    let requirements = match &s.scoring {
        Scoring::Statistics { .. } => {
            outcome.status = Status::NotCheckable;
            return outcome;
        }
        Scoring::Documents { requirements } => requirements,
    };
    let start = out.len();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut pending = false;
    for req in requirements {
        let r = requirement(s, req, files, &mut used, file_errors, ctx, out);
        pending |= r.pending;
        if r.lost {
            outcome.points_at_risk += req.points;
        }
    }
    for f in files.iter().filter(|f| !used.contains(f.path.as_str())) {
        out.push(
            Finding::new(
                Code::Evd006,
                Msg::new(
                    format!("{} được xếp vào {} nhưng không khớp yêu cầu TLKC nào của tiêu chí này (loại văn bản, trích yếu): kiểm tra lại có đúng tiêu chí không.", f.path, s.id),
                    format!("{} is filed under {} but matches none of its evidence requirements (type, title): check it belongs here.", f.path, s.id),
                ),
            )
            .path(&f.path)
            .criterion(&s.id),
        );
    }
    for f in &mut out[start..] {
        f.criterion.get_or_insert_with(|| s.id.clone());
    }
    outcome.points_at_risk = outcome.points_at_risk.min(s.max_points);
    let has_error = out[start..].iter().any(|f| f.severity == Severity::Error);
    outcome.status = if has_error || outcome.points_at_risk > 0.0 {
        Status::Failing
    } else if pending {
        Status::Pending
    } else {
        Status::Ok
    };
    outcome
}

struct ReqResult {
    lost: bool,
    pending: bool,
}

fn requirement<'f>(
    s: &Scorable,
    req: &Requirement,
    files: &[&'f FileFacts],
    used: &mut BTreeSet<&'f str>,
    file_errors: &BTreeSet<String>,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> ReqResult {
    let year = ctx.rules.framework.year;
    let label = format!("{} — {}", s.id, req.title);
    let mut candidates: Vec<&FileFacts> = files
        .iter()
        .copied()
        .filter(|f| !used.contains(f.path.as_str()) && matches(req, f))
        .collect();
    // Prefer documents whose facts are known: dated and signed first, then by path.
    candidates.sort_by_key(|f| {
        (
            f.document.date.is_none(),
            f.signatures.is_empty(),
            f.path.clone(),
        )
    });

    let mut result = ReqResult {
        lost: false,
        pending: false,
    };
    let mut chosen: Vec<(&FileFacts, Option<Period>)> = Vec::new();
    let mut missing: Vec<(Option<Period>, Option<Due>)> = Vec::new();
    let mut local_missing: Option<String> = None;

    let slots: Vec<Option<Period>> = if req.periods.is_empty() {
        vec![None; req.count as usize]
    } else {
        req.periods.iter().copied().map(Some).collect()
    };
    for slot in slots {
        let due = match deadline::resolve(req.deadline.as_ref(), slot, year, ctx.config) {
            Ok(d) => d,
            Err(key) => {
                local_missing = Some(key);
                None
            }
        };
        let pick = candidates.iter().position(|f| match slot {
            None => true,
            Some(p) => period_of(f) == Some(p),
        });
        match pick {
            Some(i) => {
                let f = candidates.remove(i);
                used.insert(f.path.as_str());
                chosen.push((f, slot));
                if let Some(due) = &due {
                    let what = match slot {
                        Some(p) => format!("{label} ({})", p.label_vi()),
                        None => label.clone(),
                    };
                    if deadline::check(f, due, &what, out) {
                        if let Some(last) = out.last_mut() {
                            last.points = Some(req.points);
                        }
                        result.lost = true;
                    }
                }
            }
            None => {
                let not_yet_due = due.as_ref().is_some_and(|d| ctx.as_of <= d.date);
                if not_yet_due {
                    result.pending = true;
                } else {
                    missing.push((slot, due));
                }
            }
        }
    }
    if let Some(key) = local_missing {
        out.push(Finding::new(
            Code::Due003,
            Msg::new(
                format!("{label}: hạn nộp do địa phương quy định nhưng tlkc.toml chưa khai báo [deadlines.{key}] (date, basis): chưa kiểm tra được trễ hạn."),
                format!("{label}: the deadline is set locally but tlkc.toml has no [deadlines.{key}] (date, basis): lateness was not checked."),
            ),
        ));
    }
    if !missing.is_empty() {
        result.lost = true;
        let due_text = |d: &Option<Due>| {
            d.as_ref()
                .map(|d| format!(" (hạn {})", vi_date(d.date)))
                .unwrap_or_default()
        };
        let due_text_en = |d: &Option<Due>| {
            d.as_ref()
                .map(|d| format!(" (due {})", d.date))
                .unwrap_or_default()
        };
        let basis = req
            .basis
            .as_deref()
            .map(|b| format!(" Căn cứ: {b}."))
            .unwrap_or_default();
        let basis_en = req
            .basis
            .as_deref()
            .map(|b| format!(" Basis: {b}."))
            .unwrap_or_default();
        let finding = if chosen.is_empty() {
            Finding::new(
                Code::Evd001,
                Msg::new(
                    format!("{label}: chưa có tài liệu kiểm chứng{}.{basis} Bổ sung văn bản vào thư mục của tiêu chí {}.", due_text(&missing[0].1), s.id),
                    format!("{label}: no evidence document{}.{basis_en} Add the document to the folder of {}.", due_text_en(&missing[0].1), s.id),
                ),
            )
        } else {
            let have = chosen.len();
            let want = have + missing.len();
            let (vi_list, en_list): (Vec<String>, Vec<String>) = missing
                .iter()
                .map(|(p, d)| match p {
                    Some(p) => (
                        format!("{}{}", p.label_vi(), due_text(d)),
                        format!("{}{}", p.label_en(), due_text_en(d)),
                    ),
                    None => ("1 văn bản".to_string(), "1 document".to_string()),
                })
                .unzip();
            Finding::new(
                Code::Evd002,
                Msg::new(
                    format!(
                        "{label}: mới có {have}/{want} văn bản; còn thiếu: {}.{basis}",
                        vi_list.join(", ")
                    ),
                    format!(
                        "{label}: {have} of {want} documents; missing: {}.{basis_en}",
                        en_list.join(", ")
                    ),
                ),
            )
        };
        let missing_vi: Vec<String> = missing
            .iter()
            .map(|(p, d)| {
                let what = p.map(|p| p.label_vi()).unwrap_or("văn bản");
                format!("{what}{}", due_text(d))
            })
            .collect();
        out.push(
            finding
                .points(req.points)
                .fact("requirement", &req.title)
                .fact("missing", missing_vi.join(", "))
                .fact("basis", req.basis.clone().unwrap_or_default()),
        );
    }
    for (f, _) in &chosen {
        if file_errors.contains(&f.path) {
            result.lost = true;
        }
        if signature_missing(req.signature, f) {
            result.lost = true;
            out.push(
                Finding::new(
                    Code::Sig001,
                    Msg::new(
                        format!("{label}: {} không có chữ ký số (bản giấy ký tay hoặc bản quét không được chấm điểm). Nộp văn bản điện tử có chữ ký số của người có thẩm quyền và của cơ quan, hoặc bản sao điện tử được cơ quan ký số.", file_name(&f.path)),
                        format!("{label}: {} carries no digital signature (a hand-signed paper or plain scan is not scored). Submit the electronic document signed by the competent person and the organisation, or an electronic copy signed by the organisation.", file_name(&f.path)),
                    ),
                )
                .path(&f.path)
                .points(req.points)
                .fact("requirement", &req.title)
                .fact("number", f.document.number.clone().unwrap_or_default())
                .fact("date", f.document.date.map(vi_date).unwrap_or_default()),
            );
        } else if req.signature == SignatureRule::PersonAndOrganization {
            let has = |k: SignerKind| f.signatures.iter().any(|s| s.kind == k);
            if !(has(SignerKind::Person) && has(SignerKind::Organization)) {
                out.push(
                    Finding::new(
                        Code::Sig004,
                        Msg::new(
                            format!("{label}: {} cần chữ ký số của cả người có thẩm quyền và cơ quan.", file_name(&f.path)),
                            format!("{label}: {} needs both the competent person's and the organisation's signature.", file_name(&f.path)),
                        ),
                    )
                    .path(&f.path),
                );
            }
        }
    }
    result
}

/// True when a signature is required and the file certainly has none. A file
/// whose inspection stopped at a limit (PDF005) cannot tell: no claim.
fn signature_missing(rule: SignatureRule, f: &FileFacts) -> bool {
    rule != SignatureRule::None
        && f.pdf.limit_hit.is_none()
        && !f.signatures.iter().any(|s| s.sig_type == "signature")
}

/// The type abbreviation the document carries, "CV" for a công văn.
fn doc_type(f: &FileFacts) -> Option<String> {
    let d = &f.document;
    if d.title_type.as_deref() == Some("CÔNG VĂN") {
        return Some(decree30::CONG_VAN.to_string());
    }
    d.r#type.clone().or_else(|| {
        d.title_type
            .as_deref()
            .and_then(decree30::type_abbrev)
            .map(String::from)
    })
}

/// Punctuation-insensitive folded form for pattern matching.
fn words(s: &str) -> String {
    let folded: String = fold(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn matches(req: &Requirement, f: &FileFacts) -> bool {
    let type_ok = req.types.is_empty()
        || match doc_type(f) {
            Some(t) => req.types.contains(&t),
            None => true, // cannot tell the type (scan): let the title decide
        };
    if !type_ok {
        return false;
    }
    if req.title_patterns.is_empty() {
        return true;
    }
    let haystack = format!(
        " {} {} {} ",
        words(f.document.title_type.as_deref().unwrap_or("")),
        words(f.document.title.as_deref().unwrap_or("")),
        words(file_name(&f.path).trim_end_matches(".pdf"))
    );
    req.title_patterns
        .iter()
        .any(|p| haystack.contains(&format!(" {} ", words(p))))
}

fn period_of(f: &FileFacts) -> Option<Period> {
    f.document
        .title
        .as_deref()
        .and_then(Period::detect)
        .or_else(|| Period::detect(file_name(&f.path)))
}

/// Folder-level findings: unfiled files (EVD003), identical content under
/// two names (EVD004), unresolved tlkc.toml assignments (EVD007), symlinks
/// and unreadable entries (EVD008, PDF001).
pub fn folder_checks(d: &Discovery, facts: &[FileFacts], out: &mut Vec<Finding>) {
    for e in d.files.iter().filter(|e| e.criteria.is_empty()) {
        out.push(
            Finding::new(
                Code::Evd003,
                Msg::new(
                    format!("{} không thuộc tiêu chí nào: đặt vào thư mục mang mã tiêu chí (ví dụ \"1.3.1 Kế hoạch kiểm tra\") hoặc khai báo [[assign]] trong tlkc.toml.", e.rel),
                    format!("{} is filed under no sub-criterion: put it in a folder named after the code (e.g. \"1.3.1 Kế hoạch kiểm tra\") or add an [[assign]] in tlkc.toml.", e.rel),
                ),
            )
            .path(&e.rel),
        );
    }
    let mut by_hash: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in facts {
        by_hash
            .entry(f.sha256.as_str())
            .or_default()
            .push(f.path.as_str());
    }
    for paths in by_hash.values().filter(|p| p.len() > 1) {
        for p in paths {
            out.push(
                Finding::new(
                    Code::Evd004,
                    Msg::new(
                        format!("Cùng một nội dung (SHA-256 trùng) được nộp {} lần: {}. Nếu một văn bản dùng cho nhiều tiêu chí, khai báo [[assign]] trong tlkc.toml thay vì sao chép.", paths.len(), paths.join(", ")),
                        format!("The same content (identical SHA-256) is filed {} times: {}. To use one document for several criteria, declare an [[assign]] in tlkc.toml instead of copying.", paths.len(), paths.join(", ")),
                    ),
                )
                .path(*p),
            );
        }
    }
    for (path, line) in &d.unmatched_assignments {
        out.push(Finding::new(
            Code::Evd007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] path = \"{path}\" không khớp tệp nào trong thư mục."),
                format!("tlkc.toml line {line}: [[assign]] path = \"{path}\" matches no file in the folder."),
            ),
        ));
    }
    for (path, id, line) in &d.unknown_criteria {
        out.push(Finding::new(
            Code::Evd007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] cho \"{path}\" ghi tiêu chí \"{id}\" không có trong bộ tiêu chí."),
                format!("tlkc.toml line {line}: [[assign]] for \"{path}\" names \"{id}\", which the ruleset does not have."),
            ),
        ));
    }
    for sk in &d.skipped {
        let f = match &sk.reason {
            SkipReason::Symlink => Finding::new(
                Code::Evd008,
                Msg::new(
                    format!("{} là liên kết tượng trưng (symlink): tlkc không đi theo liên kết; đặt tệp thật vào thư mục.", sk.rel),
                    format!("{} is a symbolic link: tlkc does not follow links; put the real file in the folder.", sk.rel),
                ),
            ),
            SkipReason::Unreadable(why) => Finding::new(
                Code::Pdf001,
                Msg::new(
                    format!("Không đọc được {} ({why}).", sk.rel),
                    format!("{} cannot be read ({why}).", sk.rel),
                ),
            ),
        };
        out.push(if sk.rel.is_empty() {
            f
        } else {
            f.path(&sk.rel)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FolderConfig;
    use crate::facts::{DocumentFacts, FileKind, PdfFacts, SignatureFacts};
    use crate::rules::load_str;
    use chrono::NaiveDate;

    const RULES: &str = r#"
[framework]
id = "t"
title = "T"
year = 2022
[[area]]
id = "1"
title = "A"
max_points = 2
[[area.criterion]]
id = "1.2"
title = "C"
max_points = 1
[[area.criterion.sub]]
id = "1.2.1"
title = "Báo cáo"
max_points = 0.5
[[area.criterion.sub.document]]
id = "bc"
title = "Báo cáo CCHC định kỳ"
types = ["BC"]
title_patterns = ["cải cách hành chính"]
periods = ["Q1", "H1", "Q3", "Y"]
deadline = { period_day = 14 }
signature = "required"
points = 0.5
"#;

    fn report(path: &str, title: &str, date: (u32, u32), signed: bool) -> FileFacts {
        let mut sigs = vec![];
        if signed {
            sigs.push(SignatureFacts::unknown(Some("Sig1".into())));
        }
        FileFacts {
            path: path.into(),
            sha256: path.into(),
            size: 1,
            kind: FileKind::Pdf,
            pdf: PdfFacts {
                readable: true,
                text_layer: Some(true),
                ..Default::default()
            },
            document: DocumentFacts {
                r#type: Some("BC".into()),
                title_type: Some("BÁO CÁO".into()),
                title: Some(title.into()),
                date: NaiveDate::from_ymd_opt(2022, date.0, date.1),
                ..Default::default()
            },
            signatures: sigs,
            unsigned_fields: vec![],
        }
    }

    fn run(files: &[FileFacts], as_of: (u32, u32)) -> (Outcome, Vec<Finding>) {
        let rules = load_str(RULES, "t.toml").unwrap();
        let config = FolderConfig::default();
        let ctx = Context {
            rules: &rules,
            config: &config,
            as_of: NaiveDate::from_ymd_opt(2022, as_of.0, as_of.1).unwrap(),
        };
        let s = rules.find("1.2.1").unwrap();
        let refs: Vec<&FileFacts> = files.iter().collect();
        let mut out = vec![];
        let o = evaluate(s, &refs, &BTreeSet::new(), &ctx, &mut out);
        (o, out)
    }

    fn codes(out: &[Finding]) -> Vec<Code> {
        out.iter().map(|f| f.code).collect()
    }

    #[test]
    fn late_quarterly_reports_lose_the_points() {
        let files = [
            report(
                "a/q1.pdf",
                "Công tác cải cách hành chính quý I năm 2022",
                (3, 18),
                true,
            ),
            report(
                "a/h1.pdf",
                "Công tác cải cách hành chính 6 tháng đầu năm 2022",
                (6, 13),
                true,
            ),
            report(
                "a/q3.pdf",
                "Công tác cải cách hành chính quý III năm 2022",
                (9, 20),
                true,
            ),
        ];
        let (o, out) = run(&files, (11, 30));
        assert_eq!(codes(&out), [Code::Due001, Code::Due001]);
        assert_eq!(o.status, Status::Failing);
        assert_eq!(o.points_at_risk, 0.5);
    }

    #[test]
    fn annual_report_not_yet_due_is_pending() {
        let files = [
            report(
                "a/q1.pdf",
                "Cải cách hành chính quý I năm 2022",
                (3, 10),
                true,
            ),
            report(
                "a/h1.pdf",
                "Cải cách hành chính 6 tháng năm 2022",
                (6, 10),
                true,
            ),
            report(
                "a/q3.pdf",
                "Cải cách hành chính quý III năm 2022",
                (9, 10),
                true,
            ),
        ];
        let (o, out) = run(&files, (11, 30));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(o.status, Status::Pending);
    }

    #[test]
    fn missing_period_and_unsigned_report() {
        let files = [
            report(
                "a/q1.pdf",
                "Cải cách hành chính quý I năm 2022",
                (3, 10),
                false,
            ),
            report(
                "a/q3.pdf",
                "Cải cách hành chính quý III năm 2022",
                (9, 10),
                true,
            ),
        ];
        let (o, out) = run(&files, (12, 31));
        assert_eq!(codes(&out), [Code::Evd002, Code::Sig001]);
        assert!(
            out[0].message.vi.contains("6 tháng"),
            "{}",
            out[0].message.vi
        );
        assert_eq!(o.status, Status::Failing);
    }

    #[test]
    fn nothing_filed_is_missing_evidence() {
        let (o, out) = run(&[], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001]);
        assert_eq!(o.points_at_risk, 0.5);
    }

    #[test]
    fn wrong_document_matches_nothing() {
        let mut f = report("a/kh.pdf", "Kế hoạch tuyên truyền", (3, 1), true);
        f.document.r#type = Some("KH".into());
        let (_, out) = run(&[f], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001, Code::Evd006]);
    }
}
