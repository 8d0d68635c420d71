//! DOC001–DOC003, DOC005–DOC007: the document's number, type and date as
//! Decree 30/2020/NĐ-CP (Phụ lục I) wants them. DOC004 spans files: see
//! [`duplicate_numbers`].

pub(crate) mod diags;

use diags::{
    blank_number, date_line_form, filled_by_hand, issuer_mismatch, malformed, no_date, no_number,
    other_year, type_mismatch,
};

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::Datelike;
use regex::Regex;

use crate::decree30;
use crate::facts::{FileFacts, KeptFacts};
use crate::findings::{Finding, Msg};

/// The document check: each file alone, then numbers reused across files.
pub struct Document;

impl super::family::Check for Document {
    fn family(&self) -> &'static super::family::Family {
        &diags::FAMILY
    }
    fn file(&self, facts: &FileFacts, ctx: &super::Context, out: &mut Vec<Finding>) {
        check(facts, ctx.rules.framework.year, out);
    }
    fn folder(&self, input: &super::family::Input) -> Vec<Finding> {
        let mut out = Vec::new();
        let all: Vec<&KeptFacts> = input.files.iter().collect();
        duplicate_numbers(&all, &mut out);
        out
    }
}

pub fn check(f: &FileFacts, year: i32, out: &mut Vec<Finding>) {
    // What OCR read on a scan is judged like text, but what it left out is
    // no evidence of absence (a handwritten number, an unreadable day).
    let ocr = f.document.source == Some(crate::facts::ReadSource::Ocr);
    if (f.pdf.text_layer != Some(true) && !ocr) || f.document.text_garbled {
        return; // nothing was read: PDF001/PDF003 already say so
    }
    let name = super::file_name(&f.path);
    let d = &f.document;
    // On a scan a blank is most likely filled in by hand: a habit.
    let by_hand = f.pdf.ocr_layer || ocr;
    let found = match &d.number_facts {
        None if ocr => None,
        None => Some(no_number(name)),
        Some(n) if n.seq.is_none() && by_hand => Some(filled_by_hand(name, &n.raw)),
        Some(n) if n.seq.is_none() => Some(blank_number(name, &n.raw)),
        Some(n) if !n.deviations.is_empty() => Some(malformed(name, &n.raw, &n.deviations)),
        Some(_) => None,
    };
    out.extend(found.map(|x| x.path(&f.path)));
    if let (Some(t), Some(title_type)) = (&d.r#type, &d.title_type) {
        if let Some(expected) = decree30::type_abbrev(title_type).filter(|e| e != t) {
            out.push(type_mismatch(name, title_type, expected, t).path(&f.path));
        }
    }
    if let Some(part) = d.issuer.as_deref() {
        if issuer_consistent(part, &d.issuing_body) == Some(false) {
            out.push(issuer_mismatch(name, part, &d.issuing_body).path(&f.path));
        }
    }
    match (d.date, &d.date_line) {
        (None, _) if ocr => {}
        (None, Some(line)) if by_hand => out.push(filled_by_hand(name, line).path(&f.path)),
        (None, _) => out.push(no_date(name).path(&f.path)),
        (Some(date), _) if date.year() != year => {
            out.push(other_year(name, date, year).path(&f.path))
        }
        (Some(_), _) => {}
    }
    if let Some(line) = d.date_line.as_ref().filter(|_| !ocr) {
        if let Some((vi, en)) = date_line_problem(line) {
            out.push(date_line_form(name, line, &vi, &en).path(&f.path));
        }
    }
}

/// Words a body's name starts with; a name that starts otherwise may be a
/// text layer that lost letters ("TÀI CHÍNH" for "SỞ TÀI CHÍNH"): unsure.
const BODY_WORDS: &[&str] = &[
    "SỞ",
    "BỘ",
    "ỦY BAN",
    "UỶ BAN",
    "UBND",
    "HỘI ĐỒNG",
    "VĂN PHÒNG",
    "CÔNG AN",
    "PHÒNG",
    "BAN ",
    "CỤC",
    "TỔNG CỤC",
    "CHI CỤC",
    "TRƯỜNG",
    "CỔNG",
    "TRUNG TÂM",
    "THANH TRA",
    "CHÍNH PHỦ",
    "THỦ TƯỚNG",
    "TÒA ÁN",
    "TOÀ ÁN",
    "VIỆN",
    "KHO BẠC",
    "ĐOÀN",
    "BỘ CHỈ HUY",
];

