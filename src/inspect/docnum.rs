//! The "Số: N/SYMBOL" line (Decree 30/2020/NĐ-CP, Phụ lục I, I.II.3).
//!
//! Hand-written rather than one regex so that every tolerated departure
//! (spaces, `_`, dashes, a stray dot, a blank draft number) is recorded as a
//! deviation instead of silently accepted or rejected.

use crate::facts::NumberFacts;

/// A number line found in a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// "N/SYMBOL" normalised: no spaces, dashes as '-', stray dot dropped.
    pub number: String,
    pub facts: NumberFacts,
    /// Byte offset in the input line just past the symbol.
    pub end: usize,
}

/// Longest ordinal accepted; longer digit runs are not document numbers.
const MAX_SEQ_DIGITS: usize = 6;

/// Parse a line (or column cell) that starts with "Số". Whatever follows the
/// symbol (the place-and-date line in the next column) is ignored.
///
/// Grammar, one `Line` method per step:
/// `"Số" [":"] sequence ["/" year] "/" group (separator group)*`.
pub fn parse_number_line(line: &str) -> Option<Found> {
    let mut p = Line::prefix(line)?;
    p.sequence()?;
    p.year();
    p.symbol_groups();
    p.finish()
}

/// The parse state of one number line.
struct Line<'a> {
    /// The text after "Số".
    rest: &'a str,
    /// Byte offset of `rest` in the input line.
    offset: usize,
    p: Cursor<'a>,
    raw_start: usize,
    seq_str: &'a str,
    year: Option<i32>,
    groups: Vec<String>,
    seps: Vec<char>,
    /// Spaces around "/" (a number stamped or typed into a blank).
    spaced_slash: bool,
    /// Spaces around a separator inside the symbol ("STC- HTDN").
    spaced_symbol: bool,
    /// A letter after the digits ("118a"): a number inserted into the series.
    suffix: Option<char>,
    deviations: Vec<String>,
    habits: Vec<String>,
}

impl<'a> Line<'a> {
    /// `"Số" [":"]`: the colon may be missing ("Số 16/KH-UBND"), but then a
    /// space must follow: "Sốlượng" is a word, not a number line.
    fn prefix(line: &'a str) -> Option<Self> {
        let s = line.trim_start();
        let rest = s.strip_prefix("Số").or_else(|| s.strip_prefix("SỐ"))?;
        let mut me = Line {
            rest,
            offset: line.len() - rest.len(),
            p: Cursor::new(rest),
            raw_start: 0,
            seq_str: "",
            year: None,
            groups: Vec::new(),
            seps: Vec::new(),
            spaced_slash: false,
            spaced_symbol: false,
            suffix: None,
            deviations: Vec::new(),
            habits: Vec::new(),
        };
        let spaced_after_so = me.p.skip_ws();
        if !me.p.eat(':') {
            // "Sốlượng" is a word; "Số2624/…" (colon and space lost in the
            // text layer) is a number. "Số 9639 Ngày 19/05/2025" receipt stamps
            // also lack the colon; the slash-and-symbol requirement keeps them out.
            if !spaced_after_so && !me.p.peek().is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            me.habits.push("no ':' after \"Số\"".to_string());
        }
        me.p.skip_ws();
        me.raw_start = me.p.pos;
        Some(me)
    }

    /// The ordinal (maybe blank, maybe with a stray dot) up to and including "/".
    fn sequence(&mut self) -> Option<()> {
        // Blanks left for hand-filling: dots or an ellipsis.
        while self.p.eat('.') || self.p.eat('…') {}
        self.seq_str = self.p.take_while(|c| c.is_ascii_digit());
        if self.seq_str.len() > MAX_SEQ_DIGITS {
            return None;
        }
        if !self.seq_str.is_empty() {
            // "118a/BC-SNV": one lower-case letter right after the digits.
            let save = self.p.pos;
            match self.p.peek() {
                Some(c) if c.is_ascii_lowercase() => {
                    self.p.bump();
                    let next = self.p.peek();
                    if matches!(next, Some('/' | ' ')) {
                        self.suffix = Some(c);
                    } else {
                        self.p.pos = save;
                    }
                }
                _ => {}
            }
        }
        self.spaced_slash |= self.p.skip_ws();
        if !self.seq_str.is_empty() && self.p.eat('.') {
            self.deviations
                .push(format!("stray '.' after the number \"{}.\"", self.seq_str));
            self.spaced_slash |= self.p.skip_ws();
        }
        if !self.p.eat('/') {
            return None;
        }
        if self.seq_str.is_empty() {
            self.deviations
                .push("blank number (unnumbered draft)".to_string());
        }
        self.spaced_slash |= self.p.skip_inline_ws();
        Some(())
    }

