//! Vietnamese text helpers shared by discovery, inspection and rules.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFC, the form every path and extracted string is kept in.
/// A file size for a reader: "39,3 KB", "1,2 MB" with Vietnamese's decimal
/// comma (`decimal_comma`), or "39.3 KB".
pub fn size_text(bytes: u64, decimal_comma: bool) -> String {
    let (v, unit) = match bytes {
        b if b < 1024 => return format!("{b} B"),
        b if b < 1024 * 1024 => (b as f64 / 1024.0, "KB"),
        b => (b as f64 / (1024.0 * 1024.0), "MB"),
    };
    let n = format!("{v:.1}");
    if decimal_comma {
        format!("{} {unit}", n.replace('.', ","))
    } else {
        format!("{n} {unit}")
    }
}

pub fn nfc(s: &str) -> String {
    // Most text is NFC already (a quick scan says so): then copying is all.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Letters legacy Vietnamese fonts put where Ư/ư belong: Ƣ/ƣ (U+01A2/U+01A3,
/// "OI"), drawn alike, so "THƢƠNG" is "THƯƠNG". Applied to text read from a
/// document before any comparison (never to paths: the file is named as it is).
pub fn fix_legacy_letters(s: &str) -> String {
    if !s.contains(['\u{1a2}', '\u{1a3}']) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\u{1a2}' => 'Ư',
            '\u{1a3}' => 'ư',
            c => c,
        })
        .collect()
}

/// Lower-case, diacritics removed, "đ" → "d", runs of whitespace collapsed:
/// the form patterns are compared in ("Kế hoạch" ~ "ke hoach" ~ "KE HOACH").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    // Each character is decomposed on its own (NFD without its reordering
    // step): the reordering only moves characters of a non-zero combining
    // class among themselves, every one of them a combining mark, and marks
    // are dropped here, so the result is NFD's. ASCII skips the tables: a
    // warm check folds every file's title (issue 25).
    for c in s.chars() {
        if c.is_ascii() {
            fold_char(c, &mut out, &mut last_space);
        } else if let Some(b) = folded_letter(c) {
            // A Latin letter with its marks (every Vietnamese letter) or a
            // lone mark, from a table made by this same code (below).
            if b != DROPPED {
                out.push(char::from(b));
                last_space = false;
            }
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| {
                fold_char(d, &mut out, &mut last_space)
            });
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The code points [`folded_letter`] knows: Latin-1 letters up to Latin
/// Extended Additional (Vietnamese's ạ…ỹ), the combining marks among them.
const TABLE_FROM: u32 = 0xc0;
const TABLE_TO: u32 = 0x1f00;
/// In the table: a mark [`fold`] drops (no output, no change of state).
const DROPPED: u8 = 1;
/// In the table: not one ASCII letter or digit folded; decompose as usual.
const ANY_OTHER: u8 = 0;

/// What [`fold`] makes of `c` when that is one lower-case ASCII letter or
/// digit (or nothing: [`DROPPED`]), looked up instead of decomposed: folding
/// every title is most of a warm check's evaluation (issue 25). The table is
/// made once by folding each code point through the decomposing path, so
/// the two cannot disagree (a test compares every code point besides).
fn folded_letter(c: char) -> Option<u8> {
    static TABLE: std::sync::OnceLock<Box<[u8]>> = std::sync::OnceLock::new();
    let cp = u32::from(c);
    if !(TABLE_FROM..TABLE_TO).contains(&cp) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (TABLE_FROM..TABLE_TO)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return ANY_OTHER;
                };
                let (mut one, mut last_space) = (String::new(), false);
                unicode_normalization::char::decompose_canonical(c, |d| {
                    fold_char(d, &mut one, &mut last_space)
                });
                match one.as_bytes() {
                    [] if !last_space && unicode_normalization::char::is_combining_mark(c) => {
                        DROPPED
                    }
                    [b] if b.is_ascii_alphanumeric() => *b,
                    _ => ANY_OTHER,
                }
            })
            .collect()
    });
    match table[(cp - TABLE_FROM) as usize] {
        ANY_OTHER => None,
        b => Some(b),
    }
}

/// One character of a decomposed string, for [`fold`].
fn fold_char(c: char, out: &mut String, last_space: &mut bool) {
    if !c.is_ascii() && unicode_normalization::char::is_combining_mark(c) {
        return;
    }
    let c = match c {
        'đ' | 'Đ' => 'd',
        // Ƣ/ƣ: legacy fonts' Ư/ư (see fix_legacy_letters).
        '\u{1a2}' | '\u{1a3}' => 'u',
        c => c,
    };
    if c.is_whitespace() || c == '_' {
        if !*last_space {
            out.push(' ');
            *last_space = true;
        }
        return;
    }
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
    *last_space = false;
}

