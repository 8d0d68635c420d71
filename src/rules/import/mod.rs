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
mod table;
mod tree;
mod xlsx;
mod xml;

use std::path::Path;

pub use draft::{Draft, DraftDeadline, DraftReq};
pub use emit::{signature_name, to_toml, Meta};
pub use grid::{
    MAX_CELL_CHARS, MAX_COLS, MAX_EXPANDED_BYTES, MAX_INPUT_BYTES, MAX_ROWS, MAX_ROW_INDEX,
    MAX_UNZIPPED_BYTES,
};

use crate::findings::Lang;

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
    #[error("more than {limit} rows, blank ones included: not a criteria table (they have a few hundred)")]
    TooTall { limit: usize },
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
    /// Cells, merged-range copies, repeated rows/columns and decoded text together.
    #[error("the table would take more than {limit_mb} MB once its cells, merged ranges and repeated rows and columns are expanded (the import limit; a criteria table takes well under 1 MB)")]
    Budget { limit_mb: usize },
    /// The ruleset written from the table would not read back as the same draft.
    #[error("the ruleset written from this table does not read back as the table's content ({0}); nothing was written (a bug or a crafted table: please report it with the file)")]
    RoundTrip(String),
}

impl ImportError {
    /// The message in the officer's language, on one line, with the table's
    /// own text (sheet names, cells) stripped of control characters.
    pub fn message(&self, lang: Lang) -> String {
        let one = crate::text::one_line;
        let en = one(&self.to_string());
        if lang == Lang::En {
            return en;
        }
        let vi = match self {
            ImportError::Unreadable(e) => format!("không đọc được tệp: {}", one(e)),
            ImportError::TooLarge(e) => format!("quá lớn: {}", one(e)),
            ImportError::TooManyRows { limit } => format!(
                "hơn {limit} dòng có nội dung: không phải bảng tiêu chí (bảng tiêu chí chỉ có vài trăm dòng)"
            ),
            ImportError::TooTall { limit } => format!(
                "hơn {limit} dòng, kể cả dòng trống: không phải bảng tiêu chí (bảng tiêu chí chỉ có vài trăm dòng)"
            ),
            ImportError::NoSheet { name, available } => format!(
                "không có trang tính tên `{}`; tệp có: {}",
                one(name),
                one(available)
            ),
            ImportError::NoTable => "không có bảng nào có dòng tiêu đề ghi tiêu chí và điểm (các cột như \"Tiêu chí\"/\"Nội dung\" và \"Điểm tối đa\"/\"Điểm chuẩn\"/\"Thang điểm\")".to_string(),
            ImportError::Formula { place } => format!(
                "{}: điểm tối đa là công thức chưa có kết quả lưu sẵn; mở và lưu tệp bằng Excel hoặc LibreOffice (để tính), hoặc gõ số",
                one(place)
            ),
            ImportError::ParserPanic(kind) => format!(
                "bộ đọc {kind} bị lỗi với tệp này (lỗi phần mềm: vui lòng báo kèm tệp)"
            ),
            ImportError::NoCriteria { place } => format!(
                "{}: có dòng tiêu đề nhưng bên dưới không có tiêu chí được đánh số",
                one(place)
            ),
            ImportError::Budget { limit_mb } => format!(
                "bảng sẽ chiếm hơn {limit_mb} MB khi bung các ô, vùng gộp ô và dòng/cột lặp lại (giới hạn khi nhập; một bảng tiêu chí chỉ cần dưới 1 MB)"
            ),
            ImportError::RoundTrip(e) => format!(
                "bộ tiêu chí viết ra từ bảng này đọc lại không đúng nội dung của bảng ({}); chưa ghi tệp nào (lỗi phần mềm hoặc bảng bị làm giả: vui lòng báo kèm tệp)",
                one(e)
            ),
        };
        one(&vi)
    }
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

/// `tlkc rules import`: the draft of a table as ruleset TOML, with
/// `signature` (`--signature`) overriding what the table says; checked to
/// read back as the draft before anything is written.
pub fn draft(
    bytes: &[u8],
    kind: Kind,
    sheet: Option<&str>,
    signature: Option<crate::rules::SignatureRule>,
    meta: &Meta,
) -> Result<(ImportedSet, String), ImportError> {
    let mut set = import(bytes, kind, sheet)?;
    if let Some(rule) = signature {
        set.signature = Some(SignatureDefault {
            rule,
            source: None,
            row: None,
            inferred: false,
        });
    }
    let text = to_toml(&set, meta)?;
    Ok((set, text))
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
    let budget = grid::Budget::default();
    let mut found = None;
    // Each sheet or table is read, tried and dropped in turn: only one is in memory at a time.
    let mut visit = |g: grid::Grid, encoding: Option<&'static str>| {
        found = from_grid(&g, encoding, &budget)?;
        Ok(found.is_some())
    };
    match kind {
        Kind::Xlsx => xlsx::grids(bytes, sheet, &budget, &mut |g| visit(g, None))?,
        Kind::Ods => ods::grids(bytes, sheet, &budget, &mut |g| visit(g, None))?,
        Kind::Docx => docx::grids(bytes, &budget, &mut |g| visit(g, None))?,
        Kind::Csv => {
            let (g, enc) = csv::grid(bytes, &budget)?;
            visit(g, Some(enc))?;
        }
    }
    let mut set = found.ok_or(ImportError::NoTable)?;
    // A Word appendix states the signature rule in a paragraph under the
    // title, outside the table.
    if set.signature.is_none() && kind == Kind::Docx {
        set.signature = prose::paragraphs(bytes, &budget)?
            .iter()
            .find_map(|p| signature_rule_in(p, None));
    }
    Ok(set)
}

/// What an importer hands each sheet or table to: `Ok(true)` stops the reading.
pub(crate) type Visit<'a> = dyn FnMut(grid::Grid) -> Result<bool, ImportError> + 'a;

/// The criteria in one grid, or `None` when it has no criteria header.
fn from_grid(
    g: &grid::Grid,
    encoding: Option<&'static str>,
    budget: &grid::Budget,
) -> Result<Option<ImportedSet>, ImportError> {
    let Some((cols, first)) = table::find_header(g) else {
        return Ok(None);
    };
    let recs = table::records(g, cols, first, budget)?;
    if let Some(r) = recs.iter().find(|r| r.max_formula_unvalued) {
        return Err(ImportError::Formula {
            place: format!("{} {}{}", g.name, table::column_name(cols.max), r.row),
        });
    }
    let built = tree::build(&recs, budget)?;
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
    let signature = title_rows
        .chain(built.remarks.iter().cloned())
        .find_map(|(row, text)| signature_rule_in(&text, Some(row)));
    let role = |name: &'static str, c: Option<usize>| c.map(|c| (name, table::column_name(c)));
    Ok(Some(ImportedSet {
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
    }))
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
