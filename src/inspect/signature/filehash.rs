//! One pass over a file's bytes for the file's SHA-256 (what the index keys
//! facts by) and the first part of every signature's /ByteRange digest.
//!
//! A regular /ByteRange `[0 a b c]` signs `bytes[0..a] ++ bytes[b..b+c]`.
//! The first part is a prefix of the file, so the SHA-256 state after `a`
//! bytes of the file hash is the state the signature's digest needs there;
//! kept, only the short rest (`b..b+c`: the signature dictionary's tail,
//! the cross-reference section and trailer of its revision, or a later
//! signature's revision) is hashed again. Without it every signature hashed
//! ~the whole file once more (≈ 2 extra passes per signed file).

use sha2::{Digest, Sha256};

use crate::config::Limits;

/// A file's SHA-256 and the states kept on the way.
pub struct FileHash {
    /// Lower-case hex of the SHA-256 of the whole file.
    pub sha256: String,
    pub prefixes: Prefixes,
}

/// SHA-256 states after the first `a` bytes of one buffer, for the `a` of
/// each regular /ByteRange written in it.
#[derive(Default)]
pub struct Prefixes {
    /// Which buffer the states belong to (address, length): a state is only
    /// ever used for a slice that starts that very buffer.
    buffer: (usize, usize),
    states: Vec<(usize, Sha256)>,
}

impl FileHash {
    /// A digest computed elsewhere, with no states kept.
    pub fn only(sha256: String) -> FileHash {
        FileHash {
            sha256,
            prefixes: Prefixes::default(),
        }
    }
}

/// Hashes `bytes` once, keeping the state at each signature's first gap.
pub fn hash_file(bytes: &[u8], limits: &Limits) -> FileHash {
    let mut cuts: Vec<usize> = super::scan_ranges(bytes, limits)
        .iter()
        .filter_map(|r| match r.values.as_slice() {
            &[0, a, ..] => usize::try_from(a)
                .ok()
                .filter(|a| *a > 0 && *a <= bytes.len()),
            _ => None,
        })
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut h = Sha256::new();
    let mut at = 0;
    let mut states = Vec::with_capacity(cuts.len());
    for a in cuts {
        h.update(&bytes[at..a]);
        at = a;
        states.push((a, h.clone()));
    }
    h.update(&bytes[at..]);
    FileHash {
        sha256: crate::hash::hex(&h.finalize()),
        prefixes: Prefixes {
            buffer: (bytes.as_ptr() as usize, bytes.len()),
            states,
        },
    }
}

impl Prefixes {
    /// The SHA-256 state after `first`, when `first` is a prefix of the
    /// buffer these states were taken from.
    pub fn state_for(&self, first: &[u8]) -> Option<&Sha256> {
        if first.as_ptr() as usize != self.buffer.0 || first.len() > self.buffer.1 {
            return None;
        }
        self.states
            .iter()
            .find(|(a, _)| *a == first.len())
            .map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_gives_the_file_hash_and_each_prefix_state() {
        let spec = samplegen::fixtures::example_spec();
        let t = samplegen::fixtures::default_time(&spec);
        let f = samplegen::fixtures::signed(&spec, t).unwrap();
        let h = hash_file(&f, &Limits::default());
        assert_eq!(h.sha256, crate::hash::sha256_hex(&f));
        assert_eq!(h.prefixes.states.len(), 2, "two signatures, two gaps");
        for (a, state) in &h.prefixes.states {
            let got = h.prefixes.state_for(&f[..*a]).unwrap();
            assert_eq!(got.clone().finalize(), Sha256::digest(&f[..*a]));
            assert_eq!(state.clone().finalize(), Sha256::digest(&f[..*a]));
        }
        // Not the same buffer, or not a recorded cut: no state.
        let copy = f.clone();
        let a = h.prefixes.states[0].0;
        assert!(h.prefixes.state_for(&copy[..a]).is_none());
        assert!(h.prefixes.state_for(&f[..a - 1]).is_none());
        assert!(h.prefixes.state_for(&f[1..=a]).is_none());
    }

    #[test]
    fn a_range_outside_the_file_is_no_cut() {
        let f = b"%PDF-1.7 /ByteRange [0 999999 1000000 5] /ByteRange [0 4 9 1]".to_vec();
        let h = hash_file(&f, &Limits::default());
        assert_eq!(h.sha256, crate::hash::sha256_hex(&f));
        assert_eq!(h.prefixes.states.len(), 1);
    }
}
