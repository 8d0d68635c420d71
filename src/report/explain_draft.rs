//! Giải trình drafts (`tlkc check --explanations`): for every error-level
//! finding, a Vietnamese paragraph the office can adapt for the explanation
//! box of the scoring software. Drafts restate only facts tlkc holds (the
//! finding's structured facts and message); anything only the office knows
//! is left as a marked blank "[…: …]" so it cannot be pasted unfilled by
//! accident.

use std::io::{self, Write};

use serde::Serialize;

use super::points;
use crate::checks::registry;
use crate::findings::{DraftKind, Finding, Lang, Severity};
use crate::run::Report;

/// One draft. The text is Vietnamese whatever `--lang` says: it is meant for
/// the Vietnamese scoring software.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub code: &'static str,
    pub criterion: Option<String>,
    pub path: Option<String>,
    pub text: String,
}

pub const BLANK_REASON: &str = "[lý do: …]";

/// Drafts for every active (not waived) error finding, in report order.
pub fn drafts(report: &Report) -> Vec<Draft> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.is_active())
        .map(|f| Draft {
            code: f.code.as_str(),
            criterion: f.criterion.clone(),
            path: f.path.clone(),
            text: paragraph(report, f),
        })
        .collect()
}

fn paragraph(report: &Report, f: &Finding) -> String {
    let fact = |k: &str| f.facts.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let file = f.path.as_deref().map(crate::text::file_name);
    let mut text = String::new();
    if let Some(s) = f.criterion.as_deref().and_then(|c| report.rules.find(c)) {
        text.push_str(&format!(
            "Tiêu chí thành phần {} \"{}\" (điểm tối đa {}",
            s.id,
            s.title,
            points(s.max_points, Lang::Vi)
        ));
        if let Some(p) = f.points {
            text.push_str(&format!("; điểm có nguy cơ bị trừ {}", points(p, Lang::Vi)));
        }
        text.push_str("): ");
    }
    let document = match (fact("number"), file) {
        (Some(n), Some(name)) => format!("văn bản số {n} (tệp {name})"),
        (Some(n), None) => format!("văn bản số {n}"),
        (None, Some(name)) => format!("văn bản tại tệp {name}"),
        (None, None) => "văn bản".to_string(),
    };
    let body = match registry::diag(f.code).handling.draft {
        DraftKind::IssuedLate => {
            let mut s = format!(
                "{}{document}",
                fact("requirement")
                    .map(|r| format!("{r}, "))
                    .unwrap_or_default()
            );
            if let (Some(how), Some(date)) = (fact("date_source"), fact("date")) {
                s.push_str(&format!(" {how} {date}"));
            }
            if let Some(due) = fact("deadline") {
                match fact("days_late") {
                    Some(days) => s.push_str(&format!(", chậm {days} ngày so với hạn {due}")),
                    None => s.push_str(&format!(", sau hạn {due}")),
                }
                if let Some(b) = fact("deadline_basis") {
                    s.push_str(&format!(" (hạn theo: {b})"));
                }
            }
            format!(
                "{s}. Nguyên nhân chậm ban hành: {BLANK_REASON}. Biện pháp đơn vị đã thực hiện để bảo đảm thời hạn các kỳ sau: [biện pháp: …]."
            )
        }
        DraftKind::Missing => format!(
            "hồ sơ tài liệu kiểm chứng chưa có {}. Lý do: {BLANK_REASON}. Nếu văn bản đã được ban hành, ghi rõ số, ký hiệu, ngày ban hành và đính kèm: [số, ngày văn bản: …].",
            fact("requirement").unwrap_or("văn bản theo yêu cầu")
        ),
        DraftKind::Incomplete => format!(
            "hồ sơ mới có một phần {}; còn thiếu: {}. Lý do: {BLANK_REASON}. Văn bản bổ sung (nếu có): [số, ngày văn bản: …].",
            fact("requirement").unwrap_or("văn bản theo yêu cầu"),
            fact("missing").unwrap_or("[phần còn thiếu: …]")
        ),
        DraftKind::Unsigned => {
            let date = fact("date")
                .map(|d| format!(", ngày {d}"))
                .unwrap_or_default();
            format!(
                "{}{document}{date} chưa có chữ ký số theo Điều 5 Nghị định số 30/2020/NĐ-CP. Lý do: {BLANK_REASON}. Bản điện tử có chữ ký số bổ sung (nếu có): [số, ngày văn bản: …].",
                fact("requirement")
                    .map(|r| format!("{r}, "))
                    .unwrap_or_default()
            )
        }
        DraftKind::Message => format!(
            "tlkc ghi nhận: {} Lý do: {BLANK_REASON}. Tài liệu, căn cứ kèm theo (nếu có): [tài liệu: …].",
            f.message.vi.trim()
        ),
    };
    text.push_str(&body);
    text
}

pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Dự thảo giải trình (chỉnh sửa, điền phần trong [ ] trước khi dùng)",
        Lang::En => {
            "Giải trình drafts (explanations, in Vietnamese: edit and fill every [ ] before use)"
        }
    }
}

/// The section appended to the terminal report.
pub fn human(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let drafts = drafts(report);
    writeln!(out)?;
    writeln!(out, "{}", heading(lang))?;
    if drafts.is_empty() {
        let none = match lang {
            Lang::Vi => "  Không có lỗi cần giải trình.",
            Lang::En => "  No error needs an explanation.",
        };
        return writeln!(out, "{none}");
    }
    for (i, d) in drafts.iter().enumerate() {
        writeln!(out, "  {}. [{}] {}", i + 1, d.code, d.text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_state_facts_and_leave_blanks() {
        let r = crate::report::fixture::report();
        let d = drafts(&r);
        assert_eq!(d.len(), r.summary().errors);
        let late = d
            .iter()
            .find(|d| d.code == "DUE001" && d.text.contains("45/"))
            .unwrap();
        assert!(late.text.contains("văn bản số 45/BC-UBND"), "{}", late.text);
        assert!(
            late.text.contains("chậm 6 ngày so với hạn 14/3/2022"),
            "{}",
            late.text
        );
        assert!(late.text.contains(BLANK_REASON));
        let missing = d.iter().find(|d| d.code == "EVD001").unwrap();
        assert!(missing.text.contains("Thông báo kết luận kiểm tra"));
    }
}
