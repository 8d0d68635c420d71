//! Evidence requirements drafted from a unit's TLKC and scoring-guide text.
//! Only plain wording is read (document types, periods, "trước ngày 05/12",
//! "chậm nhất ngày 14 của tháng cuối kỳ", "chữ ký số"); everything drafted is
//! marked inferred with the sentence it came from, for a person to confirm.

use std::sync::OnceLock;

use regex::Regex;

use crate::rules::period::Period;
use crate::text::fold;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// Scored from system data: the sentence that says so.
    pub system: Option<String>,
    pub reqs: Vec<DraftReq>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftReq {
    pub id: String,
    pub title: String,
    /// Decree 30 abbreviations ("CV" = công văn); empty = any type.
    pub types: Vec<&'static str>,
    pub title_patterns: Vec<String>,
    pub periods: Vec<Period>,
    pub deadline: Option<DraftDeadline>,
    pub signature: bool,
    /// The sentence it was drafted from.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DraftDeadline {
    /// Last allowed day; `year_offset` is relative to the evaluated year
    /// ("năm trước" = -1), `None` year = as written.
    Fixed {
        day: u32,
        month: u32,
        year: Option<i32>,
        year_offset: i32,
    },
    /// Day of each period's last month (inclusive).
    PeriodDay(u32),
}

/// Folded word → (abbreviation, slug). Order matters: longer names first.
const TYPES: &[(&str, &str, &str)] = &[
    ("thong bao ket luan", "TB", "thong-bao-ket-luan"),
    ("ke hoach", "KH", "ke-hoach"),
    ("bao cao", "BC", "bao-cao"),
    ("quyet dinh", "QĐ", "quyet-dinh"),
    ("thong bao", "TB", "thong-bao"),
    ("to trinh", "TTr", "to-trinh"),
    ("cong van", "CV", "cong-van"),
    ("chuong trinh", "CTr", "chuong-trinh"),
    ("huong dan", "HD", "huong-dan"),
    ("bien ban", "BB", "bien-ban"),
    ("phuong an", "PA", "phuong-an"),
    ("de an", "ĐA", "de-an"),
    ("chi thi", "CT", "chi-thi"),
    ("nghi quyet", "NQ", "nghi-quyet"),
    ("quy che", "QC", "quy-che"),
    ("giay moi", "GM", "giay-moi"),
    ("ket luan", "", "ket-luan"),
];

/// Words saying the unit is scored from system data, not documents.
const SYSTEM_STRONG: &[&str] = &[
    "dieu tra xa hoi hoc",
    "so lieu tren he thong",
    "trich xuat",
    "theo so lieu",
    "can cu so lieu",
];
const SYSTEM_WEAK: &[&str] = &["so lieu", "he thong"];

pub fn draft(evidence: &str, guide: &str) -> Draft {
    let text = if evidence.trim().is_empty() {
        guide
    } else {
        evidence
    };
    let sentences = sentences_of(text);
    let mut d = Draft::default();
    let signed_everywhere = sentences
        .iter()
        .any(|s| signs(&fold(s)) && mentions(&fold(s)).is_empty());
    // "Ban hành trước ngày 05/12: 1 điểm" names no document: its deadline is the unit's.
    // The guide often carries it even when the TLKC column names the document.
    let mut orphan: Option<(DraftDeadline, String)> = None;
    for s in sentences.iter().chain(&sentences_of(guide)) {
        let folded = fold(s);
        if orphan.is_none() && mentions(&folded).is_empty() {
            orphan = deadline(&folded).map(|dl| (dl, s.clone()));
        }
    }
    for s in &sentences {
        for mut r in requirements(s) {
            r.signature |= signed_everywhere;
            let n = d.reqs.iter().filter(|x| x.id.starts_with(&r.id)).count();
            if n > 0 {
                r.id = format!("{}-{}", r.id, n + 1);
            }
            d.reqs.push(r);
        }
    }
    if let (Some((dl, s)), [only]) = (orphan, d.reqs.as_mut_slice()) {
        if only.deadline.is_none() && !matches!(dl, DraftDeadline::PeriodDay(_)) {
            only.deadline = Some(dl);
            only.source = format!("{}; {s}", only.source);
        }
    }
    let all = fold(&format!("{evidence} {guide}"));
    let strong = SYSTEM_STRONG.iter().any(|w| all.contains(w));
    let weak = SYSTEM_WEAK.iter().any(|w| all.contains(w));
    if strong || (weak && d.reqs.is_empty()) {
        let words: Vec<&str> = SYSTEM_STRONG.iter().chain(SYSTEM_WEAK).copied().collect();
        let source = sentences
            .iter()
            .find(|s| words.iter().any(|w| fold(s).contains(w)))
            .or_else(|| sentences.first())
            .cloned()
            .unwrap_or_else(|| text.trim().to_string());
        d.system = Some(if source.is_empty() {
            guide.trim().to_string()
        } else {
            source
        });
        d.reqs.clear();
        return d;
    }
    if d.reqs.is_empty() {
        d.reqs.push(DraftReq {
            id: "tai-lieu".into(),
            title: "Tài liệu kiểm chứng (ít nhất một văn bản)".into(),
            types: Vec::new(),
            title_patterns: Vec::new(),
            periods: Vec::new(),
            deadline: None,
            signature: signed_everywhere,
            source: if text.trim().is_empty() {
                "(bảng không ghi tài liệu kiểm chứng)".into()
            } else {
                text.trim().chars().take(300).collect()
            },
        });
    }
    d
}

