//! Deterministic generator of realistic Vietnamese evidence PDFs (tài liệu kiểm chứng)
//! for tlkc's tests, benchmarks and committed samples.
//!
//! Everything is byte-for-byte reproducible: fixed /ID, no timestamps except the ones
//! passed in, committed TEST keys, a fixed deflate implementation.

pub mod artefacts;
pub mod attacks;
pub mod bench;
pub mod bench_eoffice;
pub mod bench_ordinary;
pub mod crl;
pub mod der;
pub mod doc;
pub mod fixtures;
pub mod font;
pub mod forgery;
pub mod heldout;
pub mod oversized;
pub mod pdf;
pub mod pki;
pub mod samples;
pub mod scan;
pub mod tasks;

pub use doc::{build_pdf, DocSpec, Kind, Signer};
pub use pdf::{Pdf, SignOptions};
pub use pki::{Identity, TestPki};
pub use scan::ScanSpec;
