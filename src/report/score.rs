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
    if !s.pending.is_empty() {
        let total: f64 = s.pending.iter().map(|(_, p)| p).sum();
        let ids: Vec<&str> = s.pending.iter().map(|(id, _)| id.as_str()).collect();
        line.push_str(&match lang {
            Lang::Vi => format!(
                "; {} điểm chưa đến hạn chưa được tính ({})",
                points(total, lang),
                ids.join(", ")
            ),
            Lang::En => format!(
                "; {} points not yet due not counted ({})",
                points(total, lang),
                ids.join(", ")
            ),
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

/// "sửa 1 tệp", "bổ sung 3 văn bản", "bổ sung 1 văn bản, sửa 2 tệp".
fn work(f: &crate::checks::score::Fix, lang: Lang) -> String {
    let mut parts = Vec::new();
    match lang {
        Lang::Vi => {
            if f.documents > 0 {
                parts.push(format!("bổ sung {} văn bản", f.documents));
            }
            if f.files > 0 {
                parts.push(format!("sửa {} tệp", f.files));
            }
        }
        Lang::En => {
            if f.documents > 0 {
                parts.push(format!("add {} document(s)", f.documents));
            }
            if f.files > 0 {
                parts.push(format!("fix {} file(s)", f.files));
            }
        }
    }
    parts.join(", ")
}

/// "1.4 Sáng kiến hoặc giải pháp mới…" (the title, shortened).
fn titled(report: &Report, id: &str) -> String {
    match report.rules.find(id) {
        Some(s) => {
            let t: String = s.title.chars().take(70).collect();
            let more = if s.title.chars().count() > 70 {
                "…"
            } else {
                ""
            };
            format!("{id} {t}{more}")
        }
        None => id.to_string(),
    }
}

/// The what-if headline ("Sửa 3 tệp, bổ sung 2 văn bản để lấy lại 5,5 điểm")
/// and one line per unit, most points first. Only what can still be fixed:
/// late documents and task replies are in [`to_explain`]. Empty when
/// nothing can be won back.
pub fn what_if(report: &Report, lang: Lang) -> (Option<String>, Vec<String>) {
    let fixes = &report.score.fixes;
    if fixes.is_empty() {
        return (None, Vec::new());
    }
    let top = &fixes[..fixes.len().min(HEADLINE_FIXES)];
    let total = crate::checks::score::Fix {
        criterion: String::new(),
        findings: 0,
        files: top.iter().map(|f| f.files).sum(),
        documents: top.iter().map(|f| f.documents).sum(),
        points: top.iter().map(|f| f.points).sum(),
    };
    let ids: Vec<&str> = top.iter().map(|f| f.criterion.as_str()).collect();
    let head = match lang {
        Lang::Vi => format!(
            "Có thể lấy lại {} điểm: {} ({}).",
            points(total.points, lang),
            work(&total, lang),
            ids.join(", ")
        ),
        Lang::En => format!(
            "{} points can be won back: {} ({}).",
            points(total.points, lang),
            work(&total, lang),
            ids.join(", ")
        ),
    };
    let lines = fixes
        .iter()
        .map(|f| {
            format!(
                "{}: {} → +{} {}",
                titled(report, &f.criterion),
                work(f, lang),
                points(f.points, lang),
                if lang == Lang::Vi {
                    "điểm"
                } else {
                    "points"
                }
            )
        })
        .collect();
    (Some(head), lines)
}

/// Late documents and late task replies: they cannot be fixed, only
/// explained (giải trình). The heading and one line per unit.
pub fn to_explain(report: &Report, lang: Lang) -> (Option<String>, Vec<String>) {
    let mut by_unit: Vec<(String, usize, f64)> = Vec::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.is_active() && f.severity == crate::findings::Severity::Error)
        .filter(|f| !crate::checks::registry::diag(f.code).handling.fixable)
    {
        let id = f.criterion.clone().unwrap_or_default();
        match by_unit.iter_mut().find(|(u, _, _)| *u == id) {
            Some(e) => {
                e.1 += 1;
                e.2 += f.points.unwrap_or(0.0);
            }
            None => by_unit.push((id, 1, f.points.unwrap_or(0.0))),
        }
    }
    if by_unit.is_empty() {
        return (None, Vec::new());
    }
    let head = match lang {
        Lang::Vi => "Cần giải trình (văn bản, nhiệm vụ đã trễ hạn: không sửa được; dự thảo giải trình: thêm --explanations):".to_string(),
        Lang::En => "Needs an explanation (documents and task replies already late cannot be fixed; drafts: add --explanations):".to_string(),
    };
    let lines = by_unit
        .into_iter()
        .map(|(id, n, p)| {
            // Several late documents of one requirement cost its points once.
            let risk = report
                .outcomes
                .iter()
                .find(|o| o.id == id)
                .map_or(p, |o| p.min(o.points_at_risk));
            let p = risk;
            let unit = titled(report, &id);
            match lang {
                Lang::Vi => format!("{unit}: {n} văn bản trễ hạn, {} điểm", points(p, lang)),
                Lang::En => format!("{unit}: {n} late, {} points", points(p, lang)),
            }
        })
        .collect();
    (Some(head), lines)
}
