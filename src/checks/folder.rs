//! Folder-level findings, independent of any requirement: unfiled files
//! (EVD003), identical content under two names (EVD004), unresolved
//! tlkc.toml assignments (EVD007), symlinks and unreadable entries (EVD008, PDF001).

use std::collections::BTreeMap;

use crate::discover::{Discovery, SkipReason};
use crate::facts::FileFacts;
use crate::findings::{Code, Finding, Msg};

/// Folder-level findings: unfiled files (EVD003), identical content under
/// two names (EVD004), unresolved tlkc.toml assignments (EVD007), symlinks
/// and unreadable entries (EVD008, PDF001).
pub fn folder_checks(d: &Discovery, facts: &[FileFacts], out: &mut Vec<Finding>) {
    for e in d.files.iter().filter(|e| e.criteria.is_empty()) {
        out.push(
            Finding::new(
                Code::Evd003,
                Msg::new(
                    format!("{} không thuộc tiêu chí nào: đặt vào thư mục mang mã tiêu chí (ví dụ \"1.3.1 Kế hoạch kiểm tra\") hoặc khai báo [[assign]] trong tlkc.toml.", e.rel),
                    format!("{} is filed under no sub-criterion: put it in a folder named after the code (e.g. \"1.3.1 Kế hoạch kiểm tra\") or add an [[assign]] in tlkc.toml.", e.rel),
                ),
            )
            .path(&e.rel),
        );
    }
    let mut by_hash: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in facts {
        by_hash
            .entry(f.sha256.as_str())
            .or_default()
            .push(f.path.as_str());
    }
    for paths in by_hash.values().filter(|p| p.len() > 1) {
        for p in paths {
            out.push(
                Finding::new(
                    Code::Evd004,
                    Msg::new(
                        format!("Cùng một nội dung (SHA-256 trùng) được nộp {} lần: {}. Nếu một văn bản dùng cho nhiều tiêu chí, khai báo [[assign]] trong tlkc.toml thay vì sao chép.", paths.len(), paths.join(", ")),
                        format!("The same content (identical SHA-256) is filed {} times: {}. To use one document for several criteria, declare an [[assign]] in tlkc.toml instead of copying.", paths.len(), paths.join(", ")),
                    ),
                )
                .path(*p),
            );
        }
    }
    for (path, line) in &d.unmatched_assignments {
        out.push(Finding::new(
            Code::Evd007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] path = \"{path}\" không khớp tệp nào trong thư mục."),
                format!("tlkc.toml line {line}: [[assign]] path = \"{path}\" matches no file in the folder."),
            ),
        ));
    }
    for (path, id, line) in &d.unknown_criteria {
        out.push(Finding::new(
            Code::Evd007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] cho \"{path}\" ghi tiêu chí \"{id}\" không có trong bộ tiêu chí."),
                format!("tlkc.toml line {line}: [[assign]] for \"{path}\" names \"{id}\", which the ruleset does not have."),
            ),
        ));
    }
    for sk in &d.skipped {
        let f = match &sk.reason {
            SkipReason::Symlink => Finding::new(
                Code::Evd008,
                Msg::new(
                    format!("{} là liên kết tượng trưng (symlink): tlkc không đi theo liên kết; đặt tệp thật vào thư mục.", sk.rel),
                    format!("{} is a symbolic link: tlkc does not follow links; put the real file in the folder.", sk.rel),
                ),
            ),
            SkipReason::Unreadable(why) => Finding::new(
                Code::Pdf001,
                Msg::new(
                    format!("Không đọc được {} ({why}).", sk.rel),
                    format!("{} cannot be read ({why}).", sk.rel),
                ),
            ),
        };
        out.push(if sk.rel.is_empty() {
            f
        } else {
            f.path(&sk.rel)
        });
    }
}
