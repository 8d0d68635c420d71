//! What a check family is: the codes it owns, the facts it reads and, for
//! the checks that judge facts alone, the [`Check`] trait they implement.
//! Every family's `diags.rs` names these types; the list of families is
//! [`super::registry`], above them (the registry names every family, so the
//! families must not name the registry).

use std::collections::HashMap;

use super::Context;
use crate::discover::Discovery;
use crate::facts::{FileFacts, KeptFacts};
use crate::findings::{Code, Diag, Finding};

/// The facts a family's judgement depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// How files are filed: sub-criterion folders, `[[assign]]`, skipped entries.
    Discovery,
    /// Content hashes (SHA-256) of the files.
    Hashes,
    /// What the PDF reader found: version, encryption, text layer, scan, limits.
    Pdf,
    /// The document's number, date line, type, title and issuer.
    Document,
    /// The digital signatures and their verdicts.
    Signatures,
    /// The ruleset: requirements, deadlines, scoring.
    Ruleset,
    /// tlkc.toml: unit, deadlines, assignments, waivers, metrics.
    Config,
    /// The assigned-task register (tasks.csv or `[[task]]`).
    TaskRegister,
    /// The latest submission recorded in the ledger.
    LastSubmission,
    /// Whether the index was written for this folder.
    IndexOwner,
    /// Other families' findings (waivers, the estimate).
    Findings,
    /// The verdict on each scorable unit.
    Outcomes,
}

/// One check family: the owner of its codes.
#[derive(Debug)]
pub struct Family {
    /// The family's folder under `src/checks/`.
    pub name: &'static str,
    /// The question it answers.
    pub about: &'static str,
    pub reads: &'static [Reads],
    /// The codes it declares.
    pub owns: &'static [&'static Diag],
    /// Codes another family declares that this one also emits.
    pub borrows: &'static [&'static Diag],
}

impl Family {
    /// Every code the family may emit.
    pub fn codes(&self) -> impl Iterator<Item = Code> + '_ {
        self.owns.iter().chain(self.borrows).map(|d| d.code)
    }
}

/// What a check is given: the folder's facts and the settings it is judged by.
pub struct Input<'a> {
    pub ctx: &'a Context<'a>,
    /// What the run kept of each file ([`crate::evaluate::check_file`]).
    pub files: &'a [KeptFacts],
    pub discovery: &'a Discovery,
    /// File → the first sub-criterion it is filed under.
    filed_under: HashMap<&'a str, &'a str>,
}

impl<'a> Input<'a> {
    pub fn new(ctx: &'a Context<'a>, files: &'a [KeptFacts], discovery: &'a Discovery) -> Self {
        let filed_under = discovery
            .files
            .iter()
            .filter_map(|e| Some((e.rel.as_str(), e.criteria.first()?.as_str())))
            .collect();
        Input {
            ctx,
            files,
            discovery,
            filed_under,
        }
    }

    /// Run `judge` on every file alone; its findings are filed under the
    /// file's (first) sub-criterion.
    pub fn per_file(&self, mut judge: impl FnMut(&KeptFacts, &mut Vec<Finding>)) -> Vec<Finding> {
        let mut out = Vec::new();
        for f in self.files {
            let start = out.len();
            judge(f, &mut out);
            let criterion = self.filed_under.get(f.path.as_str());
            for finding in &mut out[start..] {
                finding.criterion = criterion.map(|c| c.to_string());
            }
        }
        out
    }
}

/// A check that judges the folder's facts alone (no other check's verdict).
/// A file's own judgement ([`Check::file`]) is made as soon as its facts
/// exist, on the whole facts; the folder's ([`Check::folder`]) after every
/// file is inspected, on what the run keeps of each file
/// ([`KeptFacts`]): a folder of any size never holds every file's facts whole.
pub trait Check: Sync {
    fn family(&self) -> &'static Family;
    /// The codes it may emit.
    fn codes(&self) -> Vec<Code> {
        self.family().codes().collect()
    }
    /// The facts it reads.
    fn reads(&self) -> &'static [Reads] {
        self.family().reads
    }
    /// One file alone; the caller files the findings under the file's
    /// sub-criterion.
    fn file(&self, _facts: &FileFacts, _ctx: &Context, _out: &mut Vec<Finding>) {}
    /// The folder as a whole (duplicates across files, folder layout, the
    /// ruleset's fit).
    fn folder(&self, _input: &Input) -> Vec<Finding> {
        Vec::new()
    }
}
