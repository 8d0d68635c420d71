//! The place-and-date line "<Địa danh>, ngày DD tháng MM năm YYYY"
//! (Decree 30/2020/NĐ-CP, Phụ lục I, I.II.4).

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

#[derive(Debug, Clone, PartialEq)]
pub struct DateLine {
    /// The line from the place to the year, as printed (tabs as spaces).
    pub line: String,
    /// `None` when the words before "ngày" are not clearly a place name.
    pub place: Option<String>,
    /// `None` for a blank draft date or an impossible date (31/02).
    pub date: Option<NaiveDate>,
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Digits may be missing (blank draft date) or glued to the words
        // ("09tháng", "9năm") when they were filled into blanks.
        match Regex::new(
            r"ngày[ \t]*([0-9]{1,2})?[ \t]*tháng[ \t]*([0-9]{1,2})?[ \t]*năm[ \t]*([0-9]{4})",
        ) {
            Ok(re) => re,
            // The pattern is a constant; a failure here is a programming error
            // caught by the unit tests, never input-dependent.
            Err(e) => unreachable!("date-line pattern: {e}"),
        }
    })
}

/// Words that stay lower case inside an official place name
/// ("Thành phố Hồ Chí Minh", "thị trấn Ngãi Giao").
const PLACE_CONNECTORS: &[&str] = &[
    "phố",
    "xã",
    "trấn",
    "thị",
    "huyện",
    "tỉnh",
    "quận",
    "phường",
    "thành",
];

/// A date line in `line`, if it has one with a place before "ngày".
/// Numeric dates ("27/01/2023") and dates without a place word in front
/// ("… địa phương ngày 19 tháng 6 năm 2015") are not date lines.
pub fn parse_date_line(line: &str) -> Option<DateLine> {
    for caps in pattern().captures_iter(line) {
        let Some(whole) = caps.get(0) else { continue };
        let before = &line[..whole.start()];
        let trimmed = before.trim_end_matches([' ', '\u{a0}']);
        let comma = trimmed.ends_with(',');
        let before_place = trimmed.trim_end_matches(',').trim_end();
        if !before.is_empty() && !comma && trimmed.len() == before.len() {
            // "Glei,ngày" is tolerated; "Gleingày" is not a word boundary.
            continue;
        }
        // A tab is a column boundary: the place starts after the last one.
        let cell_start = before_place.rfind('\t').map_or(0, |i| i + 1);
        let mut cell = &before_place[cell_start..];
        let mut cell_offset = cell_start;
        if let Some(found) = super::docnum::parse_number_line(cell) {
            cell_offset += found.end;
            cell = cell.get(found.end..).unwrap_or("");
        }
        let lead = cell.len() - cell.trim_start().len();
        cell_offset += lead;
        let cell = cell.trim();
        let (place, place_start) = if is_place(cell) {
            (Some(cell.to_string()), cell_offset)
        } else {
            // Something else shares the cell (a "V/v" extract on the same
            // baseline): the date still counts when capitalised words and a
            // comma sit right before "ngày", but the place is uncertain.
            match place_suffix(cell) {
                Some(start) if comma => (None, cell_offset + start),
                _ => continue,
            }
        };
        let day = caps.get(1).and_then(|m| m.as_str().parse::<u32>().ok());
        let month = caps.get(2).and_then(|m| m.as_str().parse::<u32>().ok());
        let year = caps.get(3).and_then(|m| m.as_str().parse::<i32>().ok());
        let date = match (day, month, year) {
            (Some(d), Some(m), Some(y)) if (1945..=2100).contains(&y) => {
                NaiveDate::from_ymd_opt(y, m, d)
            }
            _ => None,
        };
        let printed = line.get(place_start..whole.end()).unwrap_or("");
        return Some(DateLine {
            line: collapse(printed),
            place,
            date,
        });
    }
    None
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_place_word(word: &str) -> bool {
    let letters_ok = word
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '.' | '-'));
    (letters_ok && (is_capitalised(word) || PLACE_CONNECTORS.contains(&word)))
        || (!word.is_empty() && word.len() <= 2 && word.chars().all(|c| c.is_ascii_digit()))
}

/// The whole cell is a place name: short, capitalised, letters only.
fn is_place(cell: &str) -> bool {
    let words: Vec<&str> = cell.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words.first().is_some_and(|w| is_capitalised(w))
        && words.iter().all(|w| is_place_word(w))
}

