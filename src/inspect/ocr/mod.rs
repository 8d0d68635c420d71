//! Scanned page 1: the scan's resolution, and what OCR reads on it.
//!
//! OCR text goes through the same Decree 30 parsers as a text layer, under
//! one more rule: a value is kept only when it fits the grammar exactly and
//! the engine was sure of the words it came from. A handwritten number or day
//! is dropped while the typed symbol, month and year stay: a wrong value
//! would be worse than none.

pub(crate) mod child;
pub mod images;
pub(crate) mod memory;
pub(crate) mod raster;
pub(crate) mod tesseract;
mod upright;

use std::sync::OnceLock;
use std::time::Duration;

use regex::Regex;

use crate::facts::{DocumentFacts, FileFacts, ReadSource};
use crate::inspect::budget::Budget;
use crate::inspect::document::{self, dateline, docnum};
use images::ImageError;
pub use tesseract::{OcrLine, Tesseract};

/// How OCR runs. `engine: None` means OCR is off (`--no-ocr`, or no Tesseract).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OcrOptions {
    pub engine: Option<Tesseract>,
}

/// Share of the page height read: the header block, the number and date
/// lines and the title sit in the top half of every Decree 30 layout.
const HEADER_SHARE: f64 = 0.5;
/// Resolution the scan is brought up to before OCR.
const OCR_DPI: u32 = 300;
/// Time kept back from the file's budget for the rest of inspection.
const BUDGET_MARGIN: Duration = Duration::from_millis(1500);
/// Less time than this left: OCR is not started at all.
const MIN_OCR_TIME: Duration = Duration::from_millis(1000);
/// Lowest word confidence (0–100) for a number, day, month or year.
const DIGITS_CONFIDENCE: f32 = 90.0;
/// Lowest word confidence for the symbol (type and issuer).
const SYMBOL_CONFIDENCE: f32 = 85.0;
/// Lowest symbol confidence when the type heading confirms the type.
const AGREED_CONFIDENCE: f32 = 70.0;
/// Lowest mean confidence for place and title.
const TEXT_CONFIDENCE: f32 = 80.0;

/// Page 1 has a scan but nothing was read from its text: find the scan's
/// resolution and, when OCR is on and time is left, read it. Everything
/// (decoding, turning, enlarging, the engine's run) stops when `budget` does.
/// Returns true when OCR ran and read at least one value.
pub fn read_scan(
    doc: &lopdf::Document,
    opts: &crate::inspect::InspectOptions,
    budget: &Budget,
    facts: &mut FileFacts,
) -> bool {
    let located = match images::locate(doc, &opts.limits) {
        Ok(l) => l,
        Err(_) => return false, // not a scan: nothing to say
    };
    facts.pdf.scan_dpi = Some(located.dpi);
    let Some(engine) = &opts.ocr.engine else {
        return false;
    };
    if budget.left().saturating_sub(BUDGET_MARGIN) < MIN_OCR_TIME {
        facts.pdf.ocr_note = Some("no time left in the file's budget for OCR".into());
        facts.pdf.transient = true;
        return false;
    }
    // Low-resolution scans are enlarged towards 300 dpi, where Tesseract reads best.
    let factor = if located.dpi > 0 && located.dpi < OCR_DPI {
        (f64::from(OCR_DPI) / f64::from(located.dpi)).min(3.0)
    } else {
        1.0
    };
    let wanted = images::Wanted {
        share: HEADER_SHARE,
        factor,
    };
    let (image, applied) = match images::decode_top(doc, &located, &opts.limits, budget, wanted) {
        Ok(decoded) => decoded,
        Err(e) => {
            match &e {
                // Too large for the image memory: a limit of this file, whatever the run.
                ImageError::TooLarge(what) => {
                    facts.pdf.limit_hit.get_or_insert_with(|| what.clone());
                }
                ImageError::Stopped => facts.pdf.transient = true,
                _ => {}
            }
            facts.pdf.ocr_note = Some(e.to_string());
            return false;
        }
    };
    // The resolution the engine sees: the scan's, times the enlargement applied.
    let dpi = (f64::from(located.dpi) * applied).round() as u32;
    let left = budget.left().saturating_sub(BUDGET_MARGIN);
    match engine.recognise(image.into_pgm(), dpi, left.max(MIN_OCR_TIME), Some(budget)) {
        Ok(lines) => {
            let read = ocr_document(&lines);
            let any = read.number.is_some()
                || read.r#type.is_some()
                || read.issuer.is_some()
                || read.date_month.is_some()
                || read.title_type.is_some();
            if any {
                facts.document = read;
            } else {
                facts.pdf.ocr_note = Some("OCR read nothing certain on page 1".into());
            }
            any
        }
        Err(e) => {
            // A deadline, a stop or a failing engine says nothing lasting about the file.
            facts.pdf.transient = true;
            facts.pdf.ocr_note = Some(e.to_string());
            false
        }
    }
}

