//! A .zip upload: every entry under the same rules as a folder upload
//! (names cleaned and confined, limits on files and bytes), inflated into
//! the store while hashed, and refused as soon as it inflates past a
//! limit or far past its compressed size (a zip bomb), never after.

use std::io::Read;
use std::path::Path;

use super::data::{Budget, Refusal};
use super::db::StoredFile;
use super::store::Store;
use super::ServerError;

/// An entry inflating to more than this many times its compressed size,
/// past [`BOMB_FLOOR`] bytes, is a bomb: no evidence file compresses so well.
const BOMB_RATIO: u64 = 1000;
const BOMB_FLOOR: u64 = 16 << 20;

pub fn expand(
    zip_path: &Path,
    store: &Store,
    budget: &mut Budget,
) -> Result<Vec<StoredFile>, Refusal> {
    let mut file =
        std::fs::File::open(zip_path).map_err(|e| Refusal::Server(ServerError::io(zip_path)(e)))?;
    // The archive's directory is read whole into memory by the zip reader,
    // one record per entry it declares: a small zip of millions of empty
    // entries would exhaust memory before the file limit is reached. The
    // declared count is checked first (folders are entries too, hence the
    // margin).
    let declared = declared_entries(&mut file).unwrap_or(0);
    if declared
        > budget
            .limits
            .max_files
            .saturating_mul(2)
            .saturating_add(1000)
    {
        budget.files = budget.limits.max_files;
        budget.add_file()?;
    }
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        Refusal::Bad(format!(
            "Tệp .zip không đọc được ({e}). Nén lại thư mục bằng Windows (Gửi tới → Thư mục nén) rồi tải lại."
        ))
    })?;
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Refusal::Bad(format!("Tệp .zip hỏng ở mục {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            return Err(Refusal::Bad(format!(
                "Tệp .zip có liên kết tượng trưng `{}`; chỉ nhận tệp thường.",
                entry.name()
            )));
        }
        let clean = super::names::clean(entry.name()).map_err(Refusal::Bad)?;
        names.push((i, clean));
    }
    let strip = common_top(&names.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>());
    let mut out: Vec<StoredFile> = Vec::new();
    let mut seen = super::names::Layout::default();
    for (i, name) in names {
        let name = match &strip {
            Some(top) => name[top.len() + 1..].to_string(),
            None => name,
        };
        if super::names::is_tool_state(&name) {
            continue;
        }
        seen.claim(&name).map_err(Refusal::Bad)?;
        budget.add_file()?;
        let mut entry = archive.by_index(i).map_err(|e| {
            Refusal::Bad(format!(
                "Không giải nén được `{name}` ({e}); tệp .zip có mật khẩu hoặc bị hỏng?"
            ))
        })?;
        let compressed = entry.compressed_size();
        // The declared size is checked first; the real one while inflating.
        if entry.size() > budget.limits.max_file_bytes {
            budget.add_bytes(0, entry.size(), &name)?;
        }
        let mut inc = store.incoming()?;
        let mut buf = vec![0u8; 64 * 1024];
        let result = (|| -> Result<(), Refusal> {
            loop {
                let n = entry
                    .read(&mut buf)
                    .map_err(|e| Refusal::Bad(format!("Không giải nén được `{name}` ({e}).")))?;
                if n == 0 {
                    return Ok(());
                }
                inc.write(&buf[..n])
                    .map_err(|e| Refusal::Server(ServerError::io(&inc.path)(e)))?;
                budget.add_bytes(n as u64, inc.size, &name)?;
                if inc.size > BOMB_FLOOR && inc.size / compressed.max(1) > BOMB_RATIO {
                    return Err(Refusal::TooLarge(format!(
                        "Tệp .zip bị từ chối: mục `{name}` giải nén ra lớn gấp hơn {BOMB_RATIO} lần kích thước nén (bom zip)."
                    )));
                }
            }
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&inc.path);
            return Err(e);
        }
        let tmp_path = inc.path.clone();
        let (tmp, sha, size) = inc
            .finish()
            .map_err(|e| Refusal::Server(ServerError::io(&tmp_path)(e)))?;
        store.put(&tmp, &sha)?;
        out.push(StoredFile {
            path: name,
            sha256: sha,
            size,
        });
    }
    if out.is_empty() {
        return Err(Refusal::Bad("Tệp .zip không có tệp nào.".into()));
    }
    Ok(out)
}

