//! Decree 30 facts from page-1 text: number and symbol, type and issuer,
//! place and date, type heading and extract.
//!
//! Golden rule: a value is reported only when the text leaves no doubt;
//! otherwise it is `None`. The header (everything above the type heading, or
//! above "Kính gửi" in a công văn) is where the number and the date line live;
//! the body cites other documents' numbers and dates and is not searched.

#[path = "dateline.rs"]
pub(crate) mod dateline;
#[path = "docnum.rs"]
pub(crate) mod docnum;

use crate::decree30;
use crate::facts::DocumentFacts;

/// Lines searched when no heading or "Kính gửi" marks the end of the header.
const HEADER_LINES: usize = 15;
/// Lines searched for the type heading and the "V/v" extract.
const TOP_LINES: usize = 25;
/// Most lines an extract (trích yếu) runs to.
const MAX_TITLE_LINES: usize = 8;

pub fn parse_document(text: &str) -> DocumentFacts {
    let text = normalise(text);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(' '))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let top = &lines[..lines.len().min(TOP_LINES)];
    let body_start = top
        .iter()
        .position(|l| starts_body(first_cell(l)))
        .unwrap_or(top.len());
    let heading = find_heading(&top[..body_start]);
    let vv = top[..body_start].iter().enumerate().find_map(|(i, l)| {
        cells(l)
            .enumerate()
            .find_map(|(k, c)| strip_vv(c).map(|rest| (i, k, rest)))
    });
    let kinh_gui = top.iter().position(|l| is_kinh_gui(first_cell(l)));
    let header_end = heading
        .as_ref()
        .map(|h| h.line)
        .or(kinh_gui)
        .unwrap_or_else(|| lines.len().min(HEADER_LINES));
    let header = &lines[..header_end.min(lines.len())];

    let mut facts = DocumentFacts::default();
    if let Some(why) = garbled(&lines) {
        facts.text_garbled = true;
        facts.problems.push(why.to_string());
        return facts;
    }

    // The header block starts with the issuer and the national motto: a "Số:"
    // or date line above the motto is an e-office registration or receipt
    // line printed on the page (another document's number), not this one's.
    let motto = lines.iter().take(TOP_LINES).position(|l| is_motto_line(l));
    let header_start = motto.unwrap_or(0).min(header.len());
    if header[..header_start]
        .iter()
        .any(|l| number_in_line(l).is_some())
    {
        facts.problems.push(
            "a \"Số:\" line above the national motto (a registration or receipt line, another document's number) was not taken for this document's number".into(),
        );
    }
    let header = &header[header_start..];
    let number_at = header.iter().position(|l| number_in_line(l).is_some());
    let number = number_at.and_then(|i| number_in_line(header[i]));
    facts.issuing_body = issuing_body(&header[..number_at.unwrap_or(0)]);
    let date_line = header.iter().find_map(|l| dateline::parse_date_line(l));
    if let Some(d) = date_line {
        facts.date = d.date;
        facts.place = d.place;
        facts.date_line = Some(d.line);
    }

    // A type heading printed with its diacritics, or the national motto, says
    // the text layer is real text and not an OCR guess.
    let trusted = heading.is_some() || has_motto(&lines);
    let is_cong_van = heading.is_none() && vv.is_some() && trusted;
    if let Some(h) = &heading {
        facts.title_type = Some(h.printed.clone());
        facts.title = typed_title(&lines[h.line + 1..]);
    } else if is_cong_van {
        facts.title_type = Some("CÔNG VĂN".into());
        if let Some((i, k, rest)) = &vv {
            facts.title = vv_title(rest, *k, &lines[i + 1..]);
        }
    }

    if let Some(found) = number {
        let groups = &found.facts.groups;
        let first = groups.first().map(String::as_str);
        let rest = (groups.len() > 1).then(|| groups[1..].join("-"));
        let known_type = first.filter(|g| decree30::type_name(g).is_some());
        if heading.is_some() || found.facts.year.is_some() {
            // Typed document: TYPE-ISSUER. A first group that is no type code
            // leaves both unknown rather than guessed.
            if let Some(t) = known_type {
                facts.r#type = Some(t.to_string());
                facts.issuer = rest;
            }
        } else if is_cong_van {
            // Công văn: ISSUER-UNIT ("1895/STP-TTr": TTr is the Thanh tra unit).
            facts.issuer = first.map(str::to_string);
        } else if let Some(t) = known_type {
            // No heading, no "V/v": the number itself names the type.
            facts.r#type = Some(t.to_string());
            facts.issuer = rest;
        }
        // A number without its sequence digits is not a number: an unissued
        // draft ("Số: /QĐ-HĐND"), or digits the text layer did not carry.
        if found.facts.seq.is_some() {
            facts.number = Some(found.number);
        } else {
            facts.problems.push(format!(
                "the number line \"Số: {}\" has no sequence digits (an unnumbered draft, or digits not in the text layer): number left blank",
                found.facts.raw
            ));
        }
        facts.number_facts = Some(found.facts);
    }
    facts
}

