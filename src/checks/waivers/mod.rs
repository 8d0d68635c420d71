//! Waivers from tlkc.toml, applied once after evaluation: matching findings
//! are marked waived (not counted), expired or unused waivers become CFG001,
//! and every sub-criterion the waivers cleared gets its verdict back.

pub(crate) mod diags;

use chrono::NaiveDate;

use crate::config::waiver::Waiver;
use crate::findings::{Finding, Msg, Outcome, Severity, Status, Waived};

/// Mark waived findings, report expired or unused waivers (CFG001) and
/// recompute the verdict of every sub-criterion the waivers touched.
pub fn apply(
    findings: &mut Vec<Finding>,
    outcomes: &mut [Outcome],
    waivers: &[Waiver],
    as_of: NaiveDate,
) {
    if waivers.is_empty() {
        return;
    }
    let mut notes = Vec::new();
    for w in waivers {
        let cfg_finding = |vi: String, en: String| {
            Finding::new(&diags::CFG001, Msg::new(vi, en))
                .path(crate::config::FILE_NAME)
                .fact("line", w.line.to_string())
                .fact("code", w.code.as_str())
        };
        if let Some(until) = w.until.filter(|u| *u < as_of) {
            notes.push(cfg_finding(
                format!(
                    "Miễn trừ {} ({}) ở dòng {} của tlkc.toml đã hết hạn ngày {}: không còn áp dụng.",
                    w.code,
                    w.target(),
                    w.line,
                    crate::time::vi_date(until)
                ),
                format!(
                    "Waiver of {} ({}) on line {} of tlkc.toml expired on {until}: no longer applied.",
                    w.code,
                    w.target(),
                    w.line
                ),
            ));
            continue;
        }
        let mut hits = 0;
        for f in findings
            .iter_mut()
            .filter(|f| f.is_active() && w.matches(f))
        {
            f.waived = Some(Waived {
                reason: w.reason.clone(),
                until: w.until,
            });
            hits += 1;
        }
        if hits == 0 {
            notes.push(cfg_finding(
                format!(
                    "Miễn trừ {} ({}) ở dòng {} của tlkc.toml không khớp phát hiện nào: kiểm tra lại mã, tiêu chí, đường dẫn hoặc xoá mục này.",
                    w.code,
                    w.target(),
                    w.line
                ),
                format!(
                    "Waiver of {} ({}) on line {} of tlkc.toml matches no finding: check its code, criterion and path, or delete it.",
                    w.code,
                    w.target(),
                    w.line
                ),
            ));
        }
    }
    for o in outcomes.iter_mut() {
        if o.status != Status::Failing {
            continue;
        }
        let active_errors = findings.iter().any(|f| {
            f.is_active()
                && f.severity == Severity::Error
                && f.criterion.as_deref() == Some(o.id.as_str())
        });
        // Points are lost through error findings only: with all of them waived
        // nothing is at risk. With some left, the original figure stays, since
        // findings do not say which requirement they belong to and overstating
        // the risk is the safer mistake.
        if !active_errors {
            o.points_at_risk = 0.0;
            o.status = Status::Ok;
        }
    }
    findings.extend(notes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Code;

    fn active_errors(findings: &[Finding]) -> usize {
        findings
            .iter()
            .filter(|f| f.is_active() && f.severity == Severity::Error)
            .count()
    }

    #[test]
    fn waives_counts_and_reports_expired_and_unused() {
        let r = crate::report::fixture::report();
        let (mut findings, mut outcomes) = (r.findings, r.outcomes);
        let w = |code: Code, criterion: &str, until: Option<NaiveDate>| Waiver {
            code,
            criterion: Some(criterion.into()),
            path: None,
            reason: "Đã giải trình với Sở Nội vụ".into(),
            until,
            line: 3,
        };
        let before_errors = active_errors(&findings);
        apply(
            &mut findings,
            &mut outcomes,
            &[
                w(Code::Due001, "1.2.1", None),
                w(Code::Sig001, "1.3.1", NaiveDate::from_ymd_opt(2022, 1, 1)),
                w(Code::Evd001, "9.9.9", None),
            ],
            r.as_of,
        );
        let waived = findings.iter().filter(|f| f.waived.is_some()).count();
        assert!(waived >= 1);
        assert_eq!(active_errors(&findings), before_errors - waived);
        let cfg: Vec<_> = findings.iter().filter(|f| f.code == Code::Cfg001).collect();
        assert_eq!(cfg.len(), 2, "{cfg:?}");
        assert!(cfg.iter().any(|f| f.message.vi.contains("hết hạn")));
        assert!(cfg.iter().any(|f| f.message.vi.contains("không khớp")));
        let o = outcomes.iter().find(|o| o.id == "1.2.1").unwrap();
        assert_eq!(o.status, Status::Ok);
        assert_eq!(o.points_at_risk, 0.0);
    }
}
