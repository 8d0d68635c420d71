//! Waivers from tlkc.toml, applied once after evaluation: matching findings
//! are marked waived (not counted), expired or unused waivers become CFG001,
//! and every sub-criterion the waivers cleared gets its verdict back.

use chrono::NaiveDate;

use super::Evaluation;
use crate::config::waiver::Waiver;
use crate::findings::{Code, Finding, Msg, Severity, Status, Waived};

/// Mark waived findings, report expired or unused waivers (CFG001) and
/// recompute the verdict of every sub-criterion the waivers touched.
pub fn apply(ev: &mut Evaluation, waivers: &[Waiver], as_of: NaiveDate) {
    if waivers.is_empty() {
        return;
    }
    let mut notes = Vec::new();
    for w in waivers {
        let cfg_finding = |vi: String, en: String| {
            Finding::new(Code::Cfg001, Msg::new(vi, en))
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
        for f in ev
            .findings
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
    for o in &mut ev.outcomes {
        if o.status != Status::Failing {
            continue;
        }
        let active_errors = ev.findings.iter().any(|f| {
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
    ev.findings.extend(notes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active_errors(ev: &Evaluation) -> usize {
        ev.findings
            .iter()
            .filter(|f| f.is_active() && f.severity == Severity::Error)
            .count()
    }

    #[test]
    fn waives_counts_and_reports_expired_and_unused() {
        let mut r = crate::report::fixture::report();
        let mut ev = Evaluation {
            findings: std::mem::take(&mut r.findings),
            outcomes: std::mem::take(&mut r.outcomes),
            tasks: Vec::new(),
        };
        let w = |code: Code, criterion: &str, until: Option<NaiveDate>| Waiver {
            code,
            criterion: Some(criterion.into()),
            path: None,
            reason: "Đã giải trình với Sở Nội vụ".into(),
            until,
            line: 3,
        };
        let before_errors = active_errors(&ev);
        apply(
            &mut ev,
            &[
                w(Code::Due001, "1.2.1", None),
                w(Code::Sig001, "1.3.1", NaiveDate::from_ymd_opt(2022, 1, 1)),
                w(Code::Evd001, "9.9.9", None),
            ],
            r.as_of,
        );
        let waived = ev.findings.iter().filter(|f| f.waived.is_some()).count();
        assert!(waived >= 1);
        assert_eq!(active_errors(&ev), before_errors - waived);
        let cfg: Vec<_> = ev
            .findings
            .iter()
            .filter(|f| f.code == Code::Cfg001)
            .collect();
        assert_eq!(cfg.len(), 2, "{cfg:?}");
        assert!(cfg.iter().any(|f| f.message.vi.contains("hết hạn")));
        assert!(cfg.iter().any(|f| f.message.vi.contains("không khớp")));
        let o = ev.outcomes.iter().find(|o| o.id == "1.2.1").unwrap();
        assert_eq!(o.status, Status::Ok);
        assert_eq!(o.points_at_risk, 0.0);
    }
}
