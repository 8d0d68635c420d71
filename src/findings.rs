//! Finding codes, severities and the check registry: the one list that
//! `tlkc explain`, `docs/checks.md` and SARIF rules are generated from.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Consequence of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Best practice; no points at stake.
    Info,
    /// A human must look; points may be at stake.
    Warning,
    /// Points will be lost or the submission is blocked.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A message in both languages tlkc speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

impl Msg {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            vi: vi.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $sev:ident;)*) => {
        /// Stable finding codes. A code is never reused once retired.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }
            /// Kebab-case name of the problem, e.g. `signature-missing`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    Evd001 = "EVD001", "evidence-missing", Error;
    Evd002 = "EVD002", "evidence-incomplete", Error;
    Evd003 = "EVD003", "file-unassigned", Warning;
    Evd004 = "EVD004", "file-duplicated", Warning;
    Evd005 = "EVD005", "file-not-pdf", Warning;
    Evd006 = "EVD006", "file-matches-no-requirement", Warning;
    Evd007 = "EVD007", "assignment-unresolved", Warning;
    Evd008 = "EVD008", "symlink-not-followed", Warning;
    Evd009 = "EVD009", "folder-not-in-ruleset", Info;
    Sig001 = "SIG001", "signature-missing", Error;
    Sig002 = "SIG002", "signature-invalid", Error;
    Sig003 = "SIG003", "signature-modified-or-partial", Error;
    Sig004 = "SIG004", "signer-set-incomplete", Warning;
    Sig005 = "SIG005", "signer-untrusted", Error;
    Sig006 = "SIG006", "signer-chain-incomplete", Warning;
    Sig007 = "SIG007", "revocation-not-checked", Info;
    Sig008 = "SIG008", "signer-revoked-after-signing", Info;
    Doc001 = "DOC001", "number-missing", Warning;
    Doc002 = "DOC002", "number-malformed", Warning;
    Doc003 = "DOC003", "type-title-mismatch", Warning;
    Doc004 = "DOC004", "number-reused", Warning;
    Doc005 = "DOC005", "date-missing", Warning;
    Doc006 = "DOC006", "date-outside-year", Warning;
    Doc007 = "DOC007", "date-line-format", Info;
    Doc008 = "DOC008", "filled-by-hand", Info;
    Doc009 = "DOC009", "issuer-mismatch", Warning;
    Due001 = "DUE001", "issued-late", Error;
    Due002 = "DUE002", "deadline-unassessable", Warning;
    Due003 = "DUE003", "local-deadline-missing", Warning;
    Pdf001 = "PDF001", "pdf-unreadable", Error;
    Pdf002 = "PDF002", "pdf-encrypted", Error;
    Pdf003 = "PDF003", "pdf-no-text-layer", Warning;
    Pdf004 = "PDF004", "pdf-version-too-old", Warning;
    Pdf005 = "PDF005", "pdf-too-complex", Warning;
    Pdf006 = "PDF006", "scan-resolution-low", Info;
    Pdf007 = "PDF007", "pdf-restricted", Info;
    Fix001 = "FIX001", "submitted-file-changed", Error;
    Fix002 = "FIX002", "submitted-file-missing", Error;
    Fix003 = "FIX003", "index-foreign", Info;
    Cfg001 = "CFG001", "waiver-unused-or-expired", Warning;
    Cfg002 = "CFG002", "score-input-unused", Warning;
    Tsk001 = "TSK001", "task-answered-late", Error;
    Tsk002 = "TSK002", "task-unanswered", Error;
    Tsk003 = "TSK003", "reply-cites-unregistered-task", Info;
    Tsk004 = "TSK004", "task-listed-twice", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(wanted) || c.name() == wanted)
            .ok_or_else(|| format!("unknown finding code `{wanted}`"))
    }
}

/// One thing that will (or may) lose points.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Scorable unit (sub-criterion) the finding concerns.
    pub criterion: Option<String>,
    /// Evidence file, relative to the root.
    pub path: Option<String>,
    pub message: Msg,
    /// Points of the requirement at stake, when the finding loses them.
    pub points: Option<f64>,
    /// Structured facts behind the message (e.g. `deadline`, `number`), so
    /// drafts such as the giải trình can restate them without parsing prose.
    pub facts: BTreeMap<&'static str, String>,
    /// Set when a `[[waiver]]` in tlkc.toml accepts this finding.
    pub waived: Option<Waived>,
}

/// Why a finding no longer counts: the office accepted it in tlkc.toml.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waived {
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<chrono::NaiveDate>,
}

impl Finding {
    pub fn new(code: Code, message: Msg) -> Self {
        Finding {
            code,
            severity: code.severity(),
            criterion: None,
            path: None,
            message,
            points: None,
            facts: BTreeMap::new(),
            waived: None,
        }
    }
    /// Record one structured fact; empty values are dropped.
    pub fn fact(mut self, key: &'static str, value: impl Into<String>) -> Self {
        let v = value.into();
        if !v.is_empty() {
            self.facts.insert(key, v);
        }
        self
    }
    /// Counts towards errors, readiness and points (not waived).
    pub fn is_active(&self) -> bool {
        self.waived.is_none()
    }
    pub fn criterion(mut self, id: impl Into<String>) -> Self {
        self.criterion = Some(id.into());
        self
    }
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }
    pub fn points(mut self, p: f64) -> Self {
        self.points = Some(p);
        self
    }
    /// Deterministic order for every report.
    pub fn sort_key(&self) -> (Option<&str>, Option<&str>, Code, &str) {
        (
            self.criterion.as_deref(),
            self.path.as_deref(),
            self.code,
            self.message.en.as_str(),
        )
    }
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.sort_key()
            .partial_cmp(&b.sort_key())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
}

/// Where one scorable unit (sub-criterion, criterion or deduction) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Failing,
    Pending,
    NotCheckable,
}

/// The verdict on one scorable unit.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub status: Status,
    pub points_at_risk: f64,
    pub files: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `codes!` table accepts a repeated literal; this catches it
    /// (cargo-deny's `codes_unique`). A code is never reused or renumbered.
    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = BTreeSet::new();
        let mut names = BTreeSet::new();
        for c in Code::ALL {
            assert!(codes.insert(c.as_str()), "duplicate code {}", c.as_str());
            assert!(names.insert(c.name()), "duplicate name {}", c.name());
            let (family, number) = c.as_str().split_at(3);
            assert!(family.chars().all(|ch| ch.is_ascii_uppercase()), "{c:?}");
            assert!(
                number.len() == 3 && number.chars().all(|ch| ch.is_ascii_digit()),
                "{c:?}"
            );
            assert!(
                c.name()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.name()
            );
            assert_eq!(c.as_str().parse::<Code>().ok(), Some(*c));
            assert_eq!(c.name().parse::<Code>().ok(), Some(*c));
        }
    }
}