/// NFC, the Icelandic eth some legacy fonts use for "Đ", and one kind of space.
fn normalise(text: &str) -> String {
    crate::text::nfc(text)
        .chars()
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            // Legacy fonts' Ư/ư (crate::text::fix_legacy_letters).
            '\u{1a2}' => 'Ư',
            '\u{1a3}' => 'ư',
            '\r' => '\n',
            '\t' | '\n' => c,
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect()
}

fn cells(line: &str) -> impl Iterator<Item = &str> {
    line.split('\t').map(str::trim).filter(|c| !c.is_empty())
}

fn first_cell(line: &str) -> &str {
    line.split('\t').next().unwrap_or("").trim()
}

/// The number at the start of the line or of any column in it.
fn number_in_line(line: &str) -> Option<docnum::Found> {
    std::iter::once(0)
        .chain(line.match_indices('\t').map(|(i, _)| i + 1))
        .find_map(|at| docnum::parse_number_line(line.get(at..)?))
}

fn is_kinh_gui(cell: &str) -> bool {
    cell.starts_with("Kính gửi") || cell.starts_with("KÍNH GỬI")
}

/// Lines that only the body (or the addressee block) begins with.
fn starts_body(cell: &str) -> bool {
    const OPENERS: &[&str] = &["Kính gửi", "KÍNH GỬI", "Căn cứ", "Thực hiện", "Điều 1"];
    OPENERS.iter().any(|o| cell.starts_with(o))
}

fn has_motto(lines: &[&str]) -> bool {
    lines
        .iter()
        .take(TOP_LINES)
        .any(|l| is_motto_line(l) || l.contains("Độc lập - Tự do") || l.contains("Độc lập – Tự do"))
}

fn is_motto_line(line: &str) -> bool {
    line.contains("CỘNG HÒA XÃ HỘI") || line.contains("CỘNG HOÀ XÃ HỘI")
}

/// The left column above the number: upper-case lines that are not the motto.
fn issuing_body(above: &[&str]) -> Vec<String> {
    above
        .iter()
        .map(|l| first_cell(l))
        .filter(|c| is_upper(c) && !is_motto_line(c) && !c.starts_with("Số"))
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Fewest letters on which the script of a text layer is judged.
const MIN_LETTERS: usize = 40;

/// Why page 1's text cannot be read as Vietnamese, if it cannot.
///
/// Ghostscript-rewritten files can come out with a font-encoding shift ("Số"
/// as "6ӕ"): Cyrillic letters in a Vietnamese page. A bad OCR layer under a
/// scan ("CQNG HOA XA HQI") has almost no Vietnamese letters. Either way a
/// number read from it would be a guess.
fn garbled(lines: &[&str]) -> Option<&'static str> {
    let letters: Vec<char> = lines
        .iter()
        .take(TOP_LINES * 2)
        .flat_map(|l| l.chars())
        .filter(|c| c.is_alphabetic())
        .collect();
    if letters.len() < MIN_LETTERS {
        return None;
    }
    let cyrillic = letters
        .iter()
        .filter(|c| ('\u{400}'..='\u{52f}').contains(*c))
        .count();
    if cyrillic * 50 >= letters.len() {
        return Some("page-1 text shows Cyrillic letters in a Vietnamese page (a font-encoding shift, e.g. \"Số\" extracted as \"6ӕ\"): nothing read from it");
    }
    let vietnamese = letters.iter().filter(|c| !c.is_ascii()).count();
    let looks_like_a_header = lines.iter().take(TOP_LINES).any(|l| is_motto_line(l))
        || lines
            .iter()
            .take(TOP_LINES)
            .any(|l| number_in_line(l).is_some());
    // Words typed without marks (or in English) are text, not a bad OCR
    // layer: garbage is what no language spells.
    let joined = lines.join("\n");
    if vietnamese * 50 < letters.len()
        && !looks_like_a_header
        && !super::text::reads_as_words(&joined)
    {
        return Some("page-1 text layer does not read as Vietnamese (a poor OCR layer under a scan): nothing read from it");
    }
    None
}

