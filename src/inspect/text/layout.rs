//! Runs → lines: baselines top to bottom, runs left to right, a space where
//! runs are apart and a tab where they are a column apart.

use super::interp::Run;

pub(super) struct Line {
    pub(super) y: f64,
    pub(super) size: f64,
    pub(super) runs: Vec<Run>,
}

/// Gap (in ems) above which two runs on a baseline are separate words.
pub(super) const WORD_GAP: f64 = 0.2;
/// Smallest gap (in ems) that still shows a space glyph drawn between runs.
pub(super) const SPACE_GLYPH_GAP: f64 = 0.05;
/// Gap (in ems) above which two runs are in separate columns.
pub(super) const COLUMN_GAP: f64 = 2.5;

/// Longest digit run taken for a stamped document number.
const MAX_STAMPED_DIGITS: usize = 6;

/// E-office systems stamp the number's digits into the blank of "Số: /KH-…"
/// (and the day into "ngày … tháng") as a separate text object, often a little above or below the baseline,
/// so it lands on a line of its own and the number line loses its digits.
/// A line that is only a short digit run, within an em of a neighbouring
/// line, in a gap of that line and right before a run starting with "/" (or
/// the word "tháng" or "năm"),
/// is put back on that line. Anything less clear stays where it is (and the
/// number is then read as blank, never guessed).
fn merge_raised_numbers(lines: &mut Vec<Line>) {
    let mut i = 0;
    while i < lines.len() {
        let target = stamped_digits(&lines[i]).and_then(|digits| {
            [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter(|j| *j < lines.len())
                .find(|j| fits_number_blank(digits, &lines[i], &lines[*j]))
        });
        match target {
            Some(j) => {
                let runs = std::mem::take(&mut lines[i].runs);
                lines[j].runs.extend(runs);
                lines.remove(i);
            }
            None => i += 1,
        }
    }
}

fn stamped_digits(line: &Line) -> Option<&Run> {
    match line.runs.as_slice() {
        [run]
            if !run.text.is_empty()
                && run.text.len() <= MAX_STAMPED_DIGITS
                && run.text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(run)
        }
        _ => None,
    }
}

fn fits_number_blank(digits: &Run, own: &Line, other: &Line) -> bool {
    let em = own.size.max(other.size);
    if (own.y - other.y).abs() > em {
        return false;
    }
    let overlaps = other
        .runs
        .iter()
        .any(|r| r.x < digits.x_end && digits.x < r.x_end);
    // The blank is the number's ("Số: … /KH-UBND") or the day's or month's
    // ("ngày … tháng … năm 2025").
    let blank_before = other.runs.iter().any(|r| {
        let word = r.text.trim_start_matches('/');
        let opens = r.text.starts_with('/') || word == "tháng" || word == "năm";
        opens && r.x >= digits.x_end - 0.2 * em && r.x - digits.x_end <= 3.0 * em
    });
    !overlaps && blank_before
}

pub(super) fn layout(runs: Vec<Run>) -> String {
    let (mut horizontal, others): (Vec<Run>, Vec<Run>) =
        runs.into_iter().partition(|r| r.horizontal);
    horizontal.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for run in horizontal {
        match lines.last_mut() {
            Some(line) if (line.y - run.y).abs() <= 0.4 * line.size.min(run.size) => {
                line.size = line.size.max(run.size);
                line.runs.push(run);
            }
            _ => lines.push(Line {
                y: run.y,
                size: run.size,
                runs: vec![run],
            }),
        }
    }
    merge_raised_numbers(&mut lines);
    let mut out = String::new();
    for mut line in lines {
        line.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut text = String::new();
        let mut prev: Option<(f64, f64, f64)> = None; // (x, x_end, size)
        let mut last_text = String::new();
        for run in line.runs {
            if let Some((px, pend, psize)) = prev {
                let em = psize.max(run.size);
                // Fake bold draws the same string twice, a hair apart.
                if run.text == last_text && (run.x - px).abs() < 0.3 * em {
                    continue;
                }
                let gap = run.x - pend;
                if gap > COLUMN_GAP * em {
                    while text.ends_with(' ') {
                        text.pop();
                    }
                    text.push('\t');
                } else if (gap > WORD_GAP * em || (run.space_before && gap > SPACE_GLYPH_GAP * em))
                    && !text.ends_with(' ')
                    && !run.text.starts_with(' ')
                {
                    text.push(' ');
                }
            }
            text.push_str(&run.text);
            let end = prev.map_or(run.x_end, |(_, e, _)| e.max(run.x_end));
            prev = Some((run.x, end, run.size));
            last_text = run.text;
        }
        push_line(&mut out, &text);
    }
    for run in others {
        push_line(&mut out, &run.text);
    }
    out
}

pub(super) fn push_line(out: &mut String, text: &str) {
    let text = text.trim_matches(' ');
    if text.trim().is_empty() {
        return;
    }
    out.push_str(text);
    out.push('\n');
}
