//! A memo of "this certificate carries a valid signature by that issuer's key", shared by
//! every file of a run. A unit's documents are all signed through the same few CA
//! certificates, so without it each signature repeats the same public-key verifications
//! of its chain (signer ← sub-CA ← root): about 7 % of a cold check's instructions on the
//! ordinary benchmark corpus (docs/performance.md). The answer is a pure function of the
//! two certificates' bytes, so remembering it changes no verdict.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

/// Enough for every CA link of a real folder; when full the memo starts over, so memory
/// stays bounded whatever the folder holds.
const MAX_ENTRIES: usize = 4096;

type Memo = Mutex<HashMap<[u8; 32], bool>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// The key: SHA-256 over both DER encodings, length-prefixed so that no two pairs share it.
fn key(issuer_der: &[u8], child_der: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((issuer_der.len() as u64).to_be_bytes());
    h.update(issuer_der);
    h.update(child_der);
    let mut k = [0u8; 32];
    k.copy_from_slice(&h.finalize());
    k
}

/// `verify()` for the pair (`issuer_der`, `child_der`), computed once per run.
pub fn signed_by(issuer_der: &[u8], child_der: &[u8], verify: impl FnOnce() -> bool) -> bool {
    let k = key(issuer_der, child_der);
    if let Some(v) = memo().lock().ok().and_then(|m| m.get(&k).copied()) {
        return v;
    }
    let v = verify();
    if let Ok(mut m) = memo().lock() {
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(k, v);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_once_per_pair_and_keeps_negative_answers() {
        let calls = Cell::new(0);
        let check = |answer: bool| {
            calls.set(calls.get() + 1);
            answer
        };
        let (a, b) = (
            b"memo-test-issuer".as_slice(),
            b"memo-test-child".as_slice(),
        );
        assert!(signed_by(a, b, || check(true)));
        assert!(
            signed_by(a, b, || check(false)),
            "the first answer is remembered"
        );
        assert_eq!(calls.get(), 1);
        assert!(
            !signed_by(b, a, || check(false)),
            "the reversed pair is another key"
        );
        assert!(!signed_by(b, a, || check(true)));
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn the_key_separates_where_one_encoding_ends() {
        assert_ne!(key(b"ab", b"c"), key(b"a", b"bc"));
    }
}