fn strip_vv(cell: &str) -> Option<&str> {
    ["V/v", "V/V", "v/v"]
        .iter()
        .find_map(|p| cell.strip_prefix(p))
        .map(|r| r.trim_start_matches(':').trim())
}

struct Heading {
    line: usize,
    printed: String,
}

/// Decree 30 type names compared with spaces removed (letter-spaced headings)
/// and with both tone placements ("THỎA"/"THOẢ", "ỦY"/"UỶ"), but with
/// diacritics: "QUYET DINH" from a poor OCR layer is not a heading.
fn compact(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    for (old, new) in [
        ("OÀ", "ÒA"),
        ("OÁ", "ÓA"),
        ("OẢ", "ỎA"),
        ("OÃ", "ÕA"),
        ("OẠ", "ỌA"),
        ("UỲ", "ÙY"),
        ("UÝ", "ÚY"),
        ("UỶ", "ỦY"),
        ("UỸ", "ŨY"),
        ("UỴ", "ỤY"),
    ] {
        out = out.replace(old, new);
    }
    out
}

/// Every Decree 30 type name, [`compact`]ed once per process (a heading
/// candidate is compared with all of them).
fn compact_type_names() -> &'static [(String, &'static str)] {
    static NAMES: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        decree30::TYPES
            .iter()
            .chain(decree30::NORMATIVE_TYPES)
            .map(|(_, name)| (compact(name), *name))
            .collect()
    })
}

fn find_heading(lines: &[&str]) -> Option<Heading> {
    for (i, line) in lines.iter().enumerate() {
        for cell in cells(line) {
            let cand = cell.trim_end_matches(':').trim();
            if cand.is_empty() || cand.chars().any(char::is_lowercase) {
                continue;
            }
            let c = compact(cand);
            let known = compact_type_names()
                .iter()
                .find(|(compacted, _)| *compacted == c);
            if let Some((_, name)) = known {
                let collapsed = cand.split_whitespace().collect::<Vec<_>>().join(" ");
                // Letter-spaced headings ("T Ờ T R Ì N H") read as the canonical name.
                let printed = if collapsed.split(' ').count() == name.split(' ').count() {
                    collapsed
                } else {
                    (*name).to_string()
                };
                return Some(Heading { line: i, printed });
            }
        }
    }
    None
}

/// Upper-case lines that name the issuing authority under the extract
/// ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG").
fn is_authority_line(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "ỦY BAN",
        "UỶ BAN",
        "HỘI ĐỒNG",
        "CHỦ TỊCH",
        "BỘ TRƯỞNG",
        "THỦ TƯỚNG",
        "GIÁM ĐỐC",
        "VĂN PHÒNG",
        "BAN ",
        "KHÓA",
        "KHOÁ",
        "TRƯỞNG",
        "CHÁNH",
        "CỤC TRƯỞNG",
        "TỔNG",
        "HIỆU TRƯỞNG",
        "BỘ ",
        "CÔNG AN",
    ];
    PREFIXES.iter().any(|p| line.starts_with(p))
}

fn is_rule_line(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || matches!(c, '_' | '-' | '—' | '–' | '=' | '*' | '.' | '…'))
}

fn stops_title(line: &str) -> bool {
    const OPENERS: &[&str] = &[
        "Kính gửi",
        "KÍNH GỬI",
        "Căn cứ",
        "Thực hiện",
        "Theo ",
        "Ngày ",
        "Nhằm",
        "Để ",
        "Trong ",
        "Qua ",
        "Điều ",
        "Nơi nhận",
        "- ",
        "I.",
        "1.",
    ];
    is_rule_line(line)
        || OPENERS.iter().any(|o| line.starts_with(o))
        || line.ends_with(':')
        || docnum::parse_number_line(line).is_some()
        || dateline::parse_date_line(line).is_some()
}

fn is_upper(line: &str) -> bool {
    line.chars().any(char::is_uppercase) && !line.chars().any(char::is_lowercase)
}

