//! tlkc — pre-submission checker for PAR Index evidence (tài liệu kiểm chứng).
//!
//! Pipeline: [`discover`] → [`inspect`] → [`evaluate`] → [`report`], chained by [`run`].
//!
//! Layers (imports only point down this list): `text`, `decree30`, `time`, `hash`, `fsguard`, `fsstat` →
//! `facts`, `findings` → `config`, `rules` → `discover` → `inspect` → `checks`, `evaluate` →
//! `index`, `bag` → `run` → `trail` → `report` → `server` → `app`, `cli`, `init`, `docgen`.

/// The tlkc version written into reports, the index and the ledger.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

// Unit tests share tests/fixture.rs with the integration tests, which name
// the library `tlkc`: here that name is the crate itself.
#[cfg(test)]
extern crate self as tlkc;

pub mod app;
pub(crate) mod bag;
pub mod checks;
pub mod cli;
pub mod config;
pub(crate) mod decree30;
pub(crate) mod discover;
pub mod docgen;
pub(crate) mod evaluate;
pub mod facts;
pub mod findings;
pub(crate) mod fsguard;
pub(crate) mod fsstat;
pub mod hash;
pub(crate) mod index;
pub(crate) mod init;
pub mod inspect;
pub mod report;
pub mod rules;
pub mod run;
pub(crate) mod server;
pub mod text;
pub mod time;
pub(crate) mod trail;