    /// Normative documents: N/YYYY/SYMBOL.
    fn year(&mut self) {
        let save = self.p.pos;
        let digits = self.p.take_while(|c| c.is_ascii_digit());
        if digits.len() == 4 {
            let ws = self.p.skip_inline_ws();
            if self.p.eat('/') {
                self.year = digits.parse::<i32>().ok();
                self.spaced_slash |= ws | self.p.skip_inline_ws();
                return;
            }
        }
        self.p.pos = save;
    }

    /// Symbol groups and the separators between them.
    fn symbol_groups(&mut self) {
        loop {
            let group = self.p.take_while(is_group_char);
            let group = group.trim_end_matches('.');
            if group.is_empty() || !group.chars().any(|c| c.is_alphanumeric()) {
                break;
            }
            self.groups.push(group.to_string());
            // A separator may have spaces around it ("STC- HTDN"); a space not
            // next to a separator ends the symbol ("KH-UBND Đắk Glei, ngày…").
            let save = self.p.pos;
            let ws_before = self.p.skip_inline_ws();
            match self.p.peek() {
                Some(c) if is_separator(c) => {
                    self.p.bump();
                    let ws_after = self.p.skip_inline_ws();
                    self.spaced_symbol |= ws_before | ws_after;
                    self.seps.push(c);
                }
                _ => {
                    self.p.pos = save;
                    break;
                }
            }
        }
        if self.groups.len() < self.seps.len() {
            // Trailing separator with nothing after it ("KH-").
            self.seps.truncate(self.groups.len().saturating_sub(1));
        }
    }

    fn finish(mut self) -> Option<Found> {
        let seq = if self.seq_str.is_empty() {
            None
        } else {
            self.seq_str.parse::<u32>().ok()
        };
        if self.groups.is_empty() {
            // "Số: 16/" with nothing after the slash: a number without a symbol.
            seq?;
            let after = self.rest[self.p.pos..].trim_start_matches([' ', '\u{a0}']);
            if !(after.is_empty() || after.starts_with('\t')) {
                return None;
            }
            self.deviations.push("missing symbol".to_string());
        }
        self.form_deviations();
        let raw = self.rest[self.raw_start..self.p.pos].trim().to_string();
        let number = self.normalised(seq.is_some());
        Some(Found {
            end: self.offset + self.p.pos,
            number,
            facts: NumberFacts {
                raw,
                seq,
                year: self.year,
                groups: self.groups,
                deviations: self.deviations,
                habits: self.habits,
            },
        })
    }

    /// Departures from Decree 30's form that the grammar let through.
    fn form_deviations(&mut self) {
        if self.spaced_slash {
            self.habits
                .push("spaces around '/' (number stamped into a blank)".to_string());
        }
        if let Some(c) = self.suffix {
            self.habits.push(format!(
                "letter '{c}' after the number (inserted into the series)"
            ));
        }
        let d = &mut self.deviations;
        if self.spaced_symbol {
            d.push("spaces inside the symbol".to_string());
        }
        if self.seps.contains(&'_') {
            d.push("'_' instead of '-' between symbol groups".to_string());
        }
        if self.seps.iter().any(|c| *c != '-' && *c != '_') {
            d.push("dash other than '-' between symbol groups".to_string());
        }
        let seq_str = self.seq_str;
        if seq_str.len() == 1 {
            d.push(format!(
                "number below 10 without a leading zero (\"{seq_str}\", Decree 30 writes \"0{seq_str}\")"
            ));
        }
        if seq_str.len() > 2 && seq_str.starts_with('0') {
            d.push(format!("leading zero on \"{seq_str}\""));
        }
        for g in &self.groups {
            if g.chars().any(char::is_lowercase) && !customary_mixed_case(g) {
                d.push(format!("lower-case letters in symbol group \"{g}\""));
            }
            if g.contains('&') {
                d.push(format!("'&' in symbol group \"{g}\""));
            }
            if g.contains('(') || g.contains(')') {
                d.push(format!("parentheses in symbol group \"{g}\""));
            }
        }
        if self.groups.len() == 1 {
            d.push("symbol has a single group (expected TYPE-ISSUER or ISSUER-UNIT)".into());
        }
    }

