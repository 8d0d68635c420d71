//! Constants of Decree 30/2020/NĐ-CP (công tác văn thư), Phụ lục III.

/// Administrative document types and their abbreviations (Phụ lục III),
/// plus the copy forms. Công văn and thư công have no abbreviation; tlkc
/// writes "CV" for a công văn in rulesets.
pub const TYPES: &[(&str, &str)] = &[
    ("NQ", "NGHỊ QUYẾT"),
    ("QĐ", "QUYẾT ĐỊNH"),
    ("CT", "CHỈ THỊ"),
    ("QC", "QUY CHẾ"),
    ("QyĐ", "QUY ĐỊNH"),
    ("TC", "THÔNG CÁO"),
    ("TB", "THÔNG BÁO"),
    ("HD", "HƯỚNG DẪN"),
    ("CTr", "CHƯƠNG TRÌNH"),
    ("KH", "KẾ HOẠCH"),
    ("PA", "PHƯƠNG ÁN"),
    ("ĐA", "ĐỀ ÁN"),
    ("DA", "DỰ ÁN"),
    ("BC", "BÁO CÁO"),
    ("BB", "BIÊN BẢN"),
    ("TTr", "TỜ TRÌNH"),
    ("HĐ", "HỢP ĐỒNG"),
    ("CĐ", "CÔNG ĐIỆN"),
    ("BGN", "BẢN GHI NHỚ"),
    ("BTT", "BẢN THỎA THUẬN"),
    ("GUQ", "GIẤY ỦY QUYỀN"),
    ("GM", "GIẤY MỜI"),
    ("GGT", "GIẤY GIỚI THIỆU"),
    ("GNP", "GIẤY NGHỈ PHÉP"),
    ("PG", "PHIẾU GỬI"),
    ("PC", "PHIẾU CHUYỂN"),
    ("PB", "PHIẾU BÁO"),
    ("SY", "BẢN SAO Y"),
    ("TrS", "BẢN TRÍCH SAO"),
    ("SL", "BẢN SAO LỤC"),
];

/// The pseudo-abbreviation tlkc uses for a công văn (no abbreviation in Decree 30).
pub const CONG_VAN: &str = "CV";

/// Legal normative document types that carry a year in their number
/// ("60/2021/NĐ-CP"); accepted in rulesets beside Phụ lục III.
pub const NORMATIVE_TYPES: &[(&str, &str)] = &[
    ("NĐ", "NGHỊ ĐỊNH"),
    ("TT", "THÔNG TƯ"),
    ("TTLT", "THÔNG TƯ LIÊN TỊCH"),
    ("L", "LUẬT"),
];

/// A document number reduced to what identifies it, for matching a citation
/// against a register: NFC, no spaces, upper case, every dash a hyphen-minus.
/// "2291 / UBND - NC" and "2291/ubnd-nc" both give "2291/UBND-NC".
pub fn number_key(number: &str) -> String {
    crate::text::nfc(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// The type name for an abbreviation (case-sensitive, as Phụ lục III writes it).
pub fn type_name(abbrev: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .chain(NORMATIVE_TYPES)
        .find(|(a, _)| *a == abbrev)
        .map(|(_, n)| *n)
}

/// The abbreviation for an upper-case type name ("KẾ HOẠCH" → "KH").
pub fn type_abbrev(name: &str) -> Option<&'static str> {
    let wanted = crate::text::fold(name);
    TYPES
        .iter()
        .chain(NORMATIVE_TYPES)
        .find(|(_, n)| crate::text::fold(n) == wanted)
        .map(|(a, _)| *a)
}

/// True when `abbrev` is one a ruleset may name.
pub fn is_known_type(abbrev: &str) -> bool {
    abbrev == CONG_VAN || type_name(abbrev).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_round_trip() {
        assert_eq!(type_abbrev("KẾ HOẠCH"), Some("KH"));
        assert_eq!(type_abbrev("Quy định"), Some("QyĐ"));
        assert_eq!(type_name("TTr"), Some("TỜ TRÌNH"));
        assert!(is_known_type("CV"));
        assert!(!is_known_type("KL"));
    }
}
