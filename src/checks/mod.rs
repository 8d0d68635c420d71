//! Checks judge facts and return findings. They never print, never read
//! the clock (`as_of` is given) and never touch the index.
//!
//! One folder per family (`<family>/mod.rs` judges, `<family>/diags.rs`
//! declares its codes); [`registry`] lists them all.

pub mod deadline;
pub mod document;
pub(crate) mod evidence;
pub(crate) mod family;
pub(crate) mod fixity;
pub(crate) mod folder;
pub mod pdf;
pub mod registry;
pub(crate) mod ruleset_fit;
pub mod score;
pub mod signature;
pub(crate) mod tasks;
pub(crate) mod waivers;

use chrono::NaiveDate;

use crate::config::FolderConfig;
use crate::rules::{AlgorithmPolicy, Ruleset};

/// What every check may know besides the facts.
pub struct Context<'a> {
    pub rules: &'a Ruleset,
    pub config: &'a FolderConfig,
    /// The day the evaluation is made.
    pub as_of: NaiveDate,
}

impl Context<'_> {
    /// The ruleset's signature algorithm policy, or the folder's override
    /// of it (validated, with its reason, when tlkc.toml was read).
    pub fn algorithm_policy(&self) -> AlgorithmPolicy {
        let base = &self.rules.algorithm_policy;
        match &self.config.algorithm_policy {
            Some(o) => base.overridden(o).unwrap_or_else(|_| base.clone()),
            None => base.clone(),
        }
    }
}

pub(crate) use crate::text::file_name;
pub(crate) use crate::time::vi_date;
