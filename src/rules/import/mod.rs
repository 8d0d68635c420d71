//! `tlkc rules import`: a province's criteria table (the decision's appendix
//! in Word, or the self-scoring workbook) → a draft ruleset.
//!
//! [`import`] is pure (bytes in, [`ImportedSet`] out) so that a fuzz target
//! can call it. Each format has its own file and produces a [`grid::Grid`];
//! [`table`] finds the header by its Vietnamese labels, [`tree`] numbers the
//! rows into areas, criteria and sub-criteria and checks the point sums,
//! [`draft`] reads evidence requirements from the TLKC text and [`emit`]
//! writes the TOML. Nothing here guesses silently: every drafted item is
//! marked `inferred` with its source sentence, every point mismatch is listed.

mod csv;
mod docx;
pub mod draft;
mod emit;
mod grid;
mod ods;
mod prose;
mod sheet;
mod table;
mod tree;
mod xlsx;

use std::path::Path;

pub use draft::{Draft, DraftDeadline, DraftReq};
pub use emit::{signature_name, to_toml, Meta};
pub use grid::{MAX_INPUT_BYTES, MAX_ROWS, MAX_UNZIPPED_BYTES};

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
    Csv,
    Docx,
}

impl Kind {
    /// By file extension (case-insensitive).
    pub fn from_path(p: &Path) -> Option<Kind> {
        let ext = p.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "ods" => Some(Kind::Ods),
            "csv" | "txt" => Some(Kind::Csv),
            "docx" => Some(Kind::Docx),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => ".xlsx",
            Kind::Ods => ".ods",
            Kind::Csv => ".csv",
            Kind::Docx => ".docx",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("more than {limit} non-empty rows: not a criteria table (they have a few hundred)")]
    TooManyRows { limit: usize },
    #[error("no sheet named `{name}`; the workbook has: {available}")]
    NoSheet { name: String, available: String },
    #[error("no table whose header names the criteria and their points (columns such as \"Tiêu chí\"/\"Nội dung\" and \"Điểm tối đa\"/\"Điểm chuẩn\"/\"Thang điểm\")")]
    NoTable,
    #[error("{place}: the maximum is a formula with no stored result; open and save the file in Excel or LibreOffice (which computes it), or type the number")]
    Formula { place: String },
    /// A bug in a parser (ours or a library's): reported, never a crash.
    #[error("the {0} reader failed on this file (a bug: please report it with the file)")]
    ParserPanic(&'static str),
    #[error("{place}: a header was found but no numbered criteria below it")]
    NoCriteria { place: String },
}

/// The level of a node in the criteria tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Area,
    Criterion,
    Sub,
    Deduction,
}

/// One row that became a node.
#[derive(Debug, Clone)]
pub struct Node {
    /// Dotted global id ("1.2.1"); deductions "DT.1".
    pub id: String,
    pub level: Level,
    pub title: String,
    /// As stated in the table; `None` when the cell was blank.
    pub max_points: Option<f64>,
    /// 1-based row in the sheet or table.
    pub row: usize,
    /// Evidence (TLKC) and scoring-guide text, continuation rows included.
    pub evidence: String,
    pub guide: String,
    /// Filled for scored units (sub-criteria, criteria without any, deductions).
    pub draft: Option<Draft>,
}

/// Children's points that do not add up to their parent's stated maximum.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The parent's id, or "total" for the Tổng cộng row.
    pub id: String,
    pub row: usize,
    pub stated: f64,
    pub sum: f64,
}

/// Something the importer did that a reviewer should know about.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub row: usize,
    /// In English.
    pub text: String,
    /// In Vietnamese.
    pub vi: String,
}

/// The signature rule for every requirement that does not state its own
/// (`[defaults] signature`), read from a title or note row.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureDefault {
    pub rule: crate::rules::SignatureRule,
    /// The sentence it was read from; `None` when given with `--signature`.
    pub source: Option<String>,
    /// 1-based row of that sentence.
    pub row: Option<usize>,
    /// Read from the table (not given by a person).
    pub inferred: bool,
}

#[derive(Debug, Clone)]
pub struct ImportedSet {
    /// Sheet or table the criteria came from.
    pub table: String,
    /// Header row (1-based) and the column letters found for each role.
    pub header_row: usize,
    pub columns: Vec<(&'static str, String)>,
    /// Tree order: area, its criteria, each followed by its sub-criteria; deductions last.
    pub nodes: Vec<Node>,
    /// The "Tổng cộng" row: (row, points).
    pub total: Option<(usize, f64)>,
    pub mismatches: Vec<Mismatch>,
    pub notes: Vec<Note>,
    /// The text encoding a CSV was read in.
    pub encoding: Option<&'static str>,
    /// The table's general signature rule ("TLKC là văn bản điện tử có chữ ký số").
    pub signature: Option<SignatureDefault>,
}

impl ImportedSet {
    /// Drafted requirements and system-data markings, all inferred.
    pub fn inferred_count(&self) -> usize {
        self.nodes
            .iter()
            .filter_map(|n| n.draft.as_ref())
            .map(|d| d.reqs.len() + usize::from(d.system.is_some()))
            .sum::<usize>()
            + usize::from(self.signature.as_ref().is_some_and(|s| s.inferred))
    }
}

/// Import a criteria table. `sheet` picks a worksheet by name (spreadsheets);
/// otherwise the first sheet or Word table whose header names criteria and
/// points is used.
pub fn import(bytes: &[u8], kind: Kind, sheet: Option<&str>) -> Result<ImportedSet, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge(format!(
            "{} MB (limit {} MB)",
            bytes.len() >> 20,
            MAX_INPUT_BYTES >> 20
        )));
    }
    // Third-party parsers are fuzzed, but a panic in one must still be an error, not a crash.
    let run = std::panic::catch_unwind(|| import_inner(bytes, kind, sheet));
    run.unwrap_or(Err(ImportError::ParserPanic(kind.name())))
}

