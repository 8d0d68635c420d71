//! Checks judge facts and return findings. They never print, never read
//! the clock (`as_of` is given) and never touch the index.

pub mod deadline;
pub mod docs;
pub mod document;
pub mod evidence;
pub mod fixity;
pub mod pdf;
pub mod signature;

use chrono::NaiveDate;

use crate::config::FolderConfig;
use crate::facts::FileFacts;
use crate::findings::Finding;
use crate::rules::Ruleset;

/// What every check may know besides the facts.
pub struct Context<'a> {
    pub rules: &'a Ruleset,
    pub config: &'a FolderConfig,
    /// The day the evaluation is made.
    pub as_of: NaiveDate,
}

/// Checks on one file alone (no ruleset requirement involved).
pub fn file_checks(facts: &FileFacts, ctx: &Context, out: &mut Vec<Finding>) {
    pdf::check(facts, out);
    document::check(facts, ctx.rules.framework.year, out);
    signature::check(facts, out);
}

pub(crate) use crate::text::file_name;
pub(crate) use crate::time::vi_date;
