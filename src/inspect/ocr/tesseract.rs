//! Tesseract run as a child process, fed a PGM on stdin, read as TSV on
//! stdout. A subprocess rather than a linked binding: nothing to compile (the
//! bindings need libtesseract headers, clang and bindgen on every build), and a
//! crash or a stall in the OCR engine stays in a child that is killed at the
//! deadline instead of taking the whole run down or outliving the watchdog.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

impl Tesseract {
    /// Find `tesseract` (or `$TLKC_TESSERACT`) with the `vie` model, or say why not.
    pub fn detect() -> Result<Tesseract, String> {
        let program = std::env::var_os("TLKC_TESSERACT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("tesseract"));
        let out = Command::new(&program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("`{}` not found ({e})", program.display()))?;
        let langs = String::from_utf8_lossy(&out.stdout);
        if !langs.lines().any(|l| l.trim() == "vie") {
            return Err("the Vietnamese model (tesseract-ocr-vie) is not installed".into());
        }
        let out = Command::new(&program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("`{}` --version: {e}", program.display()))?;
        // Older releases print the version on stderr.
        let text = [out.stdout, out.stderr].concat();
        let version = String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("tesseract")
            .trim()
            .to_string();
        Ok(Tesseract { program, version })
    }

    /// Recognise `pgm` (a whole image file) scanned at `dpi` as Vietnamese;
    /// kill the child at `timeout`.
    pub fn recognise(
        &self,
        pgm: Vec<u8>,
        dpi: u32,
        timeout: Duration,
    ) -> Result<Vec<OcrLine>, OcrError> {
        let started = Instant::now();
        // A PGM carries no resolution; without one Tesseract assumes 70 dpi.
        let dpi = dpi.clamp(70, 1200).to_string();
        let mut child = Command::new(&self.program)
            .args([
                "stdin", "stdout", "-l", "vie", "--psm", "3", "--dpi", &dpi, "tsv",
            ])
            // One thread per page: the run already inspects files in parallel.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| OcrError::Failed(e.to_string()))?;
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(&pgm);
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.take(16 << 20).read_to_end(&mut buf);
            }
            buf
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(OcrError::Timeout(timeout.as_millis() as u64));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(OcrError::Failed(e.to_string())),
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        if !status.success() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let why = err.lines().last().unwrap_or("").trim().to_string();
            return Err(OcrError::Failed(format!("{status}: {why}")));
        }
        Ok(parse_tsv(&String::from_utf8_lossy(&out)))
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
            t.recognise(b"P5\n1 1\n255\n\xff".to_vec(), 200, Duration::from_secs(1)),
            Err(OcrError::Failed(_))
        ));
    }
}