/// Byte offset where a run of capitalised place words ends the cell.
fn place_suffix(cell: &str) -> Option<usize> {
    let mut start = None;
    for (count, (offset, word)) in words_with_offsets(cell).into_iter().rev().enumerate() {
        if count >= 8 || !is_place_word(word) {
            break;
        }
        if is_capitalised(word) {
            start = Some(offset);
        }
    }
    start
}

fn words_with_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn parse(s: &str) -> DateLine {
        match parse_date_line(s) {
            Some(l) => l,
            None => panic!("no date line in {s:?}"),
        }
    }

    #[test]
    fn official_examples() {
        let l = parse("Hà Nội, ngày 05 tháng 01 năm 2020");
        assert_eq!(l.date, d(2020, 1, 5));
        assert_eq!(l.place.as_deref(), Some("Hà Nội"));
        assert_eq!(l.line, "Hà Nội, ngày 05 tháng 01 năm 2020");
        let l = parse("Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019");
        assert_eq!(l.date, d(2019, 6, 29));
        assert_eq!(l.place.as_deref(), Some("Thành phố Hồ Chí Minh"));
    }

    #[test]
    fn padding_variants_all_read() {
        for (s, want) in [
            ("Đắk Glei, ngày 05 tháng 3 năm 2022", d(2022, 3, 5)),
            ("Đắk Glei, ngày 05 tháng 02 năm 2022", d(2022, 2, 5)),
            ("Đắk Glei, ngày 5 tháng 3 năm 2022", d(2022, 3, 5)),
            ("Đắk Glei, ngày 18 tháng 07 năm 2022", d(2022, 7, 18)),
            ("Đắk Glei,ngày 18 tháng 3 năm 2022", d(2022, 3, 18)),
            ("Đắk Glei ngày 18 tháng 3 năm 2022", d(2022, 3, 18)),
            ("Bình Thuận, ngày   23 tháng    3 năm 2022", d(2022, 3, 23)),
            ("Lâm Đồng, ngày 09tháng 4 năm 2026", d(2026, 4, 9)),
            ("Bỉm Sơn, ngày 09 tháng 9năm 2024", d(2024, 9, 9)),
        ] {
            let l = parse(s);
            assert_eq!(l.date, want, "{s}");
            assert!(l.place.is_some(), "{s}");
        }
    }

    #[test]
    fn impossible_and_blank_dates_are_none() {
        let l = parse("Đắk Glei, ngày 31 tháng 02 năm 2022");
        assert_eq!(l.date, None);
        assert_eq!(l.place.as_deref(), Some("Đắk Glei"));
        let l = parse("Đắk Glei, ngày      tháng     năm 2023");
        assert_eq!(l.date, None);
        assert_eq!(l.place.as_deref(), Some("Đắk Glei"));
        assert_eq!(parse("Hà Nội, ngày 00 tháng 13 năm 2022").date, None);
    }

    #[test]
    fn shares_a_line_with_the_number() {
        let l = parse("Số: 45/BC-UBND Đắk Glei, ngày 18 tháng 3 năm 2022");
        assert_eq!(l.place.as_deref(), Some("Đắk Glei"));
        assert_eq!(l.date, d(2022, 3, 18));
        assert_eq!(l.line, "Đắk Glei, ngày 18 tháng 3 năm 2022");
        let l = parse("Số: 2093 /QĐ-BYT\tHà Nội, ngày 24 tháng 6 năm 2025");
        assert_eq!(l.place.as_deref(), Some("Hà Nội"));
    }

    #[test]
    fn shares_a_line_with_the_extract() {
        let l = parse("V/v trả lời đề nghị của\tHà Nội, ngày 06 tháng 10 năm 2025");
        assert_eq!(l.place.as_deref(), Some("Hà Nội"));
        let l = parse("V/v trả lời đề nghị của Hà Nội, ngày 06 tháng 10 năm 2025");
        assert_eq!(l.place, None);
        assert_eq!(l.date, d(2025, 10, 6));
    }

    #[test]
    fn citations_and_numeric_dates_are_not_date_lines() {
        for s in [
            "Căn cứ Quyết định số 35/QĐ-UBND ngày 27/01/2023 của UBND tỉnh",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "Thời gian ký: 25/07/2025 10:25:14 +07:00",
            "Ldm D6ng, ngdy fithdng 11 ndm 2025",
            "tại Công văn số 06/KHBT ngày 21 tháng 01 năm 2022 và",
        ] {
            assert_eq!(parse_date_line(s), None, "{s}");
        }
    }
}
