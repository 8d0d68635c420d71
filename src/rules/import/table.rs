//! Finding the criteria table in a grid: the header row(s) by their
//! Vietnamese labels, then one [`Rec`] per non-blank row below it.

use std::sync::OnceLock;

use regex::Regex;

use super::grid::{Budget, Cell, Grid};
use super::ImportError;
use crate::text::fold;

/// How many rows from the top the header may sit (title rows come first).
const HEADER_SEARCH_ROWS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub code: Option<usize>,
    pub title: usize,
    pub max: usize,
    pub evidence: Option<usize>,
    pub guide: Option<usize>,
}

/// One row of the table, as written.
#[derive(Debug, Clone, Default)]
pub struct Rec {
    /// 1-based row in the sheet or table.
    pub row: usize,
    pub code: String,
    /// The code cell held a number (Excel turned "1.10" into 1.1).
    pub code_was_number: bool,
    pub title: String,
    pub max_text: String,
    pub max_formula_unvalued: bool,
    pub evidence: String,
    pub guide: String,
}

/// The header's columns and the index of the first row below the header.
pub fn find_header(g: &Grid) -> Option<(Columns, usize)> {
    for r in 0..g.rows.len().min(HEADER_SEARCH_ROWS) {
        let top: Vec<String> = g.rows[r].iter().map(|c| fold(&c.text)).collect();
        let Some(single) = classify(&top) else {
            continue;
        };
        // A second header row ("Điểm" over "Tối đa | Tự chấm") refines the first.
        if let Some(next) = g.rows.get(r + 1).filter(|row| is_subheader(row)) {
            let combined = combine(&top, next);
            if let Some(two) = classify(&combined) {
                return Some((two, r + 2));
            }
        }
        return Some((single, r + 1));
    }
    None
}

fn combine(top: &[String], next: &[Cell]) -> Vec<String> {
    let n = top.len().max(next.len());
    let mut out = Vec::with_capacity(n);
    let mut carried = String::new();
    for c in 0..n {
        let t = top.get(c).cloned().unwrap_or_default();
        // A cell covered by a vertical merge repeats the label above: not a second label.
        let b = next
            .get(c)
            .filter(|x| !x.covered)
            .map(|x| fold(&x.text))
            .unwrap_or_default();
        if !t.is_empty() {
            carried = t.clone();
        }
        // A blank top cell under a horizontal merge belongs to the label on its left.
        let t = if t.is_empty() && !b.is_empty() {
            carried.clone()
        } else {
            t
        };
        out.push(format!("{t} {b}").trim().to_string());
    }
    out
}

/// A header continuation: labels only, no codes or numbers.
fn is_subheader(row: &[Cell]) -> bool {
    let words = [
        "toi da",
        "chuan",
        "tu cham",
        "tu danh gia",
        "tham dinh",
        "diem",
        "ghi chu",
        "kiem chung",
        "huong dan",
    ];
    let filled: Vec<String> = row
        .iter()
        .filter(|c| !c.is_blank())
        .map(|c| fold(&c.text))
        .collect();
    !filled.is_empty()
        && row.iter().all(|c| c.number.is_none())
        && filled.iter().any(|f| words.iter().any(|w| f.contains(w)))
        && filled.iter().all(|f| f.len() < 60)
}

fn classify(labels: &[String]) -> Option<Columns> {
    let find = |pred: &dyn Fn(&str) -> bool, taken: &[Option<usize>]| {
        labels
            .iter()
            .enumerate()
            .find(|(i, l)| !taken.contains(&Some(*i)) && pred(l))
            .map(|(i, _)| i)
    };
    let evidence = find(
        &|l| {
            ["tai lieu kiem chung", "tlkc", "kiem chung", "minh chung"]
                .iter()
                .any(|w| l.contains(w))
        },
        &[],
    );
    let guide_words = [
        "huong dan cham",
        "cach cham",
        "cach tinh diem",
        "phuong phap cham",
        "huong dan danh gia",
        "cach thuc danh gia",
    ];
    let guide = find(&|l| guide_words.iter().any(|w| l.contains(w)), &[])
        .or_else(|| find(&|l| l.starts_with("huong dan"), &[evidence]));
    let max = find(
        &|l| {
            [
                "diem toi da",
                "toi da",
                "diem chuan",
                "thang diem",
                "diem so toi da",
            ]
            .iter()
            .any(|w| l.contains(w))
        },
        &[evidence, guide],
    )
    .or_else(|| {
        find(
            &|l| {
                let plain = l.trim_matches(|c: char| !c.is_alphanumeric());
                (plain == "diem" || plain == "so diem" || plain.starts_with("diem ("))
                    && !["tu cham", "tu danh gia", "tham dinh", "dat", "tru"]
                        .iter()
                        .any(|w| l.contains(w))
            },
            &[evidence, guide],
        )
    })?;
    let code = find(
        &|l| {
            let plain = l.trim_matches(|c: char| !c.is_alphanumeric());
            [
                "stt",
                "tt",
                "ma",
                "ma so",
                "so tt",
                "so thu tu",
                "ma tieu chi",
                "ky hieu",
                "muc",
            ]
            .contains(&plain)
        },
        &[Some(max), evidence, guide],
    );
    let title = find(
        &|l| {
            ["tieu chi", "linh vuc", "noi dung", "chi tieu"]
                .iter()
                .any(|w| l.contains(w))
        },
        &[Some(max), evidence, guide, code],
    )?;
    Some(Columns {
        code,
        title,
        max,
        evidence,
        guide,
    })
}

