//! Findings and the types that describe a finding code. The codes' numbers
//! are allocated here ([`Code`]); everything said about a code (name,
//! severity, explanation, how reports treat it) is a [`Diag`] declared by the
//! check family that emits it (`checks/<family>/diags.rs`) and gathered in
//! `checks::registry`, which `tlkc explain`, `docs/checks.md` and SARIF rules
//! are generated from.

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
        // A message made by format! has room to spare (up to twice its
        // literal text); a run keeps every finding, 27,000 at 20,000 files.
        let (mut vi, mut en) = (vi.into(), en.into());
        vi.shrink_to_fit();
        en.shrink_to_fit();
        Msg { vi, en }
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
    ($( $variant:ident = $code:literal,)*) => {
        /// Stable finding codes: the allocation table. A number is given once
        /// and never reused or renumbered, even when its check is retired. The
        /// order is the report order (findings of one file sort by code).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }
        }
    };
}

codes! {
    Evd001 = "EVD001",
    Evd002 = "EVD002",
    Evd003 = "EVD003",
    Evd004 = "EVD004",
    Evd005 = "EVD005",
    Evd006 = "EVD006",
    Evd007 = "EVD007",
    Evd008 = "EVD008",
    Evd009 = "EVD009",
    Sig001 = "SIG001",
    Sig002 = "SIG002",
    Sig003 = "SIG003",
    Sig004 = "SIG004",
    Sig005 = "SIG005",
    Sig006 = "SIG006",
    Sig007 = "SIG007",
    Sig008 = "SIG008",
    Doc001 = "DOC001",
    Doc002 = "DOC002",
    Doc003 = "DOC003",
    Doc004 = "DOC004",
    Doc005 = "DOC005",
    Doc006 = "DOC006",
    Doc007 = "DOC007",
    Doc008 = "DOC008",
    Doc009 = "DOC009",
    Due001 = "DUE001",
    Due002 = "DUE002",
    Due003 = "DUE003",
    Pdf001 = "PDF001",
    Pdf002 = "PDF002",
    Pdf003 = "PDF003",
    Pdf004 = "PDF004",
    Pdf005 = "PDF005",
    Pdf006 = "PDF006",
    Pdf007 = "PDF007",
    Fix001 = "FIX001",
    Fix002 = "FIX002",
    Fix003 = "FIX003",
    Cfg001 = "CFG001",
    Cfg002 = "CFG002",
    Cfg003 = "CFG003",
    Tsk001 = "TSK001",
    Tsk002 = "TSK002",
    Tsk003 = "TSK003",
    Tsk004 = "TSK004",
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
            .find(|c| c.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| format!("unknown finding code `{wanted}`"))
    }
}

/// A fixed text in both languages (a code's summary or explanation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub vi: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// How a giải trình draft (`tlkc check --explanations`) restates an error:
/// which facts it names and which blanks it leaves for the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftKind {
    /// Restates the finding's message.
    Message,
    /// A document issued after its deadline: the delay and its cause.
    IssuedLate,
    /// A required document absent: why, and its number if it exists.
    Missing,
    /// Some of the required documents absent: which ones.
    Incomplete,
    /// A document without a digital signature.
    Unsigned,
}

/// Where reports place a finding besides its sub-criterion and file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    /// About the whole run (the ruleset does not fit the folder): said once,
    /// at the top of every report.
    RunWide,
    /// A file filed under no sub-criterion: many of them mean the wrong
    /// folder was checked, and reports say so.
    Unfiled,
}

/// What reports and the estimate do with a code's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handling {
    /// Whether acting now wins the points back. A document issued after its
    /// deadline or a task answered late stays late: it needs an explanation
    /// (giải trình), not a fix.
    pub fixable: bool,
    pub draft: DraftKind,
    pub role: Role,
}

impl Handling {
    pub const PLAIN: Handling = Handling {
        fixable: true,
        draft: DraftKind::Message,
        role: Role::Plain,
    };
}

/// Everything said about one finding code, declared once, by the check
/// family that emits it (`checks/<family>/diags.rs`).
#[derive(Debug)]
pub struct Diag {
    pub code: Code,
    /// Kebab-case name of the problem, e.g. `signature-missing`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: `tlkc explain all`, report tables, SARIF short descriptions.
    pub summary: Text,
    /// The long explanation: cause, consequence, fix.
    pub explain: Text,
    pub handling: Handling,
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
    /// A finding of `diag`'s code, at its severity.
    pub fn new(diag: &Diag, message: Msg) -> Self {
        Finding {
            code: diag.code,
            severity: diag.severity,
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
    /// Points of requirements not yet due (and not lost): neither earned
    /// nor lost yet, so the estimate does not count them as full.
    pub points_pending: f64,
    pub files: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `codes!` table accepts a repeated literal; this catches it. A code
    /// is never reused or renumbered.
    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut codes = BTreeSet::new();
        for c in Code::ALL {
            assert!(codes.insert(c.as_str()), "duplicate code {}", c.as_str());
            let (family, number) = c.as_str().split_at(3);
            assert!(family.chars().all(|ch| ch.is_ascii_uppercase()), "{c:?}");
            assert!(
                number.len() == 3 && number.chars().all(|ch| ch.is_ascii_digit()),
                "{c:?}"
            );
            assert_eq!(c.as_str().parse::<Code>().ok(), Some(*c));
            assert_eq!(c.as_str().to_lowercase().parse::<Code>().ok(), Some(*c));
        }
    }
}
