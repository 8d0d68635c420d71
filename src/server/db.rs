//! The server's SQLite database: accounts, sessions, tokens, units,
//! uploads with their files (path, SHA-256, size), check results and the
//! ledger (every upload, login, failed login and refusal, with time and
//! address). One connection guarded by a mutex; WAL, so `server backup`
//! reads while the server writes.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::ServerError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, slug TEXT NOT NULL UNIQUE,
  rules TEXT, as_of TEXT, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, password TEXT NOT NULL,
  unit_id INTEGER REFERENCES units(id), province INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(
  hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS uploads(
  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id),
  user_id INTEGER NOT NULL REFERENCES users(id), created TEXT NOT NULL,
  address TEXT NOT NULL, files INTEGER NOT NULL, bytes INTEGER NOT NULL,
  state TEXT NOT NULL, ready INTEGER, estimated REAL, max REAL,
  errors INTEGER, warnings INTEGER, report_json TEXT, report_html TEXT,
  error TEXT, checked TEXT);
CREATE INDEX IF NOT EXISTS uploads_unit ON uploads(unit_id, id);
CREATE TABLE IF NOT EXISTS upload_files(
  upload_id INTEGER NOT NULL REFERENCES uploads(id), path TEXT NOT NULL,
  sha256 TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY(upload_id, path));
CREATE TABLE IF NOT EXISTS ledger(
  seq INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, login TEXT,
  unit_id INTEGER, address TEXT NOT NULL, details TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_unit ON ledger(unit_id, seq);
";

pub fn open(path: &Path) -> Result<Connection, ServerError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // WAL + NORMAL: a committed upload survives a crash of the process;
    // FULL also survives a power cut at each commit.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

pub fn set_meta(c: &Connection, key: &str, value: &str) -> Result<(), ServerError> {
    c.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn meta(c: &Connection, key: &str) -> Result<Option<String>, ServerError> {
    Ok(
        c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?,
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// Ruleset file name under DIR/rules, when the unit has its own.
    pub rules: Option<String>,
    pub as_of: Option<String>,
}

fn unit_row(r: &rusqlite::Row) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: r.get(0)?,
        name: r.get(1)?,
        slug: r.get(2)?,
        rules: r.get(3)?,
        as_of: r.get(4)?,
    })
}

const UNIT_COLS: &str = "id, name, slug, rules, as_of";

pub fn units(c: &Connection) -> Result<Vec<Unit>, ServerError> {
    let mut st = c.prepare(&format!("SELECT {UNIT_COLS} FROM units ORDER BY name"))?;
    let rows = st.query_map([], unit_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A unit by its name (NFC), its URL slug or its number.
pub fn find_unit(c: &Connection, key: &str) -> Result<Option<Unit>, ServerError> {
    let nfc = crate::text::nfc(key.trim());
    Ok(c.query_row(
        &format!(
            "SELECT {UNIT_COLS} FROM units WHERE name = ?1 OR slug = ?1 OR CAST(id AS TEXT) = ?1"
        ),
        [&nfc],
        unit_row,
    )
    .optional()?)
}

pub fn unit_by_id(c: &Connection, id: i64) -> Result<Option<Unit>, ServerError> {
    Ok(c.query_row(
        &format!("SELECT {UNIT_COLS} FROM units WHERE id = ?1"),
        [id],
        unit_row,
    )
    .optional()?)
}

/// A URL-safe name: "UBND xã Đắk Môn" → "ubnd-xa-dak-mon".
pub fn slug(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut out = String::new();
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "don-vi".into()
    } else {
        out
    }
}

pub fn add_unit(
    c: &Connection,
    name: &str,
    rules: Option<&str>,
    as_of: Option<&str>,
) -> Result<Unit, ServerError> {
    let name = crate::text::nfc(name.trim());
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(ServerError::Invalid(
            "tên đơn vị trống hoặc có ký tự điều khiển".into(),
        ));
    }
    if find_unit(c, &name)?.is_some() {
        return Err(ServerError::Invalid(format!("đơn vị `{name}` đã có")));
    }
    let base = slug(&name);
    let mut s = base.clone();
    let mut n = 2;
    while find_unit(c, &s)?.is_some() {
        s = format!("{base}-{n}");
        n += 1;
    }
    c.execute(
        "INSERT INTO units(name, slug, rules, as_of, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, s, rules, as_of, super::now_text()],
    )?;
    let id = c.last_insert_rowid();
    Ok(Unit {
        id,
        name,
        slug: s,
        rules: rules.map(str::to_string),
        as_of: as_of.map(str::to_string),
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub unit_id: Option<i64>,
    pub province: bool,
    pub disabled: bool,
}

fn user_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        login: r.get(1)?,
        unit_id: r.get(2)?,
        province: r.get::<_, i64>(3)? != 0,
        disabled: r.get::<_, i64>(4)? != 0,
    })
}

