//! Passwords (argon2id), random ids and tokens, and the login rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use super::db::User;
use super::ServerError;

/// Who is asking (the session cookie's or bearer token's account). Kept
/// here, below both the routes and the pages that read it.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    /// The session's CSRF token (None with a bearer token).
    pub csrf: Option<String>,
    pub session: Option<String>,
}

/// `n` random bytes from the OS generator, as hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // The OS generator failing leaves no safe way on: ids would repeat.
    if let Err(e) = getrandom::fill(&mut buf) {
        panic!("the operating system's random generator failed: {e}");
    }
    crate::hash::hex(&buf)
}

/// What the database keeps of a session id or token: its SHA-256, so a
/// copy of the database opens no session.
pub fn digest(secret: &str) -> String {
    crate::hash::sha256_hex(secret.as_bytes())
}

pub const MIN_PASSWORD: usize = 8;

pub fn hash_password(password: &str) -> Result<String, ServerError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ServerError::Invalid(format!(
            "mật khẩu cần ít nhất {MIN_PASSWORD} ký tự"
        )));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ServerError::Invalid(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ServerError::Invalid(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Invalid(e.to_string()))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login does not exist, so that a
/// wrong login takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-valid").unwrap_or_default())
}

/// Failed logins per account and per address in a sliding window.
pub struct RateLimit {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            window: Duration::from_secs(15 * 60),
            per_account: 5,
            per_address: 20,
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl RateLimit {
    /// Begin an attempt: when allowed, it is counted as a failure at once
    /// (under one lock), before the password is verified, so that many
    /// attempts sent at the same moment cannot all pass the check while
    /// the first ones are still being verified. [`RateLimit::succeeded_from`]
    /// takes it back.
    pub fn begin(&self, login: &str, address: &str) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let window = self.window;
        let keys = [format!("login:{login}"), format!("addr:{address}")];
        let limits = [self.per_account, self.per_address];
        for (key, limit) in keys.iter().zip(limits) {
            if let Some(v) = map.get_mut(key) {
                v.retain(|t| now.duration_since(*t) < window);
                if v.len() >= limit {
                    return false;
                }
            }
        }
        for key in keys {
            map.entry(key).or_default().push(now);
        }
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| now.duration_since(*t) < window));
        }
        true
    }

    /// A successful login: the account's failures go, and the address
    /// loses the attempt [`RateLimit::begin`] counted (an office behind one
    /// address logs in many times a day).
    pub fn succeeded_from(&self, login: &str, address: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("login:{login}"));
        if let Some(v) = map.get_mut(&format!("addr:{address}")) {
            v.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_short_ones_are_refused() {
        let h = hash_password("mật khẩu dài").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu dài", &h));
        assert!(!verify_password("mat khau dai", &h));
        assert!(hash_password("ngan").is_err());
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn rate_limit_per_account_and_address() {
        let r = RateLimit::default();
        for _ in 0..5 {
            assert!(r.begin("a", "1.2.3.4"));
        }
        assert!(!r.begin("a", "5.6.7.8"), "per account");
        // The address has 6 attempts after this one, 20 after the loop.
        assert!(r.begin("b", "1.2.3.4"));
        for i in 0..14 {
            assert!(r.begin(&format!("u{i}"), "1.2.3.4"), "attempt {i}");
        }
        assert!(!r.begin("c", "1.2.3.4"), "per address");
        assert!(r.begin("c", "9.9.9.9"));
        assert_eq!(random_hex(16).len(), 32);
    }

    #[test]
    fn attempts_count_when_they_begin_and_a_success_gives_its_own_back() {
        let r = RateLimit::default();
        for _ in 0..5 {
            assert!(r.begin("a", "1.2.3.4"));
        }
        assert!(
            !r.begin("a", "1.2.3.4"),
            "the sixth is refused before any verify"
        );
        for _ in 0..40 {
            assert!(r.begin("b", "5.6.7.8"));
            r.succeeded_from("b", "5.6.7.8");
        }
        assert!(r.begin("c", "5.6.7.8"), "successes do not fill the address");
    }
}
