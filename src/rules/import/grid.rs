//! The common form every importer produces: a grid of cell texts, plus the
//! limits that keep a hostile file from exhausting memory or time.

use std::io::{Read, Seek};

use super::ImportError;

/// Input files larger than this are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 32 << 20;
/// Per zip entry and for all entries together, once decompressed.
pub const MAX_UNZIPPED_BYTES: u64 = 64 << 20;
/// Zip members a criteria workbook or document may hold.
pub const MAX_ZIP_ENTRIES: usize = 2_000;
/// Non-empty rows in the chosen table. Real criteria tables have a few hundred.
pub const MAX_ROWS: usize = 5_000;
/// Columns read per row; more are ignored.
pub const MAX_COLS: usize = 64;
/// Characters kept per cell.
pub const MAX_CELL_CHARS: usize = 20_000;
/// The one budget every importer spends before it expands anything: each
/// cell (its bookkeeping plus its text), each copy a merged range makes, each
/// row a repeat count or a run of blank lines creates, and the decoded XML or
/// text the cells come from. A criteria table takes well under 1 MB; a file
/// that would take more is refused with [`ImportError::Budget`] before the
/// memory is allocated.
pub const MAX_EXPANDED_BYTES: usize = 64 << 20;
/// Rows (blank ones included) a sheet or table may span: the criteria are in
/// the first few hundred.
pub const MAX_ROW_INDEX: usize = 100_000;

/// What one cell costs beyond its text.
const CELL_COST: usize = std::mem::size_of::<Cell>();
/// What one row costs beyond its cells.
const ROW_COST: usize = std::mem::size_of::<Vec<Cell>>();

/// The running total against [`MAX_EXPANDED_BYTES`], shared by everything one
/// import does (every sheet tried, every merge filled): spent, never refunded,
/// so the work of an import is bounded as well as its memory.
#[derive(Debug)]
pub struct Budget {
    used: std::cell::Cell<usize>,
    limit: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_EXPANDED_BYTES)
    }
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            used: std::cell::Cell::new(0),
            limit,
        }
    }

    /// Spend `bytes`, or refuse if that would pass the limit.
    pub fn spend(&self, bytes: usize) -> Result<(), ImportError> {
        let used = self.used.get().saturating_add(bytes);
        if used > self.limit {
            return Err(ImportError::Budget {
                limit_mb: self.limit >> 20,
            });
        }
        self.used.set(used);
        Ok(())
    }

    /// `n` cells each holding `text_bytes` of text.
    pub fn cells(&self, n: usize, text_bytes: usize) -> Result<(), ImportError> {
        self.spend(n.saturating_mul(CELL_COST.saturating_add(text_bytes)))
    }

    /// One cell, as it is made.
    pub fn cell(&self, c: Cell) -> Result<Cell, ImportError> {
        self.cells(1, c.text.len())?;
        Ok(c)
    }

    /// `n` rows (their cells are counted apart).
    pub fn rows(&self, n: usize) -> Result<(), ImportError> {
        self.spend(n.saturating_mul(ROW_COST))
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    /// The spreadsheet stored a number here (an Excel-mangled code such as 1.1).
    pub number: Option<f64>,
    /// Covered by a vertical merge: `text` is the merge origin's, repeated.
    pub covered: bool,
}

