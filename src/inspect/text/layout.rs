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