/// Decree 30 facts from OCR lines, keeping only what fits exactly.
pub fn ocr_document(lines: &[OcrLine]) -> DocumentFacts {
    let text: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let parsed = document::parse_document(&text);
    let mut out = DocumentFacts {
        source: Some(ReadSource::Ocr),
        ..Default::default()
    };
    let mut used: Vec<f32> = Vec::new();

    let mut heading_confidence = 0.0;
    let mut symbol_type = None;
    if let Some((name, confidence)) = heading(lines) {
        out.title_type = Some(name.to_string());
        heading_confidence = confidence;
        used.push(confidence);
    } else if parsed.title_type.as_deref() == Some("CÔNG VĂN") {
        out.title_type = parsed.title_type.clone();
    }
    if let Some(sym) = symbol(lines) {
        let type_sure = match (&sym.r#type, &out.title_type) {
            // Two readings agree: the heading and the symbol name one type.
            (Some(t), Some(h)) if crate::decree30::type_abbrev(h).is_some() => {
                crate::decree30::type_abbrev(h) == Some(t.as_str())
                    && sym.confidence >= AGREED_CONFIDENCE
            }
            // No heading read: the symbol alone must be sure.
            _ => sym.confidence >= SYMBOL_CONFIDENCE,
        };
        // The heading says nothing of the issuer: only a sure reading counts.
        let issuer_sure = sym.confidence >= SYMBOL_CONFIDENCE;
        if type_sure {
            out.r#type = sym.r#type.clone();
        }
        if issuer_sure || (type_sure && sym.r#type.is_none()) {
            out.issuer = sym.issuer.clone();
        }
        if type_sure || issuer_sure {
            used.push(sym.confidence);
        }
        if let Some(found) = sym.number.filter(|_| type_sure && issuer_sure) {
            out.number = Some(found.number);
            out.number_facts = Some(found.facts);
        }
        symbol_type = sym.r#type;
    }
    // The heading names the type (Decree 30, Phụ lục III) when the symbol is
    // unreadable; a symbol that names another type leaves it in doubt.
    if out.r#type.is_none() {
        let from_heading = out
            .title_type
            .as_deref()
            .and_then(crate::decree30::type_abbrev)
            .filter(|t| symbol_type.as_deref().is_none_or(|s| s == *t))
            .filter(|_| heading_confidence >= SYMBOL_CONFIDENCE);
        out.r#type = from_heading.map(str::to_string);
    }
    if let Some(d) = date(lines) {
        out.date_month = Some(d.month);
        out.date = d.date;
        out.place = d.place;
        out.date_line = Some(d.line);
        used.push(d.confidence);
    }
    if out.title_type.is_some() {
        out.title = parsed
            .title
            .filter(|t| mean_confidence_of(lines, t) >= TEXT_CONFIDENCE);
    }
    if !used.is_empty() {
        let mean = used.iter().sum::<f32>() / used.len() as f32;
        let unit = f64::from(mean / 100.0).clamp(0.0, 1.0);
        out.confidence = Some((unit * 1000.0).round() / 1000.0);
    }
    out
}

/// Mean confidence of the lines whose text is part of `text`.
fn mean_confidence_of(lines: &[OcrLine], text: &str) -> f32 {
    let c: Vec<f32> = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty() && text.contains(l.text.trim()))
        .map(|l| l.confidence)
        .collect();
    if c.is_empty() {
        0.0
    } else {
        c.iter().sum::<f32>() / c.len() as f32
    }
}

struct Symbol {
    r#type: Option<String>,
    issuer: Option<String>,
    /// The whole number, only when its digits were read with confidence.
    number: Option<docnum::Found>,
    /// Lowest confidence of the symbol's words.
    confidence: f32,
}

