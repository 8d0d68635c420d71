//! The self-scoring estimate in words, shared by the human, HTML and
//! Markdown reports: the score cell of a unit, the total line and the
//! what-if list (fixes that win back most points first).

use super::points;
use crate::findings::Lang;
use crate::run::Report;

/// How many fixes the what-if headline adds up.
pub const HEADLINE_FIXES: usize = 3;

/// "0,25/0,5", "−0,5" for a deduction, "—" when not estimated.
pub fn cell(report: &Report, id: &str, max: f64, lang: Lang) -> String {
    match report.score.of(id) {
        Some(e) => match e.points {
            Some(p) if e.deduction => {
                if p < 0.0 {
                    format!("−{}", points(-p, lang))
                } else {
                    "0".into()
                }
            }
            Some(p) => format!("{}/{}", points(p, lang), points(max, lang)),
            None => "—".into(),
        },
        None => "—".into(),
    }
}

/// The basis sentence of a unit's estimate.
pub fn basis<'a>(report: &'a Report, id: &str, lang: Lang) -> &'a str {
    report.score.of(id).map_or("", |e| e.basis.get(lang))
}

/// "Điểm tự chấm ước tính: 9,73/37; chưa ước tính: 3.4.1, 5.6."
pub fn total_line(report: &Report, lang: Lang) -> String {
    let s = &report.score;
    let mut line = match lang {
        Lang::Vi => format!(
            "Điểm tự chấm ước tính: {}/{}",
            points(s.estimated, lang),
            points(s.max, lang)
        ),
        Lang::En => format!(
            "Estimated self-score: {}/{}",
            points(s.estimated, lang),
            points(s.max, lang)
        ),
    };
    if let Some(g) = &s.grade {
        line.push_str(&match lang {
            Lang::Vi => format!(", xếp loại {g}"),
            Lang::En => format!(", grade {g}"),
        });
    }
    if !s.not_estimated.is_empty() {
        line.push_str(&match lang {
            Lang::Vi => format!(
                "; chưa ước tính (thiếu số liệu, điểm tự chấm hoặc sổ nhiệm vụ): {}",
                s.not_estimated.join(", ")
            ),
            Lang::En => format!(
                "; not estimated (no metric, manual score or task register): {}",
                s.not_estimated.join(", ")
            ),
        });
    }
    line.push('.');
    line
}

/// The what-if headline ("Sửa 3 lỗi này để lấy lại 5,5 điểm") and one line
/// per unit, most points first. Empty when nothing can be won back.
pub fn what_if(report: &Report, lang: Lang) -> (Option<String>, Vec<String>) {
    let fixes = &report.score.fixes;
    if fixes.is_empty() {
        return (None, Vec::new());
    }
    let top = &fixes[..fixes.len().min(HEADLINE_FIXES)];
    let n: usize = top.iter().map(|f| f.findings).sum();
    let gain: f64 = top.iter().map(|f| f.points).sum();
    let ids: Vec<&str> = top.iter().map(|f| f.criterion.as_str()).collect();
    let head = match lang {
        Lang::Vi => format!(
            "Sửa {n} lỗi này để lấy lại {} điểm ({}).",
            points(gain, lang),
            ids.join(", ")
        ),
        Lang::En => format!(
            "Fix these {n} errors to win back {} points ({}).",
            points(gain, lang),
            ids.join(", ")
        ),
    };
    let lines = fixes
        .iter()
        .map(|f| match lang {
            Lang::Vi => format!(
                "{}: sửa {} lỗi → +{} điểm",
                f.criterion,
                f.findings,
                points(f.points, lang)
            ),
            Lang::En => format!(
                "{}: fix {} error(s) → +{} points",
                f.criterion,
                f.findings,
                points(f.points, lang)
            ),
        })
        .collect();
    (Some(head), lines)
}