/// "(1) (2) (3)" or "1 2 3" under the header: column numbers, not data.
fn is_numbering_row(row: &[Cell]) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\(?\d{1,2}\)?(?:\s*[=+\-*x]\s*\(?\d{1,2}\)?)*$")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let filled: Vec<&Cell> = row.iter().filter(|c| !c.is_blank()).collect();
    filled.len() >= 3 && filled.iter().all(|c| re.is_match(c.text.trim()))
}

fn at(row: &[Cell], col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| row.get(c))
}

/// The table's rows below the header, blank and numbering rows left out.
/// Each record copies its cells' text: the copies are paid for from `budget`
/// row by row (merged text repeated down thousands of rows is copied again here).
pub fn records(
    g: &Grid,
    cols: Columns,
    first: usize,
    budget: &Budget,
) -> Result<Vec<Rec>, ImportError> {
    let mut out = Vec::new();
    // Looked up once per row: a set, not a scan of every formula per row.
    let unvalued: std::collections::HashSet<usize> = g
        .formulas
        .iter()
        .filter(|(_, c, has)| *c == cols.max && !has)
        .map(|(r, _, _)| *r)
        .collect();
    for (i, row) in g.rows.iter().enumerate().skip(first) {
        if row.iter().all(Cell::is_blank) || (i <= first + 1 && is_numbering_row(row)) {
            continue;
        }
        // Merged cells repeat their text down the evidence and guide columns only.
        let own = |c: Option<usize>| {
            at(row, c)
                .filter(|x| !x.covered)
                .map(|x| x.text.clone())
                .unwrap_or_default()
        };
        let shared = |c: Option<usize>| at(row, c).map(|x| x.text.clone()).unwrap_or_default();
        let code_cell = at(row, cols.code).filter(|x| !x.covered);
        let guide = if cols.guide == cols.evidence {
            String::new()
        } else {
            shared(cols.guide)
        };
        let rec = Rec {
            row: g.first_row + i + 1,
            code: code_cell.map(|c| c.text.clone()).unwrap_or_default(),
            code_was_number: code_cell.is_some_and(|c| c.number.is_some()),
            title: own(Some(cols.title)),
            max_text: own(Some(cols.max)),
            max_formula_unvalued: unvalued.contains(&i),
            // A table without a TLKC column names its documents in the guide.
            evidence: if cols.evidence.is_none() {
                shared(cols.guide)
            } else {
                shared(cols.evidence)
            },
            guide,
        };
        budget.spend(
            std::mem::size_of::<Rec>()
                + rec.code.len()
                + rec.title.len()
                + rec.max_text.len()
                + rec.evidence.len()
                + rec.guide.len(),
        )?;
        out.push(rec);
    }
    Ok(out)
}

/// Column letter for messages (0 → A, 27 → AB).
pub fn column_name(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_row_header_with_merged_cells() {
        let top: Vec<String> = ["stt", "tieu chi", "diem", "", "tai lieu kiem chung"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let covered = |t: &str| Cell {
            text: t.into(),
            number: None,
            covered: true,
        };
        let next = vec![
            covered("STT"),
            covered("Tiêu chí"),
            Cell::text("Tự chấm"),
            Cell::text("Tối đa"),
        ];
        let cols = classify(&combine(&top, &next)).unwrap();
        assert_eq!(
            cols,
            Columns {
                code: Some(0),
                title: 1,
                max: 3,
                evidence: Some(4),
                guide: None
            }
        );
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }
}
