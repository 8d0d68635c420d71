//! The ledger: an append-only, hash-chained list of events in the index
//! database (table `events`).
//!
//! Each event's `hash` is `SHA-256(prev_hash ‖ canonical(event))` in
//! lower-case hex, where `prev_hash` is the previous event's hash as 64
//! ASCII hex digits ([`GENESIS`] for the first) and `canonical(event)` is
//! [`canonical_json`] of `{"actor","details","kind","local","seq","utc"}`.
//! Editing, deleting or reordering stored rows breaks the chain; see
//! docs/trail.md for what this does and does not prove.

pub(crate) mod verify;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::facts::{LastSubmission, SubmittedFile};
use crate::hash::canonical_json;
use crate::index::IndexError;

/// `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    FirstSeen,
    Changed,
    Removed,
    CheckRun,
    Submission,
    Export,
    Verification,
    /// A check took over an index written for another folder or elsewhere.
    IndexClaimed,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::FirstSeen,
        Kind::Changed,
        Kind::Removed,
        Kind::CheckRun,
        Kind::Submission,
        Kind::Export,
        Kind::Verification,
        Kind::IndexClaimed,
    ];

    /// The kind stored as `s`; `None` for a kind this tlkc does not know
    /// (written by a newer tlkc), which readers show as it is.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::FirstSeen => "first_seen",
            Kind::Changed => "changed",
            Kind::Removed => "removed",
            Kind::CheckRun => "check_run",
            Kind::Submission => "submission",
            Kind::Export => "export",
            Kind::Verification => "verification",
            Kind::IndexClaimed => "index_claimed",
        }
    }
}

/// Who acts and when: given by the CLI edge, so the library never reads the clock or the environment.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub utc: DateTime<Utc>,
    pub actor: String,
}

impl Stamp {
    pub fn utc_text(&self) -> String {
        self.utc.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
    /// The same instant in Vietnam (+07:00), as officials read it.
    pub fn local_text(&self) -> String {
        self.utc
            .with_timezone(&crate::time::VIETNAM)
            .to_rfc3339_opts(SecondsFormat::Millis, false)
    }
}

/// One stored event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub seq: i64,
    pub kind: String,
    pub utc: String,
    pub local: String,
    pub actor: String,
    pub details: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical encoding of an event (what its hash covers besides `prev_hash`).
pub fn canonical_event(
    seq: i64,
    kind: &str,
    utc: &str,
    local: &str,
    actor: &str,
    details: &Value,
) -> String {
    canonical_json(&serde_json::json!({
        "seq": seq,
        "kind": kind,
        "utc": utc,
        "local": local,
        "actor": actor,
        "details": details,
    }))
}

pub fn event_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    crate::hash::hex(&h.finalize())
}

