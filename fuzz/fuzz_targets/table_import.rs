//! The criteria-table importers (xlsx, ods, csv, docx → ruleset draft). The first byte picks
//! the format, the rest is the file. `import` turns a parser panic into an error, but
//! libFuzzer's panic hook still reports it: a panic here is a bug to fix, not to catch.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlkc::rules::import::{import, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let kind = match which % 4 {
        0 => Kind::Xlsx,
        1 => Kind::Ods,
        2 => Kind::Csv,
        _ => Kind::Docx,
    };
    let _ = import(bytes, kind, None);
});