/// Deviations that are how the document was printed, not reading noise.
fn printed_style(deviation: &str) -> bool {
    deviation.starts_with("spaces inside")
        || deviation.starts_with("leading zero")
        || deviation.starts_with("parentheses")
        || deviation.starts_with("blank number")
}

/// "/QĐ-UBND" after "Số", with or without a readable number in front.
fn symbol_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:Số|SỐ)\s*:\s*(.{0,12}?)\s*((?:/[0-9]{4})?/[A-ZĐ][A-ZĐa-z0-9()]*(?:-[A-ZĐ0-9(][A-ZĐa-z0-9()]*)+)(?:\s|$)")
            .unwrap_or_else(|e| unreachable!("constant pattern: {e}"))
    })
}

fn symbol(lines: &[OcrLine]) -> Option<Symbol> {
    lines.iter().take(20).find_map(|l| {
        let at = l.text.find("Số").or_else(|| l.text.find("SỐ"))?;
        // A date line in the other column may follow on the same OCR line.
        let caps = symbol_pattern().captures(l.text[at..].trim())?;
        let seq = caps.get(1).map_or("", |m| m.as_str());
        let sym = caps.get(2)?.as_str();
        // Parse the symbol alone ("Số: /QĐ-UBND") with the shared parser: groups, type, issuer.
        let blank = docnum::parse_number_line(&format!("Số: {sym}"))?;
        if blank.facts.deviations.iter().any(|d| !printed_style(d)) {
            return None;
        }
        let groups = &blank.facts.groups;
        let first = groups.first()?;
        let (r#type, issuer) = if crate::decree30::is_known_type(first) && groups.len() > 1 {
            (Some(first.clone()), Some(groups[1..].join("-")))
        } else {
            (None, Some(groups.join("-")))
        };
        let words = words_of(l, sym);
        let confidence = words.iter().copied().fold(100.0, f32::min);
        // Only a number typed in one run with its symbol ("1360/QĐ-TTg"): a
        // number set apart from the slash fills a blank, mostly by hand, and
        // handwriting is where OCR is confidently wrong ("4580" for "1380").
        let glued = format!("{seq}{sym}");
        let number = (!seq.is_empty() && seq.chars().all(|c| c.is_ascii_digit()))
            .then(|| docnum::parse_number_line(&format!("Số: {glued}")))
            .flatten()
            .filter(|f| f.facts.seq.is_some())
            .filter(|f| f.facts.deviations.iter().all(|d| printed_style(d)))
            .filter(|_| {
                l.words.iter().any(|(w, c)| {
                    w.trim_matches(|c: char| matches!(c, ':' | ',' | '.' | ';')) == glued
                        && *c >= DIGITS_CONFIDENCE
                })
            });
        Some(Symbol {
            r#type,
            issuer,
            number,
            confidence,
        })
    })
}

/// Confidences of the words of `line` that make up `part`: the words equal
/// to it, else the words that contain it ("11/CT-UBND" for "/CT-UBND").
fn words_of(line: &OcrLine, part: &str) -> Vec<f32> {
    let clean = |w: &str| {
        w.trim_matches(|c: char| matches!(c, ':' | ',' | '.' | ';'))
            .to_string()
    };
    let exact: Vec<f32> = line
        .words
        .iter()
        .filter(|(w, _)| clean(w) == part)
        .map(|(_, c)| *c)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let within: Vec<f32> = line
        .words
        .iter()
        .filter(|(w, _)| !part.is_empty() && w.contains(part))
        .map(|(_, c)| *c)
        .collect();
    if within.is_empty() {
        vec![0.0]
    } else {
        within
    }
}

/// Letters only, without diacritics, upper case: "QUYÉT ĐỊNH" → "QUYETDINH".
fn skeleton(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter_map(|c| match c {
            'Đ' | 'đ' => Some('D'),
            c if c.is_alphabetic() => Some(c.to_ascii_uppercase()),
            _ => None,
        })
        .filter(char::is_ascii_alphabetic)
        .collect()
}

