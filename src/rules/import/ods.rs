//! .ods (OpenDocument spreadsheets, LibreOffice), read with calamine after a
//! zip-bomb check and a check of the repeat counts. Covered (merged) cells
//! come back empty.

use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{open_workbook_from_rs, Ods, Reader};
use regex::bytes::Regex;

use super::grid::{check_zip, zip_member, Grid};
use super::{sheet, ImportError};

/// A row or cell that holds content may be repeated this often at most.
/// (LibreOffice repeats *empty* rows and cells to the sheet's end; those are fine.)
const MAX_CONTENT_ROW_REPEAT: u64 = 1_000;
const MAX_CONTENT_CELL_REPEAT: u64 = 256;

/// Every sheet (or only `only`), in workbook order.
pub fn grids(bytes: &[u8], only: Option<&str>) -> Result<Vec<Grid>, ImportError> {
    check_zip(Cursor::new(bytes))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if let Some(content) = zip_member(&mut zip, "content.xml")? {
        check_repeats(&content)?;
    }
    let mut wb: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::OdsError| ImportError::Unreadable(e.to_string()))?;
    let names = super::pick_sheets(wb.sheet_names(), only)?;
    let mut out = Vec::new();
    for name in names {
        let values = wb
            .worksheet_range(&name)
            .map_err(|e| ImportError::Unreadable(format!("sheet {name}: {e}")))?;
        let formulas = wb.worksheet_formula(&name).ok();
        out.push(sheet::grid(&name, &values, formulas.as_ref())?);
    }
    Ok(out)
}

/// A non-empty row or cell repeated a million times expands to billions of
/// cells in the reader: refuse it before reading.
fn check_repeats(xml: &[u8]) -> Result<(), ImportError> {
    static ROW: OnceLock<Regex> = OnceLock::new();
    static CELL: OnceLock<Regex> = OnceLock::new();
    let row = ROW.get_or_init(|| {
        Regex::new(r"(?s)<table:table-row\b([^>]*)>(.*?)</table:table-row>")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let cell = CELL.get_or_init(|| {
        Regex::new(r"<table:table-cell\b([^>]*)>").unwrap_or_else(|_| unreachable!("static regex"))
    });
    for c in row.captures_iter(xml) {
        let body = c.get(2).map_or(&b""[..], |m| m.as_bytes());
        let has_content = memchr::memmem::find(body, b"office:value").is_some()
            || memchr::memmem::find(body, b"<text:p>").is_some();
        if has_content && repeats(&c[1], b"number-rows-repeated=\"") > MAX_CONTENT_ROW_REPEAT {
            return Err(ImportError::TooManyRows {
                limit: super::MAX_ROWS,
            });
        }
    }
    for c in cell.captures_iter(xml) {
        let n = repeats(&c[1], b"number-columns-repeated=\"");
        if n > MAX_CONTENT_CELL_REPEAT {
            return Err(ImportError::TooLarge(format!(
                "a cell repeated {n} times across columns"
            )));
        }
    }
    Ok(())
}

/// The repeat count in a start tag's attributes; 1 when absent, 0 for an
/// empty element (`…/>`), which holds nothing to repeat.
fn repeats(attrs: &[u8], key: &[u8]) -> u64 {
    if attrs.ends_with(b"/") {
        return 0;
    }
    let Some(at) = memchr::memmem::find(attrs, key) else {
        return 1;
    };
    let digits: Vec<u8> = attrs[at + key.len()..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX)
}
