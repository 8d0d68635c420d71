//! The data folder: one SQLite database, the content-addressed store, the
//! rulesets and trust anchors the province hands to every unit, and per
//! unit the index (facts reused across uploads) and the folder being checked.
//!
//! ```text
//! DIR/tlkc-server.db      accounts, sessions, units, uploads, ledger, reports
//! DIR/store/ab/abcdef…    every uploaded file once, named by its SHA-256
//! DIR/rules/*.toml        the province's ruleset; a unit's own
//! DIR/trust/*             extra trust anchors (beside the builtin CAs)
//! DIR/units/N/index.db    unit N's tlkc index (cached facts)
//! DIR/units/N/work/       unit N's upload being checked (links into the store)
//! DIR/tmp/                uploads on their way in
//! ```

use std::path::{Path, PathBuf};

use super::ServerError;

pub const DB_FILE: &str = "tlkc-server.db";

#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    pub fn new(root: &Path) -> DataDir {
        DataDir {
            root: root.to_path_buf(),
        }
    }
    pub fn db(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }
    pub fn store(&self) -> PathBuf {
        self.root.join("store")
    }
    pub fn rules(&self) -> PathBuf {
        self.root.join("rules")
    }
    pub fn trust(&self) -> PathBuf {
        self.root.join("trust")
    }
    pub fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }
    pub fn unit(&self, id: i64) -> PathBuf {
        self.root.join("units").join(id.to_string())
    }

    /// The folder must hold a server database (made by `server init`).
    pub fn existing(root: &Path) -> Result<DataDir, ServerError> {
        let d = DataDir::new(root);
        if !d.db().is_file() {
            return Err(ServerError::Invalid(format!(
                "{}: không phải thư mục dữ liệu của tlkc server (thiếu {DB_FILE}); tạo bằng `tlkc server init`",
                root.display()
            )));
        }
        Ok(d)
    }

    pub fn make_dirs(&self) -> Result<(), ServerError> {
        for d in [
            self.root.clone(),
            self.store(),
            self.rules(),
            self.trust(),
            self.tmp(),
            self.root.join("units"),
        ] {
            std::fs::create_dir_all(&d).map_err(ServerError::io(&d))?;
        }
        Ok(())
    }
}

/// A ruleset kept by `server init` / `unit add --rules`: `builtin:ID`,
/// or a file name under DIR/rules.
pub fn load_rules(data: &DataDir, spec: &str) -> Result<crate::rules::Ruleset, ServerError> {
    let path = if spec.starts_with("builtin:") {
        PathBuf::from(spec)
    } else {
        data.rules().join(spec)
    };
    Ok(crate::rules::load_file(&path)?)
}

/// Upload limits (configurable at `init` and `run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_files: u64,
    pub max_file_bytes: u64,
    pub max_upload_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 5000,
            max_file_bytes: 200 << 20,
            max_upload_bytes: 2 << 30,
        }
    }
}

/// Why an upload is refused: too large (413) or not acceptable (400),
/// with the sentence the officer reads; or the server failed.
#[derive(Debug)]
pub enum Refusal {
    TooLarge(String),
    Bad(String),
    Server(ServerError),
}

impl From<ServerError> for Refusal {
    fn from(e: ServerError) -> Self {
        Refusal::Server(e)
    }
}

/// What one upload has used of its [`Limits`].
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub limits: Limits,
    pub files: u64,
    pub bytes: u64,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            files: 0,
            bytes: 0,
        }
    }

    pub fn add_file(&mut self) -> Result<(), Refusal> {
        self.files += 1;
        if self.files > self.limits.max_files {
            return Err(Refusal::TooLarge(format!(
                "Quá nhiều tệp: mỗi lần tải lên nhận tối đa {} tệp. Chia thư mục thành nhiều lần tải hoặc bỏ các tệp không phải tài liệu kiểm chứng.",
                self.limits.max_files
            )));
        }
        Ok(())
    }

    /// `n` more bytes of the current file, which has `file_bytes` so far (after adding).
    pub fn add_bytes(&mut self, n: u64, file_bytes: u64, name: &str) -> Result<(), Refusal> {
        self.bytes += n;
        if file_bytes > self.limits.max_file_bytes {
            return Err(Refusal::TooLarge(format!(
                "Tệp `{name}` quá lớn: mỗi tệp tối đa {}. Giảm dung lượng tệp (ví dụ quét lại ở độ phân giải thấp hơn) rồi tải lại.",
                human_size(self.limits.max_file_bytes)
            )));
        }
        if self.bytes > self.limits.max_upload_bytes {
            return Err(Refusal::TooLarge(format!(
                "Lần tải lên quá lớn: tổng dung lượng tối đa {}. Bỏ các tệp không phải tài liệu kiểm chứng rồi tải lại.",
                human_size(self.limits.max_upload_bytes)
            )));
        }
        Ok(())
    }
}

/// 209715200 → "200 MB" (binary units, as file managers on Windows show).
pub fn human_size(n: u64) -> String {
    if n >= 1 << 30 && n % (1 << 30) == 0 {
        format!("{} GB", n >> 30)
    } else if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KB", n >> 10)
    } else {
        format!("{n} byte")
    }
}

/// "200M", "2G", "512k", "1048576" → bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('b').trim_end_matches('i');
    let (num, mul) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1u64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim().parse::<u64>().ok()?.checked_mul(mul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("200M"), Some(200 << 20));
        assert_eq!(parse_size("2GB"), Some(2 << 30));
        assert_eq!(parse_size("1KiB"), Some(1024));
        assert_eq!(parse_size("17"), Some(17));
        assert_eq!(parse_size("x"), None);
    }
}