/// Is the symbol's body part `part` the abbreviation of, or a word in, the
/// issuing body's name? `None` when the name does not read clearly.
fn issuer_consistent(part: &str, body: &[String]) -> Option<bool> {
    let first = body.first()?;
    if !BODY_WORDS.iter().any(|w| first.starts_with(w)) {
        return None;
    }
    // "CAT(PC04)": the body is what precedes the unit in parentheses.
    let part = part.split(['(', '-']).next().unwrap_or(part).to_uppercase();
    if part.chars().count() < 2 || part.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let split = |lines: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        lines
            .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == ',' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(crate::text::fix_legacy_letters)
            .collect()
    };
    let words = split(&mut body.iter());
    if words.contains(&part) || (part == "TTG" && body.iter().any(|l| l.contains("THỦ TƯỚNG")))
    {
        return Some(true);
    }
    // A body of several lines ("UBND TỈNH LÂM ĐỒNG" / "VĂN PHÒNG") may be
    // abbreviated unit first: VPUBND is the Văn phòng of the UBND.
    if body.len() > 1 && spells(&part, &split(&mut body.iter().rev())) {
        return Some(true);
    }
    // Initials from any word on, "VÀ" skipped: SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
    // → SVHTTDL. A word that is itself an abbreviation ("HỘI ĐỒNG CCHC") may
    // give all its letters: HĐCCHC.
    Some(spells(&part, &words))
}

/// `part` abbreviates the words from some word on.
fn spells(part: &str, words: &[String]) -> bool {
    let words: Vec<Word> = words
        .iter()
        .filter(|w| *w != "VÀ")
        .map(|w| Word {
            letters: w.chars().map(base_letter).collect(),
            plain: w.chars().all(|c| c.is_ascii_uppercase()),
        })
        .collect();
    let part: Vec<char> = part.chars().map(base_letter).collect();
    (0..words.len()).any(|i| abbreviates(&part, &words[i..]))
}

/// `part` spelled by the leading words, each giving its initial or (when it
/// is an abbreviation: no diacritics) all its letters.
struct Word {
    letters: Vec<char>,
    /// No diacritics: may itself be an abbreviation ("CCHC", "UBND").
    plain: bool,
}

fn abbreviates(part: &[char], words: &[Word]) -> bool {
    let Some((first, rest)) = part.split_first() else {
        return true;
    };
    let Some((word, later)) = words.split_first() else {
        return false;
    };
    if word.letters.first() != Some(first) {
        return false;
    }
    if abbreviates(rest, later) {
        return true;
    }
    let whole = word.letters.len();
    word.plain && part.starts_with(&word.letters) && abbreviates(&part[whole..], later)
}

/// "Ủ" → 'U', "Đ" stays 'Đ' (it is its own letter in symbols: HĐND).
fn base_letter(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    std::iter::once(c).nfd().next().unwrap_or(c)
}

/// Decree 30, Phụ lục I II.4: day < 10 and months 1–2 take a leading zero; other months do not.
fn date_line_problem(line: &str) -> Option<(String, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let caps = re.captures(line)?;
    let day = caps.get(1)?.as_str();
    let month = caps.get(2)?.as_str();
    let m: u32 = month.parse().ok()?;
    let mut vi = Vec::new();
    let mut en = Vec::new();
    if day.len() == 1 {
        vi.push(format!("ngày dưới 10 phải có số 0 phía trước: \"0{day}\""));
        en.push(format!("a day below 10 takes a leading zero: \"0{day}\""));
    }
    if m <= 2 && month.len() == 1 {
        vi.push(format!("tháng 1, 2 phải viết \"0{m}\""));
        en.push(format!("months 1 and 2 are written \"0{m}\""));
    }
    if m >= 3 && month.len() == 2 && month.starts_with('0') {
        vi.push(format!("tháng {m} không viết số 0 phía trước"));
        en.push(format!("month {m} takes no leading zero"));
    }
    (!vi.is_empty()).then(|| (vi.join("; "), en.join("; ")))
}

