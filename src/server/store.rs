//! The content-addressed store: every uploaded file once, named by its
//! SHA-256 (`store/ab/abcdef…`), read-only, whatever unit or upload sent
//! it. An upload is a list of (path, SHA-256); the folder a check reads is
//! made of hard links to the objects (a copy where links cannot be made).

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::db::StoredFile;
use super::ServerError;

#[derive(Debug, Clone)]
pub struct Store {
    pub dir: PathBuf,
    pub tmp: PathBuf,
}

/// A file being received: written to `tmp/` and hashed as it arrives.
pub struct Incoming {
    pub path: PathBuf,
    file: std::fs::File,
    hasher: Sha256,
    pub size: u64,
}

impl Incoming {
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        self.file.write_all(bytes)
    }

    /// Flushed to disk; returns (path, SHA-256 hex, size).
    pub fn finish(self) -> std::io::Result<(PathBuf, String, u64)> {
        self.file.sync_all()?;
        let sha = crate::hash::hex(&self.hasher.finalize());
        Ok((self.path, sha, self.size))
    }
}

impl Store {
    pub fn new(data: &super::data::DataDir) -> Store {
        Store {
            dir: data.store(),
            tmp: data.tmp(),
        }
    }

    pub fn object(&self, sha: &str) -> PathBuf {
        let head = sha.get(..2).unwrap_or("00");
        self.dir.join(head).join(sha)
    }

    /// A new file in `tmp/` under a random name.
    pub fn incoming(&self) -> Result<Incoming, ServerError> {
        let path = self.tmp.join(format!("in-{}", super::auth::random_hex(12)));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(ServerError::io(&path))?;
        Ok(Incoming {
            path,
            file,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Move a received file into the store under its hash; when the store
    /// already has those bytes, the new copy is dropped.
    pub fn put(&self, tmp: &Path, sha: &str) -> Result<(), ServerError> {
        let dest = self.object(sha);
        if dest.is_file() {
            let _ = std::fs::remove_file(tmp);
            return Ok(());
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(ServerError::io(dir))?;
        }
        let mut perms = std::fs::metadata(tmp)
            .map_err(ServerError::io(tmp))?
            .permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(tmp, perms).map_err(ServerError::io(tmp))?;
        std::fs::rename(tmp, &dest).map_err(ServerError::io(&dest))?;
        Ok(())
    }

    /// Lay out `files` under `dest` as links to the objects. `dest` is
    /// emptied, not replaced: the unit's index knows its folder by its
    /// identity (device and inode), and a new folder would be a foreign one
    /// whose cached facts are all dropped (FIX003).
    pub fn materialise(&self, files: &[StoredFile], dest: &Path) -> Result<(), ServerError> {
        std::fs::create_dir_all(dest).map_err(ServerError::io(dest))?;
        for entry in std::fs::read_dir(dest).map_err(ServerError::io(dest))? {
            let p = entry.map_err(ServerError::io(dest))?.path();
            let gone = if p.is_dir() && !crate::fsguard::is_symlink(&p) {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
            gone.map_err(ServerError::io(&p))?;
        }
        for f in files {
            // Names were cleaned when they arrived; checked again, as this
            // writes on the server's disk.
            let clean = super::names::clean(&f.path).map_err(ServerError::Invalid)?;
            if super::names::is_tool_state(&clean) {
                return Err(ServerError::Invalid(format!(
                    "`{clean}` is tlkc's own folder, never evidence"
                )));
            }
            let target = clean.split('/').fold(dest.to_path_buf(), |p, c| p.join(c));
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(ServerError::io(dir))?;
            }
            let object = self.object(&f.sha256);
            if std::fs::hard_link(&object, &target).is_err() {
                std::fs::copy(&object, &target).map_err(ServerError::io(&object))?;
            }
        }
        Ok(())
    }

    /// Remove what an interrupted upload left in `tmp/`.
    pub fn clean_tmp(&self) {
        if let Ok(entries) = std::fs::read_dir(&self.tmp) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    let _ = std::fs::remove_dir_all(&p);
                } else {
                    let _ = std::fs::remove_file(&p);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_bytes_are_stored_once() {
        let t = tempfile::tempdir().unwrap();
        let data = super::super::data::DataDir::new(t.path());
        data.make_dirs().unwrap();
        let store = Store::new(&data);
        let mut shas = Vec::new();
        for _ in 0..2 {
            let mut inc = store.incoming().unwrap();
            inc.write(b"hello ").unwrap();
            inc.write(b"world").unwrap();
            let (tmp, sha, size) = inc.finish().unwrap();
            assert_eq!(size, 11);
            store.put(&tmp, &sha).unwrap();
            assert!(!tmp.exists());
            shas.push(sha);
        }
        assert_eq!(shas[0], shas[1]);
        assert_eq!(shas[0], crate::hash::sha256_hex(b"hello world"));
        let objects: Vec<_> = walkdir::WalkDir::new(&store.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .collect();
        assert_eq!(objects.len(), 1);
        let files = vec![StoredFile {
            path: "a/b.txt".into(),
            sha256: shas[0].clone(),
            size: 11,
        }];
        let work = t.path().join("work");
        store.materialise(&files, &work).unwrap();
        assert_eq!(std::fs::read(work.join("a/b.txt")).unwrap(), b"hello world");
        // Laid out again in the same folder (same identity), old files gone.
        #[cfg(unix)]
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        #[cfg(unix)]
        let before = ino(&work);
        std::fs::write(work.join("stale.txt"), b"x").unwrap();
        store.materialise(&files, &work).unwrap();
        assert!(!work.join("stale.txt").exists());
        #[cfg(unix)]
        assert_eq!(ino(&work), before);
    }
}
