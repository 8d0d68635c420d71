//! Does a text layer read as words? A broken glyph mapping (a font whose
//! codes were shifted, "&RQJ KzD [m" for "Cộng hòa xã") gives tokens no
//! language spells; text typed without Vietnamese marks ("Uy ban nhan dan")
//! or in English gives words. Only the first is garbage.

use super::garbage::is_syllable;

/// Fewer words than this say too little to judge.
const MIN_WORDS: usize = 8;
/// Share of words that must be a Vietnamese syllable or a plain word.
const MIN_WORD_SHARE: f64 = 0.8;

/// A plain Latin word: ASCII letters only, lower-case, Capitalised or all
/// capitals (never "KzD"), with a vowel, of a word's length.
fn plain_word(w: &str) -> bool {
    let n = w.chars().count();
    if !(2..=20).contains(&n) || !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let rest = &w[1..];
    let cased =
        rest.chars().all(|c| c.is_ascii_lowercase()) || w.chars().all(|c| c.is_ascii_uppercase());
    cased && w.chars().any(|c| "aeiouyAEIOUY".contains(c))
}

/// True when most of the text's words are words.
pub fn reads_as_words(text: &str) -> bool {
    let mut total = 0usize;
    let mut words = 0usize;
    for token in text.split(|c: char| c.is_whitespace() || ",.;:!?()\"'“”–-/".contains(c)) {
        if token.is_empty() || token.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        total += 1;
        if is_syllable(token) || plain_word(token) {
            words += 1;
        }
    }
    total >= MIN_WORDS && words as f64 >= MIN_WORD_SHARE * total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_without_marks_or_in_english_are_text() {
        assert!(reads_as_words(
            "Uy ban nhan dan tinh Kon Tum ban hanh ke hoach cai cach hanh chinh nam 2022"
        ));
        assert!(reads_as_words(
            "The Prime Minister decided to approve the national plan for digital transformation"
        ));
        assert!(reads_as_words(
            "Ủy ban nhân dân tỉnh Kon Tum ban hành kế hoạch cải cách hành chính năm 2022"
        ));
    }

    #[test]
    fn a_shifted_glyph_mapping_is_not() {
        assert!(!reads_as_words(
            "&RQJ KzD [m KrL FKx QJKuD 9LrW 1DP ĈӝF OұS 7ӵ GR +ҥQK SK~F"
        ));
        assert!(!reads_as_words(
            "Céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp Tù do H¹nh phóc"
        ));
    }
}
