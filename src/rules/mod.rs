//! Rulesets: the criteria tree and what evidence each sub-criterion needs.
//! Loaded from TOML (`rules/*.toml`), validated once into [`Ruleset`].

mod extend;
mod load;
mod model;
pub mod period;
pub mod policy;
mod raw;
pub(crate) mod scoring;

pub use load::{load_file, load_str, RulesError, BUILTIN};
pub use model::*;
pub use scoring::{Band, Grade, Method};
pub mod import;