/// The extract under a type heading: consecutive lines in one case style
/// until the body, the authority line or a rule.
fn typed_title(after: &[&str]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut upper_title = None;
    for line in after.iter().take(MAX_TITLE_LINES) {
        // Centred extracts have no second column; a tab means the header is
        // still interleaved with something else.
        if line.contains('\t') {
            break;
        }
        let line = line.trim();
        if stops_title(line) {
            break;
        }
        let upper = is_upper(line);
        match upper_title {
            None => upper_title = Some(upper),
            Some(true) if is_authority_line(line) => break,
            Some(false) if upper => break,
            _ => {}
        }
        let line = if parts.is_empty() {
            strip_vv(line).unwrap_or(line)
        } else {
            line
        };
        parts.push(line.to_string());
    }
    join_title(&parts)
}

/// The extract after "V/v": the rest of that cell and the same column of
/// the following lines, until "Kính gửi" or another header element.
fn vv_title(first: &str, column: usize, after: &[&str]) -> Option<String> {
    let mut parts = vec![first.to_string()];
    for line in after.iter().take(MAX_TITLE_LINES - 1) {
        let cell = if column == 0 {
            first_cell(line)
        } else {
            cells(line).nth(column).unwrap_or("")
        };
        if cell.is_empty() || is_kinh_gui(cell) || stops_title(cell) || is_upper(cell) {
            break;
        }
        parts.push(cell.to_string());
    }
    join_title(&parts)
}

