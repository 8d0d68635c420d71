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

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    /// The spreadsheet stored a number here (an Excel-mangled code such as 1.1).
    pub number: Option<f64>,
    /// Covered by a vertical merge: `text` is the merge origin's, repeated.
    pub covered: bool,
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        let mut text: String = s.chars().take(MAX_CELL_CHARS).collect();
        text = crate::text::nfc(text.trim());
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
    /// Refuses a grid with more non-empty rows than [`MAX_ROWS`].
    pub fn push_row(&mut self, row: Vec<Cell>) -> Result<(), ImportError> {
        let mut row = row;
        row.truncate(MAX_COLS);
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
    /// for the evidence and guide columns, never for points).
    pub fn fill_vertical(&mut self, first_row: usize, last_row: usize, col: usize) {
        let Some(origin) = self.rows.get(first_row).and_then(|r| r.get(col)).cloned() else {
            return;
        };
        for r in first_row + 1..=last_row.min(self.rows.len().saturating_sub(1)) {
            if let Some(row) = self.rows.get_mut(r) {
                if row.len() <= col {
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

/// One zip member, read with the decompression limit.
pub fn zip_member<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
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
    Ok(Some(out))
}
