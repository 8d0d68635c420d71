//! Document numbers a page cites ("phúc đáp Công văn số 3183/SNV-TCBC ngày
//! 26/11/2025", "thực hiện Văn bản số 2291/UBND-NC …"). A fact, not a
//! judgement: every `N/SYMBOL` whose symbol has a letter, as printed (spaces
//! around separators closed up), minus the document's own number.

use std::sync::LazyLock;

use regex::Regex;

/// `N / GROUP (- GROUP)*` with an optional space or line break around the separators. A group
/// is upper-case letters, digits, `&` or `.`; the symbol must hold a letter,
/// which keeps dates ("18/7/2022") and counts ("12/12 xã") out.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:^|[^\p{L}\p{N}/])
        (?P<n>
          \p{N}{1,6}
          (?:\s?/\s?[\p{Lu}\p{N}&.]+)
          (?:\s?[-‐‑‒–—/]\s?[\p{Lu}\p{N}&.]+)*
        )",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// "Số:" heads the document's own number; what follows is not a citation.
static OWN_NUMBER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)s[ốô]\s*:\s*$").unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// Cited numbers in order of first appearance, without duplicates. `own` is
/// the document's own number (excluded). Input may be NFC or NFD.
pub fn extract(text: &str, own: Option<&str>) -> Vec<String> {
    let text = crate::text::nfc(text);
    let own_key = own.map(crate::decree30::number_key);
    let mut seen = Vec::<String>::new();
    let mut out = Vec::new();
    for c in NUMBER.captures_iter(&text) {
        let Some(m) = c.name("n") else { continue };
        let raw = trim_into_word(&text, m.start(), m.end());
        let raw = raw.trim_end_matches(['.', '-', '/']);
        if !raw
            .split('/')
            .skip(1)
            .any(|g| g.chars().any(char::is_alphabetic))
        {
            continue;
        }
        let before = &text[..m.start()];
        let tail_from = before.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
        if OWN_NUMBER_LABEL.is_match(&before[tail_from..]) {
            continue;
        }
        let printed: String = raw.split_whitespace().collect();
        let key = crate::decree30::number_key(&printed);
        if own_key.as_deref() == Some(key.as_str()) || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(printed);
    }
    out
}

/// Drop trailing groups that run into a lower-case word: in "2291/UBND-NC - Phòng"
/// the "P" of "Phòng" is not part of the symbol.
fn trim_into_word(text: &str, start: usize, mut end: usize) -> &str {
    while text[end..].chars().next().is_some_and(char::is_lowercase) {
        let Some(cut) = text[start..end].rfind(['-', '‐', '‑', '‒', '–', '—', '/'])
        else {
            break;
        };
        end = start + cut;
    }
    text[start..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn finds_cited_numbers_not_dates_or_counts() {
        let t = "Số: 412/UBND-NV\nV/v phúc đáp Công văn số 3183/SNV-TCBC ngày 26/11/2025\n\
                 Thực hiện Văn bản số 2291/UBND-NC ngày 18/7/2022; đã áp dụng tại 12/12 xã.";
        assert_eq!(
            extract(t, Some("412/UBND-NV")),
            ["3183/SNV-TCBC", "2291/UBND-NC"]
        );
    }

    #[test]
    fn odd_spacing_nfd_and_normative_numbers() {
        let t: String = "theo Công văn số 1008 / UBND - HTKT và Nghị định số 30/2020/NĐ-CP."
            .nfd()
            .collect();
        assert_eq!(extract(&t, None), ["1008/UBND-HTKT", "30/2020/NĐ-CP"]);
        // The own number after "Số:" is skipped even without `own`.
        assert_eq!(
            extract("SỐ: 45/BC-UBND\nKế hoạch số 16/KH-UBND", None),
            ["16/KH-UBND"]
        );
    }

    #[test]
    fn wrapped_numbers_and_following_words() {
        let t = "phúc đáp Công văn số 1008/UBND-\nHTKT ngày 12/4/2022\nVăn bản số 2291/UBND-NC - Phòng Nội vụ";
        assert_eq!(extract(t, None), ["1008/UBND-HTKT", "2291/UBND-NC"]);
    }

    #[test]
    fn symbols_with_ampersand_and_en_dash() {
        let t = "Công văn số 1016/SNV-XDCQ&TCBM và Văn bản số 246/UBND–KTTH.";
        assert_eq!(extract(t, None), ["1016/SNV-XDCQ&TCBM", "246/UBND–KTTH"]);
        assert_eq!(
            crate::decree30::number_key("246/UBND–KTTH"),
            crate::decree30::number_key("246/ubnd-KTTH")
        );
    }
}