/// A type heading on a line of its own. OCR misreads capital diacritics
/// ("QUYÉT" for "QUYẾT") that the text-layer parser rightly refuses, so the
/// heading is matched on its letters; no two Decree 30 type names share
/// them (unit test). Returns the canonical name and the line's confidence.
fn heading(lines: &[OcrLine]) -> Option<(&'static str, f32)> {
    lines.iter().take(25).find_map(|l| {
        let sk = skeleton(&l.text);
        if sk.len() < 4 || l.confidence < TEXT_CONFIDENCE {
            return None;
        }
        crate::decree30::TYPES
            .iter()
            .chain(crate::decree30::NORMATIVE_TYPES)
            .find(|(_, name)| skeleton(name) == sk)
            .map(|(_, name)| (*name, l.confidence))
    })
}

struct ReadDate {
    month: String,
    date: Option<chrono::NaiveDate>,
    place: Option<String>,
    line: String,
    confidence: f32,
}

fn month_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(.*?ngày)\s*(.{0,8}?)\s*tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})\s*$")
            .unwrap_or_else(|e| unreachable!("constant pattern: {e}"))
    })
}

/// The place-and-date line: month and year when they are sure, the day only
/// when it is too. A day the engine could not read (handwriting) is blanked
/// before the shared date-line parser sees it.
fn date(lines: &[OcrLine]) -> Option<ReadDate> {
    lines.iter().take(20).find_map(|l| {
        let at = l.text.find(|c: char| c.is_uppercase())?;
        let caps = month_pattern().captures(l.text[at..].trim())?;
        let head = caps.get(1)?.as_str();
        let day = caps.get(2).map_or("", |m| m.as_str());
        let month = caps.get(3)?.as_str();
        let year = caps.get(4)?.as_str();
        let m: u32 = month.parse().ok()?;
        let y: i32 = year.parse().ok()?;
        if !(1..=12).contains(&m) || !(1945..=2100).contains(&y) || !head.contains(',') {
            return None;
        }
        let sure = |w: &str| words_of(l, w).iter().all(|c| *c >= DIGITS_CONFIDENCE);
        if !(sure(month) && sure(year)) {
            return None;
        }
        let day_sure = day.len() <= 2
            && !day.is_empty()
            && day.chars().all(|c| c.is_ascii_digit())
            && sure(day);
        let rebuilt = if day_sure {
            format!("{head} {day} tháng {month} năm {year}")
        } else {
            format!("{head} tháng {month} năm {year}")
        };
        let parsed = dateline::parse_date_line(&rebuilt)?;
        // A place misread by one diacritic ("Hô Chí Minh") is wrong: every word must be sure.
        let place = parsed.place.filter(|p| {
            p.split_whitespace()
                .all(|w| words_of(l, w).iter().all(|c| *c >= DIGITS_CONFIDENCE))
        });
        Some(ReadDate {
            month: format!("{y:04}-{m:02}"),
            date: parsed.date.filter(|_| day_sure),
            place,
            line: parsed.line,
            confidence: l.confidence,
        })
    })
}