/// The number of entries a zip's end-of-central-directory record (or its
/// zip64 record) declares; 0 when there is none (the reader then refuses
/// the file).
fn declared_entries(file: &mut std::fs::File) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let len = file.metadata()?.len();
    let tail_len = len.min(22 + 65535 + 20);
    file.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    file.read_exact(&mut tail)?;
    let Some(at) = tail.windows(4).rposition(|w| w == [0x50, 0x4b, 0x05, 0x06]) else {
        return Ok(0);
    };
    let u16_at = |i: usize| {
        tail.get(i..i + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let count = u64::from(u16_at(at + 10)).max(u64::from(u16_at(at + 8)));
    if count != 0xFFFF {
        return Ok(count);
    }
    // zip64: the locator (20 bytes before) points at the zip64 record.
    let Some(loc) = at.checked_sub(20) else {
        return Ok(count);
    };
    if tail[loc..loc + 4] != [0x50, 0x4b, 0x06, 0x07] {
        return Ok(count);
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(&tail[loc + 8..loc + 16]);
    file.seek(SeekFrom::Start(u64::from_le_bytes(off)))?;
    let mut rec = [0u8; 48];
    file.read_exact(&mut rec)?;
    if rec[..4] != [0x50, 0x4b, 0x06, 0x06] {
        return Ok(count);
    }
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&rec[i..i + 8]);
        u64::from_le_bytes(b)
    };
    Ok(u64_at(24).max(u64_at(32)))
}

/// The one folder every entry sits in, when a zip was made of the folder
/// itself ("Gửi tới → Thư mục nén" on Windows): stripped, so paths start
/// at the evidence folder. Not when it is a sub-criterion folder (its name
/// starts with a digit, "1.2.1 Báo cáo"): that is evidence structure.
fn common_top(names: &[&str]) -> Option<String> {
    let first = names.first()?.split_once('/')?.0;
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    names
        .iter()
        .all(|n| n.split_once('/').is_some_and(|(top, _)| top == first))
        .then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn setup() -> (tempfile::TempDir, Store) {
        let t = tempfile::tempdir().unwrap();
        let data = super::super::data::DataDir::new(t.path());
        data.make_dirs().unwrap();
        let store = Store::new(&data);
        (t, store)
    }

    #[test]
    fn expands_with_the_top_folder_stripped() {
        let (t, store) = setup();
        let z = t.path().join("a.zip");
        std::fs::write(
            &z,
            zip_of(&[
                ("dak-glei/1.2.1 BC/a.pdf", b"%PDF-1"),
                ("dak-glei/tlkc.toml", b"unit = \"x\""),
            ]),
        )
        .unwrap();
        let mut b = Budget::new(Default::default());
        let files = expand(&z, &store, &mut b).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["1.2.1 BC/a.pdf", "tlkc.toml"]);
        assert!(store.object(&files[0].sha256).is_file());
    }

    #[test]
    fn refuses_traversal_and_bombs() {
        let (t, store) = setup();
        let z = t.path().join("bad.zip");
        std::fs::write(&z, zip_of(&[("../evil.pdf", b"x")])).unwrap();
        let mut b = Budget::new(Default::default());
        assert!(matches!(expand(&z, &store, &mut b), Err(Refusal::Bad(m)) if m.contains("..")));
        let zeros = vec![0u8; 40 << 20];
        std::fs::write(&z, zip_of(&[("bomb.pdf", &zeros)])).unwrap();
        let mut b = Budget::new(Default::default());
        match expand(&z, &store, &mut b) {
            Err(Refusal::TooLarge(m)) => assert!(m.contains("bom zip"), "{m}"),
            other => panic!("{other:?}"),
        }
        let mut small = Default::default();
        small = super::super::data::Limits {
            max_file_bytes: 1 << 20,
            ..small
        };
        std::fs::write(&z, zip_of(&[("big.pdf", &vec![7u8; 2 << 20])])).unwrap();
        let mut b = Budget::new(small);
        assert!(matches!(
            expand(&z, &store, &mut b),
            Err(Refusal::TooLarge(_))
        ));
        // Nothing half-received is left behind.
        assert_eq!(std::fs::read_dir(&store.tmp).unwrap().count(), 0);
    }
}