/// Lines, bullets, ";" and sentence ends.
fn sentences_of(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"[\n;]+|\.\s+").unwrap_or_else(|_| unreachable!("static regex"))
    });
    re.split(text)
        .map(|s| {
            s.trim()
                .trim_start_matches(['-', '+', '•', '*', '–', ' '])
                .trim()
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|s| s.chars().any(char::is_alphabetic))
        .collect()
}

fn signs(folded: &str) -> bool {
    folded.contains("chu ky so") || folded.contains("ky so")
}

/// (byte offset in the folded sentence, index into TYPES) of each type named.
fn mentions(folded: &str) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (i, (word, _, _)) in TYPES.iter().enumerate() {
        let mut from = 0;
        while let Some(pos) = folded[from..].find(word).map(|p| p + from) {
            let end = pos + word.len();
            let boundary = (pos == 0 || !folded[..pos].ends_with(char::is_alphanumeric))
                && !folded[end..].starts_with(char::is_alphanumeric);
            let inside = found
                .iter()
                .any(|(p, j)| pos >= *p && pos < *p + TYPES[*j].0.len());
            if boundary && !inside && !referenced(&folded[..pos]) {
                found.push((pos, i));
            }
            from = end;
        }
    }
    found.sort();
    // "Quyết định ban hành/phê duyệt Kế hoạch …" is one document: the decision.
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (pos, i) in found {
        let issued_by_previous = out.last().is_some_and(|(p, j)| {
            let between = &folded[*p + TYPES[*j].0.len()..pos];
            TYPES[*j].1 == "QĐ"
                && (between.contains("ban hanh") || between.contains("phe duyet"))
                && between.len() < 40
        });
        if !issued_by_previous {
            out.push((pos, i));
        }
    }
    out
}

/// "… kết quả thực hiện kế hoạch", "… theo kế hoạch": the type word names
/// what the document is about, not a document to file.
fn referenced(before: &str) -> bool {
    const WORDS: &[&str] = &[
        "hien", "khai", "qua", "theo", "cua", "ve", "tai", "voi", "hanh", "duyet", "thuc",
    ];
    before
        .split_whitespace()
        .last()
        .is_some_and(|w| WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
}

fn requirements(sentence: &str) -> Vec<DraftReq> {
    let folded = fold(sentence);
    let found = mentions(&folded);
    let mut out = Vec::new();
    for (k, (pos, i)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(folded.len(), |(p, _)| *p);
        let phrase = &folded[*pos..end];
        let (_, abbrev, slug) = TYPES[*i];
        let mut periods = periods(phrase);
        let deadline = deadline(phrase);
        if matches!(deadline, Some(DraftDeadline::PeriodDay(_))) && periods.is_empty() {
            periods = vec![Period::Q1, Period::H1, Period::Q3, Period::Y];
        }
        out.push(DraftReq {
            id: slug.to_string(),
            title: title_of(sentence),
            types: if abbrev.is_empty() {
                Vec::new()
            } else {
                vec![abbrev]
            },
            title_patterns: if abbrev.is_empty() {
                vec!["kết luận".to_string()]
            } else {
                Vec::new()
            },
            periods,
            deadline,
            signature: signs(&folded),
            source: sentence.to_string(),
        });
    }
    out
}

fn title_of(sentence: &str) -> String {
    let t: String = sentence.chars().take(160).collect();
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => t,
    }
}

/// "quý, 6 tháng, 9 tháng, năm": periodic reports. One period alone is not a series.
fn periods(phrase: &str) -> Vec<Period> {
    let has = |w: &str| {
        phrase.match_indices(w).any(|(p, _)| {
            (p == 0 || !phrase[..p].ends_with(char::is_alphanumeric))
                && !phrase[p + w.len()..].starts_with(char::is_alphanumeric)
        })
    };
    if has("dinh ky") && !has("6 thang") && !has("9 thang") || has("quy") || has("hang quy") {
        return vec![Period::Q1, Period::H1, Period::Q3, Period::Y];
    }
    let mut out = Vec::new();
    if has("6 thang") {
        out.push(Period::H1);
    }
    if has("9 thang") {
        out.push(Period::M9);
    }
    if !out.is_empty() && (has("nam") || has("ca nam")) {
        out.push(Period::Y);
    }
    if out.len() < 2 {
        out.clear();
    }
    out
}