impl Cell {
    /// At most [`MAX_CELL_CHARS`] characters, NFC, line breaks as `\n`, and
    /// no control or bidi characters (they could only hide or reorder text).
    pub fn text(s: &str) -> Cell {
        let mut kept = String::with_capacity(s.len().min(MAX_CELL_CHARS));
        let mut chars = s.chars().take(MAX_CELL_CHARS).peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\t' => kept.push(c),
                '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => kept.push('\n'),
                c if crate::text::is_disruptive(c) => {}
                c => kept.push(c),
            }
        }
        let text = crate::text::nfc(kept.trim());
        Cell {
            text,
            ..Cell::default()
        }
    }

    pub fn number(f: f64) -> Cell {
        Cell {
            text: format!("{f}"),
            number: Some(f),
            covered: false,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Rows of cells; `rows[i]` is source row `first_row + i + 1`.
#[derive(Debug, Default)]
pub struct Grid {
    /// Sheet or table name, for messages.
    pub name: String,
    pub first_row: usize,
    pub rows: Vec<Vec<Cell>>,
    /// Cells (grid row, column) that hold a formula, and whether a computed
    /// result is stored with it.
    pub formulas: Vec<(usize, usize, bool)>,
    pub(super) filled: usize,
}

impl Grid {
    /// Refuses a grid with more non-empty rows than [`MAX_ROWS`], or more rows
    /// than [`MAX_ROW_INDEX`]. The row's cells were paid for as they were made.
    pub fn push_row(&mut self, row: Vec<Cell>, budget: &Budget) -> Result<(), ImportError> {
        let mut row = row;
        row.truncate(MAX_COLS);
        if self.rows.len() >= MAX_ROW_INDEX {
            return Err(ImportError::TooTall {
                limit: MAX_ROW_INDEX,
            });
        }
        budget.rows(1)?;
        if row.iter().any(|c| !c.is_blank()) {
            if self.filled >= MAX_ROWS {
                return Err(ImportError::TooManyRows { limit: MAX_ROWS });
            }
            self.filled += 1;
        }
        self.rows.push(row);
        Ok(())
    }

    /// Fill the cells a vertical merge covers with its origin's text (used
    /// for the evidence and guide columns, never for points). Each copy is
    /// paid for before it is made.
    pub fn fill_vertical(
        &mut self,
        first_row: usize,
        last_row: usize,
        col: usize,
        budget: &Budget,
    ) -> Result<(), ImportError> {
        self.fill_from(first_row, first_row + 1, last_row, col, budget)
    }

    /// Copy the text of `(origin, col)` into the blank cells of rows
    /// `from ..= last_row` in that column.
    pub fn fill_from(
        &mut self,
        origin: usize,
        from: usize,
        last_row: usize,
        col: usize,
        budget: &Budget,
    ) -> Result<(), ImportError> {
        let Some(origin) = self.rows.get(origin).and_then(|r| r.get(col)).cloned() else {
            return Ok(());
        };
        if origin.is_blank() || col >= MAX_COLS {
            return Ok(());
        }
        let last = last_row.min(self.rows.len().saturating_sub(1));
        if from > last {
            return Ok(());
        }
        budget.cells(last - from + 1, origin.text.len())?;
        for r in from..=last {
            if let Some(row) = self.rows.get_mut(r) {
                if row.len() <= col {
                    budget.cells(col + 1 - row.len(), 0)?;
                    row.resize(col + 1, Cell::default());
                }
                if row[col].is_blank() {
                    row[col] = Cell {
                        text: origin.text.clone(),
                        number: None,
                        covered: true,
                    };
                }
            }
        }
        Ok(())
    }
}

/// Refuse a zip whose members, decompressed, exceed the limits (a zip bomb)
/// before handing it to a parser. Sizes are counted while inflating, never
/// taken from the (forgeable) headers.
pub fn check_zip<R: Read + Seek>(reader: R) -> Result<(), ImportError> {
    let mut zip =
        zip::ZipArchive::new(reader).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ImportError::TooLarge(format!(
            "{} zip members (limit {MAX_ZIP_ENTRIES})",
            zip.len()
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        let n = std::io::copy(
            &mut entry.take(MAX_UNZIPPED_BYTES + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        total += n;
        if n > MAX_UNZIPPED_BYTES || total > MAX_UNZIPPED_BYTES {
            return Err(ImportError::TooLarge(format!(
                "more than {} MB once decompressed (a zip bomb?)",
                MAX_UNZIPPED_BYTES >> 20
            )));
        }
    }
    Ok(())
}

/// One zip member, read with the decompression limit; its decoded bytes are
/// paid for from `budget`.
pub fn zip_member<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    budget: &Budget,
) -> Result<Option<Vec<u8>>, ImportError> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ImportError::Unreadable(e.to_string())),
    };
    let mut out = Vec::new();
    entry
        .take(MAX_UNZIPPED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if out.len() as u64 > MAX_UNZIPPED_BYTES {
        return Err(ImportError::TooLarge(format!(
            "{name} is more than {} MB once decompressed (a zip bomb?)",
            MAX_UNZIPPED_BYTES >> 20
        )));
    }
    budget.spend(out.len())?;
    Ok(Some(out))
}
