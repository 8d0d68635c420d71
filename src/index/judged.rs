//! What a check made of each file, kept for the next check (issue 25): the
//! file's own findings (PDF, document, signatures) and the facts the rest of
//! the run keeps of it ([`crate::facts::KeptFacts`]), one row per path in
//! `judged`. A warm run reads this small row instead of the file's whole
//! facts and runs no file check again.
//!
//! A row is used only under the key it was written with: the SHA-256 of
//! the facts' fingerprint (tool build, inspection options), of everything
//! else the file's own checks read (ruleset, tlkc.toml, the day of
//! evaluation: [`judge_fingerprint`]), of the file's hash and of its path.
//! The checks are pure functions of those, so a row under the same key holds
//! what they would say again; anything else is judged again and the row replaced.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::IndexError;
use crate::facts::KeptFacts;
use crate::findings::{Code, Finding, Msg, Severity};

/// The fingerprint of what a file's own checks read besides its facts.
pub fn judge_fingerprint(
    rules: &crate::rules::Ruleset,
    config: &crate::config::FolderConfig,
    as_of: chrono::NaiveDate,
) -> String {
    // Debug forms name every field; a form that changed for no reason only
    // costs the reuse, never a wrong answer.
    let mut h = Sha256::new();
    for part in [
        format!("{rules:?}"),
        format!("{config:?}"),
        as_of.to_string(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    crate::hash::hex(&h.finalize())
}

/// The key a file's row is written and read under.
pub fn key(facts_fp: &str, judge_fp: &str, sha256: &str, path: &str) -> String {
    let mut h = Sha256::new();
    for part in [facts_fp, judge_fp, sha256, path] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    crate::hash::hex(&h.finalize())
}

/// One row to write: (path, key, kept facts JSON, findings JSON).
pub type Row = (String, String, String, String);

/// A row for `kept` and `findings`; `None` when a finding cannot be stored
/// as it is (a waiver already applied: never the case for a file's own findings).
pub fn encode(path: &str, key: String, kept: &KeptFacts, findings: &[Finding]) -> Option<Row> {
    let stored: Vec<Stored<'_>> = findings
        .iter()
        .map(|f| {
            f.waived.is_none().then(|| Stored {
                code: f.code.as_str().into(),
                severity: f.severity.as_str().into(),
                criterion: f.criterion.as_deref().map(Into::into),
                path: f.path.as_deref().map(Into::into),
                vi: f.message.vi.as_str().into(),
                en: f.message.en.as_str().into(),
                points: f.points.map(f64::to_bits),
                facts: f
                    .facts
                    .iter()
                    .map(|(k, v)| ((*k).into(), v.into()))
                    .collect(),
            })
        })
        .collect::<Option<_>>()?;
    let kept = serde_json::to_string(&without_nulls(serde_json::to_value(kept).ok()?)).ok()?;
    let findings = serde_json::to_string(&stored).ok()?;
    Some((path.to_string(), key, kept, findings))
}

/// `v` without the members of its objects that are null: a field left out
/// reads back as `None` (serde's rule for a missing `Option`), and the kept
/// facts are mostly unknown signature details, a third of their JSON.
fn without_nulls(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The row of `path` when it was written under `key`, decoded.
pub fn load(
    conn: &Connection,
    path: &str,
    key: &str,
) -> Result<Option<(KeptFacts, Vec<Finding>)>, IndexError> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached("SELECT key, kept, findings FROM judged WHERE path = ?1")?
        .query_row(params![path], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(row
        .filter(|(k, _, _)| k == key)
        .and_then(|(_, kept, findings)| decode(&kept, &findings)))
}

fn decode(kept: &str, findings: &str) -> Option<(KeptFacts, Vec<Finding>)> {
    // Its lists are boxed slices: made at their exact length, where a
    // deserialised list grows by doubling (issue 25).
    let kept: KeptFacts = serde_json::from_str(kept).ok()?;
    let stored: Vec<Stored<'_>> = serde_json::from_str(findings).ok()?;
    let findings = stored
        .into_iter()
        .map(Stored::finding)
        .collect::<Option<Vec<_>>>()?;
    Some((kept, findings))
}

/// Write rows, replacing any row of the same path.
pub fn store(tx: &Connection, rows: &[Row]) -> Result<(), IndexError> {
    let mut st = tx.prepare_cached(
        "INSERT OR REPLACE INTO judged (path, key, kept, findings) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (path, key, kept, findings) in rows {
        st.execute(params![path, key, kept, findings])?;
    }
    Ok(())
}

/// A finding as stored: every field of [`Finding`] but the waiver.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    #[serde(borrow)]
    code: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    severity: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    criterion: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    path: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    vi: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    en: std::borrow::Cow<'a, str>,
    /// The bits of the f64: exact, where JSON's decimal form may be read
    /// back one unit in the last place off.
    points: Option<u64>,
    #[serde(borrow)]
    facts: Vec<(std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
}

impl Stored<'_> {
    fn finding(self) -> Option<Finding> {
        let code: Code = self.code.parse().ok()?;
        let severity = [Severity::Info, Severity::Warning, Severity::Error]
            .into_iter()
            .find(|s| s.as_str() == self.severity)?;
        let mut facts = BTreeMap::new();
        for (k, v) in self.facts {
            facts.insert(fact_key(&k)?, v.into_owned());
        }
        Some(Finding {
            code,
            severity,
            criterion: self.criterion.map(|c| c.into_owned()),
            path: self.path.map(|p| p.into_owned()),
            message: Msg::new(self.vi.into_owned(), self.en.into_owned()),
            points: self.points.map(f64::from_bits),
            facts,
            waived: None,
        })
    }
}

/// A finding's fact names are the checks' own string constants; read back,
/// each distinct name is made static once. Bounded: a row naming more
/// names than any tlkc uses is not read (the file is judged again).
fn fact_key(name: &str) -> Option<&'static str> {
    const MOST: usize = 256;
    static NAMES: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return Some(known);
    }
    if names.len() >= MOST {
        return None;
    }
    let made: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(made);
    Some(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Finding {
        Finding::new(
            crate::checks::registry::diag(Code::Sig001),
            Msg::new("Chữ ký số không hợp lệ", "The signature is not valid"),
        )
        .path("a/b.pdf")
        .points(0.1 + 0.2)
        .fact("signer", "Nguyễn Văn A")
        .fact("deadline", "2022-03-05")
    }

    #[test]
    fn a_row_reads_back_equal_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let ix = crate::index::Index::open(&dir.path().join("t.db")).unwrap();
        let mut whole = crate::facts::FileFacts {
            sha256: "ab".repeat(32),
            ..crate::facts::FileFacts::pdf("a/b.pdf")
        };
        whole.document.number = Some("163/BC-UBND".into());
        whole.document.date = chrono::NaiveDate::from_ymd_opt(2022, 3, 7);
        whole.document.citations = vec!["3183/SNV-TCBC".into()];
        whole.document.number_facts = Some(crate::facts::NumberFacts {
            raw: "163/BC-UBND".into(),
            seq: Some(163),
            groups: vec!["BC".into(), "UBND".into()],
            ..Default::default()
        });
        whole.signatures = vec![
            crate::facts::SignatureFacts::unknown(None),
            crate::facts::SignatureFacts {
                intact: Some(true),
                crypto_valid: Some(false),
                kind: crate::facts::SignerKind::Organization,
                signing_time: chrono::DateTime::parse_from_rfc3339("2022-03-07T09:30:00+07:00")
                    .ok(),
                revocation: Some(crate::facts::Revocation {
                    status: crate::facts::RevocationStatus::NotChecked,
                    revoked_at: None,
                    crl_issued: None,
                }),
                ..crate::facts::SignatureFacts::unknown(Some("Sig1".into()))
            },
        ];
        let kept = KeptFacts::of(&whole);
        let found = vec![finding(), finding().criterion("1.1")];
        let k = key("fp", "judge", &kept.sha256, "a/b.pdf");
        let row = encode("a/b.pdf", k.clone(), &kept, &found).unwrap();
        store(ix.conn(), &[row]).unwrap();
        let (back, again) = load(ix.conn(), "a/b.pdf", &k).unwrap().unwrap();
        assert_eq!(back, kept);
        assert_eq!(again, found);
        // Another day, ruleset, build, content or path: not this row.
        for other in [
            key("fp", "judge2", &kept.sha256, "a/b.pdf"),
            key("fp2", "judge", &kept.sha256, "a/b.pdf"),
            key("fp", "judge", &"cd".repeat(32), "a/b.pdf"),
        ] {
            assert!(load(ix.conn(), "a/b.pdf", &other).unwrap().is_none());
        }
        assert!(load(ix.conn(), "a/c.pdf", &k).unwrap().is_none());
    }

    #[test]
    fn the_fingerprint_follows_the_day_and_the_settings() {
        let rules =
            crate::rules::load_file(std::path::Path::new("builtin:kon-tum-2022-huyen")).unwrap();
        let config = crate::config::FolderConfig::default();
        let day = chrono::NaiveDate::from_ymd_opt(2022, 3, 5).unwrap();
        let base = judge_fingerprint(&rules, &config, day);
        assert_eq!(base, judge_fingerprint(&rules, &config, day));
        assert_ne!(
            base,
            judge_fingerprint(&rules, &config, day.succ_opt().unwrap())
        );
        let unit = crate::config::FolderConfig {
            unit: Some("UBND xã A".into()),
            ..Default::default()
        };
        assert_ne!(base, judge_fingerprint(&rules, &unit, day));
    }
}
