//! Folder-level findings, independent of any requirement: unfiled files
//! (EVD003), identical content under two names (EVD004), unresolved
//! tlkc.toml assignments (EVD007), symlinks and unreadable entries (EVD008, PDF001).

pub(crate) mod diags;

use std::collections::BTreeMap;

use crate::discover::leading_code;
use crate::discover::{Discovery, SkipReason};
use crate::facts::KeptFacts;
use crate::findings::{Finding, Msg};
use crate::rules::Ruleset;

/// The folder check: filing, duplicates, assignments, skipped entries.
pub struct Folder;

impl super::family::Check for Folder {
    fn family(&self) -> &'static super::family::Family {
        &diags::FAMILY
    }
    fn folder(&self, input: &super::family::Input) -> Vec<Finding> {
        let mut out = Vec::new();
        folder_checks(input.discovery, input.files, input.ctx.rules, &mut out);
        out
    }
}

/// Folder-level findings: unfiled files (EVD003), identical content under
/// two names (EVD004), unresolved tlkc.toml assignments (EVD007), symlinks
/// and unreadable entries (EVD008, PDF001).
pub fn folder_checks(d: &Discovery, facts: &[KeptFacts], rules: &Ruleset, out: &mut Vec<Finding>) {
    let ids = rules.all_ids();
    // folder → (its code, files in it)
    let mut unknown: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in d.files.iter().filter(|e| e.criteria.is_empty()) {
        if let Some((folder, code)) = unknown_code(&e.rel, &ids) {
            unknown.entry(folder).or_insert((code, 0)).1 += 1;
            continue;
        }
        out.push(
            Finding::new(
                &diags::EVD003,
                Msg::new(
                    format!("{} không thuộc tiêu chí nào: đặt vào thư mục mang mã tiêu chí (ví dụ \"1.3.1 Kế hoạch kiểm tra\") hoặc khai báo [[assign]] trong tlkc.toml.", e.rel),
                    format!("{} is filed under no sub-criterion: put it in a folder named after the code (e.g. \"1.3.1 Kế hoạch kiểm tra\") or add an [[assign]] in tlkc.toml.", e.rel),
                ),
            )
            .path(&e.rel),
        );
    }
    for (folder, (code, n)) in &unknown {
        out.push(
            Finding::new(
                &diags::EVD009,
                Msg::new(
                    format!("{folder}: mã {code} không có trong bộ tiêu chí {}: {n} tệp trong thư mục chỉ được kiểm tra như văn bản (PDF, số ký hiệu, ngày, chữ ký số), không đối chiếu yêu cầu TLKC và không tính điểm.", rules.framework.id),
                    format!("{folder}: code {code} is not in ruleset {}: its {n} file(s) get document checks only (PDF, number, date, signatures), no evidence requirement and no points.", rules.framework.id),
                ),
            )
            .path(folder)
            .fact("code", code)
            .fact("files", n.to_string()),
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
                    &diags::EVD004,
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
            &diags::EVD007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] path = \"{path}\" không khớp tệp nào trong thư mục."),
                format!("tlkc.toml line {line}: [[assign]] path = \"{path}\" matches no file in the folder."),
            ),
        ));
    }
    for (path, id, line) in &d.unknown_criteria {
        out.push(Finding::new(
            &diags::EVD007,
            Msg::new(
                format!("tlkc.toml dòng {line}: [[assign]] cho \"{path}\" ghi tiêu chí \"{id}\" không có trong bộ tiêu chí."),
                format!("tlkc.toml line {line}: [[assign]] for \"{path}\" names \"{id}\", which the ruleset does not have."),
            ),
        ));
    }
    for sk in &d.skipped {
        let f = match &sk.reason {
            SkipReason::Symlink => Finding::new(
                &diags::EVD008,
                Msg::new(
                    format!("{} là liên kết tượng trưng (symlink): tlkc không đi theo liên kết; đặt tệp thật vào thư mục.", sk.rel),
                    format!("{} is a symbolic link: tlkc does not follow links; put the real file in the folder.", sk.rel),
                ),
            ),
            SkipReason::Unreadable(why) => Finding::new(
                &super::pdf::diags::PDF001,
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

/// The deepest folder (or file) on `rel` named with a code the ruleset
/// does not know: (its path, the code). None when some component carries a
/// known id (then the file is misfiled, EVD003) or none carries a code.
fn unknown_code(rel: &str, ids: &[&str]) -> Option<(String, String)> {
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, name) in parts.iter().enumerate().rev() {
        let Some(code) = leading_code(name) else {
            continue;
        };
        if ids.iter().any(|id| id.eq_ignore_ascii_case(&code)) {
            return None;
        }
        return plausible(&code).then(|| (parts[..=i].join("/"), code));
    }
    None
}

/// A criteria code, not a year or a document number: "5", "5.1.1", "DT.2".
fn plausible(code: &str) -> bool {
    let code = code.strip_prefix("DT.").unwrap_or(code);
    let parts: Vec<&str> = code.split('.').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
        && (parts.len() > 1 || parts[0].parse::<u32>().is_ok_and(|n| (1..=20).contains(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["1", "1.3", "1.3.1"];

    #[test]
    fn unknown_codes_name_their_folder() {
        assert_eq!(
            unknown_code("5.1.1 Kế hoạch/kh.pdf", IDS),
            Some(("5.1.1 Kế hoạch".into(), "5.1.1".into()))
        );
        assert_eq!(
            unknown_code("1.3 Kiểm tra/9.9 Khác/x.pdf", IDS),
            Some(("1.3 Kiểm tra/9.9 Khác".into(), "9.9".into()))
        );
        // A known code: misfiled, not unknown (EVD003 applies).
        assert_eq!(unknown_code("1.3 Kiểm tra/x.pdf", IDS), None);
        // Years and bare names are not criteria codes.
        assert_eq!(unknown_code("2022 Báo cáo/x.pdf", IDS), None);
        assert_eq!(unknown_code("Khác/x.pdf", IDS), None);
    }
}
