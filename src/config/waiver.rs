//! Waivers (`[[waiver]]` in tlkc.toml): the office accepts a known finding,
//! e.g. a late report already explained to the council. Applied once, after
//! evaluation, so every renderer sees the same verdict.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::config::ConfigError;
use crate::findings::{Code, Finding};

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
    pub(crate) fn matches(&self, f: &Finding) -> bool {
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

    pub(crate) fn target(&self) -> String {
        [self.criterion.as_deref(), self.path.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
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
}