    /// "N/SYMBOL": no spaces, dashes as '-', stray dot dropped.
    fn normalised(&self, with_seq: bool) -> String {
        let mut number = String::new();
        if with_seq {
            number.push_str(self.seq_str);
            number.extend(self.suffix);
        }
        number.push('/');
        if let Some(y) = self.year {
            number.push_str(&format!("{y}/"));
        }
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                // '_' is a visible typo worth keeping; dash variants look like '-'.
                let sep = match self.seps.get(i - 1) {
                    Some('_') => '_',
                    _ => '-',
                };
                number.push(sep);
            }
            number.push_str(g);
        }
        number
    }
}

/// Phụ lục III writes some type codes in mixed case (QyĐ, CTr, TTr, TrS),
/// and "TTg" (Thủ tướng) is the government's own usage.
fn customary_mixed_case(group: &str) -> bool {
    group == "TTg" || crate::decree30::type_name(group).is_some()
}

fn is_group_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '&' | '(' | ')' | '.')
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '–' | '—' | '‑' | '‐' | '−')
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { s, pos: 0 }
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos..)?.chars().next()
    }
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }
    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !f(c) {
                break;
            }
            self.bump();
        }
        self.s.get(start..self.pos).unwrap_or("")
    }
    /// Any whitespace, tabs included (blanks for hand-filled numbers can be a column wide).
    fn skip_ws(&mut self) -> bool {
        !self.take_while(char::is_whitespace).is_empty()
    }
    /// Spaces only: a tab inside the symbol means the next column.
    fn skip_inline_ws(&mut self) -> bool {
        !self.take_while(|c| c == ' ' || c == '\u{a0}').is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Found {
        match parse_number_line(s) {
            Some(f) => f,
            None => panic!("no number in {s:?}"),
        }
    }

    fn groups(f: &Found) -> Vec<&str> {
        f.facts.groups.iter().map(String::as_str).collect()
    }

    /// A departure recorded either as a fault (DOC002) or as a layout habit.
    fn has_dev(f: &Found, needle: &str) -> bool {
        f.facts
            .deviations
            .iter()
            .chain(&f.facts.habits)
            .any(|d| d.contains(needle))
    }

    fn has_fault(f: &Found, needle: &str) -> bool {
        f.facts.deviations.iter().any(|d| d.contains(needle))
    }

    #[test]
    fn conforming_numbers_have_no_deviations() {
        for (line, number, seq, g) in [
            ("Số: 16/PNV-TH", "16/PNV-TH", 16, vec!["PNV", "TH"]),
            ("Số: 167/PNV-TH", "167/PNV-TH", 167, vec!["PNV", "TH"]),
            ("Số: 01/HD-PNV", "01/HD-PNV", 1, vec!["HD", "PNV"]),
            ("Số: 35/QĐ-UBND", "35/QĐ-UBND", 35, vec!["QĐ", "UBND"]),
            ("Số: 1558/KH-UBND", "1558/KH-UBND", 1558, vec!["KH", "UBND"]),
            ("Số: 854/BC-UBND", "854/BC-UBND", 854, vec!["BC", "UBND"]),
            ("Số: 2291/UBND-NC", "2291/UBND-NC", 2291, vec!["UBND", "NC"]),
            (
                "Số: 1008/UBND-HTKT",
                "1008/UBND-HTKT",
                1008,
                vec!["UBND", "HTKT"],
            ),
            (
                "Số: 1890/UBND-TCKH",
                "1890/UBND-TCKH",
                1890,
                vec!["UBND", "TCKH"],
            ),
            ("Số: 1895/STP-TTr", "1895/STP-TTr", 1895, vec!["STP", "TTr"]),
            (
                "Số: 778/SNV-QLVTLT",
                "778/SNV-QLVTLT",
                778,
                vec!["SNV", "QLVTLT"],
            ),
            ("Số: 13/TB-SNV", "13/TB-SNV", 13, vec!["TB", "SNV"]),
            (
                "Số: 316/PTCKH-QLGCS",
                "316/PTCKH-QLGCS",
                316,
                vec!["PTCKH", "QLGCS"],
            ),
            ("Số: 04/NQ-CP", "04/NQ-CP", 4, vec!["NQ", "CP"]),
        ] {
            let f = parse(line);
            assert_eq!(f.number, number, "{line}");
            assert_eq!(f.facts.seq, Some(seq), "{line}");
            assert_eq!(f.facts.year, None, "{line}");
            assert_eq!(groups(&f), g, "{line}");
            assert!(
                f.facts.deviations.is_empty(),
                "{line}: {:?}",
                f.facts.deviations
            );
        }
    }

    #[test]
    fn underscore_typo() {
        let f = parse("Số: 641/KH_UBND");
        assert_eq!(f.number, "641/KH_UBND");
        assert_eq!(groups(&f), ["KH", "UBND"]);
        assert_eq!(f.facts.seq, Some(641));
        assert!(has_dev(&f, "'_'"));
    }

    #[test]
    fn ampersand_is_a_deviation() {
        for line in ["Số: 1016/SNV-XDCQ&TCBM", "Số: 1625/SNV-XDCQ&TCBM"] {
            let f = parse(line);
            assert_eq!(groups(&f), ["SNV", "XDCQ&TCBM"]);
            assert_eq!(f.facts.deviations.len(), 1, "{:?}", f.facts.deviations);
            assert!(has_dev(&f, "'&'"));
        }
    }

    #[test]
    fn normative_numbers_carry_a_year() {
        for (line, seq, year) in [
            ("Số: 60/2021/NĐ-CP", 60, 2021),
            ("Số: 09/2019/NĐ-CP", 9, 2019),
            ("Số: 02/2019/TT-BNV", 2, 2019),
        ] {
            let f = parse(line);
            assert_eq!(f.facts.seq, Some(seq));
            assert_eq!(f.facts.year, Some(year));
            assert!(f.facts.deviations.is_empty(), "{:?}", f.facts.deviations);
        }
        let f = parse("Số: 33/2022/NQ-HĐND");
        assert_eq!(f.number, "33/2022/NQ-HĐND");
        assert_eq!(groups(&f), ["NQ", "HĐND"]);
        let f = parse("Số: 01/2016/TTLT-TANDTC-VKSNDTC-BTP");
        assert_eq!(groups(&f), ["TTLT", "TANDTC", "VKSNDTC", "BTP"]);
        let f = parse("Số: 3     /2025/QĐ-UBND");
        assert_eq!(f.number, "3/2025/QĐ-UBND");
        assert!(has_dev(&f, "leading zero"));
        assert!(has_dev(&f, "spaces"));
    }

    #[test]
    fn blank_draft_number() {
        let f = parse("Số: /BC-PNV");
        assert_eq!(f.facts.seq, None);
        assert_eq!(f.number, "/BC-PNV");
        assert_eq!(groups(&f), ["BC", "PNV"]);
        assert!(has_dev(&f, "blank number"));
        let f = parse("Số:        /BC-PNV\tĐắk Glei, ngày      tháng     năm 2023");
        assert_eq!(f.number, "/BC-PNV");
    }

    #[test]
    fn spacing_variants() {
        let f = parse("Số:16/PNV-TH");
        assert_eq!(f.number, "16/PNV-TH");
        assert!(f.facts.deviations.is_empty());
        let f = parse("Số : 2093 /QĐ-BYT");
        assert_eq!(f.number, "2093/QĐ-BYT");
        assert!(has_dev(&f, "spaces"));
        let f = parse("Số: 1925 /STC- HTDN\tBình Thuận, ngày 19 tháng 5 năm 2025");
        assert_eq!(f.number, "1925/STC-HTDN");
        assert_eq!(f.facts.raw, "1925 /STC- HTDN");
        assert!(has_fault(&f, "spaces inside the symbol"));
        let f = parse("Số: 329\t/BC-UBND");
        assert_eq!(f.number, "329/BC-UBND");
        let f = parse("Số 16/KH-UBND");
        assert_eq!(f.number, "16/KH-UBND");
        assert!(has_dev(&f, "':'"));
    }

    #[test]
    fn dashes_and_stray_dot() {
        let f = parse("Số: 12/UBND–VX");
        assert_eq!(f.number, "12/UBND-VX");
        assert!(has_dev(&f, "dash"));
        let f = parse("Số: 3070. /KH-UBND");
        assert_eq!(f.number, "3070/KH-UBND");
        assert_eq!(f.facts.seq, Some(3070));
        assert!(has_dev(&f, "stray '.'"));
    }

    #[test]
    fn unpadded_and_lower_case() {
        let f = parse("Số: 5/QĐ-UBND");
        assert!(has_dev(&f, "leading zero"));
        let f = parse("Số: 05/qđ-ubnd");
        assert!(has_dev(&f, "lower-case letters in symbol group \"qđ\""));
        let f = parse("Số: 05/QyĐ-UBND");
        assert!(f.facts.deviations.is_empty());
        let f = parse("Số: 1360/QĐ-TTg");
        assert!(f.facts.deviations.is_empty());
        let f = parse("Số: 409 /TTr-CAT(PC04)");
        assert_eq!(f.number, "409/TTr-CAT(PC04)");
        assert!(has_dev(&f, "parentheses"));
    }

    #[test]
    fn number_and_date_on_one_line() {
        let f = parse("Số: 45/BC-UBND Đắk Glei, ngày 18 tháng 3 năm 2022");
        assert_eq!(f.number, "45/BC-UBND");
        assert_eq!(f.facts.raw, "45/BC-UBND");
        let f = parse("Số: 45/BC-UBND\tĐắk Glei, ngày 18 tháng 3 năm 2022");
        assert_eq!(f.number, "45/BC-UBND");
    }

    #[test]
    fn missing_symbol() {
        let f = parse("Số: 16/");
        assert_eq!(f.facts.seq, Some(16));
        assert!(f.facts.groups.is_empty());
        assert!(has_dev(&f, "missing symbol"));
    }

    #[test]
    fn not_number_lines() {
        for line in [
            "Số 9639 Ngày 19/05/2025",
            "Số: 4707",
            "Số lượng: 12",
            "số 16/KH-UBND",
            "so:f60tCNa-usND",
            "Số:/",
            "Số: 1234567/KH-UBND",
            "Sốlượng: 16/KH-UBND",
            "Sở Nội vụ",
        ] {
            assert_eq!(parse_number_line(line), None, "{line}");
        }
    }

    #[test]
    fn spaces_around_the_slash_are_a_habit_not_a_fault() {
        for line in [
            "Số:  8151  /BNV-CCHC",
            "Số: 2093 /QĐ-BYT",
            "Số: 85      /GM-UBND",
            "Số: 3     /2025/QĐ-UBND",
        ] {
            let f = parse(line);
            assert!(has_dev(&f, "around '/'"), "{line}");
            assert!(!has_fault(&f, "spaces"), "{line}: {:?}", f.facts.deviations);
        }
        let f = parse("Số:  8151  /BNV-CCHC");
        assert!(f.facts.deviations.is_empty(), "{:?}", f.facts.deviations);
        assert_eq!(f.number, "8151/BNV-CCHC");
    }

    #[test]
    fn letter_suffix_and_missing_colon() {
        let f = parse("Số: 118a/BC-SNV");
        assert_eq!(f.number, "118a/BC-SNV");
        assert_eq!(f.facts.seq, Some(118));
        assert!(f.facts.deviations.is_empty(), "{:?}", f.facts.deviations);
        assert!(has_dev(&f, "letter 'a'"));
        let f = parse("Số2624/SNV-CCHC");
        assert_eq!(f.number, "2624/SNV-CCHC");
        assert!(f.facts.deviations.is_empty());
        assert!(has_dev(&f, "':'"));
        let f = parse("Số16/KH-UBND");
        assert_eq!(f.number, "16/KH-UBND");
        // "118ab" is not a suffix: not a number.
        assert_eq!(parse_number_line("Số: 118ab/BC-SNV"), None);
    }

    #[test]
    fn issuer_parts_with_groups_parentheses_and_dd() {
        let f = parse("Số: 4186 /SNNMT-CCQLĐĐ");
        assert_eq!(f.number, "4186/SNNMT-CCQLĐĐ");
        assert_eq!(groups(&f), ["SNNMT", "CCQLĐĐ"]);
        let f = parse("Số: 409 /TTr-CAT(PC04)");
        assert_eq!(groups(&f), ["TTr", "CAT(PC04)"]);
        let f = parse("Số: 12/QĐ-UBND-VP");
        assert_eq!(groups(&f), ["QĐ", "UBND", "VP"]);
    }
}
