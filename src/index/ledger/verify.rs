//! Walk the chain and name the first events that do not hold together.

use rusqlite::{Connection, OptionalExtension};

use super::{canonical_event, event_hash, raw_events, GENESIS};
use crate::index::IndexError;

/// One way the stored chain departs from what tlkc wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The row's content no longer gives its stored hash: edited, or moved to another seq.
    Altered { seq: i64 },
    /// The row does not follow the one before it: something between was removed or replaced.
    Unlinked { seq: i64, prev: i64 },
    /// Numbers are missing before this row: rows were deleted.
    Missing { from: i64, to: i64 },
    /// The chain ends before the recorded head: rows were cut off the end.
    Truncated { last: i64, head: i64 },
    /// Events exist but the head record is gone, or disagrees with the last event.
    HeadMismatch { last: i64 },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Altered { seq } => write!(
                f,
                "event #{seq}: its content does not match its hash (edited or moved)"
            ),
            Fault::Unlinked { seq, prev } => write!(
                f,
                "event #{seq}: does not follow event #{prev} (prev_hash differs: an event was removed, replaced or reordered)"
            ),
            Fault::Missing { from, to } if from == to => {
                write!(f, "event #{from}: missing (deleted)")
            }
            Fault::Missing { from, to } => write!(f, "events #{from}–#{to}: missing (deleted)"),
            Fault::Truncated { last, head } => write!(
                f,
                "event #{}: missing — the chain ends at #{last} but the head record says #{head} (events cut off the end)",
                last + 1
            ),
            Fault::HeadMismatch { last } => write!(
                f,
                "event #{last}: the head record is missing or does not match the last event"
            ),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChainReport {
    pub events: usize,
    /// Last stored event: (seq, hash).
    pub head: Option<(i64, String)>,
    pub faults: Vec<Fault>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.faults.is_empty()
    }
}

/// Check every link of the chain and the head record.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport, IndexError> {
    let rows = raw_events(conn)?;
    let mut report = ChainReport {
        events: rows.len(),
        ..Default::default()
    };
    let mut expected_seq = 1;
    let mut prev: Option<(i64, String)> = None;
    for r in &rows {
        if r.seq != expected_seq {
            report.faults.push(Fault::Missing {
                from: expected_seq,
                to: r.seq - 1,
            });
        }
        let content_ok = match serde_json::from_str::<serde_json::Value>(&r.details) {
            Ok(details) => {
                let c = canonical_event(r.seq, &r.kind, &r.utc, &r.local, &r.actor, &details);
                event_hash(&r.prev_hash, &c) == r.hash
            }
            Err(_) => false,
        };
        if !content_ok {
            report.faults.push(Fault::Altered { seq: r.seq });
        }
        let want_prev = prev.as_ref().map(|(_, h)| h.as_str()).unwrap_or(GENESIS);
        // A gap is already reported; the link across it is checked anyway
        // because a deleted row also breaks it.
        if r.prev_hash != want_prev {
            report.faults.push(Fault::Unlinked {
                seq: r.seq,
                prev: prev.as_ref().map(|(s, _)| *s).unwrap_or(0),
            });
        }
        prev = Some((r.seq, r.hash.clone()));
        expected_seq = r.seq + 1;
    }
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM chain_head WHERE one = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match (&prev, &head) {
        (None, None) => {}
        (Some((last, _)), Some((hs, _))) if hs > last => report.faults.push(Fault::Truncated {
            last: *last,
            head: *hs,
        }),
        (Some(p), Some(h)) if p == h => {}
        (Some((last, _)), _) => report.faults.push(Fault::HeadMismatch { last: *last }),
        (None, Some((hs, _))) => report.faults.push(Fault::Truncated { last: 0, head: *hs }),
    }
    report.head = prev;
    Ok(report)
}