const USER_COLS: &str = "users.id, login, unit_id, province, disabled";

pub fn user_by_login(c: &Connection, login: &str) -> Result<Option<(User, String)>, ServerError> {
    Ok(c.query_row(
        &format!("SELECT {USER_COLS}, password FROM users WHERE login = ?1"),
        [login],
        |r| Ok((user_row(r)?, r.get(5)?)),
    )
    .optional()?)
}

pub fn add_user(
    c: &Connection,
    login: &str,
    password_hash: &str,
    unit_id: Option<i64>,
) -> Result<(), ServerError> {
    c.execute(
        "INSERT INTO users(login, password, unit_id, province, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![login, password_hash, unit_id, unit_id.is_none() as i64, super::now_text()],
    )?;
    Ok(())
}

pub fn disable_user(c: &Connection, login: &str) -> Result<bool, ServerError> {
    let n = c.execute("UPDATE users SET disabled = 1 WHERE login = ?1", [login])?;
    if n > 0 {
        // Signed out everywhere, scripts included.
        c.execute(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = ?1)",
            [login],
        )?;
        c.execute(
            "DELETE FROM tokens WHERE user_id = (SELECT id FROM users WHERE login = ?1)",
            [login],
        )?;
    }
    Ok(n > 0)
}

pub fn add_token(c: &Connection, user_id: i64, hash: &str) -> Result<(), ServerError> {
    c.execute(
        "INSERT INTO tokens(hash, user_id, created) VALUES (?1, ?2, ?3)",
        params![hash, user_id, super::now_text()],
    )?;
    Ok(())
}

pub fn user_by_token(c: &Connection, hash: &str) -> Result<Option<User>, ServerError> {
    Ok(c.query_row(
        &format!(
            "SELECT {USER_COLS} FROM tokens JOIN users ON users.id = tokens.user_id
                 WHERE tokens.hash = ?1 AND disabled = 0"
        ),
        [hash],
        user_row,
    )
    .optional()?)
}

pub fn add_session(
    c: &Connection,
    hash: &str,
    user_id: i64,
    csrf: &str,
    expires: i64,
) -> Result<(), ServerError> {
    // Expired sessions go as new ones come.
    c.execute(
        "DELETE FROM sessions WHERE expires <= ?1",
        [chrono::Utc::now().timestamp()],
    )?;
    c.execute(
        "INSERT INTO sessions(hash, user_id, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
        params![hash, user_id, csrf, expires],
    )?;
    Ok(())
}

/// The session's user and CSRF token, when it has not expired.
pub fn session(
    c: &Connection,
    hash: &str,
    now: i64,
) -> Result<Option<(User, String)>, ServerError> {
    Ok(c.query_row(
        &format!(
            "SELECT {USER_COLS}, csrf FROM sessions JOIN users ON users.id = sessions.user_id
                 WHERE sessions.hash = ?1 AND expires > ?2 AND disabled = 0"
        ),
        params![hash, now],
        |r| Ok((user_row(r)?, r.get(5)?)),
    )
    .optional()?)
}

pub fn end_session(c: &Connection, hash: &str) -> Result<(), ServerError> {
    c.execute("DELETE FROM sessions WHERE hash = ?1", [hash])?;
    Ok(())
}

/// One ledger event.
pub struct Event<'a> {
    pub kind: &'a str,
    pub login: Option<&'a str>,
    pub unit_id: Option<i64>,
    pub address: &'a str,
    pub details: Value,
}

