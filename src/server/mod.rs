//! `tlkc server` (issue 27): the province hosts tlkc; every unit uploads
//! its evidence folder in the browser (or by script) and reads its report,
//! the Sở Nội vụ sees them all.
//!
//! Library side: the data folder ([`data`]), its SQLite database ([`db`]),
//! accounts, sessions and tokens ([`auth`]), upload names ([`names`]), the
//! content-addressed store ([`store`]), .zip uploads ([`zipin`]), the check
//! ([`check`], the ONE place the library's check is called) and its queue
//! ([`queue`]), the province view ([`province`]), HTTP ([`http`], [`pages`]).
//! The command line edge is [`cli`].

pub(crate) mod auth;
pub(crate) mod bagzip;
pub(crate) mod check;
pub(crate) mod cli;
pub(crate) mod data;
pub(crate) mod db;
pub(crate) mod http;
pub(crate) mod names;
pub(crate) mod pages;
pub(crate) mod province;
pub(crate) mod queue;
pub(crate) mod store;
pub(crate) mod zipin;

/// What the server library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    Db(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Rules(#[from] crate::rules::RulesError),
    #[error(transparent)]
    Run(#[from] crate::run::RunError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

impl ServerError {
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ServerError + '_ {
        move |source| ServerError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Now, in Vietnam time (+07:00), as every time the server shows or logs.
pub fn now_text() -> String {
    chrono::Utc::now()
        .with_timezone(&crate::time::vietnam())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Today in Vietnam: the day a check is made when nothing fixes it.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&crate::time::vietnam())
        .date_naive()
}
