//! EVD001, EVD002, EVD006, DUE003 and SIG001/SIG004: does each sub-criterion have
//! the evidence its requirements ask for, on time and signed? Folder-level
//! findings (EVD003/004/007/008) are in [`super::folder`].

use rayon::prelude::*;
use std::collections::BTreeSet;

pub(crate) mod diags;

use super::deadline::{self, Due};
use super::{file_name, Context};
use crate::decree30;
use crate::facts::{KeptFacts, SigType, SignerKind};
use crate::findings::{Code, Finding, Severity};
use crate::rules::{period::Period, Requirement, Scorable, Scoring, SignatureRule};
use crate::text::fold;

use crate::findings::{Outcome, Status};

/// Evaluate one scorable unit over the files filed under it.
/// `file_errors` holds paths that already carry an error-level file finding.
pub fn evaluate(
    s: &Scorable,
    files: &[&KeptFacts],
    file_errors: &BTreeSet<String>,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> Outcome {
    let mut outcome = Outcome {
        id: s.id.clone(),
        status: Status::Ok,
        points_at_risk: 0.0,
        points_pending: 0.0,
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
    // Each file's words are folded once here, not once per requirement, the
    // files side by side: folding is most of a warm check's evaluation (issue 25).
    let hay: Vec<String> = files.par_iter().map(|f| haystack(f)).collect();
    // Files that already carry a SIG004: looked up per chosen file, so kept
    // as a set instead of scanning every finding each time.
    let mut sig004: Option<BTreeSet<String>> = None;
    for req in requirements {
        let mut cx = ReqCx {
            hay: &hay,
            used: &mut used,
            sig004: &mut sig004,
        };
        let r = requirement(s, req, files, &mut cx, file_errors, ctx, out);
        pending |= r.pending;
        if r.lost {
            outcome.points_at_risk += req.points;
        } else if r.pending {
            outcome.points_pending += req.points;
        }
    }
    // A file whose reading stopped at a limit (PDF005: too large, too
    // complex, out of time) cannot be said to match nothing: no claim.
    let unmatched = files
        .iter()
        .filter(|f| !used.contains(f.path.as_str()) && !f.pdf.limit_hit);
    for f in unmatched {
        out.push(
            diags::Unmatched {
                file: &f.path,
                unit: &s.id,
            }
            .into(),
        );
    }
    for f in &mut out[start..] {
        f.criterion.get_or_insert_with(|| s.id.clone());
    }
    outcome.points_at_risk = outcome.points_at_risk.min(s.max_points);
    outcome.points_pending = outcome
        .points_pending
        .min(s.max_points - outcome.points_at_risk);
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

/// What the requirements of one unit share: each file's folded words
/// (aligned with the unit's files), the files already chosen, and the
/// files known to carry a SIG004 (made on first need).
struct ReqCx<'a, 'f> {
    hay: &'a [String],
    used: &'a mut BTreeSet<&'f str>,
    sig004: &'a mut Option<BTreeSet<String>>,
}

fn requirement<'f>(
    s: &Scorable,
    req: &Requirement,
    files: &[&'f KeptFacts],
    cx: &mut ReqCx<'_, 'f>,
    file_errors: &BTreeSet<String>,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> ReqResult {
    let label = format!("{} — {}", s.id, req.title);
    let slots = fill_slots(req, files, cx.hay, cx.used, &label, ctx, out);
    let mut result = ReqResult {
        lost: slots.late,
        pending: slots.pending,
    };
    if let Some(key) = &slots.local_missing {
        out.push(diags::LocalDeadlineMissing { label: &label, key }.into());
    }
    if !slots.missing.is_empty() {
        result.lost = true;
        let m = diags::Missing {
            label: &label,
            unit: &s.id,
            req,
            have: slots.chosen.len(),
            missing: &slots.missing,
        };
        out.push(if slots.chosen.is_empty() {
            diags::NoEvidence(m).into()
        } else {
            diags::Incomplete(m).into()
        });
    }
    for f in &slots.chosen {
        if file_errors.contains(&f.path) {
            result.lost = true;
        }
        if signature_missing(req.signature, f) {
            result.lost = true;
            out.push(
                diags::Unsigned {
                    label: &label,
                    file: f,
                    req,
                }
                .into(),
            );
        } else if req.signature == SignatureRule::PersonAndOrganization && !f.pdf.limit_hit {
            // (A file read only up to a limit cannot tell who signed it.)
            let has = |k: SignerKind| f.signatures.iter().any(|s| s.kind == k);
            // The signature check has already said it for an original
            // (Decree 30): one SIG004 per file, not one per check.
            let incomplete = !(has(SignerKind::Person) && has(SignerKind::Organization));
            let said = cx.sig004.get_or_insert_with(|| {
                out.iter()
                    .filter(|x| x.code == Code::Sig004)
                    .filter_map(|x| x.path.clone())
                    .collect()
            });
            if incomplete && said.insert(f.path.clone()) {
                out.push(
                    diags::SignerSetIncomplete {
                        label: &label,
                        file: &f.path,
                    }
                    .into(),
                );
            }
        }
    }
    result
}

/// How one requirement's slots (one per period, or `count`) were filled.
struct Slots<'f> {
    chosen: Vec<&'f KeptFacts>,
    /// Unfilled slots that are already due (or have no deadline).
    missing: Vec<(Option<Period>, Option<Due>)>,
    /// A `[deadlines]` key the folder's tlkc.toml lacks.
    local_missing: Option<String>,
    /// A chosen document was issued late (DUE001 pushed).
    late: bool,
    /// An unfilled slot is not yet due.
    pending: bool,
}

/// Give each slot the best matching unused file; lateness is judged here
/// because it belongs to the slot's deadline.
fn fill_slots<'f>(
    req: &Requirement,
    files: &[&'f KeptFacts],
    hay: &[String],
    used: &mut BTreeSet<&'f str>,
    label: &str,
    ctx: &Context,
    out: &mut Vec<Finding>,
) -> Slots<'f> {
    let year = ctx.rules.framework.year;
    let patterns: Vec<String> = req
        .title_patterns
        .iter()
        .map(|p| format!(" {} ", words(p)))
        .collect();
    let mut candidates: Vec<&KeptFacts> = files
        .iter()
        .zip(hay)
        .filter(|(f, h)| !used.contains(f.path.as_str()) && matches(req, &patterns, f, h))
        .map(|(f, _)| *f)
        .collect();
    // Prefer documents whose facts are known: dated and signed first, then by path.
    let key = |f: &&KeptFacts| (f.document.date.is_none(), f.signatures.is_empty());
    candidates.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.path.cmp(&b.path)));
    let mut slots = Slots {
        chosen: Vec::new(),
        missing: Vec::new(),
        local_missing: None,
        late: false,
        pending: false,
    };
    let wanted: Vec<Option<Period>> = if req.periods.is_empty() {
        vec![None; req.count as usize]
    } else {
        req.periods.iter().copied().map(Some).collect()
    };
    // Each candidate's period, read from its title once (when a slot asks
    // for one), not once per slot: twelve months of a monthly report read
    // every title twelve times (issue 25). Kept in step with `candidates`.
    let mut periods: Option<Vec<Option<Period>>> = None;
    for slot in wanted {
        let due = match deadline::resolve(req.deadline.as_ref(), slot, year, ctx.config) {
            Ok(d) => d,
            Err(key) => {
                slots.local_missing = Some(key);
                None
            }
        };
        let pick = match slot {
            None => (!candidates.is_empty()).then_some(0),
            Some(p) => periods
                .get_or_insert_with(|| candidates.iter().map(|f| period_of(f)).collect())
                .iter()
                .position(|q| *q == Some(p)),
        };
        let Some(i) = pick else {
            if due.as_ref().is_some_and(|d| ctx.as_of <= d.date) {
                slots.pending = true;
            } else {
                slots.missing.push((slot, due));
            }
            continue;
        };
        let f = candidates.remove(i);
        if let Some(periods) = &mut periods {
            periods.remove(i);
        }
        used.insert(f.path.as_str());
        slots.chosen.push(f);
        if let Some(due) = &due {
            in_window(f, due.date, year, out);
            let what = match slot {
                Some(p) => format!("{label} ({})", p.label_vi()),
                None => label.to_string(),
            };
            if deadline::check(f, due, &what, out) {
                if let Some(last) = out.last_mut() {
                    last.points = Some(req.points);
                }
                slots.late = true;
            }
        }
    }
    slots
}