pub fn log(c: &Connection, e: Event) -> Result<i64, ServerError> {
    c.execute(
        "INSERT INTO ledger(time, kind, login, unit_id, address, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            super::now_text(),
            e.kind,
            e.login,
            e.unit_id,
            e.address,
            e.details.to_string()
        ],
    )?;
    Ok(c.last_insert_rowid())
}

/// A unit's ledger, oldest first, as JSON objects.
pub fn unit_log(c: &Connection, unit_id: i64) -> Result<Vec<Value>, ServerError> {
    let mut st = c.prepare(
        "SELECT seq, time, kind, login, address, details FROM ledger WHERE unit_id = ?1 ORDER BY seq",
    )?;
    let rows = st.query_map([unit_id], |r| {
        let details: String = r.get(5)?;
        Ok(json!({
            "seq": r.get::<_, i64>(0)?,
            "time": r.get::<_, String>(1)?,
            "kind": r.get::<_, String>(2)?,
            "login": r.get::<_, Option<String>>(3)?,
            "address": r.get::<_, String>(4)?,
            "details": serde_json::from_str::<Value>(&details).unwrap_or(Value::Null),
        }))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One stored file of an upload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Upload {
    pub id: i64,
    pub unit_id: i64,
    pub login: String,
    pub created: String,
    pub files: i64,
    pub bytes: i64,
    /// queued | checking | done | failed
    pub state: String,
    pub ready: Option<bool>,
    pub estimated: Option<f64>,
    pub max: Option<f64>,
    pub errors: Option<i64>,
    pub warnings: Option<i64>,
    pub error: Option<String>,
    pub checked: Option<String>,
}

const UPLOAD_COLS: &str = "uploads.id, uploads.unit_id, users.login, uploads.created, uploads.files, uploads.bytes, uploads.state, uploads.ready, uploads.estimated, uploads.max, uploads.errors, uploads.warnings, uploads.error, uploads.checked";

fn upload_row(r: &rusqlite::Row) -> rusqlite::Result<Upload> {
    Ok(Upload {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        login: r.get(2)?,
        created: r.get(3)?,
        files: r.get(4)?,
        bytes: r.get(5)?,
        state: r.get(6)?,
        ready: r.get::<_, Option<i64>>(7)?.map(|v| v != 0),
        estimated: r.get(8)?,
        max: r.get(9)?,
        errors: r.get(10)?,
        warnings: r.get(11)?,
        error: r.get(12)?,
        checked: r.get(13)?,
    })
}

/// Record a committed upload: its row, its files and its ledger event, in
/// one transaction (all or nothing).
pub fn add_upload(
    c: &mut Connection,
    unit: &Unit,
    user: &User,
    address: &str,
    files: &[StoredFile],
) -> Result<i64, ServerError> {
    let tx = c.transaction()?;
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    tx.execute(
        "INSERT INTO uploads(unit_id, user_id, created, address, files, bytes, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued')",
        params![
            unit.id,
            user.id,
            super::now_text(),
            address,
            files.len() as i64,
            bytes as i64
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut st = tx.prepare(
            "INSERT INTO upload_files(upload_id, path, sha256, size) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for f in files {
            st.execute(params![id, f.path, f.sha256, f.size as i64])?;
        }
    }
    log(
        &tx,
        Event {
            kind: "upload",
            login: Some(&user.login),
            unit_id: Some(unit.id),
            address,
            details: json!({ "upload": id, "unit": unit.name, "bytes": bytes, "files": files }),
        },
    )?;
    tx.commit()?;
    Ok(id)
}

pub fn upload(c: &Connection, id: i64) -> Result<Option<Upload>, ServerError> {
    Ok(c
        .query_row(
            &format!("SELECT {UPLOAD_COLS} FROM uploads JOIN users ON users.id = uploads.user_id WHERE uploads.id = ?1"),
            [id],
            upload_row,
        )
        .optional()?)
}

/// A unit's uploads, newest first.
pub fn uploads(c: &Connection, unit_id: i64) -> Result<Vec<Upload>, ServerError> {
    let mut st = c.prepare(&format!(
        "SELECT {UPLOAD_COLS} FROM uploads JOIN users ON users.id = uploads.user_id
         WHERE uploads.unit_id = ?1 ORDER BY uploads.id DESC"
    ))?;
    let rows = st.query_map([unit_id], upload_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn files(c: &Connection, upload_id: i64) -> Result<Vec<StoredFile>, ServerError> {
    let mut st = c.prepare(
        "SELECT path, sha256, size FROM upload_files WHERE upload_id = ?1 ORDER BY path",
    )?;
    let rows = st.query_map([upload_id], |r| {
        Ok(StoredFile {
            path: r.get(0)?,
            sha256: r.get(1)?,
            size: r.get::<_, i64>(2)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Uploads still to be checked (a stop or crash left them), oldest first.
pub fn pending(c: &Connection) -> Result<Vec<i64>, ServerError> {
    let mut st =
        c.prepare("SELECT id FROM uploads WHERE state IN ('queued', 'checking') ORDER BY id")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn set_state(c: &Connection, id: i64, state: &str) -> Result<(), ServerError> {
    c.execute(
        "UPDATE uploads SET state = ?2 WHERE id = ?1",
        params![id, state],
    )?;
    Ok(())
}

/// What a finished check stores.
pub struct CheckResult {
    pub ready: bool,
    pub estimated: f64,
    pub max: f64,
    pub errors: i64,
    pub warnings: i64,
    pub report_json: String,
    pub report_html: String,
}

pub fn finish(c: &Connection, id: i64, r: Result<&CheckResult, &str>) -> Result<(), ServerError> {
    match r {
        Ok(r) => c.execute(
            "UPDATE uploads SET state = 'done', ready = ?2, estimated = ?3, max = ?4, errors = ?5,
             warnings = ?6, report_json = ?7, report_html = ?8, error = NULL, checked = ?9 WHERE id = ?1",
            params![
                id,
                r.ready as i64,
                r.estimated,
                r.max,
                r.errors,
                r.warnings,
                r.report_json,
                r.report_html,
                super::now_text()
            ],
        )?,
        Err(e) => c.execute(
            "UPDATE uploads SET state = 'failed', error = ?2, checked = ?3 WHERE id = ?1",
            params![id, e, super::now_text()],
        )?,
    };
    Ok(())
}

/// The stored JSON or HTML report of an upload.
pub fn report(c: &Connection, id: i64, html: bool) -> Result<Option<String>, ServerError> {
    let col = if html { "report_html" } else { "report_json" };
    Ok(c.query_row(
        &format!("SELECT {col} FROM uploads WHERE id = ?1"),
        [id],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()?
    .flatten())
}

/// The newest finished upload of every unit: (unit id, upload id, JSON report).
pub fn latest_reports(c: &Connection) -> Result<Vec<(i64, i64, String)>, ServerError> {
    let mut st = c.prepare(
        "SELECT unit_id, id, report_json FROM uploads u WHERE state = 'done' AND id =
           (SELECT MAX(id) FROM uploads v WHERE v.unit_id = u.unit_id AND v.state = 'done')",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn queued_count(c: &Connection) -> Result<i64, ServerError> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM uploads WHERE state IN ('queued', 'checking')",
        [],
        |r| r.get(0),
    )?)
}

/// Every stored object (SHA-256) any upload names.
pub fn referenced_objects(c: &Connection) -> Result<Vec<String>, ServerError> {
    let mut st = c.prepare("SELECT DISTINCT sha256 FROM upload_files")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slug("UBND xã Đắk Môn"), "ubnd-xa-dak-mon");
        assert_eq!(slug("  Sở Nội vụ!  "), "so-noi-vu");
        assert_eq!(slug("///"), "don-vi");
    }

    #[test]
    fn units_found_by_name_slug_or_number() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(SCHEMA).unwrap();
        let u = add_unit(&c, "UBND xã Đắk Môn", None, None).unwrap();
        assert_eq!(find_unit(&c, "ubnd-xa-dak-mon").unwrap(), Some(u.clone()));
        assert_eq!(find_unit(&c, "UBND xã Đắk Môn").unwrap(), Some(u.clone()));
        assert_eq!(find_unit(&c, &u.id.to_string()).unwrap(), Some(u));
        assert!(add_unit(&c, "UBND xã Đắk Môn", None, None).is_err());
        let second = add_unit(&c, "UBND xa Dak Mon", None, None).unwrap();
        assert_eq!(second.slug, "ubnd-xa-dak-mon-2");
    }
}
