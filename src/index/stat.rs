//! What the index remembers about a file besides its hash, and when that
//! lets it skip reading the file: git's "stat data" and its racy rule.
//!
//! A row vouches for a file only when size, mtime (ns), change time, inode
//! and device all match, and the mtime was clearly older than the moment the
//! row was written. The change time is what a user cannot set back: a tool
//! that rewrites bytes and restores size and mtime (backup restores, sync
//! clients, `touch -r`) still moves it. On Windows the same roles are played
//! by the volume serial number, the file index and the NTFS change time.

pub use crate::fsstat::{folder_identity, stat, Stat};

/// How much older than the row's write time an mtime must be for the row to
/// vouch for the file. Covers filesystems that keep whole or even seconds
/// (FAT keeps 2 s) and the kernel's coarse timestamp clock; see
/// [`is_racy`].
pub const RACY_MARGIN_NS: i64 = 2_000_000_000;

/// git's racy rule: a file modified in the same timestamp tick as the row
/// was written could change again without its mtime moving, so such a row
/// is re-read next time (and rewritten then, when it is no longer racy).
pub fn is_racy(mtime_ns: i64, written_ns: i64) -> bool {
    written_ns.saturating_sub(mtime_ns) < RACY_MARGIN_NS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racy_until_clearly_older() {
        let t = 1_700_000_000_000_000_000;
        assert!(is_racy(t, t));
        assert!(is_racy(t - 1_999_999_999, t));
        assert!(!is_racy(t - RACY_MARGIN_NS, t));
        assert!(is_racy(t + 5, t), "an mtime in the future is racy");
    }
}