fn deadline(phrase: &str) -> Option<DraftDeadline> {
    static DAY: OnceLock<Regex> = OnceLock::new();
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    let period = PERIOD.get_or_init(|| {
        Regex::new(r"(truoc|cham nhat(?: (?:la|vao|den))?|den) ngay (\d{1,2}) (?:cua |hang )?thang cuoi (?:ky|quy)")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    if let Some(c) = period.captures(phrase) {
        let day: u32 = c[2].parse().ok()?;
        let day = if &c[1] == "truoc" {
            day.checked_sub(1)?
        } else {
            day
        };
        return (1..=31)
            .contains(&day)
            .then_some(DraftDeadline::PeriodDay(day));
    }
    let re = DAY.get_or_init(|| {
        Regex::new(r"(truoc|cham nhat(?: (?:la|vao|den))?|han cuoi|den|khong muon hon|khong qua) ngay (\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?( (?:cua )?nam (?:truoc|sau|lien ke))?")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let c = re.captures(phrase)?;
    let mut day: u32 = c[2].parse().ok()?;
    let mut month: u32 = c[3].parse().ok()?;
    let mut year = c.get(4).and_then(|y| y.as_str().parse::<i32>().ok());
    let mut year_offset = match c.get(5).map(|m| m.as_str()) {
        Some(s) if s.contains("truoc") => -1,
        Some(_) => 1,
        None => 0,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // "trước ngày X": the last allowed day is the day before X.
    if &c[1] == "truoc" {
        if day > 1 {
            day -= 1;
        } else if month > 1 {
            month -= 1;
            day = days_in(month);
        } else {
            month = 12;
            day = 31;
            match year.as_mut() {
                Some(y) => *y -= 1,
                None => year_offset -= 1,
            }
        }
    }
    Some(DraftDeadline::Fixed {
        day,
        month,
        year,
        year_offset,
    })
}

fn days_in(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> DraftReq {
        let d = draft(text, "");
        assert_eq!(d.reqs.len(), 1, "{text}: {:?}", d.reqs);
        d.reqs[0].clone()
    }

    #[test]
    fn plain_types_deadlines_and_signatures() {
        let r = one(
            "Kế hoạch CCHC năm của UBND huyện ban hành trước ngày 05/12 năm trước, có chữ ký số",
        );
        assert_eq!(r.types, vec!["KH"]);
        assert!(r.signature);
        assert_eq!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 4,
                month: 12,
                year: None,
                year_offset: -1
            })
        );
        let r = one("Báo cáo CCHC định kỳ (quý, 6 tháng, 9 tháng, năm) gửi chậm nhất ngày 14 của tháng cuối kỳ");
        assert_eq!(r.types, vec!["BC"]);
        assert_eq!(r.deadline, Some(DraftDeadline::PeriodDay(14)));
        assert_eq!(
            r.periods,
            vec![Period::Q1, Period::H1, Period::Q3, Period::Y]
        );
        let r = one("Tờ trình đề nghị phê duyệt trước ngày 01/01/2023");
        assert_eq!(r.types, vec!["TTr"]);
        assert_eq!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 31,
                month: 12,
                year: Some(2022),
                year_offset: 0
            })
        );
    }

    #[test]
    fn several_documents_and_issuing_decisions() {
        let d = draft("- Kế hoạch kiểm tra CCHC;\n- Báo cáo kết quả kiểm tra\n- Quyết định ban hành Kế hoạch tuyên truyền", "");
        let types: Vec<_> = d.reqs.iter().map(|r| r.types.clone()).collect();
        assert_eq!(types, vec![vec!["KH"], vec!["BC"], vec!["QĐ"]]);
        assert!(d.reqs.iter().all(|r| !r.source.is_empty()));
        let d = draft("Thông báo kết luận kiểm tra; Công văn chỉ đạo", "");
        assert_eq!(d.reqs[0].types, vec!["TB"]);
        assert_eq!(d.reqs[1].types, vec!["CV"]);
    }

    #[test]
    fn a_deadline_in_its_own_line_belongs_to_the_one_document() {
        let r = one("- Ban hành trước ngày 05/12: 1 điểm\n- TLKC: Kế hoạch CCHC năm có chữ ký số");
        assert_eq!(r.types, vec!["KH"]);
        assert!(r.signature);
        assert!(matches!(
            r.deadline,
            Some(DraftDeadline::Fixed {
                day: 4,
                month: 12,
                ..
            })
        ));
        assert!(r.source.contains("05/12"), "{}", r.source);
    }

    #[test]
    fn a_type_word_inside_a_title_is_not_a_document() {
        let r = one("Báo cáo kết quả thực hiện kế hoạch 6 tháng, năm");
        assert_eq!(r.types, vec!["BC"]);
        assert_eq!(r.periods, vec![Period::H1, Period::Y]);
    }

    #[test]
    fn system_data_and_generic() {
        let d = draft(
            "Căn cứ số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh",
            "",
        );
        assert!(d.system.is_some() && d.reqs.is_empty());
        let d = draft("", "Kết quả điều tra xã hội học");
        assert!(d.system.is_some());
        let d = draft("Có sản phẩm cụ thể", "");
        assert_eq!(d.reqs.len(), 1);
        assert!(d.reqs[0].types.is_empty());
        assert_eq!(d.reqs[0].source, "Có sản phẩm cụ thể");
    }
}
