//! Damage to a valid signed document: truncations at many offsets and
//! single-bit flips across the file. Every case finishes, never panics, and
//! damage to signed bytes never leaves a signature "sound".

use samplegen::fixtures::{default_time, example_spec, signed};
use tlkc::facts::FileFacts;
use tlkc::inspect::guard::inspect_guarded;
use tlkc::inspect::InspectOptions;

fn original() -> Vec<u8> {
    let spec = example_spec();
    signed(&spec, default_time(&spec)).expect("fixture builds")
}

fn inspect(bytes: &[u8]) -> FileFacts {
    let f = inspect_guarded("x.pdf".into(), bytes, &InspectOptions::default());
    assert!(
        !f.pdf
            .error
            .as_deref()
            .unwrap_or("")
            .contains("internal error"),
        "inspection panicked"
    );
    f
}

/// Byte ranges excluded from signing: each signature's /Contents gap.
fn gaps(f: &FileFacts) -> Vec<(usize, usize)> {
    f.signatures
        .iter()
        .filter_map(|s| s.byte_range.as_ref())
        .filter(|br| br.len() == 4)
        .map(|br| (br[1] as usize, br[2] as usize))
        .collect()
}

#[test]
fn the_original_is_sound() {
    let f = inspect(&original());
    assert_eq!(f.signatures.len(), 2);
    assert!(
        f.signatures.iter().all(|s| s.is_sound()),
        "{:#?}",
        f.signatures
    );
}

#[test]
fn truncations_never_leave_the_full_document_signed() {
    let bytes = original();
    let full = inspect(&bytes);
    let last_end = full
        .signatures
        .iter()
        .filter_map(|s| s.byte_range.as_ref())
        .map(|b| (b[2] + b[3]) as usize)
        .max()
        .unwrap();
    assert_eq!(last_end, bytes.len());
    let step = (bytes.len() / 150).max(1);
    let mut keep = 0;
    while keep < bytes.len() {
        let cut = &bytes[..keep];
        let f = inspect(cut);
        for s in f.signatures.iter().filter(|s| s.is_sound()) {
            // A signature can only stay sound if everything it signed is still there.
            let br = s
                .byte_range
                .as_ref()
                .expect("sound signature has a byte range");
            assert!((br[2] + br[3]) as usize <= keep, "cut at {keep}: {s:#?}");
        }
        keep += step;
    }
}

#[test]
fn bit_flips_in_signed_bytes_are_never_sound() {
    let bytes = original();
    let full = inspect(&bytes);
    let gaps = gaps(&full);
    let last = full
        .signatures
        .iter()
        .max_by_key(|s| s.byte_range.as_ref().map(|b| b[2] + b[3]))
        .and_then(|s| s.field.clone())
        .unwrap();
    // xorshift: deterministic positions and bits.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut flips = 0;
    for _ in 0..400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pos = (x % bytes.len() as u64) as usize;
        let bit = (x >> 32) % 8;
        if gaps.iter().any(|(a, b)| pos >= *a && pos < *b) {
            continue; // inside a /Contents gap: not signed bytes
        }
        let mut damaged = bytes.clone();
        damaged[pos] ^= 1 << bit;
        let f = inspect(&damaged);
        // The organisation's signature covers every byte outside the gaps:
        // after any flip it must not be reported sound under its field name.
        let still_sound = f.signatures.iter().any(|s| {
            s.field.as_ref() == Some(&last)
                && s.is_sound()
                && s.byte_range
                    .as_ref()
                    .is_some_and(|b| (b[2] + b[3]) as usize == damaged.len())
        });
        assert!(!still_sound, "flip of bit {bit} at {pos} left {last} sound");
        flips += 1;
    }
    // About half the file is the two zero-padded /Contents gaps.
    assert!(flips > 120, "too few flips outside the gaps: {flips}");
}
