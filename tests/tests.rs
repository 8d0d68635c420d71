//! The one integration-test binary: a module per area (ripgrep's layout).
//! Run one area with `cargo test --test integration AREA::`.

mod cdp;
mod fixture;
mod server_util;
mod util;

mod calibration;
mod cli;
mod cli_reports;
mod conformance_external;
mod docs_sync;
mod encryption;
mod fuzz;
mod heldout_signed;
mod hostile;
mod hostile_signed;
mod html_chromium;
mod index_trust;
mod layers;
mod memory;
mod number_shapes;
mod ocr_budget;
mod ocr_scans;
mod pdfsig;
mod readonly;
mod real_vn;
mod real_vn_ocr;
mod real_vn_signatures;
mod report_formats;
mod rules_import;
mod rules_phrasing;
mod samples;
mod server_api;
mod server_attack;
mod server_browser;
mod server_load;
mod signatures;
mod tasks;
mod trail;
mod trust_bundle;
mod units;
mod vietnamese;
#[cfg(unix)]
mod writes;
