//! A file's stat data as the index compares them (the index's `stat`
//! module says what they vouch for): size, mtime, change time, inode and device. Read
//! here, below discovery, so that discovery's own stat serves the index: one
//! stat per file (issue 25).

use std::path::Path;

/// A file's stat data, read before its bytes are (by discovery).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    pub size: u64,
    /// Nanoseconds since the epoch; 0 = unknown.
    pub mtime_ns: i64,
    /// Inode change time (Unix `st_ctime`, Windows `ChangeTime`), ns since the epoch; 0 = unknown.
    pub ctime_ns: i64,
    /// Device (Unix `st_dev`) or volume serial number (Windows).
    pub dev: u64,
    /// Inode (Unix `st_ino`) or file index (Windows).
    pub ino: u64,
}

impl Stat {
    /// Everything a row must match is known: an unknown field never vouches.
    pub fn complete(&self) -> bool {
        self.mtime_ns != 0 && self.ctime_ns != 0 && self.ino != 0
    }
}

/// Stat data of `path` (not following a final symlink; discovery skips those).
pub fn stat(path: &Path) -> std::io::Result<Stat> {
    imp::stat(path)
}

/// Stat data from metadata already read without following a final link
/// (discovery's), where it holds every field [`stat`] reads: on Unix. `None`
/// elsewhere (Windows reads the change time through a handle): call [`stat`].
pub fn from_metadata(m: &std::fs::Metadata) -> Option<Stat> {
    imp::from_metadata(m)
}

/// Identity of a folder: (device, inode) on Unix, (volume serial, file index) on Windows.
pub fn folder_identity(path: &Path) -> std::io::Result<(u64, u64)> {
    let s = imp::stat(path)?;
    Ok((s.dev, s.ino))
}

#[cfg(unix)]
mod imp {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    use super::Stat;

    pub fn stat(path: &Path) -> std::io::Result<Stat> {
        Ok(of(&std::fs::symlink_metadata(path)?))
    }

    pub fn from_metadata(m: &std::fs::Metadata) -> Option<Stat> {
        Some(of(m))
    }

    fn of(m: &std::fs::Metadata) -> Stat {
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        Stat {
            size: m.size(),
            mtime_ns: ns(m.mtime(), m.mtime_nsec()),
            ctime_ns: ns(m.ctime(), m.ctime_nsec()),
            dev: m.dev(),
            ino: m.ino(),
        }
    }
}

#[cfg(windows)]
mod imp {
    //! Not compile-checked on the Linux CI: kept to the documented
    //! `GetFileInformationByHandle(Ex)` calls through windows-sys.
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use std::path::Path;

    use windows_sys::Win32::Storage::FileSystem::{
        FileBasicInfo, GetFileInformationByHandle, GetFileInformationByHandleEx,
        BY_HANDLE_FILE_INFORMATION, FILE_BASIC_INFO, FILE_FLAG_BACKUP_SEMANTICS,
        FILE_FLAG_OPEN_REPARSE_POINT,
    };

    use super::Stat;

    /// Metadata lacks the NTFS change time: read through a handle ([`stat`]).
    pub fn from_metadata(_: &std::fs::Metadata) -> Option<Stat> {
        None
    }

    /// 100 ns ticks since 1601-01-01 → ns since 1970-01-01.
    fn filetime_ns(ticks: i64) -> i64 {
        const EPOCH_DIFF_TICKS: i64 = 116_444_736_000_000_000;
        ticks.saturating_sub(EPOCH_DIFF_TICKS).saturating_mul(100)
    }

    pub fn stat(path: &Path) -> std::io::Result<Stat> {
        // Backup semantics opens folders too (folder_identity); reading
        // attributes needs no access right beyond that.
        let f = std::fs::OpenOptions::new()
            .access_mode(0)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
            .open(path)?;
        let h = f.as_raw_handle() as _;
        // SAFETY: `h` is a valid open handle for the duration of both calls,
        // and each output struct is the documented type for its call.
        let (info, basic) = unsafe {
            let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
            if GetFileInformationByHandle(h, &mut info) == 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut basic: FILE_BASIC_INFO = std::mem::zeroed();
            if GetFileInformationByHandleEx(
                h,
                FileBasicInfo,
                (&mut basic as *mut FILE_BASIC_INFO).cast(),
                std::mem::size_of::<FILE_BASIC_INFO>() as u32,
            ) == 0
            {
                return Err(std::io::Error::last_os_error());
            }
            (info, basic)
        };
        Ok(Stat {
            size: (u64::from(info.nFileSizeHigh) << 32) | u64::from(info.nFileSizeLow),
            mtime_ns: filetime_ns(basic.LastWriteTime),
            ctime_ns: filetime_ns(basic.ChangeTime),
            dev: u64::from(info.dwVolumeSerialNumber),
            ino: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
        })
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    use std::path::Path;

    use super::Stat;

    pub fn from_metadata(_: &std::fs::Metadata) -> Option<Stat> {
        None
    }

    /// No change time or file identity: [`Stat::complete`] is false, so
    /// nothing is trusted without reading it.
    pub fn stat(path: &Path) -> std::io::Result<Stat> {
        let m = std::fs::symlink_metadata(path)?;
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| i64::try_from(d.as_nanos()).unwrap_or(0))
            .unwrap_or(0);
        Ok(Stat {
            size: m.len(),
            mtime_ns,
            ..Stat::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn unix_stat_is_complete_and_sees_a_restored_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"one").unwrap();
        let before = stat(&p).unwrap();
        assert!(before.complete());
        assert_eq!(before.size, 3);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&p, b"two").unwrap();
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(before.mtime_ns as u64);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let after = stat(&p).unwrap();
        assert_eq!((after.size, after.mtime_ns), (before.size, before.mtime_ns));
        assert_ne!(after.ctime_ns, before.ctime_ns, "the change time moved");
        assert_eq!(
            folder_identity(dir.path()).unwrap().1,
            stat(dir.path()).unwrap().ino
        );
    }
}