/// Characters that change how a terminal or an editor shows the text around
/// them instead of showing themselves: C0/C1 controls (newline, CR, ESC, BEL …),
/// DEL, the Unicode line and paragraph separators, and the bidirectional
/// controls (the "Trojan Source" reordering marks). Never legitimate in a
/// criteria table's cell or a sheet name.
pub fn is_disruptive(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' // line / paragraph separator
            | '\u{200E}' | '\u{200F}' | '\u{061C}' // LRM, RLM, ALM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
        )
}

/// `s` on one line for a terminal or a TOML comment: every run of whitespace
/// and [`is_disruptive`] characters becomes one space, ends trimmed.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() || is_disruptive(c) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    out
}

/// A message located in a text file (tlkc.toml, a ruleset, tlkc.units.toml):
/// shown as `file:line:col: message`, the one shape every config error takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct TomlError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl TomlError {
    /// The error at byte `offset` of `text` (read from `file`).
    pub fn at(text: &str, file: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        TomlError {
            file: file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// A TOML syntax or type error, located where the parser stopped.
    pub fn from_de(text: &str, file: &str, e: &toml::de::Error) -> Self {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let message = e.message().trim();
        let message = match did_you_mean(message) {
            Some(key) => format!("{message}; did you mean `{key}`?"),
            None => message.to_string(),
        };
        TomlError::at(text, file, offset, message)
    }
}

/// For "unknown field `asof`, expected one of `as_of`, `unit`, …": the
/// expected key closest to the typed one, when it is close enough to be a
/// typo (Jaro–Winkler, as clap suggests subcommands).
fn did_you_mean(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    let (typed, expected) = rest.split_once('`')?;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (strsim::jaro_winkler(typed, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// 1-based line and column (in characters) of a byte offset, for
/// `file:line:col` messages about TOML files.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// Short "path" for messages: the file name only.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold`] as first written: the string through NFD, then folded.
    fn fold_by_nfd(s: &str) -> String {
        let mut out = String::new();
        let mut last_space = true;
        for c in s.nfd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            let c = match c {
                'đ' | 'Đ' => 'd',
                '\u{1a2}' | '\u{1a3}' => 'u',
                c => c,
            };
            if c.is_whitespace() || c == '_' {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
                continue;
            }
            out.extend(c.to_lowercase());
            last_space = false;
        }
        while out.ends_with(' ') {
            out.pop();
        }
        out
    }

    #[test]
    fn fold_char_by_char_is_fold_through_nfd() {
        let fixed = [
            "KẾ HOẠCH Cải cách hành chính năm 2022",
            "Kế hoạch",                           // NFD input
            "THƢƠNG MẠI  _ Đắk   Glei ",          // legacy letters, runs of spaces
            "a\u{0323}\u{0302}e\u{0302}\u{0323}", // marks out of canonical order
            "İSTANBUL ǅ ẞ Ω Å 가각 ﬁ",            // special lower-casing, Hangul, compatibility
            "\u{0301}leading mark\t\nand\u{00a0}nbsp",
        ];
        for s in fixed {
            assert_eq!(fold(s), fold_by_nfd(s), "{s:?}");
        }
        // Every code point of the planes Vietnamese text and its neighbours
        // use, each alone and between letters.
        for cp in (0..0x3400u32).chain(0xa000..0xfb00).chain(0x1d400..0x1d800) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for s in [c.to_string(), format!("Ab{c}\u{0301}c {c}")] {
                assert_eq!(fold(&s), fold_by_nfd(&s), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn nfc_composes_decomposed_text_and_keeps_composed_text() {
        let nfd = "Quye\u{302}\u{301}t \u{111}i\u{323}nh";
        assert_eq!(nfc(nfd), "Quyết định");
        assert_eq!(nfc("Quyết định"), "Quyết định");
        // A lone combining mark after a composed letter still composes when it can.
        assert_eq!(nfc("A\u{300}"), "À");
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        assert_eq!(
            did_you_mean("unknown field `asof`, expected one of `as_of`, `unit`, `rules`"),
            Some("as_of")
        );
        assert_eq!(
            did_you_mean("unknown field `zzz`, expected one of `as_of`, `unit`"),
            None
        );
        assert_eq!(did_you_mean("missing field `reason`"), None);
    }

    #[test]
    fn one_line_drops_breaks_escapes_and_bidi_controls() {
        let s = "Điểm\n[algorithm_policy]\r\nmin\u{1b}[31m\u{7}\u{2028}x\u{202E}y\u{2066}z\u{85}";
        let got = one_line(s);
        assert_eq!(got, "Điểm [algorithm_policy] min [31m x y z");
        assert!(!got.chars().any(is_disruptive));
        assert_eq!(one_line("  a \t b  "), "a b");
        assert!(!is_disruptive('đ') && !is_disruptive(' '));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("a\nđb = 1", 5), (2, 3));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn legacy_oi_letters_are_u_horn() {
        assert_eq!(fix_legacy_letters("SỞ CÔNG THƢƠNG"), "SỞ CÔNG THƯƠNG");
        assert_eq!(fix_legacy_letters("trƣờng"), "trường");
        assert_eq!(fold("THƢƠNG"), fold("THƯƠNG"));
    }

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
