//! tlkc — pre-submission checker for PAR Index evidence (tài liệu kiểm chứng).
//!
//! Pipeline: [`discover`] → [`inspect`] → [`evaluate`] → [`report`], chained by [`run`].
//!
//! Layers (imports only point down this list): `text`, `decree30`, `time`, `hash`, `fsguard` →
//! `facts`, `findings` → `config`, `rules` → `discover` → `inspect` → `checks`, `evaluate` →
//! `index`, `bag` → `run` → `trail` → `report` → `server` → `app`, `cli`, `init`, `docgen`.

/// The tlkc version written into reports, the index and the ledger.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod app;
pub mod bag;
pub mod checks;
pub mod cli;
pub mod config;
pub mod decree30;
pub mod discover;
pub mod docgen;
pub mod evaluate;
pub mod facts;
pub mod findings;
pub mod fsguard;
pub mod hash;
pub mod index;
pub mod init;
pub mod inspect;
pub mod report;
pub mod rules;
pub mod run;
pub mod server;
pub mod text;
pub mod time;
pub mod trail;
