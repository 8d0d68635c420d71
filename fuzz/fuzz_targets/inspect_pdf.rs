//! Whole-file inspection (structure, text, Decree 30 fields, every signature layer) of
//! arbitrary bytes: must return facts, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlkc::inspect::{inspect_bytes, InspectOptions};

fuzz_target!(|data: &[u8]| {
    let _ = inspect_bytes("fuzz.pdf".into(), data, &InspectOptions::default());
});
