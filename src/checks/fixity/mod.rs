//! FIX001–FIX003: does the folder still hold exactly what was last submitted,
//! and could the index vouch for it?
//! Pure: the app reads the last submission from the ledger and passes it in.

pub(crate) mod diags;

use std::collections::BTreeMap;

use crate::facts::KeptFacts;
use crate::findings::{Finding, Msg};

use crate::facts::LastSubmission;

pub fn check(last: &LastSubmission, files: &[KeptFacts], out: &mut Vec<Finding>) {
    let now: BTreeMap<&str, &KeptFacts> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let n = last.number;
    for s in &last.files {
        let name = crate::text::file_name(&s.path);
        match now.get(s.path.as_str()) {
            None => out.push(
                Finding::new(
                    &diags::FIX002,
                    Msg::new(
                        format!("Tệp {} đã nộp ở lần nộp số {n} nhưng không còn trong thư mục: khôi phục tệp, hoặc nộp lại (tlkc submit) nếu đã thay thế có chủ ý.", s.path),
                        format!("{} was part of submission {n} but is no longer in the folder: restore it, or submit again (tlkc submit) if it was replaced on purpose.", s.path),
                    ),
                )
                .path(&s.path),
            ),
            Some(f) if f.sha256.is_empty() => out.push(
                Finding::new(
                    &diags::FIX001,
                    Msg::new(
                        format!("Không đọc được tệp {name} để so với bản đã nộp ở lần nộp số {n}."),
                        format!("{name} cannot be read to compare it with submission {n}."),
                    ),
                )
                .path(&s.path),
            ),
            Some(f) if f.sha256 != s.sha256 => out.push(
                Finding::new(
                    &diags::FIX001,
                    Msg::new(
                        format!("Tệp {name} đã thay đổi sau lần nộp số {n}: bản trong thư mục không còn giống bản đã tải lên. Khôi phục bản đã nộp, hoặc nộp lại (tlkc submit)."),
                        format!("{name} changed after submission {n}: the folder no longer holds what was uploaded. Restore the submitted version, or submit again (tlkc submit)."),
                    ),
                )
                .path(&s.path),
            ),
            Some(_) => {}
        }
    }
}

/// FIX003: the index was written elsewhere, so this run trusted none of it.
pub fn foreign_index() -> Finding {
    Finding::new(
        &diags::FIX003,
        Msg::new(
            "Chỉ mục .tlkc/ được ghi cho thư mục khác hoặc trên máy khác: đã đọc và kiểm tra lại mọi tệp, không dùng mã băm hay kết quả lưu trong đó; các lần nộp ghi trong đó là của nơi khác nên không được so với thư mục này.",
            "The .tlkc/ index was written for another folder or on another machine: every file was read and inspected again; none of its stored hashes or facts were used, and the submissions recorded in it, made elsewhere, are not compared with this folder.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::SubmittedFile;
    use crate::findings::Code;

    fn facts(path: &str, sha: &str) -> KeptFacts {
        KeptFacts::of(&crate::facts::FileFacts {
            sha256: sha.into(),
            size: 1,
            ..crate::facts::FileFacts::other(path)
        })
    }

    #[test]
    fn names_changed_and_missing_files_with_the_submission() {
        let last = LastSubmission {
            number: 3,
            files: ["a", "b", "c"]
                .iter()
                .map(|p| SubmittedFile {
                    path: (*p).into(),
                    sha256: format!("h{p}"),
                    size: 1,
                    criteria: vec![],
                })
                .collect(),
        };
        let now = vec![facts("a", "ha"), facts("b", "other"), facts("new", "hn")];
        let mut out = Vec::new();
        check(&last, &now, &mut out);
        let got: Vec<(Code, &str)> = out
            .iter()
            .map(|f| (f.code, f.path.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(got, vec![(Code::Fix001, "b"), (Code::Fix002, "c")]);
        assert!(out.iter().all(|f| f.message.en.contains("submission 3")));
    }
}