/// DOC004: two different files carrying the same number and symbol in the same year.
pub fn duplicate_numbers(files: &[&KeptFacts], out: &mut Vec<Finding>) {
    let mut by_number: BTreeMap<(String, i32), Vec<&KeptFacts>> = BTreeMap::new();
    for f in files {
        let (Some(n), Some(date)) = (&f.document.number_facts, f.document.date) else {
            continue;
        };
        let (Some(seq), Some(symbol)) = (n.seq, &n.symbol) else {
            continue;
        };
        // The normalised number keeps a letter suffix ("118a" is not "118").
        let key = f
            .document
            .number
            .clone()
            .unwrap_or_else(|| format!("{seq}/{symbol}"));
        by_number.entry((key, date.year())).or_default().push(f);
    }
    for ((number, year), group) in by_number {
        let mut distinct: Vec<&KeptFacts> = Vec::new();
        for f in group {
            if !distinct.iter().any(|g| g.sha256 == f.sha256) {
                distinct.push(f);
            }
        }
        if distinct.len() < 2 {
            continue;
        }
        let names: Vec<&str> = distinct.iter().map(|f| f.path.as_str()).collect();
        for f in &distinct {
            out.push(
                Finding::new(
                    &diags::DOC004,
                    Msg::new(
                        format!("Số, ký hiệu {number} (năm {year}) xuất hiện trên {} văn bản khác nhau: {}. Số văn bản là duy nhất trong năm.", distinct.len(), names.join(", ")),
                        format!("Number {number} ({year}) appears on {} different documents: {}. A number is unique within a year.", distinct.len(), names.join(", ")),
                    ),
                )
                .path(&f.path),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DocumentFacts, FileKind, NumberFacts, PdfFacts};
    use crate::findings::Code;
    use chrono::NaiveDate;

    fn doc(number: Option<NumberFacts>, date: Option<NaiveDate>, line: Option<&str>) -> FileFacts {
        FileFacts {
            path: "1.2.1/bc.pdf".into(),
            sha256: "aa".into(),
            size: 1,
            kind: FileKind::Pdf,
            pdf: PdfFacts {
                readable: true,
                text_layer: Some(true),
                ..Default::default()
            },
            document: DocumentFacts {
                r#type: Some("BC".into()),
                title_type: Some("KẾ HOẠCH".into()),
                number_facts: number,
                date,
                date_line: line.map(String::from),
                ..Default::default()
            },
            signatures: vec![],
            unsigned_fields: vec![],
        }
    }

    fn num(seq: Option<u32>, deviations: &[&str]) -> NumberFacts {
        NumberFacts {
            raw: "45/BC-UBND".into(),
            seq,
            year: None,
            groups: vec!["BC".into(), "UBND".into()],
            deviations: deviations.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn codes(f: &FileFacts) -> Vec<Code> {
        let mut out = vec![];
        check(f, 2022, &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn ocr_gaps_are_not_findings_but_its_reads_are_judged() {
        let mut f = doc(None, None, None);
        f.pdf.text_layer = Some(false);
        f.document.source = Some(crate::facts::ReadSource::Ocr);
        // No number, no day: OCR could not read them; only the type mismatch counts.
        assert_eq!(codes(&f), [Code::Doc003]);
        f.document.source = None;
        assert!(codes(&f).is_empty());
    }

    #[test]
    fn flags_missing_number_and_date() {
        assert_eq!(
            codes(&doc(None, None, None)),
            [Code::Doc001, Code::Doc003, Code::Doc005]
        );
    }

    #[test]
    fn flags_malformed_number_and_other_year() {
        let f = doc(
            Some(num(Some(641), &["`_` instead of `-`"])),
            NaiveDate::from_ymd_opt(2021, 12, 30),
            None,
        );
        assert_eq!(codes(&f), [Code::Doc002, Code::Doc003, Code::Doc006]);
        for (en, vi) in [
            ("spaces inside the symbol", "có dấu cách trong ký hiệu"),
            (
                "stray '.' after the number \"3070.\"",
                "dấu chấm thừa sau số \"3070.\"",
            ),
            ("leading zero on \"005\"", "thừa số 0 đứng trước \"005\""),
        ] {
            assert_eq!(diags::deviation_vi(en), vi);
        }
    }

    #[test]
    fn blanks_on_an_ocr_layer_are_filled_by_hand_not_missing() {
        let mut f = doc(
            Some(num(None, &[])),
            None,
            Some("Đắk Glei, ngày tháng 3 năm 2022"),
        );
        assert_eq!(codes(&f), [Code::Doc001, Code::Doc003, Code::Doc005]);
        f.pdf.ocr_layer = true;
        let mut out = vec![];
        check(&f, 2022, &mut out);
        let got: Vec<(Code, crate::findings::Severity)> =
            out.iter().map(|x| (x.code, x.severity)).collect();
        use crate::findings::Severity::*;
        assert_eq!(
            got,
            [
                (Code::Doc008, Info),
                (Code::Doc003, Warning),
                (Code::Doc008, Info)
            ]
        );
        // Nothing found at all is still DOC005, OCR or not.
        f.document.date_line = None;
        assert!(codes(&f).contains(&Code::Doc005));
    }

    #[test]
    fn issuer_part_against_the_issuing_body() {
        let b = |lines: &[&str]| lines.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = |part: &str, lines: &[&str]| issuer_consistent(part, &b(lines));
        assert_eq!(
            ok("UBND", &["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]),
            Some(true)
        );
        assert_eq!(
            ok("SNV", &["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]),
            Some(true)
        );
        assert_eq!(
            ok("UBND", &["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]),
            Some(true)
        );
        assert_eq!(
            ok("SVHTTDL", &["SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"]),
            Some(true)
        );
        assert_eq!(
            ok("HĐND", &["HỘI ĐỒNG NHÂN DÂN", "TỈNH CAO BẰNG"]),
            Some(true)
        );
        assert_eq!(ok("CAT(PC04)", &["CÔNG AN TỈNH LÂM ĐỒNG"]), Some(true));
        assert_eq!(ok("TTg", &["THỦ TƯỚNG CHÍNH PHỦ"]), Some(true));
        assert_eq!(ok("BNV", &["BỘ NỘI VỤ"]), Some(true));
        // A two-line block, abbreviated unit first: the UBND's Văn phòng.
        assert_eq!(
            ok("VPUBND", &["UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG"]),
            Some(true)
        );
        // Legacy fonts' Ƣ for Ư.
        assert_eq!(ok("SCT", &["SỞ CÔNG THƢƠNG"]), Some(true));
        assert_eq!(ok("BCT", &["BỘ CÔNG THƢƠNG"]), Some(true));
        assert_eq!(
            ok("HĐCCHC", &["HỘI ĐỒNG CCHC", "HUYỆN ĐẮK GLEI"]),
            Some(true)
        );
        // Real faults.
        assert_eq!(
            ok("SNV", &["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"]),
            Some(false)
        );
        assert_eq!(
            ok("STP", &["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]),
            Some(false)
        );
        // Unsure: a name that lost letters in the text layer, or none at all.
        assert_eq!(ok("STC", &["TÀI CHÍNH"]), None);
        assert_eq!(ok("UBND", &[]), None);
    }

    #[test]
    fn date_line_padding_rules() {
        assert!(date_line_problem("Đắk Glei, ngày 05 tháng 3 năm 2022").is_none());
        assert!(date_line_problem("Hà Nội, ngày 05 tháng 01 năm 2020").is_none());
        assert!(date_line_problem("ngày 5 tháng 3 năm 2022").is_some());
        assert!(date_line_problem("ngày 18 tháng 07 năm 2022").is_some());
        assert!(date_line_problem("ngày 18 tháng 2 năm 2022").is_some());
    }

    #[test]
    fn same_number_on_two_documents() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 1);
        let a = doc(Some(num(Some(45), &[])), d, None);
        let mut b = a.clone();
        b.sha256 = "bb".into();
        b.path = "x/other.pdf".into();
        let same_bytes = a.clone();
        let mut out = vec![];
        let kept = [&a, &b, &same_bytes].map(KeptFacts::of);
        duplicate_numbers(&[&kept[0], &kept[1], &kept[2]], &mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|f| f.code == Code::Doc004));
    }
}
