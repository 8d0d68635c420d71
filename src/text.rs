//! Vietnamese text helpers shared by discovery, inspection and rules.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFC, the form every path and extracted string is kept in.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Lower-case, diacritics removed, "đ" → "d", runs of whitespace collapsed:
/// the form patterns are compared in ("Kế hoạch" ~ "ke hoach" ~ "KE HOACH").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() || c == '_' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_diacritics_and_case() {
        assert_eq!(fold("Kế hoạch KIỂM TRA"), "ke hoach kiem tra");
        assert_eq!(fold("Đắk  Glei_2022"), "dak glei 2022");
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfd: String = "Báo cáo quý I".nfd().collect();
        assert_ne!(nfd, "Báo cáo quý I");
        assert_eq!(nfc(&nfd), "Báo cáo quý I");
        assert_eq!(fold(&nfd), fold("Báo cáo quý I"));
    }
}
