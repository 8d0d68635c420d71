//! Waivers (`[[waiver]]` in tlkc.toml): the office accepts a known finding,
//! e.g. a late report already explained to the council. Applied once, after
//! evaluation, so every renderer sees the same verdict.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::checks::evidence::Status;
use crate::config::ConfigError;
use crate::findings::{sort_findings, Code, Finding, Msg, Severity, Waived};
use crate::run::Report;

/// One validated `[[waiver]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub code: Code,
    pub criterion: Option<String>,
    /// NFC, `/`-separated, relative to the folder; a folder waives everything under it.
    pub path: Option<String>,
    pub reason: String,
    pub until: Option<NaiveDate>,
    /// 1-based line in tlkc.toml, for CFG001 locations.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWaiver {
    code: toml::Spanned<String>,
    criterion: Option<String>,
    path: Option<toml::Spanned<String>>,
    reason: Option<toml::Spanned<String>>,
    until: Option<toml::Spanned<String>>,
}

/// Validate one raw entry; `err` turns a byte offset into a file:line:col error.
pub(crate) fn from_raw(
    raw: toml::Spanned<RawWaiver>,
    line: usize,
    err: &dyn Fn(usize, String) -> ConfigError,
) -> Result<Waiver, ConfigError> {
    let at = raw.span().start;
    let raw = raw.into_inner();
    let code: Code = raw
        .code
        .get_ref()
        .parse()
        .map_err(|e: String| err(raw.code.span().start, format!("waiver: {e}")))?;
    // A waiver without a reason would hide a loss nobody can justify later.
    let reason = match raw.reason {
        None => {
            return Err(err(
                at,
                format!("waiver for {code}: `reason` is required (why the finding is accepted)"),
            ))
        }
        Some(r) if r.get_ref().trim().is_empty() => {
            return Err(err(
                r.span().start,
                format!("waiver for {code}: `reason` is empty"),
            ))
        }
        Some(r) => r.into_inner().trim().to_string(),
    };
    let until = match raw.until {
        None => None,
        Some(u) => Some(
            NaiveDate::parse_from_str(u.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
                err(
                    u.span().start,
                    format!("waiver: until `{}` is not a date (YYYY-MM-DD)", u.get_ref()),
                )
            })?,
        ),
    };
    let path = match raw.path {
        None => None,
        Some(p) => Some(crate::config::clean_relative(p.get_ref()).ok_or_else(|| {
            err(
                p.span().start,
                format!(
                    "waiver: path `{}` must stay inside the evidence folder",
                    p.get_ref()
                ),
            )
        })?),
    };
    if raw.criterion.is_none() && path.is_none() {
        // Waiving a code everywhere would silence checks, not accept a finding.
        return Err(err(
            at,
            format!("waiver for {code}: give `criterion`, `path` or both"),
        ));
    }
    Ok(Waiver {
        code,
        criterion: raw.criterion.map(|c| c.trim().to_string()),
        path,
        reason,
        until,
        line,
    })
}

impl Waiver {
    fn matches(&self, f: &Finding) -> bool {
        f.code == self.code
            && self
                .criterion
                .as_ref()
                .is_none_or(|c| f.criterion.as_deref() == Some(c.as_str()))
            && self.path.as_ref().is_none_or(|p| {
                f.path
                    .as_deref()
                    .is_some_and(|fp| fp == p || fp.starts_with(&format!("{p}/")))
            })
    }

    fn target(&self) -> String {
        [self.criterion.as_deref(), self.path.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Mark waived findings, report expired or unused waivers (CFG001) and
/// recompute the verdict of every sub-criterion the waivers touched.
pub fn apply(report: &mut Report, waivers: &[Waiver]) {
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
        if let Some(until) = w.until.filter(|u| *u < report.as_of) {
            notes.push(cfg_finding(
                format!(
                    "Miễn trừ {} ({}) ở dòng {} của tlkc.toml đã hết hạn ngày {}: không còn áp dụng.",
                    w.code,
                    w.target(),
                    w.line,
                    crate::checks::vi_date(until)
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
        for f in report
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
    for o in &mut report.outcomes {
        if o.status != Status::Failing {
            continue;
        }
        let active_errors = report.findings.iter().any(|f| {
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
    report.findings.extend(notes);
    sort_findings(&mut report.findings);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FolderConfig;

    #[test]
    fn parses_and_rejects_waivers() {
        let c = FolderConfig::parse(
            "[[waiver]]\ncode = \"DUE001\"\ncriterion = \"1.2.1\"\nreason = \"Đã giải trình\"\nuntil = \"2023-03-31\"\n",
            "tlkc.toml",
        )
        .unwrap();
        assert_eq!(c.waivers.len(), 1);
        assert_eq!(c.waivers[0].code, Code::Due001);
        assert_eq!(c.waivers[0].line, 1);
        let e = FolderConfig::parse(
            "as_of = \"2022-12-01\"\n[[waiver]]\ncode = \"DUE001\"\ncriterion = \"1.2.1\"\n",
            "tlkc.toml",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("tlkc.toml:2:1:"), "{e}");
        assert!(e.to_string().contains("reason"), "{e}");
        let e = FolderConfig::parse(
            "[[waiver]]\ncode = \"NOPE01\"\ncriterion = \"1\"\nreason = \"x\"\n",
            "t",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("t:2:8:"), "{e}");
    }

    #[test]
    fn waives_counts_and_reports_expired_and_unused() {
        let mut r = crate::report::fixture::report();
        let before = r.summary();
        let w = |code: Code, criterion: &str, until: Option<NaiveDate>| Waiver {
            code,
            criterion: Some(criterion.into()),
            path: None,
            reason: "Đã giải trình với Sở Nội vụ".into(),
            until,
            line: 3,
        };
        apply(
            &mut r,
            &[
                w(Code::Due001, "1.2.1", None),
                w(Code::Sig001, "1.3.1", NaiveDate::from_ymd_opt(2022, 1, 1)),
                w(Code::Evd001, "9.9.9", None),
            ],
        );
        let after = r.summary();
        assert!(after.waived >= 1);
        assert_eq!(after.errors, before.errors - after.waived);
        let cfg: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.code == Code::Cfg001)
            .collect();
        assert_eq!(cfg.len(), 2, "{cfg:?}");
        assert!(cfg.iter().any(|f| f.message.vi.contains("hết hạn")));
        assert!(cfg.iter().any(|f| f.message.vi.contains("không khớp")));
        let o = r.outcomes.iter().find(|o| o.id == "1.2.1").unwrap();
        assert_eq!(o.status, Status::Ok);
        assert_eq!(o.points_at_risk, 0.0);
    }
}
