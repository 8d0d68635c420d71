//! .csv as Excel and LibreOffice save it: UTF-8 (with or without BOM),
//! UTF-16 (Excel's "Unicode text") or the legacy Vietnamese Windows-1258
//! code page; comma, semicolon (Vietnamese-locale Excel, whose decimal
//! separator is the comma) or tab separated; RFC 4180 quoting.

use std::sync::OnceLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1258};
use regex::Regex;

use super::grid::{Budget, Cell, Grid, MAX_CELL_CHARS, MAX_COLS};
use super::ImportError;

/// The decoded table and the encoding it was read in. The decoded text is
/// paid for from `budget`, and every record (blank lines too) as it is read:
/// 32 MB of line breaks stop at the limit, they are never all split first.
pub fn grid(bytes: &[u8], budget: &Budget) -> Result<(Grid, &'static str), ImportError> {
    let (text, enc) = decode(bytes, budget)?;
    let sep = separator(&text);
    let mut g = Grid {
        name: "csv".into(),
        ..Grid::default()
    };
    each_record(&text, sep, &mut |record| {
        let cells = record
            .iter()
            .take(MAX_COLS)
            .map(|s| budget.cell(Cell::text(s)))
            .collect::<Result<Vec<_>, _>>()?;
        g.push_row(cells, budget)
    })?;
    Ok((g, enc.name()))
}

fn decode(bytes: &[u8], budget: &Budget) -> Result<(String, &'static Encoding), ImportError> {
    let enc = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        enc
    } else if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else if let Some(enc) = utf16_without_bom(bytes) {
        enc
    } else {
        WINDOWS_1258
    };
    // The decoded text and its NFC copy.
    budget.spend(bytes.len().saturating_mul(2))?;
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors && enc != WINDOWS_1258 {
        return Err(ImportError::Unreadable(format!(
            "not valid {} text",
            enc.name()
        )));
    }
    // Text files hold no NUL or other C0 controls beyond tab and line breaks
    // (a regex: one pass at library speed over up to 32 MB).
    static CONTROL: OnceLock<Regex> = OnceLock::new();
    let control = CONTROL.get_or_init(|| {
        Regex::new(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x{9F}]")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let controls = control.find_iter(&text).count();
    if controls > 0 {
        return Err(ImportError::Unreadable(format!(
            "not a text file ({controls} control characters after decoding as {})",
            enc.name()
        )));
    }
    // Windows-1258 writes many marks as combining characters; ASCII is NFC already.
    let text = if text.is_ascii() {
        text.into_owned()
    } else {
        crate::text::nfc(&text)
    };
    Ok((text, enc))
}

/// ASCII text in UTF-16 has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if zeros_at(1) * 10 >= half * 7 {
        Some(UTF_16LE)
    } else if zeros_at(0) * 10 >= half * 7 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The separator that splits the first lines most consistently (read from
/// the first 64 KB: one 32 MB line is not scanned three times).
fn separator(text: &str) -> char {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head: Vec<&str> = text[..end].lines().take(40).collect();
    let score = |sep: char| -> usize {
        head.iter()
            .map(|l| first_record(l, sep).len().saturating_sub(1))
            .sum()
    };
    [',', ';', '\t']
        .into_iter()
        .max_by_key(|s| score(*s))
        .unwrap_or(',')
}

/// RFC 4180 records: quoted fields may hold separators, `""` and line breaks.
#[cfg(test)]
fn records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let _ = each_record(text, sep, &mut |r| {
        out.push(r);
        Ok(())
    });
    out
}

/// The first record only (the separator guess looks at single lines).
fn first_record(text: &str, sep: char) -> Vec<String> {
    let mut first = None;
    let _ = each_record(text, sep, &mut |r| {
        first = Some(r);
        Err(ImportError::NoTable)
    });
    first.unwrap_or_default()
}

/// A field grows to a little more than a cell keeps ([`MAX_CELL_CHARS`]), no further.
fn keep(field: &mut String, c: char) {
    if field.len() < MAX_CELL_CHARS * 4 {
        field.push(c);
    }
}

/// Hands each RFC 4180 record to `f` as soon as it ends; an error from `f` stops the reading.
fn each_record(
    text: &str,
    sep: char,
    f: &mut dyn FnMut(Vec<String>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                keep(&mut field, '"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, _) => keep(&mut field, c),
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                f(std::mem::take(&mut row))?;
            }
            (false, c) if c == sep => {
                let done = std::mem::take(&mut field);
                if row.len() < MAX_COLS {
                    row.push(done);
                }
            }
            (false, c) => keep(&mut field, c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        f(row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_separators_and_line_breaks() {
        let r = records("a;\"b;c\";\"d\ne\";\"x\"\"y\"\n1;2", ';');
        assert_eq!(r[0], vec!["a", "b;c", "d\ne", "x\"y"]);
        assert_eq!(r[1], vec!["1", "2"]);
    }

    #[test]
    fn decodes_utf16_and_windows_1258() {
        let text = "STT,Nội dung,Điểm tối đa\n";
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let (g, enc) = grid(&utf16, &Budget::default()).unwrap();
        assert_eq!(enc, "UTF-16LE");
        assert_eq!(g.rows[0][1].text, "Nội dung");
        // "Nội dung", "Điểm tối đa" as Windows-1258 writes them: base letter + combining mark.
        let bytes = b"STT,N\xF4\xF2i dung,\xD0i\xEA\xD2m t\xF4\xECi \xF0a\n";
        let (g, enc) = grid(bytes, &Budget::default()).unwrap();
        assert_eq!(enc, "windows-1258");
        assert_eq!(g.rows[0][2].text, "Điểm tối đa");
    }

    #[test]
    fn binary_is_not_text() {
        let e = grid(
            &[0x50, 0x4B, 0x03, 0x04, 0, 1, 2, 3, 0xFF, 0x00],
            &Budget::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not"), "{e}");
    }
}