/// "2022-03" from a date or from the "tháng M năm YYYY" of a date line.
pub fn month_of(doc: &DocumentFacts) -> Option<String> {
    use chrono::Datelike;
    if let Some(d) = doc.date {
        return Some(format!("{:04}-{:02}", d.year(), d.month()));
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"tháng[ \t]*([0-9]{1,2})[ \t]*năm[ \t]*([0-9]{4})")
            .unwrap_or_else(|e| unreachable!("constant pattern: {e}"))
    });
    let caps = re.captures(doc.date_line.as_deref()?)?;
    let m: u32 = caps.get(1)?.as_str().parse().ok()?;
    let y: i32 = caps.get(2)?.as_str().parse().ok()?;
    (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[(&str, f32)]) -> OcrLine {
        let n = words.len() as f32;
        OcrLine {
            text: words.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(" "),
            confidence: words.iter().map(|(_, c)| c).sum::<f32>() / n,
            min_confidence: words.iter().map(|(_, c)| *c).fold(100.0, f32::min),
            words: words.iter().map(|(w, c)| (w.to_string(), *c)).collect(),
        }
    }

    #[test]
    fn type_names_differ_without_diacritics() {
        let all: Vec<String> = crate::decree30::TYPES
            .iter()
            .chain(crate::decree30::NORMATIVE_TYPES)
            .map(|(_, n)| skeleton(n))
            .collect();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn sure_values_are_kept() {
        let lines = [
            line(&[("ỦY", 96.0), ("BAN", 96.0), ("NHÂN", 97.0), ("DÂN", 95.0)]),
            line(&[
                ("Số:", 95.0),
                ("45/BC-UBND", 95.0),
                ("Kon", 96.0),
                ("Tum,", 96.0),
                ("ngày", 96.0),
                ("18", 95.0),
                ("tháng", 96.0),
                ("3", 96.0),
                ("năm", 96.0),
                ("2022", 96.0),
            ]),
            line(&[("BÁO", 95.0), ("CÁO", 95.0)]),
        ];
        let d = ocr_document(&lines);
        assert_eq!(d.number.as_deref(), Some("45/BC-UBND"));
        assert_eq!(d.r#type.as_deref(), Some("BC"));
        assert_eq!(d.issuer.as_deref(), Some("UBND"));
        assert_eq!(d.date, chrono::NaiveDate::from_ymd_opt(2022, 3, 18));
        assert_eq!(d.date_month.as_deref(), Some("2022-03"));
        assert_eq!(d.place.as_deref(), Some("Kon Tum"));
        assert_eq!(d.title_type.as_deref(), Some("BÁO CÁO"));
        assert_eq!(d.source, Some(ReadSource::Ocr));
        assert!(d.confidence.is_some_and(|c| c > 0.9));
    }

    #[test]
    fn handwritten_number_and_day_are_dropped() {
        let lines = [
            line(&[("Số:", 73.0), ("M_", 30.0), ("/CT-UBND", 90.0)]),
            line(&[
                ("Hà", 82.0),
                ("Nội,", 96.0),
                ("ngày.#†", 28.0),
                ("tháng", 93.0),
                ("7", 95.0),
                ("năm", 97.0),
                ("2025", 96.0),
            ]),
            line(&[("-", 36.0), ("CHỈTHỊ", 88.0), ("-", 55.0)]),
        ];
        let d = ocr_document(&lines);
        assert_eq!(d.number, None);
        assert_eq!(d.r#type.as_deref(), Some("CT"));
        assert_eq!(d.issuer.as_deref(), Some("UBND"));
        assert_eq!(d.date, None);
        assert_eq!(d.date_month.as_deref(), Some("2025-07"));
        // A clear-looking number the engine was unsure of is not taken either.
        let lines = [line(&[("Số:", 89.0), ("3", 38.0), ("/2025/QĐ-UBND", 95.0)])];
        let d = ocr_document(&lines);
        assert_eq!(d.number, None);
        assert_eq!(d.r#type.as_deref(), Some("QĐ"));
        // Nor is a confident number set apart from its symbol (a filled-in blank).
        let lines = [line(&[("Số:", 89.0), ("4580", 96.0), ("/QĐ-TTg", 95.0)])];
        let d = ocr_document(&lines);
        assert_eq!(d.number, None);
        assert_eq!(d.r#type.as_deref(), Some("QĐ"));
    }

    #[test]
    fn unsure_symbol_keeps_only_what_the_heading_confirms() {
        // "PC04" misread as "C04" at 76%: the heading confirms TTr, nothing confirms the issuer.
        let lines = [
            line(&[("Số:", 90.0), ("R09", 52.0), ("/TTr-CAT(C04)", 76.0)]),
            line(&[("TỜ", 92.0), ("TRÌNH", 97.0)]),
        ];
        let d = ocr_document(&lines);
        assert_eq!(d.r#type.as_deref(), Some("TTr"));
        assert_eq!(d.issuer, None);
        assert_eq!(d.number, None);
        // The heading names another type: the symbol's type is in doubt.
        let lines = [
            line(&[("Số:", 90.0), ("/QĐ-UBND", 80.0)]),
            line(&[("TỜ", 92.0), ("TRÌNH", 97.0)]),
        ];
        assert_eq!(ocr_document(&lines).r#type, None);
        // An unreadable symbol under a clear heading: the heading names the type.
        let lines = [
            line(&[("Số:", 90.0), ("ốŸƒ", 16.0)]),
            line(&[("KẾ", 92.0), ("HOẠCH", 97.0)]),
        ];
        assert_eq!(ocr_document(&lines).r#type.as_deref(), Some("KH"));
    }

    #[test]
    fn month_of_a_blank_day() {
        let d = DocumentFacts {
            date_line: Some("Kon Tum, ngày   tháng 3 năm 2022".into()),
            ..Default::default()
        };
        assert_eq!(month_of(&d).as_deref(), Some("2022-03"));
    }
}
