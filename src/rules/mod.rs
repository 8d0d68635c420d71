//! Rulesets: the criteria tree and what evidence each sub-criterion needs.
//! Loaded from TOML (`rules/*.toml`), validated once into [`Ruleset`].

mod load;
mod model;
pub mod period;
pub mod policy;

pub use load::{load_file, load_str, RulesError, BUILTIN};
pub use model::*;
