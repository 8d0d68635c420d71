//! Tesseract run as a child process, fed a PGM on stdin, read as TSV on
//! stdout. A subprocess rather than a linked binding: nothing to compile (the
//! bindings need libtesseract headers, clang and bindgen on every build), and a
//! crash or a stall in the OCR engine stays in a child that is killed at the
//! deadline instead of taking the whole run down or outliving the watchdog.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use super::child::{self, Bounds, ChildError, Input};
use crate::inspect::budget::Budget;

/// A Tesseract that has the Vietnamese model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tesseract {
    pub program: PathBuf,
    /// First line of `tesseract --version`, e.g. "tesseract 5.3.0".
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcrError {
    #[error("tesseract did not finish within {0} ms")]
    Timeout(u64),
    #[error("tesseract failed: {0}")]
    Failed(String),
    #[error("tesseract was stopped: the file's time budget ran out")]
    Stopped,
}

/// One line of recognised text, with the mean word confidence (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    pub text: String,
    pub confidence: f32,
    /// Lowest confidence of a word on the line.
    pub min_confidence: f32,
    /// The words and their confidences.
    pub words: Vec<(String, f32)>,
}

/// A PGM image file in two parts, so that the pixels are written to the
/// engine where they lie instead of being copied behind the header.
pub struct Pgm {
    pub header: Vec<u8>,
    pub pixels: Box<dyn AsRef<[u8]> + Send>,
}

impl From<Vec<u8>> for Pgm {
    /// A whole PGM file.
    fn from(file: Vec<u8>) -> Pgm {
        Pgm {
            header: Vec::new(),
            pixels: Box::new(file),
        }
    }
}

/// `--list-langs` and `--version` answer at once; a program that does not
/// is not a usable engine (and must not hold every check).
const DETECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Output of a detection command kept: a language list is a few hundred bytes.
const DETECT_OUTPUT: usize = 64 * 1024;
/// Recognition output kept: the TSV of a page header is tens of KB.
const TSV_OUTPUT: usize = 16 << 20;
/// Recognition stderr kept (its last bytes: the error is at the end).
const STDERR_TAIL: usize = 8 * 1024;

impl Tesseract {
    /// Find `tesseract` (or `$TLKC_TESSERACT`) with the `vie` model, or say why not.
    pub fn detect() -> Result<Tesseract, String> {
        let program = std::env::var_os("TLKC_TESSERACT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("tesseract"));
        let ask = |arg: &str| {
            let mut cmd = Command::new(&program);
            cmd.arg(arg);
            let bounds = Bounds {
                stdout: DETECT_OUTPUT,
                stderr: DETECT_OUTPUT,
            };
            child::run(cmd, None, bounds, DETECT_TIMEOUT, None).map_err(|e| match e {
                ChildError::Spawn(e) => format!("`{}` not found ({e})", program.display()),
                e => format!("`{} {arg}` {e}", program.display()),
            })
        };
        let out = ask("--list-langs")?;
        let langs = String::from_utf8_lossy(&out.stdout);
        if !langs.lines().any(|l| l.trim() == "vie") {
            return Err("the Vietnamese model (tesseract-ocr-vie) is not installed".into());
        }
        let out = ask("--version")?;
        // Older releases print the version on stderr.
        let text = [out.stdout, out.stderr].concat();
        let version = String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("tesseract")
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        Ok(Tesseract { program, version })
    }

    /// Recognise `pgm` (an image file) scanned at `dpi` as Vietnamese; kill
    /// the child, with everything it started, at `timeout` or when `budget` is over.
    pub fn recognise(
        &self,
        pgm: impl Into<Pgm>,
        dpi: u32,
        timeout: Duration,
        budget: Option<&Budget>,
    ) -> Result<Vec<OcrLine>, OcrError> {
        // A PGM carries no resolution; without one Tesseract assumes 70 dpi.
        let dpi = dpi.clamp(70, 1200).to_string();
        let mut cmd = Command::new(&self.program);
        cmd.args([
            "stdin", "stdout", "-l", "vie", "--psm", "3", "--dpi", &dpi, "tsv",
        ])
        // One thread per page: the run already inspects files in parallel.
        .env("OMP_THREAD_LIMIT", "1");
        let pgm = pgm.into();
        let input = Input {
            parts: vec![Box::new(pgm.header), pgm.pixels],
        };
        let bounds = Bounds {
            stdout: TSV_OUTPUT,
            stderr: STDERR_TAIL,
        };
        let out = child::run(cmd, Some(input), bounds, timeout, budget).map_err(|e| match e {
            ChildError::Timeout(t) => OcrError::Timeout(t.as_millis() as u64),
            ChildError::Stopped => OcrError::Stopped,
            e => OcrError::Failed(e.to_string()),
        })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let why: String = err
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(300)
                .collect();
            return Err(OcrError::Failed(format!("{}: {why}", out.status)));
        }
        if out.stdout_cut {
            return Err(OcrError::Failed(format!(
                "more than {} MB of output",
                TSV_OUTPUT >> 20
            )));
        }
        Ok(parse_tsv(&String::from_utf8_lossy(&out.stdout)))
    }
}

/// Lines from Tesseract's TSV: level 5 rows are words, keyed by block,
/// paragraph and line; a word's confidence is its 11th column.
pub fn parse_tsv(tsv: &str) -> Vec<OcrLine> {
    // (block, paragraph, line) and the line's words with their confidences.
    type Words = Vec<(String, f32)>;
    let mut lines: Vec<((u32, u32, u32), Words)> = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let key = |i: usize| cols[i].parse::<u32>().unwrap_or(0);
        let id = (key(2), key(3), key(4));
        let conf = cols[10].parse::<f32>().unwrap_or(0.0);
        let word = cols[11].trim();
        if word.is_empty() {
            continue;
        }
        match lines.last_mut() {
            Some((last, words)) if *last == id => words.push((word.to_string(), conf)),
            _ => lines.push((id, vec![(word.to_string(), conf)])),
        }
    }
    lines
        .into_iter()
        .map(|(_, words)| {
            let n = words.len().max(1) as f32;
            OcrLine {
                text: words
                    .iter()
                    .map(|(w, _)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                confidence: words.iter().map(|(_, c)| c).sum::<f32>() / n,
                min_confidence: words.iter().map(|(_, c)| *c).fold(100.0, f32::min),
                words,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_lines() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\tSố:\n\
                   5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t91.5\t45/BC-UBND\n\
                   5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t80\tHà\n\
                   5\t1\t2\t1\t1\t2\t0\t0\t10\t10\t40\tNội\n";
        let lines = parse_tsv(tsv);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "Số: 45/BC-UBND");
        assert!((lines[0].confidence - 94.0).abs() < 0.01);
        assert_eq!(lines[1].min_confidence, 40.0);
    }

    #[test]
    fn a_missing_program_is_reported_not_fatal() {
        let t = Tesseract {
            program: PathBuf::from("/nonexistent/tesseract"),
            version: String::new(),
        };
        assert!(matches!(
            t.recognise(
                b"P5\n1 1\n255\n\xff".to_vec(),
                200,
                Duration::from_secs(1),
                None
            ),
            Err(OcrError::Failed(_))
        ));
    }
}
