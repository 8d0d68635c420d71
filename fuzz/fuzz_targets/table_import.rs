//! The criteria-table importers (xlsx, ods, csv, docx → ruleset draft). The first byte picks
//! the format, the rest is the file. `import` turns a parser panic into an error, but
//! libFuzzer's panic hook still reports it: a panic here is a bug to fix, not to catch.
//! A table that imports is also written out: the TOML must read back as the draft
//! (a `RoundTrip` error means table text escaped into the ruleset — a bug).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlkc::rules::import::{import, to_toml, ImportError, Kind, Meta};

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
    let Ok(set) = import(bytes, kind, None) else {
        return;
    };
    let meta = Meta {
        id: "fuzz".into(),
        title: "Fuzz".into(),
        year: 2024,
        source: "fuzz\n[algorithm_policy]".into(),
        // The default language: its comments carry the most table text.
        lang: tlkc::findings::Lang::Vi,
    };
    if let Err(e @ ImportError::RoundTrip(_)) = to_toml(&set, &meta) {
        panic!("{e}");
    }
});
