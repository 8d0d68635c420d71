//! Names of uploaded files: the part's file name (or zip entry) is the
//! path relative to the evidence folder. Normalised to NFC, `/`-separated,
//! and confined to the upload: `..`, absolute paths, drive letters, NUL
//! and other control characters and reserved Windows names are refused,
//! never "cleaned" into some other path. tlkc's own `.tlkc/` folder (an
//! officer who ran `tlkc check` at home has one in the folder the picker
//! sends) is not evidence: callers skip it ([`is_tool_state`]), so it never
//! reaches the store or the check folder, where it would be the unit's index.

/// The longest relative path accepted, in bytes (UTF-8).
pub const MAX_PATH_BYTES: usize = 1024;

/// Why a name was refused, in Vietnamese (the officer reads it).
pub fn clean(name: &str) -> Result<String, String> {
    let refuse = |why: &str| Err(format!("tên tệp `{}` bị từ chối: {why}", visible(name)));
    if name.is_empty() {
        return refuse("tên trống");
    }
    if name.chars().any(|c| c == '\0' || c.is_control()) {
        return refuse("có ký tự NUL hoặc ký tự điều khiển");
    }
    let nfc = crate::text::nfc(name);
    let unified = nfc.replace('\\', "/");
    if unified.starts_with('/') {
        return refuse(
            "là đường dẫn tuyệt đối; chỉ nhận đường dẫn tương đối trong thư mục tải lên",
        );
    }
    let bytes = unified.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return refuse(
            "có ký tự ổ đĩa (như C:); chỉ nhận đường dẫn tương đối trong thư mục tải lên",
        );
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => continue,
            ".." => return refuse("có `..` (ra ngoài thư mục tải lên)"),
            _ => {}
        }
        if part.contains(':') {
            return refuse("có dấu `:` (không dùng được trong tên tệp trên Windows)");
        }
        if part.ends_with(' ') || part.ends_with('.') {
            return refuse(
                "có phần tên kết thúc bằng dấu cách hoặc dấu chấm (Windows bỏ đi, tên sẽ đổi)",
            );
        }
        if reserved_on_windows(part) {
            return refuse("là tên dành riêng của Windows (CON, PRN, AUX, NUL, COM1…, LPT1…)");
        }
        if part.len() > 255 {
            return refuse("có phần tên dài quá 255 byte");
        }
        parts.push(part);
    }
    if parts.is_empty() {
        return refuse("tên trống");
    }
    // The check lays the upload out under the server's data folder; a
    // path near the system's limit (4096 bytes) would be accepted and then
    // fail there. No folder copied from Windows comes close.
    if parts.iter().map(|p| p.len() + 1).sum::<usize>() > MAX_PATH_BYTES {
        return refuse("đường dẫn dài quá 1024 byte; rút ngắn tên thư mục hoặc tên tệp");
    }
    Ok(parts.join("/"))
}

/// A cleaned name inside tlkc's own `.tlkc/` folder (any case, as Windows
/// and macOS disks fold it): tlkc's state, skipped, never stored.
pub fn is_tool_state(clean: &str) -> bool {
    let top = clean.split('/').next().unwrap_or(clean);
    top.eq_ignore_ascii_case(crate::discover::STATE_DIR)
}

/// The names of one upload, checked as they arrive against each other the
/// way the officer's Windows disk and the check's folder see them: two
/// names differing only in case ("A.pdf", "a.pdf") are one file on
/// Windows, and a name cannot be a file and a folder at once ("x" and
/// "x/y"; the check's folder could not be laid out). Names are cleaned
/// ([`clean`], NFC) before they come here.
#[derive(Default)]
pub struct Layout {
    files: std::collections::HashSet<String>,
    dirs: std::collections::HashSet<String>,
}

impl Layout {
    pub fn claim(&mut self, name: &str) -> Result<(), String> {
        let key = name.to_lowercase();
        if self.files.contains(&key) {
            return Err(format!(
                "Tệp `{name}` được gửi hai lần (tên chỉ khác chữ hoa, chữ thường cũng là một tệp trên Windows)."
            ));
        }
        if self.dirs.contains(&key) {
            return Err(format!(
                "`{name}` vừa là thư mục vừa là tệp trong lần tải lên; đổi tên một trong hai."
            ));
        }
        let parts: Vec<&str> = key.split('/').collect();
        let folders: Vec<String> = (1..parts.len()).map(|i| parts[..i].join("/")).collect();
        if let Some(clash) = folders.iter().find(|f| self.files.contains(*f)) {
            return Err(format!(
                "`{name}` nằm trong `{clash}`, nhưng `{clash}` đã được gửi là một tệp; đổi tên một trong hai."
            ));
        }
        self.dirs.extend(folders);
        self.files.insert(key);
        Ok(())
    }
}

/// CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with an extension, any case,
/// and the superscript digits Windows also reserves).
fn reserved_on_windows(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part).trim_end();
    let upper = stem.to_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let head: String = chars.by_ref().take(3).collect();
    let rest: String = chars.collect();
    (head == "COM" || head == "LPT")
        && rest.chars().count() == 1
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
}

/// A refused name shown without its control characters.
fn visible(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '�' } else { c })
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_relative_paths_in_nfc() {
        let nfd = "1.2.1 Ba\u{301}o ca\u{301}o/BC.pdf";
        assert_eq!(clean(nfd).unwrap(), "1.2.1 Báo cáo/BC.pdf");
        assert_eq!(clean("a\\b\\c.pdf").unwrap(), "a/b/c.pdf");
        assert_eq!(clean("./a//b.pdf").unwrap(), "a/b.pdf");
    }

    #[test]
    fn refuses_escapes_and_windows_traps() {
        for bad in [
            "../x.pdf",
            "a/../../x.pdf",
            "..\\x.pdf",
            "/etc/passwd",
            "\\\\server\\share\\x.pdf",
            "C:\\x.pdf",
            "c:x.pdf",
            "a\0b.pdf",
            "a/CON",
            "nul.txt",
            "Com1.pdf",
            "LPT9",
            "a/b./c.pdf",
            "a/b /c.pdf",
            "x.pdf:stream",
            &"thư mục/".repeat(120),
            "",
            "./",
        ] {
            let e = clean(bad).expect_err(bad);
            assert!(e.contains("bị từ chối"), "{e}");
        }
        for state in [".tlkc/tlkc.db", ".TLKC/x", "./.tlkc/a"] {
            let name = clean(state).expect(state);
            assert!(is_tool_state(&name), "{state} is tlkc's own folder");
        }
        assert!(
            !is_tool_state("a/.tlkc/x.pdf"),
            "only the folder's own .tlkc"
        );
        assert!(!is_tool_state(".tlkc-notes.pdf"));
        assert!(clean("console.pdf").is_ok());
        assert!(clean("COM10.pdf").is_ok());
    }

    #[test]
    fn layout_refuses_case_twins_and_file_folder_clashes() {
        let mut l = Layout::default();
        l.claim("a/B.pdf").unwrap();
        l.claim("a/c.pdf").unwrap();
        assert!(l.claim("A/b.PDF").is_err());
        assert!(l.claim("a/c.pdf/x").is_err());
        assert!(l.claim("A").is_err());
        l.claim("x").unwrap();
        assert!(l.claim("x/y").is_err());
        l.claim("Đ/1.pdf").unwrap();
        assert!(l.claim("đ/1.pdf").is_err());
    }
}
