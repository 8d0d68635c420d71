//! The ruleset loader (TOML → validated criteria) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tlkc::rules::load_str(text, "fuzz.toml");
    }
});