fn join_title(parts: &[String]) -> Option<String> {
    let mut joined = String::new();
    for part in parts {
        // A symbol broken over two lines ("3183/SNV-" + "TCBC") joins without a space.
        let glued = joined.ends_with('-') && !joined.ends_with(" -");
        if !joined.is_empty() && !glued {
            joined.push(' ');
        }
        joined.push_str(part.trim());
    }
    let collapsed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use unicode_normalization::UnicodeNormalization;

    const KH: &str = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN ĐẮK GLEI\tĐộc lập - Tự do - Hạnh phúc
Số: 1558/KH-UBND\tĐắk Glei, ngày 05 tháng 8 năm 2022
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính
năm 2022 trên địa bàn huyện
Căn cứ Quyết định số 35/QĐ-UBND ngày 27/01/2023 của UBND tỉnh;
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
";

    #[test]
    fn typed_document() {
        let f = parse_document(KH);
        assert_eq!(f.number.as_deref(), Some("1558/KH-UBND"));
        assert_eq!(f.r#type.as_deref(), Some("KH"));
        assert_eq!(f.issuer.as_deref(), Some("UBND"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2022, 8, 5));
        assert_eq!(f.place.as_deref(), Some("Đắk Glei"));
        assert_eq!(
            f.date_line.as_deref(),
            Some("Đắk Glei, ngày 05 tháng 8 năm 2022")
        );
        assert_eq!(f.title_type.as_deref(), Some("KẾ HOẠCH"));
        assert_eq!(
            f.title.as_deref(),
            Some("Kiểm tra công tác cải cách hành chính năm 2022 trên địa bàn huyện")
        );
    }

    #[test]
    fn nfd_input_reads_like_nfc() {
        let nfd: String = KH.nfd().collect();
        assert_eq!(parse_document(&nfd), parse_document(KH));
    }

    #[test]
    fn cong_van_reads_issuer_first() {
        let t = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN ĐẮK GLEI\tĐộc lập - Tự do - Hạnh phúc
Số: 2291/UBND-NC\tĐắk Glei, ngày 18 tháng 11 năm 2022
V/v triển khai thực hiện
Chỉ số cải cách hành chính
Kính gửi: Các cơ quan, đơn vị
Thực hiện Kế hoạch số 1558/KH-UBND ngày 05/8/2022;
";
        let f = parse_document(t);
        assert_eq!(f.number.as_deref(), Some("2291/UBND-NC"));
        assert_eq!(f.r#type, None);
        assert_eq!(f.issuer.as_deref(), Some("UBND"));
        assert_eq!(f.title_type.as_deref(), Some("CÔNG VĂN"));
        assert_eq!(
            f.title.as_deref(),
            Some("triển khai thực hiện Chỉ số cải cách hành chính")
        );
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2022, 11, 18));
    }

    #[test]
    fn cong_van_with_a_type_code_as_unit() {
        let t = "SỞ TƯ PHÁP\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 1895/STP-TTr\tKon Tum, ngày 05 tháng 10 năm 2022
V/v kiểm tra
Kính gửi: UBND huyện Đắk Glei
";
        let f = parse_document(t);
        assert_eq!(f.r#type, None);
        assert_eq!(f.issuer.as_deref(), Some("STP"));
    }

    #[test]
    fn number_says_the_type_when_nothing_else_does() {
        let f = parse_document("Số: 641/KH_UBND\nmột dòng\n");
        assert_eq!(f.r#type.as_deref(), Some("KH"));
        assert_eq!(f.issuer.as_deref(), Some("UBND"));
        assert_eq!(f.number.as_deref(), Some("641/KH_UBND"));
        let f = parse_document("Số: 1016/SNV-XDCQ&TCBM\nmột dòng\n");
        assert_eq!(f.r#type, None);
        assert_eq!(f.issuer, None);
    }

    #[test]
    fn number_and_date_on_one_line_without_tab() {
        let t = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 45/BC-UBND Đắk Glei, ngày 18 tháng 3 năm 2022
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính quý I năm 2022
Thực hiện Kế hoạch số 16/KH-UBND;
";
        let f = parse_document(t);
        assert_eq!(f.number.as_deref(), Some("45/BC-UBND"));
        assert_eq!(f.r#type.as_deref(), Some("BC"));
        assert_eq!(f.place.as_deref(), Some("Đắk Glei"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2022, 3, 18));
        assert_eq!(f.title_type.as_deref(), Some("BÁO CÁO"));
        assert_eq!(
            f.title.as_deref(),
            Some("Kết quả thực hiện công tác cải cách hành chính quý I năm 2022")
        );
    }

    #[test]
    fn motto_and_issuer_are_not_titles() {
        let t = "ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLEI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/QĐ-UBND
Đắk Glei, ngày 05 tháng 01 năm 2022
QUYẾT ĐỊNH
Về việc thành lập Tổ kiểm tra
CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
";
        let f = parse_document(t);
        assert_eq!(f.title_type.as_deref(), Some("QUYẾT ĐỊNH"));
        assert_eq!(f.title.as_deref(), Some("Về việc thành lập Tổ kiểm tra"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2022, 1, 5));
    }

    #[test]
    fn upper_case_extract_stops_at_the_authority() {
        let t = "HỘI ĐỒNG NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 33/2022/NQ-HĐND\tCao Bằng, ngày 15 tháng 7 năm 2022
NGHỊ QUYẾT
QUY ĐỊNH MỨC THU LỆ PHÍ
CẤP GIẤY PHÉP LAO ĐỘNG
HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG
";
        let f = parse_document(t);
        assert_eq!(f.r#type.as_deref(), Some("NQ"));
        assert_eq!(f.issuer.as_deref(), Some("HĐND"));
        assert_eq!(
            f.title.as_deref(),
            Some("QUY ĐỊNH MỨC THU LỆ PHÍ CẤP GIẤY PHÉP LAO ĐỘNG")
        );
    }

    #[test]
    fn letter_spaced_and_alternate_tone_headings() {
        let f = parse_document("Số: 05/TTr-UBND\nT Ờ  T R Ì N H\nVề việc x\n");
        assert_eq!(f.title_type.as_deref(), Some("TỜ TRÌNH"));
        assert_eq!(f.r#type.as_deref(), Some("TTr"));
        let f = parse_document("Số: 05/BTT-UBND\nBẢN THOẢ THUẬN\n");
        assert_eq!(f.title_type.as_deref(), Some("BẢN THOẢ THUẬN"));
    }

    #[test]
    fn body_citations_are_not_the_number_or_date() {
        let t = "DANH MỤC
VĂN BẢN QUY PHẠM PHÁP LUẬT
(Ban hành kèm theo Công văn số 1043/BTP-QLXLVPHC&TDTHPL ngày 9/4/2021)
1 Luật Đất đai (số 45/2013/QH13 ngày 29/11/2013)
";
        assert_eq!(parse_document(t), DocumentFacts::default());
    }

    #[test]
    fn ocr_garbage_gives_nothing() {
        let t = "uY BAN NgAN nAN\tceNG HoA xA ugr cuu xcuia vrET NAM
56:]+9-} /TB-LIBND\tLdm D6ng, ngdy fithdng 11 ndm 2025
THONGBAo
V/v xem xdt dO nghi cria 0y ban
";
        let f = parse_document(t);
        assert!(f.text_garbled);
        assert_eq!(f.number, None);
        assert_eq!(f.date, None);
        assert_eq!(f.r#type, None);
        assert!(f.problems[0].contains("OCR"), "{:?}", f.problems);
    }

    #[test]
    fn blank_draft_header() {
        let t = "UBND HUYỆN ĐẮK GLEI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc
Số: /BC-PNV\tĐắk Glei, ngày tháng năm 2023
BÁO CÁO
Giải trình các tiêu chí bị trừ điểm
";
        let f = parse_document(t);
        // A number without its digits is not a number; the symbol still says the type.
        assert_eq!(f.number, None);
        assert!(
            f.problems[0].contains("no sequence digits"),
            "{:?}",
            f.problems
        );
        assert_eq!(f.number_facts.as_ref().and_then(|n| n.seq), None);
        assert_eq!(f.r#type.as_deref(), Some("BC"));
        assert_eq!(f.date, None);
        assert_eq!(f.place.as_deref(), Some("Đắk Glei"));
    }

    #[test]
    fn date_line_beside_the_extract() {
        let t = "BỘ NỘI VỤ\tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 8977 /BNV-TCPCP
V/v trả lời đề nghị của\tHà Nội, ngày 06 tháng 10 năm 2025
Sở Nội vụ tỉnh Lâm Đồng
Kính gửi: Sở Nội vụ tỉnh Lâm Đồng
";
        let f = parse_document(t);
        assert_eq!(f.number.as_deref(), Some("8977/BNV-TCPCP"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2025, 10, 6));
        assert_eq!(f.place.as_deref(), Some("Hà Nội"));
        assert_eq!(
            f.title.as_deref(),
            Some("trả lời đề nghị của Sở Nội vụ tỉnh Lâm Đồng")
        );
        assert_eq!(f.issuer.as_deref(), Some("BNV"));
    }

    #[test]
    fn symbol_broken_over_lines_is_rejoined() {
        let t = "SỞ VĂN HÓA\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 2601/SVHTTDL-QLTDTT\tLâm Đồng, ngày 02 tháng 12 năm 2025
V/v phúc đáp Công văn số 3183/SNV-
TCBC ngày 26/11/2025, giai đoạn 2021 -
2025
Kính gửi: Sở Nội vụ
";
        let f = parse_document(t);
        assert_eq!(
            f.title.as_deref(),
            Some("phúc đáp Công văn số 3183/SNV-TCBC ngày 26/11/2025, giai đoạn 2021 - 2025")
        );
    }

    #[test]
    fn registration_line_above_the_motto_is_not_the_number() {
        let t = "\tSố: 2037/SCT-QLTM
UBND TỈNH LÂM ĐỒNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc
Số: 118a/BC-SNV\tLâm Đồng, ngày 06 tháng 3 năm 2025
BÁO CÁO
Kết quả cải cách hành chính
";
        let f = parse_document(t);
        assert_eq!(f.number.as_deref(), Some("118a/BC-SNV"));
        assert!(f.problems[0].contains("registration"), "{:?}", f.problems);
        let f = parse_document(&t.replace("118a/BC-SNV", "   /BC-SNV"));
        assert_eq!(f.number, None);
        assert_eq!(f.r#type.as_deref(), Some("BC"));
    }

    #[test]
    fn cyrillic_font_shift_is_garbled() {
        let t = "ӺӬ%$1\tӦӜ1*+Ӗ$;Ĩ+Ӝ,&+Ӫ1*+Ƭ$9,ӊ71$0
6ӕ: 12/QĐ-UBND\tӘҵP ӖӝQJ, QJj\\ 12 WKiQJ 5 QăP 2025
48<ӂ7 Ĉӎ1+
Căn cứ
";
        let f = parse_document(t);
        assert!(f.text_garbled);
        assert_eq!(f.number, None);
        assert!(f.problems[0].contains("font-encoding"), "{:?}", f.problems);
    }

    #[test]
    fn issuing_body_is_the_left_column_above_the_number() {
        let t = "UBND TỈNH BÌNH THUẬN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc
Số: 255/TTr-SNV\tBình Thuận, ngày 22 tháng 01 năm 2025
TỜ TRÌNH
";
        let f = parse_document(t);
        assert_eq!(f.issuing_body, ["UBND TỈNH BÌNH THUẬN", "SỞ NỘI VỤ"]);
    }
}