/// Append one event. Call inside an IMMEDIATE transaction so that the head
/// read here is still the head when the row is written.
pub fn append(
    conn: &Connection,
    stamp: &Stamp,
    kind: Kind,
    details: Value,
) -> Result<Event, IndexError> {
    // The recorded head, not the last row, is what a new event follows: rows
    // cut off the end then stay visible as a gap instead of being papered over.
    // Statements from the connection's cache: a cold run appends one event per
    // new file, and preparing the three statements each time was most of the
    // run's serial end (e-office, 2,000 files).
    let head: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM chain_head WHERE one = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let head = match head {
        Some(h) => Some(h),
        None => conn
            .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    let (seq, prev_hash) = match head {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let utc = stamp.utc_text();
    let local = stamp.local_text();
    let canonical = canonical_event(seq, kind.as_str(), &utc, &local, &stamp.actor, &details);
    let hash = event_hash(&prev_hash, &canonical);
    conn.prepare_cached(
        "INSERT INTO events (seq, kind, utc, local, actor, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq,
        kind.as_str(),
        utc,
        local,
        stamp.actor,
        canonical_json(&details),
        prev_hash,
        hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO chain_head (one, seq, hash) VALUES (1, ?1, ?2)
         ON CONFLICT(one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )?
    .execute(params![seq, hash])?;
    Ok(Event {
        seq,
        kind: kind.as_str().to_string(),
        utc,
        local,
        actor: stamp.actor.clone(),
        details,
        prev_hash,
        hash,
    })
}

/// A row as stored; `details` may not even be JSON if someone edited it.
#[derive(Debug, Clone)]
pub struct RawEvent {
    pub seq: i64,
    pub kind: String,
    pub utc: String,
    pub local: String,
    pub actor: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Every stored row in `seq` order.
pub fn raw_events(conn: &Connection) -> Result<Vec<RawEvent>, IndexError> {
    let mut st = conn.prepare(
        "SELECT seq, kind, utc, local, actor, details, prev_hash, hash FROM events ORDER BY seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok(RawEvent {
            seq: r.get(0)?,
            kind: r.get(1)?,
            utc: r.get(2)?,
            local: r.get(3)?,
            actor: r.get(4)?,
            details: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every event, oldest first (rows whose details are not JSON keep them as a string).
pub fn events(conn: &Connection) -> Result<Vec<Event>, IndexError> {
    Ok(raw_events(conn)?
        .into_iter()
        .map(|r| Event {
            details: serde_json::from_str(&r.details).unwrap_or(Value::String(r.details)),
            seq: r.seq,
            kind: r.kind,
            utc: r.utc,
            local: r.local,
            actor: r.actor,
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
        .collect())
}

/// Details of a `submission` event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionDetails {
    pub submission: u64,
    pub note: String,
    pub ruleset: String,
    pub as_of: String,
    pub forced: bool,
    pub errors: u64,
    pub warnings: u64,
    pub points_at_risk: String,
    pub files: Vec<SubmittedFile>,
    pub report_json_sha256: String,
    pub report_txt_sha256: String,
}

/// A submission as recorded in the ledger.
#[derive(Debug, Clone)]
pub struct Submission {
    pub seq: i64,
    /// When it was recorded, Vietnam time (the event's `local`).
    pub local: String,
    pub details: SubmissionDetails,
}

impl Submission {
    pub fn last(&self) -> LastSubmission {
        LastSubmission {
            number: self.details.submission,
            files: self.details.files.clone(),
        }
    }
}

/// Every submission, oldest first.
pub fn submissions(conn: &Connection) -> Result<Vec<Submission>, IndexError> {
    let mut st =
        conn.prepare("SELECT seq, local, details FROM events WHERE kind = ?1 ORDER BY seq")?;
    let rows = st.query_map([Kind::Submission.as_str()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, local, details) = row?;
        let details: SubmissionDetails =
            serde_json::from_str(&details).map_err(|e| IndexError::Corrupt {
                what: format!("submission event #{seq}"),
                message: e.to_string(),
            })?;
        out.push(Submission {
            seq,
            local,
            details,
        });
    }
    Ok(out)
}

/// Submission number `n`, or the latest when `None`.
pub fn submission(conn: &Connection, n: Option<u64>) -> Result<Option<Submission>, IndexError> {
    let all = submissions(conn)?;
    Ok(match n {
        None => all.into_iter().last(),
        Some(n) => all.into_iter().find(|s| s.details.submission == n),
    })
}

/// The latest submission made since the index last changed hands: a
/// submission recorded before the latest `index_claimed` event was made
/// for the folder (or machine) the index came from, not for this one.
pub fn own_last_submission(conn: &Connection) -> Result<Option<Submission>, IndexError> {
    let claimed: Option<i64> = conn.query_row(
        "SELECT max(seq) FROM events WHERE kind = ?1",
        [Kind::IndexClaimed.as_str()],
        |r| r.get(0),
    )?;
    let after = claimed.unwrap_or(0);
    Ok(submissions(conn)?.into_iter().rfind(|s| s.seq > after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_back_and_unknown_ones_are_none() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("index_moved"), None);
    }

    #[test]
    fn canonical_sorts_keys_and_drops_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{ "b": [1, {"z": "x\ny", "a": null}], "a": "Đ" }"#).unwrap();
        assert_eq!(
            canonical_json(&v),
            r#"{"a":"Đ","b":[1,{"a":null,"z":"x\ny"}]}"#
        );
    }

    #[test]
    fn event_encoding_is_fixed() {
        let c = canonical_event(
            1,
            "check_run",
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T07:00:00.000+07:00",
            "an",
            &serde_json::json!({"k": 1}),
        );
        assert_eq!(
            c,
            r#"{"actor":"an","details":{"k":1},"kind":"check_run","local":"2024-01-01T07:00:00.000+07:00","seq":1,"utc":"2024-01-01T00:00:00.000Z"}"#
        );
        // Pinned (computed independently with Python's hashlib) so that a
        // change of the encoding cannot pass unnoticed: old chains would break.
        assert_eq!(
            event_hash(GENESIS, &c),
            "c512403ecf3caf9aaf799a239fbd0837782f9776d5ff54d89c1e8c581eabc606"
        );
    }
}