fn import_inner(bytes: &[u8], kind: Kind, sheet: Option<&str>) -> Result<ImportedSet, ImportError> {
    let mut encoding = None;
    let grids = match kind {
        Kind::Xlsx => xlsx::grids(bytes, sheet)?,
        Kind::Ods => ods::grids(bytes, sheet)?,
        Kind::Docx => docx::grids(bytes)?,
        Kind::Csv => {
            let (g, enc) = csv::grid(bytes)?;
            encoding = Some(enc);
            vec![g]
        }
    };
    for g in &grids {
        let Some((cols, first)) = table::find_header(g) else {
            continue;
        };
        let recs = table::records(g, cols, first);
        if let Some(r) = recs.iter().find(|r| r.max_formula_unvalued) {
            return Err(ImportError::Formula {
                place: format!("{} {}{}", g.name, table::column_name(cols.max), r.row),
            });
        }
        let built = tree::build(&recs);
        if built.nodes.is_empty() {
            return Err(ImportError::NoCriteria {
                place: format!("{}, header row {}", g.name, g.first_row + first),
            });
        }
        let mut notes = built.notes;
        for (r, c, has) in &g.formulas {
            if *has && *c == cols.max {
                notes.push(Note {
                    row: g.first_row + r + 1,
                    text: format!(
                        "{}{}: the maximum is a formula; its stored result was used",
                        table::column_name(*c),
                        g.first_row + r + 1
                    ),
                    vi: format!(
                        "{}{}: điểm tối đa là công thức; đã dùng kết quả lưu trong tệp",
                        table::column_name(*c),
                        g.first_row + r + 1
                    ),
                });
            }
        }
        notes.sort_by_key(|n| n.row);
        // Title rows above the header, then note rows: where a province states
        // once that TLKC must be digitally signed electronic documents.
        let title_rows = g.rows[..first.saturating_sub(1).min(g.rows.len())]
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut seen: Vec<&str> = Vec::new();
                for c in row {
                    let t = c.text.trim();
                    if !t.is_empty() && !seen.contains(&t) {
                        seen.push(t);
                    }
                }
                (g.first_row + i + 1, seen.join(" "))
            });
        let mut signature = title_rows
            .chain(built.remarks.iter().cloned())
            .find_map(|(row, text)| signature_rule_in(&text, Some(row)));
        // A Word appendix states it in a paragraph under the title, outside the table.
        if signature.is_none() && kind == Kind::Docx {
            signature = prose::paragraphs(bytes)?
                .iter()
                .find_map(|p| signature_rule_in(p, None));
        }
        let role = |name: &'static str, c: Option<usize>| c.map(|c| (name, table::column_name(c)));
        return Ok(ImportedSet {
            table: g.name.clone(),
            header_row: g.first_row + first,
            columns: [
                role("code", cols.code),
                role("title", Some(cols.title)),
                role("max_points", Some(cols.max)),
                role("evidence", cols.evidence),
                role("guide", cols.guide),
            ]
            .into_iter()
            .flatten()
            .collect(),
            nodes: built.nodes,
            total: built.total,
            mismatches: built.mismatches,
            notes,
            encoding,
            signature,
        });
    }
    Err(ImportError::NoTable)
}

/// The first sentence of a row that states a signature rule for all evidence.
fn signature_rule_in(text: &str, row: Option<usize>) -> Option<SignatureDefault> {
    text.split(['\n', ';'])
        .flat_map(|l| l.split(". "))
        .map(str::trim)
        .find_map(|s| {
            draft::general_signature(s).map(|rule| SignatureDefault {
                rule,
                source: Some(s.trim_end_matches('.').to_string()),
                row,
                inferred: true,
            })
        })
}

/// The sheets to look at: the named one, or all in workbook order.
fn pick_sheets(names: Vec<String>, only: Option<&str>) -> Result<Vec<String>, ImportError> {
    match only {
        None => Ok(names),
        Some(want) => names
            .iter()
            .find(|n| n.as_str() == want || crate::text::fold(n) == crate::text::fold(want))
            .map(|n| vec![n.clone()])
            .ok_or_else(|| ImportError::NoSheet {
                name: want.to_string(),
                available: names.join(", "),
            }),
    }
}
