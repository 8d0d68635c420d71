//! Is a text layer Vietnamese? Scanners' built-in OCR without the Vietnamese
//! model leaves layers like "Ldm D6ng, ngdy fithdng 11": words that no
//! Vietnamese syllable can spell, digits inside words, stray symbols. Such a
//! layer is treated as no text, and the page is read by OCR instead.
//!
//! The test is phonotactic rather than a word list: every Vietnamese word in
//! running text is one syllable, (onset) + (glide) vowel nucleus + (coda),
//! with at most one tone mark, and these sets are closed and small.

use unicode_normalization::UnicodeNormalization;

/// Share of lower-case words that must be Vietnamese syllables.
const MIN_SYLLABLE_SHARE: f64 = 0.7;
/// Share of words that must carry a Vietnamese letter or tone mark: running
/// Vietnamese has them on most words, while OCR without the Vietnamese model
/// drops them all ("Chi tich UBND tinh tai budi lam viec").
const MIN_MARKED_SHARE: f64 = 0.25;
/// Fewer words than this say too little to judge.
const MIN_WORDS: usize = 8;

/// True when the text has enough words and too few are Vietnamese.
pub fn is_garbage(text: &str) -> bool {
    let c = syllable_counts(text);
    let total = c.total as f64;
    c.total >= MIN_WORDS
        && ((c.syllables as f64) < MIN_SYLLABLE_SHARE * total
            || (c.marked as f64) < MIN_MARKED_SHARE * total)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Words judged.
    pub total: usize,
    /// Words that are Vietnamese syllables.
    pub syllables: usize,
    /// Words with a letter outside ASCII.
    pub marked: usize,
}

/// Words in capitals are left out (abbreviations: UBND, QĐ, TTg are no
/// syllables), and so are pure numbers.
pub fn syllable_counts(text: &str) -> Counts {
    let text = crate::text::nfc(text);
    let mut good = 0;
    let mut total = 0;
    let mut marked = 0;
    for word in text.split(|c: char| !(c.is_alphanumeric() || is_combining(c))) {
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let has_lower = word.chars().any(char::is_lowercase);
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        if !has_lower && !has_digit {
            continue;
        }
        // Capitalised words count ("Hà", "Nội"); mixed-case ones ("ViệT") do not pass.
        total += 1;
        marked += usize::from(!word.is_ascii());
        if !has_digit && is_syllable(word) {
            good += 1;
        }
    }
    Counts {
        total,
        syllables: good,
        marked,
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The base letter and whether it carried a tone mark (sắc, huyền, hỏi, ngã, nặng).
fn split_tone(c: char) -> Option<(char, bool)> {
    let mut base = None;
    let mut tone = false;
    for d in c.nfd() {
        match d {
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tone = true,
            // Circumflex, breve, horn: part of the vowel letter.
            '\u{302}' | '\u{306}' | '\u{31b}' => {
                base = base.map(|b: char| format!("{b}{d}").nfc().next().unwrap_or(b));
            }
            d if base.is_none() => base = Some(d),
            _ => return None,
        }
    }
    base.map(|b| (b, tone))
}

const ONSETS: &[&str] = &[
    "ngh", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh",
    "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
const CODAS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
const VOWELS: &str = "aăâeêioôơuưy";
/// Vowel sequences (glide + nucleus + semivowel coda) that Vietnamese spells.
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu", "ưo", "io",
];

/// One Vietnamese syllable, in any case, with at most one tone mark.
pub fn is_syllable(word: &str) -> bool {
    let mut letters = String::new();
    let mut tones = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let Some((base, tone)) = split_tone(c) else {
            return false;
        };
        tones += usize::from(tone);
        letters.push(base);
    }
    if tones > 1 || letters.chars().count() > 7 {
        return false;
    }
    let start = letters
        .find(|c| VOWELS.contains(c))
        .unwrap_or(letters.len());
    let onset = &letters[..start];
    // "gi" and "qu" take the vowel letter as part of the onset ("gì", "quý").
    let rest = &letters[start..];
    if !(onset.is_empty() || ONSETS.contains(&onset) || onset == "g" || onset == "q") {
        return false;
    }
    let end = rest.find(|c| !VOWELS.contains(c)).unwrap_or(rest.len());
    let (vowels, coda) = rest.split_at(end);
    let vowels = match onset {
        "q" => vowels.strip_prefix('u').unwrap_or("x"),
        "g" if vowels.len() > 1 => vowels.strip_prefix('i').unwrap_or(vowels),
        _ => vowels,
    };
    if onset == "g" && vowels.is_empty() && rest.starts_with('i') {
        // "gì": the i is both the onset's and the nucleus.
        return CODAS.contains(&coda);
    }
    !vowels.is_empty() && NUCLEI.contains(&vowels) && CODAS.contains(&coda)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_syllables() {
        for w in [
            "Cộng",
            "hòa",
            "xã",
            "hội",
            "chủ",
            "nghĩa",
            "Việt",
            "Nam",
            "Độc",
            "lập",
            "Tự",
            "do",
            "Hạnh",
            "phúc",
            "ngày",
            "tháng",
            "năm",
            "Quyết",
            "định",
            "giữa",
            "quyền",
            "khuyến",
            "nguyễn",
            "gì",
            "người",
            "Ủy",
            "ban",
            "nhân",
            "dân",
            "tỉnh",
            "Lâm",
            "Đồng",
            "thuở",
            "kế",
            "hoạch",
            "báo",
            "cáo",
            "trưởng",
            "khoa",
            "huyện",
            "ngoài",
            "giấy",
            "mời",
        ] {
            assert!(is_syllable(w), "{w}");
        }
    }

    #[test]
    fn garbled_words_are_not_syllables() {
        for w in [
            "Ldm", "ngdy", "fithdng", "ngáỳ", "Cá»", "strng", "hello", "xyz",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    #[test]
    fn judges_layers() {
        let real = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc \
                    Lâm Đồng, ngày 13 tháng 11 năm 2025 Số: 493/TB-UBND Thông báo kết luận của Chủ tịch";
        assert!(!is_garbage(real));
        let ocr = "56:]+9-} /TB-LIBND Ldm D6ng, ngdy fithdng 11 ndm 2025 THONG BAO Kết ludn cta \
                   Chi tich UBND tinh tai budi lam viec vdi";
        assert!(is_garbage(ocr));
        // Too few words to judge.
        assert!(!is_garbage("SAO Y 25/07/2025 Văn phòng"));
    }

    #[test]
    fn nfd_text_is_judged_like_nfc() {
        let nfd: String = "Cộng hòa xã hội chủ nghĩa Việt Nam độc lập tự do hạnh phúc"
            .nfd()
            .collect();
        let c = syllable_counts(&nfd);
        assert_eq!((c.syllables, c.total), (14, 14));
        // No diacritics at all: the marks were lost, the layer is no Vietnamese text.
        assert!(is_garbage(
            "Chi tich UBND tinh tai buoi lam viec voi Lam Dong ngay thang nam"
        ));
    }
}
