//! tlkc — pre-submission checker for PAR Index evidence (tài liệu kiểm chứng).
//!
//! Pipeline: [`discover`] → [`inspect`] → [`evaluate`] → [`report`].

pub mod decree30;
pub mod facts;
pub mod findings;
pub mod inspect;
pub mod rules;
pub mod text;
