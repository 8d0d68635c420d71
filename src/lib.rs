//! tlkc — pre-submission checker for PAR Index evidence (tài liệu kiểm chứng).
//!
//! Pipeline: [`discover`] → [`inspect`] → [`evaluate`] → [`report`], chained by [`run`].

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
pub mod index;
pub mod init;
pub mod inspect;
pub mod ledger;
pub mod report;
pub mod rules;
pub mod run;
pub mod text;
pub mod trail;
pub mod units;
pub mod waiver;