/// DOC006 judged the date against the evaluated year alone. A document
/// that fills a requirement is judged against the requirement's window: a
/// plan for year Y is issued in December of Y−1, before its deadline, and
/// that is right. Such a file's DOC006 is withdrawn.
fn in_window(f: &KeptFacts, due: chrono::NaiveDate, year: i32, out: &mut Vec<Finding>) {
    use chrono::Datelike;
    let Some(date) = f.document.date else {
        return;
    };
    if date.year() != year && date <= due && date.year() + 1 >= due.year() {
        out.retain(|x| {
            !(x.code == crate::findings::Code::Doc006 && x.path.as_deref() == Some(&f.path))
        });
    }
}

/// True when a signature is required and the file certainly has none. A file
/// whose inspection stopped at a limit (PDF005) cannot tell: no claim.
fn signature_missing(rule: SignatureRule, f: &KeptFacts) -> bool {
    rule != SignatureRule::None
        && !f.pdf.limit_hit
        && !f
            .signatures
            .iter()
            .any(|s| s.sig_type == SigType::Signature)
}

/// The type abbreviation the document carries, "CV" for a công văn.
fn doc_type(f: &KeptFacts) -> Option<String> {
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

/// Punctuation-insensitive folded form for pattern matching: the folded
/// text's runs of letters and digits, one space between them. One pass
/// over the folded text (a warm check makes three per file; issue 25).
fn words(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The words a requirement's title patterns are looked for in: the type
/// name, the title and the file name, folded, with a space on each side.
fn haystack(f: &KeptFacts) -> String {
    format!(
        " {} {} {} ",
        words(f.document.title_type.as_deref().unwrap_or("")),
        words(f.document.title.as_deref().unwrap_or("")),
        words(file_name(&f.path).trim_end_matches(".pdf"))
    )
}

/// `patterns`: the requirement's title patterns as [`words`], each with a
/// space on each side; `haystack`: the file's [`haystack`].
fn matches(req: &Requirement, patterns: &[String], f: &KeptFacts, haystack: &str) -> bool {
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
    patterns.iter().any(|p| haystack.contains(p.as_str()))
}

fn period_of(f: &KeptFacts) -> Option<Period> {
    f.document
        .title
        .as_deref()
        .and_then(Period::detect)
        .or_else(|| Period::detect(file_name(&f.path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FolderConfig;

    /// The one-pass [`words`] says what the former three passes said.
    #[test]
    fn words_in_one_pass_as_in_three() {
        let three = |s: &str| {
            let folded: String = fold(s)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            folded.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for s in [
            "",
            " ",
            "Kế hoạch",
            "  BÁO CÁO:  Kết quả (năm 2022) ... ",
            "1.2.1_ke-hoach__cchc.pdf",
            "Quyết định số 12/QĐ-UBND\tngày 05 tháng 3",
            "—Đề án— «cải cách» hành chính!",
            "x\u{a0}y\u{2003}z",
            "Ƣu tiên THƢƠNG mại",
            "...",
            "a",
        ] {
            assert_eq!(words(s), three(s), "{s:?}");
        }
    }
    use crate::facts::{DocumentFacts, FileFacts, FileKind, PdfFacts, SignatureFacts};
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
        let kept: Vec<KeptFacts> = files.iter().map(KeptFacts::of).collect();
        let refs: Vec<&KeptFacts> = kept.iter().collect();
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

    /// A plan for 2022 issued in December 2021, before its deadline, is on
    /// time for its requirement: DOC006 (outside the year) is withdrawn; a
    /// document dated after its deadline in another year keeps it.
    #[test]
    fn a_plan_issued_the_year_before_its_deadline_is_in_its_window() {
        let mut plan = report("a/kh.pdf", "Kế hoạch CCHC năm 2022", (1, 1), true);
        plan.document.date = NaiveDate::from_ymd_opt(2021, 12, 20);
        let plan = KeptFacts::of(&plan);
        let doc006 = || {
            Finding::new(
                &crate::checks::document::diags::DOC006,
                crate::findings::Msg::new("ngoài năm", "outside the year"),
            )
            .path("a/kh.pdf")
        };
        let mut out = vec![doc006()];
        in_window(
            &plan,
            NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
            2022,
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
        let mut out = vec![doc006()];
        in_window(
            &plan,
            NaiveDate::from_ymd_opt(2021, 12, 15).unwrap(),
            2022,
            &mut out,
        );
        assert_eq!(out.len(), 1);
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
        // Not yet earned: the estimate must not count it as full.
        assert_eq!(o.points_pending, 0.5);
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

    fn run_with(rules: &str, files: &[FileFacts], as_of: (u32, u32)) -> (Outcome, Vec<Finding>) {
        let rules = load_str(rules, "t.toml").unwrap();
        let config = FolderConfig::default();
        let ctx = Context {
            rules: &rules,
            config: &config,
            as_of: NaiveDate::from_ymd_opt(2022, as_of.0, as_of.1).unwrap(),
        };
        let s = rules.find("1.2.1").unwrap();
        let kept: Vec<KeptFacts> = files.iter().map(KeptFacts::of).collect();
        let refs: Vec<&KeptFacts> = kept.iter().collect();
        let mut out = vec![];
        let o = evaluate(s, &refs, &BTreeSet::new(), &ctx, &mut out);
        (o, out)
    }

    #[test]
    fn either_of_two_types_satisfies_an_alternative() {
        let rules = RULES
            .replace("types = [\"BC\"]", "types = [\"BC\", \"CV\"]")
            .replace(
                "periods = [\"Q1\", \"H1\", \"Q3\", \"Y\"]\ndeadline = { period_day = 14 }\n",
                "",
            );
        let mut cv = report("a/cv.pdf", "Về cải cách hành chính", (3, 1), true);
        cv.document.r#type = None;
        cv.document.title_type = Some("CÔNG VĂN".into());
        let (o, out) = run_with(&rules, &[cv], (12, 31));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(o.status, Status::Ok);
        let mut kh = report("a/kh.pdf", "Kế hoạch cải cách hành chính", (3, 1), true);
        kh.document.r#type = Some("KH".into());
        let (_, out) = run_with(&rules, &[kh], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001, Code::Evd006]);
    }

    #[test]
    fn a_file_read_only_up_to_a_limit_is_not_called_unmatched() {
        let rules = RULES.replace(
            "periods = [\"Q1\", \"H1\", \"Q3\", \"Y\"]\ndeadline = { period_day = 14 }\n",
            "",
        );
        let mut big = FileFacts::pdf("a/scan.pdf");
        big.pdf.limit_hit =
            Some("file of 700000000 bytes is larger than max_file_bytes (268435456)".into());
        big.pdf.over_size_limit = Some(268_435_456);
        let (_, out) = run_with(&rules, &[big.clone()], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001], "{out:?}");
        // The same file read in full and matching nothing is EVD006.
        big.pdf.limit_hit = None;
        big.pdf.over_size_limit = None;
        let (_, out) = run_with(&rules, &[big], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001, Code::Evd006], "{out:?}");
    }

    #[test]
    fn no_signer_claim_on_a_file_read_only_up_to_a_limit() {
        let rules = RULES
            .replace(
                "periods = [\"Q1\", \"H1\", \"Q3\", \"Y\"]\ndeadline = { period_day = 14 }\n",
                "",
            )
            .replace(
                "signature = \"required\"",
                "signature = \"person_and_organization\"",
            );
        assert!(rules.contains("person_and_organization"), "{rules}");
        let mut big = report("a/bc.pdf", "Báo cáo cải cách hành chính", (3, 1), false);
        big.pdf.limit_hit = Some("file of 700000000 bytes is larger than max_file_bytes".into());
        let (_, out) = run_with(&rules, &[big.clone()], (12, 31));
        assert!(!codes(&out).contains(&Code::Sig004), "{out:?}");
        assert!(!codes(&out).contains(&Code::Sig001), "{out:?}");
        // Read in full with no signature at all, the same file is SIG001.
        big.pdf.limit_hit = None;
        let (_, out) = run_with(&rules, &[big], (12, 31));
        assert!(codes(&out).contains(&Code::Sig001), "{out:?}");
    }

    #[test]
    fn monthly_and_quarterly_reports_fill_their_own_slots() {
        let rules = RULES.replace(
            "periods = [\"Q1\", \"H1\", \"Q3\", \"Y\"]",
            "periods = [\"T01\", \"T02\", \"T03\", \"T04\", \"T05\", \"T06\", \"T07\", \"T08\", \"T09\", \"T10\", \"T11\", \"T12\"]",
        );
        let files: Vec<FileFacts> = (1..=5)
            .map(|m| {
                report(
                    &format!("a/t{m}.pdf"),
                    &format!("Cải cách hành chính tháng {m} năm 2022"),
                    (m, 10),
                    true,
                )
            })
            .collect();
        // On 20 June: January–May filed on time, June not yet due.
        let (o, out) = run_with(&rules, &files, (6, 10));
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(o.status, Status::Pending);
        // On 31 December: seven months missing, listed in one EVD002.
        let (_, out) = run_with(&rules, &files, (12, 31));
        assert_eq!(codes(&out), [Code::Evd002]);
        assert!(
            out[0].message.vi.contains("tháng 12"),
            "{}",
            out[0].message.vi
        );
        let quarters = RULES.replace(
            "periods = [\"Q1\", \"H1\", \"Q3\", \"Y\"]",
            "periods = [\"Q1\", \"Q2\", \"Q3\", \"Q4\"]",
        );
        let files = [
            report(
                "a/1.pdf",
                "Cải cách hành chính quý I năm 2022",
                (3, 10),
                true,
            ),
            report(
                "a/2.pdf",
                "Cải cách hành chính quý II năm 2022",
                (6, 10),
                true,
            ),
            report(
                "a/3.pdf",
                "Cải cách hành chính quý III năm 2022",
                (9, 10),
                true,
            ),
            report(
                "a/4.pdf",
                "Cải cách hành chính quý IV năm 2022",
                (12, 20),
                true,
            ),
        ];
        let (o, out) = run_with(&quarters, &files, (12, 31));
        assert_eq!(codes(&out), [Code::Due001], "Q4 due 14/12, issued 20/12");
        assert_eq!(o.status, Status::Failing);
    }

    #[test]
    fn wrong_document_matches_nothing() {
        let mut f = report("a/kh.pdf", "Kế hoạch tuyên truyền", (3, 1), true);
        f.document.r#type = Some("KH".into());
        let (_, out) = run(&[f], (12, 31));
        assert_eq!(codes(&out), [Code::Evd001, Code::Evd006]);
    }

    /// A person-only original under a person-and-organisation requirement:
    /// the signature check says SIG004 (Decree 30), the evidence check does
    /// not say it again; a scan, which the signature check leaves alone,
    /// still gets the requirement's SIG004.
    #[test]
    fn a_missing_signer_is_said_once() {
        let rules = RULES.replace(
            "signature = \"required\"",
            "signature = \"person_and_organization\"",
        );
        let mut original = report(
            "a/1.pdf",
            "Cải cách hành chính quý I năm 2022",
            (4, 1),
            true,
        );
        original.signatures[0].kind = SignerKind::Person;
        let rules = load_str(&rules, "t.toml").unwrap();
        let config = FolderConfig::default();
        let ctx = Context {
            rules: &rules,
            config: &config,
            as_of: NaiveDate::from_ymd_opt(2022, 4, 30).unwrap(),
        };
        let s = rules.find("1.2.1").unwrap();
        let sig004 = |f: &FileFacts| {
            let mut out = vec![];
            crate::checks::signature::check(f, &ctx.algorithm_policy(), ctx.as_of, &mut out);
            evaluate(s, &[&KeptFacts::of(f)], &BTreeSet::new(), &ctx, &mut out);
            out.iter().filter(|x| x.code == Code::Sig004).count()
        };
        assert_eq!(sig004(&original), 1);
        let mut scan = original.clone();
        scan.pdf.scan_dpi = Some(300);
        assert_eq!(sig004(&scan), 1);
    }
}
